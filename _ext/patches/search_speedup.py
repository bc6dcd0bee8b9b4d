"""Each word is stemmed once per build for the search index, not once per page it appears on.

Sphinx's ``IndexBuilder.feed`` memoises the stemmer only within one page (a cache made afresh in each call), so a word
that appears on every page is stemmed again on every page. The stemmer is snowballstemmer's pure-Python English one
(used for the English words of the Chinese edition too): about 20,000 calls in the student edition and 30,000 in the
instructor edition, 8 % of a full build's time under cProfile, for a few thousand distinct words.

A stem depends only on the stemmer's algorithm and the word (``stemWord`` sets its buffer from the word, runs the
algorithm, returns the buffer), so ``BaseStemmer.stemWord`` is memoised for the life of the process, keyed on the
stemmer's class and the word: the same words, the same stems, the same searchindex.js (byte for byte; checked by
diffing a build of each edition before and after). Sphinx's own checks around the stem (the Chinese edition keeps a
short stem's Latin word whole) still run on every call.

Upstream: ``IndexBuilder.feed`` in Sphinx 9.0.4 and ``BaseStemmer.stemWord`` in snowballstemmer 3.1.1 (no upstream
issue is filed, as of December 2026). Written for the versions in ``WRITTEN_FOR``; with any other, setup() leaves
both as they are and says so in one line (_ext/patches/upstream.py).
"""

from __future__ import annotations

from snowballstemmer.basestemmer import BaseStemmer
from patches.upstream import fits

WRITTEN_FOR = {"sphinx": ("9.0.4",), "snowballstemmer": ("3.1.1",)}

_stem_word = BaseStemmer.stemWord
_STEMS: dict[tuple[type, str], str] = {}  # (stemmer class, word) -> stem


def stem_word(self, word):
    """BaseStemmer.stemWord, computed once per stemmer class and word."""
    key = (type(self), word)
    try:
        return _STEMS[key]
    except KeyError:
        stem = _STEMS[key] = _stem_word(self, word)
        return stem


def setup(app):
    if fits("search_speedup", WRITTEN_FOR):
        BaseStemmer.stemWord = stem_word
    return {"parallel_read_safe": True, "parallel_write_safe": True}
