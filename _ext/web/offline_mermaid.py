"""Draw every Mermaid diagram at build time into an inline SVG, so pages load no Mermaid at all (issue #16).

How and why (measured; see also ../shared/research/diagram-rendering.md):

- Mermaid itself draws, in the system Chromium that the browser tests already need, driven by Playwright (already in
  requirements.txt): the same drawing the checks were written against, about 0.1 s a diagram once the browser is up,
  3 s for all of them cold. Each SVG is cached under ``_build/.mermaid-cache/``, keyed on the diagram's text, the
  Mermaid version, this file's settings and the language, so an unchanged diagram is never drawn twice and a rebuild
  starts no browser. (The pure-JavaScript renderer, beautiful-mermaid, was the alternative: no browser, but its edge
  layout made labels hard to attribute and it needed fixes for accessibility, fonts and contrast.)
- Chinese edition: labels in Chinese (from the model, facelab/zh.py) fall back from DejaVu Sans to the module's CJK
  font, which is loaded into the drawing page (_ext/i18n/cjk_font.py) so that they are measured as the pages show them.
- Labels are SVG ``<text>`` (``htmlLabels: false``), measured in DejaVu Sans, the widest of the common sans-serif
  faces: with Verdana (Windows, macOS, same metrics family) or Liberation Sans/Arial they fit with room to spare
  (tests/test_diagrams.py checks both installed faces).
- Colours: Mermaid's default theme colours in the SVG's style are replaced by CSS custom properties
  (``var(--mm-…, <light colour>)``); ``_static/whose-face.css`` gives their dark values. Both schemes, no redraw,
  no JavaScript.
- Accessibility: ``role="img"``, ``<title>`` and ``<desc>`` from the model's title and description (Mermaid writes
  them from ``accTitle``/``accDescr``), ``aria-labelledby``/``aria-describedby``; the text tables stay.
- Size: coordinates rounded to 0.1 px, Mermaid's layout bookkeeping attributes (``data-points``…) dropped.
- Phones: the SVG keeps its natural width and scrolls sideways in its own region on narrow screens (labels stay at
  13–16 px); every diagram also links to its standalone SVG file, which opens full size and serves as a download.
- A diagram Mermaid cannot draw stops the build with ``file:line`` and Mermaid's own message.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.osutil import relative_uri
from sphinxcontrib import mermaid as mermaid_ext
from i18n.translations import chinese, tr


FONT = "'DejaVu Sans', Verdana, sans-serif"
CONFIG = {
    "startOnLoad": False,
    "securityLevel": "strict",
    "theme": "default",
    "fontFamily": FONT,
    "htmlLabels": False,
    # A group's title wraps like any label (at 200 px); Mermaid lays the groups out for a one-line title, so a second
    # line fell on the group's first box ("hosts" under a cylinder). subGraphTitleMargin makes room for one more line
    # (Mermaid's lines are 1.1 em apart: 18 px at 16 px); it enlarges each group after the layout, at the cost of as
    # much of the 50 px between ranks. tests/test_diagrams.py and the audits check that no title is covered and no two
    # groups overlap (site_tools.diagram_problems). The decks set their own room (facelab.flows.Layout.init), and their
    # tighter spacing does not always leave it: tests/test_slides.py's walk says what is still open there.
    "flowchart": {"htmlLabels": False, "subGraphTitleMargin": {"top": 0, "bottom": 20}},
}
# The Chinese edition: Chinese labels fall back from DejaVu Sans to the module's CJK font (_ext/i18n/cjk_font.py), loaded
# into the drawing page so that labels are measured with the glyphs the pages show (the pages load its subset).
CONFIG_ZH = {**CONFIG, "fontFamily": "'DejaVu Sans', 'Whose Face CJK', Verdana, sans-serif"}
PLACEHOLDER = "MERMAIDID"
# Headless, with no background traffic to Google's hosts (this machine's network is closed; a reader's need not be).
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
DIAGRAM_DIR = "_images/diagrams"  # standalone copies, linked from every diagram


class Mermaid(mermaid_ext.Mermaid):
    """The plugin's directive, plus the source location that error messages need."""

    def run(self, **kwargs):
        result = super().run(**kwargs)
        for node in result:
            for mm in node.findall(mermaid_ext.mermaid):
                mm.source, mm.line = self.state_machine.get_source_and_line(self.lineno)
        return result


def source_location(app: Sphinx, node: nodes.Node) -> str:
    """``path:line`` relative to the source folder, for messages and the data-source attribute."""
    source = node.source or ""
    try:
        source = str(Path(source).resolve().relative_to(Path(app.srcdir).resolve()))
    except ValueError:
        pass
    return f"{source}:{node.line or '?'}"


def find_chromium() -> str | None:
    """The system Chromium (or Chrome): $CHROMIUM, then the usual names. Tests and `make bench` use the same one."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      "/usr/bin/chromium", shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class Renderer:
    """One headless Chromium with Mermaid loaded, started on the first diagram that is not in the cache."""

    def __init__(self, app: Sphinx):
        self.app = app
        self.script = Path(app.config.offline_mermaid_js)
        self.cache = Path(app.srcdir) / "_build" / ".mermaid-cache"
        package = self.script.parents[1] / "package.json"
        version = json.loads(package.read_text(encoding="utf-8"))["version"] if package.is_file() else "?"
        # The language is part of the key: the same diagram is drawn with other labels and fonts in Chinese.
        self.chinese = chinese(app)
        self.config = CONFIG_ZH if self.chinese else CONFIG
        self.salt = json.dumps([self.config, version, hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
                                app.config.language or "en"])
        self._pw = self._browser = self._page = None
        self.font = None  # in Chinese, the CSS font the diagrams are drawn in (set when the browser starts)

    def key(self, code: str) -> str:
        return hashlib.sha256((self.salt + "\n" + code).encode()).hexdigest()

    def _start(self):
        from playwright.sync_api import Error, sync_playwright

        exe = find_chromium()  # the system Chromium; else Playwright's own, if `playwright install` fetched one
        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(executable_path=exe, args=ARGS)
        except Error as err:
            self._pw.stop()
            self._pw = None
            raise ExtensionError(
                "No Chromium to draw the diagrams at build time. Install it with `apt-get install chromium` "
                "(Debian/Ubuntu), or set CHROMIUM=/path/to/chromium, or run `.venv/bin/python -m playwright install "
                f"chromium`. ({str(err).splitlines()[0]})"
            ) from None
        self._page = self._browser.new_page()
        self._page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(("about:", "data:"))
                         else route.continue_())
        self._page.set_content("<!doctype html><html><body></body></html>")
        self._page.add_script_tag(content=self.script.read_text(encoding="utf-8"))
        if self.chinese:
            from i18n import cjk_font

            self._page.add_style_tag(content=f"@font-face {{ font-family: '{cjk_font.FAMILY}'; "
                                             f"src: url({cjk_font.font_data_url()}) format('woff2'); }}")
            self.font = f"16px '{cjk_font.FAMILY}'"
        self._page.evaluate("config => mermaid.initialize(config)", self.config)

    def render(self, code: str, where: str) -> str:
        cached = self.cache / f"{self.key(code)}.svg"
        if cached.is_file():
            return cached.read_text(encoding="utf-8")
        if self._page is None:
            self._start()
        # In Chinese the font is loaded for the diagram's own text before Mermaid measures it (an embedded face with no
        # unicode-range: loading it for any of the text's characters loads it whole, once).
        result = self._page.evaluate(
            """async ([id, code, font]) => {
                if (font) await document.fonts.load(font, code);
                try { await mermaid.parse(code); } catch (e) { return {error: String(e.message || e)}; }
                try { return {svg: (await mermaid.render(id, code)).svg}; }
                catch (e) { return {error: String(e.message || e)}; }
            }""",
            [PLACEHOLDER, code, self.font],
        )
        if "error" in result:
            first = result["error"].strip().splitlines()
            raise ExtensionError(f"{where}: Mermaid cannot draw this diagram: {' '.join(first[:3])}")
        svg = tidy(result["svg"])
        self.cache.mkdir(parents=True, exist_ok=True)
        # Written whole or not at all: builds running side by side (the tests build editions in parallel) may draw
        # the same diagram, and neither may read the other's half-written file.
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        partial.write_text(svg, encoding="utf-8")
        os.replace(partial, cached)
        return svg

    def close(self):
        if self._browser is not None:
            self._browser.close()
            self._pw.stop()
        self._pw = self._browser = self._page = None


COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\([^)]*\)|hsla?\([^)]*\)|(?<=:)black\b")


def colour_var(colour: str) -> str:
    slug = re.sub(r"[^0-9a-z]+", "-", colour.lower()).strip("-")
    return f"var(--mm-{slug}, {colour})"


LONG_PATH = re.compile(r'<path d="([^"]{2000,})"([^>]*)></path>')
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def stadium_as_rect(match) -> str:
    """Mermaid 11 draws a stadium (rounded) node as thousands of tiny curves, ~30 KB a node; a rect with round ends
    draws the same shape in 100 bytes. Only paths that long are touched: a stadium's fill and its outline."""
    numbers = [float(n) for n in NUMBER.findall(match.group(1))]
    xs, ys = numbers[0::2], numbers[1::2]
    if not xs or not ys:
        return match.group(0)
    x, y, w, h = min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{h / 2:.1f}" ry="{h / 2:.1f}"'
            f"{match.group(2)}></rect>")


def tidy(svg: str) -> str:
    """Smaller, themeable, accessible: see the module docstring."""
    style = re.search(r"<style>(.*?)</style>", svg, re.S)
    if style:
        # Decoded (Mermaid writes ">" as "&gt;"), so that the text in the file is the text the browser hashes for the
        # Content-Security-Policy (_ext/web/csp.py).
        themed = COLOUR.sub(lambda m: colour_var(m.group(0)), html.unescape(style.group(1)))
        svg = svg[: style.start(1)] + themed + svg[style.end(1):]
    # Presentation attributes that carry colours (the outline of stadium shapes) stay; the site CSS overrides them
    # by attribute selector for the dark scheme.
    svg = re.sub(r' data-(?:points|et|edge|id|look)="[^"]*"', "", svg)
    svg = re.sub(r'(<(?:rect|line)[^>]*?) name="[^"]*"', r"\1", svg)  # bookkeeping for Mermaid's script; not valid HTML
    # Element ids (nodes, clusters, edges) would repeat when two diagrams share a page: scope them to the diagram.
    scoped = set(re.findall(r' id="(?!' + PLACEHOLDER + r')(?!chart-)([^"]+)"', svg))
    svg = re.sub(r' id="(?!' + PLACEHOLDER + r')(?!chart-)([^"]+)"', r' id="' + PLACEHOLDER + r'-\1"', svg)
    # ... and so are the references to them (a sequence diagram's arrowheads: marker-end="url(#arrowhead)").
    svg = re.sub(r'url\(#([^)]+)\)|href="#([^"]+)"', lambda m: (
        m.group(0).replace("#" + (m.group(1) or m.group(2)), f"#{PLACEHOLDER}-{m.group(1) or m.group(2)}")
        if (m.group(1) or m.group(2)) in scoped else m.group(0)), svg)
    svg = re.sub(r' style="[;\s]*"', "", svg)
    svg = LONG_PATH.sub(stadium_as_rect, svg)
    svg = re.sub(r"(\d+\.\d)\d+", r"\1", svg)
    # The SVG's own size: its natural width and height, not "100%" (which shrank labels to 5 px on phones).
    view = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', svg)
    head = re.match(r"<svg[^>]*>", svg).group(0)
    new = re.sub(r' width="100%"', "", head)
    new = re.sub(r' style="max-width:[^"]*"', "", new)
    new = new.replace('role="graphics-document document"', 'role="img"')
    new = re.sub(r' aria-roledescription="[^"]*"', "", new)
    if view:
        new = new.replace("<svg ", f'<svg width="{float(view.group(1)):.0f}" height="{float(view.group(2)):.0f}" ', 1)
    return new + svg[len(head):]


def renderer(app: Sphinx) -> Renderer:
    if getattr(app, "_mermaid_renderer", None) is None:
        app._mermaid_renderer = Renderer(app)
    return app._mermaid_renderer


def legend(code: str, where: str, deck: bool = False) -> str:
    """How to read the arrows, under every data-flow diagram and sequence diagram that has a contested one.

    A deck (_ext/teaching/slides.py) shows the diagram without its text table: its legend does not point to one."""
    if "-.->" in code and deck:
        return tr("Solid arrows: stated or described by a source. Dotted arrows: alleged, denied, contested or "
                  "unverified; the label says which.", where) + " "
    if "-.->" in code:
        return tr("Solid arrows: stated or described by a source. Dotted arrows: alleged, denied, contested or "
                  "unverified; the label or the text table says which.", where) + " "
    if "-->>" in code:
        return tr("Solid arrows: statements as made. Dotted arrows: statements whose content is contested.",
                  where) + " "
    return ""


def visit_mermaid(self, node):
    """Emit the drawn SVG inline, in a region that scrolls on narrow screens, with a link to the full-size file."""
    app = self.builder.app
    where = source_location(app, node)
    r = renderer(app)
    code = node["code"]
    svg = r.render(code, where)
    key = r.key(code)
    count = getattr(self, "_mermaid_count", 0) + 1
    self._mermaid_count = count
    uid = f"mermaid-{count}"
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    label = html.unescape(title.group(1)) if title else tr("Diagram", where)
    standalone = f"{DIAGRAM_DIR}/{key[:16]}.svg"
    app._mermaid_files[standalone] = svg.replace(PLACEHOLDER, "diagram")
    href = relative_uri(self.builder.get_target_uri(self.builder.current_docname), standalone)
    region = tr("{label} (scrolls sideways on a small screen)", where, label=label)
    full_size = tr("Open the diagram full size (SVG)", where)
    # A projected slide is not clicked (_ext/teaching/slides.py): the decks show the diagram alone, without the link.
    link = "" if self.builder.name == "revealjs" else f'<a href="{href}">{full_size}</a>'
    self.body.append(
        f'<figure class="mermaid-figure">'
        f'<div class="mermaid" data-source="{self.attval(where)}" data-sha256="{hashlib.sha256(code.encode()).hexdigest()}"'
        f' role="region" tabindex="0" aria-label="{self.attval(region)}">'
        f"{svg.replace(PLACEHOLDER, uid)}</div>"
        f'<figcaption class="mermaid-full">{legend(code, where, self.builder.name == "revealjs")}{link}'
        f"</figcaption></figure>\n"
    )
    raise nodes.SkipNode


STANDALONE_STYLE = "<style>svg { background: #fff; }</style>"  # the light drawing, on white, in any viewer


def check_script(app: Sphinx) -> None:
    """Fail early, and say how to fix it, when npm has not installed Mermaid."""
    app._mermaid_files = {}
    if app.builder.format != "html":
        return
    path = Path(app.config.offline_mermaid_js)
    if not path.is_file():
        raise ExtensionError(
            f"Mermaid's classic build is missing at {path}. Run `make html` (it runs `npm ci`) "
            "or `npm ci` in the project folder."
        )


def finish(app: Sphinx, exception) -> None:
    """Write the standalone SVG files and close the browser."""
    if getattr(app, "_mermaid_renderer", None) is not None:
        app._mermaid_renderer.close()
    if exception is None and app.builder.format == "html":
        files = getattr(app, "_mermaid_files", {})
        faces = [""] * len(files)
        if chinese(app):
            # The labels were measured in the module's CJK font (cjk_font.FAMILY): each file carries the subset of
            # that font with its own characters, as a data: URL, so it draws its Chinese anywhere, even saved alone.
            from i18n import cjk_font

            faces = cjk_font.embedded_font_faces(list(files.values()))
        for (rel, svg), face in zip(files.items(), faces):
            style = (f"<style>{face}</style>" if face else "") + STANDALONE_STYLE
            target = Path(app.outdir) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            head = re.match(r"<svg[^>]*>", svg).group(0)
            target.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + head + style + svg[len(head):],
                              encoding="utf-8")


def setup(app: Sphinx):
    app.setup_extension("sphinxcontrib.mermaid")
    app.add_config_value("offline_mermaid_js", "node_modules/mermaid/dist/mermaid.min.js", "html", types=(str,))
    # Remove the plugin's CDN module script. It is the only html-page-context listener the plugin registers.
    listeners = app.events.listeners.get("html-page-context", [])
    for listener in list(listeners):
        if listener.handler is mermaid_ext.install_js:
            app.disconnect(listener.id)
    app.add_directive("mermaid", Mermaid, override=True)
    app.add_node(mermaid_ext.mermaid, override=True, html=(visit_mermaid, None))
    app.connect("builder-inited", check_script)
    app.connect("build-finished", finish)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
