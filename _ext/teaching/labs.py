"""Each lab page as a notebook and a script, made from the page's own examples, and offered on the page.

A lab page is a page of docs/lab/ (other than the lab's index) with ``>>>`` examples in ```` ```python ```` fences.
From its examples, in page order, this module makes:

- ``labs/<page>.py``: a script. An example whose output the page shows as an expression's value is printed with
  ``print(repr(...))``, which is what the interactive prompt shows; an example the page shows raising an error is
  wrapped in ``try``/``except`` and prints the error's last line. Each example is followed by its expected output as a
  comment, so a student can compare without the page.
- ``labs/<page>.ipynb``: a Jupyter notebook (nbformat 4) with one code cell per example and the page's headings as
  Markdown cells. It is shipped **unexecuted** (no outputs): the outputs are those the student's own run gives, and
  tests/test_labs.py executes every notebook with nbclient and compares each cell's output with the page.

As a Sphinx extension it writes both files into the site's ``labs/`` folder at the end of every build, and adds a
short "Run this lab yourself" section to each lab page (before its key-points box) linking them; the page's text is
not edited. The student zip (scripts/zip.py) adds the facelab wheel, a requirements.txt and a README to ``labs/``.

Only the page's examples are taken: prose, figures and ``instructor`` blocks never reach the notebook or the script
(``instructor`` and solution blocks are cut out before the examples are read, in both editions).
Sybil runs a page's examples in one namespace, top to bottom; a script and a notebook do the same, so they give the
page's outputs (tests/test_labs.py checks it in a fresh virtual environment).
"""

from __future__ import annotations

import ast
import doctest
import json
import re
from dataclasses import dataclass
from pathlib import Path
from i18n.translations import tr

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = "docs/lab"
OUT_DIR = "labs"  # in the site and in the zip
FENCE = re.compile(r"^(?P<ticks>`{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=ticks)[ \t]*$", re.M | re.S)
# Blocks whose content is for instructors only (``instructor`` boxes, solutions), with any fence length.
PRIVATE = re.compile(
    r"^(?P<fence>:{3,}|`{3,})\{(?:instructor|solution|solution-start)\}.*?^(?P=fence)[ \t]*$", re.M | re.S
)
HEADING = re.compile(r"^(#{1,3}) (.+)$", re.M)


@dataclass
class Example:
    source: str  # without prompts
    want: str  # the output the page shows ("" if none)
    exc_msg: str | None  # the error's last line(s) when the page shows a traceback
    heading: str  # the page heading the example sits under
    line: int  # line of the prompt in the page


def lab_pages(root: Path = ROOT) -> list[Path]:
    """The lab pages that have examples, sorted by name."""
    return sorted(
        p for p in (root / LAB_DIR).glob("*.md") if p.stem != "index" and examples(p.read_text(encoding="utf-8"))
    )


def examples(text: str) -> list[Example]:
    """The ``>>>`` examples of a page, in order, outside instructor and solution blocks."""
    public = PRIVATE.sub(lambda m: "\n" * m.group(0).count("\n"), text)  # keep line numbers
    parser = doctest.DocTestParser()
    found = []
    for fence in FENCE.finditer(public):
        if fence.group("info").strip() not in {"python", "pycon"}:
            continue
        before = public[: fence.start()]
        headings = HEADING.findall(before)
        heading = headings[-1][1].strip() if headings else ""
        first_line = before.count("\n") + 2
        for ex in parser.get_examples(fence.group("body")):
            found.append(Example(ex.source.rstrip("\n"), ex.want, ex.exc_msg, heading, first_line + ex.lineno))
    return found


def page_title(text: str) -> str:
    match = re.search(r"^# (.+)$", text, re.M)
    return match.group(1).strip() if match else ""


def _shows_value(source: str) -> bool:
    """True if the example is one expression (not a print call), whose value the prompt would display."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return False
    call = tree.body[0].value
    return not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print")


def _comment(text: str, prefix: str = "# ") -> str:
    return "\n".join((prefix + line).rstrip() for line in text.rstrip("\n").splitlines())


def script_code(ex: Example) -> str:
    """The example as script code that prints what the prompt would show."""
    if ex.exc_msg is not None:
        error = ex.exc_msg.split(":", 1)[0].strip().rsplit(".", 1)[-1]
        body = "\n".join("    " + line for line in ex.source.splitlines())
        return f'try:\n{body}\nexcept {error} as error:\n    print(f"{error}: {{error}}")'
    if ex.want and _shows_value(ex.source):
        return f"print(repr(({ex.source.strip()})))"
    return ex.source


def expected_output(ex: Example) -> str:
    """What the script prints for this example, as the page shows it."""
    return ex.exc_msg if ex.exc_msg is not None else ex.want


def steps(text: str) -> list[tuple[str, list[Example]]]:
    """The page's examples in steps: each step runs up to (and including) one example with output, under one heading.

    A step is one notebook cell (whose last line's output is the example's output) and one paragraph of the script.
    """
    grouped: list[tuple[str, list[Example]]] = []
    open_step = False
    for ex in examples(text):
        if not grouped or not open_step or grouped[-1][0] != ex.heading or ex.exc_msg is not None:
            grouped.append((ex.heading, []))
        grouped[-1][1].append(ex)
        open_step = not (ex.want or ex.exc_msg is not None)
    return grouped


def make_script(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    rel = page.relative_to(ROOT).with_suffix(".html").as_posix() if page.is_relative_to(ROOT) else page.name
    lines = [
        f'"""{page_title(text)}: the lab\'s examples, in the order of its page ({rel}).',
        "",
        "Made from the page when the module was built; the page explains each step.",
        f"Run it with facelab installed: python {page.stem}.py",
        '"""',
    ]
    heading = None
    for step_heading, step in steps(text):
        if step_heading != heading:
            heading = step_heading
            lines += ["", "", f"# --- {heading} ---"]
        lines.append("")
        for ex in step:
            lines.append(script_code(ex))
            if expected_output(ex):
                lines.append(_comment("Expected output:\n" + expected_output(ex)))
    return "\n".join(lines) + "\n"


def _cell(kind: str, source: str, index: int, **extra) -> dict:
    cell = {"cell_type": kind, "id": f"{kind[:4]}-{index}", "metadata": extra.pop("metadata", {}), "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def make_notebook(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    cells = [
        _cell(
            "markdown",
            f"# {page_title(text)}\n\nThe examples of this lab page, in order, one per cell. The page explains each "
            "step and shows the output you should get. Run the cells from the top.",
            0,
        )
    ]
    heading = None
    for i, (step_heading, step) in enumerate(steps(text), start=1):
        if step_heading != heading:
            heading = step_heading
            cells.append(_cell("markdown", f"## {heading}", i))
        raises = step[-1].exc_msg is not None
        tags = {"metadata": {"tags": ["raises-exception"]}} if raises else {}
        cells.append(_cell("code", "\n".join(ex.source for ex in step), i, **tags))
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def write_labs(out: Path, root: Path = ROOT) -> list[Path]:
    """Write every lab's notebook and script into ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for page in lab_pages(root):
        for suffix, make in ((".ipynb", make_notebook), (".py", make_script)):
            target = out / (page.stem + suffix)
            target.write_text(make(page), encoding="utf-8", newline="\n")
            written.append(target)
    return written


# -- Sphinx -----------------------------------------------------------------------------------------------------


def download_section(docname: str) -> str:
    """Markdown for the lab page's download box (links relative to the page, so they work from file://)."""
    stem = docname.rsplit("/", 1)[-1]
    up = "../" * docname.count("/")
    where = f"{docname} (labs.py download section)"
    notebook = f'<a href="{up}{OUT_DIR}/{stem}.ipynb" download>{stem}.ipynb</a>'
    script = f'<a href="{up}{OUT_DIR}/{stem}.py" download>{stem}.py</a>'
    return (
        f"\n(lab-download-{stem})=\n## {tr('Run this lab yourself', where)}\n\n"
        + tr("The examples of this page, in order, as a Jupyter notebook and as a Python script: {notebook} and "
             "{script}. They need Python and the module's `facelab` package: {{doc}}`/docs/run-labs` says how to "
             "install it and run them. The outputs you get are the outputs shown on this page.", where,
             notebook=notebook, script=script)
        + "\n\n"
    )


def add_download_section(app, docname: str, source: list[str]) -> None:
    if not docname.startswith(LAB_DIR + "/") or docname.endswith("/index"):
        return
    if not examples(source[0]):
        return
    section = download_section(docname)
    marker = re.search(r"^:::\{key-points\}", source[0], re.M)
    at = marker.start() if marker else len(source[0])
    source[0] = source[0][:at] + section + source[0][at:]


def write_files(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        write_labs(Path(app.outdir) / OUT_DIR, Path(app.srcdir))


def setup(app):
    app.connect("source-read", add_download_section)
    app.connect("build-finished", write_files)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
