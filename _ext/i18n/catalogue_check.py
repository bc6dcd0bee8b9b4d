"""Translation that cannot go stale in silence: compare today's sources with the catalogues, name what needs work.

One behaviour for every kind of text. In a translated build (``make html-zh``, ``make instructor-zh``) this extension
names, with file and line, every message with no usable translation: page text (before Sphinx translates each page,
against the page's catalogue) and the labels facelab draws (diagrams, figures: locale/<lang>/LC_MESSAGES/facelab.po).
The code's own messages (whose-face.po) are named the same way by _ext/i18n/translations.py. Each is a warning, so the
strict build fails; ``DRAFT=1`` turns them into notes and builds with the English text, visibly marked
(``translation_progress_classes``, _static/draft.css): for previews, never the default.

    cases/masked-photos/law.md:30: WARNING: fuzzy: the English changed; check the translation and delete its
    `#, fuzzy` line (locale/zh_CN/LC_MESSAGES/cases/masked-photos/law.po): 'Keep the two questions apart. ...'

The same functions serve ``make gettext`` (scripts/translations.py):

- ``facelab_pot``: facelab's messages, written to facelab.pot. They are every literal in a ``_t(...)``/``N_(...)``
  call in facelab/, the model's vocabulary, and every text the diagrams of facelab.diagrams show (collected by
  drawing each diagram once, then found in the source for its file and line). A diagram text that is not one literal
  in the source (built at run time) is an error naming it: it could not be translated.
- ``update``: each template merged into its catalogue (Babel's update, as sphinx-intl does: a changed message becomes
  fuzzy with its old translation beside it), written only when its messages changed, in its own order (new messages
  last), with its header date and its unchanged messages' places kept: an unchanged catalogue stays byte for byte as
  it was, and a changed one differs by the messages that changed. Then every message that
  needs a translator is named (``needs_work``) with the catalogue's file and line and the source's.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
FACELAB = ROOT / "facelab"
LOCALE = ROOT / "locale"
MARKERS = {"_t", "N_", "text"}  # the names facelab calls its translation function and its marker by


def _literals(root: Path = ROOT):
    """(context, message) -> [(file, line)] for the literals of _t()/N_() calls, and every string literal's places."""
    marked: dict[tuple[str | None, str], list[tuple[str, int]]] = {}
    anywhere: dict[str, list[tuple[str, int]]] = {}
    for path in sorted((root / "facelab").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), rel)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                anywhere.setdefault(node.value, []).append((rel, node.lineno))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in MARKERS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    context = next((k.value.value for k in node.keywords if k.arg == "context"
                                    and isinstance(k.value, ast.Constant)), None)
                    marked.setdefault((context, first.value), []).append((rel, node.lineno))
    return marked, anywhere


def facelab_messages(root: Path = ROOT) -> dict[tuple[str | None, str], list[tuple[str, int]]]:
    """Every message facelab draws, (context, message) -> the places it is written."""
    sys.path.insert(0, str(root))
    try:
        from facelab import flows, i18n
        from facelab.diagrams import catalogue
    finally:
        sys.path.remove(str(root))
    marked, anywhere = _literals(root)
    with i18n.recording() as seen:
        for word in [*flows.DataCategory, *flows.Status]:  # the model's vocabulary, used by a diagram or not
            i18n.text(word.label)
        for diagram in catalogue.values():
            flows.to_mermaid(diagram, "en")
            flows.to_table(diagram, "en")
            if isinstance(diagram, flows.DataFlowDiagram):
                flows.to_linddun_rows(diagram, "en")
    messages = dict(marked)
    unplaced = []
    for key in sorted(seen):
        context, _, message = key.rpartition("\x04") if "\x04" in key else (None, "", key)
        if (context or None, message) in messages:
            continue
        if message not in anywhere:
            unplaced.append(message)
            continue
        messages[(context or None, message)] = anywhere[message]
    if unplaced:
        raise SystemExit("facelab: these diagram texts are not written as one literal in facelab/, so they cannot be "
                         "translated (write each as one string):\n" + "\n".join(f"  {m!r}" for m in unplaced))
    return messages


def facelab_pot(out: Path, root: Path = ROOT) -> Path:
    """Write out/facelab.pot."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project="Whose Face? (facelab)", domain="facelab")
    for (context, message), places in sorted(facelab_messages(root).items(), key=lambda kv: (kv[1][0], kv[0][1])):
        catalog.add(message, locations=sorted(set(places)), context=context)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "facelab.pot"
    with open(path, "wb") as f:
        write_po(f, catalog, width=0, omit_header=False)
    return path


def _read(path: Path):
    """The catalogue at ``path``. Babel 2.18 reads a fuzzy message's old English (``#| msgid "…"``) as a translator's
    comment ("| msgid …"), which it would then write back as ``# | msgid``, once more on every merge: here it becomes
    the message's previous id again (kept while the message is fuzzy, dropped by ``update`` once it is not)."""
    from babel.messages.pofile import read_po, unescape

    with open(path, "rb") as f:
        catalog = read_po(f)
    for m in catalog:
        old = [c for c in m.user_comments if c.startswith("| msgid ")]
        if old:
            m.previous_id = [unescape(old[0].removeprefix("| msgid "))]
            m.user_comments = [c for c in m.user_comments if not c.startswith("|")]
    return catalog


def needs_work(po: Path, root: Path = ROOT) -> list[str]:
    """'po:line: new|fuzzy (source file:line): msgid' for each message of ``po`` with no usable translation."""
    rel = po.relative_to(root).as_posix() if po.is_relative_to(root) else str(po)
    found = []
    for m in _read(po):
        if not m.id or (m.string and not m.fuzzy):
            continue
        kind = "fuzzy" if m.fuzzy else "new"
        source = f"{m.locations[0][0]}:{m.locations[0][1]}" if m.locations else "?"
        first = m.id if isinstance(m.id, str) else m.id[0]
        short = first if len(first) <= 70 else first[:67] + "..."
        found.append(f"{rel}:{m.lineno}: {kind} (source {source}): {short!r}")
    return found


UNWRAPPED = 10**6  # write_po's width: no line of a catalogue is wrapped, comments included (see update)


def update(pot_dir: Path, language: str, root: Path = ROOT) -> list[str]:
    """Merge every template of pot_dir into locale/<language> as sphinx-intl does (Babel's update: a changed message
    becomes fuzzy with its old translation), but write a catalogue only when its messages changed, keep its order
    (new messages last) and its header date. Returns the messages that need a translator (see needs_work)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    out = root / "locale" / language / "LC_MESSAGES"
    changed = []
    for pot in sorted(Path(pot_dir).rglob("*.pot")):
        po = out / pot.relative_to(pot_dir).with_suffix(".po")
        template = _read(pot)
        if po.is_file():
            catalog = _read(po)
            before = [(str(m.id), m.context) for m in catalog if m.id]  # a message is its text and its context
            places = {(str(m.id), m.context): m.locations for m in catalog if m.id}
            catalog.update(template, update_creation_date=False)
            if {(str(m.id), m.context) for m in catalog if m.id} == set(before):
                continue  # the same messages: the file stays as it is, byte for byte
            for m in catalog:  # an unchanged message keeps its lines too, so the diff shows only what changed
                if m.id and not m.fuzzy and (str(m.id), m.context) in places:
                    m.locations = places[(str(m.id), m.context)]
            order = {key: n for n, key in enumerate(before)}
            kept = sorted(catalog._messages.items(),
                          key=lambda kv: order.get((str(kv[1].id), kv[1].context), len(order)))
            catalog._messages.clear()
            catalog._messages.update(kept)
        else:
            catalog = Catalog(locale=language, domain=template.domain, project=template.project)
            catalog.update(template)
        for m in catalog:  # a translated message keeps no old English
            if m.id and not m.fuzzy:
                m.previous_id = []
        po.parent.mkdir(parents=True, exist_ok=True)
        with open(po, "wb") as f:
            # A fuzzy message shows its old English (#| msgid). Babel wraps comments at 76 columns when width is 0,
            # and reads a wrapped "#|" line back as a translator's comment, which then piled up in the catalogues;
            # so no wrapping at all (messages are written exactly as with width=0: tested in test_translations).
            write_po(f, catalog, width=UNWRAPPED, include_previous=True)
        changed.append(po.relative_to(root).as_posix())
    for name in changed:
        print(f"updated {name}")
    return [line for p in sorted(out.rglob("*.po")) for line in needs_work(p, root)]


def check_facelab(language: str = "zh_CN", root: Path = ROOT) -> list[str]:
    """facelab's messages with no translation in locale/<language>/LC_MESSAGES/facelab.po, as 'file:line: ...'."""
    po = root / "locale" / language / "LC_MESSAGES" / "facelab.po"
    done = {}
    if po.is_file():
        done = {(m.context, m.id): m for m in _read(po) if m.id}
    problems = []
    for (context, message), places in sorted(facelab_messages(root).items(), key=lambda kv: kv[1][0]):
        m = done.get((context, message))
        if m is not None and m.string and not m.fuzzy:
            continue
        kind = "fuzzy" if m is not None and m.fuzzy else "untranslated" if m is not None else "new or changed"
        file, line = places[0]
        problems.append(f"{file}:{line}: {kind} label {message!r}: translate it in "
                        f"{po.relative_to(root).as_posix()} (run `make gettext` first if it is new)")
    return problems


# -- In the builds: every translated build names what its catalogues lack ---------------------------------------------


def draft() -> bool:
    """``DRAFT=1``: a translated build shows English where a translation is missing, marked, instead of failing."""
    return os.environ.get("DRAFT", "") not in ("", "0")


def _report(logger, text: str, location) -> None:
    """One behaviour for every kind of text: a warning (an error under -W), or with DRAFT=1 a note."""
    if draft():
        logger.info("DRAFT: %s", text, location=location)
    else:
        logger.warning("%s", text, location=location, type="i18n", subtype="untranslated")


_PAGE_CATALOGUES: dict = {}


def _page_catalogue(app, docname: str) -> tuple[Path, dict]:
    """The page's catalogue and its messages, msgid -> Message (read again only when the file changes)."""
    from sphinx.util.i18n import docname_to_domain

    cache = _PAGE_CATALOGUES  # per process, not in the environment (Sphinx pickles that)
    lang = app.config.language
    po = Path(app.srcdir) / app.config.locale_dirs[0] / lang / "LC_MESSAGES" / (
        docname_to_domain(docname, app.config.gettext_compact) + ".po")
    stamp = po.stat().st_mtime if po.is_file() else 0
    if cache.get(po, (None,))[0] != stamp:
        cache[po] = (stamp, {m.id: m for m in _read(po) if m.id} if po.is_file() else {})
    return po, cache[po][1]


def _page_messages_transform():
    from sphinx.transforms import SphinxTransform
    from sphinx.util import logging
    from sphinx.util.nodes import extract_messages, get_node_line

    logger = logging.getLogger(__name__)

    class PageMessages(SphinxTransform):
        """Before Sphinx translates a page: name each of its messages with no usable translation, at its line."""

        default_priority = 19  # Sphinx's Locale transform is 20

        def apply(self, **kwargs) -> None:
            if _english(self.config.language) or self.app.builder.name == "gettext":
                return
            docname = self.env.current_document.docname
            po, known = _page_catalogue(self.app, docname)
            rel = po.relative_to(Path(self.app.srcdir)).as_posix()
            source = Path(self.env.doc2path(docname)).read_text(encoding="utf-8")
            for node, msg in extract_messages(self.document):
                m = known.get(msg)
                if m is not None and m.string and not m.fuzzy:
                    continue
                if msg.split("\n", 1)[0][:40] not in source:
                    continue  # written by the code, already in the build's language (_ext/i18n/translations.py checks it)
                kind = ("fuzzy: the English changed; check the translation and delete its `#, fuzzy` line" if m
                        is not None and m.fuzzy else "untranslated" if m is not None else
                        "new or changed: run `make gettext`, then translate it")
                short = msg if len(msg) <= 70 else msg[:67] + "..."
                line = get_node_line(node) if node.line is None else node.line
                _report(logger, f"{kind} ({rel}): {short!r}", (docname, line))

    return PageMessages


def _english(language: str | None) -> bool:
    return (language or "en").lower().replace("-", "_").split("_")[0] in ("en", "c")


def _facelab(app) -> None:
    """The labels facelab draws (diagrams and figures): named once per build, with their file and line in facelab/."""
    if _english(app.config.language) or app.builder.name == "gettext":
        return
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    from facelab.i18n import normalise

    for problem in check_facelab(normalise(app.config.language), Path(app.srcdir)):
        where, _, text = problem.partition(": ")
        _report(logger, text, where)


def _draft_settings(app, config) -> None:
    if draft() and not _english(config.language):
        config.translation_progress_classes = "untranslated"
        config.html_css_files = [*config.html_css_files, "draft.css"]


def setup(app):
    app.add_transform(_page_messages_transform())
    app.connect("config-inited", _draft_settings)
    app.connect("builder-inited", _facelab)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
