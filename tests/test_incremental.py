"""What is packed or published equals a build from scratch, whatever was built before (issue #33).

Sphinx 9.0.4's incremental build is not a full one: it drops from searchindex.js the index entries of every page it
does not rewrite (a glossary's terms, for one). ``IndexBuilder`` keeps them in the environment, but the environment is
saved before the pages are written (which is when the index is fed), and ``IndexBuilder.load`` reads back the
previous searchindex.js's words and titles but not its ``indexentries``. So after any edit, the index entries of the
pages not rewritten are gone: the Chinese search index had 118 in a zip and 0 after a later rebuild.

The project does not patch Sphinx: `make zip` builds both editions into fresh folders of its own, and `make site`
empties its folder first (Makefile). The tests here:

- ``test_sphinx_keeps_index_entries_across_an_incremental_build``: the minimal reproduction, with Sphinx alone on a
  three-page project, ready to send upstream. It is marked xfail(strict): the day Sphinx keeps the entries it passes,
  the run fails, and this note and the fresh builds can be reconsidered.
- ``test_packing_and_publishing_build_from_scratch``: the recipes of `make zip` and `make site` remove every folder
  they build into (output and doctrees) before building.
- ``test_a_page_edit_then_the_publish_build_equals_a_clean_build``: on the module itself (the Chinese edition, three
  pages: the landing page, the glossary and an edited page), an incremental build after an edit loses the glossary's
  index entries, while a build into a fresh folder, as `make zip` makes it, equals a clean build file for file.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from search_check import read_search_index
from site_tools import ROOT, copy_source, pages_only

REPRODUCTION = {
    "conf.py": 'project = "repro"\n',
    "index.rst": "Home\n====\n\n.. toctree::\n\n   glossary\n   other\n",
    "glossary.rst": "Glossary\n========\n\n.. glossary::\n\n   biometric data\n      Data about a body.\n",
    "other.rst": "Other\n=====\n\nSome text.\n",
}


def sphinx(src: Path, out: Path, *extra: str) -> None:
    """A quiet HTML build (not strict: a restricted build warns about the pages it leaves out)."""
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", *extra, str(src), str(out)], cwd=src,
                   check=False, capture_output=True, text=True)
    assert (out / "searchindex.js").is_file(), f"the build into {out} wrote no search index"


def output_files(out: Path) -> dict[str, bytes]:
    """Every file a reader gets: all but Sphinx's build cache (.doctrees, .buildinfo)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".doctrees" not in p.parts and p.name != ".buildinfo"}


def differences(a: Path, b: Path) -> list[str]:
    files_a, files_b = output_files(a), output_files(b)
    return ([f"only in {a.name}: {n}" for n in sorted(files_a.keys() - files_b.keys())]
            + [f"only in {b.name}: {n}" for n in sorted(files_b.keys() - files_a.keys())]
            + [f"differs: {n}" for n in sorted(files_a.keys() & files_b.keys()) if files_a[n] != files_b[n]])


@pytest.mark.xfail(strict=True, reason="Sphinx 9.0.4 drops the index entries of pages an incremental build does not "
                                       "rewrite (see the module's docstring); make zip and make site build from scratch")
def test_sphinx_keeps_index_entries_across_an_incremental_build(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name, text in REPRODUCTION.items():
        (src / name).write_text(text, encoding="utf-8")
    sphinx(src, tmp_path / "incremental")
    assert read_search_index(tmp_path / "incremental")["indexentries"], "the glossary gave no index entry at all"
    (src / "other.rst").write_text("Other\n=====\n\nSome other text.\n", encoding="utf-8")
    sphinx(src, tmp_path / "incremental")  # rewrites other.html only
    sphinx(src, tmp_path / "clean")
    assert read_search_index(tmp_path / "incremental")["indexentries"] == \
        read_search_index(tmp_path / "clean")["indexentries"]


def recipe(target: str, builddir: str = "/tmp/B") -> list[list[str]]:
    """The commands `make <target>` runs (set-up taken as done), split into words."""
    dry_run = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "-n", "-o", ".venv/.installed", "-o", "node_modules/.installed",
         "-o", "snippets", target, f"BUILDDIR={builddir}"], capture_output=True, text=True, check=True).stdout
    return [shlex.split(line) for line in dry_run.splitlines() if line.strip()]


def fresh_build_problems(commands: list[list[str]]) -> list[str]:
    """Each sphinx-build must write (pages and doctrees) only into a folder that an earlier `rm -rf` removed."""
    removed, problems, builds = [], [], 0
    for words in commands:
        while words and re.match(r"^[A-Z_]+=", words[0]):  # an environment setting before the command
            words = words[1:]
        if words[:2] == ["rm", "-rf"]:
            removed += [w.rstrip("/") for w in words[2:]]
        elif words and words[0].endswith("sphinx-build"):
            builds += 1
            out = words[-1]
            doctrees = words[words.index("-d") + 1] if "-d" in words else f"{out}/.doctrees"  # Sphinx's default
            for folder in (out, doctrees):
                if not any(folder == r or folder.startswith(r + "/") for r in removed):
                    problems.append(f"{' '.join(words)}: {folder} is not emptied first")
    return problems if builds else ["no sphinx-build in the recipe"]


@pytest.mark.parametrize("target", ["zip", "site"])
def test_packing_and_publishing_build_from_scratch(target):
    commands = recipe(target)
    assert not fresh_build_problems(commands), fresh_build_problems(commands)
    if target == "zip":  # and packs what it built, both languages
        packed = [w[-2] for w in commands if any(x.endswith("scripts/zip.py") for x in w)]
        built = [w[-1] for w in commands if w and w[0].endswith("sphinx-build")]
        assert packed == built and len(built) == 2, (packed, built)


def test_the_fresh_build_check_names_an_incremental_recipe():
    """Fault: `make zip` as it was (pack _build/html, built incrementally by `make html`) is caught."""
    commands = [["rm", "-rf", "/tmp/B/site"], [".venv/bin/sphinx-build", "-b", "html", ".", "/tmp/B/html"]]
    assert fresh_build_problems(commands) == [
        ".venv/bin/sphinx-build -b html . /tmp/B/html: /tmp/B/html is not emptied first",
        ".venv/bin/sphinx-build -b html . /tmp/B/html: /tmp/B/html/.doctrees is not emptied first"]


def test_a_page_edit_then_the_publish_build_equals_a_clean_build(tmp_path):
    src = copy_source(tmp_path / "src")
    chinese = ("-D", "language=zh_CN", *pages_only("docs/glossary.md", "docs/how-to-use.md"))
    edited = src / "docs" / "how-to-use.md"
    sphinx(src, tmp_path / "incremental", *chinese)
    before = read_search_index(tmp_path / "incremental")["indexentries"]
    assert before, "the glossary gave the Chinese index no entry: the comparison would prove nothing"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more sentence, added by a test.\n", encoding="utf-8")
    sphinx(src, tmp_path / "incremental", *chinese)  # as `make html-zh` after an edit
    sphinx(src, tmp_path / "fresh", *chinese)  # as `make zip` now builds: a folder of its own, emptied first
    sphinx(src, tmp_path / "clean", *chinese)
    after = read_search_index(tmp_path / "incremental")["indexentries"]
    # The hazard is real in this module (Sphinx's behaviour, above) ...
    assert after != before, "the incremental build kept the index entries: Sphinx may be fixed (see the xfail test)"
    # ... and the way `make zip` builds avoids it: search index and every other file as a clean build's.
    assert read_search_index(tmp_path / "fresh") == read_search_index(tmp_path / "clean")
    assert not differences(tmp_path / "fresh", tmp_path / "clean"), differences(tmp_path / "fresh", tmp_path / "clean")
    assert re.search(r"One more sentence", (tmp_path / "fresh" / "docs" / "how-to-use.html").read_text("utf-8"))
