"""Students see how they are graded: criteria blocks for graded exercises, and self-check answers for ungraded ones.

One job: what a student may see of the marking, checked at build time.

``criteria`` (``:::{criteria} ex-label`` with ``:marks: N``) holds a graded exercise's rubric: its criteria and the
marks for each. It appears in **both** editions, under the exercise, so that students know before they start how
their work is marked; the model answers stay in the solution, which only the instructor edition has. When the block
holds a table whose first column names each criterion's marks as "(N)", the marks must add up to ``:marks:``.

``solution`` gains a ``:self-check:`` flag. A self-check solution belongs to an **ungraded** exercise and is shown in
the student edition too, so that students can check themselves; it is not marked ``instructor-only`` (editions.py),
so the leak test treats only the other solutions as instructor material.

Checked after reading every page (each an error naming the file and line, and saying how to fix it):

- every graded exercise has exactly one criteria block, and every criteria block names a graded exercise;
- a self-check flag sits only on the solution of an ungraded exercise (a graded one's answers stay private);
- ``:marks:`` is a whole number and the marks in the table add up to it;
- each criterion names the prompt step it marks, in the table's "Step" column ("4", or "2, 3"), and that step exists
  in the exercise's numbered prompt; a term the criterion's "Full marks" cell sets in *emphasis* (what full marks
  require) must be asked for in the text of that step, so a rubric cannot mark what the prompt never asks;
- each criterion names the objectives it assesses in the block's ``:assesses:`` option
  (``Criterion = id id; Criterion = id``), checked against the case objectives by _ext/teaching/objectives.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_exercise.directive import SolutionDirective
from sphinx_exercise.nodes import solution_node
from i18n.translations import tr

logger = logging.getLogger(__name__)

SELF_CHECK_CLASS = "self-check"
CRITERIA_CLASS = "exercise-criteria"
MARKS_IN_CELL = re.compile(r"\((\d+)\)")
STEP_HEADER, FULL_HEADER = "Step", "Full marks"


class GradingError(SphinxError):
    category = "Grading error"


def _problem(env: BuildEnvironment, docname: str, lineno: int, message: str) -> None:
    logger.error(message, location=(docname, lineno), type="grading")
    env.grading_errors.append(f"{env.doc2path(docname)}:{lineno}: {message}")


class Criteria(SphinxDirective):
    """``:::{criteria} ex-label`` with ``:marks: N``: a graded exercise's criteria and marks, shown to students."""

    required_arguments = 1
    has_content = True
    option_spec = {"marks": directives.unchanged, "assesses": directives.unchanged}

    def run(self):
        label = self.arguments[0].strip()
        docname, env = self.env.docname, self.env
        marks_text = self.options.get("marks", "").strip()
        if not re.fullmatch(r"\d+", marks_text) or int(marks_text) < 1:
            _problem(env, docname, self.lineno, f"criteria for {label}: :marks: must be a whole number of marks, "
                     f"at least 1 (got {marks_text!r}), e.g. ':marks: 10'")
            marks = 0
        else:
            marks = int(marks_text)
        box = nodes.admonition(classes=[CRITERIA_CLASS], ids=[f"criteria-{label}"])  # a course links to it
        box["criteria_for"] = label  # read by session_sheets.py, which copies the criteria onto the session sheet
        box.source, box.line = self.get_source_info()
        box += nodes.title(text=tr("How this exercise is graded ({marks} points)", (docname, self.lineno), marks=marks))
        self.state.nested_parse(self.content, self.content_offset, box)
        # MyST's table cells parsed here carry no source, and Sphinx translates only text that has one: without it the
        # criteria would stay English in a translated edition (and never reach the message catalogues).
        for node in box.findall(nodes.TextElement):
            if node.source is None:
                node.source, node.line = box.source, box.line
        # The marks per criterion, read from the first column of the table ("Frames identified (2)").
        found = [
            int(m[1])
            for row in box.findall(nodes.row)
            if not isinstance(row.parent, nodes.thead)
            for m in [MARKS_IN_CELL.search(row.children[0].astext())]
            if m
        ]
        if marks and found and sum(found) != marks:
            _problem(env, docname, self.lineno, f"criteria for {label}: the criteria's marks add up to {sum(found)}, "
                     f"not :marks: {marks}; correct the table or :marks:")
        rows = self.criterion_rows(box, label)
        if label in env.grading_criteria:
            _problem(env, docname, self.lineno, f"criteria for {label}: a second criteria block (the first is at "
                     f"{env.doc2path(env.grading_criteria[label]['docname'])}:"
                     f"{env.grading_criteria[label]['lineno']}); keep one")
        env.grading_criteria[label] = {"docname": docname, "lineno": self.lineno, "marks": marks, "rows": rows}
        return [box]

    def line_of(self, text: str) -> int:
        """The source line of the table row that starts with ``text`` (the directive's line if none does)."""
        lines = Path(self.env.doc2path(self.env.docname)).read_text(encoding="utf-8").splitlines()
        for number in range(self.lineno, len(lines)):
            if lines[number].lstrip("| ").startswith(text):
                return number + 1
            if lines[number].startswith(":::"):
                break
        return self.lineno

    def criterion_rows(self, box: nodes.Element, label: str) -> list[dict]:
        """Each criterion: its name, the prompt steps it marks, the terms its full marks require, its objectives."""
        env, docname = self.env, self.env.docname
        assesses = {}
        for entry in (e.strip() for e in self.options.get("assesses", "").split(";")):
            if entry:
                name, _, ids = entry.partition("=")
                assesses[name.strip()] = [i for i in re.split(r"[,\s]+", ids) if i]
        rows = []
        for table in box.findall(nodes.table):
            head = [e.astext().strip() for row in table.findall(nodes.row) if isinstance(row.parent, nodes.thead)
                    for e in row.children]
            for row in table.findall(nodes.row):
                if isinstance(row.parent, nodes.thead):
                    continue
                cells = row.children
                name = MARKS_IN_CELL.sub("", cells[0].astext()).strip()
                line = self.line_of(cells[0].astext().strip())
                steps, terms = [], []
                if STEP_HEADER in head:
                    text = cells[head.index(STEP_HEADER)].astext()
                    steps = [int(n) for n in re.findall(r"\d+", text)]
                    if not steps:
                        _problem(env, docname, line, f"criteria for {label}: criterion {name!r} names no prompt "
                                 f"step; write the step it marks in the {STEP_HEADER!r} column, e.g. '4'")
                else:
                    _problem(env, docname, line, f"criteria for {label}: the table has no {STEP_HEADER!r} column; "
                             "add one naming, for each criterion, the prompt step it marks")
                if FULL_HEADER in head:
                    terms = [e.astext() for e in cells[head.index(FULL_HEADER)].findall(nodes.emphasis)]
                rows.append({"name": name, "line": line, "steps": steps, "terms": terms,
                             "assesses": assesses.pop(name, [])})
        for name in assesses:
            _problem(env, docname, self.lineno, f"criteria for {label}: :assesses: names criterion {name!r}, which "
                     "is not a row of the table")
        return rows


class SelfCheckSolution(SolutionDirective):
    """sphinx-exercise's ``solution`` plus ``:self-check:``: shown in the student edition too (ungraded exercises)."""

    option_spec = {**SolutionDirective.option_spec, "self-check": directives.flag}

    def run(self):
        if "self-check" not in self.options:
            return super().run()
        # sphinx-exercise drops every solution when hide_solutions is set (the student edition); lift it for this
        # one directive only, and put it back at once.
        config = self.env.app.config
        hidden = config.hide_solutions
        config.hide_solutions = False
        try:
            result = super().run()
        finally:
            config.hide_solutions = hidden
        for node in result:
            if isinstance(node, solution_node):
                node["classes"].append(SELF_CHECK_CLASS)
        self.env.grading_self_checks.append(
            {"docname": self.env.docname, "lineno": self.lineno, "target": self.arguments[0].strip()}
        )
        return result


def check(app: Sphinx, env: BuildEnvironment) -> None:
    """After reading: graded exercises have criteria, criteria belong to graded exercises, self-checks to ungraded."""
    meta = getattr(env, "exercise_meta", {})
    for label, info in sorted(meta.items()):
        if info["graded"] and label not in env.grading_criteria:
            _problem(env, info["docname"], info["lineno"], f"exercise {label} is graded but has no criteria: add "
                     f"':::{{criteria}} {label}' with ':marks: N' and its criteria table under the exercise, so "
                     "students see how it is marked")
    for label, info in sorted(env.grading_criteria.items()):
        if label not in meta:
            _problem(env, info["docname"], info["lineno"], f"criteria for {label}: no exercise has this label")
        elif not meta[label]["graded"]:
            _problem(env, info["docname"], info["lineno"], f"criteria for {label}: the exercise is not graded; add "
                     ":graded: to it or remove the criteria")
    for label, info in sorted(env.grading_criteria.items()):
        steps = meta.get(label, {}).get("steps", [])
        for row in info.get("rows", []):
            for step in row["steps"]:
                if not 1 <= step <= len(steps):
                    _problem(env, info["docname"], row["line"], f"criteria for {label}: criterion {row['name']!r} "
                             f"marks step {step}, but the exercise's prompt has {len(steps)} numbered steps")
            asked = " ".join(steps[s - 1] for s in row["steps"] if 1 <= s <= len(steps)).casefold()
            for term in row["terms"]:
                if row["steps"] and not _asked(term, asked):
                    _problem(env, info["docname"], row["line"], f"criteria for {label}: criterion {row['name']!r} "
                             f"gives full marks for {term!r}, which step {', '.join(map(str, row['steps']))} of the "
                             "prompt does not ask for; ask for it in the prompt or take it out of the rubric")
    for item in env.grading_self_checks:
        target = meta.get(item["target"])
        if target is not None and target["graded"]:
            _problem(env, item["docname"], item["lineno"], f"solution to {item['target']} is marked :self-check:, "
                     "but the exercise is graded: its model answer must stay in the instructor edition; remove "
                     ":self-check:")
    if env.grading_errors and not getattr(app, "_fail_on_warnings", False):
        raise GradingError(f"{len(env.grading_errors)} grading problem(s): " + "; ".join(env.grading_errors))
    env.grading_errors = []


def _asked(term: str, prompt: str) -> bool:
    """Every word of ``term`` is in the prompt's text, matched on its stem (at most five letters, and not the last two
    of a longer word: "revocable" finds "revoke", "cited" finds "cite")."""
    words = re.findall(r"\w+", term.casefold())
    return all(w[:min(5, max(4, len(w) - 2))] in prompt for w in words if len(w) > 2)


# -- Environment: storage, parallel merge, purge --------------------------------------------------------------------


def init_env(app: Sphinx, env: BuildEnvironment, docnames=()) -> None:
    for name, default in (("grading_criteria", dict), ("grading_self_checks", list), ("grading_errors", list)):
        if not hasattr(env, name):
            setattr(env, name, default())


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    init_env(app, env)
    for label in [lb for lb, info in env.grading_criteria.items() if info["docname"] == docname]:
        del env.grading_criteria[label]
    env.grading_self_checks[:] = [i for i in env.grading_self_checks if i["docname"] != docname]


def merge_info(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    init_env(app, env)
    env.grading_criteria.update(getattr(other, "grading_criteria", {}))
    env.grading_self_checks.extend(getattr(other, "grading_self_checks", []))
    env.grading_errors.extend(getattr(other, "grading_errors", []))


def setup(app: Sphinx):
    app.setup_extension("sphinx_exercise")
    app.setup_extension("teaching.exercise_meta")  # the graded flag this extension checks against
    app.setup_extension("teaching.objectives")  # what each criterion assesses, and the map
    app.add_directive("criteria", Criteria)
    app.add_directive("solution", SelfCheckSolution, override=True)
    app.connect("env-before-read-docs", init_env)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-check-consistency", check)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
