"""Search snippets that work from ``file://``: Sphinx's search, minus the one step that needs a web server.

Why this exists (measured, see issue 8 and the research notes, "Search from file://"):
Sphinx's search page lists results offline, but for every result it ``fetch()``es the result page to cut a snippet
(``_displayItem`` in ``sphinx/themes/basic/static/searchtools.js``, when ``DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY``
is on). Browsers block ``fetch()`` from ``file://``: no snippets, and one console error per result.

What this extension changes, and what it keeps:

- It keeps Sphinx's search index (``searchindex.js``), its query parsing, ranking and result list.
- It turns Sphinx's fetching off (``html_show_search_summary = False``, set in conf.py and forced here for the
  ``html`` builder if it is not), so Sphinx never requests a page.
- At build time it writes each page's plain text, taken from the resolved doctree (the same tree Sphinx indexes,
  with the same skips: comments, ``no-search`` elements, non-HTML raw), into ``_static/search-snippets.js``, an
  ordinary script (``window.SEARCH_SNIPPETS = {docname: [text, {section id: offset}]}``). Instructor material is
  removed at parse time (``editions``), so it never reaches a doctree and cannot reach this file.
- ``_static/search-offline.js`` adds the snippets: it cuts 240 characters around the first match (as
  ``Search.makeSearchSummary`` does) and marks the query words with Sphinx's ``span.highlighted``.
- Both scripts load on ``search.html`` only, deferred, so they run after ``searchtools.js``.

How the snippet is attached, and why this way. ``_displayItem`` is a ``const`` in ``searchtools.js``: it cannot be
wrapped or replaced from outside, and its fetch cannot be intercepted without patching ``window.fetch``. So the
script watches the results list with a ``MutationObserver`` and gives each new ``<li>`` its snippet, reading the
page name from the result link (``docname + LINK_SUFFIX + #anchor``). That depends only on the result list's
markup (``#search-results``, ``ul.search > li > a``), which themes style and Sphinx has kept for years, not on
private function names. It needs no change when a theme reorders scripts, and if the data file is missing the search
still works, just without snippets.

Chinese. Sphinx's English index splits text on ``\\w+``, so a run of Chinese characters up to the next punctuation
mark is one "word"; a query of three or more characters inside such a run is found by Sphinx's partial match, but a
two-character word (旷视) or a phrase that crosses a source line break is not. When the query contains CJK
characters, ``search-offline.js`` also searches the shipped texts as plain substrings (every query term must occur)
and adds the pages it finds to Sphinx's result list, so they are ranked, counted and displayed like the others. It
does this by wrapping ``Search.performTermsSearch``, a property of the global ``Search`` object (reachable, unlike
``_displayItem``); if that ever disappears, only the Chinese extra is lost. Line breaks between two CJK characters
are removed from the stored text, so a pasted phrase matches across the source's line wrapping.

Highlighting on the page a result opens (issue #33). Sphinx's ``sphinx_highlight.js`` keeps the search words in
``localStorage`` and writes marks into the diagrams' ``<style>``, ``<title>`` and ``<desc>`` (which breaks their
Content-Security-Policy hash, and throws). ``replace_highlighter`` takes it out of every page's script list and puts
the project's ``_static/search-highlight.js`` in its place (same position, same priority): that file switches
Sphinx's highlighting off (``SPHINX_HIGHLIGHT_ENABLED = false``, which searchtools.js reads before it stores the
words), reads the words from the address (``?highlight=``, which ``search-offline.js`` adds to each result link) and
marks them in the page's prose only, never in SVG, style, script or form fields. Sphinx's file is still copied into
``_static/`` (the theme ships it) but no page loads it.

Only the ``html`` builder is changed (``dirhtml`` links differ, and over http Sphinx's own fetch works there).
Incremental builds keep the texts of pages that were not rewritten, read back from the previous file.

Output: ``<outdir>/_static/search-snippets.js`` (``make bench`` reports its size). No settings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from i18n.translations import tr

DATA = "search-snippets.js"  # written into <outdir>/_static/ at build time
SCRIPT = "search-offline.js"  # the project's own script, in _static/
HIGHLIGHT = "search-highlight.js"  # the project's own highlighter, in _static/, in place of Sphinx's
SPHINX_HIGHLIGHT = "sphinx_highlight.js"
PREFIX = "window.SEARCH_SNIPPETS = "
MARK = "\ue000"  # private-use character: marks where a titled section starts, removed before writing

# The scripts CJK text is written in (Han, kana, Hangul, CJK punctuation and full-width forms).
_CJK = r"\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^<]+?>")
_SCRIPT_STYLE = re.compile(r"<(script|style).*?</\1>", re.IGNORECASE | re.DOTALL)


class TextCollector(nodes.NodeVisitor):
    """A page's visible text, with the same skips as Sphinx's ``WordCollector`` (sphinx/search/__init__.py)."""

    def __init__(self, document: nodes.document) -> None:
        super().__init__(document)
        self.parts: list[str] = []
        self.anchors: list[str] = []  # one per MARK, in order

    def dispatch_visit(self, node: nodes.Node) -> None:
        if isinstance(node, (nodes.comment, nodes.substitution_definition, nodes.system_message)):
            raise nodes.SkipNode
        if isinstance(node, nodes.Element) and "no-search" in node["classes"]:
            raise nodes.SkipNode
        # The page-opening boilerplate ("You will learn", "Reading time: about N minutes.") is the same on every page;
        # snippets skip it and start at text that says something.
        if isinstance(node, nodes.Element) and "reading-time" in node["classes"]:
            raise nodes.SkipNode
        if isinstance(node, nodes.title) and isinstance(node.parent, nodes.Element) \
                and "you-will-learn" in node.parent["classes"]:
            raise nodes.SkipNode
        if isinstance(node, nodes.raw):
            if "html" in node.get("format", "").split():
                self.parts.append(" " + _TAG.sub("", _SCRIPT_STYLE.sub("", node.astext())) + " ")
            raise nodes.SkipNode
        if isinstance(node, nodes.Text):
            # A soft line break between two CJK characters is not a space for a reader pasting a phrase.
            self.parts.append(_CJK_BREAK.sub("", node.astext().replace(MARK, "")))
            return
        if isinstance(node, nodes.title) and isinstance(node.parent, nodes.Element) and node.parent["ids"]:
            # Sphinx's title results link to the title's parent id; the snippet then comes from that part.
            self.parts.append(" " + MARK)
            self.anchors.append(node.parent["ids"][0])
        if not isinstance(node, nodes.Inline):
            self.parts.append(" ")  # block boundary

    def dispatch_departure(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Element) and not isinstance(node, nodes.Inline):
            self.parts.append(" ")

    def unknown_visit(self, node: nodes.Node) -> None:
        pass

    def unknown_departure(self, node: nodes.Node) -> None:
        pass

    def result(self) -> list:
        """``[text, {anchor: offset}]`` with whitespace collapsed."""
        marked = _SPACE.sub(" ", "".join(self.parts)).strip()
        pieces = marked.split(MARK)
        text, offsets = pieces[0].strip(), {}
        for anchor, piece in zip(self.anchors, pieces[1:]):
            if text and not text.endswith(" "):
                text += " "
            offsets.setdefault(anchor, len(text.encode("utf-16-le")) // 2)  # JavaScript counts UTF-16 units
            text += piece.strip()
        return [text.strip(), offsets]


def _active(app: Sphinx) -> bool:
    return app.builder.name == "html" and bool(getattr(app.builder, "search", False))


def _texts(app: Sphinx) -> dict:
    """The texts of this build, kept on the builder (the environment is pickled; the builder is not)."""
    if not hasattr(app.builder, "_offline_search_texts"):
        app.builder._offline_search_texts = {}
    return app.builder._offline_search_texts


def init(app: Sphinx) -> None:
    """Turn Sphinx's per-result fetch off, and read back the texts of the previous build (incremental builds)."""
    if not _active(app):
        return
    if app.config.html_show_search_summary:
        app.config.html_show_search_summary = False  # else Sphinx fetches every result page (errors from file://)
    texts = {}
    previous = Path(app.outdir) / "_static" / DATA
    if previous.is_file():
        raw = previous.read_text(encoding="utf-8").strip().split("\n", 1)[0]  # line 1: the texts; line 2: UI text
        if raw.startswith(PREFIX):
            try:
                texts = json.loads(raw[len(PREFIX) :].rstrip(";"))
            except ValueError:
                texts = {}
    app.builder._offline_search_texts = texts


def replace_highlighter(app: Sphinx) -> None:
    """Every page loads search-highlight.js where Sphinx puts sphinx_highlight.js (see the module's docstring)."""
    if app.builder.name != "html":
        return
    from sphinx.builders.html._assets import _JavaScript

    scripts = app.builder._js_files  # Sphinx's list of every page's scripts, filled by init_js_files()
    for i, script in enumerate(scripts):
        if script.filename == f"_static/{SPHINX_HIGHLIGHT}":
            scripts[i] = _JavaScript(f"_static/{HIGHLIGHT}", **{**script.attributes, "priority": script.priority})
            return
    raise ExtensionError(f"offline_search: Sphinx no longer adds {SPHINX_HIGHLIGHT} to every page; check that "
                         f"_static/{HIGHLIGHT} still replaces it (it declares SPHINX_HIGHLIGHT_ENABLED)")


def collect(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Record a page's text as it is written (runs in the main process, also in parallel builds)."""
    if not _active(app):
        return
    texts = _texts(app)
    title = app.env.longtitles.get(docname)
    metadata = app.env.metadata.get(docname, {})
    # Sphinx indexes only pages with a title and without `nosearch`; ship text for exactly those.
    if not title or not title.astext() or "no-search" in metadata or "nosearch" in metadata:
        texts.pop(docname, None)
        return
    collector = TextCollector(doctree)
    doctree.walkabout(collector)
    texts[docname] = collector.result()


def add_to_search_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On search.html only: write the data file, then load it and the snippet script (deferred, in that order)."""
    if pagename != "search" or not _active(app):
        return
    texts = _texts(app)
    for docname in set(texts) - set(app.env.all_docs):
        del texts[docname]  # pages removed or excluded since the previous build
    target = Path(app.outdir) / "_static" / DATA
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(dict(sorted(texts.items())), ensure_ascii=False, separators=(",", ":"))
    # The one piece of text the snippet script writes itself, in the build's language ("..." or "……").
    ui = json.dumps({"ellipsis": tr("...", "_static/search-offline.js")}, ensure_ascii=False)
    target.write_text(f"{PREFIX}{payload};\nwindow.SEARCH_SNIPPETS_UI = {ui};\n", encoding="utf-8")
    # Written before the page is rendered, so Sphinx's ?v= checksum matches this build's file.
    app.add_js_file(DATA, defer="defer")
    app.add_js_file(SCRIPT, defer="defer")


def chinese_stemmer(app: Sphinx, exception) -> None:
    """Sphinx 9.0's Chinese ``language_data.js`` ends ``window.Stemmer = ChineseStemmer;`` but defines no
    ``ChineseStemmer``: the search page then stops with "Stemmer is not defined". The index stems Latin words with
    the English stemmer (sphinx/search/zh.py) and the file ships ``EnglishStemmer``, so that is the one to name.
    """
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "_static" / "language_data.js"
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        if "window.Stemmer = ChineseStemmer;" in text and "ChineseStemmer =" not in text and "EnglishStemmer" in text:
            path.write_text(text.replace("window.Stemmer = ChineseStemmer;", "window.Stemmer = EnglishStemmer;"),
                            encoding="utf-8")


def setup(app: Sphinx):
    app.connect("builder-inited", init)
    app.connect("builder-inited", replace_highlighter)
    app.connect("doctree-resolved", collect)
    app.connect("html-page-context", add_to_search_page)
    app.connect("build-finished", chinese_stemmer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
