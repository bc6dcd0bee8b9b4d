"""The Chinese edition (issue #18): complete catalogues, Chinese pages, no leak, offline, searchable, switchable.

The two Chinese editions are built once per session (conftest.py, ``zh_builds``), strictly, like the English ones.

- Catalogues: no empty and no fuzzy ``msgstr`` in any catalogue under locale/zh_CN/ (the header entry aside); each
  failure names the file and line. And the sources against the catalogues: the strict Chinese build names every
  message of a page that its catalogue lacks or marks fuzzy (_ext/i18n/catalogue_check.py; fault test below). The page catalogues are filled by the translators; ``whose-face.po`` holds what
  the code writes, and a message missing from it fails the strict build, naming the message and where it is used
  (fault test below).
- Pages: on every page of the Chinese student edition, more than 60 % of the letters of its text (the article;
  code left out) are CJK characters. An English paragraph left behind (a msgstr the build could not use) shows up
  here.
- The leak test of tests/test_editions.py, run on the Chinese editions.
- The offline browser audit (no request to another host, 0 console errors, 0 axe violations, every diagram whole)
  on the Chinese student edition and on its zip; three Chinese queries with results and snippets.
- The language switcher: every page links to an existing page of the other language, side by side in en/ and zh/,
  from file:// and over http; the English pages load no Chinese font.
"""

from __future__ import annotations

import os
import re
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from search_check import search_problems, serve_http
from site_tools import ROOT, audit_site, copy_source, format_problems, html_pages, open_page, pages_only, sphinx_build
from site_tools import page_soup, unpacked_differences
from test_editions import instructor_paragraphs, leaks_of, site_texts, where_found

LOCALE = ROOT / "locale" / "zh_CN" / "LC_MESSAGES"
CJK_SHARE = 0.60
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
QUERIES = ["人脸数据", "口罩", "私有化部署"]


@pytest.fixture(scope="session")
def zh_student(zh_builds) -> Path:
    return zh_builds["student"].outdir


@pytest.fixture(scope="session")
def zh_instructor(zh_builds) -> Path:
    return zh_builds["instructor"].outdir


@pytest.fixture(scope="module")
def side_by_side(student, zh_student, tmp_path_factory) -> Path:
    """The hosting layout: en/ and zh/ side by side (links to the two builds)."""
    where = tmp_path_factory.mktemp("side by side")
    (where / "en").symlink_to(student, target_is_directory=True)
    (where / "zh").symlink_to(zh_student, target_is_directory=True)
    return where


# -- Catalogues ---------------------------------------------------------------------------------------------------


def catalogue_problems(folder: Path) -> list[str]:
    """``file:line: ...`` for every empty or fuzzy msgstr of every .po file under ``folder`` (header aside)."""
    from babel.messages.pofile import read_po

    problems = []
    for po in sorted(folder.rglob("*.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        rel = po.relative_to(ROOT) if po.is_relative_to(ROOT) else po
        for message in catalog:
            if not message.id:
                continue  # the header entry
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy:
                problems.append(f"{rel}:{message.lineno}: fuzzy: {msgid[:70]!r}")
            elif not all(strings):
                problems.append(f"{rel}:{message.lineno}: empty msgstr: {msgid[:70]!r}")
    return problems


def test_no_empty_or_fuzzy_msgstr_in_any_catalogue():
    problems = catalogue_problems(LOCALE)
    assert not problems, f"{len(problems)} untranslated or fuzzy messages (translate them; TRANSLATING.md):\n" + \
        "\n".join(problems[:60]) + ("\n..." if len(problems) > 60 else "")


def test_catalogue_check_names_file_and_line(tmp_path):
    """The check above finds an empty and a fuzzy msgstr, and says where."""
    (tmp_path / "x.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "done"\nmsgstr "完成"\n\nmsgid "empty"\nmsgstr ""\n\n#, fuzzy\nmsgid "old"\nmsgstr "旧"\n',
        encoding="utf-8",
    )
    problems = catalogue_problems(tmp_path)
    assert any("x.po:8: empty msgstr: 'empty'" in p for p in problems), problems
    assert any("x.po:12: fuzzy: 'old'" in p for p in problems), problems
    assert len(problems) == 2, problems


def test_code_catalogue_is_complete_and_compiles_to_nothing_committed():
    po = LOCALE / "whose-face.po"
    assert po.is_file(), "locale/zh_CN/LC_MESSAGES/whose-face.po (what the code writes) is missing"
    problems = [p for p in catalogue_problems(LOCALE) if p.startswith("locale/zh_CN/LC_MESSAGES/whose-face.po")]
    assert not problems, "\n".join(problems)
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "*.mo" in ignored.split(), ".mo files are build products: .gitignore must list *.mo"


def test_untranslated_code_message_fails_the_build_naming_it_and_where(tmp_path_factory):
    """Fault: remove the translation of "Key points" from whose-face.po; the strict Chinese build names both."""
    tree = copy_source(tmp_path_factory.mktemp("zh-fault") / "src")  # with the build's caches (site_tools)
    po = tree / "locale" / "zh_CN" / "LC_MESSAGES" / "whose-face.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgid "Key points"\nmsgstr "要点"' in text
    broken = text.replace('msgid "Key points"\nmsgstr "要点"', 'msgid "Key points"\nmsgstr ""')
    po.write_text(broken, encoding="utf-8")
    for mo in tree.rglob("*.mo"):
        mo.unlink()
    build = sphinx_build(tree, tmp_path_factory.mktemp("zh-fault-out") / "out", "-D", "language=zh_CN",
                         *pages_only("cases/face-data-remark/context.md"))  # one page with a "Key points" box
    assert build.returncode != 0, "an untranslated code message must fail the strict Chinese build"
    named = [w for w in build.warnings if "untranslated message 'Key points'" in w]
    assert named, build.log[-3000:]
    assert any(re.search(r"[\w/-]+\.md:\d+", w) for w in named), f"the warning does not say where: {named[0]}"
    assert "locale/zh_CN/LC_MESSAGES/whose-face.po" in named[0], named[0]


def test_a_stale_or_fuzzy_page_translation_fails_the_build_naming_it(zh_catalogue_faults):
    """Fault (issue #30): an English edit without `make gettext`, and a message left fuzzy. The strict Chinese build
    names each with the English file and line and the catalogue to edit; DRAFT=1 builds, showing English, marked
    (conftest.zh_catalogue_faults plants both, with two other catalogue faults)."""
    build, draft, line = zh_catalogue_faults["strict"], zh_catalogue_faults["draft"], zh_catalogue_faults["lines"]["page"]
    assert build.returncode != 0, "a stale translation must fail the strict Chinese build"
    stale = [w for w in build.warnings if "Keep the two questions apart." in w]
    assert stale and f"law.md:{line}: WARNING: new or changed: run `make gettext`" in stale[0], build.log[-3000:]
    assert "locale/zh_CN/LC_MESSAGES/cases/masked-photos/law.po" in stale[0], stale[0]
    fuzzy = [w for w in build.warnings if "'Law then and now'" in w]
    assert fuzzy and re.search(r"law\.md:1: WARNING: fuzzy: .*delete its `#, fuzzy` line", fuzzy[0]), build.log[-3000:]
    # (the restricted build warns about the pages it leaves out; the translation problems are notes, not warnings)
    assert not [w for w in draft.warnings if "make gettext" in w or "fuzzy" in w], draft.log[-3000:]
    assert "DRAFT: new or changed" in draft.log and "DRAFT: fuzzy" in draft.log, draft.log[-3000:]
    soup = BeautifulSoup((draft.outdir / "cases" / "masked-photos" / "law.html").read_text(encoding="utf-8"), "lxml")
    marked = [el.get_text(" ", strip=True) for el in soup.select(".untranslated")]
    assert any("Keep the two questions apart." in m for m in marked), marked
    assert soup.select_one('link[href*="draft.css"]') is not None


# -- Pages --------------------------------------------------------------------------------------------------------


def visible_letters(page: Path) -> tuple[int, int]:
    """(CJK characters, Latin letters) of the page's own text (its ``<article>``), code left out.

    The article, not the whole body: the navigation repeats every page's title, each counted on its own page, so on
    a partly translated site one untranslated page would not fail every other page too.
    """
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    root = soup.select_one("article") or soup.body
    if root is None:
        return 0, 0
    for el in root.select("script, style, pre, code, kbd, samp, .highlight, [hidden]"):
        el.decompose()
    text = root.get_text(" ")
    return len(CJK.findall(text)), len(LATIN.findall(text))


def cjk_share(page: Path) -> float:
    cjk, latin = visible_letters(page)
    return cjk / max(cjk + latin, 1)


# Pages whose text is partly not ours to translate, with the share they must still reach and why.
MIXED = {
    "docs/glossary.html": (0.40, "bilingual by design: each entry's English term and its pinyin stand beside the Chinese"),
    # The notes (our assessment of each source) and pybtex's words are Chinese (_ext/i18n/bib_zh.py, tests/test_zh_bib.py);
    # what stays English is the sources' own: titles, authors, outlets and URLs (47 % Chinese when this was set).
    "docs/bibliography.html": (0.40, "each source keeps its own title, authors, outlet and URL, most of them English"),
    "genindex.html": (0.0, "the index lists the glossary's terms in both languages"),
    "search.html": (0.0, "a search box; its few fixed words are checked where the code writes them (below)"),
}


def test_every_chinese_page_is_mostly_chinese(zh_student):
    low = {}
    for page in html_pages(zh_student):
        share = cjk_share(page)
        if share <= MIXED.get(page.relative_to(zh_student).as_posix(), (CJK_SHARE,))[0]:
            low[str(page.relative_to(zh_student))] = share
    assert not low, (
        f"pages of the Chinese edition where {CJK_SHARE:.0%} or less of the letters outside code are Chinese "
        "(their catalogue is untranslated or the build could not use it):\n"
        + "\n".join(f"  {page}: {share:.0%} Chinese" for page, share in sorted(low.items(), key=lambda kv: kv[1]))
    )


def test_cjk_share_counts_letters_outside_code(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><nav>Navigation in English</nav><article><p>人脸数据 API</p>"
                    "<pre>print('hello world')</pre><code>x = 1</code><script>var english = 1;</script></article>"
                    "</body></html>", encoding="utf-8")
    assert visible_letters(page) == (4, 3)
    assert cjk_share(page) == pytest.approx(4 / 7)


def test_chinese_edition_is_in_chinese_where_the_code_writes(zh_student, zh_instructor):
    index = (zh_student / "index.html").read_text(encoding="utf-8")
    assert '<html class="no-js" lang="zh-CN"' in index
    assert "<title>谁的脸？</title>" in index or "谁的脸？" in index
    exercises = page_soup(zh_student / "exercises" / "face-data-remark.html")
    assert "分钟" in exercises.select_one(".exercise-meta").get_text()
    terms = [a.get_text() for a in exercises.select("a.glossary-term")]
    assert terms and all(CJK.search(t) for t in terms), f"glossary links in the Chinese edition: {terms}"
    banner = page_soup(zh_instructor / "index.html")
    assert "教师版" in banner.select_one(".announcement").get_text()


def test_bilingual_quotations_show_the_original_only_with_source(zh_student):
    boxes = [box for page in html_pages(zh_student)
             for box in page_soup(page).select("div.bilingual")]
    assert len(boxes) >= 4, "no bilingual quotations found in the Chinese edition"
    for box in boxes:
        assert not box.select(".bilingual-en"), "the English translation appears in the Chinese edition"
        assert box.select_one(".bilingual-zh").get_text(strip=True)
        attribution = box.select_one(".bilingual-attribution").get_text(" ", strip=True)
        assert attribution.startswith("——") and "English translation" not in attribution, attribution
        assert box.select_one(".bilingual-attribution a"), f"no source cited: {attribution}"


def test_diagrams_are_drawn_with_chinese_labels(zh_student):
    pages = [p for p in html_pages(zh_student) if "mermaid-figure" in p.read_text(encoding="utf-8")]
    assert pages
    for page in pages:
        soup = page_soup(page)
        for svg in soup.select(".mermaid svg"):
            assert CJK.search(svg.title.get_text()) and CJK.search(svg.desc.get_text()), page
        for table in soup.select("table.dataflow-table, table.linddun-worksheet"):
            assert CJK.search(table.caption.get_text()), page


# -- Leak test on the Chinese editions ---------------------------------------------------------------------------


def chinese_probes(paragraph: str, shortest: int = 20) -> list[str]:
    """The paragraph and each of its sentences (Chinese or English punctuation) of ``shortest`` characters or more.
    Never cut inside brackets: a citation （杜鑫，2020；中新经纬，2020） or "U.S." in an author's name is no sentence end
    (a fragment of a citation is found on many student pages)."""
    sentences, depth, start = [], 0, 0
    for i, char in enumerate(paragraph):
        depth = depth + 1 if char in "（(" else max(0, depth - 1) if char in "）)" else depth
        decimal = char == "." and paragraph[i + 1:i + 2].isdigit()  # 15.25%: a number, not a sentence end
        if depth == 0 and char in ".!?:。！？：；" and not decimal:
            sentences.append(paragraph[start:i + 1].strip())
            start = i + 1
    sentences.append(paragraph[start:].strip())
    return [paragraph, *(s for s in sentences if len(s) >= shortest)]


def test_no_instructor_paragraph_in_the_chinese_student_edition(zh_instructor, zh_student):
    paragraphs = instructor_paragraphs(zh_instructor)
    assert len(paragraphs) >= 10, f"only {len(paragraphs)} instructor paragraphs: the leak test would be vacuous"
    missing = [p for p in list(paragraphs)[:20] if not where_found(zh_instructor, p)]
    assert not missing, f"positive control: not found in the instructor edition itself: {missing[:2]}"
    leaks = leaks_of(paragraphs, zh_student, chinese_probes, width=60)
    assert not leaks, f"instructor material in the Chinese student edition ({len(site_texts(zh_student))} files):\n" \
        + "\n".join(f"  {k} -> {v}" for k, v in leaks.items())
    assert not (zh_student / "docs" / "instructor").exists()


# -- Fonts --------------------------------------------------------------------------------------------------------


def test_chinese_font_subset_has_every_character_and_the_pages_load_its_slices(zh_student, student):
    from fontTools.ttLib import TTFont

    sys.path.insert(0, str(ROOT / "_ext"))
    from i18n import cjk_font

    subset = zh_student / "_static" / cjk_font.SUBSET
    assert subset.is_file(), "the Chinese edition has no font subset"
    cmap = TTFont(str(subset)).getBestCmap()
    source = TTFont(str(cjk_font.SOURCE)).getBestCmap()
    used = cjk_font.used_characters(zh_student)
    missing = sorted(c for c in used if ord(c) not in cmap and ord(c) in source)
    assert not missing, f"characters of the pages missing from the subset: {''.join(missing[:40])}"
    assert len(cmap) < len(used) + 400, f"the subset holds {len(cmap)} characters for {len(used)} used"
    print(f"font subset: {len(used)} characters, {subset.stat().st_size / 1024:.0f} KB")
    index = (zh_student / "index.html").read_text(encoding="utf-8")
    assert cjk_font.CSS in index
    for page in html_pages(student):
        assert cjk_font.CSS not in page.read_text(encoding="utf-8"), f"{page.name} loads the Chinese font stack"
    # The English edition has the same font for its own Chinese, in slices with CJK-only ranges (tests/test_cjk_font.py)
    assert not (student / "_static" / cjk_font.CSS).exists() and (student / "_static" / cjk_font.CSS_EN).exists()
    css = (zh_student / "_static" / cjk_font.CSS).read_text(encoding="utf-8")
    assert f"{cjk_font.SLICES}/00.woff2" in css and f'url("{cjk_font.SUBSET}")' not in css, "the pages load slices"


# -- Browser: audit, zip, search, switcher --------------------------------------------------------------------------


def test_chinese_student_edition_passes_the_offline_audit(browser, zh_unzipped):
    """The audit (with axe) of the Chinese zip's pages, as students open them: the same files as the Chinese build,
    byte for byte (test below), so it covers the edition and its zip."""
    problems = audit_site(browser, zh_unzipped / "zh")
    assert not problems, "\n" + format_problems(problems)


@pytest.fixture(scope="module")
def zh_unzipped(zh_student_zip, student_zip, tmp_path_factory) -> Path:
    """Both archives unzipped into one folder: whose-face-<version>-student/{en,zh}."""
    archive, english = zh_student_zip, student_zip
    assert archive.name.endswith("-student-zh.zip"), archive.name
    where = tmp_path_factory.mktemp("unzipped both")
    for name in (english, archive):
        with zipfile.ZipFile(name) as zf:
            zf.extractall(where)
    (folder,) = where.iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["README.txt", "en", "index.html", "zh"]  # the top files lead to both
    return folder


def test_chinese_zip_is_the_chinese_build(zh_student, zh_unzipped):
    """The Chinese zip holds the Chinese build's files byte for byte (site_tools.unpacked_differences), so the audit
    above, run on the zip, is the build's too."""
    differences = unpacked_differences(zh_student, zh_unzipped / "zh")
    assert not differences, "the Chinese zip is not the Chinese build:\n" + "\n".join(differences[:20])


@pytest.mark.parametrize("query", QUERIES)
def test_chinese_queries_find_pages_with_snippets(browser, zh_student, query):
    problems = search_problems(browser, (zh_student / "search.html").as_uri(), query)
    assert not problems, "\n".join(problems)


def switch_link(page: Path) -> str | None:
    link = page_soup(page).select_one("nav.language-switch a")
    return link["href"] if link else None


def test_every_page_links_to_its_other_language(side_by_side):
    broken = []
    for lang in ("en", "zh"):
        site = side_by_side / lang
        for page in html_pages(site):
            href = switch_link(page)
            if href is None:
                broken.append(f"{lang}/{page.relative_to(site)}: no language switcher")
            elif not Path(os.path.normpath(page.parent / href)).is_file():  # as a browser resolves it: no symlinks
                broken.append(f"{lang}/{page.relative_to(site)}: {href} does not exist")
    assert not broken, "\n".join(broken[:20])


def test_switcher_works_from_file_in_the_zips_and_over_http(browser, side_by_side, zh_unzipped):
    page = "cases/masked-photos/supply-chain.html"
    visit = open_page(browser, (zh_unzipped / "zh" / page).as_uri())
    try:
        visit.page.click("nav.language-switch a")
        visit.page.wait_for_load_state("load")
        assert visit.page.url.endswith(f"/en/{page}") and visit.page.locator("h1").count()
        visit.page.click("nav.language-switch a")
        visit.page.wait_for_load_state("load")
        assert visit.page.url.endswith(f"/zh/{page}")
        assert visit.page.evaluate("document.documentElement.lang") == "zh-CN"
        assert not visit.errors and not visit.external
    finally:
        visit.close()
    with serve_http(side_by_side) as base:
        visit = open_page(browser, f"{base}zh/{page}", allowed=lambda u: u.startswith(base), wait_diagrams=False)
        try:
            visit.page.click("nav.language-switch a")
            visit.page.wait_for_load_state("load")
            assert visit.page.url == f"{base}en/{page}"
            assert not visit.errors and not visit.external
        finally:
            visit.close()


def test_chinese_text_is_drawn_from_the_subset_on_a_machine_without_chinese_fonts(browser, zh_student):
    """Every Chinese glyph must have a source even with no CJK font on the system. On a machine that has one, the
    system font comes first in the stack (as it should), so the check asks the subset alone: each page's font stack
    is cut down to the subset before the text is drawn."""
    visit = open_page(browser, (zh_student / "index.html").as_uri())
    try:
        # Through the DevTools protocol, which the page's Content-Security-Policy does not govern (as axe is run).
        visit.page.evaluate("""() => { for (const el of document.querySelectorAll('.sidebar-brand-text, article p'))
            el.style.setProperty('font-family', '"Whose Face CJK", sans-serif', 'important'); }""")
        visit.page.evaluate("document.fonts.ready.then(() => 1)")
        cdp = visit.page.context.new_cdp_session(visit.page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        for selector in (".sidebar-brand-text", "article p"):
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            text = visit.page.locator(selector).first.inner_text()
            if CJK.search(text):
                assert any(f["isCustomFont"] for f in fonts), f"{selector} ({text[:20]!r}) drawn with {fonts}"
    finally:
        visit.close()


def embedded_font(svg_text: str) -> bytes | None:
    """The font of a standalone diagram file's @font-face rule (a data: URL), or None."""
    import base64

    match = re.search(r'src: url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\)', svg_text)
    return base64.b64decode(match.group(1)) if match else None


def tofu_labels(tab, svg: Path) -> list[str]:
    """The labels of a diagram file, opened in ``tab``, whose Chinese characters are not all drawn from a font the
    file carries (on a machine with no CJK font, the others are empty boxes)."""
    sys.path.insert(0, str(ROOT / "_ext"))
    from i18n.cjk_font import CJK_CHAR

    visit = tab.open(svg.as_uri(), wait_diagrams=False)
    # Wait until the file's font holds every label and the file's own relayout (cjk_font.SVG_RELAYOUT) is over.
    visit.page.evaluate("""() => document.fonts.load("16px 'Whose Face CJK'", document.documentElement.textContent)
        .then(() => Promise.all(document.getAnimations().map(a => a.finished))).then(() => 1)""")
    # What the file itself did, read before the inspection below: from Chromium 150 on, enabling the DevTools CSS
    # agent on a standalone SVG opened from file:// logs "Unsafe attempt to load URL <the file>" (the agent fetching
    # the document's own source), an error of the inspection, not of the file.
    errors, external = list(visit.errors), list(visit.external)
    cdp = visit.page.context.new_cdp_session(visit.page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        leaves = "tspan:not(:has(tspan)), text:not(:has(tspan))"
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": leaves})["nodeIds"]
        texts = visit.page.evaluate(f"() => [...document.querySelectorAll({leaves!r})].map(e => e.textContent)")
        problems = []
        for node, text in zip(nodes, texts):
            wanted = len(CJK_CHAR.findall(text))
            if not wanted:
                continue
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            drawn = sum(f["glyphCount"] for f in fonts if f["isCustomFont"])
            if drawn < wanted:
                problems.append(f"{svg.name}: {text.strip()[:30]!r}: {drawn} of {wanted} Chinese glyphs from the "
                                f"file's own font ({fonts})")
        assert not errors and not external, (errors, external)
        return problems
    finally:
        cdp.detach()


def test_full_size_diagram_files_carry_their_chinese_glyphs(browser, zh_student, tmp_path):
    """The standalone diagram files (the "full size" links) each carry a subset of the CJK font cut to exactly their
    own characters, as a data: URL: saved on their own, with no _static folder beside them and no CJK font on the
    machine, Chromium draws every Chinese label from it (no empty boxes)."""
    import io

    from fontTools.ttLib import TTFont
    from site_tools import Tab

    sys.path.insert(0, str(ROOT / "_ext"))
    from i18n.cjk_font import CJK_CHAR

    files = sorted((zh_student / "_images" / "diagrams").glob("*.svg"))
    assert files
    alone = []
    for svg in files:
        text = svg.read_text(encoding="utf-8")
        font = embedded_font(text)
        assert font, f"{svg.name} carries no font"
        assert not re.search(r"url\((?![\"']?(?:data:|#))", text), f"{svg.name} names a font file outside itself"
        used = set(CJK_CHAR.findall(text))
        held = {chr(c) for c in TTFont(io.BytesIO(font)).getBestCmap()}
        assert used <= held and len(held) < len(used) + 40, f"{svg.name}: {len(held)} glyphs for {len(used)} used"
        (tmp_path / svg.name).write_text(text, encoding="utf-8")  # saved alone, far from the site
        alone.append(tmp_path / svg.name)
    with Tab(browser) as tab:
        problems = [p for svg in alone for p in tofu_labels(tab, svg)]
    assert not problems, "Chinese labels drawn without the file's own font:\n" + "\n".join(problems[:20])


def test_diagram_file_check_finds_missing_glyphs(browser, zh_student, tmp_path):
    """Fault: a diagram file whose font lacks some of its characters, and one with no font at all, are named."""
    import base64
    import io

    from fontTools.ttLib import TTFont
    from site_tools import Tab

    sys.path.insert(0, str(ROOT / "_ext"))
    from i18n import cjk_font

    svg = sorted((zh_student / "_images" / "diagrams").glob("*.svg"))[0]
    text = svg.read_text(encoding="utf-8")
    font = embedded_font(text)
    held = sorted(chr(c) for c in TTFont(io.BytesIO(font)).getBestCmap())
    label = next(t for t in re.findall(r"<text[^>]*>.*?</text>", text, re.S) if cjk_font.CJK_CHAR.search(t))
    short, _ = cjk_font.cut(set(held) - set(cjk_font.CJK_CHAR.findall(label)), source=font)  # a label's glyphs gone
    shortened = tmp_path / "short.svg"
    shortened.write_text(text.replace(base64.b64encode(font).decode(), base64.b64encode(short).decode()), "utf-8")
    bare = tmp_path / "bare.svg"
    bare.write_text(re.sub(r"@font-face \{.*?\}", "", text, count=1, flags=re.S), encoding="utf-8")
    with Tab(browser) as tab:
        assert tofu_labels(tab, shortened), "a label whose glyphs are missing from the file's font was not named"
        assert len(tofu_labels(tab, bare)) >= 5, "labels of a file with no font of its own were not named"


def test_reading_times_count_the_chinese_text(zh_student):
    """A Chinese page's reading time comes from its translated messages (Chinese characters at 300 a minute), not
    from the English words they replace."""
    import sys

    from babel.messages.pofile import read_po

    sys.path.insert(0, str(ROOT / "_ext"))
    from teaching.page_parts import reading_minutes

    page = "cases/masked-photos/law"
    with (LOCALE / f"{page}.po").open("rb") as handle:
        text = "\n".join(m.string for m in read_po(handle) if m.id and m.string)
    html = (zh_student / f"{page}.html").read_text(encoding="utf-8")
    shown = re.search(r'<p class="reading-time">[^<]*?(\d+)', html)
    english = reading_minutes((ROOT / f"{page}.md").read_text(encoding="utf-8"))
    assert shown and int(shown.group(1)) == reading_minutes(text) != english, (shown and shown.group(0), english)
