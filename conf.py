"""Sphinx configuration for "Whose Face?", a case-study module on facial-recognition data.

Read it top to bottom as a table of contents: each section says what it sets and why.
The repository root is the Sphinx source folder, so `exclude_patterns` lists everything that is not a page.

Two editions are built from one source:
- the student edition (default, `make html`, `_build/html`);
- the instructor edition (`make instructor`, `_build/instructor`), selected with the Sphinx tag `-t instructor`.
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).parent.resolve()
# Local extensions live in _ext/, grouped by concern (_ext/README.md: teaching, web, i18n, guards, patches); the
# teaching code (facelab) is imported from the root.
sys.path[:0] = [str(ROOT / "_ext"), str(ROOT)]
# Before Sphinx compiles the theme's catalogue, which it does before it loads any extension: two builds of one language
# started together must never read each other's half-written .mo (_ext/patches/atomic_mo.py).
import patches.atomic_mo  # noqa: E402

patches.atomic_mo.apply()

# -- Editions -----------------------------------------------------------------
# `tags` is injected by Sphinx; `-t instructor` selects the instructor edition.
INSTRUCTOR = tags.has("instructor")  # noqa: F821
EDITION = "instructor" if INSTRUCTOR else "student"

# -- Project --------------------------------------------------------------------
project = "Whose Face?"
author = "The Whose Face? authors"
copyright = "2026, The Whose Face? authors. Text CC BY 4.0, code MIT"
version = release = "0.1.0"
# The build date shown on the landing page; SOURCE_DATE_EPOCH makes it reproducible.
BUILD_DATE = datetime.datetime.fromtimestamp(
    int(os.environ.get("SOURCE_DATE_EPOCH", datetime.datetime.now().timestamp())), tz=datetime.timezone.utc
).strftime("%Y-%m-%d")
language = "en"

# -- General --------------------------------------------------------------------
extensions = [
    "myst_parser",  # pages are MyST Markdown
    "sphinx_design",  # cards and grids on the landing page
    "sphinxcontrib.mermaid",  # the `mermaid` directive and node; offline_mermaid draws them at build time
    "sphinx_exercise",  # exercises and solutions, numbered and cross-referenced
    "sphinx_togglebutton",  # collapsible instructor notes (instructor edition only)
    "sphinx_copybutton",  # copy buttons on code blocks
    "sphinxcontrib.bibtex",  # the single bibliography, cited from every page
    "i18n.bib_zh",  # (local) Chinese build only: the bib notes from locale/zh_CN/LC_MESSAGES/bib-notes.po, pybtex's words in Chinese
    "patches.bibtex_speedup",  # (local) caches pybtex's plugin look-ups: a quarter of the build time otherwise
    "patches.search_speedup",  # (local) the search index stems each word once per build, not once per page
    "patches.jinja_cache",  # (local) the page templates compiled once into _build/.jinja-cache, not in every build
    "patches.myst_speedup",  # (local) MyST's default docutils settings made once, not once per translated message
    "i18n.translated_doctrees",  # (local) a translated page's doctree holds that page only, not the whole environment
    "sphinx.ext.doctest",  # the `doctest` directive that Sybil also runs
    "patches.lazy_matplotlib",  # (local) the plot directive (figures from facelab), kept by content in _build/.plot-cache; matplotlib loads only when one is used
    # Local extensions (_ext/), one job each:
    "guards.source_checks",  # pages are UTF-8, bib files parse, keys are unique, entries complete: one line per problem
    "web.offline_mermaid",  # draws every diagram at build time (Mermaid in headless Chromium) into an inline SVG
    "i18n.catalogue_check",  # translated builds name every message their catalogues lack, with file and line
    "i18n.translations",  # (local) what the code writes, in the build's language: locale/zh_CN/LC_MESSAGES/whose-face.po
    "teaching.page_parts",  # you-will-learn / key-points boxes, bilingual quotations, status labels
    "teaching.law",  # the law register (law/register.yaml): {law} citations, generated then/now tables, "Law as of" (issue #27)
    "teaching.dataflow",  # draws every diagram from the facelab data-flow model
    "teaching.build_map",  # the build itself as a diagram, for maintainers (docs/instructor/maintainers.md)
    "guards.editions",  # student vs instructor edition: removes instructor material at parse time
    "teaching.exercise_meta",  # exercise metadata (minutes, format, objectives), checked at build time
    "teaching.grading",  # graded exercises show students their criteria; ungraded ones may carry a self-check answer
    "teaching.quiz",  # the reading quiz from exercises/quiz/<case>.yaml: practice set on the site, graded set for instructors
    "teaching.room_prompts",  # fallback prompts for every discussion (quiet room, room off the facts), checked at build time
    "teaching.session_sheets",  # one instructor page per lesson plan: plan, prompts, model answers, rubric, what to collect
    "web.offline_search",  # search snippets that work from file://
    "web.page_assets",  # loads each extension's CSS/JS only on pages that use it (plain pages stay light)
    "teaching.labs",  # each lab page's examples as a notebook and a script in labs/, linked from the page
    "web.accessibility",  # repairs to Sphinx/docutils HTML that axe-core flags (citation roles, scrollable code)
    "i18n.cjk_font",  # Chinese edition only: a CJK font stack and a subset of Source Han Sans CN with the glyphs used
    "teaching.glossary_links",  # links the first use of each glossary term on a page to docs/glossary (issue #13)
    "web.csp",  # a Content-Security-Policy (hashes for inline code) and no-referrer in every page; checksums on late scripts
]

# Everything at the root that is not a page, each with its reason.
exclude_patterns = [
    "_build",  # build output
    ".venv",  # the Python environment `make html` creates
    "node_modules",  # Mermaid and axe-core, installed by npm
    "tests",  # pytest files and their fixtures, not pages
    "README.md",  # for people on the code host; the landing page is index.md
    "CONTRIBUTING.md",  # for contributors on the code host
    "TRANSLATING.md",  # for translators on the code host
    "LICENSE*",  # licence texts, linked from the landing page
    ".ci",  # the CI script
    ".github",  # the Pages workflow
    "facelab",  # teaching code; shown through literalinclude and the plot directive
    "_ext",  # Sphinx glue
    "scripts",  # Makefile helpers
    "bib",  # BibTeX files, rendered on docs/bibliography.md
    "law",  # the law register (law/register.yaml), read by _ext/teaching/law.py
    ".pytest_cache",  # pytest's cache, when present
    "_static",  # the site's own CSS and JavaScript, copied as assets
    "_static_instructor",  # the instructor edition's own stylesheets (copied there only)
    "_templates",  # Jinja templates that override furo's
    "dist",  # the offline archive that `make zip` writes
    "slides",  # the projector decks: their own build, `make slides` (slides/conf.py)
]
if not INSTRUCTOR:
    exclude_patterns.append("docs/instructor")  # instructor-only pages never enter the student edition

nitpicky = True  # every cross-reference must resolve
nitpick_ignore: list[tuple[str, str]] = []  # empty: add entries only with a reason

# -- MyST -------------------------------------------------------------------------
myst_enable_extensions = [
    "colon_fence",  # ::: fences for directives that hold Markdown
    "deflist",  # definition lists in the glossary-like sections
    "attrs_inline",  # {.class} on inline text
    "substitution",  # {{ version }} and {{ build_date }} on the landing page
]
myst_substitutions = {"version": version, "build_date": BUILD_DATE, "edition": EDITION.capitalize()}
myst_fence_as_directive = ["mermaid"]  # ```mermaid fences become the mermaid directive
myst_heading_anchors = 3  # #section links inside and between pages

# -- HTML output ----------------------------------------------------------------
html_theme = "furo"  # measured at 0 WCAG 2.1 A/AA violations and 216 KB per plain page
html_title = "Whose Face?"
html_static_path = ["_static"]
html_css_files = ["whose-face.css"]
# The module's own mark (no third-party asset). Linked from every page, so no browser asks the host for /favicon.ico
# (a 404 and a console error otherwise). No web-app manifest: nothing here would use one.
html_favicon = "_static/favicon.svg"
html_last_updated_fmt = None
# Page sources would carry solutions into the student edition (_sources/*.txt); no edition copies them.
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False  # the footer credit links to external sites; credits live in docs/how-to-use.md
html_context = {"edition": EDITION, "build_date": BUILD_DATE}
html_theme_options = {
    # furo ships its fonts as system stacks; nothing here loads from a third party.
    "navigation_with_keys": True,
}
# The title and, in the instructor edition, its announcement depend on the language: see `localise()`.
if INSTRUCTOR:
    # Printed from the browser, every page of this edition carries "Instructor edition, do not distribute" at the top,
    # in the build's language (_ext/guards/editions.py translates the built copy). Its stylesheet lives apart
    # (_static_instructor/), so the student edition does not even ship it.
    html_static_path = [*html_static_path, "_static_instructor"]
    html_css_files = [*html_css_files, "instructor-print.css"]

# -- Mermaid ----------------------------------------------------------------------
# sphinxcontrib-mermaid provides the directive; offline_mermaid removes its CDN script and draws each diagram at build
# time with Mermaid's classic build from node_modules, cached in _build/.mermaid-cache (see _ext/web/offline_mermaid.py).
mermaid_fullscreen = False
offline_mermaid_js = str(ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js")

# -- Bibliography -------------------------------------------------------------------
# One bibliography for the module: every file in bib/ feeds the single list on docs/bibliography.md.
bibtex_bibfiles = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "bib").glob("*.bib"))
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# -- Exercises and editions -----------------------------------------------------------
# editions (_ext/guards/editions.py): `:::{instructor}` blocks are parsed only in the instructor edition; in the student
# edition their content is never parsed, so it reaches no output file.
instructor_edition = INSTRUCTOR
# The student edition drops solutions at parse time (sphinx-exercise returns no node), so they reach no output file.
# editions.py stops the build if this ever disagrees with the edition.
hide_solutions = not INSTRUCTOR
# exercise_meta (_ext/teaching/exercise_meta.py): each exercise needs :minutes:, :format: and :objectives:; the exercise
# list (exercises/index.md) and the lesson plans (docs/instructor/) are computed from them.
# grading (_ext/teaching/grading.py): a graded exercise's criteria and marks sit in a `:::{criteria}` block that both editions
# show; a solution flagged `:self-check:` (ungraded exercises only) is shown in the student edition as well.
# quiz (_ext/teaching/quiz.py): the reading quiz's one source is exercises/quiz/<case>.yaml (schema in _ext/teaching/quiz_source.py);
# `make lms` exports the same questions for Canvas (QTI) and Moodle. The .yaml files are not pages (not a source
# suffix), so they need no entry in exclude_patterns. The quiz's texts are translated through their own catalogue,
# locale/<language>/LC_MESSAGES/quiz.po (extracted by `make gettext`); ids, sets and right answers stay in the YAML.

# -- Languages (issue #18) ------------------------------------------------------------------
# One source, two languages. English is the source text; the Chinese edition (zh_CN, Simplified) is built with
# `-D language=zh_CN` from the message catalogues in locale/zh_CN/LC_MESSAGES/, one .po file per page
# (gettext_compact = False), so a translator works page by page. `make gettext` extracts the messages of both
# editions (the instructor edition holds every message) and `sphinx-intl update` merges them into the catalogues:
# a change in English shows up there as an untranslated or fuzzy message, which the tests refuse.
locale_dirs = ["locale/"]
gettext_compact = False
gettext_uuid = False
# Code stays code: code blocks are not messages (their comments stay English in both editions).
# Everything the code writes (labels, table headers, captions, template text) is in one more catalogue,
# locale/zh_CN/LC_MESSAGES/whose-face.po, read through Sphinx's own `get_translation` (see _ext/i18n/translations.py); in
# a Chinese build a message missing from it is a warning naming the message and where it is used (an error under -W).
#
# Settings that depend on the language are settled in one place, `localise()` below, because `-D language=zh_CN`
# is applied after this file runs: a "config-inited" hook sees the final language and adjusts what follows.
# The texts set here (the title, the instructor announcement, the edition's name, the 404 page, the copyright line)
# are messages of that catalogue too, so their Chinese lives in whose-face.po like every other text the code writes.
TITLE = {"student": "Whose Face?", "instructor": "Whose Face? (Instructor edition)"}
ANNOUNCEMENT = "Instructor edition: contains solutions and instructor notes. Do not publish."
EDITION_NAME = {"student": "Student", "instructor": "Instructor"}
NOTFOUND_TITLE = "Page not found"
NOTFOUND_BODY = (
    "<h1>Page not found</h1>\n<p>There is no page at this address. Pages may have moved when the module was "
    'updated: start again from <a href="{prefix}index.html">the landing page</a>, or search.</p>'
)
# The language switcher (_templates/page.html) links each page to the same page in the other language, relatively:
# ../<folder of the other language>/<page>.html. So the two editions sit side by side in folders of fixed names,
# everywhere: `en/` and `zh/` when hosted (/en/, /zh/) and in the zips (whose-face-<version>-student/en|zh), and
# _build/en, _build/zh (symbolic links to _build/html and _build/html-zh that `make html-zh` makes). The instructor
# editions are never hosted; they link _build/instructor and _build/instructor-zh as they are.
SWITCH_FOLDERS = {"student": {"en": "en", "zh_CN": "zh"}, "instructor": {"en": "instructor", "zh_CN": "instructor-zh"}}
SWITCH_HREFLANG = {"en": "en", "zh_CN": "zh-Hans"}  # the link's lang and hreflang attributes


def language_name(language: str) -> str:
    """The switcher's link text: the language's name in that language ("English", "中文"), from Babel's CLDR data."""
    from babel import Locale

    return Locale.parse(language).language_name


def language_key(language: str | None) -> str:
    """The folder of the language's catalogues under locale/: 'zh_CN' for any Chinese build (zh, zh_CN, zh-Hans),
    'en' for English, any other code as it is (the pseudo-locale qps: _ext/i18n/pseudo.py)."""
    from facelab.i18n import normalise

    return normalise(language)


def localise(app, config) -> None:
    """Every language-dependent setting, from the final `language` (-D language=zh_CN on the command line)."""
    from i18n.translations import tr  # loaded (with its catalogue, in the final language) before config-inited

    lang = language_key(config.language)
    other = "en" if lang != "en" else "zh_CN"
    where = "conf.py"
    config.html_title = tr(TITLE[EDITION], where)
    if INSTRUCTOR:
        config.html_theme_options["announcement"] = tr(ANNOUNCEMENT, where)
    config.myst_substitutions["edition"] = tr(EDITION_NAME[EDITION], where)
    config.notfound_context = {
        "title": tr(NOTFOUND_TITLE, where),
        "body": tr(NOTFOUND_BODY, where, prefix=notfound_urls_prefix),
    }
    config.copyright = tr(copyright, where)  # furo's footer: "Copyright © <this>" (the theme's catalogue, sphinx.po)
    config.html_context["language_switch"] = {
        "folder": SWITCH_FOLDERS[EDITION].get(lang, lang),
        "other_folder": SWITCH_FOLDERS[EDITION][other],
        "label": language_name(other),
        "hreflang": SWITCH_HREFLANG[other],
    }
    # The figures (facelab.figures, run by the plot directive) read their language and, in Chinese, their font here.
    os.environ["FACELAB_LANG"] = lang
    if lang == "zh_CN":
        from i18n import cjk_font

        os.environ["FACELAB_CJK_FONT"] = str(cjk_font.otf_copy(cjk_font.CACHE))
        # Sphinx's Chinese splitter: jieba cuts the text into words for the search index (English words too).
        config.html_search_language = "zh"
        # Sphinx loads jieba's own 5 MB dictionary a second time, as a "user dictionary", unless told otherwise:
        # 2.6 s of every Chinese build for no change in the words found (jieba loads it anyway, from its cache).
        config.html_search_options = {"dict": ""}
        import logging

        import jieba  # quiet: it logs "Building prefix dict ..." at DEBUG level on every build

        jieba.setLogLevel(logging.WARNING)


def setup(app):
    app.connect("config-inited", localise, priority=100)  # before the extensions' own config-inited listeners

# -- Search ------------------------------------------------------------------------
# Sphinx's own index and ranking; offline_search (_ext/web/offline_search.py) replaces only the snippet step, which
# fetches every result page and so fails from file://. It writes each page's text to _static/search-snippets.js,
# loaded on search.html only. A query with Chinese characters is also matched as plain text, since the English
# index cannot split Chinese.
html_show_search_summary = False  # Sphinx's fetch of each result page; offline_search adds the snippets instead

# -- Publishing ----------------------------------------------------------------------
# Where the site is published, e.g. https://<owner>.github.io/<repo>/: the GitHub Pages workflow sets SITE_URL, and
# Read the Docs sets READTHEDOCS_CANONICAL_URL. Local builds and `make zip` have neither, and need none.
SITE_URL = os.environ.get("SITE_URL") or os.environ.get("READTHEDOCS_CANONICAL_URL") or ""
SITE_URL = SITE_URL and SITE_URL.rstrip("/") + "/"
extensions += [
    "notfound.extension",  # 404.html: the site's own "page not found", usable at any missing address
    "sphinxext.opengraph",  # link-preview metadata (title, description) when a page's address is shared
    "sphinx_sitemap",  # sitemap.xml, written only when the address is known (below)
]
# sitemap.xml lists absolute URLs, so without SITE_URL sphinx-sitemap writes none, and says so in a warning that is
# expected here (and that it gives only then). The extension and this setting are the same with or without an
# address so that Sphinx can write a published edition from a local build's environment without reading the pages
# again (the values that differ only change what is written): tests/test_publish.py does so for its sub-path build.
suppress_warnings = ["sitemap.configuration"]
# Every page carries <link rel="canonical">, and sitemap.xml is built on it (empty: neither is written).
html_baseurl = SITE_URL

# sphinx-notfound-page (https://sphinx-notfound-page.readthedocs.io/en/latest/configuration.html). A host serves
# 404.html in place of a page at any depth, so its links start from the site's root path ("/<repo>/" on GitHub Pages,
# "/" without SITE_URL). It therefore cannot work from file://: `make zip` leaves it out of the archive, and
# tests/site_tools.py's html_pages() skips it; tests/test_publish.py opens it over http under a sub-path instead.
notfound_urls_prefix = "/" + SITE_URL.split("://", 1)[-1].partition("/")[2] if SITE_URL else "/"
# Its title and text depend on the language: `notfound_context` is set by `localise()` ("Languages").
notfound_context: dict = {}

# sitemap.xml (sphinx-sitemap, only with SITE_URL). Its default scheme puts /en/0.1.0/ in front of every page,
# paths this site does not have; the 404 page, the search page and the index are not content.
sitemap_url_scheme = "{link}"
# No alternates from sphinx-sitemap: it names a language's folder after its code (zh_CN/), and with the scheme above
# it gave every page itself as its Chinese version. `make site`, which builds both editions side by side (en/, zh/),
# adds the right ones, a root sitemap index and robots.txt (scripts/site_root.py).
sitemap_locales = [None]
sitemap_excludes = ["404.html", "search.html", "genindex.html"]

# Link previews (sphinxext-opengraph, https://sphinxext-opengraph.readthedocs.io/en/latest/). og:url is absolute
# only when SITE_URL is set. No preview image: ogp_image is unset (an image URL could point off the site), and the
# generated "social cards" are off (a PNG per page, drawn with Matplotlib at build time, for no reader's benefit).
ogp_site_url = SITE_URL
ogp_social_cards = {"enable": False}

# Furo's footer links its credit to the theme's repository; _templates/page.html keeps the credit as plain text,
# because every external URL in the module lives in the bibliography (credits: docs/how-to-use.md).
templates_path = ["_templates"]

# `make linkcheck` (needs the network, not part of `make test`) checks every external URL: the bibliography's.
linkcheck_timeout = 30  # seconds; several sources are news sites in mainland China, slow from elsewhere
linkcheck_retries = 2  # ... and they drop connections now and then: a second try before calling a link broken
# A DOI is a redirect by design (to the publisher's current page). Any other redirect is reported as a warning, so
# the bibliography's URL can be updated to where the page now lives.
linkcheck_allowed_redirects = {r"https://doi\.org/.+": r".+"}
# Each entry: a URL pattern, and in a comment why linkcheck cannot check it. Empty: every URL is checked.
linkcheck_ignore: list[str] = []

# -- Figures ------------------------------------------------------------------------
plot_include_source = False  # the code is shown by literalinclude where it matters
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]
plot_rcparams = {"figure.figsize": (6.4, 3.6), "font.size": 10}

# -- Copy button ----------------------------------------------------------------------
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
