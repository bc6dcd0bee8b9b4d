# Whose Face? — every task goes through this file. `make help` lists the targets.
#
# Set-up is automatic: the first `make html` (or `make test`) creates .venv from requirements.txt and installs
# Mermaid, axe-core, the Nu HTML Checker and Lighthouse from package-lock.json with `npm ci`. Both steps rerun only when their lock file changes.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
SPHINXBUILD := $(BIN)/sphinx-build
BUILDDIR    := _build
PORT        ?= 8000
# The projector decks, one file each (slides/conf.py builds them from the site's pages).
DECKS       := $(sort $(wildcard slides/*.md))
# Paper for `make handouts`: a4 or letter
PAPER       ?= a4

# The strict build, in one place (tests read it with `make -s strict-flags`):
#   -W          turn every warning into an error
#   --keep-going  report all warnings before failing, not just the first
#   -n          nitpicky: every cross-reference must resolve
STRICT      := -W --keep-going -n

.DEFAULT_GOAL := help
.PHONY: help setup html instructor html-zh instructor-zh site gettext test validate snippets livehtml serve linkcheck zip handouts handouts-zh lms course slides slides-zh bench clean strict-flags

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

setup: $(VENV)/.installed node_modules/.installed  ## create .venv and install Mermaid and axe-core (automatic)

html: setup  ## build the student edition into _build/html
	$(SPHINXBUILD) $(STRICT) -b html . $(BUILDDIR)/html

instructor: setup  ## build the instructor edition into _build/instructor (never publish it)
	$(SPHINXBUILD) $(STRICT) -t instructor -b html . $(BUILDDIR)/instructor

# The Chinese editions (issue #18): the same source, with the zh_CN catalogues of locale/. The links _build/en and
# _build/zh give the build the folder names the language switcher expects (conf.py, "Languages").
html-zh: setup  ## build the Chinese student edition into _build/html-zh (links _build/en, _build/zh)
	$(SPHINXBUILD) $(STRICT) -D language=zh_CN -b html . $(BUILDDIR)/html-zh
	ln -sfn html $(BUILDDIR)/en
	ln -sfn html-zh $(BUILDDIR)/zh

instructor-zh: setup  ## build the Chinese instructor edition into _build/instructor-zh (never publish it)
	$(SPHINXBUILD) $(STRICT) -D language=zh_CN -t instructor -b html . $(BUILDDIR)/instructor-zh

handouts: html instructor  ## print the classroom pack (PDFs) into _build/handouts; PAPER=letter for US Letter
	rm -rf $(BUILDDIR)/handouts
	$(BIN)/python scripts/handouts.py $(BUILDDIR)/html $(BUILDDIR)/instructor $(BUILDDIR)/handouts --paper $(PAPER)

handouts-zh: html-zh instructor-zh  ## print the Chinese classroom pack (PDFs) into _build/handouts-zh; PAPER=letter too
	rm -rf $(BUILDDIR)/handouts-zh
	$(BIN)/python scripts/handouts.py $(BUILDDIR)/html-zh $(BUILDDIR)/instructor-zh $(BUILDDIR)/handouts-zh --paper $(PAPER)

# For hosting: the two student editions side by side, as the language switcher expects (en/ and zh/), with a root
# page that leads to en/. SITE_URL (the address of the root, ending in /) gives each edition its own address.
SITE_URL_EN = $(if $(SITE_URL),$(SITE_URL)en/)
SITE_URL_ZH = $(if $(SITE_URL),$(SITE_URL)zh/)
site: setup  ## both student editions side by side for hosting: _build/site/en, _build/site/zh (SITE_URL: the root)
	rm -rf $(BUILDDIR)/site
	SITE_URL=$(SITE_URL_EN) $(SPHINXBUILD) $(STRICT) -b html . $(BUILDDIR)/site/en
	SITE_URL=$(SITE_URL_ZH) $(SPHINXBUILD) $(STRICT) -D language=zh_CN -b html . $(BUILDDIR)/site/zh
	$(BIN)/python scripts/site_root.py $(BUILDDIR)/site

# The second run extracts the decks' own text (titles, questions) into _build/gettext/slides/<deck>.pot; it writes only
# the decks, and keeps the site run's messages in whose-face.pot (_ext/slides.py). The theme's catalogue (sphinx.pot)
# is left out of the merge: locale/zh_CN/LC_MESSAGES/sphinx.po holds furo's messages, which Sphinx does not extract
# (it reads only our templates); tests/test_zh_theme.py reads furo's templates and names any message missing from it.
# The site run also writes bib-notes.pot from the notes of bib/*.bib (_ext/bib_zh.py), merged into bib-notes.po.
gettext: setup  ## extract the English messages of pages and decks into locale/zh_CN (then translate new or fuzzy ones)
	$(SPHINXBUILD) -q -t instructor -b gettext . $(BUILDDIR)/gettext
	$(SPHINXBUILD) -q -b gettext -c slides -d $(BUILDDIR)/.slides-gettext-doctrees . $(BUILDDIR)/gettext $(DECKS)
	rm -f $(BUILDDIR)/gettext/sphinx.pot
	$(BIN)/sphinx-intl update -p $(BUILDDIR)/gettext -l zh_CN -w 0

test: setup  ## run every test: strict builds, snippets, browser (Chromium) and leak checks
	$(BIN)/python -m pytest

# A course (issue #32): one course file (courses/*.toml, scripts/course.py) gives the course's Assignments page in both
# editions, its handouts and session sheets, a calendar (.ics), its LMS exports and a student zip. The editions of the
# course's language are built first (the script names them: html instructor, or html-zh instructor-zh).
course: setup  ## build a course from its file into _build/courses/<name>: make course COURSE=courses/<name>.toml
	@test -n "$(COURSE)" || { echo "make course needs COURSE=courses/<name>.toml (examples in courses/)"; exit 2; }
	editions=$$($(BIN)/python scripts/course.py --needs $(COURSE)) && $(MAKE) $$editions
	$(BIN)/python scripts/course.py $(COURSE) $(BUILDDIR) --paper $(PAPER)

slides: setup  ## build the projector decks (reveal.js, offline) into _build/slides; open _build/slides/index.html
	$(SPHINXBUILD) $(STRICT) -b revealjs -c slides -d $(BUILDDIR)/.slides-doctrees . $(BUILDDIR)/slides $(DECKS)

# The same decks from the Chinese pages; their own text from locale/zh_CN/LC_MESSAGES/slides/<deck>.po.
slides-zh: setup  ## build the projector decks in Chinese into _build/slides-zh; open _build/slides-zh/index.html
	$(SPHINXBUILD) $(STRICT) -D language=zh_CN -b revealjs -c slides -d $(BUILDDIR)/.slides-zh-doctrees . $(BUILDDIR)/slides-zh $(DECKS)

validate: html instructor html-zh instructor-zh  ## check every page of all four editions with the Nu HTML Checker (Java; in make test)
	$(BIN)/python scripts/validate.py $(BUILDDIR)/html $(BUILDDIR)/instructor $(BUILDDIR)/html-zh $(BUILDDIR)/instructor-zh

livehtml: setup  ## rebuild and reload the student edition on every save (sphinx-autobuild, loopback only)
	$(BIN)/sphinx-autobuild --host 127.0.0.1 --port $(PORT) $(STRICT) . $(BUILDDIR)/html --ignore $(BUILDDIR)

serve: html  ## serve the student edition on http://127.0.0.1:$(PORT)/ (loopback only)
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(BUILDDIR)/html $(PORT)

linkcheck: setup  ## check every external URL in the bibliography (needs the network; not part of `make test`)
	$(SPHINXBUILD) -b linkcheck . $(BUILDDIR)/linkcheck

snippets: setup  ## run every code example shown on the pages (Sybil), as `make test` does
	$(BIN)/python -m pytest -q docs cases exercises

zip: html html-zh snippets  ## pack both student editions into dist/whose-face-<version>-student[-zh].zip (if the examples pass)
	$(BIN)/python scripts/zip.py $(BUILDDIR)/html dist
	$(BIN)/python scripts/zip.py $(BUILDDIR)/html-zh dist

lms: setup  ## the reading quiz (English, Chinese) for Canvas (QTI) and Moodle (XML) into dist/ (instructors only)
	$(BIN)/python scripts/lms.py dist

bench: setup  ## measure build times, page weights, diagram drawing and test time (reports, never fails)
	$(BIN)/python scripts/bench.py

clean:  ## remove build output (keeps .venv and node_modules)
	rm -rf $(BUILDDIR)

strict-flags:
	@echo $(STRICT)
