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
# Each build keeps its environment outside its output, so _build/html holds only the site (`make serve`): in
# _build/.doctrees/<edition>/doctrees, one folder per edition because the plot directive works beside it
# (plot_directive/) and reuses a figure it finds there, which must be drawn in the edition's language.
DOCTREES    = -d $(BUILDDIR)/.doctrees/$(1)/doctrees
# The languages the module is translated into: one folder of catalogues each under locale/, and one line each
# below ("Translated editions") that makes their targets (TRANSLATING.md, "Adding a language").
LANGUAGES   :=
# DRAFT=1 builds a translated edition with English where a translation is missing, marked (never for publishing).
export DRAFT

.DEFAULT_GOAL := help
.PHONY: help setup html instructor editions html-qps site gettext check test validate snippets livehtml serve linkcheck zip handouts lms course slides bench clean strict-flags

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'
	@for edition in $(foreach h,$(TRANSLATED_HELP),'$(h)'); do printf "  make %-14s %s\n" "$${edition%%=*}" "$$(echo $${edition#*=} | tr '~' ' ')"; done

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
	$(SPHINXBUILD) $(STRICT) -b html $(call DOCTREES,html) . $(BUILDDIR)/html

instructor: setup  ## build the instructor edition into _build/instructor (never publish it)
	$(SPHINXBUILD) $(STRICT) -t instructor -b html $(call DOCTREES,instructor) . $(BUILDDIR)/instructor

# Both English editions at once: each build is one busy core for most of its time, so on two cores the pair takes
# about as long as the instructor edition alone (`make bench` times it against ../shared/budgets.md). Each build's
# messages are printed together when it ends (--output-sync), and either failing fails the target.
editions: setup  ## build the student and instructor editions side by side (html, instructor), one core each
	$(MAKE) --no-print-directory -j2 --output-sync=target html instructor

# -- Translated editions -------------------------------------------------------------------------------------------
# One line per language: $(eval $(call TRANSLATED,<code>,<short name>,<its name in English>)) adds the language to
# LANGUAGES (`make gettext` keeps its catalogues, locale/<code>/) and makes its targets, built from the same source
# with its catalogues: html-<short> (the student edition; it links _build/en and _build/<short>, the folder names the
# language switcher expects, conf.py "Languages"), instructor-<short> (never publish it), slides-<short> (the decks;
# their own text from locale/<code>/LC_MESSAGES/slides/<deck>.po) and handouts-<short> (the classroom pack, PDFs).
# Each build names, with file and line, every message its catalogues lack or mark fuzzy (_ext/i18n/catalogue_check.py):
# an error, so a forgotten translation cannot ship; `DRAFT=1 make html-<short>` shows English there instead, marked,
# for a preview. `make help` lists them (TRANSLATED_HELP).
define TRANSLATED
LANGUAGES += $(1)
TRANSLATED_HELP += html-$(2)=the~$(3)~student~edition~into~$(BUILDDIR)/html-$(2);~DRAFT=1:~a~marked~preview  \
  instructor-$(2)=the~$(3)~instructor~edition~into~$(BUILDDIR)/instructor-$(2)~(never~publish~it)  \
  slides-$(2)=the~projector~decks~in~$(3)~into~$(BUILDDIR)/slides-$(2)  \
  handouts-$(2)=print~the~$(3)~classroom~pack~(PDFs)~into~$(BUILDDIR)/handouts-$(2);~PAPER=letter~too
.PHONY: html-$(2) instructor-$(2) slides-$(2) handouts-$(2)
html-$(2): setup
	$(SPHINXBUILD) $(STRICT) -D language=$(1) -b html $(call DOCTREES,html-$(2)) . $(BUILDDIR)/html-$(2)
	ln -sfn html $(BUILDDIR)/en
	ln -sfn html-$(2) $(BUILDDIR)/$(2)
instructor-$(2): setup
	$(SPHINXBUILD) $(STRICT) -D language=$(1) -t instructor -b html $(call DOCTREES,instructor-$(2)) . $(BUILDDIR)/instructor-$(2)
slides-$(2): setup
	$(SPHINXBUILD) $(STRICT) -D language=$(1) -b revealjs -c slides -d $(BUILDDIR)/.slides-$(2)-doctrees . $(BUILDDIR)/slides-$(2) $(DECKS)
handouts-$(2): html-$(2) instructor-$(2)
	rm -rf $(BUILDDIR)/handouts-$(2)
	$(BIN)/python scripts/handouts.py $(BUILDDIR)/html-$(2) $(BUILDDIR)/instructor-$(2) $(BUILDDIR)/handouts-$(2) --paper $(PAPER)
endef

$(eval $(call TRANSLATED,zh_CN,zh,Chinese))

# The pseudo-locale qps (issue #30, _ext/i18n/pseudo.py): the catalogues of every domain with each message wrapped,
# "[!! Key points !!]", generated into _build/pseudo-locale (never committed) and linked as locale/qps, a language's
# folder like any other, for this build only. The student edition in it then shows every translatable text between
# markers, and `scripts/translations.py english` names any English left outside them, with its nearest source
# (tests/test_pseudo_locale.py does the same in make test). Strict, like every build.
html-qps: setup  ## the student edition in the pseudo-locale (every translated text [!! marked !!]) into _build/html-qps; names English left
	$(BIN)/python scripts/translations.py pseudo $(BUILDDIR)/pseudo-locale
	ln -sfn ../$(BUILDDIR)/pseudo-locale/qps locale/qps
	$(SPHINXBUILD) $(STRICT) -D language=qps -b html $(call DOCTREES,html-qps) . $(BUILDDIR)/html-qps; \
	  status=$$?; rm -f locale/qps; exit $$status
	$(BIN)/python scripts/translations.py english $(BUILDDIR)/html-qps

handouts: html instructor  ## print the classroom pack (PDFs) into _build/handouts; PAPER=letter for US Letter
	rm -rf $(BUILDDIR)/handouts
	$(BIN)/python scripts/handouts.py $(BUILDDIR)/html $(BUILDDIR)/instructor $(BUILDDIR)/handouts --paper $(PAPER)

# For hosting: the two student editions side by side, as the language switcher expects (en/ and zh/), with a root
# page that leads to en/. SITE_URL (the address of the root, ending in /) gives each edition its own address.
SITE_URL_EN = $(if $(SITE_URL),$(SITE_URL)en/)
SITE_URL_ZH = $(if $(SITE_URL),$(SITE_URL)zh/)
site: setup  ## both student editions side by side for hosting: _build/site/en, _build/site/zh (SITE_URL: the root)
	rm -rf $(BUILDDIR)/site $(BUILDDIR)/.doctrees/site-en $(BUILDDIR)/.doctrees/site-zh
	SITE_URL=$(SITE_URL_EN) $(SPHINXBUILD) $(STRICT) -b html $(call DOCTREES,site-en) . $(BUILDDIR)/site/en
	SITE_URL=$(SITE_URL_ZH) $(SPHINXBUILD) $(STRICT) -D language=zh_CN -b html $(call DOCTREES,site-zh) . $(BUILDDIR)/site/zh
	$(BIN)/python scripts/site_root.py $(BUILDDIR)/site $(SITE_URL)

# `make gettext` extracts every English message into _build/gettext/*.pot, then merges them into each language's
# catalogues (scripts/translations.py): a catalogue is written only when its messages changed, and the command ends
# with the list of messages to translate, file and line (TRANSLATING.md). The templates:
# - the site run (-t instructor: every page) writes one .pot per page, whose-face.pot (what the code writes,
#   _ext/i18n/translations.py) and bib-notes.pot (the notes of bib/*.bib, _ext/i18n/bib_zh.py);
# - the second run extracts the decks' own text (titles, questions) into slides/<deck>.pot (_ext/teaching/slides.py);
# - facelab.pot: the labels facelab draws (diagrams, figures), from facelab/ itself;
# - the theme's catalogue (sphinx.pot) is left out: locale/zh_CN/LC_MESSAGES/sphinx.po holds furo's messages, which
#   Sphinx does not extract; tests/test_zh_theme.py reads furo's templates and names any message missing from it.
gettext: setup  ## extract the English messages into locale/<lang>/ and list every message to translate (file:line)
	$(SPHINXBUILD) -q -t instructor -b gettext $(call DOCTREES,gettext) . $(BUILDDIR)/gettext
	$(SPHINXBUILD) -q -b gettext -c slides -d $(BUILDDIR)/.slides-gettext-doctrees . $(BUILDDIR)/gettext $(DECKS)
	rm -f $(BUILDDIR)/gettext/sphinx.pot
	$(BIN)/python scripts/translations.py facelab-pot $(BUILDDIR)/gettext
	for lang in $(LANGUAGES); do $(BIN)/python scripts/translations.py update $(BUILDDIR)/gettext $$lang || exit 1; done

check: setup  ## after an edit: strict builds of what it touches, its examples, translations, source checks, leak test (~1 min; first run ~5)
	$(BIN)/python scripts/check.py $(BASE)

test: setup  ## run every test: strict builds, snippets, browser (Chromium) and leak checks
	$(BIN)/python -m pytest

# A course (issue #32): one course file (courses/*.toml, scripts/course.py) gives the course's Assignments page in both
# editions, its handouts and session sheets, a calendar (.ics), its LMS exports and a student zip. The editions of the
# course's language are built first (the script names them: html instructor, or html-zh instructor-zh).
course: setup  ## build a course from its file into _build/courses/<name>: make course COURSE=courses/<name>.toml
	@test -n "$(COURSE)" || { echo "make course needs COURSE=courses/<name>.toml (examples in courses/)"; exit 2; }
	$(MAKE) $$($(BIN)/python scripts/course.py --needs $(COURSE))
	$(BIN)/python scripts/course.py $(COURSE) $(BUILDDIR) --paper $(PAPER)

slides: setup  ## build the projector decks (reveal.js, offline) into _build/slides; open _build/slides/index.html
	$(SPHINXBUILD) $(STRICT) -b revealjs -c slides -d $(BUILDDIR)/.slides-doctrees . $(BUILDDIR)/slides $(DECKS)


validate: html instructor html-zh instructor-zh  ## check every page of all four editions with the Nu HTML Checker (Java; in make test)
	$(BIN)/python scripts/validate.py $(BUILDDIR)/html $(BUILDDIR)/instructor $(BUILDDIR)/html-zh $(BUILDDIR)/instructor-zh

livehtml: setup  ## rebuild and reload the student edition on every save (sphinx-autobuild, loopback only)
	$(BIN)/sphinx-autobuild --host 127.0.0.1 --port $(PORT) $(STRICT) $(call DOCTREES,html) . $(BUILDDIR)/html --ignore $(BUILDDIR)

serve: html  ## serve the student edition on http://127.0.0.1:$(PORT)/ (loopback only)
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(BUILDDIR)/html $(PORT)

linkcheck: setup  ## check every external URL in the bibliography (needs the network; not part of `make test`)
	$(SPHINXBUILD) -b linkcheck . $(BUILDDIR)/linkcheck

snippets: setup  ## run every code example shown on the pages (Sybil), as `make test` does
	$(BIN)/python -m pytest -q docs cases exercises

# What is packed or published is built from scratch (issue #33): an incremental Sphinx build is not a full one (Sphinx
# 9.0.4 drops the index entries of pages it does not rewrite from searchindex.js; tests/test_incremental.py keeps the
# reproduction), so `zip` builds both editions into fresh folders of its own, each with its doctrees inside (Sphinx's
# default), and `site` empties _build/site first. _build/html and _build/html-zh stay incremental, for reading.
zip: setup snippets  ## pack both student editions, built from scratch, into dist/whose-face-<version>-student[-zh].zip (if the examples pass)
	rm -rf $(BUILDDIR)/zip $(BUILDDIR)/.doctrees/zip-en $(BUILDDIR)/.doctrees/zip-zh
	$(SPHINXBUILD) $(STRICT) -b html $(call DOCTREES,zip-en) . $(BUILDDIR)/zip/en
	$(SPHINXBUILD) $(STRICT) -D language=zh_CN -b html $(call DOCTREES,zip-zh) . $(BUILDDIR)/zip/zh
	$(BIN)/python scripts/zip.py $(BUILDDIR)/zip/en dist
	$(BIN)/python scripts/zip.py $(BUILDDIR)/zip/zh dist

lms: setup  ## the reading quiz (English, Chinese) for Canvas (QTI) and Moodle (XML) into dist/instructor/ (instructors only)
	$(BIN)/python scripts/lms.py dist

bench: setup  ## measure build times, page weights, diagram drawing and test time (reports, never fails)
	$(BIN)/python scripts/bench.py

clean:  ## remove build output (keeps .venv and node_modules)
	rm -rf $(BUILDDIR)

strict-flags:
	@echo $(STRICT)
