"""The root of the hosted site, where both languages sit side by side (`make site`): _build/site/{en,zh}/.

    python scripts/site_root.py SITE [SITE_URL]

Writes SITE/index.html, a page in both languages that sends the reader on to en/ (a meta refresh: no script,
so it works with JavaScript off and under the pages' Content-Security-Policy) and links both editions, and copies
en/404.html to the root, where static hosts such as GitHub Pages look for it. The language switcher on every page
links ../en/ and ../zh/ (conf.py, "Languages"), which is this layout.

With SITE_URL (the root's address, as `make site` passes it), for search engines (issue #33):
- each edition's sitemap.xml (written by sphinx-sitemap, which can only name a language folder after the language
  code, zh_CN/, not zh/) gets, on every page, its alternates: the same page in each edition that has it
  (hreflang "en" and "zh-Hans", the values of the language switcher, conf.py SWITCH_HREFLANG) and x-default (English);
- SITE/sitemap.xml, a sitemap index naming the two editions' sitemaps;
- SITE/robots.txt, which names that index. (Crawlers read robots.txt only at a host's root: on a GitHub Pages project
  site, /<repo>/robots.txt is not read, and the index must be submitted to a search engine by hand.)
Only `make site` knows both editions, so only it writes alternates; a single edition (Read the Docs, `make html`
with SITE_URL) keeps sphinx-sitemap's plain list (conf.py sets sitemap_locales = [None]).
"""

from __future__ import annotations

import html
import shutil
import sys
from pathlib import Path

from babel import Locale
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "_ext"), str(ROOT)]  # the extensions, and facelab, which they import
from i18n.translations import catalogue_languages, script_tr  # noqa: E402

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# Folder -> hreflang: as the language switcher writes it (conf.py, SWITCH_FOLDERS and SWITCH_HREFLANG).
EDITIONS = {"en": "en", "zh": "zh-Hans"}
DEFAULT = "en"  # x-default: the edition the root page sends readers to

# The root page names the module in every edition's language (each from its catalogue: whose-face.po) and links
# each edition by the name of its language in that language (Babel's CLDR data: English, 中文). No text is typed here.
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={default}/index.html">
<title>{title}</title>
</head>
<body>
<main>
<h1>{heading}</h1>
<p>{links}</p>
</main>
</body>
</html>
"""
TITLE = "Whose Face?"


def language_of(folder: str) -> str:
    """The catalogue language of an edition's folder: en; zh -> zh_CN (locale/zh_CN/)."""
    return next((lang for lang in catalogue_languages() if lang.split("_")[0].lower() == folder), "en")


def page() -> str:
    """The root page: the title in each edition's language, a link to each edition named in its own language."""
    names = [script_tr(language_of(folder), "scripts/site_root.py")(TITLE) for folder in EDITIONS]
    links = []
    for folder, hreflang in EDITIONS.items():
        label = html.escape(Locale.parse(hreflang, sep="-").language_name)
        attributes = "" if folder == DEFAULT else f' lang="{hreflang}" hreflang="{hreflang}"'
        links.append(f'<a href="{folder}/index.html"{attributes}>{label}</a>')
    return PAGE.format(default=DEFAULT, title=html.escape(" · ".join(dict.fromkeys(names))),
                       heading=html.escape(names[list(EDITIONS).index(DEFAULT)]), links=" · ".join(links))


def sitemap_pages(site: Path, folder: str, site_url: str) -> tuple[etree._ElementTree, dict[str, etree._Element]]:
    """An edition's sitemap.xml and {page path in the edition: its <url>}; stops if it is not the edition's."""
    path = site / folder / "sitemap.xml"
    if not path.is_file():
        sys.exit(f"site_root: {path} is missing; build the edition with SITE_URL={site_url}{folder}/")
    tree = etree.parse(str(path))
    pages = {}
    for url in tree.getroot().iterfind(f"{{{SITEMAP_NS}}}url"):
        loc = url.findtext(f"{{{SITEMAP_NS}}}loc") or ""
        if not loc.startswith(f"{site_url}{folder}/"):
            sys.exit(f"site_root: {path} lists {loc}, outside {site_url}{folder}/; build the edition with "
                     f"SITE_URL={site_url}{folder}/")
        pages[loc.removeprefix(f"{site_url}{folder}/")] = url
    return tree, pages


def write_sitemaps(site: Path, site_url: str) -> None:
    """Alternates in each edition's sitemap, the root sitemap index, robots.txt (see the module's docstring)."""
    editions = {folder: sitemap_pages(site, folder, site_url) for folder in EDITIONS}
    for folder, (tree, pages) in editions.items():
        for page, url in pages.items():
            for link in url.findall(f"{{{XHTML_NS}}}link"):
                url.remove(link)  # sphinx-sitemap's own, if any: they would name the wrong folder
            having = [f for f in EDITIONS if page in editions[f][1]]
            for other in having:
                etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=EDITIONS[other],
                                 href=f"{site_url}{other}/{page}")
            if DEFAULT in having and len(having) > 1:
                etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang="x-default",
                                 href=f"{site_url}{DEFAULT}/{page}")
        root = tree.getroot()
        if root.nsmap.get("xhtml") != XHTML_NS:  # declare the prefix once, on the root, as sitemaps usually do
            fresh = etree.Element(root.tag, nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
            fresh.extend(list(root))
            tree = etree.ElementTree(fresh)
        etree.cleanup_namespaces(tree)
        tree.write(str(site / folder / "sitemap.xml"), xml_declaration=True, encoding="utf-8")
    index = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    for folder in EDITIONS:
        entry = etree.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = f"{site_url}{folder}/sitemap.xml"
    etree.ElementTree(index).write(str(site / "sitemap.xml"), xml_declaration=True, encoding="utf-8")
    (site / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n", encoding="utf-8")


def main(site: Path, site_url: str = "") -> None:
    for language in EDITIONS:
        if not (site / language / "index.html").is_file():
            sys.exit(f"site_root: {site / language} holds no built edition; run `make site`")
    (site / "index.html").write_text(page(), encoding="utf-8")
    shutil.copyfile(site / "en" / "404.html", site / "404.html")
    if site_url:
        write_sitemaps(site, site_url.rstrip("/") + "/")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "")
