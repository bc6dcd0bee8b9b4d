"""Shared fixtures: the two editions built strictly once per session, and a real, offline browser.

The builds go to a temporary folder, never to _build/, so `make test` cannot be fooled by a stale build.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from site_tools import CHROMIUM_ARGS, ROOT, Build, find_chromium, sphinx_build  # noqa: E402


@pytest.fixture(scope="session")
def builds(tmp_path_factory) -> dict[str, Build]:
    """Both editions, built from the working tree with the strict flags. Failures are reported by test_build."""
    out = tmp_path_factory.mktemp("site")
    # A local build: no published address, whatever the environment says (conf.py, "Publishing").
    with pytest.MonkeyPatch.context() as env:
        env.delenv("SITE_URL", raising=False)
        env.delenv("READTHEDOCS_CANONICAL_URL", raising=False)
        built = {
            "student": sphinx_build(ROOT, out / "student"),
            "instructor": sphinx_build(ROOT, out / "instructor", "-t", "instructor"),
        }
    # One fault, one message: most tests stand on these builds, so a failed build stops the run here, with the
    # build's own last lines (which name the file and line) at the end of the output, not sixty failures later.
    for name, build in built.items():
        if build.returncode != 0:
            last = "\n".join(build.log.strip().splitlines()[-15:])
            pytest.exit(f"the {name} edition did not build; `make html` shows the same. Its last lines:\n{last}",
                        returncode=1)
    return built


@pytest.fixture(scope="session")
def zh_builds(tmp_path_factory) -> dict[str, Build]:
    """The Chinese editions (-D language=zh_CN), built strictly once per session, only when a test asks for them.

    The student edition goes to a folder named ``zh``: the language switcher links to ``../en/`` and ``../zh/``.
    """
    out = tmp_path_factory.mktemp("site-zh")
    with pytest.MonkeyPatch.context() as env:
        env.delenv("SITE_URL", raising=False)
        env.delenv("READTHEDOCS_CANONICAL_URL", raising=False)
        built = {
            "student": sphinx_build(ROOT, out / "zh", "-D", "language=zh_CN"),
            "instructor": sphinx_build(ROOT, out / "instructor-zh", "-D", "language=zh_CN", "-t", "instructor"),
        }
    for name, build in built.items():
        if build.returncode != 0:
            last = "\n".join(build.log.strip().splitlines()[-15:])
            pytest.exit(f"the Chinese {name} edition did not build; `make html-zh` shows the same. Its last lines:\n"
                        f"{last}", returncode=1)
    return built


@pytest.fixture(scope="session")
def student(builds) -> Path:
    build = builds["student"]
    if build.returncode != 0:
        pytest.fail(f"the student edition did not build:\n{build.log}")
    return build.outdir


@pytest.fixture(scope="session")
def instructor(builds) -> Path:
    build = builds["instructor"]
    if build.returncode != 0:
        pytest.fail(f"the instructor edition did not build:\n{build.log}")
    return build.outdir


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing browser = failure with instructions, never a skip."""
    exe = find_chromium()
    if exe is None:
        pytest.fail(
            "No Chromium found for the browser tests (they never skip). Install it with "
            "`apt-get install chromium` (Debian/Ubuntu; CI does this in .ci/run), or set CHROMIUM=/path/to/chromium."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=exe,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()
