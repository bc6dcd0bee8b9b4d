"""The root of the hosted site, where both languages sit side by side (`make site`): _build/site/{en,zh}/.

Writes _build/site/index.html, a page in both languages that sends the reader on to en/ (a meta refresh: no script,
so it works with JavaScript off and under the pages' Content-Security-Policy) and links both editions, and copies
en/404.html to the root, where static hosts such as GitHub Pages look for it. The language switcher on every page
links ../en/ and ../zh/ (conf.py, "Languages"), which is this layout.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url=en/index.html">
<title>Whose Face? · 谁的脸？</title>
</head>
<body>
<main>
<h1>Whose Face?</h1>
<p><a href="en/index.html">English</a> · <a href="zh/index.html" lang="zh-Hans" hreflang="zh-Hans">中文</a></p>
</main>
</body>
</html>
"""


def main(site: Path) -> None:
    for language in ("en", "zh"):
        if not (site / language / "index.html").is_file():
            sys.exit(f"site_root: {site / language} holds no built edition; run `make site`")
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    shutil.copyfile(site / "en" / "404.html", site / "404.html")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
