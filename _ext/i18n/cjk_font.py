"""Chinese that renders everywhere: a CJK font stack, and a local subset of an open font, sliced (both editions).

One job: make sure every Chinese character on the pages has a glyph, even on a machine with no CJK font at all,
without loading anything from another host, and with each page fetching only the glyphs it shows. The English
edition has Chinese too (citation labels, quotations, glossary terms, the language switcher's 中文).

- Slices: the subset is also cut into small faces of the same family, as large CJK web fonts are served:
  ``_static/whose-face-cjk/NN.woff2``, each declared with a ``unicode-range`` of exactly its characters. A browser
  fetches a slice only when the page shows one of its characters, so a page without Chinese fetches nothing and a
  Chinese page fetches the slices its text needs, instead of the whole subset. The characters go into slices by the
  pages they occur on (slice_characters), so that a page's slices hold few characters it does not show, in few
  slices, because every slice that arrives makes the browser lay the page out again. Measured with Lighthouse
  (mobile, this 2-core machine under heavy load, no CJK font): with 35 slices of 24 characters the Chinese landing
  and data-flows pages scored 66 and 55 (blocking time 1.0 and 2.3 s); with 8 slices of at least 120 characters, 78
  and 77 (0.4 and 1.1 s). The stylesheet (``whose-face-zh.css`` in Chinese, ``whose-face-cjk.css`` in English)
  is written when the build ends, when the characters are known; the same origin serves it (the CSP's font-src
  'self').
- The stand-in while the slices load (``Whose Face CJK Metrics``, metrics_font): on a machine with no Chinese font,
  a page used to lay its Chinese out first in the browser's last-resort font (empty boxes, narrower than the
  ideographs), then again as each slice arrived (font-display: swap), and everything below moved: Lighthouse measured
  a cumulative layout shift of 0.22-0.27 on the Chinese landing and data-flows pages. The stand-in is a font of the
  subset's advance widths, vertical metrics and positioning with no outlines (under 1 KB), next after the family in
  every stack: a page is laid out once, at its final size, shows blank space where its Chinese will be, and nothing
  moves when the glyphs arrive. It is added by a small script in the head (a FontFace made from bytes is ready before
  the first layout; the stylesheet's data: URL rule, kept for readers without JavaScript, arrives a moment later).
  Why not preload the slices a page needs: a preload downloads them also for the readers whose system has a Chinese
  font (nearly every Chinese reader), whom the stack otherwise spares the download.
- English: the family goes first in furo's stacks; its ``unicode-range`` covers CJK only, so Latin text keeps
  furo's fonts and a page without Chinese costs nothing.

- The font stack (``_static/whose-face-zh.css``, written into the Chinese build only and linked from its pages):
  the common Chinese system fonts (PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, Source Han Sans
  SC, WenQuanYi Micro Hei), then ``Whose Face CJK``, our own subset, then furo's Latin system fonts. A reader whose
  system has a Chinese font never downloads the subset. The subset's ``unicode-range`` covers CJK only, so Latin text
  falls through to the Latin fonts. Why the Chinese fonts come first (measured in Chromium on Linux with no CJK
  font): with furo's Latin fonts first (Arial and Helvetica resolve to Liberation Sans there), the site title and
  the search box kept empty boxes even after the subset had loaded, while running text was drawn from the subset.
- The subset: Source Han Sans CN (SIL Open Font License 1.1; Adobe's Source Han Sans, from the npm package
  ``@librescore/fonts``, installed by ``npm ci``), cut with fontTools to exactly the characters that occur in the
  built pages, inline diagrams and search texts, and written as WOFF2 (brotli) to ``_static/whose-face-cjk.woff2``
  when the build ends (or copied from ``_build/.cjk-font/`` when the same characters were cut before). The build
  log reports its size.
- Diagrams (offline_mermaid) are drawn in Chromium with the full font loaded into the drawing page, so their labels
  are measured with the glyphs the pages will show; figures (matplotlib) use an OpenType copy of the same font,
  ``_build/.cjk-font/SourceHanSansCN.otf``, converted once from the WOFF2 (conf.py hands its path to facelab).
- The standalone diagram files (``_images/diagrams/*.svg``, linked as "full size") each carry their own subset,
  cut to the characters of that file and embedded as a ``data:`` URL in an @font-face rule (offline_mermaid,
  ``embedded_font_faces``): they render their Chinese labels on a machine with no CJK font whether opened from the
  site, from the zip or saved on their own (issue #31; they used to name the site's subset by a relative address,
  which a saved file loses).
- The Chinese font stack, the OpenType copy for figures and the diagrams' font are for the Chinese edition only.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from i18n.translations import chinese

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "node_modules" / "@librescore" / "fonts" / "SourceHanSansCN.min.woff2"
FAMILY = "Whose Face CJK"
SUBSET = "whose-face-cjk.woff2"
CACHE = ROOT / "_build" / ".cjk-font"  # the OpenType copy and the cached subsets
CSS = "whose-face-zh.css"
CSS_EN = "whose-face-cjk.css"  # the English edition's: the family first, CJK only (see the docstring)
SLICES = "whose-face-cjk"  # folder of the slices in _static/
METRICS = "Whose Face CJK Metrics"  # the stand-in while the slices load: same advances, no outlines
METRICS_FILE = "metrics.woff2"  # its cached copy, beside the cached slices
METRICS_JS = "whose-face-cjk-metrics.js"  # in _static/: adds the stand-in before the first layout (see metrics_script)
MAX_SLICES = 100
FETCH_COST = 30  # characters: what one more slice costs a page (a request, and the browser lays the page out again when
# it arrives; measured: 31 slices of 24 characters gave a Chinese page 2.3 s of blocking time under Lighthouse's
# throttling), so slice_characters gives a page few slices
COMMON = 0.5  # characters on at least this share of the pages go into the first slice together
SLICING_VERSION = 1  # part of the cached slices' key: raise it when slice_characters changes
CUT_VERSION = 2  # part of the cached subsets' keys: raise it when cut's options change (2: bounding boxes kept)
SYSTEM_FONTS = ('"PingFang SC"', '"Hiragino Sans GB"', '"Microsoft YaHei"', '"Noto Sans CJK SC"',
                '"Source Han Sans SC"', '"WenQuanYi Micro Hei"')
LATIN = '-apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial'  # furo's own stack, after the CJK fonts
# CJK punctuation, kana (for completeness), ideographs, compatibility ideographs, full-width forms.
UNICODE_RANGE = "U+3000-303F, U+3040-30FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FF00-FFEF"
CJK_CHAR = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def source_font() -> Path:
    if not SOURCE.is_file():
        raise ExtensionError(
            f"The Chinese edition needs its font source {SOURCE.relative_to(ROOT)} (Source Han Sans CN, OFL). "
            "Run `make html-zh` (it runs `npm ci`) or `npm ci` in the project folder."
        )
    return SOURCE


def font_data_url() -> str:
    """The whole source font as a data: URL, for the diagram-drawing page (no file or network access there)."""
    return "data:font/woff2;base64," + base64.b64encode(source_font().read_bytes()).decode()


def otf_copy(cache: Path) -> Path:
    """An OpenType copy of the source font (matplotlib reads no WOFF2), converted once into ``cache``."""
    target = cache / "SourceHanSansCN.otf"
    if not target.is_file() or target.stat().st_mtime < source_font().stat().st_mtime:
        from fontTools.ttLib import TTFont

        cache.mkdir(parents=True, exist_ok=True)
        # The same file from the same font, byte for byte; the bounding boxes are the font's own (see cut)
        font = TTFont(str(source_font()), recalcTimestamp=False, recalcBBoxes=False)
        font.flavor = None
        part = target.with_name(f"{target.name}.{os.getpid()}.part")  # parallel builds share the cache
        font.save(str(part))
        part.replace(target)
    return target


def font_face(url: str) -> str:
    """The @font-face rule for the subset at ``url`` (the pages' stylesheet and the standalone diagram files)."""
    return (f'@font-face {{\n  font-family: "{FAMILY}";\n  src: url("{url}") format("woff2");\n'
            f"  font-display: swap;\n  unicode-range: {UNICODE_RANGE};\n}}\n")


def stylesheet() -> str:
    stack = ", ".join([*SYSTEM_FONTS, f'"{FAMILY}"', f'"{METRICS}"', LATIN, "sans-serif"])
    return (
        "/* Chinese edition only (_ext/i18n/cjk_font.py): system Chinese fonts first, then the module's own subset of\n"
        "   Source Han Sans CN (SIL Open Font License 1.1), holding exactly the characters of this build. */\n"
        + font_face(SUBSET)
        + f"html body {{\n  --font-stack: {stack};\n  --font-stack--headings: {stack};\n}}\n"  # furo sets them on body
    )


def stylesheet_en() -> str:
    family = f'"{FAMILY}", "{METRICS}"'
    return (
        "/* (_ext/i18n/cjk_font.py) The module's own subset of Source Han Sans CN (SIL Open Font License 1.1), first in the\n"
        "   stacks for CJK characters only (unicode-range): Latin text keeps furo's fonts. */\n"
        f"html body {{\n  --font-stack: {family}, {LATIN}, sans-serif;\n"
        f"  --font-stack--headings: {family}, {LATIN}, sans-serif;\n"
        f'  --font-stack--monospace: "SFMono-Regular", Menlo, Consolas, Monaco, "Liberation Mono", '
        f'"Lucida Console", monospace, {family};\n}}\n'
    )


def css_name(app: Sphinx) -> str:
    return CSS if chinese(app) else CSS_EN


def add_stylesheet(app: Sphinx) -> None:
    """Link the stylesheet from every page; written now (a placeholder for the checksum), complete at the end."""
    if app.builder.format != "html":
        return
    source_font()  # fail early, with the fix, if npm has not installed it
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / css_name(app)).write_text(stylesheet() if chinese(app) else stylesheet_en(), encoding="utf-8")
    app.add_css_file(css_name(app))


def page_characters(outdir: Path) -> dict[str, set[str]]:
    """{file (a page, the search texts): the CJK characters in it}."""
    files = [*outdir.rglob("*.html"), outdir / "_static" / "search-snippets.js"]
    return {str(path.relative_to(outdir)): set(CJK_CHAR.findall(path.read_text(encoding="utf-8", errors="replace")))
            for path in files if path.is_file() and ".doctrees" not in path.parts}


def character_counts(outdir: Path) -> dict[str, int]:
    """{CJK character: the number of files (pages, search texts) it occurs in}."""
    counts: dict[str, int] = {}
    for chars in page_characters(outdir).values():
        for char in chars:
            counts[char] = counts.get(char, 0) + 1
    return counts


def used_characters(outdir: Path) -> set[str]:
    """Every CJK character in the built pages (text, inline SVG labels) and the search texts."""
    return set(character_counts(outdir))


def slice_characters(pages: dict[str, set[str]]) -> list[list[str]]:
    """The characters in slices, so that a page fetches few characters it does not show, in few slices: those on at
    least COMMON of the pages first, together; the rest grouped by the pages they occur on. Characters that occur on
    the same pages start as one group; then, again and again, the two groups whose merging costs the pages least are
    merged: a page that shows one group and not the other fetches the other's characters for nothing, and a page that
    shows both saves one fetch, worth FETCH_COST characters. It stops when every merge would cost more than it saves
    and there are at most MAX_SLICES groups. Measured on the English edition (characters a page's slices hold, median
    over the pages): 393 by frequency in slices of 120, 204 so (the page shows 107)."""
    import heapq

    names = sorted(pages)
    where: dict[str, int] = {}  # character: the pages it occurs on, one bit each
    for i, name in enumerate(names):
        for char in pages[name]:
            where[char] = where.get(char, 0) | 1 << i
    common = sorted(c for c, bits in where.items() if bits.bit_count() >= max(2, COMMON * len(names)))
    by_pages: dict[int, list[str]] = {}
    for char in sorted(set(where) - set(common)):
        by_pages.setdefault(where[char], []).append(char)
    groups = dict(enumerate(by_pages.items()))

    def cost(a, b):  # what merging two groups costs the pages, in characters fetched
        (pa, ca), (pb, cb) = a, b
        return (pa & ~pb).bit_count() * len(cb) + (pb & ~pa).bit_count() * len(ca) - (pa & pb).bit_count() * FETCH_COST

    keys = sorted(groups)
    heap = [(cost(groups[i], groups[j]), i, j) for n, i in enumerate(keys) for j in keys[n + 1:]]
    heapq.heapify(heap)
    new = len(keys)
    while heap:
        extra, i, j = heapq.heappop(heap)
        if i not in groups or j not in groups:
            continue  # one of them was merged already
        if extra > 0 and len(groups) <= MAX_SLICES - 1:
            break
        (pa, ca), (pb, cb) = groups.pop(i), groups.pop(j)
        merged = (pa | pb, ca + cb)
        for k, group in groups.items():
            heapq.heappush(heap, (cost(merged, group), k, new))
        groups[new] = merged
        new += 1
    rest = sorted((sorted(chars) for _, chars in groups.values()), key=lambda chars: (-len(chars), chars))
    return [part for part in [common, *rest] if part]


def unicode_range(chars) -> str:
    """``U+4E00-4E02, U+4E2D``: the code points of ``chars`` as CSS unicode-range, runs joined."""
    points = sorted({ord(c) for c in chars})
    runs: list[list[int]] = []
    for p in points:
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def slice_faces(slices: list[list[str]]) -> str:
    """One @font-face rule per slice, all of the same family."""
    return "".join(
        f'@font-face {{\n  font-family: "{FAMILY}";\n  src: url("{SLICES}/{i:02d}.woff2") format("woff2");\n'
        f"  font-display: swap;\n  unicode-range: {unicode_range(chars)};\n}}\n"
        for i, chars in enumerate(slices))


def cut_slices(subset: bytes, slices: list[list[str]]) -> list[bytes]:
    """Each slice cut from the whole subset (small, so quick to load again for each slice), as WOFF2."""
    return [cut(chars, source=subset)[0] for chars in slices]


def cut(chars, flavor: str | None = "woff2", source: bytes | None = None) -> tuple[bytes, list[str]]:
    """Source Han Sans CN cut to ``chars``: (the font file, as WOFF2 or, with ``flavor=None``, OpenType; the
    characters the font lacks). The one place the subset's options live (the site's subset, the printed pack's, the
    diagram files'). ``source``: cut from this font file (a larger subset) instead of the whole font, which takes
    2-3 s to read."""
    import io
    import logging as std_logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    # fontTools logs every glyph name at INFO level, and in a Chinese build the root logger shows INFO (jieba sets it
    # up): thousands of lines in the build's output. Its warnings still show.
    std_logging.getLogger("fontTools").setLevel(std_logging.WARNING)
    # The same subset from the same characters, byte for byte (recalcTimestamp). recalcBBoxes=False: the subset keeps
    # the whole font's bounding box and extents (head, hhea, vhea, the CFF FontBBox), which still enclose every glyph
    # it holds, and which no browser or PDF viewer lays text out by (line height comes from the ascender and descender,
    # kept as they are). Recomputing them drew every glyph's outline: a third of each cut (2026-12-07, the Chinese
    # site's 1,321 characters: 1.97 -> 1.37 s for the subset, 1.85 -> 1.37 s for its 19 slices).
    font = TTFont(io.BytesIO(source) if source else str(source_font()), recalcTimestamp=False, recalcBBoxes=False)
    cmap = font.getBestCmap()
    missing = sorted(c for c in set(chars) if ord(c) not in cmap)
    options = subset.Options()
    options.flavor = flavor
    options.layout_features = ["*"]  # vertical forms and punctuation spacing stay available
    options.name_IDs = ["*"]  # keep the copyright and licence notices (OFL)
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in set(chars) if ord(c) in cmap))
    subsetter.subset(font)
    font.flavor = flavor
    data = io.BytesIO()
    font.save(data)
    return data.getvalue(), missing


def metrics_font(subset: bytes) -> bytes:
    """The stand-in for the slices while they load (see METRICS_FACE): a font with the subset's advance widths,
    vertical metrics and positioning (GPOS: punctuation trimming, kerning), and no outlines, so a line of Chinese takes
    exactly the room it will take once the slices have arrived, and nothing moves when they do. Every CJK code point
    maps to one empty full-width glyph, except the few whose width or positioning differs (CJK punctuation and the
    like), which keep their own: under 1 KB as WOFF2, inlined in the stylesheet."""
    import io

    from fontTools import subset as ft_subset
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    source = TTFont(io.BytesIO(subset), recalcTimestamp=False)
    order, cmap, upm = source.getGlyphOrder(), source.getBestCmap(), source["head"].unitsPerEm
    advance = {g: source["hmtx"][g][0] for g in order}
    positioned = set()  # glyphs that GPOS moves or kerns: they keep their own glyph
    if "GPOS" in source:
        for lookup in source["GPOS"].table.LookupList.Lookup:
            for table in lookup.SubTable:
                table = getattr(table, "ExtSubTable", table)
                if getattr(table, "Coverage", None):
                    positioned.update(table.Coverage.glyphs)
                for name in ("ClassDef1", "ClassDef2"):
                    if getattr(table, name, None):
                        positioned.update(getattr(table, name).classDefs)
                for pairs in getattr(table, "PairSet", None) or []:
                    positioned.update(r.SecondGlyph for r in pairs.PairValueRecord)
    own = {cp: g for cp, g in cmap.items() if advance[g] != upm or g in positioned}
    full = next((g for cp, g in sorted(cmap.items()) if cp not in own), ".notdef")
    mapping = {cp: full for part in UNICODE_RANGE.split(", ")
               for cp in range(int(part[2:].partition("-")[0], 16), int(part[2:].partition("-")[2], 16) + 1)}
    mapping.update(own)
    builder = FontBuilder(upm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(mapping)
    box = TTGlyphPen(None)  # .notdef gets an outline (a browser's sanitizer rejects a font whose glyf is empty)
    box.moveTo((50, 0)), box.lineTo((50, 800)), box.lineTo((450, 800)), box.lineTo((450, 0)), box.closePath()
    builder.setupGlyf({g: box.glyph() if g == ".notdef" else TTGlyphPen(None).glyph() for g in order})
    builder.setupHorizontalMetrics({g: (advance[g], 0) for g in order})
    hhea, os2 = source["hhea"], source["OS/2"]
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
    builder.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender,
                     sTypoLineGap=os2.sTypoLineGap, usWinAscent=os2.usWinAscent, usWinDescent=os2.usWinDescent,
                     fsSelection=os2.fsSelection, usWeightClass=os2.usWeightClass)
    # Its own name: it draws nothing, so it is not Source Han Sans (a test that finds Chinese drawn from it fails).
    builder.setupNameTable({"familyName": METRICS, "styleName": "Regular",
                            "psName": METRICS.replace(" ", "") + "-Regular"})
    builder.setupPost()
    for tag in ("GSUB", "GPOS"):
        if tag in source:
            builder.font[tag] = source[tag]
    options = ft_subset.Options()  # keep only the glyphs the mapping and the layout tables reach
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.notdef_outline = True
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(mapping))
    subsetter.subset(builder.font)
    builder.font.flavor = "woff2"
    data = io.BytesIO()
    builder.font.save(data)
    return data.getvalue()


def metrics_face(font: bytes) -> str:
    """The @font-face rule of the stand-in (METRICS), inlined: it is there at the first layout, with no request."""
    return (f'@font-face {{\n  font-family: "{METRICS}";\n'
            f'  src: url("data:font/woff2;base64,{base64.b64encode(font).decode()}") format("woff2");\n'
            f"  unicode-range: {UNICODE_RANGE};\n}}\n")


def metrics_script(font: bytes) -> str:
    """A script, loaded in the page's head, that adds the stand-in to the page's fonts before the first layout. The
    stylesheet's own rule for it (a data: URL) is decoded asynchronously, so the first layout happened with the
    browser's last-resort font (empty boxes of another width) and the page moved when the stand-in arrived (measured:
    CLS 0.22 on the Chinese landing page); a FontFace made from bytes is ready at once. Without JavaScript the
    stylesheet's rule still serves, a moment later."""
    return ("/* (_ext/i18n/cjk_font.py, metrics_script) The stand-in for the module's CJK font while it loads. */\n"
            '"use strict";\n(() => {\n'
            f'  const data = atob("{base64.b64encode(font).decode()}");\n'
            "  const bytes = new Uint8Array(data.length);\n"
            "  for (let i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i);\n"
            f'  document.fonts.add(new FontFace("{METRICS}", bytes, {{ unicodeRange: "{UNICODE_RANGE}" }}));\n'
            "})();\n")


def link_metrics_script(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The stand-in's script in the head of every page (furo puts the page's scripts at the end of the body)."""
    if app.builder.format == "html":
        src = context["pathto"](f"_static/{METRICS_JS}", 1)
        context["metatags"] = context.get("metatags", "") + f'\n<script src="{src}"></script>'


def cached_slices(pages: dict[str, set[str]]) -> list[list[str]]:
    """slice_characters, kept in the cache by the pages' characters: grouping the Chinese edition's takes seconds, and
    most edits bring no new character."""
    import hashlib
    import json

    key = hashlib.sha256(json.dumps([{n: "".join(sorted(c)) for n, c in pages.items()}, FETCH_COST, MAX_SLICES, COMMON,
                                     SLICING_VERSION], sort_keys=True).encode())
    path = CACHE / f"slices-{key.hexdigest()[:20]}.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    slices = slice_characters(pages)
    keep(path, json.dumps(slices, ensure_ascii=False).encode())
    return slices


def write_subset(app: Sphinx, exception) -> None:
    """At the end of an HTML build: the subset with exactly the characters used, as WOFF2, its slices, and the
    stylesheet that declares them."""
    if exception is not None or app.builder.format != "html":
        return
    import json

    outdir = Path(app.outdir)
    pages = page_characters(outdir)
    chars = set().union(*pages.values())
    static = outdir / "_static"
    target = static / SUBSET
    # Cached by the slices (cache_key: with the source font, fontTools' version and CUT_VERSION): a rebuild after an
    # edit that brings no new character (most edits) copies the files instead of cutting them again (2-3 s, and the
    # slices).
    slices = cached_slices(pages)
    key = cache_key(json.dumps(slices))
    cached = CACHE / f"subset-{key}"
    folder = static / SLICES
    shutil.rmtree(folder, ignore_errors=True)
    if (cached / SUBSET).is_file() and (cached / METRICS_FILE).is_file():
        shutil.copyfile(cached / SUBSET, target)
        shutil.copytree(cached / SLICES, folder)
        metrics = (cached / METRICS_FILE).read_bytes()
        logger.info(f"cjk_font: {SUBSET} and {len(slices)} slices: from the cache, "
                    f"{target.stat().st_size / 1024:.0f} KB")
        missing = []
    else:
        data, missing = cut(chars)
        target.write_bytes(data)
        folder.mkdir(parents=True, exist_ok=True)
        for i, piece in enumerate(cut_slices(data, slices)):
            (folder / f"{i:02d}.woff2").write_bytes(piece)
        metrics = metrics_font(data)
        if not missing:  # a subset with missing characters warns each time: it is not cached
            part = cached.with_name(f"{cached.name}.{os.getpid()}.part")  # parallel builds share the cache
            shutil.rmtree(part, ignore_errors=True)
            (part / SLICES).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, part / SUBSET)
            shutil.copytree(folder, part / SLICES)
            (part / METRICS_FILE).write_bytes(metrics)
            try:
                part.rename(cached)
            except OSError:  # another build cached the same files first
                shutil.rmtree(part, ignore_errors=True)
        logger.info(f"cjk_font: {SUBSET}: {len(chars) - len(missing)} characters, "
                    f"{target.stat().st_size / 1024:.0f} KB, in {len(slices)} slices")
    head = stylesheet() if chinese(app) else stylesheet_en()
    if chinese(app):  # the whole-subset face of stylesheet() gives way to the slices
        head = head.replace(font_face(SUBSET), "")
    (static / css_name(app)).write_text(head + slice_faces(slices) + metrics_face(metrics), encoding="utf-8")
    (static / METRICS_JS).write_text(metrics_script(metrics), encoding="utf-8")
    if missing:
        logger.warning(f"cjk_font: {len(missing)} characters of the pages are not in Source Han Sans CN, so a reader "
                       "with no Chinese system font sees boxes: " + "".join(missing[:40]), type="cjk_font")


def cache_key(chars) -> str:
    """The cache's name for a subset: the characters (a string is taken as it is: the site's slices, as JSON), the
    source font, fontTools' version and CUT_VERSION."""
    import hashlib

    import fontTools

    source = source_font()
    text = chars if isinstance(chars, str) else "".join(sorted(chars))
    return hashlib.sha256(f"{text}|{source.stat().st_size}|{source.stat().st_mtime_ns}|"
                          f"{fontTools.version}|{CUT_VERSION}".encode()).hexdigest()[:20]


def keep(cached: Path, data: bytes) -> None:
    """Write ``data`` into the cache (parallel builds share it: write aside, then rename)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    part = cached.with_name(f"{cached.name}.{os.getpid()}.part")
    part.write_bytes(data)
    os.replace(part, cached)


# A standalone SVG document lays its text out once, before its web font has loaded, and Chromium then redrew some
# labels (in one file, the first label in document order; with font-display: block, several) with the fallback's
# empty boxes although the font had loaded (measured on this machine, Chromium 156, no CJK font: a label's glyphs
# 9.6 px wide, not 16 px, in the screenshot too). Any later change of style lays every label out again, so the file
# changes an invisible letter-spacing a few times in its first half second (a CSS animation: no script, and it runs
# where an SVG is shown as an image too).
SVG_RELAYOUT = ("@keyframes whose-face-relayout { 0% { letter-spacing: 0.001px; } 50% { letter-spacing: 0; } }\n"
                "svg { animation: whose-face-relayout 0.1s step-end 5; }\n")


def embedded_font_faces(texts: list[str]) -> list[str]:
    """For each text (a standalone diagram file), an @font-face rule whose font is a data: URL of the subset of
    exactly the CJK characters of that text, so that the file draws its Chinese labels saved on its own, on a machine
    with no Chinese font, with no file or network access. The whole font is read once, for the union of the texts'
    characters; each file's subset is cut from that (0.1 s), and cached like the site's subset. The rule comes with
    SVG_RELAYOUT (see there)."""
    char_sets = [set(CJK_CHAR.findall(text)) for text in texts]
    cached = [CACHE / f"subset-{cache_key(chars)}.woff2" for chars in char_sets]
    union: bytes | None = None
    faces = []
    for chars, path in zip(char_sets, cached):
        if not chars:
            faces.append("")
            continue
        if path.is_file():
            data = path.read_bytes()
        else:
            if union is None:
                union, _ = cut(set().union(*char_sets), flavor=None)
            data, missing = cut(chars, source=union)
            if not missing:
                keep(path, data)
        faces.append(font_face("data:font/woff2;base64," + base64.b64encode(data).decode()) + SVG_RELAYOUT)
    return faces


def setup(app: Sphinx):
    app.connect("builder-inited", add_stylesheet)
    app.connect("build-finished", write_subset)
    app.connect("html-page-context", link_metrics_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
