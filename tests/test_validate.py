"""The Nu HTML Checker (the W3C validator) finds no error and no unreviewed warning on any page of either edition.

`make validate` runs the same script (scripts/validate.py) on `_build/`; here it runs on the session's strict builds,
so a regression cannot land. Without a Java runtime the test fails with install instructions; it never skips.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_tools import ROOT

SCRIPT = ROOT / "scripts" / "validate.py"


def validate(*sites) -> subprocess.CompletedProcess:
    if shutil.which("java") is None:
        pytest.fail("No Java runtime for the Nu HTML Checker (this test never skips). Install one with "
                    "`apt-get install default-jre-headless` (Debian/Ubuntu; CI does this in .ci/run).")
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, sites)], capture_output=True, text=True,
                          cwd=ROOT)


def test_every_page_of_both_editions_is_valid_html(student, instructor):
    result = validate(student, instructor)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 problem(s)" in result.stdout


def test_every_page_of_the_chinese_editions_is_valid_html(zh_builds):
    result = validate(zh_builds["student"].outdir, zh_builds["instructor"].outdir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 problem(s)" in result.stdout


def one_page(site: Path, page: str, tmp_path: Path) -> Path:
    """``page`` and the root page copied from ``site`` (the script wants a built site's index.html): the checker
    reads pages one by one, so one page is enough for a fault."""
    copy = tmp_path / "site"
    for name in {page, "index.html"}:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / name, copy / name)
    return copy


def test_checker_names_page_and_line_of_an_error(student, tmp_path):
    site = one_page(student, "docs/how-to-use.html", tmp_path)
    page = site / "docs" / "how-to-use.html"
    lines = page.read_text(encoding="utf-8").splitlines()
    body = next(i for i, text in enumerate(lines) if "<article" in text)
    lines.insert(body + 1, '<p id="twice">one</p><p id="twice">two</p><span><div>block in inline</div></span>')
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = validate(site)
    assert result.returncode == 1, result.stdout + result.stderr
    where = f"docs/how-to-use.html:{body + 2}:"
    assert any(where in line and "error: Duplicate ID" in line for line in result.stdout.splitlines()), result.stdout
    assert any(where in line and "error:" in line and "div" in line for line in result.stdout.splitlines())


def test_an_unreviewed_warning_fails(student, tmp_path):
    site = one_page(student, "index.html", tmp_path)
    page = site / "index.html"
    html = page.read_text(encoding="utf-8")
    # A <section> without a heading: a warning the checker gives and REVIEWED_WARNINGS does not excuse.
    page.write_text(html.replace("</article>", "<section><p>no heading here</p></section></article>", 1),
                    encoding="utf-8")
    result = validate(site)
    assert result.returncode == 1, result.stdout
    assert any("index.html:" in line and "warning: Section lacks heading" in line
               for line in result.stdout.splitlines()), result.stdout
