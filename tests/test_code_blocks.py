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

from site_tools import ROOT, html_pages, page_soup

PAGE_DIRS = ("index.md", "docs", "cases", "exercises")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


FENCE = re.compile(r"^(?P<ticks>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=ticks)\s*$", re.M | re.S)


def executed_fences() -> list[str]:
    """Squashed bodies of the fenced code blocks whose every example Sybil collects and runs.

    Sybil reports one region per ``>>>`` example, starting at its prompt; a fence counts as executed when each of its
    prompts starts a region (or, for a block without prompts, when a region starts inside it). Skipped blocks would
    count too, so pages may not skip any (see test_no_page_skips_a_block).
    """
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sybil = module.SYBIL
    executed = []
    for page in markdown_pages():
        document = sybil.parse(page)
        starts = {example.region.start for example in document}
        for fence in FENCE.finditer(document.text):
            prompts = [fence.start("body") + m.start(1) for m in re.finditer(r"^\s*(>>>)", fence.group("body"), re.M)]
            inside = any(fence.start("body") <= s < fence.end("body") for s in starts)
            if (prompts and all(p in starts for p in prompts)) or (not prompts and inside):
                executed.append(squash(fence.group("body")))
    return executed


def markdown_pages() -> list[Path]:
    return [ROOT / "index.md"] + [p for d in PAGE_DIRS[1:] for p in (ROOT / d).rglob("*.md")]


def test_no_page_skips_a_block():
    """A skipped block would be shown but not run."""
    skipping = [str(p.relative_to(ROOT)) for p in markdown_pages() if re.search(r"^%\s*skip", p.read_text(encoding="utf-8"), re.M)]
    assert not skipping, f"pages that skip a code block: {skipping}"


def modules_under_test() -> list[str]:
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
        soup = page_soup(page)
        for pre in soup.select("div.highlight pre"):
            wrapper = pre.find_parent(class_=re.compile(r"^highlight-"))
            language = next((c[len("highlight-"):] for c in (wrapper.get("class") if wrapper else [])
                             if c.startswith("highlight-")), "default")
            blocks.append((str(page.relative_to(site)), language, pre.get_text()))
    return blocks


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_every_shown_code_block_is_executed(request, edition):
    site = request.getfixturevalue(edition)
    regions = executed_fences()
    modules = modules_under_test()
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
