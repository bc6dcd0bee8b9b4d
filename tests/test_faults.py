"""Break things on purpose and check that the suite says where.

Each test works on a throw-away copy of the source tree, so nothing in the working tree changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_tools import copy_source, diagram_problems, open_page, pages_only, sphinx_build

BROKEN_DIAGRAM = """
```mermaid
flowchart LR
  accTitle: A diagram broken on purpose
  accDescr: The arrow below has no target.
  A[Start] -->
```
"""


@pytest.fixture(scope="module")
def broken_tree(tmp_path_factory):
    return copy_source(tmp_path_factory.mktemp("faults") / "src")


def test_broken_cross_reference_names_file_and_line(broken_tree, tmp_path):
    page = broken_tree / "docs" / "how-to-use.md"
    original = page.read_text(encoding="utf-8")
    lines = original.splitlines()
    lines.insert(2, "See {doc}`/docs/no-such-page` for more.")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        build = sphinx_build(broken_tree, tmp_path / "out", *pages_only("docs/how-to-use.md"))
    finally:
        page.write_text(original, encoding="utf-8")
    assert build.returncode != 0, "a broken reference must fail the strict build"
    assert any("docs/how-to-use.md:3" in w and "no-such-page" in w for w in build.warnings), build.log


def test_broken_diagram_stops_the_build_naming_file_and_line(broken_tree, tmp_path):
    """Diagrams are drawn at build time, so a diagram Mermaid cannot draw stops `make html`, with file and line."""
    page = broken_tree / "docs" / "how-to-use.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + BROKEN_DIAGRAM, encoding="utf-8")
    try:
        build = sphinx_build(broken_tree, tmp_path / "out", *pages_only("docs/how-to-use.md"))
    finally:
        page.write_text(original, encoding="utf-8")
    assert build.returncode != 0, build.log
    line = len(original.splitlines()) + 2  # the fence opens on the second added line
    tail = "\n".join(build.log.strip().splitlines()[-20:])
    assert f"docs/how-to-use.md:{line}: Mermaid cannot draw this diagram" in tail, tail


def test_failing_snippet_names_page_and_line(broken_tree):
    """A shown output that is not the real output fails `make test`, naming the page and the line."""
    import subprocess
    import sys

    page = broken_tree / "docs" / "how-to-use.md"
    original = page.read_text(encoding="utf-8")
    line = len(original.splitlines()) + 3  # the `>>>` line of the block added below
    page.write_text(original + "\n```python\n>>> 1 + 1\n3\n```\n", encoding="utf-8")
    try:
        proc = subprocess.run(
            # One process (-n 0): a single page's examples need no test workers.
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "docs/how-to-use.md"],
            cwd=broken_tree, capture_output=True, text=True,
        )
    finally:
        page.write_text(original, encoding="utf-8")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "docs/how-to-use.md" in out and f"line {line}" in out, out


def diagram_problems_after(browser, page_path: Path, fault: str) -> list[str]:
    """diagram_problems of a built page opened offline, which must start out clean, after the script ``fault`` has
    changed its drawn SVGs."""
    visit = open_page(browser, page_path.as_uri())
    try:
        assert diagram_problems(visit.page) == [], f"{page_path.name} must start out clean"
        visit.page.evaluate(fault)
        return diagram_problems(visit.page)
    finally:
        visit.close()


@pytest.mark.browser
def test_badly_drawn_diagrams_are_named(student, browser):
    """A drawing that went wrong (seen when diagrams were drawn concurrently) is caught and named, for each symptom.

    The faults are made in the drawn SVGs, deterministically: a label whose box is too narrow for its text, a box
    moved out of its diagram, and an empty drawing area.
    """
    problems = diagram_problems_after(browser, student / "cases" / "face-data-remark" / "data-flows.html", """() => {
        const svgs = document.querySelectorAll('.mermaid svg');
        svgs[0].querySelector('g.edgeLabel text').style.fontSize = '40px';  // a font far wider than measured
        svgs[1].querySelector('g.node').setAttribute('transform', 'translate(-5000, 0)');
        svgs[2].setAttribute('viewBox', '0 0 0 0');
        svgs[3].setAttribute('role', 'graphics-document');
    }""")
    where = "cases/face-data-remark/data-flows.md:"
    for number, symptom in ((1, "cuts short"), (2, "outside its own area"), (3, "empty drawing area"),
                            (4, 'lacks role="img"')):
        assert any(f"diagram {number} ({where}" in p and symptom in p for p in problems), (number, symptom, problems)


@pytest.mark.browser
def test_groups_drawn_over_each_other_or_over_a_title_are_named(student, browser):
    """Fault: in a drawn diagram with groups, one group's box moved half onto another's, and a box moved onto a
    group's title: both are named (a title that wrapped onto the group's first box looked just like this)."""
    problems = diagram_problems_after(browser, student / "cases" / "masked-photos" / "supply-chain.html", """() => {
        const svg = document.querySelector('.mermaid svg');
        const [a, b] = svg.querySelectorAll('g.cluster > rect');
        b.setAttribute('x', +a.getAttribute('x') + +a.getAttribute('width') - 10);
        b.setAttribute('y', a.getAttribute('y'));
        const title = svg.querySelectorAll('g.cluster-label')[2];
        svg.querySelector('g.node').setAttribute('transform', title.getAttribute('transform'));
    }""")
    where = "diagram 1 (cases/masked-photos/supply-chain.md:"
    assert any(where in p and "draws groups over each other" in p for p in problems), problems
    assert any(where in p and "covers the title of group(s)" in p for p in problems), problems


# -- Authors' mistakes in the sources: one line naming file and line, no traceback (issue #20) ---------------------


def broken_build(tree, tmp_path, path: str, change):
    """Build the tree with one file changed by ``change(text) -> text`` (or bytes), then restore it.

    Only the changed page (or, for a bibliography file, the root page) is read: see pages_only."""
    target = tree / path
    original = target.read_bytes()
    changed = change(original)
    target.write_bytes(changed)
    try:
        return sphinx_build(tree, tmp_path / "out", *pages_only(*[path] if path.endswith(".md") else []))
    finally:
        target.write_bytes(original)


def tail(build, lines: int = 20) -> str:
    return "\n".join(build.log.strip().splitlines()[-lines:])


def line_of(data: bytes, needle: bytes) -> int:
    return data[: data.index(needle)].count(b"\n") + 1


@pytest.mark.parametrize("fault, change, expected", [
    ("missing comma", lambda b: b.replace(b"title   = {Privacy as Contextual Integrity},",
                                          b"title   = {Privacy as Contextual Integrity}", 1), "syntax error"),
    ("missing closing brace", lambda b: b.rstrip().removesuffix(b"}") + b"\n", "syntax error"),
])
def test_bibtex_syntax_error_is_one_line_with_file_and_line(broken_tree, tmp_path, fault, change, expected):
    build = broken_build(broken_tree, tmp_path, "bib/ethics.bib", change)
    assert build.returncode != 0, build.log
    assert re.search(r"bib/ethics\.bib:\d+: " + expected, tail(build)), tail(build)
    assert "Traceback" not in build.log and "open an issue" not in build.log, tail(build)


def test_duplicate_key_names_both_places(broken_tree, tmp_path):
    source = (broken_tree / "bib" / "ethics.bib").read_bytes()
    line = line_of(source, b"@article{koops-2021-function-creep") + 0
    build = broken_build(broken_tree, tmp_path, "bib/ethics.bib",
                         lambda b: b.replace(b"@article{koops-2021-function-creep", b"@article{solove-2006-taxonomy"))
    assert build.returncode != 0
    assert f"bib/ethics.bib:{line}: duplicate key 'solove-2006-taxonomy' (first at bib/ethics.bib:" in tail(build), \
        tail(build)


def test_entry_without_title_stops_the_build(broken_tree, tmp_path):
    source = (broken_tree / "bib" / "ethics.bib").read_bytes()
    line = line_of(source, b"@article{solove-2006-taxonomy")
    build = broken_build(broken_tree, tmp_path, "bib/ethics.bib",
                         lambda b: b.replace(b"  title   = {A Taxonomy of Privacy},\n", b""))
    assert build.returncode != 0
    assert f"bib/ethics.bib:{line}: entry 'solove-2006-taxonomy' lacks title" in tail(build), tail(build)


def test_non_utf8_byte_in_a_page_is_named_by_line_and_column(broken_tree, tmp_path):
    page = "cases/face-data-remark/context.md"
    build = broken_build(broken_tree, tmp_path, page,
                         lambda b: b.replace(b"\n\n", b"\n\nbad \xff byte\n\n", 1))
    source = (broken_tree / page).read_bytes()
    line = source[: source.index(b"\n\n")].count(b"\n") + 3
    assert build.returncode != 0
    assert f"{page}:{line}:5: not UTF-8 (byte 0xff)" in tail(build), tail(build)
    assert "Traceback" not in build.log, tail(build)


def test_a_broken_build_stops_make_test_with_one_message(broken_tree):
    """A fault in the shared build ends the run at once, the build's own line (file and line) in the last 20 lines."""
    import subprocess
    import sys

    bib = broken_tree / "bib" / "ethics.bib"
    original = bib.read_bytes()
    bib.write_bytes(original.replace(b"title   = {Privacy as Contextual Integrity},",
                                     b"title   = {Privacy as Contextual Integrity}", 1))
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_site.py", "tests/test_csp.py"],
            cwd=broken_tree, capture_output=True, text=True,
        )
    finally:
        bib.write_bytes(original)
    out = (proc.stdout + proc.stderr).strip().splitlines()
    assert proc.returncode != 0
    assert re.search(r"bib/ethics\.bib:\d+: syntax error", "\n".join(out[-20:])), "\n".join(out[-20:])
    assert len(out) < 80, f"{len(out)} lines of output for one fault"


def test_discussion_without_fallback_prompts_names_file_and_line(broken_tree, tmp_path):
    """Three faults in one instructor build: a discussion with no fallback prompts, a box one prompt short, and a
    session sheet that names no lesson plan (which leaves that plan without a sheet)."""
    page = broken_tree / "exercises" / "masked-photos.md"
    sheet = broken_tree / "docs" / "instructor" / "sessions" / "case-2.md"
    original, original_sheet = page.read_text(encoding="utf-8"), sheet.read_text(encoding="utf-8")
    text = re.sub(r":::\{room-prompts\} ex-procurement\n.*?\n:::\n", "", original, count=1, flags=re.S)
    gate = text.index(":::{room-prompts} ex-gate-design")
    first_quiet = text.index("- quiet:", gate)
    text = text[:first_quiet] + text[text.index("- quiet:", first_quiet + 1):]  # drop the first quiet prompt
    page.write_text(text, encoding="utf-8")
    sheet.write_text(original_sheet.replace("Case 2 in one session", "No such plan"), encoding="utf-8")
    try:
        # The exercises, the lesson plans and the session sheets: what the three checks compare.
        build = sphinx_build(broken_tree, tmp_path / "out", "-t", "instructor",
                             *pages_only("exercises/*.md", "docs/instructor/lesson-plans.md",
                                         "docs/instructor/sessions/*.md"))
    finally:
        page.write_text(original, encoding="utf-8")
        sheet.write_text(original_sheet, encoding="utf-8")
    assert build.returncode != 0, build.log
    exercise_line = text[: text.index(":label: ex-procurement")].count("\n")  # the line of `:::{exercise}`
    box_line = text[:gate].count("\n") + 1
    log = build.log
    assert f"exercises/masked-photos.md:{exercise_line}" in log and "ex-procurement" in log \
        and "no fallback prompts" in log, log[-3000:]
    assert f"exercises/masked-photos.md:{box_line}" in log and "1 'quiet' prompt(s); at least 2 needed" in log, \
        log[-3000:]
    assert "docs/instructor/sessions/case-2.md" in log and "no lesson plan is titled 'No such plan'" in log, log[-3000:]
    assert "lesson plan 'Case 2 in one session' has no session sheet" in log, log[-3000:]
