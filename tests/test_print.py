"""An exercise page prints as a clean handout: no navigation chrome, diagrams drawn, and in the instructor edition the
banner on top and the solutions open.

Each page is opened offline in headless Chromium, its diagrams are drawn, print media is emulated, and the page is
printed to PDF. The layout is checked in the print-emulated page; the PDF's text is checked with PDFium
(site_tools.pdf_page_texts). To look at the pages yourself (poppler-utils): ``pdftoppm -r 60 -png page.pdf page``
and open the PNG files.
"""

from __future__ import annotations

import re

import pytest
from site_tools import open_page, pdf_page_texts

PAGE = "exercises/face-data-remark.html"  # exercises, solutions and a data-flow diagram
CHROME = [
    ".sidebar-drawer",
    ".toc-drawer",
    ".mobile-header",
    ".related-pages",
    ".back-to-top",
    ".theme-toggle-container",
    ".content-icon-container",
    ".sidebar-search-container",
    "button.copybtn",
    "button.toggle-button",
]
HIDDEN_JS = """sel => Array.from(document.querySelectorAll(sel)).filter(el => {
    const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;
}).length"""
DIAGRAMS_JS = """() => Array.from(document.querySelectorAll('.mermaid')).map(el => {
    const svg = el.querySelector('svg'); if (!svg) return 0;
    const r = svg.getBoundingClientRect(); return getComputedStyle(el).display === 'none' ? 0 : r.width * r.height;
})"""
SOLUTION_BODIES_JS = """() => Array.from(document.querySelectorAll('.solution')).map(el => {
    const body = el.querySelector('.admonition-title ~ *'); if (!body) return false;
    const s = getComputedStyle(body); const r = body.getBoundingClientRect();
    return s.visibility === 'visible' && s.opacity === '1' && r.height > 20;
})"""


def pdf_text(pdf) -> str:
    """The PDF's text, page after page (site_tools.pdf_page_texts: no system PDF tool needed)."""
    return "\n".join(pdf_page_texts(pdf))


def print_page(browser, site, tmp_path, name):
    visit = open_page(browser, (site / PAGE).as_uri())
    page = visit.page
    page.emulate_media(media="print")
    pdf = tmp_path / f"{name}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    text = pdf_text(pdf)
    return visit, pdf, " ".join(text.split())


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_exercise_page_prints_as_a_clean_handout(edition, request, browser, tmp_path):
    site = request.getfixturevalue(edition)
    visit, pdf, text = print_page(browser, site, tmp_path, edition)
    page = visit.page
    try:
        visible_chrome = {sel: n for sel in CHROME if (n := page.evaluate(HIDDEN_JS, sel))}
        assert not visible_chrome, f"navigation chrome visible in print: {visible_chrome}"
        areas = page.evaluate(DIAGRAMS_JS)
        assert areas and all(a > 10_000 for a in areas), f"diagrams missing or not drawn in print: {areas}"
        assert not visit.errors, visit.errors
    finally:
        visit.close()

    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) >= 2
    assert "Exercises: A slip of the tongue?" in text
    assert "Exercise 1 — One evening, three headlines (20 min)" in text
    assert "Vendor cloud API" in text and "Vendor storage" in text, "the diagram's labels are not in the PDF"
    for nav_only in ("How to use this module", "Skip to content", "Bibliography"):
        assert nav_only not in text, f"navigation text {nav_only!r} printed"


def test_instructor_print_has_banner_and_open_solutions(instructor, browser, tmp_path):
    visit, _, text = print_page(browser, instructor, tmp_path, "instructor-solutions")
    try:
        bodies = visit.page.evaluate(SOLUTION_BODIES_JS)
        assert len(bodies) >= 5 and all(bodies), f"solutions not printed open: {bodies}"
        banner = visit.page.evaluate(HIDDEN_JS, ".announcement")
        assert banner == 1, "the 'Instructor edition' banner does not print"
    finally:
        visit.close()
    assert text.startswith("Instructor edition"), text[:200]
    assert "What a good answer covers." in text and "Common misconceptions." in text
    assert "How this exercise is graded (10 points)" in text


def test_student_print_has_no_banner_or_solutions(student, browser, tmp_path):
    visit, _, text = print_page(browser, student, tmp_path, "student-handout")
    visit.close()
    assert "Instructor edition" not in text
    # Students' handouts show each graded exercise's criteria and the self-check answer of Exercise 5 (ungraded);
    # no other solution.
    assert "How this exercise is graded (10 points)" in text, "the criteria do not print for students"
    assert not re.search(r"Solution to Exercise [1-4]\b", text), "a private solution prints for students"
    assert "The three frames are a start-up anecdote" not in text and "Rubric (10 points)" not in text
