"""Helpers the site tests share: build the site, open a page offline in Chromium, and audit what it did.

Imported by tests (``from site_tools import ...``) and by scripts/bench.py.
"""

from __future__ import annotations

import fnmatch
import functools
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
from web.offline_mermaid import ARGS as CHROMIUM_ARGS, find_chromium  # noqa: E402,F401  (one finder, one flag set)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 levels A and AA, as axe-core tags them.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def strict_flags() -> list[str]:
    """The strict build flags, read from their one home in the Makefile."""
    out = subprocess.run(["make", "-s", "--no-print-directory", "strict-flags"], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return out.stdout.split()


@dataclass
class Build:
    outdir: Path
    returncode: int
    log: str
    seconds: float

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.log.splitlines() if "WARNING" in line or "ERROR" in line]


def sphinx_build(src: Path, out: Path, *extra: str, env: dict | None = None) -> Build:
    """Build the HTML site from ``src`` into ``out`` with the strict flags (and any extra arguments)."""
    return sphinx_builds(src, {out: extra}, env=env)[out]


def sphinx_builds(src: Path, jobs: dict[Path, tuple[str, ...]], env: dict | None = None) -> dict[Path, Build]:
    """Several strict builds of ``src`` side by side, one process each: {output folder: extra arguments}.

    A build is one busy core for most of its time, so two editions built together take little longer than one.
    """
    flags = strict_flags()
    running = {}
    for out, extra in jobs.items():
        cmd = [sys.executable, "-m", "sphinx", *flags, *extra, "-b", "html", str(src), str(out)]
        running[out] = (time.perf_counter(), subprocess.Popen(cmd, cwd=src, env=env, text=True,
                                                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
    done = {}
    for out, (start, proc) in running.items():
        log, _ = proc.communicate()
        done[out] = Build(out, proc.returncode, log, time.perf_counter() - start)
    return done


def pages_only(*pages: str) -> tuple[str, ...]:
    """Extra sphinx-build arguments that read only ``pages`` (and the root page): for fault builds.

    A fault test asks one question: does this fault, in this file, stop the build with a message naming the file and
    line? A full build answers it in 10-13 s; the same build restricted to the pages the fault needs (Sphinx's
    ``include_patterns``) answers it in 1-3 s, through the same code. The restricted build also warns about the
    pages it left out (toctree entries, links), so its return code is non-zero whatever the fault: a fault test's
    evidence is its own message at WARNING or ERROR level (which the strict flags turn into a failed build) or a stop
    with the message in the last lines, never the return code alone.
    """
    return ("-D", "include_patterns=" + ",".join(["index.md", *pages]))


def po_line(po: Path, context: str, msgid_start: str = "") -> int:
    """The line of a message's msgid in a catalogue (the line its problems are named at)."""
    lines = po.read_text(encoding="utf-8").splitlines()
    return next(n for n, s in enumerate(lines, 1)
                if s.startswith(f'msgid "{msgid_start}') and lines[n - 2] == f'msgctxt "{context}"')


def copy_source(dest: Path) -> Path:
    """A throw-away copy of the source tree for fault-injection tests (node_modules linked, not copied)."""
    shutil.copytree(
        ROOT,
        dest,
        ignore=shutil.ignore_patterns("_build", ".venv", "node_modules", ".git", "__pycache__", ".pytest_cache"),
    )
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    # The build's content-keyed caches are shared, as parallel builds already share them: the drawn diagrams
    # (offline_mermaid), the font's OpenType copy and subsets (cjk_font) and the figures (patches/lazy_matplotlib).
    # Without them each fault build drew its diagrams and cut its font again (2-3 s each). A drawing or subset is
    # keyed on its input, so a fault's changed diagram or text misses the cache and is made, and checked, afresh; a
    # failure is never cached.
    (dest / "_build").mkdir()
    for cache in (".mermaid-cache", ".cjk-font", ".plot-cache"):
        (ROOT / "_build" / cache).mkdir(parents=True, exist_ok=True)
        (dest / "_build" / cache).symlink_to(ROOT / "_build" / cache)
    return dest


def page_soup(page: Path):
    """A built page parsed with BeautifulSoup (lxml), once per test process and content of the file.

    Many tests read the same built pages: a run parsed 1,232 pages, 837 of them again (measured 2026-12-03), and a
    parse costs ~0.02 s. Read-only: a test that changes the tree (``decompose`` and the like) parses its own copy,
    ``BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")``."""
    stat = page.stat()
    return _parsed(str(page.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=None)
def _parsed(page: str, _mtime_ns: int, _size: int):  # the file's time and size: a rewritten file is parsed again
    from bs4 import BeautifulSoup

    return BeautifulSoup(Path(page).read_text(encoding="utf-8"), "lxml")


def pdf_page_texts(pdf: Path) -> list[str]:
    """The text of each page of a PDF, read with PDFium (``pypdfium2``, requirements.txt: no system PDF tool).

    PDFium, Chromium's own PDF library, reads the handouts' text about 15 times faster than pypdf did (0.07 s against
    1.1 s for the English pack, measured 2026-12-04), with the same words: the tests compare normalised text."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]
    finally:
        document.close()


CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def pdf_cjk_problems(pdf: Path) -> list[str]:
    """Every Chinese character of a PDF that is not drawn from an embedded font with a glyph for it, one line each.

    Not text extraction alone (an empty box drawn from a Latin font still extracts as the character). For each CJK
    character PDFium gives the font that draws it. Chromium embeds the module's font (Source Han Sans, CFF outlines,
    _ext/i18n/cjk_font.py) as a Type 3 font, its glyphs as paths in the PDF; a machine without the glyph draws the box of a
    Latin font instead (LiberationSans, DejaVuSans). So the font must be embedded and be either Type 3 or Source Han
    Sans by name; the glyph must have an extent; and two different characters must never render the same pixels
    (what a box, drawn for every missing character alike, would do)."""
    import ctypes
    import hashlib

    import pypdfium2
    import pypdfium2.raw as raw

    problems = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number, page in enumerate(document, 1):
            textpage = page.get_textpage()
            image, scale = None, 1.5
            drawn: dict[str, set[str]] = {}
            for i in range(raw.FPDFText_CountChars(textpage.raw)):
                char = chr(raw.FPDFText_GetUnicode(textpage.raw, i))
                if not CJK.match(char) or char in "\u3000":
                    continue
                size = raw.FPDFText_GetFontInfo(textpage.raw, i, None, 0, None)
                buffer = ctypes.create_string_buffer(max(size, 1))
                raw.FPDFText_GetFontInfo(textpage.raw, i, buffer, size, None)
                name = buffer.value.decode("latin-1")
                obj = raw.FPDFText_GetTextObject(textpage.raw, i)
                font = raw.FPDFTextObj_GetFont(obj) if obj else None
                length = ctypes.c_size_t(0)
                if font:
                    raw.FPDFFont_GetFontData(font, None, 0, ctypes.byref(length))
                type3 = bool(font) and not name and length.value == 0
                box = [ctypes.c_double() for _ in range(4)]
                raw.FPDFText_GetCharBox(textpage.raw, i, *(ctypes.byref(b) for b in box))
                left, right, bottom, top = (b.value for b in box)
                where = f"{pdf.name} p{number}: {char!r}"
                if not font or not raw.FPDFFont_GetIsEmbedded(font) or not (type3 or "SourceHanSans" in name):
                    problems.append(f"{where} drawn from {name or 'an unnamed font'}, not the module's embedded font")
                    continue
                if right - left <= 0 or top - bottom <= 0:
                    problems.append(f"{where} has no glyph (empty box)")
                    continue
                if image is None:
                    image = page.render(scale=scale).to_pil().convert("L")
                height = page.get_height()
                crop = image.crop((int(left * scale), int((height - top) * scale),
                                   int(right * scale) + 1, int((height - bottom) * scale) + 1))
                drawn.setdefault(hashlib.sha1(crop.tobytes()).hexdigest(), set()).add(char)
            for chars in drawn.values():
                if len(chars) > 1:
                    problems.append(f"{pdf.name} p{number}: {''.join(sorted(chars))!r} all draw the same glyph (a box)")
    finally:
        document.close()
    return problems


# Wrap each run of CJK characters of the page's visible text (SVG labels aside) in a span of its own, marked, so that
# the fonts that draw it can be asked for alone (cjk_problems).
MARK_CJK_JS = r"""() => {
    const cjk = /[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+/g;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) {
        const n = walker.currentNode; const p = n.parentElement;
        if (!p || p.closest('svg, script, style, noscript, template') || !cjk.test(n.textContent)) continue;
        const r = p.getBoundingClientRect(); const st = getComputedStyle(p);
        if (st.visibility === 'hidden' || st.display === 'none' || (r.width === 0 && r.height === 0)) continue;
        nodes.push(n);
    }
    let count = 0;
    for (const n of nodes) {
        const parts = n.textContent.split(/([\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+)/);
        const frag = document.createDocumentFragment();
        parts.forEach((part, i) => {
            if (i % 2) { const s = document.createElement('span'); s.dataset.cjkRun = ''; s.textContent = part;
                         frag.appendChild(s); count++; }
            else if (part) frag.appendChild(document.createTextNode(part));
        });
        n.replaceWith(frag);
    }
    return count;
}"""


def cjk_problems(page, family_prefix: str = "SourceHanSans") -> tuple[int, list[str]]:
    """(runs checked, problems): every run of Chinese characters on the page must be drawn only from the module's
    web font (a custom font: Source Han Sans), as Chromium reports the fonts it drew a node's glyphs with (DevTools
    protocol, CSS.getPlatformFontsForNode). On a machine with no CJK font a missing glyph shows there as a system
    font (DejaVu Sans, Liberation Sans: an empty box)."""
    runs = page.evaluate(MARK_CJK_JS)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_timeout(50)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-cjk-run]"})["nodeIds"]
        problems = []
        for node in ids:
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            wrong = [f for f in fonts if not (f.get("isCustomFont") and
                                              f.get("postScriptName", f["familyName"]).replace(" ", "")
                                              .startswith(family_prefix))]
            if wrong or not fonts:
                text = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                problems.append(f"{text[:80]} drawn from {[(f['familyName'], f.get('glyphCount')) for f in fonts]}")
        return runs, problems
    finally:
        cdp.detach()


def pdf_link_uris(pdf: Path) -> list[str]:
    """Every URI a PDF's link annotations lead to (PDFium's links), page by page, as "p<N> <uri>"."""
    import ctypes

    import pypdfium2
    import pypdfium2.raw as raw

    found = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number, page in enumerate(document, 1):
            start = ctypes.c_int(0)
            link = raw.FPDF_LINK()
            while raw.FPDFLink_Enumerate(page.raw, ctypes.byref(start), ctypes.byref(link)):
                action = raw.FPDFLink_GetAction(link)
                if action and raw.FPDFAction_GetType(action) == raw.PDFACTION_URI:
                    size = raw.FPDFAction_GetURIPath(document.raw, action, None, 0)
                    buffer = ctypes.create_string_buffer(size)
                    raw.FPDFAction_GetURIPath(document.raw, action, buffer, size)
                    found.append(f"p{number} {buffer.value.decode('latin-1')}")
    finally:
        document.close()
    return found


def unpacked_differences(site: Path, unpacked: Path) -> list[str]:
    """How an unpacked archive (`make zip`) differs from the build it was packed from: files missing, added or
    changed. Expected: none, apart from what scripts/zip.py leaves out (build cache, host-only files) and adds
    (labs/: the facelab wheel, requirements.txt, README.txt).

    With none, the archive's pages are the build's byte for byte, so one browser audit serves both: the tests audit
    the unpacked archive (what students open) and check the build against it here."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import zip as zip_script

    packed = {p.relative_to(site).as_posix(): p for p in zip_script.files_to_pack(site)}
    found = {p.relative_to(unpacked).as_posix(): p for p in unpacked.rglob("*") if p.is_file()}

    def added(name: str) -> bool:  # by scripts/zip.py's labs_extras
        folder, _, file = name.partition("/")
        return folder == "labs" and (file in (zip_script.REQUIREMENTS_TXT, zip_script.README_TXT)
                                     or fnmatch.fnmatchcase(file, zip_script.WHEEL))

    differences = [f"missing from the archive: {name}" for name in sorted(packed.keys() - found.keys())]
    differences += [f"only in the archive: {name}" for name in sorted(found.keys() - packed.keys()) if not added(name)]
    differences += [f"changed in the archive: {name}" for name in sorted(packed.keys() & found.keys())
                    if packed[name].read_bytes() != found[name].read_bytes()]
    return differences


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site (not the assets)."""
    # Not 404.html: hosts serve it for missing addresses, so its links start at the site root and never work from
    # file:// (conf.py, "Publishing"); tests/test_publish.py opens it over http under a sub-path instead.
    skip = {"_static", "_images", "_sources"}
    return sorted(p for p in site.rglob("*.html") if not skip & set(p.parts) and p != site / "404.html")


def page_kind(page: Path) -> tuple:
    """A page's kind: its stylesheets and scripts (by name, without the ?v= stamp), and whether it has diagrams or
    images. The pages of one kind share a template and its assets, so what the browser finds of the frame on one
    (what it fetches, what its scripts do and log) holds for the others (tests/test_publish.py, tests/test_site.py)."""
    html = page.read_text(encoding="utf-8")
    assets = sorted({urlparse(u).path.rsplit("/", 1)[-1]
                     for u in re.findall(r'<link rel="stylesheet"[^>]*?\shref="([^"]+)"|<script\b[^>]*?\ssrc="([^"]+)"',
                                         html) for u in u if u})
    return tuple(assets), 'class="mermaid' in html, "<img" in html


@dataclass
class Visit:
    """What one page load did: requests that tried to leave, console errors, and the page itself."""

    url: str
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    page: object = None
    context: object = None
    seconds_to_diagrams: float | None = None
    bytes_loaded: int = 0
    started: float = 0.0

    def close(self):
        if self.context is not None:
            self.context.close()


NOT_LOCAL = re.compile(r"^(?!file:///|data:|blob:)")  # a file:// URL with a host is not local (see local_file)


def local_file(url: str) -> bool:
    """A file:// URL with no host. ``//host/x`` on a file:// page resolves to file://host/x: that is external."""
    parsed = urlparse(url)
    return parsed.scheme == "file" and parsed.netloc in ("", "localhost")


class Tab:
    """One browser tab, offline: every request that ``allowed`` rejects is aborted and recorded on the current visit.

    A tab can visit many pages one after another (``open``); audits do that, because a fresh context per page cost
    ~0.15 s more per page (measured). ``start_page``/``open_page`` use a tab of their own for a single page.
    """

    def __init__(self, browser, allowed=local_file):
        self.allowed = allowed
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.visit = Visit("")
        # Every request that is not a plain file:/// one (or data:/blob:) stops here until `allowed` has judged it.
        # Local files are matched inside the browser and not routed: no Python round trip per asset.
        self.page.route(NOT_LOCAL, self._route)
        self.page.on("requestfinished", self._count_bytes)
        self.page.on("console", lambda msg: self.visit.errors.append(msg.text) if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.visit.errors.append(f"uncaught: {exc}"))

    def _route(self, route):
        if self.allowed(route.request.url):
            route.continue_()
        else:
            self.visit.external.append(route.request.url)
            route.abort()

    def _count_bytes(self, request):
        if local_file(request.url):
            path = Path(unquote(urlparse(request.url).path))
            self.visit.bytes_loaded += path.stat().st_size if path.is_file() else 0

    def start(self, url: str) -> Visit:
        """Start loading ``url``; the returned visit collects what this page does."""
        self.visit = Visit(url, page=self.page)
        self.visit.started = time.perf_counter()
        self.page.goto(url, wait_until="commit")
        return self.visit

    def open(self, url: str, wait_diagrams: bool = True) -> Visit:
        """Load ``url`` and wait for it and its diagrams."""
        return finish_page(self.start(url), wait_diagrams)

    def close(self):
        self.context.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def start_page(browser, url: str, allowed=local_file) -> Visit:
    """Start loading ``url`` in a fresh tab of its own; ``visit.close()`` closes the tab."""
    tab = Tab(browser, allowed)
    visit = tab.start(url)
    visit.context = tab.context
    return visit


def finish_page(visit: Visit, wait_diagrams: bool = True) -> Visit:
    """Wait until the page has loaded. Diagrams are inline SVG drawn at build time: loaded means drawn."""
    visit.page.wait_for_load_state("load")
    if wait_diagrams and visit.page.locator(".mermaid svg").count():
        visit.seconds_to_diagrams = time.perf_counter() - visit.started
    return visit


def open_page(browser, url: str, allowed=local_file, wait_diagrams: bool = True) -> Visit:
    """Open ``url`` offline in a fresh tab and wait for it and its diagrams."""
    return finish_page(start_page(browser, url, allowed), wait_diagrams)


def diagram_problems(page, groups: bool = True) -> list[str]:
    """Each diagram must be a drawn SVG (not Mermaid's syntax-error diagram), drawn whole, and labelled.

    "Whole": a non-empty drawing area, every box inside it, no label wider than the box or label background it sits in
    (which is what happens when a reader's font is wider than the one the diagram was measured with), and, with
    ``groups``, no two groups drawn over each other and no group's title covered by a box or a label.
    """
    return page.evaluate(
        """groups => Array.from(document.querySelectorAll('.mermaid')).flatMap((el, i) => {
            const where = `diagram ${i + 1} (${el.dataset.source || 'unknown source'})`;
            const svg = el.querySelector('svg');
            if (!svg) return [`${where} was not drawn`];
            if (/Syntax error/i.test(svg.textContent) || svg.getAttribute('aria-roledescription') === 'error')
                return [`${where} is Mermaid's "Syntax error" diagram`];
            const vb = svg.viewBox && svg.viewBox.baseVal;
            if (!vb || !(vb.width > 0) || !(vb.height > 0)) return [`${where} has an empty drawing area`];
            const area = svg.getBoundingClientRect();
            const outside = Array.from(svg.querySelectorAll('g.node, g.cluster')).filter(n => {
                const r = n.getBoundingClientRect();
                return r.width > 0 && (r.left < area.left - 2 || r.right > area.right + 2 ||
                                       r.top < area.top - 2 || r.bottom > area.bottom + 2);
            });
            // A label is cut when its text is wider than the shape it is drawn in: the node's own shape, or the
            // background box of an edge label.
            const cut = [];
            svg.querySelectorAll('g.node, g.edgeLabel').forEach(g => {
                const text = g.querySelector('text');
                const box = g.matches('.node') ? g.querySelector(':scope > rect, :scope > path, :scope > polygon, :scope > g.label-container > *, :scope > circle')
                                               : (g.querySelector('rect.background') || g.querySelector('rect'));
                if (!text || !box) return;
                const t = text.getBoundingClientRect(), b = box.getBoundingClientRect();
                if (b.width > 0 && t.width > b.width + 2) cut.push(text.textContent.trim());
            });
            // Groups (Mermaid's clusters) that overlap without one holding the other, and a group's title that another
            // label or a box covers: what a tight layout gives when the groups' title room is added after the layout.
            const boxes = sel => Array.from(svg.querySelectorAll(sel)).map(e => ({e, r: e.getBoundingClientRect()}))
                                      .filter(({r}) => r.width > 0 && r.height > 0);
            const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
            const holds = (a, b) => b.left >= a.left - 1 && b.right <= a.right + 1 && b.top >= a.top - 1 && b.bottom <= a.bottom + 1;
            const words = el => [...el.querySelectorAll('.text-outer-tspan')].map(t => t.textContent.trim()).join(' ')
                                || el.textContent.trim();  // a wrapped label's lines, a space between them
            const name = g => words(g.querySelector('.cluster-label') || g);
            const clusters = boxes('g.cluster > rect');
            const crossing = [];
            clusters.forEach((a, i) => clusters.slice(i + 1).forEach(b => {
                if (meet(a.r, b.r) && !holds(a.r, b.r) && !holds(b.r, a.r))
                    crossing.push(`"${name(a.e.parentNode)}" and "${name(b.e.parentNode)}"`);
            }));
            const covers = boxes('g.node, g.edgeLabel text');
            const covered = boxes('g.cluster-label text').filter(t => covers.some(o => meet(t.r, o.r)))
                                                          .map(t => words(t.e));
            const titled = svg.getAttribute('role') === 'img' && svg.querySelector('title') && svg.querySelector('desc');
            const problems = [];
            if (outside.length) problems.push(`${where} draws ${outside.length} shape(s) outside its own area`);
            if (cut.length) problems.push(`${where} cuts short ${cut.length} label(s), e.g. "${cut[0]}"`);
            if (groups && crossing.length) problems.push(`${where} draws groups over each other: ${crossing.join(', ')}`);
            if (groups && covered.length)
                problems.push(`${where} covers the title of group(s) ${covered.map(t => `"${t}"`).join(', ')}`);
            if (!titled) problems.push(`${where} lacks role="img" with a <title> and <desc>`);
            return problems;
        })""", groups)


# The axe rules whose result depends on colours. The dark-scheme audit runs only these: every other rule looks at
# structure (names, roles, order), which the scheme does not change and the light audit has already checked.
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]


# What the colour rules look at on a page, one string per distinct case: each run of visible text by its colour, the
# backgrounds behind it down to the first opaque one (a background image counts as unique to its element), its size
# class, opacity and shadow; each link by its colour, its text's colour around it and its underline. The size class is
# axe's own (axe-core 4.14, colorContrastEvaluate): text is "large", held to 3:1 instead of 4.5:1, from 18 pt, or from
# 14 pt when bold (weight 700 or more), with pt = ceil(px * 72) / 96; two sizes in one class get the same verdict.
# Text with a shadow keeps its exact size and weight (axe measures a shadow against the font size). Two pages with
# the same strings give axe's colour rules the same inputs: an audit runs those rules (about 60 % of axe's time on a
# page, measured: 9 s of 15 s over the 38 student pages, and 10 s more in the dark scheme) only on a page that shows
# a case no earlier page of the audit showed (audit_site). Text inside the diagrams is checked by its own test
# (tests/test_diagrams.py, test_svg_text_contrast_is_at_least_4_5_to_1).
COLOUR_CASES = """() => {
    const cases = new Set();
    const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
    const behind = el => {
        const layers = [];
        for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
            const s = getComputedStyle(e);
            if (s.backgroundImage !== 'none') { layers.push('image:' + (e.id || e.className || e.tagName)); break; }
            const bg = s.backgroundColor;
            if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') {
                layers.push(bg);
                if (!bg.startsWith('rgba')) break;
            }
        }
        return layers.join('>');
    };
    const opacity = el => {
        let o = 1;
        for (let e = el; e && e.nodeType === 1; e = e.parentElement) o *= +getComputedStyle(e).opacity;
        return o.toFixed(3);
    };
    for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('svg') || !visible(el)) continue;
        const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!own && el.tagName !== 'A') continue;
        const s = getComputedStyle(el);
        if (s.visibility !== 'visible') continue;
        const pt = Math.ceil(parseFloat(s.fontSize) * 72) / 96;
        const bold = parseFloat(s.fontWeight) >= 700 || s.fontWeight === 'bold';
        const size = s.textShadow !== 'none' ? `${s.fontSize} ${s.fontWeight}` : (bold ? pt >= 14 : pt >= 18) ? 'large' : 'normal';
        cases.add([s.color, behind(el), size, opacity(el), s.textShadow].join('|'));
        if (el.tagName === 'A' && el.parentElement) {
            const around = getComputedStyle(el.parentElement);
            cases.add(['link', s.color, around.color, s.textDecorationLine, behind(el)].join('|'));
        }
    }
    return [...cases];
}"""


def new_colour_cases(page, seen: set[str]) -> bool:
    """Whether ``page`` shows a colour case (COLOUR_CASES) that is not in ``seen``; adds its cases to ``seen``."""
    cases = set(page.evaluate(COLOUR_CASES))
    new = bool(cases - seen)
    seen |= cases
    return new


@functools.cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;undefined"


def axe_violations(page, rules: list[str] | None = None, skip: list[str] | None = None,
                   within: str = "document") -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page (or those of the named rules only, or all but ``skip``), one
    line each. ``within``: a JavaScript expression for the part of the page to check (a deck's current slide)."""
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern; a <script>
    # tag added to the page would be blocked, as it should be.
    if page.evaluate("typeof window.axe") == "undefined":  # once per page load
        page.evaluate(axe_source())
    # preload: false. axe would fetch each stylesheet again by XMLHttpRequest for its CSSOM rules; from file:// the
    # browser blocks that (CORS, origin null), so those rules never ran here, and the blocked fetches only added
    # console errors after the page's own checks (in a reused tab, to the next page's visit).
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    off = {rule: {"enabled": False} for rule in skip or []}
    result = page.evaluate(
        f"([only, off]) => axe.run({within}, {{runOnly: only, rules: off, resultTypes: ['violations'], preload: false}})",
        [only, off])
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]


def switch_to_dark(page) -> None:
    """Switch the reader's system scheme to dark, as a reader would.

    furo follows the system scheme unless the reader has picked one; so do the diagrams, whose colours are CSS custom
    properties (no redraw).
    """
    page.emulate_media(color_scheme="dark")


def audit_site(browser, site: Path, url_for=lambda p: p.as_uri(), allowed=local_file, axe=True, dark: bool = False,
               on_page=None, pages: list[Path] | None = None) -> dict:
    """Open every page (or only ``pages``); return {page: [problems]} for pages with problems.

    ``axe``: run axe-core's WCAG A/AA rules on every page (True), on none (False), or on the pages for which
    ``axe(path)`` is true. With ``dark=True`` each page, once checked as loaded (light scheme), is switched to the
    dark scheme as a reader's system would switch it (see switch_to_dark) and checked again in the same visit: its
    diagrams whole, and axe's colour rules (AXE_COLOUR_RULES, on the pages below); those problems start with
    "dark scheme:". ``on_page(path, page)``, if given, runs on each loaded page after the checks, for tests
    that gather more from the same visit.
    Where axe runs, its colour rules run, in each scheme, only on the pages that show a colour case (COLOUR_CASES) no
    earlier page of this audit showed; every other rule runs on every such page.
    (Loading several pages at once was measured: no faster on two cores, so pages load one at a time.)
    """
    problems: dict[str, list[str]] = {}
    seen: dict[str, set[str]] = {"light": set(), "dark": set()}
    with Tab(browser, allowed) as tab:
        for path in pages if pages is not None else html_pages(site):
            if dark:
                tab.page.emulate_media(color_scheme="light")
            visit = tab.start(url_for(path))
            found = []
            try:
                finish_page(visit)
            except Exception as exc:  # noqa: BLE001 - a page that never finishes is a problem to report, not a crash
                found.append(f"did not finish loading: {exc}")
            found += [f"external request: {u}" for u in visit.external]
            found += [f"console error: {e}" for e in visit.errors]
            found += diagram_problems(visit.page)
            with_axe = axe(path) if callable(axe) else axe
            if with_axe:
                skip = None if new_colour_cases(visit.page, seen["light"]) else AXE_COLOUR_RULES
                found += [f"axe: {v}" for v in axe_violations(visit.page, skip=skip)]
            if dark:
                switch_to_dark(visit.page)
                found += [f"dark scheme: {p}" for p in diagram_problems(visit.page)]
                if with_axe and new_colour_cases(visit.page, seen["dark"]):
                    found += [f"dark scheme: axe: {v}" for v in axe_violations(visit.page, AXE_COLOUR_RULES)]
            if on_page is not None:
                on_page(path, visit.page)
            if found:
                problems[str(path.relative_to(site))] = found
    return problems


def format_problems(problems: dict) -> str:
    return "\n".join(f"{page}:\n  - " + "\n  - ".join(items) for page, items in problems.items())
