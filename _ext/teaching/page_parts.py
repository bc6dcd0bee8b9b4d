"""The parts every page of the module shares, so authors write content and not markup.

- ``you-will-learn``: the opening box, with a reading time computed from the page's length at build time
  (nobody types a number that can go stale);
- ``key-points``: the closing box;
- ``bilingual``: a short, attributed quotation, the Chinese original (marked ``lang="zh-Hans"``) beside the
  authors' own English translation;
- ``status``: an inline label for how far a claim is established (``{status}`unverified```).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from i18n.translations import chinese, tr

logger = logging.getLogger(__name__)

WORDS_PER_MINUTE = 200  # a common planning figure for reading study material in English
CJK_CHARS_PER_MINUTE = 300  # Chinese text is counted by characters
CJK = re.compile(r"[\u3400-\u9fff]")


def reading_minutes(text: str) -> int:
    """Minutes to read ``text``: English words at 200 a minute, Chinese characters at 300 a minute."""
    cjk = len(CJK.findall(text))
    words = len(re.findall(r"[A-Za-z0-9']+", CJK.sub(" ", text)))
    return max(1, math.ceil(words / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE))


class chinese_block(nodes.container):
    """A block of Chinese text. Rendered as ``<div lang="zh-Hans">``.

    A ``language-zh-Hans`` class would also give docutils' HTML writer a ``lang`` attribute, but docutils then applies
    its smart-quotes transform for that language and warns that it has none; a node of our own avoids both.
    """


def visit_chinese_block(self, node):
    self.body.append(self.starttag(node, "div", CLASS="bilingual-zh", lang="zh-Hans"))


def depart_chinese_block(self, node):
    self.body.append("</div>\n")


class chinese_inline(nodes.inline):
    """A run of Chinese characters inside English prose. Rendered as ``<span lang="zh-Hans">``."""


def visit_chinese_inline(self, node):
    self.body.append(self.starttag(node, "span", "", lang="zh-Hans"))


def depart_chinese_inline(self, node):
    self.body.append("</span>")


CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+(?:[\s\d\u3000-\u303f\u3400-\u9fff\uff00-\uffef]*[\u3400-\u9fff\uff00-\uffef])?")
SKIP_PARENTS = (nodes.literal_block, nodes.literal, nodes.raw, chinese_block, chinese_inline, nodes.title)


def mark_chinese_runs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give every run of Chinese characters outside a bilingual block ``lang="zh-Hans"``, for screen readers.

    Authors write 口误 or 单独部署 in running prose without markup; this marks them at build time.
    """
    if app.builder.format != "html" or chinese(app):
        return  # in the Chinese edition the whole page is lang="zh-CN" already
    for text in list(doctree.findall(nodes.Text)):
        if not CJK.search(text) or any(isinstance(p, SKIP_PARENTS) for p in _ancestors(text)):
            continue
        parts, last = [], 0
        for match in CJK_RUN.finditer(str(text)):
            if match.start() > last:
                parts.append(nodes.Text(str(text)[last : match.start()]))
            parts.append(chinese_inline("", match.group()))
            last = match.end()
        if last < len(text):
            parts.append(nodes.Text(str(text)[last:]))
        text.parent.replace(text, parts)


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


class YouWillLearn(SphinxDirective):
    """Opening box: what the reader will learn, and how long the page takes to read."""

    has_content = True

    def translated(self, source: str) -> str:
        """The text the reader reads: in a translated build, the page's catalogue (its messages, translated), so that
        the Chinese edition's reading time counts Chinese characters, not the English words they replace."""
        if not chinese(self.env):
            return source
        from i18n.translations import translated

        po = (Path(self.env.srcdir) / self.config.locale_dirs[0] / self.config.language / "LC_MESSAGES"
              / f"{self.env.docname}.po")
        if not po.is_file():
            return source
        self.env.note_dependency(str(po))
        return "\n".join(translated(po).values())

    def run(self):
        source = Path(self.env.doc2path(self.env.docname)).read_text(encoding="utf-8")
        minutes = reading_minutes(self.translated(source))
        box = nodes.admonition(classes=["you-will-learn"])
        where = self.get_location()
        box += nodes.title(text=tr("You will learn", where))
        reading = ("Reading time: about {minutes} minutes." if minutes != 1 else "Reading time: about 1 minute.")
        box += nodes.paragraph(text=tr(reading, where, minutes=minutes), classes=["reading-time"])
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


class KeyPoints(SphinxDirective):
    """Closing box: what to remember."""

    has_content = True

    def run(self):
        box = nodes.admonition(classes=["key-points"])
        box += nodes.title(text=tr("Key points", self.get_location()))
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


class Bilingual(SphinxDirective):
    """A quotation: Chinese original, a line ``---``, then the authors' English translation.

    The Chinese edition shows the original only, with its speaker (translated) and source: the English paragraphs are
    never parsed there, and the attribution drops "English translation by the authors".
    """

    has_content = True
    option_spec = {"speaker": directives.unchanged_required, "cite": directives.unchanged_required}

    def run(self):
        lines = list(self.content)
        if "---" not in [line.strip() for line in lines]:
            raise self.error("bilingual: put a line '---' between the Chinese original and the English translation.")
        for key in ("speaker", "cite"):
            if key not in self.options:
                raise self.error(f"bilingual: the :{key}: option is required (quotations are attributed and cited).")
        cut = [line.strip() for line in lines].index("---")
        box = nodes.container(classes=["bilingual"])
        zh = chinese_block()
        en = nodes.container(classes=["bilingual-en"])
        self.state.nested_parse(StringList(lines[:cut], items=self.content.items[:cut]), self.content_offset, zh)
        box += zh
        attribution = nodes.container(classes=["bilingual-attribution"])
        if chinese(self.env):
            box["classes"].append("bilingual-original-only")
            speaker = tr(self.options["speaker"], self.get_location())
            text = f"——{speaker} {{cite:p}}`{self.options['cite']}`"
        else:
            self.state.nested_parse(
                StringList(lines[cut + 1 :], items=self.content.items[cut + 1 :]), self.content_offset + cut + 1, en
            )
            box += en
            text = (f"— {self.options['speaker']} {{cite:p}}`{self.options['cite']}`. "
                    "English translation by the authors.")
        self.state.nested_parse(StringList([text], items=[self.content.items[0]]), self.content_offset, attribution)
        box += attribution
        return [box]


STATUSES = {
    "verified": "Verified",
    "corroborated": "Corroborated",
    "single-source": "Single source",
    "unverified": "Unverified",
    "contested": "Contested",
    "contradicted": "Contradicted",
    "reported": "Reported",
    "alleged": "Alleged",
    "denied": "Denied",
    "acknowledged": "Acknowledged",
}


class Status(SphinxRole):
    """``{status}`unverified``` renders a labelled badge; an unknown status is an error naming file and line."""

    def run(self):
        key = self.text.strip().lower()
        if key not in STATUSES:
            msg = self.inliner.reporter.error(
                f"unknown status {self.text!r}; use one of: {', '.join(STATUSES)}", line=self.lineno
            )
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        label = tr(STATUSES[key], (self.env.docname, self.lineno))
        return [nodes.inline(text=label, classes=["status", f"status-{key}"])], []


def setup(app: Sphinx):
    app.add_node(chinese_block, html=(visit_chinese_block, depart_chinese_block))
    app.add_node(chinese_inline, html=(visit_chinese_inline, depart_chinese_inline))
    app.connect("doctree-resolved", mark_chinese_runs)
    app.add_directive("you-will-learn", YouWillLearn)
    app.add_directive("key-points", KeyPoints)
    app.add_directive("bilingual", Bilingual)
    app.add_role("status", Status())
    return {"parallel_read_safe": True, "parallel_write_safe": True}
