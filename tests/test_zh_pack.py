"""The Chinese classroom pack (`make handouts-zh`): printed in Chinese, marked, and without instructor text for students.

Cheap on purpose: two PDFs only, printed from the session's Chinese builds with scripts/handouts.py's own functions
(one student exercise handout and one session sheet); `make handouts-zh` prints the whole pack the same way. The
English pack's sheet counts, diagrams and worksheets are tested in tests/test_handouts.py.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from site_tools import ROOT, pdf_page_texts
from test_editions import instructor_paragraphs
from test_zh import CJK, chinese_probes

sys.path.insert(0, str(ROOT / "scripts"))
import handouts as pack  # noqa: E402

EXERCISE = ("exercises/face-data-remark.html", "ex-source-criticism")
SESSION = "docs/instructor/sessions/case-1.html"


def squeeze(text: str) -> str:
    """Text without any white space: PDF text of Chinese comes with spaces between characters where fonts change."""
    return re.sub(r"\s+", "", text.replace("\u00a0", " "))


@pytest.fixture(scope="module")
def zh_pack(zh_builds, browser, tmp_path_factory) -> dict:
    """One exercise handout and one session sheet, printed in Chinese; the translator the script used."""
    student, instructor = zh_builds["student"].outdir, zh_builds["instructor"].outdir
    language = pack.site_language(student)
    assert language == pack.site_language(instructor) == "zh", "the Chinese editions must be read as Chinese"
    printer = pack.Printer(browser, "a4", language)
    out = tmp_path_factory.mktemp("handouts-zh")
    title = dict(pack.exercise_labels(student, EXERCISE[0]))[EXERCISE[1]]
    handout, sheet = out / "students" / "exercise.pdf", out / "instructor" / "session.pdf"
    try:
        pack.exercise_handout(printer, student, EXERCISE[0], EXERCISE[1], title, handout)
        pack.session_sheet(printer, instructor / SESSION, sheet)
    finally:
        printer.close()
    return {"handout": handout, "sheet": sheet, "title": title, "tr": printer.tr, "instructor": instructor, "tmp": out}


def test_language_is_read_from_the_landing_page(tmp_path):
    for lang, expected in (("en", "en"), ("zh-CN", "zh"), ("zh-Hans", "zh")):
        (tmp_path / "index.html").write_text(f'<!doctype html>\n<html class="no-js" lang="{lang}"><head>',
                                             encoding="utf-8")
        assert pack.site_language(tmp_path) == expected, lang


def test_every_message_of_the_pack_has_its_chinese():
    tr = pack.translator("zh")
    for message in pack.MESSAGES:
        assert CJK.search(tr(message, name="x") if "{name}" in message else tr(message)), message


def test_chinese_pack_uses_the_glossarys_status_terms():
    """The ledger's status scale is the glossary's Chinese, term for term (docs/glossary.md, "Claim statuses")."""
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    block = glossary[glossary.index("## Claim statuses"):]
    block = block[: block.index("```", block.index("```{glossary}") + 5)]
    terms = dict(re.findall(r"^([a-z-]+)\n(\S+)\n", block, flags=re.M))
    scale = pack.translator("zh")(pack.STATUSES).split(" · ")
    assert scale == [terms[s] for s in pack.STATUSES.split(" · ")], (scale, terms)


def test_chinese_exercise_handout_is_chinese_and_holds_no_instructor_text(zh_pack):
    pages = [squeeze(t) for t in pdf_page_texts(zh_pack["handout"])]
    text = "".join(pages)
    assert len(CJK.findall(text)) > 300, f"too little Chinese in the handout: {text[:300]}"
    tr = zh_pack["tr"]
    for expected in (squeeze(zh_pack["title"]), tr(pack.NOTES)):
        assert squeeze(expected) in text, f"{expected!r} missing from the Chinese handout"
    footer = squeeze(f"{tr(pack.TITLE)} · {zh_pack['title']}")
    assert all(footer in page for page in pages), f"the footer {footer!r} is not on every page"
    assert squeeze(tr(pack.INSTRUCTOR_MARK)) not in text and "Instructor" not in text
    # No instructor paragraph or sentence of the session sheet (which holds this exercise's answers and prompts),
    # probed as in the leak test; positive control: the same probes find them in the printed session sheet.
    one_page = zh_pack["tmp"] / "session-page"
    (one_page / Path(SESSION).parent).mkdir(parents=True)
    (one_page / SESSION).symlink_to(zh_pack["instructor"] / SESSION)
    paragraphs = list(instructor_paragraphs(one_page))
    assert len(paragraphs) >= 5, f"only {len(paragraphs)} instructor paragraphs: the leak check would be vacuous"
    sheet = squeeze(" ".join(pdf_page_texts(zh_pack["sheet"])))
    found = [p for p in paragraphs if squeeze(p) in sheet]
    assert len(found) >= len(paragraphs) // 2, "positive control: the sheet's own notes are not found in its PDF"
    leaks = [probe for p in paragraphs for probe in chinese_probes(p) if squeeze(probe) in text]
    assert not leaks, "instructor text in the Chinese student handout:\n" + "\n".join(leaks[:5])


def test_chinese_session_sheet_is_marked_in_chinese_on_every_page(zh_pack):
    pages = [squeeze(t) for t in pdf_page_texts(zh_pack["sheet"])]
    mark = squeeze(zh_pack["tr"](pack.INSTRUCTOR_MARK))
    assert len(pages) >= 2, "the session sheet should run over several pages"
    unmarked = [i + 1 for i, page in enumerate(pages) if page.count(mark) < 2]  # header and footer
    assert not unmarked, f"pages without {mark!r} in header and footer: {unmarked}"
    assert not any("Instructoredition" in page for page in pages), "the English marking in the Chinese sheet"
    assert all(len(CJK.findall(page)) > 50 for page in pages)
