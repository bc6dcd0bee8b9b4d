"""Two caches that make MyST-Parser fast enough for the translated edition.

``myst_parser.mdit_to_docutils.base.make_document`` builds docutils' default settings from scratch (an optparse
parser with every docutils option) on each call, and MyST calls it once per rendered text, even where the caller
passes its own document (``options.get("document", make_document())`` evaluates the default first). A Chinese build
renders every translated message on its own: about 2,200 calls, 5 of its 32 CPU seconds (cProfile).

The defaults never change during a build, so they are made once per parser class; each document still gets its
own copy (``copy.copy``), so no document can change another's settings.

Likewise ``MystParser.parse`` builds a new markdown-it parser and renderer (36 rules, every render method looked up)
for each text it parses: another 1 s of a Chinese build. Here a parser is taken from a pool kept for the build's
MyST configuration, and put back after its render; a parse that starts while another is rendering (a directive that
parses a document of its own) takes another parser, so no two renders share one. The renderer resets its state at
the start of each render. A page with its own front matter (a configuration of its own) gets a new parser, as before.

The output HTML is byte-for-byte the same (checked by diffing two builds of each edition).

Upstream: the behaviour of ``make_document`` and ``MystParser.parse`` in myst-parser 5.2.0 (no upstream issue is
filed for either, as of December 2026). Written for the versions in ``WRITTEN_FOR``; with any other, setup() leaves
MyST as it is and says so in one line (_ext/patches/upstream.py).
"""

from __future__ import annotations

import copy
import functools

from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RSTParser
from docutils.utils import new_document
import myst_parser.mdit_to_docutils.base as myst_base
from myst_parser.config.main import TopmatterReadError, read_topmatter
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from patches.upstream import fits

WRITTEN_FOR = {"myst-parser": ("5.2.0",), "docutils": ("0.22.4",)}


@functools.lru_cache(maxsize=None)
def _defaults(parser_cls):
    return get_default_settings(parser_cls)


def make_document(source_path="notset", parser_cls=RSTParser):
    """MyST's make_document, with the default settings made once and copied."""
    return new_document(source_path, settings=copy.copy(_defaults(parser_cls)))


_myst_parse = MystParser.parse
_pools: dict[int, tuple[object, list]] = {}  # id(configuration) -> (the configuration, its idle parsers)


def parse(self, inputstring: str, document) -> None:
    """MystParser.parse, with the markdown-it parser taken from a pool (see above)."""
    config = document.settings.env.myst_config
    try:
        topmatter = read_topmatter(inputstring)
    except TopmatterReadError:
        topmatter = True  # MyST reports it: its own path
    if topmatter:
        return _myst_parse(self, inputstring, document)
    kept, idle = _pools.get(id(config), (None, None))
    if kept is not config:  # a new build's configuration
        idle = []
        _pools.clear()
        _pools[id(config)] = (config, idle)
    parser = idle.pop() if idle else create_md_parser(config, SphinxRenderer)
    try:
        parser.options["document"] = document
        parser.render(inputstring)
    finally:
        parser.options["document"] = None
        idle.append(parser)


def setup(app):
    if fits("myst_speedup", WRITTEN_FOR):
        myst_base.make_document = make_document
        MystParser.parse = parse
    return {"parallel_read_safe": True, "parallel_write_safe": True}
