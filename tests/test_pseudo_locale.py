"""The proof that every visible string is translatable (issue #30): the module built in a pseudo-locale.

The pseudo-locale ``qps`` wraps every message of every catalogue (pages, whose-face, facelab, the quiz, the law
register, bibliography notes, decks, the theme) in ``[!! … !!]`` (_ext/i18n/pseudo.py). In a throw-away copy of the sources its catalogues are
written to locale/qps/, as a new language's would be, and two strict builds run side by side, the only ones this file
makes: the student edition (with its diagrams, the figures' descriptions, the quiz page and the pages the handouts
are printed from) and the decks. Then:

- both builds pass the strict flags: a third language with complete catalogues builds (the catalogue check of
  every domain included);
- no page of either shows a run of three or more English words outside the markers, code and the exceptions of
  ``pseudo.EXCEPTIONS`` (each with its reason). Each run is
  named with its page, the nearest element id and the nearest source file and line;
- every exception still sets some English aside (an unused one is named, to be removed);
- the bibliography's notes come from their catalogue (the entries around them are set aside as names and titles);
- the text the handouts add to the pages (scripts/handouts.py's messages) comes from the catalogue too;
- the fault test: a label written into an extension without its translation call is named with file and line;
- and, for any real language: Sphinx's translations.js is made CSP-safe whatever its plural rule.

Time: the two builds are about 30 CPU-s (2026-12-07, two cores under load: 15 s each), the scan 3 s, the fault
build 4 s; the builds cannot share doctrees with the English or Chinese ones (a doctree is translated when read).

What it does not build: the instructor editions (their extra text is in the same catalogues, and the strict Chinese
instructor build names any message missing there) and the handouts' PDFs (their text is the student pages' and the
messages checked here).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import once
from site_tools import ROOT, Build, copy_source, pages_only, sphinx_build, sphinx_builds, strict_flags

sys.path.insert(0, str(ROOT / "_ext"))
from i18n import pseudo  # noqa: E402

LANG = ("-D", f"language={pseudo.LANGUAGE}")


def pseudo_tree(dest: Path) -> Path:
    """A copy of the sources with the pseudo-locale's catalogues in locale/qps/."""
    src = copy_source(dest)
    pseudo.write_catalogues(src / "locale", root=src)
    pseudo.compile_catalogues(src / "locale" / pseudo.LANGUAGE)  # once, before the side-by-side builds (see there)
    return src


def deck_command(src: Path, out: Path) -> list[str]:
    """The Makefile's `slides` command, in the pseudo-locale."""
    decks = sorted(p.relative_to(src).as_posix() for p in (src / "slides").glob("*.md"))
    return [sys.executable, "-m", "sphinx", *strict_flags(), *LANG, "-b", "revealjs", "-c", "slides", "-d",
            str(out / "doctrees"), str(src), str(out), *decks]


@pytest.fixture(scope="session")
def pseudo_builds(tmp_path_factory) -> dict[str, Build]:
    """{"site": the student edition, "decks": the decks}, both in the pseudo-locale, built side by side once."""

    def make(folder: Path) -> dict:
        src = pseudo_tree(folder / "src")
        with open(folder / "decks.log", "w+", encoding="utf-8") as log:  # a file: a full pipe would stall the build
            decks = subprocess.Popen(deck_command(src, folder / "decks"), cwd=src, stdout=log, stderr=subprocess.STDOUT)
            site = sphinx_builds(src, {folder / "site": (*LANG, "-d", str(folder / "site-doctrees"))})[folder / "site"]
            decks.wait()
        return {"site": [str(site.outdir), site.returncode, site.log, site.seconds],
                "decks": [str(folder / "decks"), decks.returncode, (folder / "decks.log").read_text("utf-8"), 0.0]}

    return {name: Build(Path(out), code, log, seconds)
            for name, (out, code, log, seconds) in once(tmp_path_factory, "pseudo-locale", make).items()}


@pytest.mark.parametrize("name", ["site", "decks"])
def test_pseudo_locale_builds_strictly(pseudo_builds, name):
    build = pseudo_builds[name]
    assert build.returncode == 0 and not build.warnings, (
        f"the {name} in the pseudo-locale fails the strict build (`make html-qps` shows the same):\n"
        + "\n".join((build.warnings or build.log.splitlines())[-15:]))


@pytest.fixture(scope="session")
def scanned(pseudo_builds) -> tuple[list[str], set[int]]:
    problems, used = [], set()
    for name in ("site", "decks"):
        found, page_used = pseudo.site_problems(pseudo_builds[name].outdir)
        problems += [f"{name}: {p}" for p in found]
        used |= page_used
    return problems, used


def test_no_english_outside_the_markers(scanned):
    """Every run of three or more English words a reader sees went through a catalogue."""
    problems, _ = scanned
    assert not problems, (
        f"{len(problems)} English runs outside the pseudo-locale's markers: each reached the page without a "
        "catalogue, so a translated edition shows it in English too. Send it through gettext (TRANSLATING.md), or, "
        "if it is a name or a quotation, add an exception with its reason to EXCEPTIONS in _ext/i18n/pseudo.py:\n"
        + "\n".join(problems[:40]))


def test_every_exception_is_still_needed(scanned):
    _, used = scanned
    unused = [e.why for index, e in enumerate(pseudo.EXCEPTIONS) if index not in used]
    assert not unused, ("exceptions of _ext/i18n/pseudo.py that no page needs any more (remove them):\n"
                        + "\n".join(f"  {why}" for why in unused))


def test_bibliography_notes_come_from_the_catalogue(pseudo_builds):
    """The entries are set aside as names and titles (pseudo.EXCEPTIONS), so their notes are checked here: none shows
    in English on the bibliography page."""
    from bs4 import BeautifulSoup

    page = Path(pseudo_builds["site"].outdir) / "docs" / "bibliography.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    text = " ".join(line for line, _ in pseudo.outside_markers(pseudo._text_stream(soup, set())))
    english = [note for note in pseudo.bib_notes() if note[:60] in text]
    assert not english, f"{len(english)} bibliography notes in English on {page.name} (_ext/i18n/bib_zh.py): {english[:3]}"


def test_handouts_add_only_translated_text(pseudo_builds):
    """The text scripts/handouts.py adds to the pages (headers, ledger columns, notes label) in the pseudo-locale."""
    src = Path(pseudo_builds["site"].outdir).parent / "src"
    code = ("import sys; sys.path.insert(0, 'scripts'); import handouts; tr = handouts.translator(sys.argv[1]); "
            "print('\\n'.join(tr(m) for m in handouts.MESSAGES))")
    proc = subprocess.run([sys.executable, "-c", code, pseudo.LANGUAGE], cwd=src, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    html = "".join(f"<p>{line}</p>" for line in proc.stdout.splitlines())
    runs, _ = pseudo.english_runs(html)
    assert not runs, f"scripts/handouts.py adds English a translated pack would print: {runs}"


def test_an_untranslatable_label_in_code_is_named_with_file_and_line(tmp_path):
    """Fault: an extension gives a box a new title without tr() (a developer forgot it). No catalogue lacks a
    message, so the strict builds pass; the pseudo-locale shows the title unmarked and names the line that writes
    it. (The old title would not do: the gettext build also extracted it into the page's catalogue.)"""
    src = pseudo_tree(tmp_path / "src")
    ext = src / "_ext" / "teaching" / "page_parts.py"
    text = ext.read_text(encoding="utf-8")
    call, label = 'tr("You will learn", where)', "Before you start reading"
    assert text.count(call) == 1, f"the fault's line moved: {call} in {ext}"
    ext.write_text(text.replace(call, repr(label)), encoding="utf-8")
    line = next(n for n, ln in enumerate(ext.read_text(encoding="utf-8").splitlines(), 1) if repr(label) in ln)
    page = "cases/masked-photos/reported"
    sphinx_build(src, tmp_path / "out", *LANG, *pages_only(f"{page}.md"))  # restricted: its return code says nothing
    runs, _ = pseudo.english_runs((tmp_path / "out" / f"{page}.html").read_text(encoding="utf-8"), pseudo.EXCEPTIONS,
                                  root=src)
    named = [f"{run} -> {pseudo.source_of(run, src)}" for run, _ in runs]
    assert f"{label} -> _ext/teaching/page_parts.py:{line}" in named, named


@pytest.mark.parametrize("language, counts", [("ru", {1: 0, 3: 1, 5: 2, 21: 0}), ("fr", {0: 0, 1: 0, 2: 2, 1000000: 1}),
                                               ("zh_CN", {1: 0, 7: 0})])
def test_a_language_with_plural_forms_gets_csp_safe_translations(tmp_path, language, counts):
    """Adding a language is one Makefile line: Sphinx's translations.js of a language with several plural forms is
    rewritten without eval too (its rule written as code), and the rule gives the plural form Sphinx's would."""
    import shutil
    from types import SimpleNamespace

    import sphinx
    from i18n.translations import csp_safe_translations_js

    js = tmp_path / "_static" / "translations.js"
    js.parent.mkdir()
    shutil.copy(Path(sphinx.__file__).parent / "locale" / language / "LC_MESSAGES" / "sphinx.js", js)
    csp_safe_translations_js(SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html")), None)
    text = js.read_text(encoding="utf-8")
    assert "addTranslations(" not in text and "new Function" not in text, text[:300]
    script = ("const Documentation = {TRANSLATIONS: {}};\n" + text +
              f"\nconsole.log(JSON.stringify({list(counts)}.map(n => Documentation.PLURAL_EXPR(n))));")
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == list(counts.values()), (language, out)
