"""The theme's interface in Chinese (issue #18): no English of furo's in the Chinese editions.

Furo ships no translations. Its messages are in locale/zh_CN/LC_MESSAGES/sphinx.po, a catalogue named `sphinx` that
Sphinx merges with its own, and the English furo writes without _() (aria-labels, the icons' <title> text, the
navigation tree's labels) goes through _() in _templates/page.html. The list of furo's English is read from furo's
own templates and code, never written by hand, so a newer furo with a new label fails here, naming page and label.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import furo
import pytest
from bs4 import Comment, Doctype
from site_tools import ROOT, page_soup

FURO = Path(furo.__file__).resolve().parent
SPHINX_PO = ROOT / "locale" / "zh_CN" / "LC_MESSAGES" / "sphinx.po"
# Attribute values a reader meets (read aloud, shown on hover, or in place of an image), and the icons' <title> text,
# written as fixed English in furo's templates.
FIXED = re.compile(r'\b(?:aria-label|alt|title|placeholder)="([^"{}]*[A-Za-z][^"{}]*)"'
                   r"|<title>([^<{}]*[A-Za-z][^<{}]*)</title>")
# furo's Python that writes page markup: the navigation tree (its checkboxes' labels are f-strings).
FURO_MARKUP_CODE = ["navigation.py"]
# Names, the same in both languages (furo's footer credit).
NAMES = {"Furo", "Sphinx"}
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
NOT_TEXT = {"script", "style", "pre", "code"}


def furo_messages() -> dict[str, str]:
    """{message: where furo writes it}: furo's _() and {% trans %} messages (as Jinja's extractor reads them), its
    fixed English attribute values and icon titles, and its f-strings that write markup (each {…} as "%(value)s")."""
    from jinja2.ext import babel_extract

    found: dict[str, str] = {}
    for template in sorted((FURO / "theme").rglob("*.html")):
        rel = template.relative_to(FURO.parent)
        with template.open("rb") as f:
            for lineno, _function, message, _comments in babel_extract(f, ["_", "gettext"], [], {}):
                if isinstance(message, str):
                    found.setdefault(message, f"{rel}:{lineno}")
        text = template.read_text(encoding="utf-8")
        for match in FIXED.finditer(text):
            found.setdefault(match.group(1) or match.group(2), f"{rel}:{text.count(chr(10), 0, match.start()) + 1}")
    for name in FURO_MARKUP_CODE:
        module = FURO / name
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                message = "".join(v.value if isinstance(v, ast.Constant) else "%(value)s" for v in node.values)
                if re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", message):
                    found.setdefault(message, f"furo/{name}:{node.lineno}")
    return found


def as_pattern(message: str) -> tuple[re.Pattern, bool] | None:
    """The message as the reader sees it (tags and entities gone, placeholders any text), as a regular expression,
    and whether it is a phrase (two words or more: looked for inside longer text) or one word (matched whole)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", message))
    parts = [" ".join(part.split()) for part in re.split(r"%\(\w+\)s", text)]
    words = [w for w in re.findall(r"[A-Za-z][\w'/-]*", " ".join(parts)) if w not in NAMES]
    if not words:
        return None
    pattern = ".+".join(r"\s+".join(map(re.escape, part.split())) for part in parts)
    return re.compile(rf"(?<![A-Za-z]){pattern}(?![A-Za-z])"), len(words) > 1


def english_left(page: Path, patterns: dict[str, tuple[re.Pattern, bool]]) -> list[str]:
    """Every message of furo's found in the page's visible text or in a reader-facing attribute."""
    soup = page_soup(page)
    nodes = [" ".join(s.split()) for s in soup.find_all(string=True)
             if not isinstance(s, (Comment, Doctype)) and not any(p.name in NOT_TEXT for p in s.parents)]
    whole = " ".join(" ".join(nodes).split())
    values = [(a, " ".join(el[a].split())) for el in soup.find_all(True) for a in ATTRIBUTES if el.get(a)]
    left = []
    for message, (pattern, phrase) in patterns.items():
        if phrase:
            hit = pattern.search(whole) or next((v for _a, v in values if pattern.search(v)), None)
        else:
            hit = next((n for n in nodes if pattern.fullmatch(n)), None) or \
                next((v for _a, v in values if pattern.fullmatch(v)), None)
        if hit:
            left.append(message)
    return left


def furo_patterns() -> dict[str, tuple[re.Pattern, bool]]:
    """{message: (pattern, phrase)}; of messages a reader sees alike (a link or not), the shortest names them."""
    by_text: dict[str, tuple[str, tuple[re.Pattern, bool]]] = {}
    for message in sorted(furo_messages(), key=len):
        if (found := as_pattern(message)) is not None:
            by_text.setdefault(found[0].pattern, (message, found))
    return dict(by_text.values())


def pages_of(site: Path) -> list[Path]:
    """Every page a reader can open, the 404 page included."""
    skip = {"_static", "_images", "_sources"}
    return sorted(p for p in site.rglob("*.html") if not skip & set(p.relative_to(site).parts))


def test_furo_messages_are_read_from_furo():
    """The list is furo's own: each kind of message is found (so an empty list cannot pass for a clean page)."""
    found = furo_messages()
    for message in ["Back to top", "Skip to content", "On this page", "Copyright &#169; %(copyright)s",
                    "Toggle site navigation sidebar", "Toggle Light / Dark / Auto color theme", "Light mode",
                    "Toggle navigation of %(value)s"]:
        assert message in found, f"{message!r} not found in furo's templates or code: {sorted(found)}"


def test_theme_catalogue_holds_every_furo_message():
    """sphinx.po has a Chinese translation for every message of furo's (an f-string by its English before {…})."""
    from babel.messages.pofile import read_po

    with SPHINX_PO.open("rb") as f:
        catalogue = {m.id: m.string for m in read_po(f) if m.id}
    missing = []
    for message, where in sorted(furo_messages().items()):
        # furo's code writes an f-string's English and then its value: _templates/page.html translates the English
        msgid = message.split("%(value)s")[0] if where.startswith("furo/") else message
        if not catalogue.get(msgid):
            missing.append(f"{msgid!r} (furo: {where})")
    assert not missing, f"add these to {SPHINX_PO.relative_to(ROOT)} with their Chinese:\n" + "\n".join(missing)


def test_english_left_names_furo_english_and_ignores_chinese_and_content(tmp_path):
    """Fault: a page with furo's English left in (a label, a footer phrase, an icon title) is caught, string by
    string; the same page in Chinese, and English content that merely contains a furo word, are not."""
    english = tmp_path / "en.html"
    english.write_text(
        '<html><body><input aria-label="Toggle navigation of 练习"><svg><title>Light mode</title></svg>'
        '<a href="#"><span>Back to top</span></a><div class="copyright">Copyright &#169; 2026, 作者</div>'
        "<p>见 Search Engine Index 2020。</p><pre>Next</pre></body></html>", encoding="utf-8")
    chinese = tmp_path / "zh.html"
    chinese.write_text(
        '<html><body><input aria-label="展开或收起导航：练习"><svg><title>浅色模式</title></svg>'
        '<a href="#"><span>回到顶部</span></a><div class="copyright">版权所有 &#169; 2026，作者</div>'
        "<p>见 Search Engine Index 2020。</p><pre>Next</pre></body></html>", encoding="utf-8")
    patterns = furo_patterns()
    assert sorted(english_left(english, patterns)) == sorted(
        ["Toggle navigation of %(value)s", "Light mode", "Back to top", "Copyright &#169; %(copyright)s"])
    assert english_left(chinese, patterns) == []


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_no_furo_english_in_the_chinese_editions(zh_builds, edition):
    site = zh_builds[edition].outdir
    patterns = furo_patterns()
    where = furo_messages()
    problems = [f"{page.relative_to(site)}: {message!r} (furo: {where[message]})"
                for page in pages_of(site) for message in english_left(page, patterns)]
    assert not problems, (f"furo's English in the Chinese {edition} edition ({len(problems)}): translate it in "
                          f"{SPHINX_PO.relative_to(ROOT)} (fixed English: pass it through _() in "
                          "_templates/page.html)\n" + "\n".join(problems[:40]))


def test_chinese_instructor_edition_is_marked_in_chinese_when_printed(zh_builds):
    """Printed from the browser, its pages carry the marking of its print stylesheet: in Chinese, not in English."""
    site = zh_builds["instructor"].outdir
    linked = re.findall(r'<link rel="stylesheet"[^>]*href="([^"?]+)', (site / "index.html").read_text(encoding="utf-8"))
    css = " ".join((site / href).read_text(encoding="utf-8") for href in linked if (site / href).is_file())
    assert "教师版，请勿分发" in css, f"no Chinese marking in the stylesheets {linked}"
    assert "Instructor edition" not in css, "the English marking in the Chinese instructor edition's stylesheets"


def test_our_templates_translate_literals_that_the_theme_catalogue_holds():
    """`make gettext` reads our templates' _() messages (Sphinx's gettext builder stops on a message that is not a
    literal), and each of them has its Chinese in sphinx.po."""
    from babel.messages.pofile import read_po
    from jinja2 import Environment

    with SPHINX_PO.open("rb") as f:
        catalogue = {m.id: m.string for m in read_po(f) if m.id}
    extract = Environment(extensions=["jinja2.ext.i18n"]).extract_translations
    problems = []
    for template in sorted((ROOT / "_templates").glob("*.html")):
        for line, function, message in extract(template.read_text(encoding="utf-8")):
            where = f"{template.relative_to(ROOT)}:{line}"
            if not isinstance(message, str):
                problems.append(f"{where}: {function}() of a variable: `make gettext` fails; write the message")
            elif not catalogue.get(message):
                problems.append(f"{where}: {message!r} has no Chinese in {SPHINX_PO.relative_to(ROOT)}")
    assert not problems, "\n".join(problems)
