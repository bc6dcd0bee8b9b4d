"""A Content-Security-Policy and a no-referrer policy in every page, and checksums on late-copied scripts (issue #17).

A privacy course must not leak its readers, and a page that can run only its own code cannot be made to. At the end
of the build, every HTML page gets, first in its <head>:

    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'sha256-…'; …">
    <meta name="referrer" content="no-referrer">

- Scripts and styles may come only from the site itself ('self'), plus the inline ones this page really has, each
  allowed by the SHA-256 of its text (sphinx-togglebutton's settings, the diagrams' SVG styles). A script injected
  later matches no hash and does not run.
- No 'file:' source, hosted or offline (issue #33). Hosted, it only admitted local files for nothing. Offline, it
  admitted any local file, and nothing narrower can be said: Chromium rejects a file: source with a path
  (file:///some/folder/ is "an invalid source") and accepts file: only whole, for the scheme. But on a page opened from
  file://, Chromium's 'self' already matches local files (measured with Chromium 156: scripts, styles, images, fonts
  and the search form all load with 'self' alone), so 'self' alone is the narrowest policy the browser allows;
  tests/test_csp.py and the offline browser audits check it. What remains: 'self' there still admits a local file
  outside the site's folder, if a page's own markup named one; no source expression can say "this folder only". Firefox (ESR 153, headless screenshot) drew a
  file:// test page's script, style and image under 'self' alone, but also under default-src 'none': that run
  shows no breakage, not that Firefox enforces the policy there.
- Inline style attributes (furo's icons, Mermaid's shapes) are allowed by hash too ('unsafe-hashes' lists exactly
  those values), never by 'unsafe-inline'.
- connect-src 'none': no page fetches anything after it loads; object-src 'none', base-uri 'none', form-action
  'self' (the search box submits to search.html).
- Scripts written after Sphinx has computed its checksums (the search snippets) get one too, `?v=<sha256[:8]>`, as
  Sphinx gives the others, so a browser never keeps a stale copy.

The policy is recomputed from each page as written, so a new inline script or style needs no edit here. Set in a
<meta> element it cannot carry frame-ancestors or report-uri; a host that can send headers may add those.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

from sphinx.application import Sphinx

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
INLINE_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
LOCAL_ASSET = re.compile(r'(<script[^>]*\ssrc="|<link[^>]*\shref=")((?!https?:|//|data:)[^"?#]+\.(?:js|css))"')
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*<meta name="referrer"[^>]*>\s*')


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def policy(page: str) -> str:
    scripts = sorted({sha(s) for s in INLINE_SCRIPT.findall(page)})
    styles = sorted({sha(s) for s in INLINE_STYLE.findall(page)})
    attrs = sorted({sha(html.unescape(s)) for s in STYLE_ATTR.findall(page)})
    own = "'self'"  # no 'file:' (see the module's docstring)
    parts = [
        "default-src 'none'",
        f"script-src {' '.join([own, *scripts])}",
        f"style-src {' '.join([own, *styles])}",
        f"style-src-elem {' '.join([own, *styles])}",
        "style-src-attr " + (" ".join(["'unsafe-hashes'", *attrs]) if attrs else "'none'"),
        f"img-src {own} data:",
        f"font-src {own} data:",
        "connect-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
    return "; ".join(parts)


def bust(page: str, here: Path) -> str:
    """Add ?v=<checksum> to local scripts and stylesheets that have none."""

    def add(match):
        target = (here.parent / match.group(2)).resolve()
        if not target.is_file():
            return match.group(0)
        digest = hashlib.sha256(target.read_bytes()).hexdigest()[:8]
        return f'{match.group(1)}{match.group(2)}?v={digest}"'

    return LOCAL_ASSET.sub(add, page)


def harden(path: Path) -> None:
    page = path.read_text(encoding="utf-8")
    page = CSP_META.sub("", page)
    page = bust(page, path)
    meta = (f'<meta http-equiv="Content-Security-Policy" content="{policy(page).replace("&", "&amp;").replace(chr(34), "&quot;")}">\n'
            '<meta name="referrer" content="no-referrer">\n')
    head = re.search(r"<head[^>]*>\s*(<meta charset=[^>]*>\s*)?", page)
    if head is None:
        return
    path.write_text(page[: head.end()] + meta + page[head.end():], encoding="utf-8")


def finish(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for path in outdir.rglob("*.html"):
        if ".doctrees" not in path.parts:
            harden(path)


def setup(app: Sphinx):
    # After every other build-finished step that writes files (search snippets, diagrams): priority 900.
    app.connect("build-finished", finish, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
