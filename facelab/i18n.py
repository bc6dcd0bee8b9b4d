"""The labels facelab draws, in the reader's language: the standard library's ``gettext``, domain ``facelab``.

The model and the figures are written in English. Every text they show goes through :func:`text` (``_t`` in the
modules), which looks it up in the catalogue of the chosen language:

- in the wheel, ``facelab/locale/<lang>/LC_MESSAGES/facelab.mo`` (compiled when the wheel is built: setup.py);
- in a checkout of the repository, ``locale/<lang>/LC_MESSAGES/facelab.po`` (read directly, so an edit shows at once).

Choose the language with ``facelab.set_language("zh_CN")`` (or the ``FACELAB_LANG`` environment variable, which the
module's Chinese build sets), or per call with ``lang=``. A text with no translation comes out in English and is
passed to :data:`on_missing` (the module's Chinese build names it there, with the page that shows it). The messages are
extracted by ``make gettext`` (scripts/translations.py): literals in ``_t(...)``/``N_(...)`` calls and every text the
diagrams of :mod:`facelab.diagrams` show. Small pieces of punctuation are messages too (with a context), so no
language is written into the code.
"""

from __future__ import annotations

import contextlib
import gettext
import io
import os
from pathlib import Path
from typing import Callable

DOMAIN = "facelab"
PACKAGE_LOCALE = Path(__file__).resolve().parent / "locale"  # the wheel's compiled catalogues
SOURCE_LOCALE = Path(__file__).resolve().parents[1] / "locale"  # a checkout: the .po files themselves

#: Called as ``on_missing(message, language)`` for a text with no translation (then shown in English).
on_missing: Callable[[str, str], None] | None = None

_language: str | None = None
_recording: list[set[str]] = []
_cache: dict[tuple[str, float], gettext.NullTranslations] = {}


def normalise(lang: str | None) -> str:
    """'en', or a catalogue's folder name: 'zh', 'zh-Hans', 'zh_CN' -> 'zh_CN'; 'xx' stays 'xx'."""
    lang = (lang or "en").replace("-", "_")
    if lang.lower() in ("", "en", "c") or lang.lower().startswith("en_"):
        return "en"
    if lang.lower().startswith("zh"):
        return "zh_CN"
    return lang


def set_language(lang: str | None) -> None:
    """Draw every later label in ``lang`` ("zh_CN", "en"; None: back to ``FACELAB_LANG`` or English)."""
    global _language
    _language = None if lang is None else normalise(lang)


def get_language() -> str:
    """The language labels are drawn in now."""
    return _language or normalise(os.environ.get("FACELAB_LANG"))


def catalogue_file(lang: str) -> Path | None:
    """The catalogue that translates ``lang``: the checkout's .po, else the wheel's .mo (None: there is none)."""
    for path in (SOURCE_LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po",
                 PACKAGE_LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"):
        if path.is_file():
            return path
    return None


def translation(lang: str | None = None) -> gettext.NullTranslations:
    """The translations of ``lang`` (English, or no catalogue: every text as it is)."""
    lang = normalise(lang) if lang else get_language()
    path = None if lang == "en" else catalogue_file(lang)
    if path is None:
        return gettext.NullTranslations()
    key = (str(path), path.stat().st_mtime)
    if key not in _cache:
        if path.suffix == ".po":
            from babel.messages.mofile import write_mo  # a checkout builds with the project's .venv (Babel)
            from babel.messages.pofile import read_po

            with open(path, "rb") as f:
                catalog = read_po(f)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)  # fuzzy messages are left out, as msgfmt does
            buffer.seek(0)
            _cache[key] = gettext.GNUTranslations(buffer)
        else:
            with open(path, "rb") as f:
                _cache[key] = gettext.GNUTranslations(f)
    return _cache[key]


def N_(message: str) -> str:
    """Mark a literal for extraction where it is written; translate it later with :func:`text`."""
    return message


def text(message: str, lang: str | None = None, context: str | None = None) -> str:
    """``message`` in ``lang`` (default: :func:`get_language`); with no translation, the message itself."""
    for seen in _recording:
        seen.add(message if context is None else f"{context}\x04{message}")
    lang = normalise(lang) if lang else get_language()
    if lang == "en":
        return message
    tr = translation(lang)
    result = tr.pgettext(context, message) if context is not None else tr.gettext(message)
    if on_missing is not None and not _has(tr, message, context):
        on_missing(message, lang)
    return result


def _has(tr: gettext.NullTranslations, message: str, context: str | None) -> bool:
    catalog = getattr(tr, "_catalog", {})
    return (message if context is None else f"{context}\x04{message}") in catalog


@contextlib.contextmanager
def recording():
    """Collect every message looked up inside the block (scripts/translations.py extracts the diagrams' texts so)."""
    seen: set[str] = set()
    _recording.append(seen)
    try:
        yield seen
    finally:
        _recording.remove(seen)
