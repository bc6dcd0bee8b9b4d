"""The upstream patches know their limits (issue #30, _ext/patches/upstream.py): each names the versions it was written
against, and when an installed version moves it stays off with a one-line notice instead of patching blind."""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from patches import upstream  # noqa: E402


class FakeApp:
    """What the patches' setup() touches when they turn themselves off."""

    extensions: dict = {}

    def __init__(self):
        self.loaded = []

    def setup_extension(self, name):
        self.loaded.append(name)


PATCHES = ["myst_speedup", "bibtex_speedup", "lazy_matplotlib", "search_speedup", "jinja_cache", "atomic_mo"]


@pytest.mark.parametrize("patch", PATCHES)
def test_each_patch_matches_the_installed_versions(patch):
    """Today's environment is the one the patches were written for (else the builds run unpatched, and slower)."""
    module = importlib.import_module(f"patches.{patch}")
    assert all(upstream.installed(p) in v for p, v in module.WRITTEN_FOR.items()), module.WRITTEN_FOR


@pytest.mark.parametrize("patch", PATCHES)
def test_a_moved_version_turns_the_patch_off_with_a_notice(patch, monkeypatch, caplog):
    module = importlib.import_module(f"patches.{patch}")
    package = next(iter(module.WRITTEN_FOR))
    monkeypatch.setattr(upstream, "installed", lambda name: "99.0" if name == package else upstream.version(name))
    if patch == "myst_speedup":
        from myst_parser.parsers.sphinx_ import MystParser
        before = MystParser.parse
    if patch == "bibtex_speedup":
        from pybtex.style.formatting import BaseStyle
        before = BaseStyle.format_entry
    if patch == "search_speedup":
        from snowballstemmer.basestemmer import BaseStemmer
        before = BaseStemmer.stemWord
    if patch == "atomic_mo":
        from sphinx.util.i18n import CatalogInfo
        before = CatalogInfo.write_mo
    app = FakeApp()  # it has no connect(): a patch that is off connects nothing (jinja_cache)
    with caplog.at_level(logging.INFO):
        if patch == "atomic_mo":  # no extension: conf.py applies it before Sphinx compiles the theme's catalogue
            module.apply()
        else:
            module.setup(app)
    notices = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert notices == [f"{patch}: off, {package} is 99.0, not {' or '.join(module.WRITTEN_FOR[package])} as it was "
                       f"written for (see _ext/patches/{patch}.py)"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # a notice, not a failure
    if patch == "myst_speedup":
        assert MystParser.parse is before
    if patch == "bibtex_speedup":
        assert BaseStyle.format_entry is before
    if patch == "search_speedup":
        assert BaseStemmer.stemWord is before
    if patch == "atomic_mo":
        assert CatalogInfo.write_mo is before
    if patch == "lazy_matplotlib":
        assert app.loaded == ["matplotlib.sphinxext.plot_directive"]  # upstream's own directive instead
        assert sys.modules.get("sphinxext.opengraph._social_cards") is not module._cards  # opengraph's own module


def test_a_figure_is_drawn_again_when_anything_it_is_drawn_from_changes(tmp_path, monkeypatch):
    """lazy_matplotlib keeps drawn figures in _build/.plot-cache/ under a key of everything they are drawn from: the
    script, the plot settings, the language and every file of the script's package (facelab/) and its catalogues.
    A hit copies the stored images and draws nothing; any change draws again."""
    from types import SimpleNamespace

    module = importlib.import_module("patches.lazy_matplotlib")
    (tmp_path / "facelab" / "plots").mkdir(parents=True)
    (tmp_path / "facelab" / "figures.py").write_text("COLOUR = 'blue'\n", encoding="utf-8")
    script = tmp_path / "facelab" / "plots" / "one.py"
    script.write_text("from facelab.figures import COLOUR\n", encoding="utf-8")
    config = SimpleNamespace(**module.CONFIG)
    monkeypatch.setattr(module, "_app", SimpleNamespace(srcdir=str(tmp_path), config=config))
    monkeypatch.setenv("FACELAB_LANG", "en")
    monkeypatch.delenv("FACELAB_CJK_FONT", raising=False)
    drawn = []

    class Image:  # matplotlib's ImageFile, as render_figures returns it
        def __init__(self, basename, dirname):
            self.basename, self.dirname, self.formats = basename, dirname, []

        def filename(self, fmt):
            return str(Path(self.dirname) / f"{self.basename}.{fmt}")

    def render(code, code_path, output_dir, output_base, context, function_name, config, **kwargs):
        drawn.append(code)
        img = Image(output_base, output_dir)
        Path(img.filename("png")).write_bytes(f"{code}{(tmp_path / 'facelab' / 'figures.py').read_text()}".encode())
        img.formats.append("png")
        return [(code, [img])]

    cached = module.cached_render_figures(render, Image)

    def draw(out: str):
        (tmp_path / out).mkdir(exist_ok=True)
        results = cached(script.read_text(), str(script), str(tmp_path / out), "one", False, None, config)
        return [(piece, [(img.basename, img.formats, Path(img.filename("png")).read_bytes()) for img in images])
                for piece, images in results]

    first = draw("a")
    assert draw("b") == first and len(drawn) == 1  # a build into a fresh folder: copied, not drawn
    (tmp_path / "facelab" / "figures.py").write_text("COLOUR = 'red'\n", encoding="utf-8")  # the imported code
    assert draw("c") != first and len(drawn) == 2
    monkeypatch.setenv("FACELAB_LANG", "zh_CN")  # the figure's language
    draw("d")
    assert len(drawn) == 3
    config.plot_rcparams = {"font.size": 12}  # a plot setting of conf.py
    draw("e")
    assert len(drawn) == 4
    drawn_before = len(drawn)
    assert cached("x = 1", str(script), str(tmp_path / "e"), "one", True, None, config) and len(drawn) == drawn_before + 1


def test_a_catalogue_is_compiled_beside_its_mo_and_renamed_over_it(tmp_path, monkeypatch):
    """atomic_mo: while a .mo is being compiled, the .mo a second build would read is still the old, whole one (two
    Chinese builds started together once read a half-written sphinx.mo, and one came out with furo's English); then
    the new one replaces it whole, newer than its .po, and no part file is left."""
    import gettext

    from babel.messages.mofile import write_mo as babel_write_mo
    from sphinx.util.i18n import CatalogInfo

    from patches import atomic_mo

    folder = tmp_path / "LC_MESSAGES"
    folder.mkdir()
    (folder / "sphinx.po").write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                      'msgid "Menu"\nmsgstr "菜单"\n', encoding="utf-8")
    (folder / "sphinx.mo").write_bytes(b"old, whole")
    seen = []

    def writing(file, catalog, use_fuzzy=False):
        seen.append((folder / "sphinx.mo").read_bytes())  # what a reader would find at this moment
        babel_write_mo(file, catalog, use_fuzzy)

    monkeypatch.setattr(atomic_mo, "babel_write_mo", writing)
    info = CatalogInfo(folder, "sphinx", "utf-8")
    atomic_mo.write_mo(info, "zh_CN")
    assert seen == [b"old, whole"]
    with open(folder / "sphinx.mo", "rb") as f:
        assert gettext.GNUTranslations(f).gettext("Menu") == "菜单"
    assert not info.is_outdated()
    assert sorted(p.name for p in folder.iterdir()) == ["sphinx.mo", "sphinx.po"]
