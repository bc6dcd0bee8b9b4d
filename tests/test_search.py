"""Search works offline: results with one highlighted snippet each, no console errors, no page fetched.

The snippets come from ``_static/search-snippets.js``, written by ``_ext/offline_search.py``; the browser checks
themselves live in ``search_check.py`` so that the zip and sub-path tests can run the same ones.
"""

from __future__ import annotations

import re
import sys

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from search_check import SNIPPETS, read_search_index, read_snippets, search_problems, search_results, serve_http
from site_tools import ROOT, html_pages, page_soup

sys.path.insert(0, str(ROOT / "_ext"))
from offline_search import TextCollector  # noqa: E402

pytestmark = pytest.mark.browser

# Words that are on the pages whatever else changes: the subject, case 1's company, a topic of both cases.
QUERIES = ["face", "Megvii", "consent"]
SEVERAL = "face"  # matches several pages
CJK_QUERY = "旷视"  # Megvii's Chinese name: a two-character word, which Sphinx's English index cannot find


@pytest.mark.parametrize("edition", ["student", "instructor"])
@pytest.mark.parametrize("query", QUERIES)
def test_search_from_file(browser, request, edition, query):
    site = request.getfixturevalue(edition)
    problems = search_problems(browser, (site / "search.html").as_uri(), query, min_results=3 if query == SEVERAL else 1)
    assert not problems, "\n".join(problems)


def test_search_over_http(browser, student):
    with serve_http(student) as base:
        problems = [p for q in QUERIES for p in search_problems(browser, base + "search.html", q)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_pasted_chinese_word_is_found(browser, request, edition):
    """A two-character Chinese word is found (Sphinx alone finds nothing), with a highlighted snippet."""
    site = request.getfixturevalue(edition)
    url = (site / "search.html").as_uri()
    problems = search_problems(browser, url, CJK_QUERY)
    assert not problems, "\n".join(problems)
    pages_with_word = {doc for doc, (text, _) in read_snippets(site).items() if CJK_QUERY in text}
    found = {r["href"].split("#")[0].removesuffix(".html") for r in search_results(browser, url, CJK_QUERY)["results"]}
    assert found == pages_with_word


def test_chinese_phrase_across_a_line_break():
    """A soft line break between two Chinese characters is removed, so a pasted phrase matches across it."""
    document = new_document("test", get_default_settings(Parser))
    section = nodes.section(ids=["quote"])
    section += nodes.title(text="Quote")
    section += nodes.paragraph(text="旷视科技是我们\n在8年前投资的一个企业 and an English\nline.")
    document += section
    collector = TextCollector(document)
    document.walkabout(collector)
    text, anchors = collector.result()
    assert "我们在8年前" in text and "English line." in text
    assert text[anchors["quote"] :].startswith("Quote")


def test_snippet_file_is_on_the_search_page_only(student):
    assert (student / SNIPPETS).is_file()
    for page in html_pages(student):
        html = page.read_text(encoding="utf-8")
        assert ("search-snippets.js" in html) == (page.name == "search.html" and page.parent == student), page


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_snippets_cover_the_pages_sphinx_indexes(request, edition):
    """Same pages as searchindex.js: the snippet file is cut from the doctrees Sphinx indexes, nothing else."""
    site = request.getfixturevalue(edition)
    index = read_search_index(site)
    indexed = {doc for doc, title in zip(index["docnames"], index["titles"]) if title}
    assert set(read_snippets(site)) == indexed
    if edition == "student":
        assert not any(doc.startswith("docs/instructor/") for doc in indexed)


def _normalise(text: str) -> str:
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def test_no_instructor_text_in_student_snippets(student, instructor):
    """Every paragraph of the instructor edition's instructor-only material (instructor notes, solutions,
    instructor pages) is absent from the student edition's snippet file.

    Paragraphs that the instructor edition also shows outside that material ("Reading time: about 3 minutes.")
    are public text, so they are left out of the comparison.
    """
    private: set[str] = set()
    public: set[str] = set()
    for page in html_pages(instructor):
        soup = page_soup(page)
        for main in soup.select("[role=main]"):
            for el in main.find_all(["p", "li", "td", "dd", "blockquote"]):
                # A solution is private unless it is a self-check answer, which students see too (_ext/grading.py).
                hidden = any(
                    "instructor-only" in (classes := set(parent.get("class") or []))
                    or ("solution" in classes and "self-check" not in classes)
                    for parent in el.parents
                )
                (private if hidden else public).add(_normalise(el.get_text()))
                if not hidden:  # a public link's text is public, with or without its minutes ("Exercise 5 — …")
                    links = [_normalise(a.get_text()) for a in el.find_all("a")]
                    public.update(links + [re.sub(r" \(\d+ min\)$", "", link) for link in links])
    paragraphs = {p for p in private - public if len(p) >= 30}  # short cells ("Case 1", "20 min") say nothing
    assert paragraphs, "no instructor-only material found in the instructor edition: the leak test would be empty"
    student_text = "\n".join(text for text, _ in read_snippets(student).values())
    instructor_text = "\n".join(text for text, _ in read_snippets(instructor).values())
    missing = [p for p in paragraphs if p not in instructor_text]
    assert not missing, "the instructor edition's snippet file lacks text, so this test could miss a leak:\n" + (
        "\n".join(p[:120] for p in missing)
    )
    leaked = sorted(p for p in paragraphs if p in student_text)
    assert not leaked, f"{len(leaked)} instructor-only paragraphs are in the student {SNIPPETS}:\n" + "\n".join(
        p[:120] for p in leaked
    )


def snippet_texts(browser, site, query):
    url = f"{(site / 'search.html').as_uri()}?q={query}"
    from site_tools import open_page

    visit = open_page(browser, url, wait_diagrams=False)
    try:
        visit.page.wait_for_function(
            "() => (document.querySelector('#search-results p.search-summary')?.innerText || '').length > 0")
        visit.page.wait_for_timeout(50)
        return visit.page.evaluate("""() => [...document.querySelectorAll('#search-results p.context')].map(p => ({
            text: p.innerText, marks: [...p.querySelectorAll('span.highlighted')].map(s => s.innerText)}))""")
    finally:
        visit.close()


def test_snippets_skip_the_page_boilerplate_and_start_at_the_match(browser, student):
    snippets = snippet_texts(browser, student, "lens")
    assert snippets, "no results for 'lens'"
    for s in snippets:
        assert "You will learn" not in s["text"] and "Reading time" not in s["text"], s["text"]
        assert s["marks"], s["text"]


def test_a_short_term_is_highlighted_only_as_a_word(browser, student):
    """'PIPL Art. 13' style queries: a one- or two-letter term never lights up letters inside other words."""
    snippets = snippet_texts(browser, student, "AI")
    assert any(s["marks"] for s in snippets), "no highlighted 'AI' found: the check proves nothing"
    for s in snippets:
        for mark in s["marks"]:
            assert mark.lower() == "ai", f"{mark!r} highlighted in {s['text'][:80]!r}"
