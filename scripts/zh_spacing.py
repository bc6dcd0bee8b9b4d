"""One rule for the space between Chinese and Latin text or digits in the Chinese catalogues (issue #31).

The rule (CONTRIBUTING.md, "Translating into Chinese"): **no space** between a Chinese character and a Latin letter
or a digit, either way: ``一节50分钟的课``, ``Face++开放平台``, ``第1节课``, ``SEO博客``. It is the practice of
mainland publishing and of most of these catalogues already (1,893 such places without a space against 375 with one
when the rule was chosen, zh review 1); the reader's font spaces the two scripts apart. The same goes for the space
between Chinese and a citation or a cross-reference (`` {cite:p}`…` ``, `` {doc}`…` ``, `` {ref}`…` ``,
`` {term}`…` ``): the citation brings its own full-width brackets, the reference its Chinese title.

    python scripts/zh_spacing.py            # check: every place that breaks the rule, as file:line, exit 1
    python scripts/zh_spacing.py --fix      # remove those spaces in the catalogues, then check again

What it reads: the msgstr of every live entry of every ``locale/zh_CN/LC_MESSAGES/**/*.po`` (obsolete ``#~`` entries
and entries whose msgstr equals the msgid, i.e. the source's own text such as a Chinese original, are left alone).
What it never touches: anything inside inline code, a role's content (`` {role}`…` ``), a URL, an HTML tag, a
Markdown link target, text in quotation marks “…” (a quotation keeps its source's spacing), and any space next to
markup (``**``, ``_``, a backtick) rather than to the letter itself. The fix only deletes spaces, so running it twice
changes nothing the second time; the lead re-runs it after merging other branches.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "locale" / "zh_CN" / "LC_MESSAGES"

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff1f\uff08\uff09\u201c\u201d\u2018\u2019"
LATIN = r"A-Za-z0-9"
ROLES = ("cite:p", "cite:t", "cite:ps", "cite:ts", "doc", "ref", "term", "numref")
# A run of text the rule never looks into (replaced by a placeholder while the rest is checked).
PROTECTED = re.compile(
    r"\{[\w:.+-]+\}`[^`]*`"  # a role with its content
    r"|`[^`]*`"  # inline code
    r"|https?://\S+"  # a URL
    r"|<[^<>\u3400-\u9fff]+>"  # an HTML tag or an autolink
    r"|\]\([^)]*\)"  # a Markdown link's target
    r"|(?<=“)[^“”]+(?=”)"  # the words of a quotation in Chinese quotation marks (the marks stay visible)
    r"|(?<!\{)\{[a-z_]+\}(?![`}])"  # a field the code fills in (whose-face.po: "{minutes} 分钟"): a number or a name
)
# Placeholders: a private-use character for each protected run; roles that the rule spaces like text get their own.
TEXTLIKE_ROLE = "\ue001"  # a citation or cross-reference: treated as Chinese (it shows brackets or a Chinese title)
OTHER_RUN = "\ue000"  # anything else protected: its neighbours are never touched
FIELD = "\ue002"  # a field the code fills in: spaced like a Latin word or a number
SPACE = r"[ \u00a0]+"
LATIN_SIDE = f"{LATIN}{FIELD}"
CHINESE_SIDE = f"{HAN}{CJK_PUNCT}"
RULES = [
    (re.compile(rf"(?<=[{HAN}])({SPACE})(?=[{LATIN_SIDE}])"), "Chinese, space, Latin or digit"),
    (re.compile(rf"(?<=[{LATIN_SIDE}%+])({SPACE})(?=[{HAN}])"), "Latin or digit, space, Chinese"),
    (re.compile(rf"(?<=[{CHINESE_SIDE}{LATIN_SIDE}])({SPACE})(?={TEXTLIKE_ROLE})"), "space before a citation or reference"),
    (re.compile(rf"(?<={TEXTLIKE_ROLE})({SPACE})(?=[{CHINESE_SIDE}{LATIN_SIDE}])"), "space after a citation or reference"),
]


def _mask(text: str) -> tuple[str, list[str]]:
    """``text`` with every protected run replaced by one placeholder character, and the runs in order."""
    runs: list[str] = []

    def keep(match: re.Match) -> str:
        runs.append(match.group(0))
        role = re.match(r"\{([\w:.+-]+)\}`", match.group(0))
        if re.fullmatch(r"\{[a-z_]+\}", match.group(0)):
            return FIELD
        return TEXTLIKE_ROLE if role and role.group(1) in ROLES else OTHER_RUN

    return PROTECTED.sub(keep, text), runs


def _unmask(masked: str, runs: list[str]) -> str:
    parts = iter(runs)
    return re.sub(f"[{TEXTLIKE_ROLE}{OTHER_RUN}{FIELD}]", lambda _m: next(parts), masked)


def breaches(text: str) -> list[tuple[str, str]]:
    """(rule, the text around the space) for every space in ``text`` that breaks the rule."""
    masked, _runs = _mask(text)
    found = []
    for rule, name in RULES:
        for match in rule.finditer(masked):
            before = masked[max(0, match.start() - 10): match.start()]
            after = masked[match.end(): match.end() + 10]
            excerpt = f"{before}{match.group(1)}{after}"
            for mark, shown in ((TEXTLIKE_ROLE, "{role}`…`"), (OTHER_RUN, "…"), (FIELD, "{field}")):
                excerpt = excerpt.replace(mark, shown)
            found.append((name, excerpt))
    return found


def fix(text: str) -> str:
    """``text`` without the spaces that break the rule (only spaces are deleted; idempotent)."""
    masked, runs = _mask(text)
    for rule, _name in RULES:
        masked = rule.sub("", masked)
    return _unmask(masked, runs)


# -- .po files, line by line (so that a fix changes only the spaces, never the file's layout) ----------------------

ESCAPES = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\t": "\t", "\\r": "\r"}


def unquote(literal: str) -> str:
    return re.sub(r'\\[\\"ntr]', lambda m: ESCAPES[m.group(0)], literal)


def quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


STRING_LINE = re.compile(r'^(?P<head>(?:msgstr(?:\[\d+\])?|msgid(?:_plural)?|msgctxt)\s+)?"(?P<body>.*)"\s*$')


def entries(lines: list[str]):
    """(msgid text, [(index of each msgstr line, its string)]) for every live entry of a .po file's lines."""
    msgid, strings, field = [], [], None
    for index, line in enumerate(lines):
        match = STRING_LINE.match(line)
        if match and match.group("head"):
            head = match.group("head").strip()
            if head == "msgid":
                if strings:
                    yield "".join(msgid), strings
                msgid, strings = [], []
            field = "msgstr" if head.startswith("msgstr") else head
        elif not match:
            field = None  # a comment, a blank line or an obsolete entry ends the strings of a field
            continue
        if field == "msgid":
            msgid.append(unquote(match.group("body")))
        elif field == "msgstr":
            strings.append((index, unquote(match.group("body"))))
    if strings:
        yield "".join(msgid), strings


def check_file(po: Path, apply_fix: bool = False) -> list[str]:
    """``file:line: ...`` for every breach in ``po``; with ``apply_fix``, the file is rewritten without them first."""
    text = po.read_text(encoding="utf-8")
    lines = text.split("\n")
    shown = po.relative_to(ROOT) if po.is_relative_to(ROOT) else po
    problems, changed = [], False
    for msgid, strings in entries(lines):
        if not msgid or "".join(s for _, s in strings) == msgid:
            continue  # the header, or the source's own text
        for index, string in strings:
            if apply_fix:
                fixed = fix(string)
                if fixed != string:
                    body = STRING_LINE.match(lines[index])
                    head = body.group("head") or ""
                    lines[index] = f'{head}"{quote(fixed)}"'
                    string, changed = fixed, True
            problems += [f"{shown.as_posix()}:{index + 1}: {name}: {excerpt!r}" for name, excerpt in breaches(string)]
    if changed:
        po.write_text("\n".join(lines), encoding="utf-8")
    return problems


def catalogues(folder: Path = CATALOGUES) -> list[Path]:
    return sorted(folder.rglob("*.po"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fix", action="store_true", help="delete the spaces that break the rule, then check")
    parser.add_argument("files", nargs="*", type=Path, help=".po files (default: every catalogue under locale/zh_CN)")
    args = parser.parse_args(argv)
    files = [f.resolve() for f in args.files] or catalogues()
    problems = [p for po in files for p in check_file(po, apply_fix=args.fix)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} places break the spacing rule (no space between Chinese and Latin or digits); "
              "`python scripts/zh_spacing.py --fix` removes them", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
