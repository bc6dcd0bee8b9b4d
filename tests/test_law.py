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

from site_tools import ROOT, copy_source, page_soup, pages_only, po_line, sphinx_build

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
    assert "not in bib/*.bib" in problems[24]
    assert "in_force must be a date" in problems[20]
    assert "date order" in problems[23]


# -- Translations: the register's English through law.po (issue #30) ---------------------------------------------------

def translation_tree(tmp_path: Path) -> Path:
    """The register, the bibliography and the Chinese catalogue law.po, copied (no pages: translate needs no Sphinx)."""
    shutil.copytree(ROOT / "bib", tmp_path / "bib")
    (tmp_path / "law").mkdir()
    shutil.copy(REGISTER, tmp_path / "law" / "register.yaml")
    po = law.catalogue_path("zh_CN", tmp_path)
    po.parent.mkdir(parents=True)
    shutil.copy(law.catalogue_path("zh_CN"), po)
    return tmp_path



def test_law_pot_holds_every_english_text_with_its_register_line(register, tmp_path):
    """`make gettext`'s law.pot: name_en, short_en, body, summary and every paraphrase, at the register's line, the
    instrument's (or article's) id as context; the register keeps no translation twin (name_zh is the official name)."""
    from babel.messages.pofile import read_po

    with open(law.write_pot(tmp_path, ROOT), "rb") as f:
        pot = read_po(f)
    lines = REGISTER.read_text(encoding="utf-8").splitlines()
    expected = 0
    for inst in register.instruments.values():
        texts = [(inst.id, key, inst.data[key]) for key in law.TEXTS if inst.data.get(key)]
        texts += [(f"{inst.id}:{a.number}", "paraphrase", a.paraphrase) for a in inst.articles.values()]
        for context, key, text in texts:
            message = pot.get(text, context=context)
            assert message is not None, (context, key, text)
            (path, line), = message.locations
            assert path == "law/register.yaml" and lines[line - 1].strip().startswith(f"{key}:"), (context, key, line)
            expected += 1
    assert len([m for m in pot if m.id]) == expected
    assert {m.group(1) for m in re.finditer(r"^\s+(\w+_zh):", "\n".join(lines), re.M)} == {"name_zh"}


def test_the_chinese_catalogue_translates_every_text_of_the_register(register):
    texts, problems = law.translate(register, "zh_CN", ROOT)
    assert problems == [], problems
    assert len(texts) == len(law.messages(register))


def test_tables_and_citations_read_the_builds_catalogue(register, monkeypatch):
    """A table row's summary or paraphrases come from the catalogue (Chinese here); a citation in a language other than
    English and Chinese uses the catalogue's short name, the Chinese one the official name."""
    texts, _ = law.translate(register, "zh_CN", ROOT)
    monkeypatch.setattr(law._State, "texts", texts)
    inst, refs, _ = law._parse_target("gbt-35273-2020", register)
    assert law.what_text(inst, refs, True).startswith("2020年3月6日发布。")
    inst, refs, _ = law._parse_target("spc-spp-2017:4–6", register)
    with in_language("zh_CN"):  # the citation's words ("(Art. {number})") through the code's catalogue, as in a build
        text = law.what_text(inst, refs, True)
    assert all(f"（第{n}条）" in text for n in "四五六") and "Obtaining" not in text, text
    monkeypatch.setattr(law._State, "texts", {("pipl", "PIPL"): "LPIP"})
    inst, refs, _ = law._parse_target("pipl:28", register)
    assert law.citation_text(inst, refs, False) == "LPIP Art. 28"
    with in_language("zh_CN"):
        assert law.citation_text(inst, refs, True) == "《中华人民共和国个人信息保护法》第二十八条"


def test_untranslated_fuzzy_or_new_register_text_is_named_with_file_and_line(tmp_path):
    """Faults: a paraphrase's translation emptied, a short name marked fuzzy (named at law.po's line), a summary
    changed in English (named at the register's line: run `make gettext`)."""
    root = translation_tree(tmp_path)
    po = law.catalogue_path("zh_CN", root)
    text = po.read_text(encoding="utf-8")
    text, emptied = re.subn(r'(msgctxt "crpl:29"\nmsgid "[^\n]*"\n)msgstr "[^\n]*"', r'\1msgstr ""', text)
    text, marked = re.subn(r'\nmsgctxt "gdpr"\nmsgid "GDPR"', '\n#, fuzzy\nmsgctxt "gdpr"\nmsgid "GDPR"', text)
    assert (emptied, marked) == (1, 1)
    po.write_text(text, encoding="utf-8")
    register = root / "law" / "register.yaml"
    english = register.read_text(encoding="utf-8")
    old = "    summary: Published 6 March 2020. Keeps"
    assert old in english
    register.write_text(english.replace(old, "    summary: Published on 6 March 2020. Keeps"), encoding="utf-8")
    summary_line = next(n for n, s in enumerate(register.read_text(encoding="utf-8").splitlines(), 1)
                        if s.startswith("    summary: Published on"))
    loaded = law.load(root)
    texts, problems = law.translate(loaded, "zh_CN", root)
    named = [f"{where}:{line}: {message}" for where, line, message in problems]
    crpl = loaded.instruments["crpl"].articles["29"]
    gdpr = loaded.instruments["gdpr"].key_lines["short_en"]
    assert len(named) == 3, named
    assert any(n.startswith(f"locale/zh_CN/LC_MESSAGES/law.po:{po_line(po, 'crpl:29')}: untranslated (source "
                            f"law/register.yaml:{crpl.paraphrase_line})") for n in named), named
    assert f"locale/zh_CN/LC_MESSAGES/law.po:{po_line(po, 'gdpr', 'GDPR')}: fuzzy: the English changed; check the " \
           f"translation and delete its `#, fuzzy` line (source law/register.yaml:{gdpr}): 'GDPR'" in named, named
    assert any(n.startswith(f"law/register.yaml:{summary_line}: new or changed: run `make gettext`, then "
                            "translate it in locale/zh_CN/LC_MESSAGES/law.po (gbt-35273-2020)") for n in named), named
    assert ("crpl:29", crpl.paraphrase) not in texts, "a message the catalogue lacks keeps its English"


def test_a_leftover_translation_twin_is_named(tmp_path):
    root = translation_tree(tmp_path)
    register = root / "law" / "register.yaml"
    lines = register.read_text(encoding="utf-8").splitlines()
    at = next(n for n, s in enumerate(lines) if s.startswith("        paraphrase: "))
    lines.insert(at + 1, "        paraphrase_zh: 旧的译文")
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = dict(law.load(root).problems)
    assert "unknown key 'paraphrase_zh'" in problems[at + 2] and "LC_MESSAGES/law.po" in problems[at + 2], problems


def test_fuzzy_law_message_fails_the_strict_chinese_build_naming_the_catalogue_line(zh_catalogue_faults):
    """Fault: the strict Chinese build of the law page fails on a fuzzy message of law.po, named at the catalogue's
    line, as for every other catalogue; DRAFT=1 builds, the table showing the English paraphrase
    (conftest.zh_catalogue_faults plants it, with two other catalogue faults)."""
    build, draft, line = zh_catalogue_faults["strict"], zh_catalogue_faults["draft"], zh_catalogue_faults["lines"]["law"]
    assert build.returncode != 0, "a fuzzy message of law.po must fail the strict Chinese build"
    named = [w for w in build.warnings if "crpl" in w or "Businesses must" in w]
    assert named and f"locale/zh_CN/LC_MESSAGES/law.po:{line}: WARNING: fuzzy" in named[0], build.log[-3000:]
    assert not [w for w in draft.warnings if "fuzzy" in w], draft.log[-3000:]
    page = (draft.outdir / "cases" / "masked-photos" / "law.html").read_text(encoding="utf-8")
    assert "Businesses must collect and use" in page, "DRAFT=1 shows the English text of a fuzzy message"


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
