"""The classroom pack (`make handouts`): sheet counts, whole diagrams, the instructor marking, the session sheets.

The PDFs are printed once per session from the test builds (the ``handouts`` fixture in conftest.py) and read with
PDFium (``pypdfium2``, requirements.txt; see site_tools.pdf_page_texts): no command-line PDF tool is needed. The
leak test for the student PDFs is in tests/test_editions.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
import sys

from site_tools import ROOT, pdf_cjk_problems, pdf_link_uris, pdf_page_texts

sys.path.insert(0, str(ROOT / "scripts"))
import handouts as pack  # noqa: E402  (scripts/handouts.py)

MARK = "Instructor edition, do not distribute"
CJK_TEXT = re.compile(r"[\u4e00-\u9fff]")
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
    assert "Back to top" not in text, "the site's back-to-top button is printed (a link rewritten for paper lost its class)"


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

    def recording(printer, page, out, left, needed=0):
        pages = original(printer, page, out, left, needed)
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


def test_every_chinese_character_prints_from_the_embedded_font(handouts):
    """On a machine with no Chinese font (CI; this one: `fc-list :lang=zh` is empty), each Chinese character of
    every PDF of the pack is drawn from the module's font embedded in that PDF, with its own glyph."""
    out, made = handouts
    problems = [p for name in made for p in pdf_cjk_problems(out / name)]
    chinese = [name for name in made if any(CJK_TEXT.search(t) for t in page_texts(out / name))]
    assert len(chinese) >= 8, f"only {chinese} hold Chinese: the check would prove little"
    assert not problems, f"{len(problems)} Chinese characters print as boxes:\n" + "\n".join(problems[:10])


def test_no_link_in_any_pdf_points_at_a_file(handouts):
    """A PDF leaves the build machine: no link annotation may lead to a file: URI."""
    out, made = handouts
    local = [f"{name} {uri}" for name in made for uri in pdf_link_uris(out / name) if " file:" in uri]
    assert not local, f"{len(local)} links to the build machine:\n" + "\n".join(local[:10])


def print_one(printer, student, pdf):
    rel, label = "exercises/masked-photos.html", "ex-gate-design"
    try:
        pack.exercise_handout(printer, student, rel, label, "t", pdf)
    finally:
        printer.close()
    return pdf


def test_links_go_to_the_hosted_student_site_when_it_has_an_address(student, instructor, browser, tmp_path):
    printer = pack.Printer(browser, "a4", "en", "", student)
    printer.hosted = "https://example.org/whose-face/en/"  # what a SITE_URL build's canonical links give
    uris = [u.split(" ", 1)[1] for u in pdf_link_uris(print_one(printer, student, tmp_path / "hosted.pdf"))]
    assert uris and all(u.startswith(printer.hosted) for u in uris), uris
    assert any(u.endswith("cases/masked-photos/law.html") for u in uris), uris


def test_fault_a_pack_without_the_font_or_with_file_links_is_caught(student, browser, tmp_path, monkeypatch):
    """Break both on purpose: links left as printed by Chromium, and Chinese drawn from no CJK font at all (neither the
    pack's print font nor the site's own)."""
    monkeypatch.setattr(pack.Printer, "paper_links", lambda self, page: page.add_style_tag(
        content="* { font-family: 'Liberation Sans', sans-serif !important; }"))
    pdf = print_one(pack.Printer(browser, "a4", "en", "", student), student, tmp_path / "broken.pdf")
    boxes = pdf_cjk_problems(pdf)
    assert boxes and "not the module's embedded font" in boxes[0], boxes[:3]
    assert any(" file:" in uri for uri in pdf_link_uris(pdf)), "links to the build machine not caught"


def plan_segments(instructor: Path) -> dict[str, list[str]]:
    """{plan title: [exercise labels]} from the lesson plans' metadata, as the instructor edition's build read it."""
    from test_slides import built_env

    env = built_env(instructor / ".doctrees")  # puts _ext on the path
    from teaching.exercise_meta import lesson_plans

    plans = lesson_plans(env)
    return {title: [value for kind, value, _ in plan["segments"] if kind == "exercise"] for title, plan in plans.items()}


def sheet_of(title: str) -> str:
    for md in sorted((ROOT / "docs/instructor/sessions").glob("*.md")):
        if f"{{session-sheet}} {title}\n" in md.read_text(encoding="utf-8"):
            return md.stem
    raise AssertionError(f"no session sheet for {title!r}")


def test_before_class_names_every_file_a_plan_uses_and_nothing_else(student, instructor, handouts):
    """Each session sheet's "Before class" block names each handout, worksheet and role-card sheet its plan's
    exercises use, every one a file of the pack, with its copies; and the sheet mentions no exercise outside its plan.
    The expected files come from the plans' segments and the student pages, not from the sheet's own code."""
    out, made = handouts
    exercises = dict(student_exercises(student))
    cards_page = BeautifulSoup((student / "exercises/role-cards.html").read_text(encoding="utf-8"), "lxml")
    cards = {}
    for sect in cards_page.select("section section"):
        targets = [a["href"].partition("#")[2] for a in sect.select("a[href*='#ex-']")]
        if targets and sect.select(".role-card"):
            cards[targets[0]] = len(sect.select(".role-card"))
    numbers = {label: int(handout_of(made, label).split("-")[1]) for label in exercises}
    for title, labels in plan_segments(instructor).items():
        expected = set()
        for label in labels:
            ex = exercises[label]
            expected.add(Path(handout_of(made, label)).name)
            if ex.select("table.linddun-worksheet"):
                expected.add(f"linddun-{label.removeprefix('ex-').removeprefix('linddun-')}.pdf")
            objectives = " ".join(dt.find_next_sibling("dd").get_text(" ") for dt in ex.select(".exercise-meta-fields dt")
                                  if "Objectives" in dt.get_text())
            if "claims ledger" in objectives.lower():
                expected.add("claims-ledger.pdf")
            if label in cards:
                expected.add("role-cards.pdf")
        name = sheet_of(title)
        sheet = BeautifulSoup((instructor / f"docs/instructor/sessions/{name}.html").read_text(encoding="utf-8"),
                              "lxml")
        block = sheet.select_one("#before-class")
        assert block is not None, f"{name}: no Before class block"
        items = [norm(li.get_text(" ")) for li in block.select("li")]
        named = {f for item in items for f in re.findall(r"[\w-]+\.pdf", item)}
        assert named == expected, f"{name}: names {sorted(named - expected)} it should not, misses {sorted(expected - named)}"
        assert all(f"students/{f}" in made for f in named), f"{name}: a named file is not in the pack: {named}"
        assert all(re.search(r"\b\d+ in all\b|collect|Collect|Project|project", item) for item in items), items
        assert "Copies assume a class of" in norm(block.get_text(" ")), f"{name}: no stated class size"
        text = norm(sheet.select_one("article").get_text(" "))
        mentioned = {int(n) for n in re.findall(r"\bExercise (\d+)\b", text)}
        stray = mentioned - {numbers[label] for label in labels}
        assert not stray, f"{name}: the sheet mentions exercises {sorted(stray)}, which its plan does not use"


def test_handouts_have_a_name_line_space_for_the_task_and_no_heading_alone(student, handouts):
    """Every exercise handout: a line for the names on its first page; ruled lines in proportion to the task (three a
    step, two a mark of a graded rubric: handouts.space_needed); and its "Your notes and answers" heading never the
    last text of a page (its lines follow it on the same page)."""
    import json

    out, made = handouts
    spaces = json.loads((out / pack.SPACES_JSON).read_text(encoding="utf-8"))
    for label, ex in student_exercises(student):
        name = handout_of(made, label)
        pages = page_texts(out / name)
        assert pages[0].split(" Exercise ")[0].count("Names:") == 1, f"{name}: no name line above the task"
        space = spaces[Path(name).name]
        steps = max([len(ol.find_all("li", recursive=False)) for ol in ex.select("ol") if not ol.find_parent("ol")],
                    default=0)
        assert space["lines"] >= max(6, 3 * steps), f"{name}: {space['lines']} lines for {steps} steps"
        if "exercise-graded" in ex.get("class", []):
            assert space["lines"] >= 20, f"{name}: graded, {space['lines']} lines"
        for number, text in enumerate(pages, 1):
            body = text.rsplit(" Whose Face? ·", 1)[0].strip()  # the footer aside
            alone = body.endswith("Your notes and answers") and body != "Your notes and answers"
            assert not alone, f"{name} p{number}: the heading alone at the foot of the page"
