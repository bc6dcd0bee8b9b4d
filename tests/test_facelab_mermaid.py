"""Every diagram in the catalogue parses and draws in Mermaid 11.12.1 (the copy in node_modules), in Chromium.

A Mermaid syntax error would otherwise show only in the browser, as Mermaid's "Syntax error" picture.
"""

import pytest

from facelab.diagrams import catalogue
from facelab.flows import to_mermaid
from site_tools import ROOT

MERMAID = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"


@pytest.mark.browser
def test_every_diagram_draws_in_mermaid(tmp_path, browser):
    assert MERMAID.exists(), "run `make setup` (npm ci) to install Mermaid"

    page_file = tmp_path / "blank.html"
    page_file.write_text("<!doctype html><html><body></body></html>", encoding="utf-8")
    results = {}
    page = browser.new_page()  # the session's browser (tests/conftest.py)
    page.goto(page_file.as_uri())
    page.add_script_tag(path=str(MERMAID))
    page.evaluate('mermaid.initialize({startOnLoad: false, securityLevel: "strict"})')
    for i, (name, diagram) in enumerate(sorted(catalogue.items())):
        results[name] = page.evaluate(
            """async ([id, src]) => {
                try { await mermaid.parse(src); } catch (e) { return 'parse error: ' + e.message; }
                const {svg} = await mermaid.render('d' + id, src);
                const box = document.createElement('div'); box.innerHTML = svg;
                if (svg.includes('Syntax error')) return 'syntax error picture';
                const el = box.querySelector('svg');
                const title = el.querySelector('title'), desc = el.querySelector('desc');
                if (!title || !desc || !title.textContent || !desc.textContent) return 'no accessible title/description';
                return 'ok';
            }""",
            [i, to_mermaid(diagram)],
        )
    page.close()
    assert results == {name: "ok" for name in catalogue}
