"""The translators' terminology table, locale/zh_CN/terminology.csv (issue #31), against the glossary and the catalogues.

The table has one row per term: ``english``, ``chinese``, ``defined_in`` (where the term is defined: the glossary, or
the page that fixes it), ``check`` and ``avoid``. Each row of the glossary's terms comes first, in the glossary's
order; the rows after them are terms the pages define (the claim statuses, the claims ledger, a seller's offer,
datasheets for datasets).

- Every glossary entry (docs/glossary.md: an English term, then its Chinese term) has a row with the same Chinese
  term, and every row that says it is defined in the glossary is there.
- The core terms are used consistently in the catalogues (locale/zh_CN/LC_MESSAGES/**.po), inside role content left
  aside: ``check = exact``: a message that is the term itself (a status badge, a legend entry) is translated as
  exactly the Chinese term; ``check = phrase``: a message whose English holds the term holds the Chinese term;
  ``avoid``: renderings (``;``-separated) that a message whose English holds the term must not use (出价 for a seller's
  offer, 数据泄露 for LINDDUN's data disclosure, which in case 2 means a leak).
- Faults: a table that disagrees with the glossary, and a catalogue that uses an avoided rendering or drops a core
  term, are each named with file and line.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from site_tools import ROOT

from teaching.quiz_source import ANSWER_SEPARATOR  # noqa: E402  (site_tools puts _ext/ on the path)

sys.path.insert(0, str(ROOT / "scripts"))
import zh_spacing  # noqa: E402  (reads the catalogues line by line)

TABLE = ROOT / "locale" / "zh_CN" / "terminology.csv"
GLOSSARY = ROOT / "docs" / "glossary.md"
COLUMNS = ["english", "chinese", "defined_in", "check", "avoid"]
ROLE = re.compile(r"\{[\w:.+-]+\}`[^`]*`")


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()


def read_table(path: Path = TABLE) -> list[dict]:
    """The rows, each with its line number (``line``)."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS, f"{rel(path)}:1: the columns must be {COLUMNS}, not {reader.fieldnames}"
        return [{**row, "line": reader.line_num} for row in reader]


def glossary_entries(path: Path = GLOSSARY) -> list[tuple[int, str, str]]:
    """(line, English term, Chinese term) of every entry of the glossary's ``{glossary}`` blocks."""
    entries, terms, inside = [], [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```{glossary}"):
            inside = True
        elif inside and line.startswith("```"):
            inside = False
        elif inside and line and not line.startswith(" "):
            terms.append((number, line.strip()))
        elif inside and line.startswith("  ") and terms:
            entries.append((terms[0][0], terms[0][1], terms[1][1] if len(terms) > 1 else ""))
            terms = []
    return entries


def glossary_problems(rows: list[dict], entries, table: Path = TABLE, glossary: Path = GLOSSARY) -> list[str]:
    by_english = {row["english"]: row for row in rows}
    problems = []
    for line, english, chinese in entries:
        row = by_english.get(english)
        if row is None:
            problems.append(f"{rel(glossary)}:{line}: {english!r} ({chinese}) has no row in {rel(table)}")
        elif row["chinese"] != chinese:
            problems.append(f"{rel(table)}:{row['line']}: {english!r} is {row['chinese']!r} here but {chinese!r} in "
                            f"the glossary ({rel(glossary)}:{line})")
    in_glossary = {english for _, english, _ in entries}
    problems += [f"{rel(table)}:{row['line']}: {row['english']!r} says it is defined in {rel(glossary)}, which has no "
                 "such entry" for row in rows if row["defined_in"] == rel(glossary) and row["english"] not in in_glossary]
    return problems


def matcher(english: str) -> re.Pattern:
    """The English term as it occurs in a message: whole words, any case; "offer (a seller's)" matches "offer"."""
    words = re.sub(r"\s*\(.*?\)", "", english).strip()
    body = r"[- ]".join(re.escape(word) for word in re.split(r"[- ]", words))
    return re.compile(r"(?<![\w-])" + body + r"s?(?![\w-])", re.IGNORECASE)


def catalogue_problems(rows: list[dict], catalogues: list[Path]) -> list[str]:
    checked = [(row, matcher(row["english"]), [a for a in row["avoid"].split(";") if a])
               for row in rows if row["check"] or row["avoid"]]
    problems = []
    for po in catalogues:
        for msgid, strings in zh_spacing.entries(po.read_text(encoding="utf-8").split("\n")):
            text = "".join(s for _, s in strings)
            if not msgid or text == msgid:
                continue  # the header, or the source's own text
            english, chinese = ROLE.sub("", msgid), ROLE.sub("", text)
            where = f"{rel(po)}:{strings[0][0] + 1}"
            for row, rx, avoid in checked:
                if row["check"] == "exact":
                    same = english.strip().lower().replace("-", " ") == row["english"].lower().replace("-", " ")
                    # A quiz's accepted answers are one message, "有争议 | 争议" (TRANSLATING.md, "The quiz"): the
                    # first is the answer shown, the others what a student may also write.
                    if same and chinese.split(ANSWER_SEPARATOR)[0].strip() != row["chinese"]:
                        problems.append(f"{where}: {english!r} must be {row['chinese']!r}, not {chinese!r} "
                                        f"({rel(TABLE)}:{row['line']})")
                    continue
                if not rx.search(english):
                    continue
                if row["check"] == "phrase" and row["chinese"] not in chinese:
                    problems.append(f"{where}: {row['english']!r} without {row['chinese']!r} "
                                    f"({rel(TABLE)}:{row['line']}): {chinese[:60]!r}")
                problems += [f"{where}: {row['english']!r} as {bad!r}; the table says {row['chinese']!r} "
                             f"({rel(TABLE)}:{row['line']})" for bad in avoid if bad in chinese]
    return problems


def test_table_is_well_formed():
    rows = read_table()
    seen = {}
    for row in rows:
        assert row["english"] and row["chinese"], f"{rel(TABLE)}:{row['line']}: empty term"
        assert row["check"] in ("", "exact", "phrase"), f"{rel(TABLE)}:{row['line']}: check is exact, phrase or empty"
        assert row["english"] not in seen, f"{rel(TABLE)}:{row['line']}: {row['english']!r} also on line {seen[row['english']]}"
        seen[row["english"]] = row["line"]
    assert len(rows) >= len(glossary_entries()) + 5


def test_table_agrees_with_the_glossary():
    problems = glossary_problems(read_table(), glossary_entries())
    assert not problems, "\n".join(problems)


def test_catalogues_use_the_core_terms():
    rows = read_table()
    assert sum(1 for row in rows if row["check"]) >= 25, "the core list is the rows with a check"
    problems = catalogue_problems(rows, zh_spacing.catalogues())
    assert not problems, f"{len(problems)} messages break the terminology table:\n" + "\n".join(problems[:30])


def test_a_table_that_disagrees_with_the_glossary_is_named(tmp_path):
    """Fault: a row whose Chinese differs from the glossary's, and a glossary entry with no row."""
    table = tmp_path / "terminology.csv"
    text = TABLE.read_text(encoding="utf-8").replace("data disclosure,数据披露,", "data disclosure,数据泄露,")
    text = "\n".join(line for line in text.split("\n") if not line.startswith("gallery,"))
    table.write_text(text, encoding="utf-8")
    problems = glossary_problems(read_table(table), glossary_entries(), table=table)
    line = next(n for n, row in enumerate(text.split("\n"), start=1) if row.startswith("data disclosure,"))
    assert any(p.startswith(f"{table.as_posix()}:{line}: 'data disclosure'") and "数据披露" in p for p in problems), problems
    assert any(p.startswith("docs/glossary.md:") and "'gallery'" in p for p in problems), problems


def test_a_catalogue_that_breaks_the_table_is_named(tmp_path):
    """Fault: a seller's offer as 出价, the claims ledger as 说法台账, and a status badge translated another way."""
    po = tmp_path / "broken.po"
    po.write_text('msgid ""\nmsgstr ""\n\n#: a.md:1\nmsgid "The two offers side by side"\nmsgstr "两份出价对照"\n\n'
                  '#: a.md:2\nmsgid "Record each claim in your claims ledger"\nmsgstr "在说法台账中记录每个说法"\n\n'
                  '#: a.md:3\nmsgid "Reported"\nmsgstr "据报道"\n\n'
                  '#: a.md:4\nmsgid "Cite {cite:p}`gebru-2021-datasheets`."\nmsgstr "引用{cite:p}`gebru-2021-datasheets`。"\n',
                  encoding="utf-8")
    problems = catalogue_problems(read_table(), [po])
    assert any(p.startswith(f"{po.as_posix()}:6: ") and "出价" in p for p in problems), problems
    assert any(p.startswith(f"{po.as_posix()}:10: ") and "说法台账" in p for p in problems), problems
    assert any(p.startswith(f"{po.as_posix()}:14: ") and "已报道" in p for p in problems), problems
    assert not any(":18: " in p for p in problems), "a citation key is not the term 'datasheet'"
    assert len(problems) == 4, problems  # 出价; 说法台账 (avoided) and 主张台账 (missing); 据报道
