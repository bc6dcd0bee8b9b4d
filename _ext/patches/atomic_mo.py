"""A catalogue that one build is compiling is never read half-written by another.

Sphinx compiles a language's catalogues (.po to .mo) when a build starts and the .mo is older than its .po: the
theme's (sphinx.mo) in ``Sphinx._init_i18n``, the pages' in ``Builder.compile_catalogs``, and whose-face.mo through
_ext/i18n/translations.py, all with ``CatalogInfo.write_mo``, which truncates the .mo and writes it in place. Two builds
of one language started together (``make check``'s ``make -j2``, the tests' two Chinese editions, a fresh clone) race:
the second sees a .mo newer than its .po, so up to date, while the first is still writing it, reads it short, and
builds without those translations. Seen once in CI (7 December 2026, a fresh clone): the Chinese student edition had
furo's English ("Menu", "Back to top") on every page; the instructor edition, built beside it, was right.

Here ``write_mo`` writes the same bytes to a file of its own beside the .mo and renames it over the .mo (os.replace:
atomic on POSIX and Windows), so a reader finds no .mo, the old one or the new one, never a part. The .mo's time is
still after its .po's, as ``is_outdated`` expects. (The quiz catalogue is compiled the same way by its own reader,
_ext/teaching/quiz_source.py.)

Upstream: ``CatalogInfo.write_mo`` in Sphinx 9.0.4 (sphinx/util/i18n.py); no upstream issue is filed, as of December
2026. The theme's catalogue is compiled before any extension is set up, so this is no extension: conf.py calls
``apply`` as it is read, once per build.
"""

from __future__ import annotations

import os

from babel.messages.mofile import write_mo as babel_write_mo
from babel.messages.pofile import read_po
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.i18n import CatalogInfo

from patches.upstream import fits

logger = logging.getLogger("sphinx.util.i18n")  # upstream's warnings, under upstream's name
WRITTEN_FOR = {"sphinx": ("9.0.4",)}

_write_mo = CatalogInfo.write_mo


def write_mo(self, locale: str, use_fuzzy: bool = False) -> None:
    """CatalogInfo.write_mo (the same reading, writing and warnings), written into a file of this process's own beside
    the .mo, then renamed over it."""
    with open(self.po_path, encoding=self.charset) as file_po:
        try:
            po = read_po(file_po, locale)
        except Exception as exc:
            logger.warning(__("reading error: %s, %s"), self.po_path, exc, type="i18n", subtype="not_readable")
            return
    part = f"{self.mo_path}.{os.getpid()}.part"
    try:
        with open(part, "wb") as file_mo:
            babel_write_mo(file_mo, po, use_fuzzy)
        os.replace(part, self.mo_path)
    except Exception as exc:
        logger.warning(__("writing error: %s, %s"), self.mo_path, exc, type="i18n", subtype="not_writeable")
        if os.path.exists(part):
            os.remove(part)


def apply() -> None:
    if fits("atomic_mo", WRITTEN_FOR) and CatalogInfo.write_mo is _write_mo:
        CatalogInfo.write_mo = write_mo
