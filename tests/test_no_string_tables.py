"""No language's text is typed in code (issue #30): every word the module shows comes from a catalogue under locale/.

The check reads the code we write (Python, conf.py included; the stylesheets and scripts of _static/ and
_static_instructor/; the page templates) and names, as file:line, every CJK character (Han, kana, Hangul, CJK and
full-width punctuation) outside comments and docstrings. A Chinese text in code is a table of one language: put it in
the catalogue (whose-face.po through ``tr``/``script_tr``; a date's form is a CLDR pattern there, formatted by Babel;
a list's joiners are CLDR's, through Babel), so that a third language is a catalogue, not code.

Not read: tests/ (they assert what the Chinese edition shows), locale/ (the catalogues themselves), and what we do not
write (node_modules/, .venv/, build output).

EXCEPTIONS are the places that keep CJK on purpose, each with its reason. Each names a file and either the Python name
(function, class or assigned name) that holds the text, or, in other files, a piece of the line. An exception that
matches nothing fails too, so the list cannot outlive its reason.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

from site_tools import ROOT

CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
                 r"\U00020000-\U0002ffff]")
SUFFIXES = {".py", ".css", ".js", ".html"}
SKIPPED_DIRS = {".git", ".venv", "node_modules", "_build", "dist", "locale", "tests", "__pycache__", ".pytest_cache"}

EXCEPTIONS = [
    ("_ext/teaching/law.py", "chinese_number",
     "Chinese numerals for a Chinese law's article numbers (第二十八条), as its official text writes them: a rule for "
     "spelling numbers (CLDR's spell-out rules, which Babel does not carry), kept in this one function"),
    ("_ext/teaching/quiz_source.py", "GIVE_AWAY_CHOICE",
     "an item-writing rule reads the Chinese quiz's choices for 'all of the above' (以上都对): a pattern over text, "
     "nothing shown (owned by the quiz work)"),
    ("_ext/teaching/objectives.py", "MARKS",
     "reads a criterion's marks written (2) or, in a translated page, （2）: a pattern over text, nothing shown"),
    ("_static/search-offline.js", '"。"',
     "the search snippet starts at the sentence that holds the match, which in Chinese text ends in 。: a rule about "
     "the indexed text, whatever the reader's language, nothing shown"),
]


def code_files(root: Path) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if path.suffix in SUFFIXES and path.is_file() and not SKIPPED_DIRS & set(parts[:-1]):
            files.append(path)
    return files


def _python_places(text: str) -> list[tuple[int, str, set[str]]]:
    """(line, line's text, names that hold it) of each CJK character in a string of Python code, not a docstring."""
    tree = ast.parse(text)
    documentation = [(n.lineno, n.col_offset, n.end_lineno, n.end_col_offset) for n in ast.walk(tree)
                     if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)]
    holders = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            holders.append((node.lineno, node.end_lineno, node.name))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        holders.append((node.lineno, node.end_lineno, name.id))
    lines = text.splitlines()
    places = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type != tokenize.STRING:
            continue  # comments are COMMENT tokens: never read
        start = token.start
        if any((a, b) <= start <= (c, d) for a, b, c, d in documentation):
            continue
        for match in CJK.finditer(token.string):
            line = start[0] + token.string.count("\n", 0, match.start())
            names = {name for first, last, name in holders if first <= line <= last}
            places.append((line, lines[line - 1], names))
    return places


COMMENTS = {".css": re.compile(r"/\*.*?\*/", re.S), ".html": re.compile(r"<!--.*?-->|\{#.*?#\}", re.S),
            ".js": re.compile(r"/\*.*?\*/|(?<![:\\\"'])//[^\n]*", re.S)}


def _other_places(text: str, suffix: str) -> list[tuple[int, str, set[str]]]:
    """The same for a stylesheet, script or template: comments blanked (their line breaks kept), the rest read."""
    blanked = COMMENTS[suffix].sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    lines = text.splitlines()
    return [(blanked.count("\n", 0, m.start()) + 1, lines[blanked.count("\n", 0, m.start())], set())
            for m in CJK.finditer(blanked)]


def scan(root: Path, exceptions=EXCEPTIONS) -> tuple[list[str], list[tuple[str, str, str]]]:
    """("file:line: text" for each CJK character in code that no exception allows, the exceptions never used)."""
    problems, used = [], set()
    for path in code_files(root):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if not CJK.search(text):
            continue
        places = _python_places(text) if path.suffix == ".py" else _other_places(text, path.suffix)
        for line, content, names in places:
            allowed = [e for e in exceptions if e[0] == rel and (e[1] in names or e[1] in content)]
            used.update(allowed)
            if not allowed:
                problems.append(f"{rel}:{line}: {content.strip()[:100]}")
    return list(dict.fromkeys(problems)), [e for e in exceptions if e not in used]


def test_no_language_is_typed_in_code():
    problems, unused = scan(ROOT)
    assert not problems, (
        f"{len(problems)} lines of code hold text in a language other than English (outside comments and "
        "docstrings). Put the text in the catalogue (locale/<lang>/LC_MESSAGES/whose-face.po, through tr or "
        "script_tr; dates as a CLDR pattern formatted by Babel), or, for a pattern that reads text and shows "
        "nothing, add an exception with its reason to EXCEPTIONS in tests/test_no_string_tables.py:\n"
        + "\n".join(problems))
    assert not unused, f"exceptions that no longer match anything (remove them): {unused}"


def test_each_exception_has_a_reason():
    assert all(reason and len(reason) > 40 for _, _, reason in EXCEPTIONS)


def test_a_string_in_code_is_named_with_file_and_line(tmp_path):
    """Fault test: Chinese in a string of Python, a stylesheet's content or a script's string is named; the same
    words in a comment or a docstring are not; an exception allows only what it names."""
    (tmp_path / "_ext").mkdir()
    (tmp_path / "_ext" / "labels.py").write_text(
        '"""Module docstring: 中文 is fine here."""\n'
        "# a comment: 中文 is fine here\n"
        "def label(zh):\n"
        '    """Docstring: 标签."""\n'
        '    return "标签" if zh else "label"\n'
        'LABELS = {"en": "English",\n'
        '          "zh_CN": "中文"}\n'
        'ALLOWED = "以上都对"\n', encoding="utf-8")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "x.css").write_text('/* 注释 */\n.mark::before { content: "教师版"; }\n', encoding="utf-8")
    (tmp_path / "_static" / "x.js").write_text('// 注释\nconst a = "https://x.org"; const b = "中文";\n',
                                               encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text('EXPECTED = "中文"\n', encoding="utf-8")
    problems, unused = scan(tmp_path, [("_ext/labels.py", "ALLOWED", "a reason"), ("_ext/labels.py", "gone", "r")])
    assert [p.split(": ")[0] for p in problems] == ["_ext/labels.py:5", "_ext/labels.py:7", "_static/x.css:2",
                                                     "_static/x.js:2"], problems
    assert unused == [("_ext/labels.py", "gone", "r")]


def test_a_new_language_is_a_catalogue_for_the_archives_and_the_site_root(tmp_path, monkeypatch):
    """The zips' top README.txt and index.html and the hosted site's root page write each language's lines from its
    catalogue: a third language's catalogue (here a pseudo-language, "xx") adds its lines, with no code changed."""
    import shutil
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import site_root
    import zip as zip_script
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po
    from i18n import translations

    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "locale" / "zh_CN", locale / "zh_CN", ignore=shutil.ignore_patterns("*.mo"))
    messages = [zip_script.TITLE, *zip_script.README_LINES, zip_script.README_BOTH, zip_script.INDEX_EDITION,
                zip_script.INDEX_LABS, zip_script.INDEX_BOTH, zip_script.ANNOUNCEMENT]
    catalog = Catalog(locale="en", domain=translations.CATALOG)  # "xx" is no locale Babel knows: written as "en"
    for message in messages:
        catalog.add(message, f"[xx {message}]")
    (locale / "xx" / "LC_MESSAGES").mkdir(parents=True)
    with open(locale / "xx" / "LC_MESSAGES" / f"{translations.CATALOG}.po", "wb") as f:
        write_po(f, catalog)
    monkeypatch.setattr(translations, "LOCALE_DIR", locale)
    monkeypatch.setattr(zip_script, "format_list", lambda parts, language, style: " | ".join(parts))
    readme = zip_script.top_readme()
    assert "[xx Open xx/index.html in a web browser" in readme and "谁的脸？" in readme, readme
    assert "[xx Each archive holds one edition (en/ | xx/ | zh/)" in readme, readme
    index = zip_script.top_index()
    assert '<li lang="xx"><a href="xx/index.html">[xx English edition]</a>' in index, index
    assert site_root.language_of("zh") == "zh_CN" and site_root.language_of("xx") == "xx"
