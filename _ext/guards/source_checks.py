"""Check the sources before Sphinx reads them, and stop with one line that names file and line (issue #20).

Without this step, a BibTeX syntax error ends in a traceback from sphinxcontrib-bibtex ("please open an issue"), a
stray non-UTF-8 byte in a page in "Encoding error ... position 406", and an entry without a title silently prints
no title. Here, before any of that:

- every page (``*.md`` in the source folder, outside the excluded folders) must be UTF-8; the error gives
  ``path:line:column: not UTF-8 (byte 0xff)``;
- every ``bib/*.bib`` file must parse; the error gives ``bib/case2.bib:30: syntax error: '}' expected``;
- no key may appear twice, in one file or across files (both places are named);
- every entry has what CONTRIBUTING.md requires: a title, an author (a person or an organisation), a year or date,
  and a URL or a venue (DOI, journal, book title, publisher, ``howpublished``, institution or ISBN).

Each problem is one line; all are reported, then the build stops with exit status 2 and no traceback.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from pathlib import Path

from sphinx.application import Sphinx

VENUE = {"url", "doi", "journal", "booktitle", "publisher", "howpublished", "institution", "isbn"}
ENTRY = re.compile(r"^[ \t]*@(\w+)\s*\{\s*([^,\s]+)\s*,", re.M)




def rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def utf8_problems(path: Path, root: Path) -> list[str]:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        return []
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        return [f"{rel(path, root)}:{line}:{column}: not UTF-8 (byte 0x{data[err.start]:02x})"]


def excluded(name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(name, pattern) or name.startswith(pattern.rstrip("*") + "/")
               or fnmatch.fnmatch(name.split("/")[0], pattern) for pattern in patterns)


def pages(root: Path, patterns: list[str]) -> list[Path]:
    """Every *.md page Sphinx will read. Excluded folders are pruned, not walked: node_modules and .venv hold
    thousands of files, and walking them cost a third of a second on every build, incremental ones included."""
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(".") and not excluded(str((here / d).relative_to(root)), patterns)]
        found += [here / f for f in files if f.endswith(".md") and not excluded(str((here / f).relative_to(root)), patterns)]
    return found


def bib_problems(files: list[Path], root: Path) -> list[str]:
    from pybtex.database.input import bibtex
    from pybtex.exceptions import PybtexError

    problems, seen = [], {}
    for path in files:
        where = rel(path, root)
        bad = utf8_problems(path, root)
        if bad:
            problems += bad
            continue
        text = path.read_text(encoding="utf-8")
        lines = {m.group(2): text.count("\n", 0, m.start()) + 1 for m in ENTRY.finditer(text)}
        for m in ENTRY.finditer(text):
            key, line = m.group(2), text.count("\n", 0, m.start()) + 1
            if key in seen:
                problems.append(f"{where}:{line}: duplicate key {key!r} (first at {seen[key]})")
            else:
                seen[key] = f"{where}:{line}"
        try:
            data = bibtex.Parser(wanted_entries=None).parse_string(text)
        except PybtexError as err:
            line = getattr(err, "lineno", None) or "?"
            message = str(err).split("\n")[0]
            if "repeated" in message.lower():
                continue  # reported above, with both places
            problems.append(f"{where}:{line}: syntax error: {message}")
            continue
        for key, entry in data.entries.items():
            fields = {f.lower() for f in entry.fields}
            missing = []
            if "title" not in fields or not entry.fields.get("title", "").strip():
                missing.append("title")
            if "author" not in entry.persons and not fields & {"author", "organization", "editor"}:
                missing.append("author (a person, or an organisation in double braces)")
            if not fields & {"year", "date"}:
                missing.append("year or date")
            if not fields & VENUE:
                missing.append("url or a venue (journal, publisher, howpublished…)")
            if missing:
                problems.append(f"{where}:{lines.get(key, '?')}: entry {key!r} lacks {', '.join(missing)}"
                                " (CONTRIBUTING.md, Bibliography entries)")
    return problems


def check(app: Sphinx, config) -> None:
    root = Path(app.srcdir)
    problems = []
    for page in sorted(pages(root, list(config.exclude_patterns))):
        problems += utf8_problems(page, root)
    problems += bib_problems([root / f for f in config.bibtex_bibfiles], root)
    if problems:
        # One line per problem and a non-zero exit. Not an exception: raised this early (while Sphinx starts), any
        # exception is printed as a crash with a traceback and "please open an issue".
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"stopped: {len(problems)} problem(s) in the sources; fix them and build again", file=sys.stderr)
        raise SystemExit(2)


def setup(app: Sphinx):
    # config-inited runs before sphinxcontrib-bibtex reads its files and before any page is read.
    app.connect("config-inited", check, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
