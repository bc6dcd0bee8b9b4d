"""Every page carries a Content-Security-Policy and a no-referrer policy, and the policy really blocks (issue #17).

That no page breaks its own policy is checked by the site audits (tests/test_site.py): a violation is a console error
there, on every page of both editions, in both schemes.
"""

from __future__ import annotations

import re
import shutil

import pytest

from site_tools import html_pages, open_page

CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


@pytest.mark.parametrize("edition", ["student", "instructor", "zh"])
def test_every_page_has_a_strict_policy_and_no_referrer(request, edition):
    site = request.getfixturevalue("zh_builds")["student"].outdir if edition == "zh" else request.getfixturevalue(edition)
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        found = CSP.search(html)
        assert found, f"{page.relative_to(site)}: no Content-Security-Policy"
        policy = found.group(1).replace("&#x27;", "'")
        for directive in ("default-src 'none'", "connect-src 'none'", "object-src 'none'", "base-uri 'none'"):
            assert directive in policy, f"{page.relative_to(site)}: {directive!r} missing"
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, page.relative_to(site)
        # No 'file:' source (issue #33): it admitted any local file; 'self' covers the site's own (_ext/web/csp.py).
        assert "file:" not in policy, f"{page.relative_to(site)}: a file: source in {policy[:120]}..."
        assert '<meta name="referrer" content="no-referrer">' in html, f"{page.relative_to(site)}: no referrer policy"
        head = html[: html.index("</head>")]
        assert head.index("Content-Security-Policy") < min(
            (head.index(t) for t in ("<script", "<style", "<link") if t in head), default=len(head)
        ), f"{page.relative_to(site)}: the policy must come before any script or style"


@pytest.mark.browser
def test_an_injected_inline_script_is_blocked(student, browser, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(student, site)
    page = site / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</body>", "<script>document.title = 'INJECTED';</script></body>"), encoding="utf-8")
    visit = open_page(browser, page.as_uri())
    title = visit.page.title()
    errors = list(visit.errors)
    visit.close()
    assert title != "INJECTED", "an inline script that the build did not hash ran"
    assert any("Content Security Policy" in e for e in errors), errors


def test_late_scripts_carry_a_checksum(student):
    search = (student / "search.html").read_text(encoding="utf-8")
    assert re.search(r'search-snippets\.js\?v=[0-9a-f]{8}"', search), "search-snippets.js has no checksum in its URL"


@pytest.mark.browser
def test_chromium_admits_the_site_s_files_by_self_and_no_narrower_file_source(browser, tmp_path):
    """Why the offline policy is 'self' alone (_ext/web/csp.py): from file://, Chromium's 'self' admits local scripts,
    styles and images, and it refuses a file: source narrowed to a folder as invalid, so a file: source could only
    ever be the whole scheme. If a Chromium starts to accept a folder, this test says so and the policy can use it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.js").write_text("window.loaded = true;", encoding="utf-8")
    (site / "a.css").write_text("body { color: rgb(1, 2, 3); }", encoding="utf-8")

    def load(policy: str):
        page = site / "index.html"
        page.write_text(f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{policy}">'
                        '<link rel="stylesheet" href="a.css"><script src="a.js"></script></head><body></body></html>',
                        encoding="utf-8")
        visit = open_page(browser, page.as_uri(), wait_diagrams=False)
        try:
            return visit.page.evaluate("[window.loaded === true, getComputedStyle(document.body).color]"), visit.errors
        finally:
            visit.close()

    (script, colour), errors = load("default-src 'none'; script-src 'self'; style-src 'self'")
    assert script and colour == "rgb(1, 2, 3)" and not errors, (script, colour, errors)
    folder = site.as_uri() + "/"
    (script, colour), errors = load(f"default-src 'none'; script-src {folder}; style-src {folder}")
    assert not script and any("invalid source" in e for e in errors), (script, errors)
