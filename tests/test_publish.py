"""Publishing: the offline archive, hosting under a sub-path, the hosting configs, and links that stay true.

- `make zip` (scripts/zip.py): the archive is named for the version, holds the student edition only, and, unzipped
  into a temporary folder, passes the same offline browser checks as the site tests, plus a search and the figures.
- Sub-path: a build made for http://127.0.0.1:<port>/sub/path/ (SITE_URL, as the Pages workflow does) is served
  there by http.server; every page opens, every internal link and asset answers 200, no request leaves 127.0.0.1,
  and a missing address gets the custom 404 page with its styles. sitemap.xml and link previews are checked too.
- The GitHub Pages workflow and .readthedocs.yaml parse, follow their schema, and never build the instructor edition.
- Every external URL on every page is a URL of a bibliography entry (no network needed), and every entry that links
  out gives its access date and a note. `make linkcheck` checks the URLs themselves; it needs the network, so it is
  not part of `make test`.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit
from xml.etree import ElementTree

import pytest
import yaml

from site_tools import ROOT, Tab, audit_site, axe_violations, format_problems, html_pages, open_page, page_kind
from site_tools import sphinx_build, unpacked_differences

sys.path.insert(0, str(ROOT / "scripts"))
import site_root  # noqa: E402  (scripts/site_root.py)
import zip as zip_script  # noqa: E402  (scripts/zip.py)

try:  # tests/search_check.py, shared with the search tests
    from search_check import search_problems
except ImportError:  # reported by the two search tests below, not as a collection error
    search_problems = None

# The English edition under a sub-path, as `make site` puts it on a GitHub Pages project site (/<repo>/en/); the
# Chinese edition beside it (/sub/path/zh/) is built for the sitemap tests (hosted_site).
SUB_PATH = "/sub/path/en/"
BIB_PAGE = "docs/bibliography.html"


def conf_version() -> str:
    """conf.py's `version`, read from its source (conf.py needs Sphinx's `tags` to be imported)."""
    match = re.search(r'^version\s*=\s*(?:release\s*=\s*)?"([^"]+)"', (ROOT / "conf.py").read_text(), re.M)
    assert match, "conf.py has no `version = ...` line"
    return match.group(1)


# -- The offline archive ---------------------------------------------------------------------------------------------


# The archive (student_zip) and its unpacked copy (student_unzipped) are made once per run (conftest.py).


def test_make_zip_is_listed_and_runs_the_script():
    make = ["make", "-s", "-C", str(ROOT)]
    help_text = subprocess.run([*make, "help"], capture_output=True, text=True, check=True).stdout
    assert "make zip" in help_text
    # -o: take set-up as done, so the dry run prints only the build and the packing.
    dry_run = subprocess.run(
        [*make, "-n", "-o", ".venv/.installed", "-o", "node_modules/.installed", "zip"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "scripts/zip.py" in dry_run and "-b html" in dry_run and "-t instructor" not in dry_run


def test_archive_name_carries_the_version(student_zip, student_unzipped):
    version = conf_version()
    assert student_zip.name == f"whose-face-{version}-student.zip"
    assert student_unzipped.parent.name == f"whose-face-{version}-student" and student_unzipped.name == "en"


def test_landing_page_shows_version_and_build_date(student_unzipped):
    text = (student_unzipped / "index.html").read_text(encoding="utf-8")
    match = re.search(r"Version (\S+), built (\d{4}-\d{2}-\d{2})\. Student edition\.", text)
    assert match, "the landing page does not say 'Version <v>, built <YYYY-MM-DD>. Student edition.'"
    assert match.group(1) == conf_version()


def test_archive_holds_the_student_edition_and_what_readers_need(student_zip):
    names = zipfile.ZipFile(student_zip).namelist()
    top = {n.split("/", 1)[0] for n in names}
    assert len(top) == 1, f"the archive should hold one folder, not {sorted(top)}"
    assert {n.split("/", 2)[1] for n in names if n.count("/") > 1} == {"en"}, "the English edition belongs in <folder>/en/"
    inside = {n.split("/", 2)[2] for n in names if n.count("/") > 1}
    for needed in ("index.html", "search.html", "searchindex.js", "_static/search-snippets.js"):
        assert needed in inside, f"{needed} is missing from the archive"
    assert any(n.startswith("_images/") and n.endswith(".png") for n in inside), "no figures in the archive"
    assert not [n for n in inside if n.startswith("docs/instructor/")], "instructor pages in the archive"
    left_out = [n for n in inside if n.startswith((".doctrees/", "plot_directive/")) or n in {".buildinfo", "404.html"}]
    assert not left_out, f"build cache or host-only files in the archive: {left_out[:5]}"


def test_zip_opens_on_its_own(student_zip):
    """The archive's top folder has a README.txt and an index.html that lead to the edition and its labs; every link
    of that page to the English edition resolves inside the archive."""
    import re as _re

    names = set(zipfile.ZipFile(student_zip).namelist())
    top = student_zip.stem
    assert {f"{top}/README.txt", f"{top}/index.html"} <= names, "no top-level README.txt and index.html"
    readme = zipfile.ZipFile(student_zip).read(f"{top}/README.txt").decode()
    assert "en/index.html" in readme and "en/labs/README.txt" in readme, readme
    page = zipfile.ZipFile(student_zip).read(f"{top}/index.html").decode()
    links = _re.findall(r'href="([^"]+)"', page)
    english = [link for link in links if link.startswith("en/")]
    assert {"en/index.html", "en/labs/README.txt"} <= set(english), links
    assert all(f"{top}/{link}" in names for link in english), [link for link in english if f"{top}/{link}" not in names]


def test_no_instructor_asset_in_any_student_output(student, student_zip, instructor):
    """Instructor-only files (instructor-print*.css: the browser-print marking) ship with the instructor edition only."""
    def instructor_assets(names):
        return sorted(n for n in names if Path(n).name.startswith("instructor"))

    assert instructor_assets(p.as_posix() for p in student.rglob("*") if p.is_file()) == []
    assert instructor_assets(zipfile.ZipFile(student_zip).namelist()) == []
    assert instructor_assets(p.as_posix() for p in (instructor / "_static").iterdir()), "positive control: none found"


def test_zip_refuses_the_instructor_edition(instructor, tmp_path):
    with pytest.raises(SystemExit, match="instructor edition"):
        zip_script.make_zip(instructor, tmp_path)
    assert not list(tmp_path.iterdir())


def test_the_wheel_is_made_again_when_the_package_changes(tmp_path):
    """scripts/zip.py keeps the facelab wheel under a digest of the files it is made from (wheel_key): a change to any
    of them (facelab's catalogues and setup.py, which compiles them, included) is a new key, so a new wheel is built;
    compiled files, other folders and the pages' catalogues are not inputs."""
    for name, text in {"pyproject.toml": "[project]", "setup.py": "", "LICENSE": "MIT", "facelab/__init__.py": "",
                       "facelab/plots/draw.py": "x = 1", "docs/page.md": "# Page",
                       "locale/zh_CN/LC_MESSAGES/facelab.po": "", "locale/zh_CN/LC_MESSAGES/index.po": ""}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    key = zip_script.wheel_key(tmp_path)
    (tmp_path / "facelab" / "__pycache__").mkdir()
    (tmp_path / "facelab" / "__pycache__" / "flows.cpython-311.pyc").write_bytes(b"compiled")
    (tmp_path / "docs" / "page.md").write_text("# Another page", encoding="utf-8")
    (tmp_path / "locale/zh_CN/LC_MESSAGES/index.po").write_text("# a page's catalogue", encoding="utf-8")
    assert zip_script.wheel_key(tmp_path) == key, "a compiled file or a page should not make a new wheel"
    inputs = ("facelab/plots/draw.py", "pyproject.toml", "setup.py", "LICENSE", "locale/zh_CN/LC_MESSAGES/facelab.po")
    for name in inputs:
        (tmp_path / name).write_text("changed", encoding="utf-8")
        assert zip_script.wheel_key(tmp_path) != key, f"a change to {name} should make a new wheel"
        key = zip_script.wheel_key(tmp_path)


def test_unzipped_copy_is_the_build(student, student_unzipped):
    """The archive holds the build's files byte for byte (site_tools.unpacked_differences). The browser audit in
    tests/test_site.py opens the unzipped copy, so it covers the archive and, through this test, the build."""
    differences = unpacked_differences(student, student_unzipped)
    assert not differences, "the archive is not the build:\n" + "\n".join(differences[:20])


def test_identity_check_names_a_changed_file(student, tmp_path):
    """Fault: change one byte of one page in a copy of the build, as a broken packer might; the check names it."""
    copy = tmp_path / "en"
    for path in zip_script.files_to_pack(student):  # the files the archive holds, as the archive holds them
        (copy / path.relative_to(student)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy / path.relative_to(student))
    page = copy / "docs" / "glossary.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b" </body>", 1))
    assert unpacked_differences(student, copy) == ["changed in the archive: docs/glossary.html"]


@pytest.mark.browser
def test_unzipped_copy_shows_every_figure(browser, student_unzipped):
    pages = [p for p in html_pages(student_unzipped) if "<img" in p.read_text(encoding="utf-8")]
    assert pages, "no page with a figure"
    broken = {}
    with Tab(browser) as tab:
        for page in pages:
            visit = tab.open(page.as_uri(), wait_diagrams=False)
            # Figures load lazily (page_assets.py): ask for each now, as scrolling to it would, and wait for it.
            bad = visit.page.evaluate(
                """async () => {
                    const images = [...document.images];
                    images.forEach(i => { i.loading = 'eager'; });
                    await Promise.all(images.map(i => i.complete ? null
                        : new Promise(done => { i.addEventListener('load', done); i.addEventListener('error', done); })));
                    return images.filter(i => i.naturalWidth === 0).map(i => i.src);
                }"""
            )
            if bad:
                broken[str(page.relative_to(student_unzipped))] = bad
    assert not broken, f"figures that did not load: {broken}"


@pytest.mark.browser
def test_unzipped_copy_search_works(browser, student_unzipped):
    assert search_problems is not None, "tests/search_check.py (search_problems) is missing"
    problems = search_problems(browser, (student_unzipped / "search.html").as_uri(), "face", min_results=3)
    assert not problems, "\n".join(problems)


# -- Hosting under a sub-path -----------------------------------------------------------------------------------------


def sub_path_handler(site: Path, prefix: str):
    """http.server handler: /<prefix>/x maps to site/x; anything else, or a missing file, gets 404.html with a 404
    status, as GitHub Pages and most static hosts do."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        timeout = 10  # seconds per connection: a stuck browser request cannot hang the test

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

        def translate_path(self, path):
            route = urlsplit(path).path
            if not route.startswith(prefix):
                return str(site / "__outside_the_sub_path__")
            return super().translate_path("/" + route[len(prefix) :])

        def send_error(self, code, message=None, explain=None):
            page = site / "404.html"
            if code != 404 or not page.is_file():
                return super().send_error(code, message, explain)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    return Handler


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A browser that closes a page mid-transfer is normal; print any other error."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@pytest.fixture(scope="module")
def hosted(student, tmp_path_factory):
    """The student edition built for http://127.0.0.1:<port>/sub/path/en/ (SITE_URL) and served there.

    The socket is bound first, so the build knows its port; the server runs in a daemon thread and is always shut
    down (each connection times out after 10 s). The build starts from a copy of the local student build's
    environment (its doctrees): an address changes only what is written (links, canonical URLs, sitemap.xml, the
    404 page), so Sphinx reads no page again and writes them all: 4.5 CPU-s instead of 8.7 (measured 2026-12-04).
    Its files are those of a build from scratch with the same address, byte for byte, but for the plot directive's
    working folder, which the pages do not use (its figures come from the student build's). conf.py keeps the
    settings that would make Sphinx read again the same for both builds; if one changed, this build would only be
    slower."""
    server = _QuietServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    out = tmp_path_factory.mktemp("hosted") / "site" / "en"  # `make site`'s layout (hosted_site adds zh/)
    shutil.copytree(student / ".doctrees", out / ".doctrees")  # where Sphinx keeps a build's environment
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_URL", base)
        env.delenv("READTHEDOCS_CANONICAL_URL", raising=False)
        build = sphinx_build(ROOT, out)
    if build.returncode != 0:
        server.server_close()
        pytest.fail(f"the student edition did not build with SITE_URL={base}:\n{build.log}")
    server.RequestHandlerClass = sub_path_handler(out, SUB_PATH)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield out, base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def same_host(base: str):
    origin = urlsplit(base)
    return lambda url: urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc == origin.netloc


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # loopback only: every URL passed is same_host
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


# Every URL a page loaded, as the browser saw it (what scripts fetched, fonts included), for the pages opened; and
# every URL an open page refers to or loaded (links, stylesheets, scripts, images, and what CSS pulled in).
_LOADED = "performance.getEntriesByType('resource').map(e => e.name)"
_REFERENCED = f"""() => [
    ...[...document.querySelectorAll('a[href], link[href]')].map(e => e.href),
    ...[...document.querySelectorAll('script[src], img[src]')].map(e => e.src),
    ...{_LOADED},
]"""
_REFERENCE = re.compile(r'<(?:a|link|script|img|source)\b[^>]*?\s(?:href|src)="([^"]+)"')
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def references(site: Path, page: Path, base: str, css_seen: dict[str, list[str]]) -> list[str]:
    """Every URL ``page`` refers to, as served at ``base``: its links, stylesheets, scripts and images, and what its
    stylesheets refer to (fonts, icons), read from the files (each stylesheet once, kept in ``css_seen``)."""
    from urllib.parse import urljoin

    url = base + page.relative_to(site).as_posix()
    found = [urljoin(url, ref) for ref in _REFERENCE.findall(page.read_text(encoding="utf-8"))]
    for css in [u for u in found if urlsplit(u).path.endswith(".css")]:
        path = urlsplit(css).path
        if path not in css_seen:
            local = site / path.removeprefix(SUB_PATH)
            text = local.read_text(encoding="utf-8") if path.startswith(SUB_PATH) and local.is_file() else ""
            css_seen[path] = [urljoin(css, ref) for ref in _CSS_URL.findall(text) if not ref.startswith("data:")]
        found += css_seen[path]
    return found


@pytest.mark.browser
def test_every_page_link_and_asset_resolves_under_a_sub_path(browser, hosted):
    """Served under a sub-path: every link and asset of every page (read from the pages and their stylesheets)
    answers 200 and stays under the sub-path; one page of each kind (page_kind: the same template and assets) is
    opened in the browser, over http, with the offline checks, and what its scripts fetched is checked too. Opening
    every page (38) took 19 s for what the files already say; the kinds keep the browser's view of each template."""
    site, base = hosted
    local = same_host(base)
    referenced: dict[str, str] = {}  # URL -> first page that refers to it
    pages = html_pages(site)
    assert len(pages) >= 5
    css_seen: dict[str, list[str]] = {}

    def keep(url: str, page: Path) -> None:
        url = urldefrag(url).url
        # /favicon.ico: the browser asks the server root for it by itself; the site sets no icon.
        if local(url) and urlsplit(url).path != "/favicon.ico":
            referenced.setdefault(url, page.relative_to(site).as_posix())

    kinds: dict[tuple, Path] = {}
    for page in pages:
        kinds.setdefault(page_kind(page), page)
        for url in references(site, page, base, css_seen):
            keep(url, page)
    opened = sorted(kinds.values())
    assert 3 <= len(opened) < len(pages), f"{len(opened)} kinds of page: the grouping itself is broken"
    problems = audit_site(browser, site, url_for=lambda p: base + p.relative_to(site).as_posix(), allowed=local,
                          axe=False, pages=opened,
                          on_page=lambda path, page: [keep(u, path) for u in page.evaluate(f"() => {_LOADED}")])
    assert not problems, f"pages served under {SUB_PATH} have problems:\n{format_problems(problems)}"
    # The language switcher links the Chinese edition beside this one (/sub/zh/ here; `make site` hosts the two as
    # en/ and zh/, and tests/test_zh.py follows the link side by side). Every other link stays under the sub-path.
    beside = SUB_PATH.rstrip("/").rsplit("/", 1)[0] + "/zh/"
    outside = [u for u in referenced if not urlsplit(u).path.startswith((SUB_PATH, beside))]
    assert not outside, f"links that leave {SUB_PATH} (would break on a project page): {outside[:10]}"
    broken = {u: (referenced[u], code) for u in sorted(referenced)
              if not urlsplit(u).path.startswith(beside) and (code := status_of(u)) != 200}
    assert not broken, "links or assets that do not answer 200 (url: (page, status)):\n" + "\n".join(
        f"{u}: {v}" for u, v in broken.items()
    )
    assert len(referenced) > len(pages), "too few URLs collected; the check itself is broken"


def test_sub_path_check_reads_links_and_stylesheet_urls(hosted):
    """Fault: a page with a link to a missing page and a stylesheet whose font is missing. The reading that the
    sub-path test relies on finds both URLs, and the server answers 404 for each."""
    site, base = hosted
    css, page = site / "_static" / "planted.css", site / "docs" / "planted.html"
    css.write_text('@font-face { font-family: x; src: url("fonts/missing.woff2"); }', encoding="utf-8")
    page.write_text('<!DOCTYPE html><html><head><link rel="stylesheet" href="../_static/planted.css?v=1"></head>'
                    '<body><a href="missing.html#top">x</a></body></html>', encoding="utf-8")
    try:
        found = references(site, page, base, {})
    finally:
        css.unlink()
        page.unlink()
    for wanted in (base + "docs/missing.html#top", base + "_static/fonts/missing.woff2"):
        assert wanted in found, found
        assert status_of(urldefrag(wanted).url) == 404


@pytest.mark.browser
def test_search_works_under_a_sub_path(browser, hosted):
    _, base = hosted
    assert search_problems is not None, "tests/search_check.py (search_problems) is missing"
    problems = search_problems(browser, base + "search.html", "face", allowed=same_host(base), min_results=3)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_missing_address_gets_the_404_page_with_its_styles(browser, hosted):
    site, base = hosted
    missing = base + "cases/no-such-case/no-such-page.html"  # two folders deep: relative links would break here
    assert status_of(missing) == 404
    local = same_host(base)
    visit = open_page(browser, missing, allowed=local)
    try:
        assert "Page not found" in visit.page.title()
        # The 404 status of the page itself is expected; anything else failing to load is not.
        errors = [e for e in visit.errors if "404 (Not Found)" not in e]
        assert not visit.external and not errors, f"external: {visit.external}, errors: {errors}"
        referenced = visit.page.evaluate(_REFERENCED)
        urls = {urldefrag(u).url for u in referenced if local(u) and urlsplit(u).path != "/favicon.ico"}
        styles = [u for u in urls if u.endswith(".css") or ".css?" in u]
        assert styles and all(urlsplit(u).path.startswith(SUB_PATH) for u in urls), sorted(urls)
        broken = {u: c for u in sorted(urls) if u != missing and (c := status_of(u)) != 200}
        assert not broken, f"the 404 page refers to URLs that do not answer 200: {broken}"
        assert visit.page.evaluate("getComputedStyle(document.body).fontFamily") != "", "unstyled 404 page"
        violations = axe_violations(visit.page)
        assert not violations, "\n".join(violations)
    finally:
        visit.close()


def test_sitemap_lists_every_content_page_under_the_site_url(hosted, student):
    site, base = hosted
    assert not (student / "sitemap.xml").exists(), "sitemap.xml without a configured address"
    tree = ElementTree.parse(site / "sitemap.xml")
    locs = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith(base) for loc in locs), locs[:5]
    listed = {loc[len(base) :] for loc in locs}
    expected = {p.relative_to(site).as_posix() for p in html_pages(site)} - {"search.html", "genindex.html"}
    assert listed == expected, f"missing: {sorted(expected - listed)}, extra: {sorted(listed - expected)}"


def test_hosted_build_policy_has_no_file_source(hosted):
    """The hosted build's Content-Security-Policy names no file: source (issue #33; _ext/web/csp.py)."""
    site, _ = hosted
    with_file = [p.relative_to(site).as_posix() for p in html_pages(site)
                 if re.search(r'http-equiv="Content-Security-Policy" content="[^"]*file:', p.read_text(encoding="utf-8"))]
    assert not with_file, f"pages whose policy admits file: {with_file[:5]}"


# -- Both editions side by side (`make site`): sitemaps with language alternates, the sitemap index, robots.txt ------

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def hosted_site(hosted, zh_builds, tmp_path_factory):
    """`make site` with SITE_URL: the hosted English build (en/) and the Chinese student edition built beside it
    for <root>zh/ (from a copy of the Chinese test build's environment, as `hosted` does), then scripts/site_root.py.
    Yields (site folder, root address)."""
    en, base = hosted
    site, root = en.parent, base.removesuffix("en/")
    zh = site / "zh"
    shutil.copytree(zh_builds["student"].outdir / ".doctrees", zh / ".doctrees")
    env = {k: v for k, v in os.environ.items() if k != "READTHEDOCS_CANONICAL_URL"} | {"SITE_URL": root + "zh/"}
    build = sphinx_build(ROOT, zh, "-D", "language=zh_CN", env=env)
    if build.returncode != 0:
        pytest.fail(f"the Chinese student edition did not build with SITE_URL={root}zh/:\n{build.log}")
    site_root.main(site, root)
    return site, root


def sitemap_problems(site: Path, root: str) -> list[str]:
    """Everything wrong with `make site`'s sitemaps, parsed with lxml; empty means right:
    each edition's sitemap lists its pages under <root><folder>/, and every page names as alternates the same page in
    both editions (hreflang as the language switcher writes it) and x-default (English), each of which exists."""
    from lxml import etree

    problems = []
    hreflang = {}  # folder -> the hreflang the other edition's language switcher gives it
    for folder, other in (("en", "zh"), ("zh", "en")):
        switch = etree.parse(str(site / other / "index.html"), etree.HTMLParser()).find(".//nav[@class='language-switch']/a")
        hreflang[folder] = switch.get("hreflang")
    for folder in ("en", "zh"):
        where = f"{folder}/sitemap.xml"
        urls = etree.parse(str(site / folder / "sitemap.xml")).getroot().findall(f"{SITEMAP}url")
        if not urls:
            problems.append(f"{where}: no <url>")
        for url in urls:
            loc = url.findtext(f"{SITEMAP}loc")
            if not loc.startswith(f"{root}{folder}/"):
                problems.append(f"{where}: {loc} is not under {root}{folder}/")
                continue
            page = loc.removeprefix(f"{root}{folder}/")
            found = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
                     if link.get("rel") == "alternate"}
            expected = {hreflang["en"]: f"{root}en/{page}", hreflang["zh"]: f"{root}zh/{page}",
                        "x-default": f"{root}en/{page}"}
            if found != expected:
                problems.append(f"{where}: {page} has alternates {found}, expected {expected}")
            for href in expected.values():
                if not (site / href.removeprefix(root)).is_file():
                    problems.append(f"{where}: {page}'s alternate {href} is not a page of the site")
    return problems


def test_site_sitemaps_name_each_page_in_both_languages(hosted_site):
    site, root = hosted_site
    problems = sitemap_problems(site, root)
    assert not problems, "\n".join(problems[:20])
    for folder in ("en", "zh"):  # every content page is listed
        from lxml import etree

        locs = {e.text for e in etree.parse(str(site / folder / "sitemap.xml")).iter(f"{SITEMAP}loc")}
        pages = {f"{root}{folder}/{p.relative_to(site / folder).as_posix()}" for p in html_pages(site / folder)}
        pages -= {f"{root}{folder}/search.html", f"{root}{folder}/genindex.html"}
        assert locs == pages, f"{folder}: missing {sorted(pages - locs)[:5]}, extra {sorted(locs - pages)[:5]}"


def test_sitemap_check_catches_a_page_that_is_its_own_translation(hosted_site, tmp_path):
    """Fault: the sitemap sphinx-sitemap wrote before issue #33 gave each English page itself as its Chinese version
    (hreflang zh-CN, the English URL); the check names it."""
    site, root = hosted_site
    copy = tmp_path / "site"
    for folder in ("en", "zh"):
        (copy / folder).mkdir(parents=True)
        for name in ("index.html", "sitemap.xml"):
            shutil.copyfile(site / folder / name, copy / folder / name)
    sitemap = copy / "en" / "sitemap.xml"
    text = sitemap.read_text(encoding="utf-8")
    sitemap.write_text(text.replace(f'hreflang="zh-Hans" href="{root}zh/index.html"',
                                    f'hreflang="zh-CN" href="{root}en/index.html"'), encoding="utf-8")
    problems = sitemap_problems(copy, root)
    assert any(p.startswith("en/sitemap.xml: index.html has alternates") for p in problems), problems


def test_site_root_has_a_sitemap_index_and_robots_txt_naming_it(hosted_site):
    from lxml import etree

    site, root = hosted_site
    index = etree.parse(str(site / "sitemap.xml")).getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    locs = [e.text for e in index.iter(f"{SITEMAP}loc")]
    assert locs == [f"{root}en/sitemap.xml", f"{root}zh/sitemap.xml"]
    assert all((site / loc.removeprefix(root)).is_file() for loc in locs)
    robots = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {root}sitemap.xml" in robots and "User-agent: *" in robots, robots


def test_site_root_without_an_address_writes_no_sitemap_and_refuses_a_foreign_one(tmp_path):
    """Without SITE_URL, `make site` writes no sitemap index and no robots.txt; with one, an edition built for another
    address (its sitemap under another root) stops it with a message naming the file and the address to build for."""
    for folder in ("en", "zh"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "en" / "404.html").write_text("<html></html>", encoding="utf-8")
    site_root.main(tmp_path)
    assert (tmp_path / "index.html").is_file()
    assert not (tmp_path / "sitemap.xml").exists() and not (tmp_path / "robots.txt").exists()
    for folder in ("en", "zh"):
        (tmp_path / folder / "sitemap.xml").write_text(
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://elsewhere.example/'
            f'{folder}/index.html</loc></url></urlset>', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"en/sitemap\.xml lists https://elsewhere\.example/en/index\.html.*"
                                         r"SITE_URL=https://example\.org/course/en/"):
        site_root.main(tmp_path, "https://example.org/course/")


def test_make_site_passes_the_address_to_site_root():
    dry_run = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "-n", "-o", ".venv/.installed", "-o", "node_modules/.installed", "site",
         "SITE_URL=https://example.org/course/"], capture_output=True, text=True, check=True).stdout
    assert "scripts/site_root.py _build/site https://example.org/course/" in dry_run, dry_run


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[a.get("property") or a.get("name")] = a.get("content") or ""
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")


def page_meta(path: Path) -> _Meta:
    parser = _Meta()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_link_previews_point_at_the_page_and_carry_no_image(hosted, student):
    site, base = hosted
    for path in html_pages(site):
        rel = path.relative_to(site).as_posix()
        meta = page_meta(path)
        if rel in {"search.html", "genindex.html"}:
            continue  # generated pages, no document to describe
        assert meta.meta.get("og:title"), f"{rel}: no og:title"
        assert meta.meta.get("og:url") == base + rel, f"{rel}: og:url is {meta.meta.get('og:url')}"
        assert meta.canonical == base + rel, f"{rel}: canonical link is {meta.canonical}"
        images = {k: v for k, v in meta.meta.items() if "image" in k}
        assert not images, f"{rel}: a link-preview image {images} (none should be set, and none may be external)"
    # Without SITE_URL (local builds, the archive), nothing points at an address the site may not have.
    meta = page_meta(student / "index.html")
    assert meta.canonical is None and meta.meta.get("og:url") == "index.html"


# -- Hosting configs -------------------------------------------------------------------------------------------------

# What a build of the instructor edition looks like in a command or path.
INSTRUCTOR_BUILD = re.compile(r"-t\s*instructor|--tag[= ]instructor|make\s+instructor|_build/instructor", re.I)


def run_steps(workflow: dict) -> list[str]:
    return [step.get("run", "") for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_pages_workflow_publishes_only_the_student_edition():
    path = ROOT / ".github" / "workflows" / "pages.yml"
    text = path.read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert not INSTRUCTOR_BUILD.search(text), f"{path.name} builds the instructor edition"
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    assert "push" in triggers or "workflow_dispatch" in triggers
    steps = workflow["jobs"]["build"]["steps"]
    (build,) = [s for s in steps if "make site" in s.get("run", "")]
    assert "SITE_URL" in build.get("env", {}), "the build step does not set SITE_URL"
    (upload,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload["with"]["path"] == "_build/site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def workflow_problems(workflow: dict) -> list[str]:
    """Hardening (issue #17) and gating (issue #20) of the Pages workflow; empty means sound."""
    problems = []
    if workflow.get("permissions") not in ({}, None) and workflow.get("permissions") != {"contents": "read"}:
        problems.append(f"top-level permissions grant {workflow.get('permissions')}; grant per job instead")
    jobs = workflow.get("jobs", {})
    for name, job in jobs.items():
        perms = job.get("permissions")
        if perms is None:
            problems.append(f"job {name} sets no permissions")
        elif name != "deploy" and ({"pages", "id-token"} & set(perms)):
            problems.append(f"job {name} holds {sorted({'pages', 'id-token'} & set(perms))}; only deploy may")
        for step in job.get("steps", []):
            uses = step.get("uses")
            if uses and not re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses):
                problems.append(f"job {name}: {uses} is not pinned by a full commit SHA")

    def upstream(job: str) -> set[str]:
        needs = jobs.get(job, {}).get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        return set(needs).union(*(upstream(n) for n in needs)) if needs else set()

    testing = {n for n, j in jobs.items() for s in j.get("steps", []) if "make test" in s.get("run", "")}
    if "deploy" not in jobs or not (testing & upstream("deploy")):
        problems.append("the deploy job does not depend on a job that runs `make test`")
    return problems


def test_pages_workflow_is_pinned_least_privileged_and_gated_on_the_tests():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    assert workflow_problems(workflow) == []


def test_workflow_check_catches_ungated_unpinned_and_overprivileged():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    workflow["jobs"]["build"].pop("needs")
    workflow["jobs"]["build"]["permissions"]["pages"] = "write"
    workflow["jobs"]["build"]["steps"][0]["uses"] = "actions/checkout@v6"
    problems = workflow_problems(workflow)
    assert any("does not depend" in p for p in problems), problems
    assert any("only deploy may" in p for p in problems), problems
    assert any("not pinned" in p for p in problems), problems


# Read the Docs configuration, schema version 2 (https://docs.readthedocs.com/platform/stable/config-file/v2.html):
# the keys each level may have, checked structurally (the schema has no Python validator in this environment).
RTD_KEYS = {"version", "build", "sphinx", "mkdocs", "python", "formats", "submodules", "search", "conda"}
RTD_BUILD_KEYS = {"os", "tools", "jobs", "apt_packages", "commands"}
RTD_OS = {"ubuntu-20.04", "ubuntu-22.04", "ubuntu-24.04", "ubuntu-lts-latest"}
RTD_TOOLS = {"python", "nodejs", "ruby", "rust", "golang"}
SUPPORTED_NODE = {"22", "24", "lts"}
RTD_JOBS = {
    "post_checkout", "pre_system_dependencies", "post_system_dependencies", "pre_create_environment",
    "create_environment", "post_create_environment", "pre_install", "install", "post_install", "pre_build", "build",
    "post_build",
}
RTD_SPHINX_KEYS = {"configuration", "builder", "fail_on_warning"}


def rtd_problems(config: dict) -> list[str]:
    """Everything in a .readthedocs.yaml that schema v2 rejects or that this module needs; empty means valid."""
    problems = []
    if not isinstance(config, dict):
        return ["not a mapping"]
    if config.get("version") != 2:
        problems.append(f"version is {config.get('version')!r}, not 2")
    problems += [f"unknown key {k!r}" for k in sorted(set(config) - RTD_KEYS)]
    build = config.get("build")
    if not isinstance(build, dict):
        return problems + ["no build mapping (build.os and build.tools are required)"]
    problems += [f"unknown key build.{k}" for k in sorted(set(build) - RTD_BUILD_KEYS)]
    if build.get("os") not in RTD_OS:
        problems.append(f"build.os {build.get('os')!r} is not one of {sorted(RTD_OS)}")
    tools = build.get("tools")
    if not isinstance(tools, dict) or not tools:
        problems.append("build.tools is required and needs at least one tool")
    else:
        problems += [f"unknown tool build.tools.{k}" for k in sorted(set(tools) - RTD_TOOLS)]
        problems += [f"build.tools.{k} must be a quoted string" for k, v in tools.items() if not isinstance(v, str)]
        for needed in ("python", "nodejs"):  # Sphinx, and `npm ci` for Mermaid
            if needed not in tools:
                problems.append(f"build.tools.{needed} is needed")
        # Node.js 20 left maintenance in April 2026; 22 and 24 are the supported LTS lines.
        if "nodejs" in tools and str(tools["nodejs"]) not in SUPPORTED_NODE:
            problems.append(f"build.tools.nodejs {tools['nodejs']!r} is not a supported LTS ({sorted(SUPPORTED_NODE)})")
    jobs = build.get("jobs", {})
    if not isinstance(jobs, dict):
        problems.append("build.jobs must be a mapping")
        jobs = {}
    problems += [f"unknown job build.jobs.{k}" for k in sorted(set(jobs) - RTD_JOBS)]
    for name, commands in jobs.items():
        if name != "build" and not (isinstance(commands, list) and all(isinstance(c, str) for c in commands)):
            problems.append(f"build.jobs.{name} must be a list of commands")
    if "commands" in build and jobs:
        problems.append("build.commands replaces build.jobs: use one or the other")
    sphinx = config.get("sphinx")
    if "commands" not in build:
        if not isinstance(sphinx, dict) or "configuration" not in sphinx:
            problems.append("sphinx.configuration is required (or build.commands)")
        else:
            problems += [f"unknown key sphinx.{k}" for k in sorted(set(sphinx) - RTD_SPHINX_KEYS)]
            if not (ROOT / sphinx["configuration"]).is_file():
                problems.append(f"sphinx.configuration {sphinx['configuration']} does not exist")
            if sphinx.get("builder", "html") != "html":
                problems.append("sphinx.builder must be html (offline search and diagrams are made for it)")
    for item in (config.get("python") or {}).get("install", []):
        if "requirements" in item and not (ROOT / item["requirements"]).is_file():
            problems.append(f"python.install requirements {item['requirements']} does not exist")
    return problems


def test_readthedocs_config_follows_schema_v2_and_builds_the_student_edition():
    text = (ROOT / ".readthedocs.yaml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    problems = rtd_problems(config)
    assert not problems, "\n".join(problems)
    assert not INSTRUCTOR_BUILD.search(text), ".readthedocs.yaml builds the instructor edition"
    assert {"requirements": "requirements.txt"} in config["python"]["install"]
    commands = [c for cs in config["build"].get("jobs", {}).values() if isinstance(cs, list) for c in cs]
    assert any(c.startswith("npm ci") for c in commands + config["build"].get("commands", [])), "no `npm ci`"


def test_readthedocs_check_catches_mistakes():
    """The structural check rejects what Read the Docs would reject."""
    assert rtd_problems({"version": 2, "build": {"os": "ubuntu-24.04", "tools": {"python": "3.11"}}, "sphinx": {}})
    assert rtd_problems({"version": 1})
    assert rtd_problems({"version": 2, "build": {"os": "debian", "tools": {"python": "3.11", "nodejs": "20"}}})
    bad_job = {"os": "ubuntu-24.04", "tools": {"python": "3.11", "nodejs": "20"}, "jobs": {"after_build": ["x"]}}
    assert rtd_problems({"version": 2, "build": bad_job, "sphinx": {"configuration": "conf.py"}})


def playwright_chromium_libraries(platform: str) -> list[str]:
    """The system packages Playwright's Chromium needs on ``platform`` ("ubuntu24.04-x64"), from the installed
    Playwright's own table: the packages `python -m playwright install-deps chromium` installs on that release (its
    --dry-run lists those missing on the machine it runs on, so it cannot be read here for another release)."""
    import playwright

    for bundle in sorted((Path(playwright.__file__).parent / "driver" / "package" / "lib").rglob("*.js")):
        text = bundle.read_text(encoding="utf-8", errors="replace")
        start = text.find(f'"{platform}": {{')
        if start < 0:
            continue
        found = re.search(r"chromium:\s*\[([^\]]*)\]", text[start : start + 5000])
        if found:
            return re.findall(r'"([^"]+)"', found.group(1))
    pytest.fail(f"Playwright's table of Chromium's libraries for {platform} was not found in its driver: read "
                f"`python -m playwright install-deps --dry-run chromium` on {platform} and update this test")


def rtd_apt_problems(config: dict) -> list[str]:
    """The libraries Playwright's Chromium needs on the config's build.os that build.apt_packages does not name."""
    os_name = config["build"]["os"]  # "ubuntu-24.04" -> Playwright's "ubuntu24.04-x64" (Read the Docs runs x86-64)
    needed = playwright_chromium_libraries(os_name.replace("-", "") + "-x64")
    declared = set(config["build"].get("apt_packages") or [])
    return [f"build.apt_packages lacks {lib} (Playwright's Chromium needs it on {os_name})"
            for lib in needed if lib not in declared]


def test_readthedocs_installs_every_library_chromium_needs():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert config["build"]["os"] == "ubuntu-24.04"
    assert len(playwright_chromium_libraries("ubuntu24.04-x64")) >= 10, "Playwright's list looks truncated"
    problems = rtd_apt_problems(config)
    assert not problems, "\n".join(problems)


def test_readthedocs_library_check_names_a_missing_one():
    """Fault: take libnss3 (NSS, without which Chromium does not start) out of the config; the check names it."""
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    config["build"]["apt_packages"].remove("libnss3")
    assert rtd_apt_problems(config) == [
        "build.apt_packages lacks libnss3 (Playwright's Chromium needs it on ubuntu-24.04)"]


# -- Links that stay true --------------------------------------------------------------------------------------------


def bib_entries() -> dict[str, dict[str, str]]:
    """Every entry of bib/*.bib as {key: {field: value}} (field names lower case)."""
    from pybtex.database import parse_file

    entries = {}
    for path in sorted((ROOT / "bib").glob("*.bib")):
        for key, entry in parse_file(str(path), bib_format="bibtex").entries.items():
            entries[key] = {k.lower(): str(v) for k, v in entry.fields.items()} | {"_file": path.name}
    return entries


def links_of(entry: dict[str, str]) -> set[str]:
    """The URLs sphinxcontrib-bibtex renders for an entry (pybtex's plain style: url, eprint, pubmed, doi)."""
    links = set()
    if "url" in entry:
        links.add(entry["url"])
    if "eprint" in entry:
        links.add("https://arxiv.org/abs/" + entry["eprint"])
    if "pubmed" in entry:
        links.add("https://www.ncbi.nlm.nih.gov/pubmed/" + entry["pubmed"])
    if "doi" in entry:
        links.add("https://doi.org/" + entry["doi"])
    return links


class _Links(HTMLParser):
    """Every URL a page refers to through an attribute that loads or links something."""

    ATTRS = {"href", "src", "action", "poster", "data", "cite", "formaction", "xlink:href"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name in self.ATTRS:
                self.urls.append(value.strip())
            elif value and name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]


def external_links(site: Path, own_address: str = "") -> dict[str, list[str]]:
    """{page: [external URLs]} for every HTML page, 404.html included; URLs under ``own_address`` are the site's."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        if {"_static", "_images"} & set(path.parts):
            continue
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        urls = [
            u for u in parser.urls
            if re.match(r"(?i)(https?:)?//", u) and not (own_address and u.startswith(own_address))
        ]
        if urls:
            found[path.relative_to(site).as_posix()] = urls
    return found


def unlisted_links(site: Path, own_address: str = "") -> list[str]:
    allowed = set().union(*(links_of(e) for e in bib_entries().values()))
    return [
        f"{page}: {url}"
        for page, urls in external_links(site, own_address).items()
        for url in urls
        if url not in allowed
    ]


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_every_external_link_is_in_the_bibliography(request, edition):
    site = request.getfixturevalue(edition)
    bad = unlisted_links(site)
    assert not bad, (
        "external URLs that are not a url/doi/eprint of a bib/*.bib entry (cite the entry instead, or add the URL "
        "to the bibliography):\n" + "\n".join(bad)
    )


def test_hosted_build_links_out_only_to_the_bibliography(hosted):
    site, base = hosted
    bad = unlisted_links(site, own_address=base)
    assert not bad, "\n".join(bad)


def test_only_the_bibliography_page_links_out(student):
    """Citations on other pages link to the bibliography page, which holds every external URL."""
    others = {page: urls for page, urls in external_links(student).items() if page != BIB_PAGE}
    assert not others, f"pages other than {BIB_PAGE} with external links: {others}"
    on_bib_page = set(external_links(student)[BIB_PAGE])
    missing = sorted(set().union(*(links_of(e) for e in bib_entries().values())) - on_bib_page)
    assert not missing, f"bibliography URLs that {BIB_PAGE} does not show: {missing}"


def test_external_link_check_catches_an_unlisted_link(tmp_path):
    (tmp_path / "page.html").write_text(
        '<a href="https://example.org/not-in-the-bib">x</a><img src="//cdn.example.org/i.png">'
        '<a href="https://doi.org/10.1038/srep01376">cited</a><a href="other.html">local</a>',
        encoding="utf-8",
    )
    bad = unlisted_links(tmp_path)
    assert bad == ["page.html: https://example.org/not-in-the-bib", "page.html: //cdn.example.org/i.png"]


def test_bibliography_entries_that_link_out_give_access_date_and_note():
    problems = []
    for key, entry in bib_entries().items():
        if not links_of(entry):
            continue
        where = f"{entry['_file']}: {key}"
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", entry.get("urldate", "")):
            problems.append(f"{where}: no urldate (YYYY-MM-DD), the date the URL was consulted")
        if not entry.get("note", "").strip():
            problems.append(f"{where}: no note (publisher, reliability, archived copy if one exists)")
        for url in links_of(entry):
            if not re.match(r"https?://[^\s/]+\.[^\s/]+", url):
                problems.append(f"{where}: {url!r} is not an http(s) URL")
    assert not problems, "\n".join(problems)


def test_every_linkcheck_ignore_has_a_reason():
    """conf.py: each linkcheck_ignore entry sits on a line with a comment (its reason)."""
    source = (ROOT / "conf.py").read_text(encoding="utf-8")
    match = re.search(r"^linkcheck_ignore[^=]*=\s*\[(.*?)\]\s*(#.*)?$", source, re.M | re.S)
    assert match, "conf.py has no linkcheck_ignore"
    for line in match.group(1).splitlines():
        if line.strip() and not line.strip().startswith("#"):
            assert "#" in line, f"linkcheck_ignore entry without a reason: {line.strip()}"


def test_linkcheck_is_not_part_of_make_test():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    (test_rule,) = re.findall(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert "linkcheck" not in test_rule
    assert re.search(r"^linkcheck:.*\n\t.*-b linkcheck", makefile, re.M)
