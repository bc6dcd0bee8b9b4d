"""Small accessibility repairs to HTML that Sphinx, docutils and extensions write, found by axe-core (WCAG 2.1
A/AA) and the Nu HTML Checker (`make validate`).

- docutils renders a citation list as ``role="list"`` holding ``role="doc-biblioentry"`` items. That role is
  deprecated in WAI-ARIA DPub 1.1, and a list must hold list items, so each entry becomes ``role="listitem"``.
- A code block wider than the page scrolls sideways; keyboard users can only scroll it if it can take focus, so every
  highlighted ``<pre>`` gets ``tabindex="0"``.

- sphinx-exercise wraps each exercise's and solution's body in a ``<section>`` with no heading (the title lives
  outside it). A section without a heading is an untitled entry in the document outline, which the Nu checker flags
  and screen readers announce as an unnamed region; such a section becomes a plain ``<div>`` with the same id.

- furo wraps every table (and display maths) in a ``<div class="table-wrapper">`` so that it can scroll, and copies
  all the table's attributes onto the wrapper, ids included (furo's ``WrapTableAndMathInAContainerTransform``,
  ``update_all_atts``). Every captioned table then has its id twice, which the Nu checker reports as an error and
  which breaks links to the table. The wrapper keeps its classes; the id stays on the table, the link target.

- In a translated build, Sphinx parses each translated paragraph on its own, so the ids that sphinxcontrib-bibtex
  gives its citations ("id19") start again in every paragraph: the Chinese edition had 37 duplicate ids (Nu checker
  errors). Any id met a second time on a page is renamed (``id19-2``); nothing links to these ids.

The first two are plain string replacements on the page body, made once per page at build time; the third changes
the resolved doctree, before any writer sees it.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

REPAIRS = (
    ('role="doc-biblioentry"', 'role="listitem"'),
    ('<div class="highlight"><pre>', '<div class="highlight"><pre tabindex="0">'),
)


def repair(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body:
        for old, new in REPAIRS:
            body = body.replace(old, new)
        context["body"] = body


def untitled_sections_to_divs(app, doctree, docname) -> None:
    """A section whose first child is not its title is not a section: make it a container (a <div>)."""
    for section in list(doctree.findall(nodes.section)):
        if section.children and isinstance(section.children[0], nodes.title):
            continue
        div = nodes.container(classes=section["classes"], ids=section["ids"], names=section["names"])
        div.extend(section.children)
        section.replace_self(div)


class DropWrapperIds(SphinxPostTransform):
    """Runs just after furo's wrapper transform (priority 500) and removes the ids it copied onto the wrappers."""

    formats = ("html",)
    default_priority = 501

    def run(self, **kwargs) -> None:
        for wrapper in self.document.findall(nodes.container):
            if {"table-wrapper", "math-wrapper"} & set(wrapper["classes"]) and wrapper.children:
                inner = wrapper.children[0]
                if set(wrapper["ids"]) <= set(inner.get("ids", [])):
                    wrapper["ids"] = []


def unique_ids(app, doctree, docname) -> None:
    """Rename every id met a second time in the page (see above); the first keeps its name."""
    seen: set[str] = set()
    for node in doctree.findall(nodes.Element):
        ids = []
        for i in node.get("ids", []):
            new, n = i, 1
            while new in seen:
                n += 1
                new = f"{i}-{n}"
            seen.add(new)
            ids.append(new)
        if ids:
            node["ids"] = ids


def setup(app):
    app.add_post_transform(DropWrapperIds)
    app.connect("doctree-resolved", unique_ids, priority=900)  # after the extensions that add ids
    app.connect("html-page-context", repair)
    app.connect("doctree-resolved", untitled_sections_to_divs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
