"""Run the code blocks inside the site's Markdown pages as tests (Sybil).

Every ```` ```python ```` block with ``>>>`` prompts and every ```` ```{doctest} ```` block in a page is collected
by pytest as its own test, reported with its page and line. Shown outputs must equal the real outputs.
A ``% skip: next`` comment (SkipParser) skips the next block; use it only with a stated reason.

``tests/test_code_blocks.py`` imports ``SYBIL`` from this file to prove that every code block in the built site
is one of the regions collected here (or a literalinclude of a tested facelab module).
"""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

from sybil import Sybil
from sybil.parsers.myst import DocTestDirectiveParser, PythonCodeBlockParser, SkipParser

ROOT = Path(__file__).parent.resolve()
sys.path.insert(0, str(ROOT))  # facelab is imported from the source root, as in conf.py

OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

SYBIL = Sybil(
    parsers=[
        DocTestDirectiveParser(optionflags=OPTIONFLAGS),
        PythonCodeBlockParser(doctest_optionflags=OPTIONFLAGS),
        SkipParser(),
    ],
    patterns=["*.md"],
    path=str(ROOT),
    excludes=[
        "_build/**",
        "node_modules/**",
        ".venv/**",
        "README.md",
        "CONTRIBUTING.md",
    ],
)

pytest_collect_file = SYBIL.pytest()
