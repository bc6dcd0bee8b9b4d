"""The classroom pack (`make handouts`): sheet counts, whole diagrams, the instructor marking, the session sheets.

The PDFs are printed once per session from the test builds (the ``handouts`` fixture in conftest.py) and read with
PDFium (``pypdfium2``, requirements.txt; see site_tools.pdf_page_texts): no command-line PDF tool is needed. The
leak test for the student PDFs is in tests/test_editions.py.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
import sys

from site_tools import ROOT, pdf_page_texts

sys.path.insert(0, str(ROOT / "scripts"))
import handouts as pack  # noqa: E402  (scripts/handouts.py)

MARK = "Instructor edition, do not distribute"
EXERCISE_PAGES = ["exercises/face-data-remark.html", "exercises/masked-photos.html", "exercises/cross-case.html"]


def norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def page_texts(pdf: Path) -> list[str]:
    return [norm(text) for text in pdf_page_texts(pdf)]


def student_exercises(student: Path) -> list[tuple[str, BeautifulSoup]]:
    found = []
    for rel in EXERCISE_PAGES:
        soup = BeautifulSoup((student / rel).read_text(encoding="utf-8"), "lxml")
        found += [(ex["id"], ex) for ex in soup.select("div.exercise[id]")]
    return found


def handout_of(made: dict[str, int], label: str) -> str:
    names = [n for n in made if n.startswith("students/exercise-") and n.endswith(f"-{label.removeprefix('ex-')}.pdf")]
    assert len(names) == 1, f"{label}: expected one handout, found {names}"
    return names[0]


def test_one_handout_per_exercise_on_at_most_two_sheets(student, handouts):
    out, made = handouts
    exercises = student_exercises(student)
    assert len(exercises) >= 10
    too_long = {}
    for label, ex in exercises:
        name = handout_of(made, label)
        pages = len(page_texts(out / name))
        assert pages == made[name]
        if pages > 2:
            too_long[name] = pages
        text = " ".join(page_texts(out / name))
        title = norm(ex.select_one(".admonition-title").get_text(" "))
        assert title in text, f"{name}: the exercise title {title!r} is not printed"
        assert "Format" in text and " min" in text, f"{name}: minutes and format missing"
        assert "Your notes and answers" in text, f"{name}: no space to write"
    assert not too_long, f"exercise handouts over two A4 sheets: {too_long}"


def test_no_diagram_is_split_across_pages(student, handouts):
    """Every label of a diagram an exercise shows is printed on one and the same page of its handout."""
    out, made = handouts
    checked = 0
    for label, ex in student_exercises(student):
        for svg in ex.select(".mermaid svg"):
            labels = {norm(g.get_text(" ")) for g in svg.select("g.node")} - {""}
            pages = page_texts(out / handout_of(made, label))
            whole = [i for i, text in enumerate(pages) if all(lb in text for lb in labels)]
            assert whole, f"{label}: the diagram's labels {sorted(labels)} are not all on one page"
            checked += 1
    assert checked >= 1, "no diagram checked: the exercises show none?"


def test_worksheets_have_columns_to_fill_and_cards_to_cut(handouts):
    out, made = handouts
    ledger = " ".join(page_texts(out / "students" / "claims-ledger.pdf"))
    for column in ("Claim", "Who says it", "Source", "Status", "Evidence"):
        assert column in ledger, f"claims ledger: column {column!r} missing"
    worksheets = [n for n in made if n.startswith("students/linddun-")]
    assert len(worksheets) == 2, worksheets
    for name in worksheets:
        text = " ".join(page_texts(out / name))
        assert "Real here? How it happens" in text and "Who could stop it, and how" in text, name
        assert made[name] <= 2 or "supply" in name, f"{name}: {made[name]} pages"
    cards = " ".join(page_texts(out / "students" / "role-cards.pdf"))
    for role in ("Lee Kai-fu", "Ant Group", "Megvii", "Meitu", "Alipay user", "Regulator", "Journalist",
                 "Engineering lead", "Compliance officer", "Product owner", "Seller"):
        assert role in cards, f"role card {role!r} missing"


def test_instructor_marking_on_every_page_of_every_instructor_pdf(handouts):
    out, made = handouts
    sheets = [n for n in made if n.startswith("instructor/")]
    assert len(sheets) >= 4, sheets
    unmarked = {name: [i + 1 for i, text in enumerate(page_texts(out / name)) if MARK not in text] for name in sheets}
    unmarked = {k: v for k, v in unmarked.items() if v}
    assert not unmarked, f"instructor pages without {MARK!r}: {unmarked}"
    student = [n for n in made if n.startswith("students/")]
    marked = [n for n in student if any("Instructor edition" in t for t in page_texts(out / n))]
    assert not marked, f"student PDFs that claim to be instructor material: {marked}"


def test_session_sheet_holds_the_whole_kit(handouts):
    out, made = handouts
    text = " ".join(page_texts(out / "instructor" / "session-case-1.pdf"))
    for part in ("Timed plan", "Before the session", "Exercise 1 — One evening, three headlines (20 min)",
                 "How this exercise is graded (10 points)", "If the room goes quiet", "If the room runs away from the facts",
                 "What to collect", "Set-up, hand-in of the graded ledgers, slack"):
        assert part in text, f"session sheet for Case 1 lacks {part!r}"


def test_session_sheets_one_click_from_the_instructor_landing_page(instructor):
    landing = BeautifulSoup((instructor / "docs/instructor/index.html").read_text(encoding="utf-8"), "lxml")
    article = landing.select_one("article")
    links = {a["href"].split("#")[0] for a in article.select("a[href]") if "sessions/" in a["href"]}
    sheets = {f"sessions/{p.name}" for p in (instructor / "docs/instructor/sessions").glob("*.html")}
    assert len(sheets) >= 5 and sheets <= links, f"session sheets not linked from the landing page: {sheets - links}"
    plans = BeautifulSoup((instructor / "docs/instructor/lesson-plans.html").read_text(encoding="utf-8"),
                          "lxml").select("table.lesson-plan-table")
    assert len(plans) == len(sheets), "one session sheet per lesson plan"


def test_a_wrong_first_guess_gives_the_same_writing_space(student, browser, tmp_path, monkeypatch):
    """The search for the most ruled lines starts from a guess measured on the page (handouts.write_space); with a
    guess that is far off (the page said to be empty), it must still end at the same lines and sheets."""
    printer = pack.Printer(browser, "a4")
    spaces = []
    original = pack.write_space

    def recording(printer, page, out, left):
        pages = original(printer, page, out, left)
        spaces.append((pages, page.evaluate("() => document.querySelector('.handout .write-space').style.height")))
        return pages

    monkeypatch.setattr(pack, "write_space", recording)
    rel, label = "exercises/face-data-remark.html", "ex-source-criticism"
    try:
        pack.exercise_handout(printer, student, rel, label, "t", tmp_path / "guessed.pdf")
        monkeypatch.setattr(pack, "GUESS_JS", "() => 0")
        pack.exercise_handout(printer, student, rel, label, "t", tmp_path / "searched.pdf")
    finally:
        printer.close()
    assert spaces[0] == spaces[1], spaces
