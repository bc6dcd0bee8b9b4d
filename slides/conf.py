"""Sphinx configuration for the projector slides (issue #14): one reveal.js deck per 50-minute lesson plan.

`make slides` runs sphinx-build with this folder as the configuration folder (`-c slides`) and the repository root
as the source folder, so the decks are drawn from the site's own pages: the slides/*.md sources say which section,
quotation, table, diagram or exercise to show, and _ext/teaching/slides.py copies it from that page's doctree when the deck
is written. Nothing is typed twice, so a deck cannot drift from the pages.

This file reuses the site's conf.py and changes only what a deck needs; each change says why.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.errors import ConfigError

HERE = Path(__file__).parent.resolve()
SITE_CONF = HERE.parent / "conf.py"

# -- The site's settings -------------------------------------------------------------------------------------------
# Run the site's conf.py in a namespace of its own (its ROOT comes from its own __file__), then take its settings.
# `tags` is injected by Sphinx into this file's namespace.
_site = {"__file__": str(SITE_CONF), "__name__": "site_conf", "tags": tags}  # noqa: F821
exec(compile(SITE_CONF.read_text(encoding="utf-8"), str(SITE_CONF), "exec"), _site)
globals().update({k: v for k, v in _site.items() if not k.startswith("__") and k != "tags"})

# Slides are projected to students: always the student edition (no solutions, no instructor notes are ever parsed).
if INSTRUCTOR:  # noqa: F821  (from the site's conf.py)
    raise ConfigError("slides/conf.py: the decks are projected to students; build them without `-t instructor`.")

# -- Extensions ----------------------------------------------------------------------------------------------------
# The site's extensions, less those whose only job is a feature of the website that a deck does not have.
SITE_ONLY = {
    "sphinx_copybutton",  # copy buttons: no code on a slide
    "sphinx_togglebutton",  # collapsible boxes: nothing collapses on a projector
    "web.offline_search",  # a deck has no search page
    "teaching.labs",  # writes the lab notebooks into the website's output
    "teaching.glossary_links",  # links to the glossary page, which a deck does not include
    "notfound.extension",  # the website's 404 page
    "sphinxext.opengraph",  # link previews for the website's addresses
    "sphinx_sitemap",  # the website's sitemap
}
extensions = [e for e in extensions if e not in SITE_ONLY]  # noqa: F821
extensions += [
    "sphinx_revealjs",  # the `revealjs` builder; reveal.js ships inside the Python package (no CDN, no npm)
    "teaching.slides",  # (local) deck slides copied from the site's pages at write time (_ext/teaching/slides.py)
]

# Every page is read (the decks copy from them), but `make slides` writes only the decks it names.
exclude_patterns = [p for p in exclude_patterns if p != "slides"]  # noqa: F821
exclude_patterns += ["slides/_static"]  # the decks' stylesheet, not a page
# A deck's exercises are its lesson plan's (_ext/teaching/slides.py): the plans' page is read for their metadata
# (teaching.exercise_meta records it; the plans' tables are instructor-only and not even made here). It is never
# written, and the rest of docs/instructor stays unread. Outside its index's table of contents, which is not read, the
# page would be "not included in any toctree": that warning is the site's to give (its builds read every page).
PLANS = "docs/instructor/lesson-plans.md"
if "docs/instructor" in exclude_patterns:
    exclude_patterns.remove("docs/instructor")
    exclude_patterns += sorted(p.relative_to(HERE.parent).as_posix() for p in (HERE.parent / "docs/instructor").iterdir()
                               if p.relative_to(HERE.parent).as_posix() != PLANS)
suppress_warnings = [*suppress_warnings, "toc.not_included"]  # noqa: F821

# Paths in the site's conf.py are relative to the repository root; here they are relative to this folder.
html_favicon = "../_static/favicon.svg"
templates_path: list[str] = []  # the site's templates override furo's, which a deck does not use
# locale_dirs stays the site's ("locale/"): Sphinx reads it relative to the source folder (the repository root), not
# to this folder. The Chinese decks (`make slides-zh`) take the pages' text from the pages' catalogues there, and the
# decks' own text from locale/zh_CN/LC_MESSAGES/slides/<deck>.po.

# -- reveal.js -----------------------------------------------------------------------------------------------------
revealjs_static_path = ["_static"]  # slides/_static: the decks' own stylesheet
# A high-contrast light theme (dark text on white: readable in a lit room) whose font ships with the package.
revealjs_style_theme = "white-contrast"
revealjs_css_files = ["slides.css"]  # large type, the two-column quotations, tables and diagrams (slides/_static)
revealjs_script_conf = {
    "width": 1280,  # 16:9; reveal.js scales the whole slide to the screen, so type keeps its proportions
    "height": 720,
    "margin": 0.04,
    "hash": True,  # each slide has an address (#/3), so a class can return to a slide
    "controls": True,  # on-screen arrows as well as the keyboard (arrows, space, Home/End; Esc for the overview)
    "progress": True,
    "slideNumber": "c/t",  # "5/21" in a corner: the room can say which slide it means
    "center": False,  # slides start at the top, so long ones keep their title in place
    "transition": "none",  # no motion (also kinder to readers who prefer reduced motion)
}
revealjs_script_plugins: list[dict] = []  # no plugins: notes, search and zoom are not needed
revealjs_use_index = False  # no general index page in the deck folder
html_use_index = False
html_domain_indices = False

# The bibliography's files, which the site lists relative to the repository root (bibtex reads them from here).
bibtex_bibfiles = [str(HERE.parent / path) for path in bibtex_bibfiles]  # noqa: F821
