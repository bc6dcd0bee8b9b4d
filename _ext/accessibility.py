"""Small accessibility repairs to HTML that Sphinx, docutils and extensions write, found by axe-core (WCAG 2.1
A/AA) and the Nu HTML Checker (`make validate`).

- docutils renders a citation list as ``role="list"`` holding ``role="doc-biblioentry"`` items. That role is
  deprecated in WAI-ARIA DPub 1.1, and a list must hold list items, so each entry becomes ``role="listitem"``.
- A code block wider than the page scrolls sideways; keyboard users can only scroll it if it can take focus, so every
  highlighted ``<pre>`` gets ``tabindex="0"``.

- sphinx-exercise wraps each exercise's and solution's body in a ``<section>`` with no heading (the title lives
  outside it). A section without a heading is an untitled entry in the document outline, which the Nu checker flags
  and screen readers announce as an unnamed region; such a section becomes a plain ``<div>`` with the same id.

The first two are plain string replacements on the page body, made once per page at build time; the third changes
the resolved doctree, before any writer sees it.
"""

from __future__ import annotations

from docutils import nodes

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


def setup(app):
    app.connect("html-page-context", repair)
    app.connect("doctree-resolved", untitled_sections_to_divs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
