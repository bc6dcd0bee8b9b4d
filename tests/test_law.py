"""The law register (law/register.yaml, _ext/teaching/law.py): one source for every instrument, article and date
(issue #27).

What is checked here:
- the register is valid (every entry has a bibliography key that exists, dates parse, amendments are in order);
- every article cited on a page, English or Chinese, exists in the register, and the built pages write it from there;
- every "In force on <date>?" cell of a built table is the register's answer for that date, and no table in the
  sources types an in-force answer or date by hand;
- fault tests: a page citing an article the register lacks, or typing a wrong in-force date, fails the strict build
  naming the page's file and line; a register entry without a source fails naming the register's line; an old
  ``law_as_of`` prints a notice, never a warning.
"""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from site_tools import ROOT, copy_source, page_soup, pages_only, sphinx_build

from teaching import law  # noqa: E402  (site_tools puts _ext/ on the path)
from i18n.translations import in_language  # noqa: E402

REGISTER = ROOT / "law" / "register.yaml"
PAGE_DIRS = ("cases", "docs", "exercises")
ROLE = re.compile(r"\{law(?:-dates|-on)?\}`([^`]+)`")
# A citation typed by hand: "PIPL Art. 28", "Arts. 41–44", "§15(c)", 第二十八条 (roles and code excepted).
TYPED = re.compile(r"\bArts?\. \d|§\s?\d|第[一二三四五六七八九十百千零]+条")


def pages() -> list[Path]:
    return sorted(p for d in PAGE_DIRS for p in (ROOT / d).rglob("*.md")) + [ROOT / "index.md"]


def catalogues() -> list[Path]:
    return sorted((ROOT / "locale" / "zh_CN" / "LC_MESSAGES").rglob("*.po"))


def without_roles(line: str) -> str:
    return re.sub(r"\{[a-z:-]+\}`[^`]*`", "", line)


@pytest.fixture(scope="module")
def register():
    return law.load(ROOT)


# -- The register -----------------------------------------------------------------------------------------------------

def test_register_is_valid(register):
    assert register.problems == [], "\n".join(f"law/register.yaml:{line}: {msg}" for line, msg in register.problems)
    assert register.law_as_of is not None
    for inst in register.instruments.values():
        assert inst.bib in law.bib_keys(ROOT), inst.id


def test_register_holds_what_the_review_found_missing(register):
    """Content review 2: the 2025 Measures (training carve-out), PIPL Art. 10, the 2025 CSL amendment, the 2013 MIIT
    Provisions, the Tort Liability Law, the portrait right, Art. 253-1 with the 2017 interpretation Arts. 4 and 6."""
    inst = register.instruments
    assert inst["face-measures-2025"].in_force == datetime.date(2025, 6, 1)
    assert "2" in inst["face-measures-2025"].articles["2"].paragraphs
    assert "10" in inst["pipl"].articles
    assert [a["in_force"] for a in inst["csl"].amendments] == [datetime.date(2026, 1, 1)]
    assert inst["miit-2013"].in_force == datetime.date(2013, 9, 1)
    assert "2" in inst["tort-liability"].articles and "100" in inst["gpcl-1986"].articles
    assert {"4", "6"} <= set(inst["spc-spp-2017"].articles) and "253-1" in inst["criminal-law"].articles


def test_official_forms_in_both_editions(register):
    pipl, csl = "《中华人民共和国个人信息保护法》", "《中华人民共和国网络安全法》"
    cases = {
        "pipl:28": ("PIPL Art. 28", pipl + "第二十八条"),
        "criminal-law:253-1": ("Criminal Law Art. 253-1", "《中华人民共和国刑法》第二百五十三条之一"),
        "csl:76(5)": ("Cybersecurity Law Art. 76(5)", csl + "第七十六条第五项"),
        "pipl:13(6),27": ("PIPL Arts. 13(6) and 27", pipl + "第十三条第一款第六项和第二十七条"),
        "csl:41–44": ("Cybersecurity Law Arts. 41–44", csl + "第四十一条至第四十四条"),
        "pipl:28–29": ("PIPL Arts. 28–29", pipl + "第二十八条和第二十九条"),
        "civil-code:1034": ("Civil Code Art. 1034", "《中华人民共和国民法典》第一千零三十四条"),
        "bipa:15(c)": ("BIPA §15(c)", "美国伊利诺伊州《生物识别信息隐私法》第15条第（c）款"),
        "pipl:13(1)(2)": ("PIPL Art. 13(1)(2)", pipl + "第十三条第一款第二项"),
        "gdpr:35(3)(b)": ("GDPR Art. 35(3)(b)", "欧盟《通用数据保护条例》第35条第3款第（b）项"),
    }
    for text, (english, chinese) in cases.items():
        inst, refs, problem = law._parse_target(text, register)
        assert problem is None, problem
        with in_language("zh_CN"):  # the Chinese form's words and marks come from whose-face.po
            zh = law.citation_text(inst, refs, True)
        assert (law.citation_text(inst, refs, False), zh) == (english, chinese)
    assert [law.chinese_number(n) for n in (10, 13, 111, 253, 1005, 1034)] == [
        "十", "十三", "一百一十一", "二百五十三", "一千零五", "一千零三十四"]


def test_an_item_of_a_paragraph_the_register_lacks_is_named(register):
    problem = law._parse_target("pipl:13(2)(1)", register)[2]
    assert problem and "no paragraph (2) with item (1)" in problem and "law/register.yaml" in problem


def test_a_table_row_says_what_each_article_of_a_range_says(register):
    """A law-table row "spc-spp-2017:4–6" shows Arts. 4, 5 and 6, each labelled; a standard shows its summary."""
    inst, refs, _ = law._parse_target("spc-spp-2017:4–6", register)
    text = law.what_text(inst, refs, False)
    assert all(f"({n})" in text for n in ("4", "5", "6")), text
    inst, refs, _ = law._parse_target("gbt-35273-2020", register)
    assert law.what_text(inst, refs, False) == inst.summary


def test_the_prose_date_check_reads_list_items_and_names_apart(register):
    """A list item ends the sentence, and a date right before an instrument's name is that instrument's."""
    ok = ("- the 2012 Decision, 28 December 2012;\n- the telecom rules (in force 1 September 2013);\n"
          "under the SPC interpretation, and since 1 June 2025 the Face Recognition Measures apply.")
    assert law.typed_date_problems(ok, register) == []
    wrong = "The Face Recognition Measures came into force on 1 June 2024."
    assert [line for line, _ in law.typed_date_problems(wrong, register)] == [1]


def write_register(root: Path, text: str) -> None:
    (root / "law").mkdir(parents=True, exist_ok=True)
    (root / "bib").mkdir(exist_ok=True)
    shutil.copy(ROOT / "bib" / "law.bib", root / "bib" / "law.bib")
    (root / "law" / "register.yaml").write_text(text, encoding="utf-8")


def test_register_problems_name_their_line(tmp_path):
    """Without Sphinx: a missing source, an unknown bib key, a bad date, amendments out of order: each at its line."""
    write_register(tmp_path, """law_as_of: 2026-12-07
instruments:
  nosource:
    name_zh: 甲
    name_en: A
    short_en: A
    body: B
    body_zh: 乙
    kind: law
    adopted: 2020-01-01
    in_force: 2020-02-01
    verified: true
    articles: {}
  badkey:
    name_zh: 甲
    name_en: A
    short_en: A
    body: B
    body_zh: 乙
    kind: law
    adopted: 2020-01-01
    in_force: 1 June 2020
    amendments:
      - {adopted: 2021-01-01, in_force: 2021-06-01, what: second}
      - {adopted: 2020-05-01, in_force: 2020-06-01, what: first}
    bib: no-such-key
    verified: true
    articles: {}
""")
    problems = dict(law.load(tmp_path).problems)
    assert "missing 'bib'" in problems[3] and "source" in problems[3]
    assert "not in bib/*.bib" in problems[26]
    assert "in_force must be a date" in problems[22]
    assert "date order" in problems[25]


# -- Pages ----------------------------------------------------------------------------------------------------

def test_every_article_cited_in_the_sources_is_in_the_register(register):
    """Every {law} role, on an English page or in a Chinese catalogue, names an instrument and articles the register
    holds (the build says so too; this names every one at once)."""
    problems = []
    for path in pages() + catalogues():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for target in ROLE.findall(line):
                target = target.rpartition("@")[0] or target if "@" in target else target
                problem = law._parse_target(target, register)[2]
                if problem:
                    problems.append(f"{path.relative_to(ROOT)}:{number}: {problem}")
    assert not problems, "\n".join(problems)


def test_no_article_citation_is_typed_by_hand_on_a_page():
    """Pages cite articles with {law}; a typed "PIPL Art. 28" would escape the register (the quiz files are not
    pages of this check: exercises/quiz/*.yaml)."""
    problems = []
    for path in pages():
        fence, directives = False, 0  # in a code block; how many ```{directive} blocks are open
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("```"):
                if fence:
                    fence = False
                elif line.strip().startswith("```{"):
                    directives += 1
                elif line.strip() == "```" and directives:
                    directives -= 1
                else:
                    fence = True
                continue
            if not fence and TYPED.search(without_roles(line)):
                problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not problems, "cite these with {law}`id:article` (see CONTRIBUTING.md, 'The law register'):\n" + "\n".join(
        problems)


def test_no_in_force_answer_is_typed_in_a_table():
    """A hand-made table with an "In force" column holds no typed answer or date there: {law-on} or a law-table."""
    typed = re.compile(r"\*\*(Yes|No)\b|^(Yes|No)\b|\b\d{1,2} [A-Z][a-z]{2,8} \d{4}\b|\b(19|20)\d\d\b")
    problems = []
    for path in pages():
        lines = path.read_text(encoding="utf-8").splitlines()
        column = None
        for number, line in enumerate(lines, 1):
            cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else None
            if cells is None:
                column = None
            elif column is None:
                column = next((i for i, c in enumerate(cells) if c.lower().startswith("in force")), -1)
            elif column >= 0 and column < len(cells) and not set(cells[column]) <= set("-: "):
                cell = cells[column]
                if "{law-on}" not in cell and typed.search(without_roles(cell)):
                    problems.append(f"{path.relative_to(ROOT)}:{number}: {cell[:80]}")
    assert not problems, "write these with {law-on}`id@date` or a law-table:\n" + "\n".join(problems)


def english_answer(inst, article, day) -> str:
    state, when = law.in_force_on(inst, article, day)
    if state == "yes":
        return "Yes"
    return f"{'Not yet (from' if state == 'not-yet' else 'No longer (repealed'} {law.date_text(when, False)})"


def test_every_in_force_cell_of_a_built_table_is_the_registers_answer(student, instructor, register):
    """Every generated table on the law page and in the legal-mapping solution: each "In force on <date>?" cell is
    what the register says for that instrument (or article) and date."""
    checked = 0
    for page in (student / "cases" / "masked-photos" / "law.html", instructor / "exercises" / "masked-photos.html"):
        tables = page_soup(page).select("div.law-table table")
        assert tables, f"{page}: no generated law table"
        for table in tables:
            headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
            days = {i: datetime.datetime.strptime(re.match(r"In force on (.+)\?", h)[1], "%d %B %Y").date()
                    for i, h in enumerate(headers) if h.startswith("In force on ")}
            assert days, headers
            for row in table.select("tbody tr"):
                cells = row.select("td")
                inst, refs, problem = law._parse_target(cells[0].select_one(".law-ref")["data-law"], register)
                assert problem is None
                for index, day in days.items():
                    expected = english_answer(inst, refs[0].article if refs else None, day)
                    assert cells[index].get_text(" ", strip=True) == expected, (page.name, cells[0].get_text())
                    checked += 1
    assert checked > 50


def test_law_as_of_on_the_landing_page_and_the_law_page(student, register):
    expected = f"Law as of {law.date_text(register.law_as_of, False)}"
    for page in ("index.html", "cases/masked-photos/law.html"):
        line = page_soup(student / page).select_one("p.law-as-of")
        assert line is not None and expected in line.get_text(), page


def test_every_citation_carries_its_dates(student):
    refs = page_soup(student / "cases" / "masked-photos" / "law.html").select("span.law-ref")
    assert refs and all("in force" in ref["title"] for ref in refs)


def test_chinese_edition_writes_the_official_form(zh_builds):
    soup = page_soup(zh_builds["student"].outdir / "cases" / "masked-photos" / "law.html")
    texts = {ref["data-law"]: ref.get_text() for ref in soup.select("span.law-ref")}
    assert texts["pipl:28"] == "《中华人民共和国个人信息保护法》第二十八条"
    assert "起施行" in soup.select_one("span.law-ref")["title"]
    assert "法律状况截至" in soup.select_one("p.law-as-of").get_text()


# -- Faults ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def law_tree(tmp_path_factory):
    return copy_source(tmp_path_factory.mktemp("law-faults") / "src")


def test_unknown_article_and_wrong_in_force_date_fail_naming_file_and_line(law_tree, tmp_path):
    page = law_tree / "cases" / "masked-photos" / "law.md"
    original = page.read_text(encoding="utf-8")
    lines = original.splitlines()
    lines.insert(2, "See {law}`pipl:999` for more.")
    lines.insert(3, "")
    lines.insert(4, "The Cybersecurity Law came into force on 1 June 2016, as everyone knows.")
    lines.insert(5, "")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        build = sphinx_build(law_tree, tmp_path / "out", *pages_only("cases/masked-photos/law.md"))
    finally:
        page.write_text(original, encoding="utf-8")
    assert build.returncode != 0, build.log
    assert any("cases/masked-photos/law.md:3" in w and "no article 999" in w for w in build.warnings), build.log
    assert any("cases/masked-photos/law.md:5" in w and "took effect on 1 June 2016" in w
               and "1 June 2017" in w for w in build.warnings), build.log


def test_register_entry_without_source_fails_and_an_old_date_is_only_a_notice(law_tree, tmp_path):
    register = law_tree / "law" / "register.yaml"
    original = register.read_text(encoding="utf-8")
    text = original.replace("law_as_of: 2026-12-07", "law_as_of: 2020-01-01")
    text = text.replace("    bib: pipl-2021\n", "")
    register.write_text(text, encoding="utf-8")
    pipl_line = next(n for n, line in enumerate(text.splitlines(), 1) if line == "  pipl:")
    try:
        build = sphinx_build(law_tree, tmp_path / "out", *pages_only())
    finally:
        register.write_text(original, encoding="utf-8")
    assert any(f"law/register.yaml:{pipl_line}" in w and "instrument 'pipl': missing 'bib'" in w
               for w in build.warnings), build.log
    notice = [line for line in build.log.splitlines() if "notice: the law register" in line]
    assert notice and not any("WARNING" in line or "ERROR" in line for line in notice), build.log
    assert not any("law_as_of" in w or "notice: the law" in w for w in build.warnings), build.log


def test_the_strict_build_passes_with_an_old_law_as_of_date(monkeypatch):
    """The calendar never fails a build: the notice is logger.info (checked on its own, without a build)."""
    messages = []

    class App:
        srcdir = str(ROOT)

        class config:
            language = "en"

    monkeypatch.setattr(law, "_build_date", lambda: datetime.date(2040, 1, 1))
    monkeypatch.setattr(law.logger, "info", lambda message, *a, **k: messages.append(message))
    monkeypatch.setattr(law.logger, "warning", lambda message, *a, **k: pytest.fail(f"a warning: {message}"))
    law.start(App())
    assert any("more than a year ago" in m for m in messages)
