"""Search works offline: results with one highlighted snippet each, no console errors, no page fetched.

The snippets come from ``_static/search-snippets.js``, written by ``_ext/web/offline_search.py``; the browser checks
themselves live in ``search_check.py`` so that the zip and sub-path tests can run the same ones.

Issue #33: the words searched for reach the result page in its address (``?highlight=``) and are marked there by
``_static/search-highlight.js``, never inside a diagram; nothing the reader searched for is stored (web storage,
cookies, IndexedDB), in either language, from file:// or over http.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from search_check import SNIPPETS, diagram_signature, read_search_index, read_snippets, search_problems
from search_check import search_results, serve_http, signature_differences, stored, words_stored
from site_tools import NOT_LOCAL, ROOT, Tab, html_pages, page_soup

sys.path.insert(0, str(ROOT / "_ext"))
from web.offline_search import TextCollector  # noqa: E402

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
    found = {r["href"].split("#")[0].split("?")[0].removesuffix(".html")  # page.html?highlight=...#anchor
             for r in search_results(browser, url, CJK_QUERY)["results"]}
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
                # A solution is private unless it is a self-check answer, which students see too (_ext/teaching/grading.py).
                hidden = any(
                    "instructor-only" in (classes := set(parent.get("class") or []))
                    or ("solution" in classes and "self-check" not in classes)
                    for parent in el.parents
                ) and not el.find_parent(class_="law-table")  # the law register's names and dates: public (law page)
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


# -- Highlighting on the result page, and nothing stored (issue #33) ---------------------------------------------------

# Words that occur in every diagram's own <style> (Mermaid's class names .label, .edgeLabel; the Chinese edition's font
# "Whose Face CJK"), in its labels, <title> and <desc> (旷视, Megvii's Chinese name), and in the pages' text.
DIAGRAM_WORDS = {"en": "label edge", "zh": "face 旷视"}
STORED_QUERY = {"en": "Megvii consent", "zh": "旷视 同意"}  # two words each, found on several pages


def student_site(request, language: str) -> Path:
    return request.getfixturevalue("student") if language == "en" else request.getfixturevalue("zh_builds")["student"].outdir


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_page_loads_the_project_s_highlighter_and_not_sphinx_s(request, language):
    """_ext/web/offline_search.py puts _static/search-highlight.js where Sphinx puts sphinx_highlight.js, on every page."""
    site = student_site(request, language)
    wrong = []
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        if "sphinx_highlight.js" in html or html.count('src="' + "../" * (len(page.relative_to(site).parts) - 1)
                                                        + "_static/search-highlight.js?v=") != 1:
            wrong.append(page.relative_to(site).as_posix())
    assert not wrong, f"pages that load Sphinx's highlighter or not the project's: {wrong[:10]}"


def diagram_pages(site: Path) -> list[Path]:
    return [p for p in html_pages(site) if 'class="mermaid' in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_result_links_carry_the_words_and_highlighting_leaves_every_diagram_as_drawn(browser, request, language):
    """Every diagram page, opened as a result link opens it (``?highlight=<words>``), draws each diagram exactly as
    without a search (its SVG and the computed style of every shape and label), with no console error, while the
    words are marked in the page's text; and the search page's result links carry the words that way."""
    site = student_site(request, language)
    words = DIAGRAM_WORDS[language]
    first = words.split()[0]
    results = search_results(browser, (site / "search.html").as_uri(), first)["results"]
    assert results, f"no result for {first!r}"
    unmarked = [r["href"] for r in results if f"?highlight={quote(first)}" not in r["href"]]
    assert not unmarked, f"result links that do not carry the search words: {unmarked}"
    pages = diagram_pages(site)
    assert len(pages) >= 5, "too few diagram pages found: the check proves little"
    problems, marked = [], 0
    with Tab(browser) as tab:
        for page in pages:
            where = page.relative_to(site).as_posix()
            plain = diagram_signature(tab.open(page.as_uri()).page)
            visit = tab.open(f"{page.as_uri()}?highlight={quote(words)}")
            marked += visit.page.locator("span.highlighted").count()
            problems += [f"{where}: {d}" for d in signature_differences(plain, diagram_signature(visit.page))]
            problems += [f"{where}: console error: {e}" for e in visit.errors]
            if "highlight=" in visit.page.url:
                problems.append(f"{where}: the words stay in the address after the page has read them")
    assert marked, f"no {words!r} highlighted on any diagram page: the check proves nothing"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(p[:300] for p in problems[:20])


def test_the_diagram_check_catches_sphinx_s_own_highlighter(browser, student):
    """Fault: Sphinx 9's sphinx_highlight.js, run on a diagram page as it ran before issue #33, changes the diagrams
    (a <tspan> in their <style>, which the page's policy then refuses) and throws on <title>; the check sees both."""
    sphinx_js = (ROOT / ".venv").glob("lib/python*/site-packages/sphinx/themes/basic/static/sphinx_highlight.js")
    source = next(sphinx_js).read_text(encoding="utf-8")
    page = student / "cases" / "face-data-remark" / "index.html"
    with Tab(browser) as tab:
        plain = diagram_signature(tab.open(page.as_uri()).page)
        # In a function of its own, so that its `const SPHINX_HIGHLIGHT_ENABLED` does not clash with the page's.
        thrown = tab.page.evaluate(f"""() => {{ try {{ {source}
            ; _highlightText(document.body, "label", "highlighted"); return ""; }} catch (e) {{ return String(e); }} }}""")
        tab.page.wait_for_timeout(100)  # the browser re-applies the changed styles
        differences = signature_differences(plain, diagram_signature(tab.page))
    assert differences, "Sphinx's highlighter changed no diagram: the check would miss the bug of issue #33"
    assert any("markup changed" in d for d in differences) and any("drawn differently" in d for d in differences)
    assert "getBBox" in thrown, thrown


def _storage_flow(context, site_url: str, query: str, allowed) -> dict[str, dict]:
    """Browse, search from the sidebar box, open a result; search again and close the tab before any result; then
    look from a fresh tab. Returns {moment: stored(...)} for each moment."""
    def new_tab():
        tab = context.new_page()
        tab.route(NOT_LOCAL, lambda route: route.continue_() if allowed(route.request.url) else route.abort())
        return tab

    seen = {}
    tab = new_tab()
    tab.goto(site_url + "index.html")
    tab.fill("input.sidebar-search", query)
    tab.press("input.sidebar-search", "Enter")
    tab.wait_for_function("() => document.querySelectorAll('#search-results ul.search > li a').length > 0")
    seen["search page, from the sidebar box"] = stored(tab)
    with tab.expect_navigation():
        tab.click("#search-results ul.search > li a")
    tab.wait_for_load_state("load")
    seen["result page"] = stored(tab)
    seen["result page"]["marked"] = tab.locator("span.highlighted").count()
    tab.close()
    tab = new_tab()
    tab.goto(f"{site_url}search.html?q={quote(query)}")
    tab.wait_for_function("() => document.querySelectorAll('#search-results ul.search > li').length > 0")
    seen["search page, closed before any result"] = stored(tab)
    tab.close()
    tab = new_tab()
    tab.goto(site_url + "index.html")
    seen["a fresh tab, afterwards"] = stored(tab)
    tab.close()
    return seen


@pytest.mark.parametrize("language,scheme", [("en", "file"), ("zh", "file"), ("en", "http")])
def test_search_words_are_never_stored(browser, request, language, scheme):
    """Local storage, session storage, cookies and IndexedDB hold none of the words searched for, at any moment of a
    search, in either language; the result page still marks them (they travel in its address)."""
    from site_tools import local_file

    site = student_site(request, language)
    query = STORED_QUERY[language]
    context = browser.new_context()
    try:
        if scheme == "file":
            seen = _storage_flow(context, site.as_uri() + "/", query, local_file)
        else:
            with serve_http(site) as base:
                seen = _storage_flow(context, base, query, lambda url: url.startswith(base))
    finally:
        context.close()
    assert seen["result page"]["marked"], "the result page marks no search word: highlighting is broken"
    found = [f"{moment}: {place}" for moment, where in seen.items() for place in words_stored(where, query.split())]
    assert not found, "search words stored:\n" + "\n".join(found)


def test_the_storage_check_finds_words_in_every_store(browser, student):
    """Fault: words planted in each kind of storage (over http, where cookies exist) are all found."""
    with serve_http(student) as base, Tab(browser, allowed=lambda url: url.startswith(base)) as tab:
        tab.open(base + "index.html", wait_diagrams=False)
        tab.page.evaluate("""async () => {
            localStorage.setItem("a", "in local storage: consent");
            sessionStorage.setItem("b", "in session storage: consent");
            document.cookie = "c=consent-in-a-cookie";
            await new Promise((done) => {
                const request = indexedDB.open("planted");
                request.onupgradeneeded = () => request.result.createObjectStore("words");
                request.onsuccess = () => {
                    const tx = request.result.transaction("words", "readwrite");
                    tx.objectStore("words").put("consent in IndexedDB", "d");
                    tx.oncomplete = () => { request.result.close(); done(); };
                };
            });
        }""")
        found = words_stored(stored(tab.page), ["CONSENT"])
    kinds = {place.split(":", 1)[0].split(" ")[0] for place in found}
    assert kinds == {"localStorage", "sessionStorage", "cookie", "IndexedDB"}, found
