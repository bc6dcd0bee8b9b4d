"""The bibliography in Chinese (issue #18, _ext/i18n/bib_zh.py): each note from bib-notes.po, pybtex's words in Chinese.

- The catalogue locale/zh_CN/LC_MESSAGES/bib-notes.po translates every note of bib/*.bib (no empty or fuzzy msgstr,
  no note missing); ``make gettext`` writes the notes to bib-notes.pot, each with its .bib file and line.
- The Chinese bibliography page and the citation tooltips of every Chinese page show no English note and none of
  pybtex's English fixed words (URL:, visited on, In, volume, pages, and, month names); the Chinese ones are there.
- Fault: a note with no translation gives a warning naming the .bib file and line and the catalogue.
- The citations in the text of both Chinese editions are in Chinese form (issue #31): full-width brackets, author and
  year joined by a full-width comma, sources by a Chinese semicolon, a Chinese author or organisation by its Chinese
  name (（最高人民法院，2021）, never (Supreme People's Court (最高人民法院), 2021)), an English one by its English name.
  Faults: an author with Chinese in it that the build cannot name in Chinese gives a warning naming the .bib file and
  line; a citation left in English form is named by the page check.

Uses the shared Chinese builds (conftest.py, ``zh_builds``): no build of its own.
"""

from __future__ import annotations

import logging
import re
import sys
import types
from pathlib import Path

import pytest
from site_tools import ROOT, html_pages, page_soup

sys.path.insert(0, str(ROOT / "_ext"))
from i18n import bib_zh  # noqa: E402

BIBFILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "bib").glob("*.bib"))
PO = ROOT / bib_zh.PO_RELATIVE
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# pybtex's plain style, as it writes its fixed words into an English entry.
ENGLISH_STYLE_WORDS = {
    "URL:": re.compile(r"\bURL:"),
    "(visited on ...)": re.compile(r"\(visited on\b"),
    "In <booktitle>": re.compile(r"\bIn Proceedings\b"),
    "volume N of": re.compile(r"\bvolume \d+ of\b"),
    "pages N-M": re.compile(r"\bpages \d"),
    "<month> <year>": re.compile(rf"(?<!\d )\b({MONTHS}) \d{{4}}\b"),  # not a title's date (27 April 2016)
    "<author> and <author>": re.compile(r"\bBuolamwini and Gebru\b|\bGrother, and\b"),
    "et al.": re.compile(r"\bet al\."),
}


def notes() -> list[tuple[str, str, str]]:
    return bib_zh._notes_of(BIBFILES)


def english_sentences(note: str) -> list[str]:
    """The note's sentences of five words or more: any of them found on a Chinese page is an English note left."""
    return [s.strip() for s in re.split(r"(?<=[.;:])\s+", note) if len(s.split()) >= 5]


def test_bib_notes_catalogue_translates_every_note():
    from babel.messages.pofile import read_po

    with PO.open("rb") as f:
        catalog = read_po(f)
    problems = [f"{bib_zh.PO_RELATIVE}:{m.lineno}: {'fuzzy' if m.fuzzy else 'empty msgstr'}: {m.id[:60]!r}"
                for m in catalog if m.id and (m.fuzzy or not m.string)]
    known = bib_zh.read_catalogue(PO)
    problems += [f"{where}: note of {key} missing from {bib_zh.PO_RELATIVE}: {note[:60]!r}"
                 for note, key, where in notes() if note not in known]
    problems += [f"{bib_zh.PO_RELATIVE}: the Chinese of {note[:50]!r} keeps the English title sentence"
                 for note, chinese in known.items() if "our translation" in chinese or "Translated title" in chinese]
    assert not problems, "\n".join(problems)
    assert len(notes()) >= 60 and all(re.search(r"[\u4e00-\u9fff]", known[n]) for n, _, _ in notes())


def test_gettext_writes_every_note_with_its_file_and_line(tmp_path):
    from babel.messages.pofile import read_po

    app = types.SimpleNamespace(builder=types.SimpleNamespace(name="gettext"), outdir=str(tmp_path),
                                config=types.SimpleNamespace(bibtex_bibfiles=BIBFILES))
    bib_zh.write_pot(app, None)
    with (tmp_path / "bib-notes.pot").open("rb") as f:
        pot = {m.id: m.locations for m in read_po(f) if m.id}
    for note, key, where in notes():
        path, _, line = where.rpartition(":")
        assert (path, int(line)) in pot.get(note, []), f"{key}: {where} not in bib-notes.pot"
        assert re.match(r"\s*note\s*=", (ROOT / path).read_text(encoding="utf-8").splitlines()[int(line) - 1])


def test_untranslated_note_warns_naming_bib_file_line_and_catalogue(caplog):
    """Fault: a note that the catalogue does not have (an edited English note) keeps its English and is named."""
    key = "nissenbaum-2010-context"
    bib_zh._Notes.places = bib_zh.note_places(BIBFILES)
    bib_zh._Notes.known = bib_zh.read_catalogue(PO)
    bib_zh._Notes.reported = set()
    edited = "A note edited in English after its translation."
    with caplog.at_level(logging.WARNING):
        assert bib_zh.translate_note(edited, key) == edited
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings, "an untranslated note must give a warning"
    assert re.search(r"bib/ethics\.bib:\d+", warnings[0]) and bib_zh.PO_RELATIVE in warnings[0], warnings[0]
    line = int(re.search(r"bib/ethics\.bib:(\d+)", warnings[0]).group(1))
    assert re.match(r"\s*note\s*=", (ROOT / "bib/ethics.bib").read_text(encoding="utf-8").splitlines()[line - 1])
    # ... and a note that the catalogue has comes back in Chinese.
    note = next(n for n, k, _ in notes() if k == key)
    assert bib_zh.translate_note(note, key) == bib_zh._Notes.known[note]


def test_chinese_date_forms():
    """Dates by the catalogue's CLDR patterns (whose-face.po), formatted by Babel; an undated source as 无日期."""
    from pybtex.database import Entry

    from i18n.translations import in_language

    date = lambda **fields: str(bib_zh.date.format_data({"entry": Entry("misc", fields=fields)}))  # noqa: E731
    with in_language("zh_CN"):
        assert [str(bib_zh.url_date(d)) for d in ("2026-11-01", "2026-11", "n.d.")] == [
            "2026年11月1日", "2026年11月", "n.d."]
        assert [date(year="2020", month="July"), date(year="2020"), date(year="n.d.")] == ["2020年7月", "2020年", "无日期"]
    assert [date(year="2020", month="July"), date(year="2020")] == ["July 2020", "2020"]  # English: the msgids


@pytest.fixture(scope="module")
def zh_bibliography(zh_builds) -> str:
    page = zh_builds["student"].outdir / "docs" / "bibliography.html"
    return page_soup(page).select_one("article").get_text(" ")


def text_of(text: str) -> str:
    return " ".join(text.split())


def test_chinese_bibliography_shows_no_english_note(zh_bibliography):
    page = text_of(zh_bibliography)
    left = [f"{where} ({key}): {s!r}" for note, key, where in notes() for s in english_sentences(note) if s in page]
    assert not left, "English notes on the Chinese bibliography page:\n" + "\n".join(left[:20])


def test_chinese_bibliography_has_no_english_style_words(zh_bibliography):
    page = text_of(zh_bibliography)
    found = {name: rx.search(page).group(0) for name, rx in ENGLISH_STYLE_WORDS.items() if rx.search(page)}
    assert not found, f"pybtex's English words on the Chinese bibliography page: {found}"
    assert "。." not in page, "an English full stop after a Chinese note"
    for chinese in ("网址：", "（访问于2026年11月1日）", "载于", "第81卷", "第77–91页", "2020年7月", "Joy Buolamwini和Timnit Gebru"):
        assert chinese in page, f"{chinese!r} missing from the Chinese bibliography page"


def test_citation_tooltips_are_chinese(zh_builds):
    """Every citation's tooltip (the formatted entry) on every Chinese page: no English note, no English style word."""
    sentences = {s: key for note, key, _ in notes() for s in english_sentences(note)}
    problems, seen, texts = [], 0, set()
    for page in html_pages(zh_builds["student"].outdir):
        soup = page_soup(page)
        for link in soup.select('a[href*="bibliography.html#"][title]'):
            seen += 1
            title = text_of(link["title"])
            texts.add(text_of(link.get_text()))
            problems += [f"{page.name}: {key}: {s!r}" for s, key in sentences.items() if s in title]
            problems += [f"{page.name}: {name}" for name, rx in ENGLISH_STYLE_WORDS.items() if rx.search(title)]
            if rx := ENGLISH_STYLE_WORDS["<author> and <author>"].search(link.get_text()):
                problems.append(f"{page.name}: citation text {rx.group(0)!r}")
    assert seen, "no citation with a tooltip found in the Chinese edition"
    assert "Buolamwini和Gebru，2018" in texts, "two authors in a citation are joined by 和"
    assert not problems, "English in the citations of the Chinese edition:\n" + "\n".join(sorted(set(problems))[:20])


# -- Citations in Chinese form (issue #31) -----------------------------------------------------------------------

AUTHOR_YEAR = r"[^（）()\[\]；0-9]+，(?:\d{4}[a-z]?|无日期)"  # no digits in a name: "2020, 中新经纬" is no author
PARENTHETICAL = re.compile(rf"（{AUTHOR_YEAR}(?:；{AUTHOR_YEAR})*）")  # （最高人民法院，2021；Solove，2006）
TEXTUAL = re.compile(r"[^（）()\[\]；，0-9]+（(?:\d{4}[a-z]?|无日期)）")  # {cite:t}: 杜鑫（2020）


def english_halves() -> dict[str, str]:
    """The English half of every author the Chinese edition names by its Chinese name -> that Chinese name (not those
    an English source is cited by: National Business Daily, the English edition of 每日经济新闻)."""
    from pybtex.database import parse_file

    entries = [e for bib in BIBFILES for e in parse_file(str(ROOT / bib), "bibtex").entries.values()]
    cited_as = {bib_zh.normalise(e.fields[bib_zh.ZH_AUTHOR]) for e in entries if bib_zh.ZH_AUTHOR in e.fields}
    halves = {}
    for entry in entries:
        for person in entry.persons.get("author", []):
            name = " ".join(str(person).replace("{", "").replace("}", "").split())
            chinese, match = bib_zh.chinese_name(name), bib_zh.BILINGUAL_NAME.fullmatch(name)
            if chinese and match:
                halves[next(h for h in match.groups() if h != chinese).strip()] = chinese
    return {english: chinese for english, chinese in halves.items() if english not in cited_as}


def citation_problems(text: str, halves: dict[str, str]) -> list[str]:
    """What is not Chinese in the form of one in-text citation (the text of a span.bibtex-citation)."""
    text = " ".join(text.split())
    problems = []
    if not (PARENTHETICAL.fullmatch(text) or all(TEXTUAL.fullmatch(part) for part in re.split("、|和(?=[^（]*（)", text))):
        problems.append(f"not in Chinese form: {text!r}")
    problems += [f"{english!r} named in English (its Chinese name is {chinese}): {text!r}"
                 for english, chinese in halves.items() if english in text]
    return problems


def test_citations_are_in_chinese_form(zh_builds):
    """Every in-text citation of both Chinese editions: （中文名，年份）, sources joined by ；, no English name of a
    Chinese source, no half-width bracket."""
    halves = english_halves()
    assert "Supreme People's Court" in halves and halves["Supreme People's Court"] == "最高人民法院"
    problems, texts = [], set()
    for edition in ("student", "instructor"):
        for page in html_pages(zh_builds[edition].outdir):
            for span in page_soup(page).select("span.bibtex-citation"):
                if not span.get_text().strip():
                    continue  # a {law} role's empty citation: it lists the source in the bibliography, shows nothing
                texts.add(" ".join(span.get_text().split()))
                problems += [f"{edition}: {page.name}: {p}" for p in citation_problems(span.get_text(), halves)]
    assert len(texts) >= 100, f"only {len(texts)} different citations found in the Chinese editions"
    for expected in ("（最高人民法院，2021）", "（杜鑫，2020；中新经纬，2020）", "（Buolamwini和Gebru，2018）", "古其铮（2021）"):
        assert expected in texts, f"{expected} not found among the Chinese citations"
    assert not problems, "citations not in Chinese form:\n" + "\n".join(sorted(set(problems))[:30])


def test_citation_check_names_an_english_form():
    """Fault: the page check names a citation written the English way, or naming a Chinese source in English."""
    halves = english_halves()
    assert citation_problems("(Supreme People's Court (最高人民法院), 2021)", halves)
    assert citation_problems("（Supreme People's Court，2021）", halves)
    assert citation_problems("（杜鑫，2020, 中新经纬，2020）", halves)
    assert not citation_problems("（最高人民法院，2021；Solove，2006）", halves)
    assert not citation_problems("杭州市富阳区人民法院（2020）和杭州市中级人民法院（2021）", halves)


def test_chinese_names_from_the_entry():
    assert bib_zh.chinese_name("Supreme People's Court (最高人民法院)") == "最高人民法院"
    assert bib_zh.chinese_name("石佳友 (Shi Jiayou)") == "石佳友"
    assert bib_zh.chinese_name("最高人民法院、最高人民检察院") == "最高人民法院、最高人民检察院"
    assert bib_zh.chinese_name("Daily Business (每日商报), via Hangzhou Net (杭州网)") is None
    assert bib_zh.chinese_name("Solove") is None
    assert not bib_zh.author_problems(BIBFILES), bib_zh.author_problems(BIBFILES)


def test_author_with_no_chinese_name_warns_naming_bib_file_and_line(tmp_path):
    """Fault: an author with Chinese in it that the rule cannot split, with no zh_author, is named with its line;
    so is a zh_author or an English name that would put half-width brackets into a Chinese citation."""
    bib = tmp_path / "broken.bib"
    bib.write_text("@misc{relayed-2019,\n  author = {{Daily Business (每日商报), via Hangzhou Net (杭州网)}},\n"
                   "  title = {A title},\n  year = {2019},\n}\n\n"
                   "@misc{bracketed-2020,\n  author = {{Abacus (South China Morning Post)}},\n  year = {2020},\n}\n\n"
                   "@misc{fixed-2019,\n  author = {{Daily Business (每日商报), via Hangzhou Net (杭州网)}},\n"
                   "  zh_author = {每日商报 (杭州网)},\n  year = {2019},\n}\n", encoding="utf-8")
    problems = bib_zh.author_problems([str(bib)])
    assert len(problems) == 3, problems
    assert problems[0].startswith(f"{bib.as_posix()}:2: ") and "relayed-2019" in problems[0]
    assert "zh_author" in problems[0]
    assert problems[1].startswith(f"{bib.as_posix()}:8: ") and "bracketed-2020" in problems[1]
    assert problems[2].startswith(f"{bib.as_posix()}:14: ") and "fixed-2019" in problems[2]
