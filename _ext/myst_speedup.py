"""One cache that makes MyST-Parser fast enough for the translated edition.

``myst_parser.mdit_to_docutils.base.make_document`` builds docutils' default settings from scratch (an optparse
parser with every docutils option) on each call, and MyST calls it once per rendered text, even where the caller
passes its own document (``options.get("document", make_document())`` evaluates the default first). A Chinese build
renders every translated message on its own: about 2,200 calls, 5 of its 32 CPU seconds (cProfile).

The defaults never change during a build, so they are made once per parser class; each document still gets its
own copy (``copy.copy``), so no document can change another's settings. The output HTML is byte-for-byte the same
(checked by diffing two builds of each edition).
"""

from __future__ import annotations

import copy
import functools

from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RSTParser
from docutils.utils import new_document
import myst_parser.mdit_to_docutils.base as myst_base


@functools.lru_cache(maxsize=None)
def _defaults(parser_cls):
    return get_default_settings(parser_cls)


def make_document(source_path="notset", parser_cls=RSTParser):
    """MyST's make_document, with the default settings made once and copied."""
    return new_document(source_path, settings=copy.copy(_defaults(parser_cls)))


def setup(app):
    myst_base.make_document = make_document
    return {"parallel_read_safe": True, "parallel_write_safe": True}
