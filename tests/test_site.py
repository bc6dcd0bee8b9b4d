"""The site as a reader gets it: strict builds, and every page opened offline in a real browser."""

from __future__ import annotations

import pytest

from site_tools import audit_site, format_problems, html_pages

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
