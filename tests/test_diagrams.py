"""Every diagram on the site is drawn from the one data-flow model, never typed by hand."""

from __future__ import annotations

import hashlib
import re
import sys

import pytest

from facelab import diagrams
from facelab.flows import to_mermaid
from site_tools import ROOT, html_pages, page_soup

sys.path.insert(0, str(ROOT / "_ext"))
from teaching import build_map  # noqa: E402


def shown_diagrams(site):
    for page in html_pages(site):
        soup = page_soup(page)
        for drawn in soup.select("div.mermaid"):
            container = drawn.find_parent(class_="dataflow")
            classes = container.get("class") if container else []
            names = ["build-map"] if "build-map" in classes else [c.removeprefix("dataflow-") for c in classes
                                                                   if c.startswith("dataflow-")]
            yield str(page.relative_to(site)), (names[0] if names else None), drawn["data-sha256"]


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_every_diagram_on_the_site_equals_the_model(request, edition):
    site = request.getfixturevalue(edition)
    seen = set()
    for page, name, digest in shown_diagrams(site):
        assert name is not None, f"{page}: a diagram that does not come from the model"
        if name == "build-map":  # the build itself, for maintainers: a model of its own (_ext/teaching/build_map.py)
            expected = hashlib.sha256(build_map.mermaid_source().encode()).hexdigest()
        else:
            expected = hashlib.sha256(to_mermaid(diagrams.get(name)).encode()).hexdigest()
        assert digest == expected, f"{page}: diagram {name} was drawn from text that differs from the model"
        seen.add(name)
    seen.discard("build-map")
    assert seen == set(diagrams.names()), f"diagrams in the model but on no page: {set(diagrams.names()) - seen}"


def dangling_references(site) -> list[str]:
    """Every reference inside a page's diagrams (url(#…), href="#…") to an id the page does not have."""
    bad = []
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        if "<svg" not in text:
            continue
        ids = set(re.findall(r' id="([^"]+)"', text))
        for svg in re.findall(r"<svg.*?</svg>", text, re.S):
            for ref in re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg):
                target = ref[0] or ref[1]
                if target not in ids:
                    bad.append(f"{page.relative_to(site)}: #{target}")
    return sorted(set(bad))


def test_every_reference_inside_a_diagram_resolves(student):
    """The ids of a diagram are scoped to it (offline_mermaid.tidy), and so are the references to them: a sequence
    diagram's arrows keep their heads (marker-end="url(#…-arrowhead)")."""
    assert not dangling_references(student), dangling_references(student)


def test_dangling_reference_check_catches_a_lost_arrowhead(student, tmp_path):
    """Fault: the timeline's arrowheads pointing at the unscoped id, as tidy() once left them."""
    head = re.compile(r'url\(#[^)]*?-arrowhead\)')  # a sequence diagram's arrowhead (only the timeline draws one)
    page = next(p for p in html_pages(student) if head.search(p.read_text(encoding="utf-8")))
    broken = tmp_path / "site"
    broken.mkdir()
    text = head.sub("url(#arrowhead)", page.read_text(encoding="utf-8"))
    (broken / page.name).write_text(text, encoding="utf-8")
    assert any(line.endswith("#arrowhead") for line in dangling_references(broken))


def test_no_page_types_mermaid_by_hand():
    pages = [ROOT / "index.md", *(p for d in ("docs", "cases", "exercises") for p in (ROOT / d).rglob("*.md"))]
    typed = [str(p.relative_to(ROOT)) for p in pages
             if re.search(r"^(```|:::)\s*\{?mermaid\}?", p.read_text(encoding="utf-8"), re.M)]
    assert not typed, f"pages with a hand-typed Mermaid diagram (draw it from facelab.diagrams instead): {typed}"


# -- Drawn at build time: readable without JavaScript, in both schemes, on a phone and in print (issue #16) ---------

DIAGRAM_PAGES = ["cases/face-data-remark/data-flows.html", "cases/face-data-remark/index.html",
                 "cases/face-data-remark/timeline.html", "cases/masked-photos/supply-chain.html",
                 "cases/masked-photos/masked-recognition.html", "exercises/face-data-remark.html",
                 "docs/lab/dataflow-model.html"]

# The WCAG contrast of every SVG <text> against what is drawn under it (axe-core does not check SVG text).
CONTRAST_JS = """() => {
    const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
        const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
    const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
    const pageBg = parse(getComputedStyle(document.body).backgroundColor);
    const backdrop = (text, x, y) => {
        const layers = [];
        for (const e of document.elementsFromPoint(x, y)) {
            if (e === text || text.contains(e) || e.tagName === 'tspan' || e.tagName === 'text') continue;
            const s = getComputedStyle(e);
            let c = null;
            if (e instanceof SVGGeometryElement) {
                if (s.fill && s.fill !== 'none') { c = parse(s.fill); if (c) c[3] *= Number(s.fillOpacity) * Number(s.opacity); }
            } else { c = parse(s.backgroundColor); }
            if (c && c[3] > 0) { layers.push(c); if (c[3] >= 0.99) break; }
        }
        return layers.reverse().reduce((acc, c) => over(c, acc), pageBg);
    };
    const found = [];
    document.querySelectorAll('.mermaid svg').forEach((svg, i) => {
        svg.querySelectorAll('text').forEach(t => {
            const r = t.getBoundingClientRect(); if (!r.width) return;
            const glyphs = t.querySelector('tspan:not(:has(tspan))') || t;  // the element whose fill paints the text
            const fg = parse(getComputedStyle(glyphs).fill); if (!fg) return;
            const bg = backdrop(t, r.left + r.width / 2, r.top + r.height / 2);
            const [a, b] = [lum(over(fg, bg)), lum(bg)];
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < 4.5) found.push(`diagram ${i + 1}: "${t.textContent.trim().slice(0, 40)}" at ${ratio.toFixed(2)}:1`);
        });
    });
    return found;
}"""

# Effective size of every label on screen, in CSS px.
LABEL_SIZES_JS = """() => Array.from(document.querySelectorAll('.mermaid svg')).flatMap((svg, i) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Array.from(svg.querySelectorAll('text')).map(t =>
        [i + 1, t.textContent.trim().slice(0, 30), parseFloat(getComputedStyle(t).fontSize) * scale]);
})"""

# In print (A4 width), each figure must be one unbreakable block that fits on a page.
PRINT_JS = """() => Array.from(document.querySelectorAll('.mermaid-figure')).map((f, i) => [i + 1,
    getComputedStyle(f).breakInside, f.getBoundingClientRect().height])"""
A4_PAGE_HEIGHT_PX = 1000  # 297 mm at 96 px/in is 1123 px; less Chromium's default print margins


def visits(browser, site, pages, **context):
    """(page, tab) for each of ``pages`` in turn, loaded in one tab of one context with ``context``'s settings.
    Injected CSS goes with each page; emulated media stay for the next (a check that switches them back does so
    itself). One context for all pages, not one each: ~0.15 s less a page (site_tools.Tab)."""
    # bypass_csp: these checks inject CSS to break things on purpose; the site audit checks the policy itself.
    ctx = browser.new_context(bypass_csp=True, **context)
    try:
        tab = ctx.new_page()
        for page in pages:
            tab.goto((site / page).as_uri())
            tab.wait_for_load_state("load")
            yield page, tab
    finally:
        ctx.close()


FONTS = ["DejaVu Sans", "Liberation Sans"]  # the fonts a reader's Linux is likely to draw the labels in


@pytest.fixture(scope="module")
def diagram_checks(browser, student) -> dict[str, list[str]]:
    """Each diagram page opened once for the checks that need no special viewport: {check: problems}.

    The contrast of every label in the light scheme, then in the dark scheme (switched as a reader's system would,
    see site_tools.switch_to_dark), then, for each font in FONTS, whether a label overflows its box when drawn in it.
    """
    from site_tools import diagram_problems, switch_to_dark

    found: dict[str, list[str]] = {"light": [], "dark": [], **{font: [] for font in FONTS}}
    for page, tab in visits(browser, student, DIAGRAM_PAGES, color_scheme="light"):
        found["light"] += [f"{page} (light): {p}" for p in tab.evaluate(CONTRAST_JS)]
        switch_to_dark(tab)
        found["dark"] += [f"{page} (dark): {p}" for p in tab.evaluate(CONTRAST_JS)]
        for font in FONTS:
            style = tab.add_style_tag(
                content=f".mermaid svg text, .mermaid svg tspan {{ font-family: '{font}' !important; }}")
            found[font] += [f"{page}: {p}" for p in diagram_problems(tab)]
            style.evaluate("element => element.remove()")
        tab.emulate_media(color_scheme="light")  # the next page loads in the light scheme
    return found


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_svg_text_contrast_is_at_least_4_5_to_1(diagram_checks, scheme):
    problems = diagram_checks[scheme]
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_contrast_check_catches_pale_text(browser, student):
    for _, tab in visits(browser, student, DIAGRAM_PAGES[:1]):
        tab.add_style_tag(content=".mermaid svg g.node text { fill: #bbbbbb !important; }")
        problems = tab.evaluate(CONTRAST_JS)
    assert any(":1" in p for p in problems), problems


@pytest.mark.browser
def test_diagrams_show_with_javascript_off(browser, student):
    for page, tab in visits(browser, student, DIAGRAM_PAGES, java_script_enabled=False):
        areas = tab.evaluate("() => Array.from(document.querySelectorAll('.mermaid svg'))"
                             ".map(s => s.getBoundingClientRect().width * s.getBoundingClientRect().height)")
        assert areas and all(a > 10_000 for a in areas), f"{page}: {areas}"


def small_labels(browser, site, extra_css="", pages=DIAGRAM_PAGES):
    found = []
    for page, tab in visits(browser, site, pages, viewport={"width": 390, "height": 844}, device_scale_factor=2):
        if extra_css:
            tab.add_style_tag(content=extra_css)
        found += [f"{page}: diagram {i} {text!r} at {size:.1f} px" for i, text, size in tab.evaluate(LABEL_SIZES_JS)
                  if text and size < 11]
    return found


@pytest.mark.browser
def test_labels_are_readable_on_a_390_px_phone(browser, student):
    assert small_labels(browser, student) == []


@pytest.mark.browser
def test_phone_check_catches_squashed_diagrams(browser, student):
    # One page is enough to prove the check catches the fault.
    assert small_labels(browser, student, ".mermaid svg { max-width: 100% !important; }", pages=DIAGRAM_PAGES[:1])


@pytest.mark.browser
def test_wide_blocks_scroll_with_a_visible_cue_on_a_phone(browser, student):
    """Diagrams and other wide tables scroll sideways in their own region, with edge shadows as the cue. (The data-flow
    tables do not scroll on a phone: their rows stack as cards, tests/test_phone_tables.py.)"""
    phone = {"width": 390, "height": 844}
    for _, tab in visits(browser, student, ["cases/face-data-remark/data-flows.html"], viewport=phone):
        regions = tab.evaluate("""() => Array.from(document.querySelectorAll('.mermaid, .table-wrapper:not(.dataflow-table)')).map(e => {
            const s = getComputedStyle(e); return [e.className, s.overflowX, s.backgroundImage.includes('gradient'),
            e.scrollWidth > e.clientWidth]; })""")
        page_width = tab.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390, "the page itself scrolls sideways"
    assert regions and all(o in ("auto", "scroll") and cue for _, o, cue, _ in regions), regions
    assert any(wide for *_, wide in regions), "no region needed scrolling: the check proves nothing"


def print_problems(browser, site, extra_css="", pages=DIAGRAM_PAGES):
    found = []
    for page, tab in visits(browser, site, pages, viewport={"width": 718, "height": 1000}):
        tab.emulate_media(media="print")
        if extra_css:
            tab.add_style_tag(content=extra_css)
        for i, breaking, height in tab.evaluate(PRINT_JS):
            if breaking != "avoid" or height > A4_PAGE_HEIGHT_PX:
                found.append(f"{page}: diagram {i} could split across pages (break-inside {breaking}, {height:.0f} px)")
    return found


@pytest.mark.browser
def test_no_diagram_splits_across_a_printed_page(browser, student):
    assert print_problems(browser, student) == []


@pytest.mark.browser
def test_print_check_catches_a_splittable_diagram(browser, student):
    css = ".mermaid-figure { break-inside: auto !important; } .mermaid svg { max-height: none !important; }"
    assert print_problems(browser, student, css, pages=DIAGRAM_PAGES[:1])  # one page proves the check


@pytest.mark.browser
@pytest.mark.parametrize("font", FONTS)
def test_no_label_overflows_in_either_installed_font(diagram_checks, font):
    problems = diagram_checks[font]
    assert not problems, "\n".join(problems)
