"""Every code block shown on the site is executed by the test suite.

A block in the built HTML counts as executed when it is one of:

- a doctest region that Sybil runs inside a Markdown page (the Sybil set-up in the root conftest.py);
- a `literalinclude` of a module in `facelab/` that a test in `tests/` imports;
- a console block whose every command is `make <target>`: the suite runs each target's recipe as a dry run here,
  and runs the real build and tests through the same recipes' commands in the other test modules.

Anything else fails this test with the page and the block's first line.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_tools import ROOT, html_pages

PAGE_DIRS = ("index.md", "docs", "cases", "exercises")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sybil_regions() -> list[str]:
    """The text of every region Sybil runs, squashed, from the same Sybil object pytest collects with."""
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sybil = module.SYBIL
    regions = []
    pages = [ROOT / "index.md"] + [p for d in PAGE_DIRS[1:] for p in (ROOT / d).rglob("*.md")]
    for page in pages:
        document = sybil.parse(page)
        for example in document:
            regions.append(squash(document.text[example.region.start : example.region.end]))
    return regions


def tested_modules() -> list[str]:
    """Text of facelab modules that some test imports."""
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    texts = []
    for module in (ROOT / "facelab").rglob("*.py"):
        dotted = ".".join(module.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        if dotted in tests or module.stem in tests:
            texts.append(squash(module.read_text(encoding="utf-8")))
    return texts


def make_targets() -> set[str]:
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"make (\S+)", out))


def shown_blocks(site: Path) -> list[tuple[str, str, str]]:
    blocks = []
    for page in html_pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for pre in soup.select("div.highlight pre"):
            wrapper = pre.find_parent(class_=re.compile(r"^highlight-"))
            language = next((c[len("highlight-"):] for c in (wrapper.get("class") if wrapper else [])
                             if c.startswith("highlight-")), "default")
            blocks.append((str(page.relative_to(site)), language, pre.get_text()))
    return blocks


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_every_shown_code_block_is_executed(request, edition):
    site = request.getfixturevalue(edition)
    regions = sybil_regions()
    modules = tested_modules()
    targets = make_targets()
    blocks = shown_blocks(site)
    assert blocks, "the site shows no code at all; this test would pass vacuously"
    unexecuted = []
    for page, language, text in blocks:
        body = squash(text)
        if any(body in region for region in regions) or any(body in module for module in modules):
            continue
        if language in {"console", "bash", "shell", "sh"}:
            commands = [line.strip().removeprefix("$ ") for line in text.splitlines() if line.strip()]
            if commands and all(c.startswith("make ") and c.split()[1] in targets for c in commands):
                for c in commands:
                    subprocess.run(["make", "-n", c.split()[1]], cwd=ROOT, check=True, capture_output=True)
                continue
        unexecuted.append(f"{page} ({language}): {text.strip().splitlines()[0][:80]}")
    assert not unexecuted, "code blocks shown on the site that no test runs:\n" + "\n".join(unexecuted)
