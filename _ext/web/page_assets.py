"""Load each extension's CSS and JavaScript only on the pages that use it.

Sphinx extensions add their assets to every page. Here most pages are plain prose, and the extra files more than
doubled a plain page's weight (measured: 216 KB, against a budget of 150 KB; `make bench` reports it). So each
optional asset is kept only where its feature appears on the page:

- sphinx-design (cards, grids): the landing page;
- sphinx-togglebutton (collapsible solutions): pages with a toggle or dropdown;
- sphinx-copybutton, its clipboard helper, and Pygments colours: pages with code;
- sphinx-exercise and the plot directive's styles: pages with exercises or figures.

Pages without a doctree (search, general index) keep none of them.

The project's own stylesheet (``_static/whose-face.css``, commented for its authors) is shipped without its comments
and indentation: 9.6 KB became 6.6 KB on every page (the source keeps them).

Figures load lazily (``loading="lazy"``): a figure below the first screen is fetched only as the reader scrolls
towards it, so it does not hold up the page (docutils writes the attribute; here every image gets it).
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx


def _has_class(doctree, *prefixes: str) -> bool:
    return any(
        any(c.startswith(prefixes) for c in node.get("classes", []))
        for node in doctree.findall(nodes.Element)
    )


def _has_code(doctree) -> bool:
    return any(True for _ in doctree.findall(lambda n: isinstance(n, (nodes.literal_block, nodes.doctest_block))))


def _has_exercise(doctree) -> bool:
    return any("exercise" in type(n).__name__ or "solution" in type(n).__name__ for n in doctree.findall(nodes.Element))


NEEDS = {
    "sphinx-design.min.css": lambda d: _has_class(d, "sd-"),
    "design-tabs.js": lambda d: _has_class(d, "sd-tab"),
    "togglebutton.css": lambda d: _has_class(d, "toggle", "dropdown"),
    "togglebutton.js": lambda d: _has_class(d, "toggle", "dropdown"),
    "copybutton.css": _has_code,
    "copybutton.js": _has_code,
    "clipboard.min.js": _has_code,
    "pygments.css": _has_code,
    "exercise.css": _has_exercise,
    "plot_directive.css": lambda d: any(True for _ in d.findall(nodes.image)),
}


def _name(asset) -> str:
    return str(getattr(asset, "filename", asset) or "").rsplit("/", 1)[-1]


def prune(app: Sphinx, pagename, templatename, context, doctree) -> None:
    # Sphinx restores both lists after every page, so filtering them in place affects this page only.
    for key in ("css_files", "script_files"):
        assets = context.get(key)
        if isinstance(assets, list):
            assets[:] = [
                a for a in assets if _name(a) not in NEEDS or (doctree is not None and NEEDS[_name(a)](doctree))
            ]


MINIFIED = ("whose-face.css",)  # the project's stylesheets in _static/, minified in the output


def minify_css(text: str) -> str:
    """Comments and layout whitespace out; nothing else changes (no string in these files holds "/*" or a run of
    spaces that matters)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([{};,>])\s*", r"\1", text).replace(";}", "}").strip() + "\n"


def minify(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for name in MINIFIED:
        path = Path(app.outdir) / "_static" / name
        if path.is_file():
            path.write_text(minify_css(path.read_text(encoding="utf-8")), encoding="utf-8")


def lazy_images(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for image in doctree.findall(nodes.image):
        image.setdefault("loading", "lazy")


def setup(app: Sphinx):
    app.connect("html-page-context", prune, priority=900)  # after the extensions that add assets per page
    app.connect("doctree-resolved", lazy_images)
    app.connect("build-finished", minify)  # before csp.py's checksums (priority 900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
