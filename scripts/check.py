"""`make check`: what an author needs after an edit, in about a minute, every problem named with file and line.

    python scripts/check.py [BASE]     # BASE: a commit or branch to compare with (default: the last commit)

1. The editions the change touches, built strictly and incrementally by the Makefile's own targets (two at a time):
   English student and instructor always (the leak test reads both); the Chinese editions too unless only tests,
   scripts or the repository's own documents (README, CONTRIBUTING, TRANSLATING) changed. The Chinese builds name
   every message whose translation is missing or fuzzy (_ext/i18n/catalogue_check.py): a forgotten translation stops here.
2. The code examples of the changed pages (Sybil, as `make snippets` runs all of them); docs/lab/ too when facelab/
   changed.
3. facelab's labels against their catalogues (scripts/translations.py check).
4. The source checks that need no build (a few seconds): the Chinese spacing rule and terminology table, no language
   typed in code, and the content rules (every exercise names a lens and an objection, rubrics add up, one definition
   of each evidence label, the two sellers kept apart, every exercise scheduled).
5. The leak test (tests/test_editions.py) on the editions just built: no instructor material in the student edition.

It prints only the problems and a one-line summary per step. `make test` (the whole suite, several minutes) is still
the check before a pull request.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
PROBLEM = re.compile(r"WARNING|ERROR|Error|error:|Traceback|FAILED|^E ")
NO_EDITION = ("tests/", "scripts/", "README.md", "CONTRIBUTING.md", "TRANSLATING.md", ".github/", ".ci/")
PAGES = ("docs/", "cases/", "exercises/")
SOURCE_TESTS = ("tests/test_zh_spacing.py", "tests/test_zh_terminology.py", "tests/test_no_string_tables.py",
                "tests/test_content.py")


def git(*args: str) -> list[str]:
    out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line]


def changed(base: str) -> list[str]:
    """The files changed since ``base``: committed since, staged, unstaged and new ones."""
    committed = git("diff", "--name-only", f"{base}...HEAD") if base != "HEAD" else []
    return sorted({*committed, *git("diff", "--name-only", "HEAD"), *git("ls-files", "--others", "--exclude-standard")})


def step(name: str, cmd: list[str], env: dict | None = None, fine=(0,)) -> bool:
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    problems = [line for line in (out.stdout + out.stderr).splitlines() if PROBLEM.search(line)]
    ok = out.returncode in fine
    if not ok and not problems:
        problems = (out.stdout + out.stderr).strip().splitlines()[-15:]
    print(f"{'ok  ' if ok else 'FAIL'} {name} ({time.perf_counter() - start:.0f} s)")
    for line in dict.fromkeys(problems):  # each once, in order
        print(f"     {line}")
    return ok


def main(argv: list[str]) -> int:
    base = argv[0] if argv else "HEAD"
    files = changed(base)
    print(f"make check: {len(files)} changed file(s) since {base}")
    targets = ["html", "instructor"]
    if not files or any(not f.startswith(NO_EDITION) for f in files):
        targets += ["html-zh", "instructor-zh"]
    results = [step(f"strict builds: {', '.join(targets)}", ["make", "-j2", "--no-print-directory", *targets])]
    pages = [f for f in files if f.startswith(PAGES) and f.endswith(".md") and (ROOT / f).is_file()]
    if any(f.startswith("facelab/") for f in files):
        pages += sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs" / "lab").glob("*.md"))
    if pages:
        pages = sorted(set(pages))
        results.append(step(f"examples of {len(pages)} page(s)", [PY, "-m", "pytest", "-q", "-p", "no:randomly",
                                                                   "-n", "0", *pages], fine=(0, 5)))  # 5: no example
    results.append(step("facelab's labels translated", [PY, "scripts/translations.py", "check"]))
    results.append(step("source checks (spacing, terminology, no strings in code, content rules)",
                        [PY, "-m", "pytest", "-q", "-p", "no:randomly", "-n", "0", *SOURCE_TESTS,
                         "-k", "not case_pages_link"]))  # that one reads the built student edition
    results.append(step("leak test (student edition holds no instructor material)",
                        [PY, "-m", "pytest", "-q", "-p", "no:randomly", "-n", "0", "tests/test_editions.py",
                         "-k", "no_instructor_paragraph_in_any_student_file or student_search_index or solution_label"],
                        env={"WHOSE_FACE_BUILT": str(ROOT / "_build")}))
    print("make check: " + ("all clear; run `make test` before a pull request" if all(results) else "problems above"))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
