"""Link the first use of each glossary term on every page to its entry in docs/glossary.md.

Authors write plain prose; this step finds, on each page, the first occurrence of each English glossary term in running
text and turns it into a link to the term's entry, as a `{term}` role would. Doing it at build time means a new
glossary entry is linked everywhere at once, and no page has to remember which of its words are defined.

Rules, each to keep links where a reader expects them:
- only running text: paragraphs and list items, not titles, captions, code, literals, existing links, quotations
  in Chinese, or the glossary page itself;
- whole words only, case-insensitive for ordinary terms; terms written in capitals (GDPR, BIPA) match their case;
- the longest term wins where terms overlap ("sensitive personal information" before "personal information");
- once per term per page.

In the Chinese edition the Chinese terms (the glossary's second name for each entry, e.g. 私有化部署) are linked
instead, matched as they are written: Chinese has no spaces between words, so no word boundaries apply.
"""

from __future__ import annotations

import re
import unicodedata

from docutils import nodes
from sphinx import addnodes
from i18n.translations import chinese, tr

GLOSSARY_DOC = "docs/glossary"
SKIP = (nodes.title, nodes.caption, nodes.literal, nodes.literal_block, nodes.reference, nodes.raw,
        nodes.comment, addnodes.pending_xref, nodes.term, nodes.field_name, nodes.rubric, nodes.table)


def english_terms(app, want_chinese: bool = False) -> dict[str, str]:
    """term text -> anchor id, for the glossary's English terms (no CJK character), or its Chinese ones."""
    std = app.env.domains["std"]
    terms = {}
    for (objtype, name), (docname, anchor) in std.objects.items():
        if objtype == "term" and docname == GLOSSARY_DOC \
                and bool(re.search(r"[\u3400-\u9fff]", name)) == want_chinese:
            terms[name] = anchor
    return terms


def name_of(term: str) -> str:
    """A term's name, before any bracket (half- or full-width, any script's: Unicode's opening punctuation)."""
    cut = next((i for i, c in enumerate(term) if unicodedata.category(c) == "Ps"), len(term))
    return term[:cut].rstrip()


def pattern_for(terms, want_chinese: bool = False) -> re.Pattern | None:
    if not terms:
        return None
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        # "collection point (feature point)": link the words before the parenthesis
        words = re.escape(name_of(term))
        parts.append(words)
    if want_chinese:
        return re.compile("(" + "|".join(parts) + ")")
    return re.compile(r"(?<![\w-])(" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


def skipped(node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, SKIP):
            return True
        if "lang-zh" in parent.get("classes", []) or parent.get("lang") == "zh-Hans" \
                or type(parent).__name__ == "chinese_block":  # a quotation's original (page_parts)
            return True
        parent = parent.parent
    return False


def link_first_uses(app, doctree, docname) -> None:
    if docname == GLOSSARY_DOC or app.builder.format != "html":
        return
    zh = chinese(app)
    terms = english_terms(app, zh)
    regex = pattern_for(terms, zh)
    if regex is None:
        return
    by_key = {name_of(t).lower(): t for t in terms}
    done = set()
    for text in list(doctree.findall(nodes.Text)):
        if skipped(text) or not isinstance(text.parent, (nodes.paragraph, nodes.inline, nodes.emphasis,
                                                        nodes.strong)):
            continue
        value = str(text)
        pieces, last = [], 0
        for m in regex.finditer(value):
            word = m.group(1)
            term = by_key.get(word.lower())
            if term is None or term in done:
                continue
            if term.split(" (")[0].isupper() and word != term.split(" (")[0]:
                continue  # acronyms match their own case only
            done.add(term)
            pieces.append(nodes.Text(value[last:m.start()]))
            ref = nodes.reference("", "", internal=True, classes=["glossary-term"],
                                  refuri=app.builder.get_relative_uri(docname, GLOSSARY_DOC) + "#" + terms[term],
                                  reftitle=tr("Glossary: {term}", (docname, text.parent.line), term=term))
            ref += nodes.Text(word)
            pieces.append(ref)
            last = m.end()
        if pieces:
            pieces.append(nodes.Text(value[last:]))
            text.parent.replace(text, pieces)


def setup(app):
    app.connect("doctree-resolved", link_first_uses)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
