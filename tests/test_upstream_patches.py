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


@pytest.mark.parametrize("patch", ["myst_speedup", "bibtex_speedup", "lazy_matplotlib"])
def test_each_patch_matches_the_installed_versions(patch):
    """Today's environment is the one the patches were written for (else the builds run unpatched, and slower)."""
    module = importlib.import_module(f"patches.{patch}")
    assert all(upstream.installed(p) in v for p, v in module.WRITTEN_FOR.items()), module.WRITTEN_FOR


@pytest.mark.parametrize("patch", ["myst_speedup", "bibtex_speedup", "lazy_matplotlib"])
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
    app = FakeApp()
    with caplog.at_level(logging.INFO):
        module.setup(app)
    notices = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert notices == [f"{patch}: off, {package} is 99.0, not {' or '.join(module.WRITTEN_FOR[package])} as it was "
                       f"written for (see _ext/patches/{patch}.py)"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # a notice, not a failure
    if patch == "myst_speedup":
        assert MystParser.parse is before
    if patch == "bibtex_speedup":
        assert BaseStyle.format_entry is before
    if patch == "lazy_matplotlib":
        assert app.loaded == ["matplotlib.sphinxext.plot_directive"]  # upstream's own directive instead
        assert sys.modules.get("sphinxext.opengraph._social_cards") is not module._cards  # opengraph's own module
