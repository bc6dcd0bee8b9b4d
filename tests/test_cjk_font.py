"""The module's own CJK font on screen (_ext/i18n/cjk_font.py): the English site and the decks draw every Chinese character
from it on a machine with no Chinese font (this one and CI: `fc-list :lang=zh` is empty), and each page fetches only
the slices of the font its characters fall in. The printed pack's font is checked in tests/test_handouts.py.

Each check asks Chromium which fonts drew each run of Chinese characters (site_tools.cjk_problems, through the
DevTools protocol), not only whether the text is there: an empty box extracts as the right character too.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from site_tools import ROOT, Tab, cjk_problems
from test_slides import decks  # noqa: F401  (the decks, built once per run)

sys.path.insert(0, str(ROOT / "_ext"))
from i18n import cjk_font  # noqa: E402

# Pages with Chinese of each kind: the language switcher (every page), citation labels and quotations, glossary terms.
PAGES = ["index.html", "exercises/face-data-remark.html", "docs/glossary.html", "cases/masked-photos/law.html"]


def no_system_cjk_font() -> bool:
    try:
        found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return True
    return not found


def declared_slices(css: str) -> dict[str, set[int]]:
    """{slice file: its code points} from a stylesheet's @font-face rules."""
    found = {}
    for src, ranges in re.findall(r'src: url\("([^"]+)"\)[^}]*?unicode-range: ([^;]+);', css):
        if src.startswith("data:"):  # the stand-in (cjk_font.METRICS): inlined, never fetched
            continue
        points = set()
        for part in ranges.split(","):
            a, _, b = part.strip().removeprefix("U+").partition("-")
            points |= set(range(int(a, 16), int(b or a, 16) + 1))
        found[src.rsplit("/", 1)[-1]] = points
    return found


def visit(browser, site, rel, block_fonts=False):
    """Open a page offline; return (runs, problems, slices fetched, whole subset fetched, characters on the page)."""
    with Tab(browser) as tab:
        fetched = []
        tab.page.on("request", lambda r: fetched.append(r.url) if r.url.endswith(".woff2") else None)
        tab.open((site / rel).as_uri())
        if block_fonts:  # the fault: a page whose stylesheet does not name the module's font (CSSOM: the CSP allows it)
            tab.page.evaluate("""() => { const sheet = new CSSStyleSheet();
                sheet.replaceSync('* { font-family: sans-serif !important; }');
                document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }""")
        chars = set(tab.page.evaluate("() => document.body.innerText").strip())
        runs, problems = cjk_problems(tab.page)
    slices = {u.rsplit("/", 1)[-1] for u in fetched if f"/{cjk_font.SLICES}/" in u}
    whole = any(u.endswith("/" + cjk_font.SUBSET) for u in fetched)
    return runs, problems, slices, whole, chars


@pytest.mark.browser
def test_english_site_draws_every_chinese_character_from_the_module_font(browser, student):
    if not no_system_cjk_font():
        pytest.skip("this machine has a system CJK font: the check needs one without (as CI)")
    css = (student / "_static" / cjk_font.CSS_EN).read_text(encoding="utf-8")
    slices = declared_slices(css)
    assert 2 <= len(slices) <= cjk_font.MAX_SLICES, f"{len(slices)} slices"
    checked = 0
    for rel in PAGES:
        runs, problems, fetched, whole, chars = visit(browser, student, rel)
        assert runs >= 1, f"{rel}: no Chinese found to check"
        assert not problems, f"{rel}: Chinese drawn from another font:\n" + "\n".join(problems[:5])
        assert not whole, f"{rel} fetched the whole subset, not its slices"
        needed = {name for name, points in slices.items() if points & {ord(c) for c in chars}}
        assert fetched <= needed, f"{rel} fetched slices it shows no character of: {sorted(fetched - needed)}"
        checked += runs
    assert checked >= 50


@pytest.mark.browser
def test_fault_chinese_without_the_font_is_caught(browser, student):
    """Break it on purpose: without the module's font the boxes of a system font must be reported."""
    if not no_system_cjk_font():
        pytest.skip("this machine has a system CJK font: the fault would not show")
    runs, problems, *_ = visit(browser, student, "docs/glossary.html", block_fonts=True)
    assert runs >= 10 and len(problems) == runs, (runs, problems[:3])


def test_the_font_is_sliced_by_the_pages_characters_occur_on():
    """Characters that occur on the same pages share a slice; one on every page goes with the others on every page;
    a page is not made to fetch a large group it does not show."""
    pages = {f"p{i}.html": {"中", "文"} for i in range(10)}
    first, second = ({chr(0x5000 + start + i) for i in range(60)} for start in (0, 100))  # more than a fetch costs
    pages["p0.html"] |= first  # a quotation on one page
    pages["p1.html"] |= second  # another on another page
    pages["p2.html"] |= {min(first), min(second)}  # a character of each
    slices = cjk_font.slice_characters(pages)
    assert len(slices) <= cjk_font.MAX_SLICES
    assert {"中", "文"} <= set(slices[0]), "the characters on every page come first"
    assert sorted(c for s in slices for c in s) == sorted(set().union(*pages.values())), "each character once"
    slice_of = {c: i for i, s in enumerate(slices) for c in s}
    for quotation in (first, second):
        assert len({slice_of[c] for c in quotation - {min(quotation)}}) == 1, "a quotation in one slice"
    assert slice_of[max(first)] != slice_of[max(second)], "page 0 would fetch page 1's quotation"
    assert cjk_font.unicode_range("一丁七中") == "U+4E00-4E01, U+4E03, U+4E2D"


def test_the_stand_in_takes_the_room_the_font_will_take(student):
    """While the slices load, the page is laid out in the stand-in (cjk_font.METRICS): every character of the subset
    as wide as in the font, the same vertical metrics, nothing drawn; so nothing moves when the glyphs arrive. Each
    page adds it in its head, before the first layout."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    static = student / "_static"
    font = TTFont(str(static / cjk_font.SUBSET))
    css = (static / cjk_font.CSS_EN).read_text(encoding="utf-8")
    script = (static / cjk_font.METRICS_JS).read_text(encoding="utf-8")
    inlined = [base64.b64decode(m) for m in re.findall(r'url\("data:font/woff2;base64,([^"]+)"\)', css)]
    assert inlined and inlined[0] == base64.b64decode(re.search(r'atob\("([^"]+)"\)', script).group(1))
    stand_in = TTFont(io.BytesIO(inlined[0]))
    assert stand_in["name"].getDebugName(6).startswith(cjk_font.METRICS.replace(" ", "")), "not named Source Han Sans"
    glyphs, mapped = stand_in["glyf"], stand_in.getBestCmap()
    for point, name in font.getBestCmap().items():
        assert point in mapped, f"{chr(point)} is not in the stand-in"
        assert stand_in["hmtx"][mapped[point]][0] == font["hmtx"][name][0], f"{chr(point)} has another width"
        assert glyphs[mapped[point]].numberOfContours == 0, f"{chr(point)} is drawn by the stand-in"
    for table, fields in (("hhea", ("ascent", "descent", "lineGap")), ("OS/2", ("sTypoAscender", "sTypoDescender",
                                                                                "usWinAscent", "usWinDescent"))):
        assert [getattr(stand_in[table], f) for f in fields] == [getattr(font[table], f) for f in fields], table
    assert f'"{cjk_font.FAMILY}", "{cjk_font.METRICS}"' in css, "the stand-in right after the font in the stacks"
    head = (student / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert f'<script src="_static/{cjk_font.METRICS_JS}' in head


@pytest.mark.browser
def test_decks_draw_every_chinese_character_from_the_module_font(browser, decks):
    """Each English deck, in reveal.js's print view (every slide laid out at once), as a projector with no Chinese
    font shows it."""
    if not no_system_cjk_font():
        pytest.skip("this machine has a system CJK font: the check needs one without (as CI)")
    checked = 0
    for deck in sorted((decks / "slides").glob("*.html")):
        if deck.name in ("index.html", "genindex.html", "search.html"):
            continue
        with Tab(browser) as tab:
            tab.page.set_viewport_size({"width": 1280, "height": 720})
            tab.open(deck.as_uri() + "?print-pdf")
            tab.page.wait_for_function("window.Reveal && Reveal.isReady()")
            runs, problems = cjk_problems(tab.page)
        assert not problems, f"{deck.name}: Chinese drawn from another font:\n" + "\n".join(problems[:5])
        checked += runs
    assert checked >= 10, f"only {checked} runs of Chinese in the decks"
