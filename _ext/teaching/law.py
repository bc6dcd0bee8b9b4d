"""The law register (law/register.yaml): one source for every instrument the module cites (issue #27).

One job: read the register once, check it, and write the law from it, so that a date, an article or an instrument's
name is typed in one place only.

- ``{law}`pipl:28``` writes the citation in the edition's official form: "PIPL Art. 28" in English,
  《中华人民共和国个人信息保护法》第二十八条 in Chinese, with the instrument's dates (adopted, in force, amended,
  repealed) in a hover title, and an empty citation of its bibliography key (so the bibliography lists it).
  ``{law}`pipl``` names the instrument; ``{law}`csl:41–44``` (en dash) a range; ``{law}`pipl:13(6),27``` a list;
  ``76(5)`` an item or paragraph the register lists for that article, ``13(1)(2)`` an item of a paragraph. In a
  page's catalogue the role stays as it is (msgstr = msgid for the role): its Chinese is generated, never translated.
- ``{law-dates}`pipl``` writes the instrument's dates in words ("adopted ...; in force ..."), for the glossary.
- ```` ```{law-table} ```` generates a table from the register, one row per line of its content (``csl:44``, or an
  instrument id). Options: ``:on:`` dates (``2020-03-31``, ``as-of`` for the register's ``law_as_of``), one
  "In force on ...?" column each, **computed** from the register (an article's ``since``, the instrument's
  ``in_force`` or ``applies_from``, its ``repealed``); ``:columns:`` which of rule, kind, in-force, on, what, status.
  In the "what" column a range (``4–6``) stands for every article the register holds in it, several articles are
  labelled, and an instrument without articles shows its ``summary``.
  The cells are written in the build's language (headers and words through whose-face.po, the summaries and
  paraphrases through law.po, below) and are not messages of the page's catalogue.
- ```` ```{law-as-of} ```` writes "Law as of <date>". When ``law_as_of`` is more than a year before the build date, the
  build prints a notice (logger.info: never a warning, so the strict build never fails because of the calendar).
- Translations (issue #30): the register's English texts written by the authors (``name_en``, ``short_en``, ``body``,
  ``summary``, each article's ``paraphrase``; ``TEXTS``) are messages of locale/<language>/LC_MESSAGES/law.po,
  extracted by ``make gettext`` (``write_pot``: the register's line, the instrument's id or ``<id>:<article>`` as
  context) and read from the compiled catalogue in any translated build (``translate``). A message that is new (at the
  register's line), untranslated or fuzzy (at law.po's line) is a warning, so the strict build fails; with ``DRAFT=1``
  a note, and the English is shown (_ext/i18n/catalogue_check.py). ``name_zh``/``zh_prefix`` and ``excerpt`` are
  source data, not translations, and stay in the register: the Chinese edition cites the official name; any other
  language cites the translated ``short_en``.
- Errors, each naming a file and line: a register entry without a bibliography key that exists in bib/*.bib, a date
  that does not parse, amendments out of order, an unknown key or kind (register file and line); a ``{law}`` role
  naming an instrument, article, item or paragraph that the register lacks (page file and line); a date typed in
  prose that contradicts the register (page file and line, below).

The prose-date check (``typed_date_problems``): on every page, in each sentence, an instrument named by a ``{law}``
role or by its English name, short name or an alias, followed within the same sentence by a phrase that says when it
took effect: "in force", "into force", "in force from/on/since", "effective", "took/takes effect (on)", "since" or
"applies/applied from", and then a date written "1 June 2017", "1 Jun 2017" or "June 1, 2017" (other instruments named
in between, a new list item or a table cell end the search; a date followed directly by another instrument's name,
"since 1 June 2025 the Face Recognition Measures", belongs to that one). The date must be one of that instrument's
dates in the register (in force, applies from, an amendment's in force, an article's since). It checks nothing else: a year alone, "adopted" dates and Chinese
prose are left alone.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from teaching.quiz_source import _Loader, _Mapping  # the YAML loader that remembers each mapping's and key's line
from guards.source_checks import ENTRY  # a BibTeX entry's type and key
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from i18n import catalogue_check
from i18n.translations import chinese, format_day, format_list, pieces, tr

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
REGISTER = Path("law") / "register.yaml"
KINDS = {  # kind -> its label in tables (a message of whose-face.po)
    "law": "law",
    "decision": "decision of the NPC Standing Committee",
    "judicial interpretation": "judicial interpretation",
    "departmental rules": "departmental rules",
    "recommended standard": "recommended standard, not binding",
    "foreign law": "foreign law",
}
STATUSES = ("verified", "corroborated", "unverified")
INSTRUMENT_KEYS = {"name_zh": True, "name_en": True, "short_en": True, "aliases": False, "body": True,
                   "kind": True, "adopted": True, "in_force": True, "applies_from": False, "amendments": False,
                   "repealed": False, "bib": True, "verified": True, "checked": False, "note": False,
                   "articles": True, "status": False, "article_sign": False, "zh_prefix": False,
                   "summary": False}
ARTICLE_KEYS = {"excerpt": True, "paraphrase": True, "status": True, "since": False,
                "items": False, "paragraphs": False, "item_paragraph": False}
# The register's English texts that a translation replaces, each a message of law.po (context: the instrument's id, or
# "<id>:<article>" for a paraphrase), with what it is for the translator. name_zh and excerpt are source data, not
# translations: they stay in the register.
DOMAIN = "law"  # the catalogue: locale/<language>/LC_MESSAGES/law.po
TEXTS = {
    "name_en": "the instrument's name (the Chinese edition cites the official Chinese name, name_zh in the register)",
    "short_en": "the short name citations use, as in 'PIPL Art. 28' (the Chinese edition cites zh_prefix and "
                "name_zh in title marks instead)",
    "body": "the issuing body",
    "summary": "what the instrument says, in outline (a law-table row without articles)",
}
PARAPHRASE = "the article in our own words (a law-table row)"
COLUMNS = ("rule", "kind", "in-force", "on", "what", "status")


# -- The register ---------------------------------------------------------------------------------------------------

@dataclass
class Article:
    number: str
    excerpt: str
    paraphrase: str
    status: str
    line: int
    paraphrase_line: int = 0
    since: datetime.date | None = None
    items: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    item_paragraph: int | None = None


@dataclass
class Instrument:
    id: str
    data: dict
    line: int
    articles: dict[str, Article]
    key_lines: dict[str, int] = field(default_factory=dict)

    def __getattr__(self, key):
        try:
            return self.__dict__["data"].get(key)
        except KeyError:  # during copy/pickle
            raise AttributeError(key) from None

    @property
    def effective(self) -> datetime.date:
        """The date from which it applies: applies_from (GDPR) or in_force."""
        return self.data.get("applies_from") or self.data["in_force"]

    def dates(self) -> set[datetime.date]:
        """Every date on which some text of the instrument took effect (for the prose-date check)."""
        found = {self.data["in_force"]}
        if self.data.get("applies_from"):
            found.add(self.data["applies_from"])
        found |= {a["in_force"] for a in self.data.get("amendments") or []}
        found |= {a.since for a in self.articles.values() if a.since}
        return found

    def names(self) -> list[str]:
        return [self.data["name_en"], self.data["short_en"], *(self.data.get("aliases") or [])]


@dataclass
class Register:
    path: str
    law_as_of: datetime.date | None
    instruments: dict[str, Instrument]
    problems: list[tuple[int, str]]


class RegisterError(Exception):
    pass


def bib_keys(root: Path) -> set[str]:
    return {m.group(2) for bib in sorted((root / "bib").glob("*.bib")) for m in ENTRY.finditer(bib.read_text("utf-8"))}


def _is_date(value) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def load(root: Path = ROOT) -> Register:
    """Read and check the register; its problems are (line, message) pairs, empty when all is well."""
    path = root / REGISTER
    shown = REGISTER.as_posix()
    problems: list[tuple[int, str]] = []
    loader = _Loader(path.read_text(encoding="utf-8"))
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Register(shown, None, {}, [((mark.line + 1) if mark else 1, f"not valid YAML: {exc}")])
    except ValueError as exc:  # a date YAML recognises but the calendar does not (2020-13-01)
        return Register(shown, None, {}, [(1, f"not a valid date: {exc}; write dates as YYYY-MM-DD")])
    finally:
        loader.dispose()
    problems += loader.duplicates
    if not isinstance(data, _Mapping) or not isinstance(data.get("instruments"), _Mapping):
        return Register(shown, None, {}, [(1, "the register is a mapping with law_as_of and instruments")])
    as_of = data.get("law_as_of")
    if not _is_date(as_of):
        problems.append((data.key_lines.get("law_as_of", 1), "law_as_of must be a date (YYYY-MM-DD)"))
        as_of = None
    keys = bib_keys(root)
    instruments = {}
    for iid, entry in data["instruments"].items():
        line = data["instruments"].key_lines[iid]
        what = f"instrument {iid!r}"
        if not isinstance(entry, _Mapping):
            problems.append((line, f"{what} must be a mapping"))
            continue
        at = lambda key, e=entry: e.key_lines.get(key, e.line)  # noqa: E731
        for key in entry:
            if key not in INSTRUMENT_KEYS:
                problems.append((at(key), f"{what}: unknown key {key!r} (allowed: {', '.join(INSTRUMENT_KEYS)})"
                                          + _twin_hint(key)))
        for key, required in INSTRUMENT_KEYS.items():
            if required and key not in entry:
                hint = "; every instrument needs a source: a key of bib/*.bib" if key == "bib" else ""
                problems.append((line, f"{what}: missing {key!r}{hint}"))
        if "bib" in entry and entry["bib"] not in keys:
            problems.append((at("bib"), f"{what}: bib key {entry['bib']!r} is not in bib/*.bib; add the entry "
                                        "(bib/law.bib) or correct the key"))
        if "kind" in entry and entry["kind"] not in KINDS:
            problems.append((at("kind"), f"{what}: kind must be one of {', '.join(KINDS)} (got {entry['kind']!r})"))
        for key in ("adopted", "in_force", "applies_from"):
            if key in entry and not _is_date(entry[key]):
                problems.append((at(key), f"{what}: {key} must be a date, YYYY-MM-DD (got {entry[key]!r})"))
        if _is_date(entry.get("adopted")) and _is_date(entry.get("in_force")) and entry["adopted"] > entry["in_force"]:
            problems.append((at("in_force"), f"{what}: in force ({entry['in_force']}) before adopted "
                                             f"({entry['adopted']})"))
        if entry.get("verified") is False and not entry.get("note"):
            problems.append((at("verified"), f"{what}: verified: false needs a note saying what is not verified"))
        last = entry.get("in_force") if _is_date(entry.get("in_force")) else None
        for amendment in entry.get("amendments") or []:
            aline = getattr(amendment, "line", at("amendments"))
            if not isinstance(amendment, _Mapping) or not {"adopted", "in_force", "what"} <= set(amendment):
                problems.append((aline, f"{what}: each amendment needs adopted, in_force and what"))
                continue
            if not (_is_date(amendment["adopted"]) and _is_date(amendment["in_force"])):
                problems.append((aline, f"{what}: an amendment's adopted and in_force must be dates, YYYY-MM-DD"))
                continue
            if last and amendment["in_force"] < last:
                problems.append((aline, f"{what}: amendments must be in date order, each after the instrument's "
                                        f"in force date and the one before ({amendment['in_force']} < {last})"))
            last = amendment["in_force"]
        repealed = entry.get("repealed")
        if repealed is not None:
            if not isinstance(repealed, _Mapping) or not _is_date(repealed.get("date")):
                problems.append((at("repealed"), f"{what}: repealed needs a date (YYYY-MM-DD) and by"))
            elif _is_date(entry.get("in_force")) and repealed["date"] <= entry["in_force"]:
                problems.append((at("repealed"), f"{what}: repealed before it came into force"))
        articles = {}
        for number, art in (entry.get("articles") or {}).items():
            number = str(number)
            aline = entry["articles"].key_lines.get(number, at("articles")) if isinstance(
                entry.get("articles"), _Mapping) else at("articles")
            awhat = f"{what}, article {number}"
            if not isinstance(art, _Mapping):
                problems.append((aline, f"{awhat} must be a mapping"))
                continue
            for key in art:
                if key not in ARTICLE_KEYS:
                    problems.append((art.key_lines[key], f"{awhat}: unknown key {key!r} "
                                                         f"(allowed: {', '.join(ARTICLE_KEYS)})" + _twin_hint(key)))
            missing = [k for k, required in ARTICLE_KEYS.items() if required and not art.get(k)]
            if missing:
                problems.append((aline, f"{awhat}: missing {', '.join(missing)}"))
                continue
            if art["status"] not in STATUSES:
                problems.append((art.key_lines["status"], f"{awhat}: status must be one of {', '.join(STATUSES)}"))
            since = art.get("since")
            if since is not None and not _is_date(since):
                problems.append((art.key_lines["since"], f"{awhat}: since must be a date, YYYY-MM-DD"))
                since = None
            articles[number] = Article(number, art["excerpt"], art["paraphrase"], art["status"], aline,
                                       art.key_lines.get("paraphrase", aline), since,
                                       [str(i) for i in art.get("items") or []],
                                       [str(p) for p in art.get("paragraphs") or []], art.get("item_paragraph"))
        instruments[iid] = Instrument(iid, dict(entry), line, articles, dict(entry.key_lines))
    return Register(shown, as_of, instruments, problems)


def _twin_hint(key: str) -> str:
    """A leftover translation twin (paraphrase_zh, ...): say where translations live now."""
    if key.endswith("_zh") and key[:-3] in (*TEXTS, "paraphrase"):
        return (f"; translations of {key[:-3]!r} are in the catalogues, locale/<language>/LC_MESSAGES/{DOMAIN}.po "
                "(`make gettext`, TRANSLATING.md)")
    return ""


# -- Translations: the register's English through gettext -------------------------------------------------------------

@dataclass(frozen=True)
class Message:
    """One English text of the register that a translation replaces."""

    context: str  # the instrument's id; "<id>:<article>" for an article's paraphrase
    id: str  # the English text
    line: int  # in the register
    note: str  # what it is, for the translator


def messages(register: Register) -> list[Message]:
    """Every English text of the register that a translation replaces, in the file's order."""
    found = []
    for inst in register.instruments.values():
        for key, note in TEXTS.items():
            text = inst.data.get(key)
            if isinstance(text, str) and text.strip():
                found.append(Message(inst.id, text, inst.key_lines.get(key, inst.line), note))
        for art in inst.articles.values():
            found.append(Message(f"{inst.id}:{art.number}", art.paraphrase, art.paraphrase_line, PARAPHRASE))
    return sorted(found, key=lambda m: m.line)


def write_pot(out: Path, root: Path = ROOT) -> Path:
    """``make gettext``: the register's English texts as out/law.pot, each with the register's file and line, its
    instrument's (or article's) id as its context and what it is as a comment."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    register = load(root)
    if register.problems:
        line, message = register.problems[0]
        raise RegisterError(f"{register.path}:{line}: {message}")
    catalog = Catalog(project="Whose Face? (law register)", domain=DOMAIN)
    for m in messages(register):
        catalog.add(m.id, locations=[(register.path, m.line)], auto_comments=[m.note], context=m.context)
    out.mkdir(parents=True, exist_ok=True)
    pot = out / f"{DOMAIN}.pot"
    with open(pot, "wb") as f:
        write_po(f, catalog, width=0)
    return pot


def catalogue_path(language: str, root: Path = ROOT, locale: str = "locale") -> Path:
    """The register's catalogue for ``language`` (``locale``: the build's first ``locale_dirs`` entry)."""
    return root / locale / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def translate(register: Register, language: str, root: Path = ROOT,
              locale: str = "locale") -> tuple[dict[tuple[str, str], str], list[tuple[str, int, str]]]:
    """The register's texts in ``language``, {(context, English): translation}, from the compiled catalogue, and the
    catalogue's problems as (file, line, message): every message that is new (at the register's line: run
    `make gettext`), untranslated or fuzzy (at the catalogue's line). Such a message is left out, so a draft build
    shows its English."""
    from teaching.quiz_source import _compiled, _read_po, _shown  # the quiz's catalogue reader, shared

    po = catalogue_path(language, root, locale)
    shown = _shown(po, root)
    if not po.is_file():
        return {}, [(shown, 0, f"no {language} catalogue for the law register: run `make gettext`, then translate "
                               f"{shown} (TRANSLATING.md)")]
    entries = {(m.context, m.id): m for m in _read_po(po) if m.id}
    compiled = _compiled(po)
    texts, problems = {}, []
    for m in messages(register):
        short = m.id if len(m.id) <= 70 else m.id[:67] + "..."
        entry = entries.get((m.context, m.id))
        if entry is None:
            problems.append((register.path, m.line, f"new or changed: run `make gettext`, then translate it in "
                                                    f"{shown} ({m.context}): {short!r}"))
        elif entry.fuzzy or not entry.string:
            kind = ("fuzzy: the English changed; check the translation and delete its `#, fuzzy` line" if entry.fuzzy
                    else "untranslated")
            problems.append((shown, entry.lineno, f"{kind} (source {register.path}:{m.line}): {short!r}"))
        else:
            texts[(m.context, m.id)] = compiled.pgettext(m.context, m.id)
    return texts, problems


def text_of(context: str, english: str) -> str:
    """A register text in the build's language (its English in an English build, or when the catalogue lacks it)."""
    return _State.texts.get((context, english), english)


# -- Writing dates and citations --------------------------------------------------------------------------------------

# Every word and mark of a citation, a date or a table cell in the Chinese edition comes from whose-face.po, like any
# text the code writes: a date's form is a CLDR pattern the translator writes (formatted by Babel), a list is joined by
# CLDR's list pattern (Babel), and the parts of a Chinese citation (第{n}条, 第{n}款 ...) are messages. HERE is where
# the messages are used, for `make gettext`.
HERE = "_ext/teaching/law.py"
DATE_PATTERN = "d MMMM y"  # "1 November 2021"; its translation is the language's pattern (2021年11月1日)


def date_text(day: datetime.date, zh: bool) -> str:
    """``day`` in the build's language (``zh``), or in English (the error messages)."""
    return format_day(day, tr(DATE_PATTERN, HERE)) if zh else format_day(day, DATE_PATTERN, "en")


def _t(message: str, **fields) -> str:
    return tr(message, HERE, **fields)


def _stop(text: str) -> str:
    """``text`` without its sentence's last full stop, in any script (FULL STOP, IDEOGRAPHIC FULL STOP ...)."""
    return text[:-1] if text and "FULL STOP" in unicodedata.name(text[-1], "") else text


# The one place that spells numbers in Chinese numerals, and why it exists: the official Chinese text of a Chinese law
# numbers its articles, paragraphs and items that way (第二十八条, 第一款), and the Chinese edition cites a Chinese
# instrument as its official text does. It is a rule of how the language writes numbers (CLDR's spell-out rules, which
# Babel does not carry), not a table of texts; tests/test_no_string_tables.py lists it as an exception.
def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 13 -> 十三, 111 -> 一百一十一, 1034 -> 一千零三十四, 253 -> 二百五十三."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += digits[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


REF = re.compile(r"^(?P<art>recital-\d+|\d+(?:-\d+)?)(?:\((?P<sub>[0-9a-z]+)\))?(?:\((?P<item>[0-9a-z]+)\))?$")


@dataclass
class Ref:
    article: str
    sub: str | None = None
    to: str | None = None  # the end of a range (41–44)
    item: str | None = None  # an item of a paragraph: 13(1)(2) is paragraph 1, item 2


def parse_refs(spec: str) -> list[Ref] | None:
    refs = []
    for part in spec.split(","):
        part = part.strip()
        if "–" in part:
            start, _, end = part.partition("–")
            if not (REF.match(start.strip()) and REF.match(end.strip())):
                return None
            refs.append(Ref(start.strip(), None, end.strip()))
            continue
        m = REF.match(part)
        if not m:
            return None
        refs.append(Ref(m["art"], m["sub"], None, m["item"]))
    return refs


def check_ref(inst: Instrument, ref: Ref) -> str | None:
    """What the register lacks for this reference, or None."""
    for number in filter(None, (ref.article, ref.to)):
        if number not in inst.articles:
            return (f"{inst.short_en} has no article {number} in the law register ({REGISTER.as_posix()}); "
                    f"add it there (excerpt, paraphrase, status) or correct the reference")
    if ref.sub:
        art = inst.articles[ref.article]
        if ref.item:
            if ref.sub not in art.paragraphs or ref.item not in art.items:
                return (f"{inst.short_en} Art. {ref.article} has no paragraph ({ref.sub}) with item ({ref.item}) "
                        f"in the law register ({REGISTER.as_posix()}); list them under paragraphs and items")
        elif ref.sub not in art.items and ref.sub not in art.paragraphs:
            return (f"{inst.short_en} Art. {ref.article} has no item or paragraph ({ref.sub}) in the law register "
                    f"({REGISTER.as_posix()}); list it under items or paragraphs")
    return None


def _en_number(inst: Instrument, ref: Ref) -> str:
    text = ref.article + (f"({ref.sub})" if ref.sub else "") + (f"({ref.item})" if ref.item else "")
    return f"{text}–{ref.to}" if ref.to else text


def _zh_article(inst: Instrument, number: str, sub: str | None, item: str | None = None) -> str:
    """An article, paragraph and item as the Chinese edition cites them (a foreign law's numbers in digits)."""
    foreign = inst.kind == "foreign law"
    if number.startswith("recital-"):
        return _t("Recital {number}", number=number.split("-")[1])
    main, _, extra = number.partition("-")
    num = (lambda n: n) if foreign else (lambda n: chinese_number(int(n)))  # noqa: E731
    text = _t("Art. {number}", number=num(main))
    if extra:  # 253-1: an article inserted after 253
        text = _t("{article}-{number}", article=text, number=chinese_number(int(extra)))

    def paragraph(n: str) -> str:
        return _t("para. {number}", number=n)

    def listed(n: str) -> str:
        return _t("item {number}", number=num(n)) if n.isdigit() else _t("item ({letter})", letter=n)

    if sub and item:
        return text + paragraph(num(sub)) + listed(item)
    if sub:
        art = inst.articles[number]
        if not sub.isdigit():
            text += _t("para. ({letter})", letter=sub)
        elif sub in art.paragraphs:
            text += paragraph(num(sub))
        else:
            if art.item_paragraph:
                text += paragraph(num(str(art.item_paragraph)))
            text += listed(sub)
    return text


def _join(parts: list[str], zh: bool) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return format_list(parts) if zh else (", ".join(parts[:-1]) + " and " + parts[-1])


def citation_text(inst: Instrument, refs: list[Ref], zh: bool) -> str:
    if zh:
        name = (inst.zh_prefix or "") + _t("the {title}", title=inst.name_zh)
        parts = []
        for r in refs:
            if r.to and r.to.isdigit() and r.article.isdigit() and int(r.to) == int(r.article) + 1:
                parts += [_zh_article(inst, r.article, None), _zh_article(inst, r.to, None)]  # two articles, listed
            elif r.to:
                parts.append(_t("{first} to {last}", first=_zh_article(inst, r.article, r.sub, r.item),
                                last=_zh_article(inst, r.to, None)))
            else:
                parts.append(_zh_article(inst, r.article, r.sub, r.item))
        return name + _join(parts, True)
    short = text_of(inst.id, inst.short_en)
    if not refs:
        return short
    plural = len(refs) > 1 or any(r.to for r in refs)
    if all(r.article.startswith("recital-") for r in refs):
        return f"{short} Recital{'s' if plural else ''} " + _join(
            [r.article.split("-")[1] for r in refs], False)
    sign = inst.article_sign
    label = (sign * 2 if plural else sign) if sign else ("Arts." if plural else "Art.")
    sep = "" if sign else " "
    return f"{short} {label}{sep}" + _join([_en_number(inst, r) for r in refs], False)


def dates_text(inst: Instrument, where, refs: list[Ref] = ()) -> str:
    """The instrument's dates in words, in the build's language."""
    zh = _State.zh
    parts = [tr("adopted {date}", where, date=date_text(inst.adopted, zh)),
             tr("in force {date}", where, date=date_text(inst.in_force, zh))]
    if inst.applies_from:
        parts.append(tr("applies from {date}", where, date=date_text(inst.applies_from, zh)))
    for amendment in inst.amendments or []:
        parts.append(tr("amended {date} (in force {in_force})", where, date=date_text(amendment["adopted"], zh),
                        in_force=date_text(amendment["in_force"], zh)))
    if inst.repealed:
        parts.append(tr("repealed {date}", where, date=date_text(inst.repealed["date"], zh)))
    for ref in refs:
        since = inst.articles[ref.article].since if ref.article in inst.articles else None
        if since:
            parts.append(tr("this article's text in force from {date}", where, date=date_text(since, zh)))
    if not inst.verified:
        parts.append(tr("not every date verified: see the law register", where))
    return _separator(zh).join(parts)


def _separator(zh: bool) -> str:
    """"; " between the parts of a list of dates, or the translation's ("；")."""
    return pieces(_t("{first}; {second}"))[1] if zh else "; "


class law_ref(nodes.inline):
    """A citation of an instrument or article, with its dates as a hover title."""


def visit_law_ref(self, node):
    attributes = {"data-law": node.get("law", "")}
    self.body.append(self.starttag(node, "span", "", CLASS="law-ref", title=node["title"], **attributes))


def depart_law_ref(self, node):
    self.body.append("</span>")


class _State:
    register: Register | None = None
    zh = False
    texts: dict[tuple[str, str], str] = {}  # the register's texts in the build's language (translate)
    catalogue: str | None = None  # their catalogue, law.po, in a translated build


def register_for(env) -> Register:
    if _State.register is None:
        _State.register = load(Path(env.srcdir))
    if env.temp_data.get("docname"):  # a page that shows the register is read again when it, or its catalogue, changes
        env.note_dependency(str(Path(env.srcdir) / REGISTER))
        if _State.catalogue:
            env.note_dependency(_State.catalogue)
    return _State.register


def in_force_on(inst: Instrument, article: str | None, day: datetime.date) -> tuple[str, datetime.date | None]:
    """('yes', None), ('not-yet', from) or ('no-longer', repealed) for one instrument (or one of its articles)."""
    start = inst.effective
    if article and inst.articles.get(article) and inst.articles[article].since:
        start = max(start, inst.articles[article].since)
    if day < start:
        return "not-yet", start
    if inst.repealed and day >= inst.repealed["date"]:
        return "no-longer", inst.repealed["date"]
    return "yes", None


def resolve_day(value: str, register: Register) -> datetime.date:
    value = value.strip()
    if value == "as-of":
        return register.law_as_of
    return datetime.date.fromisoformat(value)


# -- Roles and directives ---------------------------------------------------------------------------------------------

def _parse_target(text: str, register: Register) -> tuple[Instrument | None, list[Ref], str | None]:
    iid, _, spec = text.strip().partition(":")
    inst = register.instruments.get(iid)
    if inst is None:
        return None, [], (f"no instrument {iid!r} in the law register ({REGISTER.as_posix()}); known: "
                          f"{', '.join(sorted(register.instruments))}")
    if not spec:
        return inst, [], None
    refs = parse_refs(spec)
    if refs is None:
        return inst, [], (f"cannot read {spec!r} as articles: write 28, 253-1, 76(5), 13(6),27 or 41–44 "
                          "(an en dash for a range)")
    for ref in refs:
        problem = check_ref(inst, ref)
        if problem:
            return inst, refs, problem
    return inst, refs, None


class _LawTargetRole(SphinxRole):
    """A role whose target names an instrument and perhaps articles (``pipl:28``): read and checked once here; a
    problem becomes an error at the page's line."""

    def run(self):
        inst, refs, problem = _parse_target(self.text, register_for(self.env))
        if problem:
            msg = self.inliner.reporter.error(problem, line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        return self.render(inst, refs)


class LawRole(_LawTargetRole):
    """``{law}`pipl:28```: the citation in the edition's form, dates on hover, the bib key cited (empty)."""

    def render(self, inst, refs):
        where = (self.env.docname, self.lineno)
        node = law_ref(text=citation_text(inst, refs, _State.zh), title=dates_text(inst, where, refs),
                       law=self.text.strip())
        cite = self.env.get_domain("cite").role("empty")
        cited, messages = cite("cite:empty", f"{{cite:empty}}`{inst.bib}`", inst.bib, self.lineno, self.inliner, {},
                               [])
        return [node, *cited], messages


class LawDatesRole(_LawTargetRole):
    """``{law-dates}`pipl```: "adopted 20 August 2021; in force 1 November 2021" (and amendments, repeal)."""

    def render(self, inst, refs):
        return [nodes.inline(text=dates_text(inst, (self.env.docname, self.lineno), refs), classes=["law-dates"])], []


class LawOnRole(SphinxRole):
    """``{law-on}`pipl:28@2020-03-31```: was it in force on that date? "Yes", "Not yet (from ...)", "No longer
    (repealed ...)", computed from the register (``@as-of``: the register's law_as_of)."""

    def run(self):
        register = register_for(self.env)
        target, _, day_text = self.text.rpartition("@")
        inst, refs, problem = (_parse_target(target, register) if target
                               else (None, [], "write {law-on}`id[:article]@YYYY-MM-DD`"))
        try:
            day = resolve_day(day_text, register)
        except ValueError:
            problem = problem or f"{day_text!r} is not a date (YYYY-MM-DD) or as-of"
        if problem:
            msg = self.inliner.reporter.error(problem, line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        where = (self.env.docname, self.lineno)
        return [nodes.strong(text=on_text(inst, refs[0].article if refs else None, day, where), classes=["law-on"])], []


def on_text(inst: Instrument, article: str | None, day: datetime.date, where) -> str:
    state, when = in_force_on(inst, article, day)
    if state == "yes":
        return tr("Yes", where)
    if state == "not-yet":
        return tr("Not yet (from {date})", where, date=date_text(when, _State.zh))
    return tr("No longer (repealed {date})", where, date=date_text(when, _State.zh))


def _articles_of(inst: Instrument, refs: list[Ref]) -> list[str]:
    """The register's articles a row names, in order; a range (41–44) holds every article the register has in it."""
    numbers = []
    for ref in refs:
        if ref.to and ref.article.isdigit() and ref.to.isdigit():
            numbers += sorted((n for n in inst.articles if n.isdigit() and int(ref.article) <= int(n) <= int(ref.to)),
                              key=int)
        else:
            numbers.append(ref.article)
    return list(dict.fromkeys(numbers))


def what_text(inst: Instrument, refs: list[Ref], zh: bool) -> str:
    """A table row's "what it says": the instrument's summary, or each article's paraphrase (labelled when several)."""
    if not refs:
        return text_of(inst.id, inst.summary) if inst.summary else ""
    numbers = _articles_of(inst, refs)
    cited = {r.article: r for r in refs if not r.to}  # 1036(2) is labelled as cited
    texts = []
    for number in numbers:
        text = text_of(f"{inst.id}:{number}", inst.articles[number].paraphrase)
        if len(numbers) > 1:
            ref = cited.get(number, Ref(number))
            label = _zh_article(inst, number, ref.sub, ref.item) if zh else _en_number(inst, ref)
            text = (_t("{sentence} ({label}).", sentence=_stop(text), label=label) if zh
                    else f"{_stop(text)} ({label}).")
        texts.append(text)
    return pieces(_t("{sentence} {next_sentence}"))[1].join(texts) if zh else " ".join(texts)


def _untranslatable(node: nodes.Node) -> None:
    """Generated text is written in the build's language: keep it out of the page's catalogue."""
    for child in node.findall(nodes.TextElement):
        # Not on inline nodes: Sphinx unwraps any inline that carries "translatable" (RemoveTranslatableInline).
        if not isinstance(child, nodes.Inline):
            child["translatable"] = False


class LawAsOf(SphinxDirective):
    """"Law as of <date>" from the register."""

    def run(self):
        register = register_for(self.env)
        day = register.law_as_of or datetime.date.min
        where = (self.env.docname, self.lineno)
        para = nodes.paragraph("", "", classes=["law-as-of"])
        para += nodes.strong(text=tr("Law as of {date}", where, date=date_text(day, _State.zh)))
        para += nodes.Text(" ")
        para += nodes.inline(text=tr("(the date of the module's law register, reviewed once a year)", where))
        _untranslatable(para)
        return [para]


class LawTable(SphinxDirective):
    """A table generated from the register; whether each rule was in force on a date is computed, never typed."""

    has_content = True
    option_spec = {"on": directives.unchanged, "columns": directives.unchanged, "caption": directives.unchanged}

    def run(self):
        register = register_for(self.env)
        where = (self.env.docname, self.lineno)
        zh = _State.zh
        try:
            days = [resolve_day(d, register) for d in (self.options.get("on") or "").split(",") if d.strip()]
        except ValueError as exc:
            raise self.error(f"law-table: :on: takes dates (YYYY-MM-DD) or as-of, comma-separated ({exc})") from exc
        columns = [c.strip() for c in (self.options.get("columns") or "rule, in-force, on, what, status").split(",")]
        unknown = [c for c in columns if c not in COLUMNS]
        if unknown:
            raise self.error(f"law-table: unknown column(s) {', '.join(unknown)}; use {', '.join(COLUMNS)}")
        headers = []
        for column in columns:
            if column == "on":
                headers += [tr("In force on {date}?", where, date=date_text(day, zh)) for day in days]
            else:
                headers.append(tr({"rule": "Rule", "kind": "Kind", "in-force": "In force", "what": "What it says, "
                                   "in outline", "status": "Status"}[column], where))
        rows = []
        for offset, line in enumerate(self.content):
            if not line.strip():
                continue
            inst, refs, problem = _parse_target(line, register)
            if problem:
                raise self.error(f"{self.get_source_info()[0]}:{self.content_offset + offset + 1}: {problem}")
            cells = []
            article = refs[0].article if refs else None
            for column in columns:
                if column == "rule":
                    cells.append(f"{{law}}`{line.strip()}`")
                elif column == "kind":
                    cells.append(tr(KINDS[inst.kind], where))
                elif column == "in-force":
                    start = in_force_on(inst, article, datetime.date.min)[1]
                    text = (tr("applies from {date}", where, date=date_text(start, zh)) if inst.applies_from
                            else date_text(start, zh))
                    if inst.repealed:
                        text += _separator(zh) + tr("repealed {date}", where,
                                                    date=date_text(inst.repealed["date"], zh))
                    if not inst.verified:
                        text = tr("{text} ({note})", where, text=text, note=tr("dates not all verified", where))
                    cells.append(text)
                elif column == "on":
                    cells += [on_text(inst, article, day, where) for day in days]
                elif column == "what":
                    cells.append(what_text(inst, refs, zh) + f" {{cite:p}}`{inst.bib}`")
                elif column == "status":
                    status = inst.articles[article].status if article else (inst.status or "unverified")
                    cells.append(f"{{status}}`{status}`")
            rows.append(cells)
        if not rows:
            raise self.error("law-table: list one instrument or article per line (e.g. pipl:28)")
        escape = lambda text: str(text).replace("|", "\\|")  # noqa: E731
        table = ["| " + " | ".join(escape(h) for h in headers) + " |", "|" + "---|" * len(headers)]
        table += ["| " + " | ".join(escape(c) for c in row) + " |" for row in rows]
        container = nodes.container(classes=["law-table"])
        self.state.nested_parse(StringList(table, source=self.get_source_info()[0]), self.content_offset, container)
        _untranslatable(container)
        return [container]


# -- Checks -----------------------------------------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # the English prose's month names, which the check reads

DATE = (r"(?P<date>(?P<d1>\d{1,2}) (?P<m1>[A-Z][a-z]{2,8})\.? (?P<y1>\d{4})"
        r"|(?P<m2>[A-Z][a-z]{2,8})\.? (?P<d2>\d{1,2}), (?P<y2>\d{4}))")
EFFECT = re.compile(r"(?:\bin force|\binto force|\beffective|\btook effect|\btakes effect|\bsince|\bappl(?:y|ies|ied) "
                    r"from)(?: (?:on|from|since))?(?: the)? " + DATE)
ROLE = re.compile(r"\{law\}`(?P<id>[a-z0-9-]+)[^`]*`")


def _parse_date(m: re.Match) -> datetime.date | None:
    day, month, year = (m["d1"], m["m1"], m["y1"]) if m["d1"] else (m["d2"], m["m2"], m["y2"])
    for index, name in enumerate(MONTHS):
        if month == name or (len(month) >= 3 and name.startswith(month)):
            try:
                return datetime.date(int(year), index + 1, int(day))
            except ValueError:
                return None
    return None


def typed_date_problems(text: str, register: Register) -> list[tuple[int, str]]:
    """(line, message) for each date typed in prose as when an instrument took effect that the register contradicts."""
    names = sorted(((name, inst) for inst in register.instruments.values() for name in inst.names()),
                   key=lambda pair: -len(pair[0]))
    mentions = []  # (start, end, instrument)
    for m in ROLE.finditer(text):
        if m["id"] in register.instruments:
            mentions.append((m.start(), m.end(), register.instruments[m["id"]]))
    for name, inst in names:
        for m in re.finditer(r"(?<![\w-])" + r"\s+".join(map(re.escape, name.split())) + r"(?![\w-])", text):
            if not any(s <= m.start() < e for s, e, _ in mentions):
                mentions.append((m.start(), m.end(), inst))
    mentions.sort(key=lambda item: item[0])
    problems = []
    for index, (start, end, inst) in enumerate(mentions):
        stop = mentions[index + 1][0] if index + 1 < len(mentions) else len(text)
        sentence_end = re.search(r"(?<!Art)(?<!Arts)(?<!\bNo)\.(?:\s|$)|\n\s*\n|\n\s*[-*] |\|", text[end:stop])
        window = text[end:end + sentence_end.start()] if sentence_end else text[end:stop]
        for m in EFFECT.finditer(window):
            if stop < len(text) and re.fullmatch(r"[\s,]*(?:the\s+)?", text[end + m.end():stop]):
                continue  # "since 1 June 2025 the Face Recognition Measures": the date belongs to the next name
            day = _parse_date(m)
            if day and day not in inst.dates():
                line = text.count("\n", 0, end + m.start("date")) + 1
                known = ", ".join(date_text(d, False) for d in sorted(inst.dates()))
                problems.append((line, f"the page says {inst.short_en} took effect on {date_text(day, False)}, but "
                                       f"the law register ({REGISTER.as_posix()}:{inst.line}) has {known}; cite it "
                                       "with {law} and correct the date, or correct the register"))
    return problems


def check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    register = register_for(app.env)
    path = app.env.doc2path(docname)
    for line, message in typed_date_problems(source[0], register):
        logger.warning(message, location=f"{path}:{line}", type="law", subtype="typed-date")


def start(app: Sphinx) -> None:
    _State.zh = chinese(app)
    _State.register = load(Path(app.srcdir))
    register = _State.register
    for line, message in register.problems:
        logger.warning(message, location=f"{register.path}:{line}", type="law", subtype="register")
    _State.texts, _State.catalogue = {}, None
    language = app.config.language
    builder = getattr(getattr(app, "builder", None), "name", None)
    if not catalogue_check._english(language) and builder != "gettext" and not register.problems:
        # A translated build: the register's English texts from the language's catalogue, law.po.
        _State.texts, problems = translate(register, language, Path(app.srcdir), app.config.locale_dirs[0])
        _State.catalogue = str(catalogue_path(language, Path(app.srcdir), app.config.locale_dirs[0]))
        for where, line, message in problems:
            catalogue_check._report(logger, message, f"{where}:{line}")
    if register.law_as_of:
        today = _build_date()
        if (today - register.law_as_of).days > 365:
            logger.info(
                f"notice: the law register ({register.path}) says the law is as of {register.law_as_of}, more than a "
                "year ago: review each instrument (new laws, amendments, repeals), then set law_as_of to the date "
                "of that review. The build goes on.")


def _build_date() -> datetime.date:
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).date()
    return datetime.datetime.now(tz=datetime.timezone.utc).date()


def pot(app: Sphinx, exception) -> None:
    """``make gettext``: the register's English texts as law.pot beside the pages' templates."""
    if exception is None and app.builder.name == "gettext":
        write_pot(Path(app.outdir), Path(app.srcdir))


def setup(app: Sphinx):
    app.add_node(law_ref, html=(visit_law_ref, depart_law_ref))
    app.add_role("law", LawRole())
    app.add_role("law-dates", LawDatesRole())
    app.add_role("law-on", LawOnRole())
    app.add_directive("law-table", LawTable)
    app.add_directive("law-as-of", LawAsOf)
    app.connect("builder-inited", start)
    app.connect("source-read", check_source)
    app.connect("build-finished", pot)
    # env_version changes when what the roles and directives put in a doctree changes: Sphinx reads every page again.
    return {"env_version": 4, "parallel_read_safe": True, "parallel_write_safe": True}
