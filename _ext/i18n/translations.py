"""Translate what the code writes: labels, table headers, captions, template text (issue #18).

One job: give every other extension, and the templates, one function ``tr(message, location)`` that returns the
message in the build's language, through Sphinx's own mechanism (``sphinx.locale.get_translation``) and one catalogue
registered with ``app.add_message_catalog``: ``locale/zh_CN/LC_MESSAGES/whose-face.po``.

- The page text is translated by Sphinx from the page catalogues (one .po per page). The messages here are those
  the code writes (exercise metadata labels, status labels, reading times, table headers, diagram captions ...) and
  the options that Sphinx does not extract from the pages (exercise titles and objectives, lesson-plan segments,
  quotation speakers).
- The .po file is compiled to ``whose-face.mo`` beside it when it is newer (as Sphinx does for the page catalogues;
  ``*.mo`` is ignored by git, never committed).
- **Strict**: in a Chinese build, a message with no translation in the catalogue is a warning (an error under -W)
  that quotes the message and names where it is used (a page's file and line, or the template and page). So a new
  English label cannot slip into the Chinese edition unnoticed. In an English build ``tr`` returns the message.
- Messages may hold ``{name}`` fields, filled after translation: ``tr("{n} min", node, n=15)``.
- Dates and lists in the build's language, through Babel: ``format_day`` writes a date by a CLDR pattern that is
  itself a message (``tr("d MMMM y")``, in Chinese y年M月d日), ``format_list`` and ``list_separators`` join by CLDR's
  list patterns. So no code spells a language's dates or joiners (tests/test_no_string_tables.py).
- ``make gettext`` also writes ``_build/gettext/whose-face.pot`` from the messages the gettext build met (and those
  the catalogue already has), which ``sphinx-intl update`` merges into the catalogue like the others. Messages that
  only the HTML writer uses (template text, diagram captions) are added to the .po by hand: the strict Chinese
  build names any that is missing.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.i18n import CatalogInfo

logger = logging.getLogger(__name__)

CATALOG = "whose-face"
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
PO_RELATIVE = "locale/zh_CN/LC_MESSAGES/whose-face.po"  # the Chinese catalogue (po_relative: any language's)

_ = get_translation(CATALOG)


def catalogue_language(language: str | None) -> str:
    """'en' for English, else the folder of the language's catalogues under locale/ (facelab's rule: zh -> zh_CN)."""
    from facelab.i18n import normalise

    return normalise(language)


def po_relative(language: str) -> str:
    return f"locale/{language}/LC_MESSAGES/{CATALOG}.po"


class _State:
    language = "en"  # the catalogue's language in a translated build: "zh_CN", or any folder of locale/
    known: set[str] = set()  # messages with a translation in the catalogue
    seen: dict[str, set[str]] = {}  # message -> where used (for the .pot of `make gettext`)
    reported: set[tuple[str, str]] = set()


def is_chinese(language: str | None) -> bool:
    return (language or "en").lower().replace("-", "_").startswith("zh")


def _where(location) -> str:
    if location is None:
        return "(unknown place)"
    if isinstance(location, (str, Path)):
        return str(location)
    if isinstance(location, tuple):
        return ":".join(str(part) for part in location if part is not None)
    source, line = getattr(location, "source", None), getattr(location, "line", None)
    if source is None and getattr(location, "parent", None) is not None:
        source, line = location.parent.source, location.parent.line
    return f"{source}:{line}" if source else "(unknown place)"


def tr(message: str, location=None, **fields) -> str:
    """``message`` in the build's language, its ``{fields}`` filled; untranslated -> warning at ``location``."""
    where = _where(location)
    _State.seen.setdefault(message, set()).add(where)
    if _State.language != "en":
        if message not in _State.known and (message, where) not in _State.reported:
            _State.reported.add((message, where))
            logger.warning(
                "untranslated message %r (used at %s): add its translation to %s",
                message, where, po_relative(_State.language),
                location=location if not isinstance(location, (str, Path)) else None, type="i18n", subtype="untranslated",
            )
        text = str(_(message))
    else:
        text = message
    return text.format(**fields) if fields else text


def chinese(app_or_env) -> bool:
    """True in a Chinese build (for code that changes more than strings, e.g. the bilingual quotations)."""
    config = getattr(app_or_env, "config", None)
    return is_chinese(getattr(config, "language", None))


def translated(po: Path) -> dict[str, str]:
    """A catalogue's translated messages, msgid -> msgstr: those with a translation that is not marked fuzzy (what
    Sphinx's own compiled catalogue would use). An absent catalogue translates nothing."""
    from babel.messages.pofile import read_po

    if not Path(po).is_file():
        return {}
    with open(po, "rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and m.string and not m.fuzzy}


def _compile(language: str = "zh_CN") -> set[str]:
    """Compile whose-face.po to .mo when it is newer; return the messages it translates (non-empty, not fuzzy)."""
    info = CatalogInfo(str(LOCALE_DIR / language / "LC_MESSAGES"), CATALOG, "utf-8")
    if Path(info.po_path).is_file() and info.is_outdated():
        info.write_mo(language)
    return set(translated(Path(info.po_path)))


def write_pot(app: Sphinx, exception) -> None:
    """``make gettext``: the code's messages the build met, as whose-face.pot beside the pages' templates."""
    if exception is not None or app.builder.name != "gettext":
        return
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project="Whose Face?", domain=CATALOG)
    root = Path(app.srcdir).resolve()
    # Messages that only the HTML writer uses (templates, diagram captions, the search script) never reach a gettext
    # build; keep every message the catalogue already has, so that `sphinx-intl update` does not retire them.
    from babel.messages.pofile import read_po

    po = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{CATALOG}.po"
    if po.is_file():
        with po.open("rb") as f:
            for message in read_po(f):
                if message.id and message.id not in _State.seen:
                    catalog.add(message.id, locations=[(loc, line) for loc, line in message.locations])
    for message in sorted(_State.seen):
        places = []
        for where in sorted(_State.seen[message]):
            path, sep, line = where.rpartition(":")
            if not sep:  # a place without a line: "conf.py"
                path, line = where, "0"
            try:
                path = str(Path(path).resolve().relative_to(root))
            except ValueError:
                pass
            places.append((path, int(line) if line.isdigit() else 0))
        catalog.add(message, locations=places)
    with open(Path(app.outdir) / f"{CATALOG}.pot", "wb") as f:
        write_po(f, catalog, width=0)


def csp_safe_translations_js(app: Sphinx, exception) -> None:
    """Rewrite Sphinx's ``_static/translations.js`` so that it needs no ``eval``.

    Sphinx's file calls ``Documentation.addTranslations(catalog)``, which builds the plural rule with
    ``new Function(...)``: the pages' Content-Security-Policy (no 'unsafe-eval', _ext/web/csp.py) blocks that, an error on
    every page of the Chinese edition. The same catalogue is installed here without it: Chinese has one plural form,
    so the rule is the constant Sphinx ships (``plural_expr: "0"``); another language's rule, gettext's expression of
    ``n`` (``(n != 1)``, ``(n > 1)``, the Slavic ternaries), is written into the file as code, checked first to hold
    nothing but ``n``, numbers and operators. Any other rule stops the build with the reason.
    """
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "_static" / "translations.js"
    if not path.is_file():
        return
    import json

    text = path.read_text(encoding="utf-8").strip()
    start, end = "Documentation.addTranslations(", ");"
    if not (text.startswith(start) and text.endswith(end)):
        return  # already rewritten (an incremental build), or a format this does not know: left as Sphinx wrote it
    catalog = json.loads(text[len(start) : -len(end)])
    plural = str(catalog.get("plural_expr", "0")).strip()
    if plural.isdigit():  # one plural form (Chinese)
        rule, what = f"() => {plural}", "a constant plural rule"
    elif re.fullmatch(r"[n0-9\s()!=<>&|?:%]+", plural):  # gettext's C expression of n is JavaScript too
        rule, what = f"(n) => Number({plural})", "its plural rule written as code"
    else:
        from sphinx.errors import ExtensionError

        raise ExtensionError(f"translations.js: plural rule {plural!r} is not an expression of n alone; the CSP-safe "
                             "rewrite in _ext/i18n/translations.py writes only such a rule as code")
    path.write_text(
        f"/* Sphinx's translations.js without eval (_ext/i18n/translations.py): its messages, {what}. */\n"
        f"Object.assign(Documentation.TRANSLATIONS, {json.dumps(catalog['messages'], ensure_ascii=False)});\n"
        f"Documentation.PLURAL_EXPR = {rule};\n"
        f"Documentation.LOCALE = {json.dumps(catalog.get('locale', ''))};\n",
        encoding="utf-8",
    )


def script_tr(language: str | None, script: str):
    """``tr(message, **fields)`` for the scripts that run without Sphinx (scripts/handouts.py, scripts/lms.py): the
    message in ``language``, from that language's catalogue, its ``{fields}`` filled. In a translated language, a message
    missing from the catalogue stops the script with the message and the file to add it to."""
    language = catalogue_language(language)
    if language == "en":
        return lambda message, **fields: message.format(**fields) if fields else message
    known = translated(LOCALE_DIR.parent / po_relative(language))

    def script_message(message: str, **fields) -> str:
        if message not in known:
            raise SystemExit(f"{script}: no {language} translation of the message {message!r}: add it to "
                             f"{po_relative(language)}")
        return known[message].format(**fields) if fields else known[message]

    return script_message


def babel_locale(language: str | None = None, english: str = "en_GB"):
    """Babel's locale for ``language`` (default: the build's); ``english`` for English. A language that CLDR does not
    know (the pseudo-locale, i18n.pseudo) takes English's names and separators: its catalogue translates the rest."""
    from babel import Locale, UnknownLocaleError

    language = (language or _State.language).replace("-", "_")
    try:
        return Locale.parse(english if language == "en" else language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(english)


def format_day(day, pattern: str, language: str | None = None) -> str:
    """``day`` (a date or datetime) by ``pattern``, a CLDR date pattern in the language's own form, in ``language``
    (default: the build's), with Babel's month and weekday names for it. The pattern is a message of the catalogue,
    translated by the caller: ``format_day(day, tr("d MMMM y", where))`` gives "1 November 2021", and in Chinese
    (msgstr "y年M月d日") 2021年11月1日. So a date's form is the translator's, and no code spells a language's dates."""
    from babel.dates import format_date

    return format_date(day, pattern, locale=babel_locale(language, english="en"))


def format_list(parts: list[str], language: str | None = None, style: str = "standard") -> str:
    """``parts`` as a list in ``language`` (default: the build's), by CLDR's list pattern through Babel: "A, B and C"
    (en: no serial comma, as the module's English writes it), "A、B和C" in Chinese; ``style="or"``: "A or B"."""
    from babel.lists import format_list as babel_list

    if len(parts) <= 1:
        return "".join(parts)
    return babel_list(list(parts), style=style, locale=babel_locale(language))


def catalogue_languages() -> list[str]:
    """The languages the module is translated into: each with a catalogue of the code's messages under locale/."""
    return sorted(po.parents[1].name for po in LOCALE_DIR.glob(f"*/LC_MESSAGES/{CATALOG}.po"))


_FIELD = re.compile(r"\{[a-z_0-9]+\}")


def pieces(pattern: str) -> list[str]:
    """The text around the ``{fields}`` of a (translated) pattern, in order: "({author}, {year})" -> ["(", ", ", ")"];
    in Chinese "（{author}，{year}）" -> ["（", "，", "）"]. For code that needs a language's separators or brackets
    apart (a bibliography style): the catalogue holds them in a pattern a translator can read."""
    return _FIELD.split(pattern)


def list_separators(language: str | None = None) -> tuple[str, str, str]:
    """CLDR's separators of a list in ``language`` (default: the build's), through Babel: (between two of three or
    more, between two alone, before the last): (", ", " and ", " and ") in English, ("、", "和", "和") in Chinese."""
    patterns = babel_locale(language).list_patterns["standard"]
    return pieces(patterns["middle"])[1], pieces(patterns["2"])[1], pieces(patterns["end"])[1]


@contextlib.contextmanager
def in_language(language: str):
    """``tr`` in ``language`` outside a Sphinx build (tests of code that writes the build's language): the catalogue
    compiled and loaded as a build loads it; everything restored afterwards."""
    from sphinx import locale

    saved = (_State.language, _State.known, locale.translators.get(("general", CATALOG)))
    _State.language = "zh_CN" if is_chinese(language) else "en"
    _State.known = _compile() if _State.language == "zh_CN" else set()
    locale.translators.pop(("general", CATALOG), None)
    locale.init([str(LOCALE_DIR)], _State.language, CATALOG)
    try:
        yield
    finally:
        _State.language, _State.known, previous = saved
        if previous is None:
            locale.translators.pop(("general", CATALOG), None)
        else:
            locale.translators["general", CATALOG] = previous


def template_tr(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Templates call ``tr("...")``; a missing translation names the template and the page."""
    context["tr"] = lambda message, **fields: tr(message, f"{templatename} (page {pagename})", **fields)


def outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """An edited catalogue rewrites every page (its messages are spread over all of them)."""
    po = LOCALE_DIR.parent / po_relative(_State.language)
    stamp = (_State.language, po.stat().st_mtime if po.is_file() else 0)
    if getattr(env, "whose_face_catalogue", None) == stamp:
        return []
    env.whose_face_catalogue = stamp
    return sorted(env.found_docs - set(removed))


def setup(app: Sphinx):
    _State.language = catalogue_language(app.config.language)
    _State.known = _compile(_State.language) if _State.language != "en" else set()
    _State.seen, _State.reported = {}, set()
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
    app.connect("env-get-outdated", outdated)
    app.connect("html-page-context", template_tr)
    app.connect("build-finished", write_pot)
    app.connect("build-finished", csp_safe_translations_js)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
