"""Small accessibility repairs to HTML that Sphinx and docutils write, found by axe-core (WCAG 2.1 A/AA).

- docutils renders a citation list as ``role="list"`` holding ``role="doc-biblioentry"`` items. That role is
  deprecated in WAI-ARIA DPub 1.1, and a list must hold list items, so each entry becomes ``role="listitem"``.
- A code block wider than the page scrolls sideways; keyboard users can only scroll it if it can take focus, so every
  highlighted ``<pre>`` gets ``tabindex="0"``.

Each repair is a plain string replacement on the page body, made once per page at build time.
"""

from __future__ import annotations

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


def setup(app):
    app.connect("html-page-context", repair)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
