"""Check the search page in a real browser: results, one highlighted snippet each, no errors, no network.

Reusable by any test that has a built site somewhere (file://, http, a sub-path, the unpacked zip)::

    from search_check import search_problems
    assert not search_problems(browser, (site / "search.html").as_uri(), "face")

The snippets come from ``_static/search-snippets.js`` (see ``_ext/web/offline_search.py``).
Also here: ``read_snippets`` / ``read_search_index`` (the two data files, as Python objects), ``serve_http``
(a bounded loopback http server for a built site), ``stored`` (everything a page's origin keeps: web storage,
cookies, IndexedDB) and ``diagram_signature`` (what a page's diagrams look like, to compare two loads).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
from pathlib import Path
from urllib.parse import quote, urlparse

from site_tools import local_file, open_page

SNIPPETS = Path("_static") / "search-snippets.js"  # relative to the built site
SNIPPETS_PREFIX = "window.SEARCH_SNIPPETS = "


def _same_origin(url: str):
    origin = urlparse(url)
    return lambda u: (urlparse(u).scheme, urlparse(u).netloc) == (origin.scheme, origin.netloc)


# In the page, once Sphinx has finished: every result with its snippets, the highlighted words, the words the
# query is made of (as Sphinx splits and stems them), and any fetch the page made.
_COLLECT = """() => {
    const words = [];
    const q = new URLSearchParams(location.search).get("q") || "";
    const split = typeof splitQuery === "function" ? splitQuery(q) : q.split(/\\s+/);
    const stemmer = typeof Stemmer === "function" ? new Stemmer() : null;
    for (const t of split.filter((t) => t)) {
        words.push(t.toLowerCase());
        if (stemmer) words.push(stemmer.stemWord(t.toLowerCase()));
    }
    return {
        status: document.querySelector("#search-results p.search-summary")?.innerText || "",
        words,
        results: [...document.querySelectorAll("#search-results ul.search > li")].map((li) => ({
            href: li.querySelector("a")?.getAttribute("href") || "",
            snippets: li.querySelectorAll("p.context").length,
            text: li.querySelector("p.context")?.textContent || "",
            highlighted: [...li.querySelectorAll("p.context .highlighted")].map((s) => s.textContent.toLowerCase()),
        })),
        fetched: performance.getEntriesByType("resource")
            .filter((e) => ["fetch", "xmlhttprequest"].includes(e.initiatorType)).map((e) => e.name),
        hasData: typeof window.SEARCH_SNIPPETS === "object",
    };
}"""


def search_results(browser, search_page_url: str, query: str, allowed=None, timeout_ms: int = 20000) -> dict:
    """Open ``search.html?q=query`` and return what the page showed (see ``_COLLECT``) plus errors and requests."""
    if allowed is None:
        allowed = local_file if search_page_url.startswith("file:") else _same_origin(search_page_url)
    url = f"{search_page_url.split('?')[0]}?q={quote(query)}"
    visit = open_page(browser, url, allowed=allowed, wait_diagrams=False)
    try:
        try:
            visit.page.wait_for_function(
                "() => (document.querySelector('#search-results p.search-summary')?.innerText || '').length > 0",
                timeout=timeout_ms,
            )
            finished = True
        except Exception:  # Playwright's TimeoutError; reported as a problem below
            finished = False
        visit.page.wait_for_timeout(50)  # let the MutationObserver's last callbacks run
        found = visit.page.evaluate(_COLLECT)
        found.update(finished=finished, errors=list(visit.errors), external=list(visit.external), url=url)
        return found
    finally:
        visit.close()


def search_problems(browser, search_page_url: str, query: str, allowed=None, min_results: int = 1) -> list[str]:
    """Everything wrong with one search, as readable lines; an empty list means the search works.

    Checks: the search finishes; at least ``min_results`` results; exactly one snippet per result; each snippet
    highlights the query word (or Sphinx's stem of it); zero console errors; no request outside the site
    (``allowed``: by default file:// without a host, or the page's own http origin); no page fetched by script.
    """
    found = search_results(browser, search_page_url, query, allowed=allowed)
    where = f"search for {query!r} at {found['url']}"
    problems = []
    if not found["finished"]:
        problems.append(f"{where}: the search did not finish")
    if not found["hasData"]:
        problems.append(f"{where}: window.SEARCH_SNIPPETS is not loaded ({SNIPPETS} missing or not on the page)")
    if len(found["results"]) < min_results:
        problems.append(f"{where}: {len(found['results'])} results, expected at least {min_results}")
    words = set(found["words"])
    for result in found["results"]:
        if result["snippets"] != 1:
            problems.append(f"{where}: {result['href']} has {result['snippets']} snippets, expected 1")
        elif not words & set(result["highlighted"]):
            problems.append(f"{where}: the snippet of {result['href']} does not highlight {sorted(words)}: "
                            f"{result['text'][:160]!r}")
    problems += [f"{where}: console error: {e}" for e in found["errors"]]
    problems += [f"{where}: request outside the site: {u}" for u in found["external"]]
    problems += [f"{where}: page fetched by script: {u}" for u in found["fetched"]]
    return problems


def read_snippets(site: Path) -> dict[str, list]:
    """``{docname: [text, {anchor: offset}]}`` from a built site's snippet file."""
    raw = (site / SNIPPETS).read_text(encoding="utf-8").strip().split("\n", 1)[0]  # line 2: the script's UI text
    assert raw.startswith(SNIPPETS_PREFIX), f"{SNIPPETS} does not start with {SNIPPETS_PREFIX!r}"
    return json.loads(raw[len(SNIPPETS_PREFIX) :].rstrip(";"))


def read_search_index(site: Path) -> dict:
    """Sphinx's ``searchindex.js`` as a dict (``docnames``, ``titles``, ``terms``, ...)."""
    raw = (site / "searchindex.js").read_text(encoding="utf-8").strip()
    start, end = raw.index("("), raw.rindex(")")
    return json.loads(raw[start + 1 : end])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve_http(directory: Path):
    """Serve ``directory`` on http://127.0.0.1:<free port>/ in a thread; yields the base URL; always stops."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# Everything the page's origin keeps, as text: localStorage, sessionStorage (this tab's), document.cookie and every
# IndexedDB database's keys and values.
_STORED = """async () => {
    const read = (storage) => { try { return Object.fromEntries(Object.entries(storage)); } catch (e) { return {}; } };
    const found = {localStorage: read(window.localStorage), sessionStorage: read(window.sessionStorage), cookie: "",
                   indexedDB: {}};
    try { found.cookie = document.cookie; } catch (e) { /* no cookies for this scheme */ }
    const databases = indexedDB.databases ? await indexedDB.databases() : [];
    for (const { name } of databases) {
        const db = await new Promise((done, fail) => {
            const request = indexedDB.open(name);
            request.onsuccess = () => done(request.result);
            request.onerror = () => fail(request.error);
        });
        for (const store of db.objectStoreNames) {
            const all = (method) => new Promise((done) => {
                const request = db.transaction(store).objectStore(store)[method]();
                request.onsuccess = () => done(request.result);
            });
            found.indexedDB[`${name}/${store}`] = JSON.stringify([await all("getAllKeys"), await all("getAll")]);
        }
        db.close();
    }
    return found;
}"""


def stored(page) -> dict:
    """What ``page``'s origin has stored, plus the context's cookies: {"localStorage": {...}, "sessionStorage":
    {...}, "cookie": "...", "indexedDB": {"db/store": "[keys, values]"}, "cookies": [...]}."""
    found = page.evaluate(_STORED)
    found["cookies"] = [f"{c['name']}={c['value']}" for c in page.context.cookies()]
    return found


def words_stored(found: dict, words) -> list[str]:
    """Where in ``found`` (from ``stored``) any of ``words`` occurs, case-insensitively: "localStorage: key=value"."""
    places = [f"localStorage: {k}={v}" for k, v in found["localStorage"].items()]
    places += [f"sessionStorage: {k}={v}" for k, v in found["sessionStorage"].items()]
    places += [f"cookie: {found['cookie']}"] + [f"cookie: {c}" for c in found["cookies"]]
    places += [f"IndexedDB {name}: {content}" for name, content in found["indexedDB"].items()]
    return [place for place in places if any(w.lower() in place.lower() for w in words)]


# What each diagram looks like: its markup, and the computed style of its shapes and labels. Two loads of the same
# page give the same signature unless something changed a diagram (or the browser dropped one of its styles).
_DIAGRAMS = """() => [...document.querySelectorAll('.mermaid svg')].map((svg) => {
    const props = ['fill', 'stroke', 'stroke-width', 'font-family', 'font-size', 'opacity', 'visibility', 'display'];
    const shapes = [...svg.querySelectorAll('rect, path, polygon, circle, ellipse, line, text, tspan, foreignObject *')];
    return {
        markup: svg.outerHTML,
        styles: shapes.map((el) => {
            const style = getComputedStyle(el);
            return el.tagName + ' ' + props.map((p) => style.getPropertyValue(p)).join(' | ');
        }),
    };
})"""


def diagram_signature(page) -> list[dict]:
    """Each diagram of the loaded ``page``: {"markup": its SVG, "styles": [computed style of each shape/label]}."""
    return page.evaluate(_DIAGRAMS)


def signature_differences(plain: list[dict], other: list[dict]) -> list[str]:
    """How ``other`` differs from ``plain`` (two diagram_signature results), one line per changed diagram."""
    if len(plain) != len(other):
        return [f"{len(other)} diagrams, {len(plain)} without search"]
    found = []
    for i, (a, b) in enumerate(zip(plain, other), start=1):
        if a["markup"] != b["markup"]:
            found.append(f"diagram {i}: its SVG markup changed")
        changed = [f"{x} -> {y}" for x, y in zip(a["styles"], b["styles"]) if x != y]
        if changed or len(a["styles"]) != len(b["styles"]):
            found.append(f"diagram {i}: {len(changed)} shapes drawn differently, e.g. {changed[:1]}")
    return found
