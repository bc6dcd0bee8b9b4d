"""Two caches that make sphinxcontrib-bibtex fast enough for a quick rebuild.

sphinxcontrib-bibtex formats every bibliography entry on every build, even an incremental one, and with tooltips on
it formats each entry twice. Profiling (cProfile, then pyinstrument) showed two hot spots in pybtex:

- ``pybtex.plugin._load_entry_point`` looks up style and backend classes through ``importlib.metadata`` on every
  call, once per citation: 6 of a 25-second full build. The answer never changes during a build.
- ``Text.from_latex`` decodes each field with latexcodec: 0.3 s of a 2.4-second incremental rebuild, for 776 calls
  on only 292 distinct strings. pybtex's rich-text objects are never changed after they are made (their parts are
  set only in ``__init__``), so one parsed object can safely serve every call with the same string.

Both are plain memoisation of pure functions: the output HTML is byte-for-byte the same (checked by diffing two
builds). Failed look-ups raise, and exceptions are not cached.

A third cache lasts between builds. After a one-page edit, formatting every entry again (``BaseStyle.format_entry``,
twice per entry with tooltips) was the largest single cost of the rebuild: 0.5 of 2.7 CPU seconds. The result
depends only on the style's classes, the label and the entry's type, fields and names, so it is kept in the build
environment (which Sphinx saves between builds) under exactly that key; an edited entry has a new key and is
formatted again. tests/test_faults.py checks that an edited bib entry shows its new text after a rebuild.

Upstream: pybtex 0.26.1's ``_load_entry_point`` and ``Text.from_latex`` and ``BaseStyle.format_entry`` as
sphinxcontrib-bibtex 2.7.0 calls them (no upstream issue is filed, as of December 2026). Written for the versions in
``WRITTEN_FOR``; with any other, setup() leaves pybtex as it is and says so in one line (_ext/patches/upstream.py).
"""

from __future__ import annotations

import functools

import pybtex.plugin
import pybtex.richtext
from pybtex.style.formatting import BaseStyle
from patches.upstream import fits

WRITTEN_FOR = {"pybtex": ("0.26.1",), "sphinxcontrib-bibtex": ("2.7.0",)}

_format_entry = BaseStyle.format_entry
_FORMATTED: dict = {}  # (style, label, entry) fingerprint -> FormattedEntry; the environment keeps it between builds


def _cached(func):
    return func if hasattr(func, "cache_info") else functools.lru_cache(maxsize=None)(func)


def _fingerprint(style, label, entry) -> tuple:
    return (
        type(style).__module__, type(style).__qualname__, type(style.name_style).__qualname__,
        type(style.label_style).__qualname__, style.abbreviate_names, label, entry.key, entry.type,
        tuple(entry.fields.items()), tuple((role, tuple(map(str, people))) for role, people in entry.persons.items()),
    )


def _format_entry_cached(self, label, entry, bib_data=None):
    if bib_data is not None:  # cross-references: the result depends on more than the entry
        return _format_entry(self, label, entry, bib_data=bib_data)
    key = _fingerprint(self, label, entry)
    if key not in _FORMATTED:
        _FORMATTED[key] = _format_entry(self, label, entry)
    return _FORMATTED[key]


def _restore(app, env, docnames):
    """Before reading: reuse the formatted entries of the last build, and hand the cache to the environment."""
    global _FORMATTED
    _FORMATTED = getattr(env, "bibtex_formatted_entries", None) or {}
    env.bibtex_formatted_entries = _FORMATTED


def setup(app):
    if not fits("bibtex_speedup", WRITTEN_FOR):
        return {"parallel_read_safe": True, "parallel_write_safe": True}
    pybtex.plugin._load_entry_point = _cached(pybtex.plugin._load_entry_point)
    text = pybtex.richtext.Text
    text.from_latex = classmethod(_cached(text.from_latex.__func__))
    BaseStyle.format_entry = _format_entry_cached
    app.connect("env-before-read-docs", _restore)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
