"""The bibliography in Chinese (issue #18): each entry's note from a catalogue, and pybtex's fixed words in Chinese.

One job: in a Chinese build (``-D language=zh_CN``) the bibliography page and the citation tooltips show

- each entry's ``note`` (our own assessment of the source) in Chinese, from ``locale/zh_CN/LC_MESSAGES/bib-notes.po``:
  msgid = the English note as pybtex reads it, whitespace collapsed; msgstr = the Chinese. **Strict**: a note with
  no translation is a warning (an error under -W) naming the .bib file and line and the catalogue;
- pybtex's own words (URL:, visited on, In, volume ... of, pages, and, dates) in Chinese, through the style
  ``zh`` (a subclass of the ``plain`` style, registered as a pybtex plugin and chosen only in a Chinese build), and
  the citations' words between authors (and, et al.) through the reference style ``zh_author_year``. The words and
  marks are messages of the code's catalogue (whose-face.po), written as patterns ("volume {volume}"); dates are CLDR
  patterns from the same catalogue, formatted by Babel; the joiners of a list of names are CLDR's, through Babel.
  Authors' names and the sources' titles stay as they are. (bibtex_speedup caches formatted entries by style class,
  so the two languages never share an entry.)
- the citations in the text in Chinese form (issue #31), through the reference style ``zh_author_year``:
  full-width brackets, a full-width comma between author and year, a Chinese semicolon between sources:
  ``（最高人民法院，2021）``, ``（Solove，2006）``, ``（杜鑫，2020；中新经纬，2020）``, ``Buolamwini和Gebru（2018）``
  (``{cite:t}``). A source is named as it names itself: a Chinese author or organisation by its Chinese name, an
  English one by its English name. The Chinese name comes from the entry: its ``zh_author`` field if it has one,
  else the Chinese half of an author written ``{{English (中文)}}`` or ``{{中文 (English)}}``. An author with Chinese
  in it but no such half, or a name that would put half-width brackets into a Chinese citation, is a warning naming
  the .bib file and line: give the entry a ``zh_author`` (``zh_author = {每日商报，杭州网转载}``). The bibliography
  page keeps each entry's own author and title.

Any other translated language (``make html-<short>``, the pseudo-locale of _ext/i18n/pseudo.py) reads the notes from
its own ``locale/<lang>/LC_MESSAGES/bib-notes.po`` through the style ``notes`` (``plain``, each note translated, as
strictly); pybtex's words and the citations stay in their English form there.
An English build is untouched: the style stays ``plain`` and no note is read. ``make gettext`` writes
``_build/gettext/bib-notes.pot`` from the notes of bib/*.bib, which ``sphinx-intl update`` merges into bib-notes.po.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import pybtex.plugin
import sphinxcontrib.bibtex.plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import pages, toplevel
from pybtex.style.template import (field, first_of, href, join, names, node, optional, optional_field, sentence, tag,
                                   words)
from sphinx.util import logging
from sphinxcontrib.bibtex.style.names.last import LastNameStyle
from sphinxcontrib.bibtex.style.referencing import BracketStyle, GroupReferenceStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_author import ExtraAuthorReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
from sphinxcontrib.bibtex.style.template import author_or_editor_or_title, join2, post_text, pre_text, reference
from sphinxcontrib.bibtex.style.template import node as bibtex_node

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
CATALOG = "bib-notes"
PO_RELATIVE = f"locale/zh_CN/LC_MESSAGES/{CATALOG}.po"
STYLE = "zh"
NOTES_STYLE = "notes"  # any other translated language: pybtex's plain style, the notes from that language's catalogue
REFERENCE_STYLE = "zh_author_year"  # the citations in the text: （Buolamwini和Gebru，2018）, （最高人民法院，2021）
NAME_STYLE = "zh_last"  # the names in them: an author's Chinese name where the entry has one, else pybtex's "last"
ZH_AUTHOR = "zh_author"  # the field of a .bib entry that gives its authors' Chinese name for the citations
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
BILINGUAL_NAME = re.compile(r"(?P<first>[^()]+?) \((?P<second>[^()]+)\)")  # "English (中文)" or "中文 (English)"

# The month names pybtex expands the month macros to (jul -> July): what the entries say, read, never shown.
MONTHS = {name: n for n, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
     "December"], start=1)}
# Every word and mark the style adds comes from whose-face.po (the code's catalogue), as patterns a translator reads:
# "volume {volume}" -> 第{volume}卷, "({citation})" -> （{citation}）; dates by a CLDR pattern that is a message too
# ("d MMMM y" -> y年M月d日), formatted by Babel; lists of names by CLDR's list pattern. HERE: where they are used.
HERE = "_ext/i18n/bib_zh.py"


def normalise(text: str) -> str:
    return " ".join(str(text).split())


def _t(message: str, **fields) -> str:
    from i18n.translations import tr

    return tr(message, HERE, **fields)


def _day(year: str, month: int | None = None, day: int | None = None) -> str:
    """A date, a year and month, or a year alone, by the catalogue's pattern for each (Babel formats it)."""
    from i18n.translations import format_day

    form = _t("d MMMM y") if day else _t("MMMM y") if month else _t("y")
    return format_day(datetime.date(int(year), month or 1, day or 1), form)


def pattern(message: str, **parts):
    """A pybtex template from a translated pattern: its text kept, each ``{field}`` replaced by the template given
    for it. ``pattern(_t("volume {volume}"), volume=field("volume"))`` is join["第", field("volume"), "卷"]."""
    from i18n.translations import pieces

    texts, fields = pieces(message), re.findall(r"\{([a-z_0-9]+)\}", message)
    children = [texts[0]]
    for name, text in zip(fields, texts[1:]):
        children += [parts[name], text]
    return join[tuple(child for child in children if not isinstance(child, str) or child)]


def url_date(text) -> Text:
    """2026-11-01 in the build's language (2026年11月1日; 2026-11 -> 2026年11月); anything else unchanged."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(text).strip())
    if not match:
        return text
    year, month, day = match.groups()
    return Text(_day(year, int(month) if month else None, int(day) if day else None))


@node
def date(children, context):
    """The entry's year, with its month if it has one (2020年7月); "n.d." as the catalogue says it (无日期)."""
    assert not children
    year = str(field("year").format_data(context)).strip()  # a missing year fails as in pybtex's plain style
    month = MONTHS.get(str(context["entry"].fields.get("month", "")).strip())
    if year.isdigit():
        return Text(_day(year, month))
    return Text(_t("n.d.") if year.lower() in ("n.d.", "n. d.") else year)


def zh_pages():
    return pattern(_t("pages {pages}"), pages=pages)


# the note, which ends in a Chinese full stop (。): no English full stop after it
note_sentence = sentence(add_period=False)[optional_field("note")]


class _Notes:
    known: dict[str, str] = {}  # English note -> its translation
    po_relative = PO_RELATIVE  # the catalogue of the build's language
    places: dict[str, str] = {}  # entry key -> "bib/x.bib:line" of its note
    reported: set[str] = set()


def field_places(bibfiles, name: str) -> dict[str, str]:
    """Entry key -> "bib/<file>.bib:<line>" of its field ``name`` (pybtex keeps no line numbers)."""
    places = {}
    for bib in bibfiles:
        path = (ROOT / bib).resolve()
        key = None
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            start = re.match(r"\s*@\w+\s*\{\s*([^,\s]+)\s*,", line)
            if start:
                key = start.group(1)
            elif key and re.match(rf"\s*{re.escape(name)}\s*=", line, re.IGNORECASE):
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                places[key] = f"{shown.as_posix()}:{number}"
    return places


def note_places(bibfiles) -> dict[str, str]:
    """Entry key -> "bib/<file>.bib:<line>" of its ``note`` field."""
    return field_places(bibfiles, "note")


def po_relative(language: str) -> str:
    return f"locale/{language}/LC_MESSAGES/{CATALOG}.po"


def read_catalogue(po: Path | None = None) -> dict[str, str]:
    """The catalogue's translated notes (non-empty, not fuzzy), msgid (whitespace collapsed) -> msgstr."""
    from i18n.translations import translated

    return {normalise(english): chinese for english, chinese in translated(po or ROOT / PO_RELATIVE).items()}


def translate_note(note: str, key: str) -> str:
    """The translation of ``note`` (of entry ``key``); untranslated -> a warning naming the .bib file, line and
    catalogue, and the English note is kept."""
    english = normalise(note)
    if english in _Notes.known:
        return _Notes.known[english]
    where = _Notes.places.get(key, f"entry {key}")
    if (key, english) not in _Notes.reported:
        _Notes.reported.add((key, english))
        logger.warning("untranslated bibliography note of %s (%s): add its translation to %s: %r",
                       key, where, _Notes.po_relative, english, type="i18n", subtype="untranslated")
    return note


class NotesStyle(PlainStyle):
    """pybtex's ``plain`` style with each note in the build's language: the style of a translated build that is not
    Chinese (pybtex's own words stay English there)."""

    def format_entry(self, label, entry, bib_data=None):
        if "note" in entry.fields:
            from pybtex.database import Entry

            fields = dict(entry.fields)
            fields["note"] = translate_note(fields["note"], entry.key)
            copy = Entry(entry.type, fields=fields, persons=entry.persons)
            copy.key = entry.key
            entry = copy
        return super().format_entry(label, entry, bib_data=bib_data)


class ZhStyle(PlainStyle):
    """pybtex's ``plain`` style with Chinese fixed words, and each note in Chinese."""

    def format_entry(self, label, entry, bib_data=None):
        if "note" in entry.fields:
            from pybtex.database import Entry

            fields = dict(entry.fields)
            fields["note"] = translate_note(fields["note"], entry.key)
            copy = Entry(entry.type, fields=fields, persons=entry.persons)
            copy.key = entry.key
            entry = copy
        return super().format_entry(label, entry, bib_data=bib_data)

    def format_names(self, role, as_sentence=True):
        from i18n.translations import list_separators

        sep, sep2, last_sep = list_separators()
        formatted = names(role, sep=sep, sep2=sep2, last_sep=last_sep)
        return sentence[formatted] if as_sentence else formatted

    def format_editor(self, e, as_sentence=True):
        result = pattern(_t("{names}, editors"), names=self.format_names("editor", as_sentence=False))
        return sentence[result] if as_sentence else result

    def format_volume_and_series(self, e, as_sentence=True):
        volume = pattern(_t("volume {volume}"), volume=field("volume"))
        number = pattern(_t("number {number}"), number=field("number"))
        result = first_of[
            optional[words[optional_field("series"), volume]],
            optional[words[optional_field("series"), number]],
            optional_field("series"),
        ]
        return sentence[result] if as_sentence else result

    def format_chapter_and_pages(self, e):
        chapter = pattern(_t("chapter {chapter}"), chapter=field("chapter"))
        return join(sep=", ")[optional[chapter], optional[zh_pages()]]

    def format_edition(self, e):
        return optional[pattern(_t("{edition} edition"), edition=field("edition"))]

    def format_address_organization_publisher_date(self, e, include_organization=True):
        organization = optional_field("organization") if include_organization else None
        return first_of[
            optional[join(sep=" ")[sentence[field("address"), date], sentence[organization, optional_field("publisher")]]],
            sentence[organization, optional_field("publisher"), date],
        ]

    def get_article_template(self, e):
        volume_and_pages = first_of[
            optional[join[field("volume"), optional["(", field("number"), ")"], ":", pages]],
            zh_pages(),
        ]
        return toplevel[
            self.format_names("author"),
            self.format_title(e, "title"),
            sentence[tag("em")[field("journal")], optional[volume_and_pages], date],
            note_sentence,
            self.format_web_refs(e),
        ]

    def get_book_template(self, e):
        return toplevel[
            self.format_author_or_editor(e),
            self.format_btitle(e, "title"),
            self.format_volume_and_series(e),
            sentence[field("publisher"), optional_field("address"), self.format_edition(e), date],
            optional[sentence[self.format_isbn(e)]],
            note_sentence,
            self.format_web_refs(e),
        ]

    def get_inproceedings_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            words[
                _t("In"),
                sentence[
                    optional[self.format_editor(e, as_sentence=False)],
                    self.format_btitle(e, "booktitle", as_sentence=False),
                    self.format_volume_and_series(e, as_sentence=False),
                    optional[zh_pages()],
                ],
                self.format_address_organization_publisher_date(e),
            ],
            note_sentence,
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e):
        return toplevel[
            optional[sentence[self.format_names("author")]],
            optional[self.format_title(e, "title")],
            sentence[optional[field("howpublished")], optional[date]],
            note_sentence,
            self.format_web_refs(e),
        ]

    def get_techreport_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            sentence[
                words[first_of[optional_field("type"), _t("Technical Report")], optional_field("number")],
                field("institution"),
                optional_field("address"),
                date,
            ],
            note_sentence,
            self.format_web_refs(e),
        ]

    def format_web_refs(self, e):
        return sentence[
            optional[self.format_url(e), optional[pattern(_t("(visited on {date})"),
                                                          date=field("urldate", apply_func=url_date))]],
            optional[self.format_eprint(e)],
            optional[self.format_pubmed(e)],
            optional[self.format_doi(e)],
        ]

    def format_url(self, e):
        url = field("url", raw=True)
        return pattern(_t("URL: {url}"), url=href(url)[url])


def chinese_name(name: str) -> str | None:
    """The Chinese name in an author's name as a .bib entry writes it, or None (an English name, or one this rule
    cannot split): "Supreme People's Court (最高人民法院)" -> 最高人民法院, "石佳友 (Shi Jiayou)" -> 石佳友."""
    name = " ".join(str(name).replace("{", "").replace("}", "").split())
    if not CJK.search(name):
        return None
    if "(" not in name and ")" not in name:
        return name if not re.search(r"[A-Za-z]", name) else None
    match = BILINGUAL_NAME.fullmatch(name)
    if not match:
        return None
    chinese = [half for half in match.groups() if CJK.search(half)]
    return chinese[0].strip() if len(chinese) == 1 else None


def year_cited(text) -> Text:
    """An entry with no date ("n.d.") is cited as the catalogue says it (无日期)."""
    return Text(_t("n.d.")) if str(text).strip().lower() in ("n.d.", "n. d.", "") else text


def zh_year():
    return first_of[optional[field("year", apply_func=year_cited)], _t("n.d.")]


class ZhLastNameStyle(LastNameStyle):
    """pybtex's "last" name style, but a name that carries its Chinese form gives that form (chinese_name)."""

    def format(self, person, abbr=True):
        chinese = chinese_name(str(person))
        return join[chinese] if chinese else super().format(person, abbr)


@bibtex_node
def zh_author_or_editor_or_title(children, data, **kwargs):
    """The entry's ``zh_author`` if it has one, else its authors (or editors, or title) as the plugin names them."""
    assert not children
    entry = data["entry"]
    if ZH_AUTHOR in entry.fields:
        return Text(normalise(entry.fields[ZH_AUTHOR]))
    return author_or_editor_or_title(**kwargs).format_data(data)


def _list_separator(index: int):
    from i18n.translations import list_separators

    return dataclass_field(default_factory=lambda: list_separators()[index])


def _piece(message: str, index: int):
    """The ``index``-th text around the fields of ``message`` translated: a separator of the citations."""
    from i18n.translations import pieces

    return dataclass_field(default_factory=lambda: pieces(_t(message))[index])


@dataclass
class ZhPersonStyle(PersonStyle):
    """The build language's words between authors (CLDR's list: 、 and 和; "et al.": 等), and each author by its
    Chinese name where the entry has one."""

    style: str = NAME_STYLE
    sep: str = _list_separator(0)
    sep2: str = _list_separator(1)
    last_sep: str = _list_separator(2)
    other: str = _piece("{names} et al.", 1)

    def author_or_editor_or_title(self, full: bool):
        return zh_author_or_editor_or_title(sep=self.sep, sep2=self.sep2, last_sep=self.last_sep,
                                            other=None if full else self.other)


class ZhParenthetical(BasicAuthorYearParentheticalReferenceStyle):
    def inner(self, role_name: str):
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[join(sep=self.author_year_sep)[self.person.author_or_editor_or_title(full="s" in role_name),
                                                      zh_year()]],
            post_text,
        ]


class ZhTextual(BasicAuthorYearTextualReferenceStyle):
    def inner(self, role_name: str):
        return join(sep=self.text_reference_sep)[
            self.person.author_or_editor_or_title(full="s" in role_name),
            join[self.bracket.left, join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                pre_text, reference[zh_year()], post_text], self.bracket.right],
        ]


def brackets(names: bool = False) -> BracketStyle:
    """The citations' brackets, "({citation})" translated (（…）), holding sources apart by "{first}; {second}"
    translated (；), or, for ``names``, the authors as a list (CLDR's: 、 and 和)."""
    from i18n.translations import list_separators, pieces

    left, right = pieces(_t("({citation})"))
    if names:
        sep, sep2, last_sep = list_separators()
        return BracketStyle(left=left, right=right, sep=sep, sep2=sep2, last_sep=last_sep)
    return BracketStyle(left=left, right=right, sep=pieces(_t("{first}; {second}"))[1])


def _text_reference_sep() -> str:
    """Between an author and the bracketed year of {cite:t}: "{author} ({year})" translated, less the bracket."""
    from i18n.translations import pieces

    return pieces(_t("{author} ({year})"))[1].removesuffix(brackets().left)


@dataclass
class ZhAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    """sphinxcontrib-bibtex's author-year citations in Chinese form: （最高人民法院，2021）, （Solove，2006）,
    （杜鑫，2020；中新经纬，2020）, and with {cite:t} Buolamwini和Gebru（2018）."""

    bracket_textual: BracketStyle = dataclass_field(default_factory=lambda: brackets(names=True))
    bracket_parenthetical: BracketStyle = dataclass_field(default_factory=brackets)
    bracket_author: BracketStyle = dataclass_field(default_factory=lambda: brackets(names=True))
    bracket_label: BracketStyle = dataclass_field(default_factory=brackets)
    bracket_year: BracketStyle = dataclass_field(default_factory=brackets)
    person: PersonStyle = dataclass_field(default_factory=ZhPersonStyle)
    author_year_sep: str = _piece("{author}, {year}", 1)
    text_reference_sep: str = dataclass_field(default_factory=_text_reference_sep)
    pre_text_sep: str = ""
    post_text_sep: str = _piece("{reference}, {post_text}", 1)

    def __post_init__(self):
        # AuthorYearReferenceStyle's own list, with the two author-year styles that write 无日期 for "n.d.".
        self.styles.extend([
            ZhParenthetical(bracket=self.bracket_parenthetical, person=self.person,
                            author_year_sep=self.author_year_sep, pre_text_sep=self.pre_text_sep,
                            post_text_sep=self.post_text_sep),
            ZhTextual(bracket=self.bracket_textual, person=self.person, text_reference_sep=self.text_reference_sep,
                      pre_text_sep=self.pre_text_sep, post_text_sep=self.post_text_sep),
            ExtraAuthorReferenceStyle(bracket=self.bracket_author, person=self.person),
            ExtraLabelReferenceStyle(bracket=self.bracket_label),
            ExtraYearReferenceStyle(bracket=self.bracket_year),
            ExtraEmptyReferenceStyle(),
        ])
        GroupReferenceStyle.__post_init__(self)


def author_problems(bibfiles) -> list[str]:
    """"bib/x.bib:line: ..." for every entry the Chinese citations cannot name in Chinese form: an author with Chinese
    in it but no Chinese name to take, or a name that would put half-width brackets into a Chinese citation."""
    from pybtex.database import parse_file

    authors, zh_authors = field_places(bibfiles, "author"), field_places(bibfiles, ZH_AUTHOR)
    editors = field_places(bibfiles, "editor")
    problems = []
    for bib in bibfiles:
        for key, entry in parse_file(str(ROOT / bib), "bibtex").entries.items():
            if ZH_AUTHOR in entry.fields:
                name = normalise(entry.fields[ZH_AUTHOR])
                if re.search(r"[()]", name) or not name:
                    problems.append(f"{zh_authors.get(key, bib)}: {ZH_AUTHOR} of {key} is {name!r}: write it without "
                                    "half-width brackets (the Chinese citation puts it in full-width ones)")
                continue
            role = "author" if "author" in entry.persons else "editor"
            where = (authors if role == "author" else editors).get(key, bib)
            for person in entry.persons.get(role, []):
                name = normalise(str(person).replace("{", "").replace("}", ""))
                if chinese_name(name):
                    continue
                if CJK.search(name):
                    problems.append(f"{where}: the {role} of {key}, {name!r}, has Chinese in it but no Chinese name "
                                    "the citations can take ('English (Chinese name)' or 'Chinese name (English)'): "
                                    f"add a {ZH_AUTHOR} field with the name to cite in the Chinese edition")
                elif re.search(r"[()]", name):
                    problems.append(f"{where}: the {role} of {key}, {name!r}, would put half-width brackets into a "
                                    f"Chinese citation: add a {ZH_AUTHOR} field with the name to cite")
    return problems


def _notes_of(bibfiles) -> list[tuple[str, str, str]]:
    """(English note, entry key, "bib/x.bib:line") of every entry of ``bibfiles`` that has one."""
    from pybtex.database import parse_file

    places = note_places(bibfiles)
    notes = []
    for bib in bibfiles:
        for key, entry in parse_file(str(ROOT / bib), "bibtex").entries.items():
            if "note" in entry.fields:
                notes.append((normalise(entry.fields["note"]), key, places.get(key, bib)))
    return notes


def write_pot(app, exception) -> None:
    """``make gettext``: every note of bib/*.bib as bib-notes.pot beside the pages' templates."""
    if exception is not None or app.builder.name != "gettext":
        return
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project="Whose Face?", domain=CATALOG)
    for note, _key, where in _notes_of(app.config.bibtex_bibfiles):
        path, _, line = where.rpartition(":")
        existing = catalog.get(note)
        locations = [*(existing.locations if existing else []), (path, int(line))]
        catalog.add(note, locations=locations)
    with open(Path(app.outdir) / f"{CATALOG}.pot", "wb") as f:
        write_po(f, catalog, width=0)


def choose_style(app, config) -> None:
    """A translated build reads the notes' catalogue of its language; a Chinese one formats the bibliography with the
    ``zh`` style, any other with ``notes`` (``plain``, its notes translated)."""
    from i18n.translations import catalogue_language, is_chinese

    _Notes.reported = set()
    language = catalogue_language(config.language)
    if language == "en":
        _Notes.known, _Notes.places = {}, {}
        return
    _Notes.po_relative = po_relative(language)
    _Notes.known = read_catalogue(ROOT / _Notes.po_relative)
    _Notes.places = note_places(config.bibtex_bibfiles)
    if not is_chinese(config.language):
        config.bibtex_default_style = NOTES_STYLE
        return
    config.bibtex_default_style = STYLE
    config.bibtex_reference_style = REFERENCE_STYLE
    for problem in author_problems(config.bibtex_bibfiles):
        logger.warning("Chinese citation: %s", problem, type="bib_zh", subtype="author")


def outdated(app, env, added, changed, removed) -> list[str]:
    """An edited notes catalogue re-reads every page (the tooltips of every citing page hold notes)."""
    po = ROOT / _Notes.po_relative
    stamp = (app.config.language, po.stat().st_mtime if po.is_file() else 0)
    if getattr(env, "whose_face_bib_notes", None) == stamp:
        return []
    env.whose_face_bib_notes = stamp
    return sorted(env.found_docs - set(removed)) if _Notes.known else []


def setup(app):
    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE, ZhStyle, force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", NOTES_STYLE, NotesStyle, force=True)
    pybtex.plugin.register_plugin("pybtex.style.names", NAME_STYLE, ZhLastNameStyle, force=True)
    sphinxcontrib.bibtex.plugin.register_plugin("sphinxcontrib.bibtex.style.referencing", REFERENCE_STYLE,
                                                ZhAuthorYearReferenceStyle, force=True)
    app.connect("config-inited", choose_style)
    app.connect("env-get-outdated", outdated)
    app.connect("build-finished", write_pot)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
