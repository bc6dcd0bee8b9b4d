"""The site as a reader gets it: strict builds, and every page opened offline in a real browser."""

from __future__ import annotations

import pytest

from site_tools import Tab, audit_site, axe_violations, diagram_problems, format_problems, html_pages

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_strict_build_has_no_warnings(builds, edition):
    build = builds[edition]
    assert build.returncode == 0 and not build.warnings, f"{edition} edition:\n" + "\n".join(build.warnings or [build.log])


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_every_page_works_offline(browser, request, edition):
    """From file:// with the network cut: no external request, no console error, every diagram drawn, axe clean."""
    site = request.getfixturevalue(edition)
    assert len(html_pages(site)) >= 5
    problems = audit_site(browser, site)
    assert not problems, f"{edition} edition has problems:\n{format_problems(problems)}"


def test_diagrams_redraw_in_the_dark_scheme(browser, student):
    """Switching the reader's scheme to dark redraws every diagram in Mermaid's dark theme, whole and axe-clean."""
    pages = [p for p in html_pages(student) if 'class="mermaid"' in p.read_text(encoding="utf-8")]
    assert len(pages) >= 5
    problems = {}
    with Tab(browser) as tab:
        for path in pages:
            tab.page.emulate_media(color_scheme="light")
            visit = tab.open(path.as_uri())
            page = visit.page
            page.emulate_media(color_scheme="dark")  # furo follows the system scheme by default; so does mermaid-init.js
            page.wait_for_function(
                "document.documentElement.dataset.mermaid === 'done'"
                " && document.documentElement.dataset.mermaidTheme === 'dark'",
                timeout=15_000,
            )
            found = [f"console error: {e}" for e in visit.errors] + diagram_problems(page)
            found += [f"axe: {v}" for v in axe_violations(page)]
            if found:
                problems[str(path.relative_to(student))] = found
    assert not problems, "dark scheme:\n" + format_problems(problems)


def test_mermaid_loads_only_on_diagram_pages(student):
    for page in html_pages(student):
        html = page.read_text(encoding="utf-8")
        has_diagram = 'class="mermaid"' in html
        assert ("mermaid.min.js" in html) == has_diagram, f"{page.name}: Mermaid script presence should match diagrams"
        assert 'type="module"' not in html, f"{page.name}: module scripts do not load from file://"


def test_no_third_party_urls_in_assets(student):
    """No page or asset references a CDN, web font or analytics host."""
    bad = ("cdn.jsdelivr", "unpkg.com", "cdnjs", "fonts.googleapis", "fonts.gstatic", "googletagmanager", "google-analytics")
    for path in student.rglob("*"):
        if path.suffix in {".html", ".js", ".css"} and "vendor" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="replace")
            hits = [b for b in bad if b in text]
            assert not hits, f"{path.relative_to(student)} mentions {hits}"
