"""matplotlib is imported only when a page that draws a figure is read.

Importing matplotlib's pyplot takes about 0.5 CPU seconds, a quarter of a rebuild after a one-page edit, and such a
rebuild rarely reads a page with a figure. Two extensions imported it at start-up:

- ``matplotlib.sphinxext.plot_directive`` imports pyplot when Sphinx loads it. This extension registers the same
  directive, configuration values and events as the plot directive's own ``setup`` (matplotlib 3.11), and imports the
  real module on the first ``plot`` directive it meets; from then on the real code does all the work, so the figures
  are byte-for-byte the same. conf.py lists this extension instead of the plot directive.
- sphinxext-opengraph 0.13 imports its social-card module (which imports pyplot) even when social cards are off, as
  they are here (conf.py, ``ogp_social_cards``). Its module is replaced, before the extension loads, by an empty one
  saying "no social cards", which is the extension's own fallback when matplotlib is missing. This extension must
  therefore come before ``sphinxext.opengraph`` in conf.py's list; setup() checks it.

The figures themselves are kept between builds, by content: drawing the three figures took 1.7 CPU seconds of every
full build (and, with matplotlib's import, 2.5 of the student edition's 12), and a build into a fresh folder drew
them again, while the plot directive's own reuse (a PNG newer than its script, in the doctrees' neighbour folder)
missed a change in the code the script imports. Here ``render_figures`` first looks in ``_build/.plot-cache/``
under a key made of everything a figure is drawn from: the script's code and options, the plot settings of conf.py,
matplotlib's and NumPy's versions, the figure's language and CJK font (``FACELAB_LANG``, ``FACELAB_CJK_FONT``, set
by conf.py), and every Python file of the package the script lives in (``facelab/``) with that package's message
catalogues (``locale/*/LC_MESSAGES/facelab.po``). A hit copies the PNG files it drew before, byte for byte; a miss
draws and stores them. A script that runs in a shared context (``:context:``) is always drawn.

If matplotlib's plot directive gains a configuration value, conf.py setting it fails loudly ("unknown config value"),
and the list below needs the new name.

Upstream: ``matplotlib.sphinxext.plot_directive.setup`` of matplotlib 3.11.2 and the eager import of
``sphinxext.opengraph._social_cards`` in sphinxext-opengraph 0.13.0 (no upstream issue for either; opengraph's
issue #145, a proposal for custom card makers, would also leave the matplotlib card maker unimported). Written for the versions in ``WRITTEN_FOR``; with any other, setup()
loads matplotlib's own plot directive instead (and opengraph imports what it imports) and says so in one line
(_ext/patches/upstream.py).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import sys
import types
from collections import defaultdict
from pathlib import Path

from docutils.parsers.rst import Directive
from sphinx.environment.collectors import EnvironmentCollector
from patches.upstream import fits

WRITTEN_FOR = {"matplotlib": ("3.11.2",), "sphinxext-opengraph": ("0.13.0",)}

REAL = "matplotlib.sphinxext.plot_directive"
# The configuration values of matplotlib's plot directive, with its defaults (plot_directive.setup).
CONFIG = {
    "plot_pre_code": None,
    "plot_include_source": False,
    "plot_html_show_source_link": True,
    "plot_formats": ["png", "hires.png", "pdf"],
    "plot_basedir": None,
    "plot_html_show_formats": True,
    "plot_rcparams": {},
    "plot_apply_rcparams": False,
    "plot_working_directory": None,
    "plot_template": None,
    "plot_srcset": [],
}
_app = None

# sphinxext-opengraph's fallback without matplotlib: no default card settings and no card maker.
_cards = types.ModuleType("sphinxext.opengraph._social_cards", "Social cards are off (see _ext/patches/lazy_matplotlib.py).")
_cards.DEFAULT_SOCIAL_CONFIG, _cards.create_social_card = {}, None


def real():
    """The plot directive's module, imported (and given the app, as its own setup would) on first use."""
    if REAL not in sys.modules:
        import importlib

        module = importlib.import_module(REAL)
        module.setup.app, module.setup.config, module.setup.confdir = _app, _app.config, _app.confdir
        module.render_figures = cached_render_figures(module.render_figures, module.ImageFile)
    return sys.modules[REAL]


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"


def _package_digest(srcdir: Path, code_path: str) -> str:
    """Every Python file of the top-level folder that holds the script (facelab/), and that package's catalogues."""
    try:
        package = Path(code_path).resolve().relative_to(srcdir).parts[0]
    except (ValueError, IndexError):
        return "-"
    files = sorted((srcdir / package).rglob("*.py")) + sorted(srcdir.glob(f"locale/*/LC_MESSAGES/{package}.po"))
    return hashlib.sha256("".join(f"{f.relative_to(srcdir)}\0{_file_digest(f)}\0" for f in files
                                  if "__pycache__" not in f.parts).encode()).hexdigest()


def plot_key(code, code_path, output_base, function_name, config) -> str:
    import matplotlib
    import numpy

    srcdir = Path(_app.srcdir).resolve()
    settings = {name: repr(getattr(config, name)) for name in CONFIG}
    font = os.environ.get("FACELAB_CJK_FONT", "")
    parts = [code, os.path.relpath(code_path, srcdir) if code_path else "", output_base, function_name, settings,
             matplotlib.__version__, numpy.__version__, os.environ.get("FACELAB_LANG", ""),
             _file_digest(Path(font)) if font else "", _package_digest(srcdir, code_path or ""),
             hashlib.sha256(Path(__file__).read_bytes()).hexdigest()]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=repr).encode()).hexdigest()


def cached_render_figures(render_figures, image_file):
    """render_figures (matplotlib 3.11.2) with a content-keyed cache of its images: see the module docstring."""

    def cached(code, code_path, output_dir, output_base, context, function_name, config, context_reset=False,
               close_figs=False, code_includes=None):
        draw = lambda: render_figures(code, code_path, output_dir, output_base, context, function_name, config,  # noqa: E731
                                      context_reset=context_reset, close_figs=close_figs, code_includes=code_includes)
        if context:
            return draw()
        folder = Path(_app.srcdir) / "_build" / ".plot-cache" / plot_key(code, code_path, output_base, function_name,
                                                                          config)
        index = folder / "figures.json"
        if index.is_file():
            results = []
            for piece, images in json.loads(index.read_text(encoding="utf-8")):
                found = []
                for basename, formats in images:
                    img = image_file(basename, output_dir)
                    for fmt in formats:
                        shutil.copyfile(folder / f"{basename}.{fmt}", img.filename(fmt))
                    img.formats.extend(formats)
                    found.append(img)
                results.append((piece, found))
            return results
        results = draw()
        # Written whole or not at all: builds side by side (the tests' editions) may draw the same figure.
        partial = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for _, images in results:
            for img in images:
                for fmt in img.formats:
                    shutil.copyfile(img.filename(fmt), partial / f"{img.basename}.{fmt}")
        (partial / "figures.json").write_text(json.dumps([[piece, [[img.basename, img.formats] for img in images]]
                                                          for piece, images in results]), encoding="utf-8")
        try:
            partial.rename(folder)
        except OSError:  # another build stored the same figures first
            shutil.rmtree(partial, ignore_errors=True)
        return results

    return cached


class _Lazy(type(Directive)):
    """Class attributes (option_spec and the argument counts, read before a directive is made) and instances come
    from the real directive class."""

    option_spec = property(lambda cls: real().PlotDirective.option_spec)
    has_content = property(lambda cls: real().PlotDirective.has_content)
    required_arguments = property(lambda cls: real().PlotDirective.required_arguments)
    optional_arguments = property(lambda cls: real().PlotDirective.optional_arguments)
    final_argument_whitespace = property(lambda cls: real().PlotDirective.final_argument_whitespace)

    def __call__(cls, *args, **kwargs):
        return real().PlotDirective(*args, **kwargs)


class PlotDirective(Directive, metaclass=_Lazy):
    """Stands in for matplotlib's PlotDirective until a page uses it."""


def mark_plot_labels(app, document):
    if REAL in sys.modules:  # only a page that ran a plot directive (which imports the module) has plot figures
        sys.modules[REAL].mark_plot_labels(app, document)


def copy_css(app, exc):
    if REAL in sys.modules:
        sys.modules[REAL]._copy_css_file(app, exc)
    elif exc is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / "plot_directive.css"
        if not target.exists():
            data = Path(importlib.util.find_spec("matplotlib").origin).parent / "mpl-data"
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(data / "plot_directive" / "plot_directive.css", target)


def init_filename_registry(app):
    if not hasattr(app.builder.env, "mpl_plot_image_basenames"):
        app.builder.env.mpl_plot_image_basenames = defaultdict(set)


class FilenameCollector(EnvironmentCollector):
    """The plot directive's record of image names per page (its _FilenameCollector)."""

    def process_doc(self, app, doctree):
        pass

    def clear_doc(self, app, env, docname):
        env.mpl_plot_image_basenames.pop(docname, None)

    def merge_other(self, app, env, docnames, other):
        for docname in other.mpl_plot_image_basenames:
            env.mpl_plot_image_basenames[docname].update(other.mpl_plot_image_basenames[docname])


def setup(app):
    global _app
    _app = app
    if "sphinxext.opengraph" in app.extensions:
        raise RuntimeError("conf.py: list lazy_matplotlib before sphinxext.opengraph (see _ext/patches/lazy_matplotlib.py)")
    if not fits("lazy_matplotlib", WRITTEN_FOR):
        app.setup_extension(REAL)
        return {"parallel_read_safe": True, "parallel_write_safe": True}
    sys.modules.setdefault(_cards.__name__, _cards)
    app.add_directive("plot", PlotDirective)
    for name, default in CONFIG.items():
        app.add_config_value(name, default, "env")
    app.connect("doctree-read", mark_plot_labels)
    app.add_css_file("plot_directive.css")
    app.connect("build-finished", copy_css)
    app.connect("builder-inited", init_filename_registry)
    app.add_env_collector(FilenameCollector)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
