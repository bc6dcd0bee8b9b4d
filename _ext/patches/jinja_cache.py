"""The page templates are compiled once, not in every build.

Sphinx renders every page through Jinja templates (furo's and _templates/), and each sphinx-build process compiles
them from their source again: 25 templates, about a tenth of a rebuild after a one-page edit (cProfile). Jinja's own
bytecode cache keeps each compiled template in a file, keyed on the template's name and path and checked against a
hash of its source (a changed template is compiled again) and Jinja's and Python's versions. Sphinx creates its
template environment without one; this extension gives it one, in ``_build/.jinja-cache/<builder>/``, after the
builder has made it. The compiled code is what Jinja would compile anyway, so every page is byte for byte the same.

Builders whose templates differ in set-up (with or without Jinja's i18n extension, which Sphinx adds only for some)
each get their own folder, so no compiled template is shared between environments that would compile it
differently.

Upstream: ``BuiltinTemplateLoader.init`` in Sphinx 9.0.4 and ``FileSystemBytecodeCache`` in Jinja 3.1.6 (no
upstream issue is filed, as of December 2026). Written for the versions in ``WRITTEN_FOR``; with any other, setup()
leaves Sphinx as it is and says so in one line (_ext/patches/upstream.py).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from sphinx.jinja2glue import BuiltinTemplateLoader
from patches.upstream import fits

WRITTEN_FOR = {"sphinx": ("9.0.4",), "jinja2": ("3.1.6",)}


def add_cache(app) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if not isinstance(templates, BuiltinTemplateLoader) or environment is None:
        return
    i18n = "i18n" if "jinja2.ext.InternationalizationExtension" in environment.extensions else "plain"
    folder = Path(app.srcdir) / "_build" / ".jinja-cache" / f"{app.builder.name}-{i18n}"
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app):
    if fits("jinja_cache", WRITTEN_FOR):
        app.connect("builder-inited", add_cache)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
