"""The site as a reader gets it: strict builds, and every page opened offline in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_tools import Tab, audit_site, format_problems, html_pages, new_colour_cases, page_kind, page_soup

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_strict_build_has_no_warnings(builds, edition):
    build = builds[edition]
    assert build.returncode == 0 and not build.warnings, f"{edition} edition:\n" + "\n".join(build.warnings or [build.log])


@pytest.fixture(scope="module")
def student_audit(browser, student_unzipped) -> dict:
    """Every student page, opened once: checked as loaded, then in the dark scheme (site_tools.audit_site).

    The pages are those of the unzipped archive, as students open them: the same files as the build, byte for byte
    (tests/test_publish.py::test_unzipped_copy_is_the_build), so this one audit covers the archive and the build."""
    return audit_site(browser, student_unzipped, dark=True)


def article(page: Path, site: Path) -> str:
    """A page's own content, with the edition's name taken out of its links to the other language's edition."""
    html = page.read_text(encoding="utf-8")
    start, end = html.find("<article"), html.rfind("</article>")
    assert 0 <= start < end, f"{page.relative_to(site)} has no <article>"
    return html[start:end].replace("/instructor-zh/", "/zh/")


def unlike_the_student_edition(student: Path, instructor: Path):
    """Whether an instructor page can show the browser something the student audit did not: the instructor-only
    pages, and the pages whose content (the <article>) differs from the student edition's (exercises with solutions,
    the landing page)."""
    def differs(path: Path) -> bool:
        twin = student / path.relative_to(instructor)
        return not twin.is_file() or article(path, instructor) != article(twin, student)
    return differs


def test_every_page_works_offline(student_audit):
    """From file:// with the network cut: no external request, no console error, every diagram drawn, axe clean."""
    problems = {page: [p for p in found if not p.startswith("dark scheme:")] for page, found in student_audit.items()}
    problems = {page: found for page, found in problems.items() if found}
    assert not problems, f"student edition has problems:\n{format_problems(problems)}"


def test_every_instructor_page_works_offline(browser, student, instructor):
    """The student edition's audit (with axe, light scheme) on every instructor page that differs from its student
    twin (unlike_the_student_edition), and on one page of each kind (site_tools.page_kind) among the others.

    A page left out has the <article> of a student page the student audit checked in full (its content, its diagrams)
    and the frame (banner, navigation, the same stylesheets and scripts) of an instructor page of its kind checked
    here. Opening those pages too (26 of 51, 2026-12-07) cost about 5 s of browser time and could find nothing new."""
    pages = html_pages(instructor)
    assert len(pages) >= 5
    differs = unlike_the_student_edition(student, instructor)
    audited = [p for p in pages if differs(p)]
    assert any("instructor" in p.parts for p in audited) and len(audited) < len(pages)
    kinds = {page_kind(p) for p in audited}
    for page in pages:
        if page_kind(page) not in kinds:
            kinds.add(page_kind(page))
            audited.append(page)
    problems = audit_site(browser, instructor, pages=sorted(audited))
    assert not problems, f"instructor edition has problems:\n{format_problems(problems)}"


def test_colour_rules_still_run_where_a_page_brings_a_new_colour(browser, student, tmp_path):
    """Fault: the audit runs axe's colour rules only on pages that show a colour case no earlier page showed
    (site_tools.COLOUR_CASES). A low-contrast paragraph planted on the last page of a small site, after pages that
    already showed every other case, is still found, in both schemes; a page with no new case is not checked again."""
    import shutil

    site = tmp_path / "site"
    for folder in ("_static", "_images"):
        shutil.copytree(student / folder, site / folder)
    for name in ("genindex.html", "index.html"):
        shutil.copyfile(student / name, site / name)
    last = site / "index.html"  # audited after genindex.html
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", last.read_text(encoding="utf-8"))
    last.write_text(html.replace("<article", '<p style="color: #c8c8c8; background: #fff">hard to read</p><article',
                                 1), encoding="utf-8")  # (the policy would block the inline style)
    problems = audit_site(browser, site, dark=True)
    found = problems.get("index.html", [])
    assert any(p.startswith("axe: color-contrast") for p in found), problems
    assert any(p.startswith("dark scheme: axe: color-contrast") for p in found), problems
    with Tab(browser) as tab:
        seen: set[str] = set()
        assert new_colour_cases(tab.open((site / "index.html").as_uri()).page, seen)
        assert not new_colour_cases(tab.open((site / "index.html").as_uri()).page, seen)


def test_every_page_works_in_the_dark_scheme(student_audit):
    """Switched to the dark scheme after loading: every diagram whole, axe's colour rules clean."""
    problems = {page: [p for p in found if p.startswith("dark scheme:")] for page, found in student_audit.items()}
    problems = {page: found for page, found in problems.items() if found}
    assert not problems, f"dark scheme has problems:\n{format_problems(problems)}"


def test_diagrams_are_drawn_into_the_pages_and_no_page_loads_mermaid(student):
    """Every diagram is an inline SVG in the HTML as built; no page loads Mermaid's runtime (issue #16)."""
    diagrams = 0
    for page in html_pages(student):
        html = page.read_text(encoding="utf-8")
        assert "mermaid.min.js" not in html and "mermaid-init" not in html, f"{page.name} loads Mermaid"
        assert 'type="module"' not in html, f"{page.name}: module scripts do not load from file://"
        for block in re.findall(r'<div class="mermaid".*?</div>', html, re.S):
            diagrams += 1
            assert '<svg' in block and 'role="img"' in block and "<title" in block and "<desc" in block, page.name
    assert diagrams >= 9
    assert not (student / "_static" / "vendor" / "mermaid.min.js").exists()


# An address that leaves the site: with a scheme and host (https://..., file://host/...) or scheme-relative (//host/...).
ANOTHER_HOST = re.compile(r"(?i)^\s*(?:[a-z][a-z0-9+.-]*:)?//(?!/)")
# url(...) and @import in a stylesheet whose address leaves the site.
STYLESHEET_FETCH = re.compile(r"(?i)(?:url\(\s*['\"]?|@import\s+['\"])\s*(?:[a-z][a-z0-9+.-]*:)?//(?!/)")


def test_no_asset_is_fetched_from_another_host(student):
    """Nothing in a page or stylesheet tells the browser to fetch from another host (any host: none is named here).

    Pages: every attribute that loads something (a script, stylesheet, image, font, frame, media). Stylesheets:
    ``url()`` and ``@import``. Links a reader clicks are tests/test_publish.py's (only bibliography entries).
    What JavaScript requests is known only by running it, so the browser audit covers it: the network is cut there
    and every attempt is recorded and fails the page. Mermaid's vendored build is likewise checked by running it.
    """
    offending = []
    for path in sorted(student.rglob("*.html")):
        soup = page_soup(path)
        addresses = [t["src"] for t in soup.find_all(src=True)]
        addresses += [part.split()[0] for t in soup.find_all(srcset=True) for part in t["srcset"].split(",") if part.strip()]
        addresses += [t["href"] for t in soup.find_all("link", href=True)]
        addresses += [t[a] for a in ("data", "poster") for t in soup.find_all(attrs={a: True})]
        offending += [f"{path.relative_to(student)}: {a}" for a in addresses if ANOTHER_HOST.match(a)]
    for path in sorted(student.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        offending += [f"{path.relative_to(student)}: {m.group(0)}..." for m in STYLESHEET_FETCH.finditer(text)]
    assert not offending, "assets fetched from another host:\n" + "\n".join(offending)


def test_asset_check_catches_another_host(tmp_path):
    (tmp_path / "page.html").write_text(
        '<link rel="stylesheet" href="//elsewhere.invalid/a.css"><script src="https://elsewhere.invalid/a.js"></script>'
        '<img src="x.png" srcset="x.png 1x, https://elsewhere.invalid/x2.png 2x"><link href="_static/ok.css">',
        encoding="utf-8",
    )
    (tmp_path / "a.css").write_text("@font-face{src:url('https://elsewhere.invalid/f.woff2')} .x{background:url(ok.png)}")
    with pytest.raises(AssertionError) as caught:
        test_no_asset_is_fetched_from_another_host(tmp_path)
    message = str(caught.value)
    for expected in ("//elsewhere.invalid/a.css", "https://elsewhere.invalid/a.js", "https://elsewhere.invalid/x2.png",
                     "url('https://"):
        assert expected in message, message
    assert "ok.css" not in message and "ok.png" not in message, message
