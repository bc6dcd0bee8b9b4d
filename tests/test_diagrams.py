"""Every diagram on the site is drawn from the one data-flow model, never typed by hand."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from facelab import diagrams
from facelab.flows import to_mermaid
from site_tools import ROOT, html_pages


def shown_diagrams(site):
    for page in html_pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for pre in soup.select("pre.mermaid"):
            container = pre.find_parent(class_="dataflow")
            names = [c.removeprefix("dataflow-") for c in (container.get("class") if container else [])
                     if c.startswith("dataflow-")]
            yield str(page.relative_to(site)), (names[0] if names else None), pre.get_text()


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_every_diagram_on_the_site_equals_the_model(request, edition):
    site = request.getfixturevalue(edition)
    seen = set()
    for page, name, source in shown_diagrams(site):
        assert name is not None, f"{page}: a diagram that does not come from the model"
        assert source.strip() == to_mermaid(diagrams.get(name)).strip(), f"{page}: diagram {name} differs from the model"
        seen.add(name)
    assert seen == set(diagrams.names()), f"diagrams in the model but on no page: {set(diagrams.names()) - seen}"


def test_no_page_types_mermaid_by_hand():
    pages = [ROOT / "index.md", *(p for d in ("docs", "cases", "exercises") for p in (ROOT / d).rglob("*.md"))]
    typed = [str(p.relative_to(ROOT)) for p in pages
             if re.search(r"^(```|:::)\s*\{?mermaid\}?", p.read_text(encoding="utf-8"), re.M)]
    assert not typed, f"pages with a hand-typed Mermaid diagram (draw it from facelab.diagrams instead): {typed}"
