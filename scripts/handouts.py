"""`make handouts`: the printable classroom pack, as PDFs in _build/handouts/.

    python scripts/handouts.py STUDENT_SITE INSTRUCTOR_SITE OUTDIR [--paper a4|letter]

What it prints, and from where:
- students/exercise-N-<label>.pdf: one per exercise, from the **student** edition's exercise pages: the task, its
  minutes and format, the diagram or table it needs, and ruled space to write that fills the rest of the last sheet;
- students/claims-ledger.pdf, students/linddun-<diagram>.pdf, students/role-cards.pdf: the worksheets, also from the
  student edition (the ledger's columns come from the source-criticism exercise; the LINDDUN worksheets gain blank
  columns to write in; the role cards are cut out along the dashed lines);
- instructor/session-<name>.pdf: one per session sheet (docs/instructor/sessions/), from the **instructor**
  edition, with "Instructor edition, do not distribute" in the header of every page.
A student PDF is printed only from student-edition HTML, so it cannot hold instructor text.

Language: the pack is printed in the language of the editions it is given, read from the landing page's
``<html lang>``. `make handouts-zh` prints the Chinese pack from _build/html-zh and _build/instructor-zh into
_build/handouts-zh: the marking, footers, titles, ledger columns, status scale and blank column heads are the
messages below, translated in the code's catalogue (locale/zh_CN/LC_MESSAGES/whose-face.po; a missing one stops the
script, naming it). Chinese text that the pages do not bring their own font for (the header and footer, which Chromium
draws apart from the page, and the text added here) is drawn from a subset of the Chinese edition's font (Source Han
Sans CN, _ext/i18n/cjk_font.py) cut to those characters, so the pack prints on a machine with no Chinese font.

Chinese in the English pack: the pages name Chinese sources, quotations and glossary terms, and a printing machine
often has no Chinese font (CI has none). The pack therefore carries the module's own font in both languages: every
CJK character of the two editions is cut from Source Han Sans CN (_ext/i18n/cjk_font.py) into one subset, inlined into the
print stylesheet with a CJK-only ``unicode-range``, so Latin text keeps its fonts and each PDF embeds the glyphs it
draws (tests/test_print.py checks every Chinese character of every PDF against its embedded font).

Links: a PDF never points at the build machine. When the student edition was built with SITE_URL (its pages then name
their canonical address), a link to a page of the student edition goes to that page on the hosted site; any other
link to a local file (no SITE_URL, or a page only the instructor edition has) is printed as its text and no link;
a link to a whole page whose text is not that page's name gets the name after it, so the page can be found from paper.

Renderer: headless Chromium through Playwright's page.pdf, the browser the tests already drive. It prints the
diagrams exactly as the site draws them (inline SVG), honours break-inside: avoid, and its header and footer
templates mark every page. Layout for print: _static/handouts.css.
"""

from __future__ import annotations

import argparse
import base64
import re
import sys
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "_ext"), str(ROOT)]  # the extensions, and facelab, which they import
from web.offline_mermaid import ARGS, find_chromium  # noqa: E402  (one Chromium finder, one set of flags)

CSS = ROOT / "_static" / "handouts.css"
PAPERS = {"a4": "A4", "letter": "Letter"}
SPACES_JSON = ".write-space.json"  # {handout: its ruled lines, the lines it needs, its pages}, written by build()
MARGIN = {"top": "16mm", "bottom": "14mm", "left": "14mm", "right": "14mm"}
INSTRUCTOR_MARK = "Instructor edition, do not distribute"
EXERCISE_PAGES = ["exercises/face-data-remark.html", "exercises/masked-photos.html", "exercises/cross-case.html"]
# A table an exercise needs that lives on another page: {exercise label: (page, text that picks the code blocks)}.
EXTRAS = {"ex-feature-points": ("docs/lab/landmarks.html", "print(accuracy_table(", "The lab's accuracy tables")}
# The claims ledger's columns (exercise "One evening, three headlines", step 3) and the case's status scale.
LEDGER_COLUMNS = ["Claim, in your own words", "Who says it (states, in part, or the opposite)", "Source",
                  "Better source to check", "Status", "Evidence for the status"]
STATUSES = "verified · corroborated · single-source · unverified · contested · contradicted"
LINDDUN_BLANKS = ["Real here? How it happens", "Who could stop it, and how"]
# Every other text the pack adds, in English; its Chinese is in whose-face.po (see "Language" above).
TITLE = "Whose Face?"
NAMES, STATUS_SCALE, LEDGER = "Names:", "Status scale:", "Claims ledger"
LINDDUN_TITLE = "LINDDUN worksheet: {name}"
CARDS, CARDS_FOOTER = "Role cards", "Role cards (cut along the dashed lines)"
NOTES = "Your notes and answers"
POINTER = "Worksheet: use the printed LINDDUN worksheet for this exercise (a separate sheet)."
MESSAGES = [INSTRUCTOR_MARK, *LEDGER_COLUMNS, STATUSES, *LINDDUN_BLANKS, TITLE, NAMES, STATUS_SCALE, LEDGER,
            LINDDUN_TITLE, CARDS, CARDS_FOOTER, NOTES, POINTER, *(extra[2] for extra in EXTRAS.values())]
# Chinese pack only: the subsets for the text the pages bring no font for, in the page and in its margins.
PRINT_FONT, MARGIN_FONT = "Whose Face Print", "Whose Face Print Margins"
# Chromium draws the header and footer with only the fonts the page itself has drawn with: the margins' font is
# declared in both and drawn, hidden, in the page (measured: declared in the template alone, or only loaded by
# document.fonts.load, it draws empty boxes).
MARGIN_FONT_JS = """async ([face, text, family]) => {
    let style = document.getElementById('margin-font-face');
    if (!style) {
        style = document.createElement('style'); style.id = 'margin-font-face'; document.head.appendChild(style);
    }
    style.textContent = face;
    let box = document.getElementById('margin-font-text');
    if (!box) {
        box = document.createElement('div'); box.id = 'margin-font-text';
        box.style.cssText = `visibility:hidden;position:absolute;top:0;left:0;font-family:"${family}"`;
        document.body.appendChild(box);
    }
    box.textContent = text;
    await document.fonts.ready;
}"""
LINE_MM = 9  # ruled lines for writing, 9 mm apart

FOOTER = ('{font}<div style="font-size:8pt;width:100%;margin:0 14mm;display:flex;justify-content:space-between;'
          'font-family:{family}sans-serif"><span>{left}</span><span><span class="pageNumber"></span> / '
          '<span class="totalPages"></span></span></div>')
HEADER_INSTRUCTOR = ('{font}<div style="font-size:9pt;width:100%;text-align:center;font-weight:bold;'
                     'font-family:{family}sans-serif">{mark}</div>')

# The page's title without its permalink sign (furo's "#" in English, Sphinx's "¶" in Chinese).
HEADING_JS = "() => document.querySelector('h1').textContent.replace(/[#¶]\\s*$/, '').trim()"
# Keep one part of the page (the nodes matched by the selectors, in this order) and drop the rest.
ISOLATE_JS = """([parts, title]) => {
    const sheet = document.createElement('div');
    sheet.className = 'handout';
    if (title) { const h = document.createElement('h1'); h.textContent = title; sheet.appendChild(h); }
    for (const p of parts) sheet.appendChild(p);
    document.body.replaceChildren(sheet);  // nothing of the site's layout is left to push a blank page
    document.documentElement.classList.add('handout-print');
}"""
# Add blank columns to every LINDDUN worksheet table in the handout.
BLANK_COLUMNS_JS = """(heads) => {
    for (const table of document.querySelectorAll('.handout table.linddun-worksheet')) {
        for (const row of table.querySelectorAll('tr')) {
            const head = row.parentElement.tagName === 'THEAD';
            for (const h of heads) {
                const cell = document.createElement(head ? 'th' : 'td');
                cell.className = 'blank';
                if (head) cell.textContent = h;
                row.appendChild(cell);
            }
        }
        for (const col of table.querySelectorAll('colgroup')) col.remove();
    }
}"""
# The ruled space to write in (its height in CSS px), added at the end of the handout, under its label.
ADD_SPACE_JS = """([height, text, newSheet]) => {
    let box = document.querySelector('.handout .write-space');
    if (!box) {
        const label = document.createElement('p'); label.className = 'write-space-label';
        label.textContent = text;
        box = document.createElement('div'); box.className = 'write-space';
        document.querySelector('.handout').append(label, box);
    }
    box.style.height = height + 'px';
    box.previousElementSibling.style.breakBefore = newSheet ? 'page' : 'auto';
}"""
# The size of the task: its numbered steps (the exercise's top-level ordered list) and, if graded, the rubric's marks.
TASK_SIZE_JS = """() => {
    const ex = document.querySelector('.handout .exercise');
    if (!ex) return [0, 0];
    const lists = Array.from(ex.querySelectorAll('ol')).filter(o => !o.parentElement.closest('ol'));
    const steps = lists.length ? Math.max(...lists.map(o => o.children.length)) : 0;
    const graded = ex.classList.contains('exercise-graded');
    const marks = (document.body.dataset.marks || '').match(/\\d+/);
    return [steps, graded && marks ? parseInt(marks[0]) : 0];
}"""
# The marks of an exercise's rubric (the criteria box that follows it on its page, _ext/teaching/grading.py), kept on <body>.
MARKS_JS = """(label) => {
    const all = Array.from(document.querySelectorAll('div.exercise[id], .exercise-criteria'));
    const at = all.findIndex(el => el.id === label);
    const next = all[at + 1];
    if (at >= 0 && next && next.classList.contains('exercise-criteria')) {
        const title = next.querySelector('.admonition-title');
        const marks = title ? title.textContent.match(/\\d+/) : null;
        if (marks) document.body.dataset.marks = marks[0];
    }
}"""
# A line for the names at the top of every exercise handout: any of them may be handed in.
NAMES_JS = """(label) => {
    const h = document.querySelector('.handout > h1');
    const p = document.createElement('p'); p.className = 'names-line';
    const s = document.createElement('strong'); s.textContent = label;
    p.append(s, ' ', '_'.repeat(60));
    h.after(p);
}"""


# Where the handout's ruled space ends in the print layout, in CSS px from the top: what the sheets leave under it.
GUESS_JS = """() => { const b = document.querySelector('.handout .write-space').getBoundingClientRect();
    return b.bottom + window.scrollY; }"""


def mm_to_px(mm: float) -> float:
    return mm / 25.4 * 96


def page_box(paper: str, landscape: bool = False) -> tuple[float, float]:
    """The printable width and height in CSS px, inside the margins."""
    w, h = {"A4": (210, 297), "Letter": (215.9, 279.4)}[paper]
    if landscape:
        w, h = h, w
    return (mm_to_px(w - 28), mm_to_px(h - 30))


def page_count(pdf: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def site_language(site: Path) -> str:
    """'zh' for a Chinese edition, else 'en': the ``<html lang>`` of its landing page."""
    head = (site / "index.html").read_text(encoding="utf-8")[:2000]
    match = re.search(r'<html[^>]*\slang="([^"]*)"', head)
    return "zh" if match and match.group(1).lower().startswith("zh") else "en"


@lru_cache(maxsize=None)
def page_title(path: Path) -> str:
    """The title of a built page (its first h1), for a link printed without its address."""
    if path.suffix != ".html" or not path.is_file():
        return ""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", path.read_text(encoding="utf-8"), re.S)
    return " ".join(re.sub(r"<[^>]+>|¶|#", "", match.group(1)).split()) if match else ""


def site_address(site: Path) -> str:
    """The hosted address of an edition built with SITE_URL (its landing page's canonical link), else ""."""
    head = (site / "index.html").read_text(encoding="utf-8")[:6000]
    match = re.search(r'<link rel="canonical" href="([^"]*)"', head)
    return match.group(1).rsplit("/", 1)[0] + "/" if match else ""


def page_characters(*sites: Path) -> str:
    """Every CJK character of the editions' pages, sorted: what the print font must draw."""
    from i18n import cjk_font

    chars: set[str] = set()
    for site in sites:
        chars |= cjk_font.used_characters(site)
    return "".join(sorted(chars))


# Links for paper (see "Links" above): [student site root (file: URL), hosted address or ""] -> rewritten in place.
LINKS_JS = """([root, hosted]) => {
    const here = location.href.split('#')[0];
    for (const a of Array.from(document.querySelectorAll('a[href]'))) {
        const url = a.href; const [path, frag] = url.split('#');
        if (!url.startsWith('file:')) continue;
        if (path === here && frag !== undefined && document.getElementById(decodeURIComponent(frag))) {
            a.setAttribute('href', '#' + frag); continue;  // within the printed page
        }
        if (hosted && url.startsWith(root) && a.dataset.studentPage === '1') {
            a.href = hosted + url.slice(root.length); continue;
        }
        // No address: the element stays (its classes keep the print stylesheet's rules) but is no link.
        a.removeAttribute('href'); a.classList.add('print-link');
        const name = a.dataset.pageName || '';
        if (name && frag === undefined && !a.textContent.includes(name)) a.append(' (' + name + ')');
    }
}"""


def translator(language: str):
    """``tr(message, **fields)``: the message in ``language``, its {fields} filled; Chinese from whose-face.po."""
    from i18n.translations import script_tr

    return script_tr(language, "scripts/handouts.py")


@lru_cache(maxsize=None)
def print_font(characters: str, family: str = PRINT_FONT) -> str:
    """An @font-face rule for ``family``: Source Han Sans CN cut to ``characters`` (their CJK ones), inline."""
    from i18n import cjk_font

    data, _ = cjk_font.cut(cjk_font.CJK_CHAR.findall(characters), flavor=None)  # OpenType, inlined below
    url = "data:font/otf;base64," + base64.b64encode(data).decode()
    return (f'@font-face {{ font-family: "{family}"; src: url({url}) format("opentype"); '
            f"unicode-range: {cjk_font.UNICODE_RANGE}; }}")


class Printer:
    def __init__(self, browser, paper: str, language: str = "en", characters: str = "", student: Path | None = None):
        self.browser = browser
        self.student = student.resolve() if student else None  # links: which pages students have (see "Links")
        self.hosted = site_address(student) if student else ""
        self.context = self.page = None  # the one tab, opened on first use (open)
        self.spaces: dict[str, dict] = {}  # {handout file: its ruled lines, the lines it needs, its pages}
        self.paper = PAPERS[paper]
        self.css = CSS.read_text(encoding="utf-8")
        self.language = language
        self.top = ""  # a header for the student handouts (a course's name and due date: scripts/course.py)
        self.tr = translator(language)
        self.added = "".join(self.tr(m) for m in MESSAGES)  # every text the pack adds, in this language
        if language == "zh":  # the text added to the page is drawn from the print font, the page's own from its font
            self.css += f'\n{print_font(self.added)}\n.handout {{ font-family: "{PRINT_FONT}", var(--font-stack); }}\n'
        elif characters:  # English: the pages' Chinese, from the module's font put first for CJK only (unicode-range)
            from i18n import cjk_font

            self.css += (f"\n{print_font(characters)}\nhtml body {{ --font-stack: \"{PRINT_FONT}\", {cjk_font.LATIN}, "
                         f"sans-serif; --font-stack--headings: var(--font-stack); --font-stack--monospace: "
                         f"SFMono-Regular, Menlo, Consolas, \"Liberation Mono\", monospace, \"{PRINT_FONT}\"; }}\n")

    def margins(self, page, header: str, footer: str) -> tuple[str, str]:
        """The header and footer templates with their text; in Chinese, with a font for it (MARGIN_FONT_JS)."""
        if self.language != "zh":
            return (HEADER_INSTRUCTOR.format(font="", family="", mark=header),
                    FOOTER.format(font="", family="", left=footer))
        face = print_font(header + footer, MARGIN_FONT)
        page.evaluate(MARGIN_FONT_JS, [face, header + footer, MARGIN_FONT])
        font, family = f"<style>{face}</style>", f"'{MARGIN_FONT}',"  # single quotes: it goes inside style="…"
        return (HEADER_INSTRUCTOR.format(font=font, family=family, mark=header),
                FOOTER.format(font=font, family=family, left=footer))

    def open(self, url: str, landscape: bool = False):
        """Load ``url`` into the printer's tab, laid out for print; return the page.

        One tab serves every handout: each is a fresh document (window, DOM and added styles start anew). A tab of
        its own per handout cost about 0.5 s more each: the English pack took 22.8 s, now 13.3 s (2026-12-04)."""
        if self.page is None:
            # bypass_csp: the site's Content-Security-Policy would refuse the print stylesheet added here; the page's
            # own scripts are not needed for printing (diagrams are inline SVG drawn at build time).
            self.context = self.browser.new_context(bypass_csp=True, java_script_enabled=True)
            self.page = self.context.new_page()
        page = self.page
        width, _ = page_box(self.paper, landscape)
        page.set_viewport_size({"width": int(width), "height": 1000})
        page.goto(url)
        page.wait_for_load_state("load")
        page.emulate_media(media="print")
        page.add_style_tag(content=self.css)
        self.paper_links(page)
        return page

    def paper_links(self, page) -> None:
        """Rewrite the page's links for paper (see "Links" in the module's docstring)."""
        root = self.student.as_uri() + "/" if self.student else "file:///nonexistent/"
        names = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
        student, titles = {}, {}
        for url in set(names):
            if not url.startswith("file:"):
                continue
            path = Path(unquote(urlsplit(url).path))
            rel = path.relative_to(self.student) if self.student and path.is_relative_to(self.student) else None
            student[url] = bool(rel is not None and path.is_file())
            titles[url] = page_title(path)
        page.evaluate("""([student, titles]) => { for (const a of document.querySelectorAll('a[href]')) {
            if (a.href in student) { a.dataset.studentPage = student[a.href] ? '1' : '0';
                                     a.dataset.pageName = titles[a.href] || ''; } } }""", [student, titles])
        page.evaluate(LINKS_JS, [root, self.hosted])

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
            self.context = self.page = None

    def pdf(self, page, out: Path, left: str, instructor: bool = False, landscape: bool = False) -> int:
        out.parent.mkdir(parents=True, exist_ok=True)
        mark = self.tr(INSTRUCTOR_MARK)
        top = mark if instructor else self.top
        header, footer = self.margins(page, top, (mark + " · " if instructor else "") + left)
        page.pdf(path=str(out), format=self.paper, landscape=landscape, print_background=True, margin=MARGIN,
                 display_header_footer=True, prefer_css_page_size=False,
                 header_template=header if top else "<span></span>", footer_template=footer)
        return page_count(out)

    def footer(self, title: str) -> str:
        """The footer's text: the module's name and the handout's title."""
        return f"{self.tr(TITLE)} · {title}"


def exercise_labels(site: Path, page: str) -> list[tuple[str, str]]:
    """[(label, title)] of the exercises on a page, in order."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    found = []
    for ex in soup.select("div.exercise[id]"):
        title = ex.select_one(".admonition-title")
        found.append((ex["id"], " ".join(title.get_text(" ").split()) if title else ex["id"]))
    return found


def write_space(printer: Printer, page, out: Path, left: str, needed: int = 0) -> int:
    """Add ruled space to write in, print, and return the pages.

    The space fills the rest of the last sheet, and holds at least ``needed`` lines (in proportion to the task's steps
    or marks: space_needed). When the rest of the sheet holds fewer, the space and its heading start on a sheet of
    their own, which they fill: a heading is never left alone at the foot of a page, and no sheet is mostly blank.

    The PDF's page count decides: the most lines that keep the count. The search starts from the space the page's
    layout leaves under the handout (GUESS_JS), which is the answer or one line short for every handout measured; a
    search between the lines known to fit and not to fit (binary) settles any other case, so a wrong guess costs
    prints, never the result.
    """
    _, height = page_box(printer.paper)
    line = mm_to_px(LINE_MM)
    printed = {"lines": 0, "pages": 0, "new_sheet": False}

    def fits(lines: int, sheets: int, new_sheet: bool) -> bool:
        page.evaluate(ADD_SPACE_JS, [lines * line, printer.tr(NOTES), new_sheet])
        printed.update(lines=lines, pages=printer.pdf(page, out, left), new_sheet=new_sheet)
        return printed["pages"] <= sheets

    def most(new_sheet: bool) -> tuple[int, int]:
        """(the most lines that keep the sheets of the handout with no space, those sheets)."""
        page.evaluate(ADD_SPACE_JS, [0, printer.tr(NOTES), new_sheet])
        bottom = page.evaluate(GUESS_JS)
        sheets = printer.pdf(page, out, left)
        low, high = 0, int(height // line)  # low lines always fit; high never more than a page
        guess = int((sheets * height - bottom) // line)
        for probe in (guess + 1, guess):
            if low < probe < high:
                if fits(probe, sheets, new_sheet):
                    low = probe
                else:
                    high = probe
        while high - low > 1:
            mid = (low + high) // 2
            if fits(mid, sheets, new_sheet):
                low = mid
            else:
                high = mid
        return low, sheets

    lines, _ = most(False)
    new_sheet = lines < max(4, needed)
    if new_sheet:
        lines, _ = most(True)
    if (printed["lines"], printed["new_sheet"]) != (lines, new_sheet):  # the file on disk is the last print
        fits(lines, 0, new_sheet)
    printer.spaces[out.name] = {"lines": lines, "needed": needed, "pages": printed["pages"]}
    return printed["pages"]


def space_needed(page) -> int:
    """The ruled lines a task needs: three for each numbered step of the task, and, for graded work, two for each
    mark of its rubric; at least six."""
    steps, points = page.evaluate(TASK_SIZE_JS)
    return max(6, 3 * steps, 2 * points)


def exercise_handouts(printer: Printer, student: Path, out: Path, only=None, headers=None) -> dict[str, int]:
    """Every exercise's handout, or those of ``only`` (labels); ``headers``: {label: the header to print}."""
    sheets = {}
    number = 0
    for rel in EXERCISE_PAGES:
        if not (student / rel).is_file():
            continue
        for label, title in exercise_labels(student, rel):
            number += 1
            if only is not None and label not in only:
                continue
            name = f"exercise-{number:02d}-{label.removeprefix('ex-')}.pdf"
            printer.top = (headers or {}).get(label, "")
            sheets[name] = exercise_handout(printer, student, rel, label, title, out / "students" / name)
    printer.top = ""
    return sheets


def exercise_handout(printer: Printer, student: Path, rel: str, label: str, title: str, pdf: Path) -> int:
    """Print the exercise ``label`` of the student page ``rel`` into ``pdf``; return its pages."""
    page = printer.open((student / rel).as_uri())
    heading = page.evaluate(HEADING_JS)
    page.evaluate(MARKS_JS, label)
    page.evaluate("""(label) => { window.__parts = [document.getElementById(label)]; }""", label)
    if label in EXTRAS:
        extra_page, picks, caption = EXTRAS[label]
        from bs4 import BeautifulSoup

        soup = BeautifulSoup((student / extra_page).read_text(encoding="utf-8"), "html.parser")
        blocks = [str(b) for b in soup.select("div.highlight") if picks in b.get_text()]
        page.evaluate("""([blocks, caption]) => {
            const box = document.createElement('div'); box.className = 'handout-extra';
            const h = document.createElement('h2'); h.textContent = caption; box.appendChild(h);
            for (const b of blocks) { const d = document.createElement('div'); d.innerHTML = b;
                                      box.appendChild(d); }
            window.__parts.push(box);
        }""", [blocks, printer.tr(caption)])
    page.evaluate("(title) => { const f = " + ISOLATE_JS + "; f([window.__parts, title]); }", heading)
    # The worksheet is its own PDF, with blank columns: the handout points to it instead.
    page.evaluate("""(text) => { for (const t of document.querySelectorAll('.handout .linddun-worksheet')) {
        const w = t.closest('.table-wrapper') || t; const p = document.createElement('p');
        p.className = 'worksheet-pointer';
        p.textContent = text;
        w.replaceWith(p); } }""", printer.tr(POINTER))
    page.evaluate(NAMES_JS, printer.tr(NAMES))
    return write_space(printer, page, pdf, printer.footer(title), space_needed(page))


def worksheets(printer: Printer, student: Path, out: Path) -> dict[str, int]:
    sheets = {}
    first = student / EXERCISE_PAGES[0]
    # The claims ledger: one table to fill, landscape.
    page = printer.open(first.as_uri(), landscape=True)
    page.evaluate("""([cols, statuses, names, scale]) => {
        const box = document.createElement('div');
        const p = document.createElement('p');
        const label = (text) => { const s = document.createElement('strong'); s.textContent = text; return s; };
        p.append(label(names), ' ______________________________ \u00a0 ', label(scale), ' ',
                 document.createTextNode(statuses));
        const t = document.createElement('table'); t.className = 'ledger';
        const head = t.createTHead().insertRow();
        for (const c of cols) { const th = document.createElement('th'); th.textContent = c; head.appendChild(th); }
        const body = t.createTBody();
        for (let i = 1; i <= 6; i++) { const r = body.insertRow(); for (const c of cols) r.insertCell().textContent = c === cols[0] ? i + '.' : ''; }
        box.append(p, t);
        window.__parts = [box];
    }""", [[printer.tr(c) for c in LEDGER_COLUMNS], printer.tr(STATUSES), printer.tr(NAMES),
           printer.tr(STATUS_SCALE)])
    page.evaluate("(title) => { const f = " + ISOLATE_JS + "; f([window.__parts, title]); }", printer.tr(LEDGER))
    sheets["claims-ledger.pdf"] = printer.pdf(page, out / "students" / "claims-ledger.pdf",
                                              printer.footer(printer.tr(LEDGER)), landscape=True)
    # The LINDDUN worksheets, each with its diagram where the exercise shows one, and blank columns.
    for rel in EXERCISE_PAGES:
        page = printer.open((student / rel).as_uri(), landscape=True)
        names = page.evaluate("""() => Array.from(document.querySelectorAll('table.linddun-worksheet')).map(t => {
            const ex = t.closest('.exercise');
            return ex ? ex.id.replace(/^ex-(linddun-)?/, '') : null; })""")
        for index, name in enumerate(names):
            page = printer.open((student / rel).as_uri(), landscape=True)
            page.evaluate("""(i) => {
                const t = document.querySelectorAll('table.linddun-worksheet')[i];
                const ex = t.closest('.exercise');
                const parts = [t.closest('.table-wrapper') || t];
                window.__parts = parts;
            }""", index)
            title = printer.tr(LINDDUN_TITLE, name=name or index + 1)
            page.evaluate("(title) => { const f = " + ISOLATE_JS + "; f([window.__parts, title]); }", title)
            page.evaluate(BLANK_COLUMNS_JS, [printer.tr(h) for h in LINDDUN_BLANKS])
            file = f"linddun-{name or index + 1}.pdf"
            sheets[file] = printer.pdf(page, out / "students" / file, printer.footer(title), landscape=True)
    # The role cards, cut out along the dashed lines.
    cards = student / "exercises" / "role-cards.html"
    if cards.is_file():
        page = printer.open(cards.as_uri())
        page.evaluate("""() => {
            const parts = [];
            for (const s of document.querySelectorAll('article section section')) {
                const h = s.querySelector('h2, h3'); const grid = document.createElement('div');
                grid.className = 'cards';
                for (const c of s.querySelectorAll('.role-card')) grid.appendChild(c);
                if (grid.children.length) { const t = document.createElement('h2');
                    t.textContent = h ? h.textContent.replace(/[#¶]\\s*$/, '').trim() : ''; parts.push(t, grid); }
            }
            window.__parts = parts;
        }""")
        page.evaluate("(title) => { const f = " + ISOLATE_JS + "; f([window.__parts, title]); }", printer.tr(CARDS))
        sheets["role-cards.pdf"] = printer.pdf(page, out / "students" / "role-cards.pdf",
                                               printer.footer(printer.tr(CARDS_FOOTER)))
    return sheets


def session_sheets(printer: Printer, instructor: Path, out: Path, notes=None) -> dict[str, int]:
    """Every session sheet, or (``notes``: {sheet name: [lines]}) those named, with the lines at their top."""
    sheets = {}
    for html in sorted((instructor / "docs" / "instructor" / "sessions").glob("*.html")):
        if notes is not None and html.stem not in notes:
            continue
        name = f"session-{html.stem}.pdf"
        sheets[name] = session_sheet(printer, html, out / "instructor" / name, (notes or {}).get(html.stem, []))
    return sheets


def session_sheet(printer: Printer, html: Path, pdf: Path, lines=()) -> int:
    """Print one session sheet of the instructor edition into ``pdf``, marked on every page; return its pages."""
    page = printer.open(html.as_uri())
    page.evaluate("() => document.documentElement.classList.add('session-print')")
    if lines:  # a course's own lines (date, copies to print) above the sheet's title
        font = print_font("".join(lines), "Whose Face Course") if printer.language == "zh" else ""
        family = '"Whose Face Course", ' if font else ""
        page.add_style_tag(content=f"{font}\n.course-note {{ border: 1px solid #888; padding: 1mm 4mm; "
                                   f"margin-bottom: 4mm; font-family: {family}var(--font-stack); }}")
        page.evaluate("""(lines) => { const box = document.createElement('div'); box.className = 'course-note';
            for (const l of lines) { const p = document.createElement('p'); p.textContent = l; box.appendChild(p); }
            document.querySelector('article h1').before(box); }""", list(lines))
    title = page.evaluate(HEADING_JS)
    return printer.pdf(page, pdf, title, instructor=True)


def build(browser, student: Path, instructor: Path, out: Path, paper: str = "a4", only=None, headers=None,
          sessions=None) -> dict[str, int]:
    """Print every handout into ``out``, in the editions' language; return {relative path: pages}.

    For a course (scripts/course.py): ``only`` the exercises listed, each with its line of ``headers`` at the top of
    every page, no worksheets, and ``sessions`` ({sheet name: [lines]}) the session sheets named, with the lines."""
    language = site_language(student)
    if site_language(instructor) != language:
        sys.exit(f"handouts: {student} and {instructor} are editions in different languages; give two of one language")
    student, instructor, out = student.resolve(), instructor.resolve(), out.resolve()
    printer = Printer(browser, paper, language, page_characters(student, instructor), student)
    result = {}
    try:
        for folder, made in (("students", exercise_handouts(printer, student, out, only, headers)),
                             ("students", worksheets(printer, student, out) if only is None else {}),
                             ("instructor", session_sheets(printer, instructor, out, sessions))):
            result.update({f"{folder}/{name}": pages for name, pages in made.items()})
    finally:
        printer.close()
    # What each handout's ruled space came to, for the tests (tests/test_handouts.py) and for a look: not for print.
    import json

    (out / SPACES_JSON).write_text(json.dumps(printer.spaces, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("student", type=Path)
    parser.add_argument("instructor", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--paper", choices=sorted(PAPERS), default="a4")
    args = parser.parse_args()
    exe = find_chromium()
    if exe is None:
        sys.exit("make handouts needs Chromium: apt-get install chromium, or set CHROMIUM=/path/to/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=ARGS)
        made = build(browser, args.student, args.instructor, args.out, args.paper)
        browser.close()
    for name, pages in made.items():
        print(f"{pages:3d} page(s)  {args.out / name}")


if __name__ == "__main__":
    main()
