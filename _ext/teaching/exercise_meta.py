"""Exercise metadata, checked at build time, and the two things computed from it: the exercise list and lesson plans.

One job: every exercise carries its teaching metadata, and nothing about time is typed twice.

``exercise`` (replaces sphinx-exercise's directive, which it subclasses) takes, besides ``:label:``:

``:minutes:``     required; a whole number of minutes, at least 1. The title gets " (N min)" from it: never type it.
``:format:``      required; one of ``individual``, ``pair``, ``group``, ``whole class``.
``:objectives:``  required; learning objectives separated by semicolons.
``:assesses:``    required; the ids of the case objectives it assesses (cases/<case>/index.md), checked by
                  _ext/teaching/objectives.py.
``:materials:``   optional; materials separated by semicolons (MyST inline markup allowed, e.g. {doc} links).
``:graded:``      optional flag; a graded exercise's solution should carry a rubric.
``:case:``        optional; ``face-data-remark``, ``masked-photos`` or ``both``. Default: the page's name.

A missing or invalid value is an **error that names the file and line** and says how to fix it. The build then
stops after reading (so ``--keep-going`` still lists every bad exercise first).

``exercise-list`` renders a table of every exercise (number and link, title, case, format, minutes, graded), with
totals, from the metadata. ``lesson-plan`` (instructor edition only) renders a timed schedule from a list of
segments, exercise labels or ``Name N`` (N minutes), with start times and a total that are computed; a plan over its
``:budget:`` is a warning. Both are resolved when pages are written, when every exercise's number is known.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_exercise.directive import ExerciseDirective
from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node, solution_node
from i18n.translations import tr

logger = logging.getLogger(__name__)

FORMATS = ("individual", "pair", "group", "whole class")
CASES = {
    "face-data-remark": ("Case 1", "cases/face-data-remark/index"),
    "masked-photos": ("Case 2", "cases/masked-photos/index"),
    "both": ("Both cases", None),
}
REQUIRED = ("minutes", "format", "objectives")
TITLE_MINUTES = re.compile(r"\(\s*\d+\s*min(utes)?\.?\s*\)", re.IGNORECASE)
SEGMENT_NAMED = re.compile(r"^(?P<name>.*\S)\s+(?P<minutes>\d+)\s*(min(utes)?)?$")
LABEL = re.compile(r"^[A-Za-z0-9][\w.-]*$")


class MetadataError(SphinxError):
    category = "Exercise metadata error"


def split_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(";") if item.strip()]


def fmt_minutes(total: int) -> str:
    return f"{total // 60}:{total % 60:02d}"


# -- The exercise directive ----------------------------------------------------------------------------------------


class MetaExerciseDirective(ExerciseDirective):
    """sphinx-exercise's ``exercise`` plus checked teaching metadata, rendered at the top of the exercise."""

    option_spec = {
        **ExerciseDirective.option_spec,
        "minutes": directives.unchanged,
        "format": directives.unchanged,
        "objectives": directives.unchanged,
        "assesses": directives.unchanged,
        "materials": directives.unchanged,
        "graded": directives.flag,
        "case": directives.unchanged,
    }

    def problems(self) -> list[str]:
        """Everything wrong with this exercise's metadata, each with how to fix it."""
        found = []
        opts = self.options
        if not opts.get("label", "").strip():
            found.append("missing :label: (a unique name such as ':label: ex-source-criticism'; solutions and "
                         "lesson plans refer to it)")
        if not self.arguments or not self.arguments[0].strip():
            found.append("missing title: write it after the directive name, e.g. ':::{exercise} Who held the data?'")
        elif TITLE_MINUTES.search(self.arguments[0]):
            found.append(f"the title {self.arguments[0]!r} types its minutes; remove them: ' (N min)' is added "
                         "from :minutes:")
        if "minutes" not in opts or not opts["minutes"].strip():
            found.append("missing :minutes: (the class time it takes, a whole number such as ':minutes: 15')")
        elif not re.fullmatch(r"\d+", opts["minutes"].strip()) or int(opts["minutes"]) < 1:
            found.append(f"invalid :minutes: {opts['minutes']!r} (a whole number of minutes, at least 1, "
                         "e.g. ':minutes: 15')")
        if "format" not in opts or not opts["format"].strip():
            found.append(f"missing :format: (one of: {', '.join(FORMATS)})")
        elif " ".join(opts["format"].lower().split()) not in FORMATS:
            found.append(f"invalid :format: {opts['format']!r} (one of: {', '.join(FORMATS)})")
        if not split_list(opts.get("objectives")):
            found.append("missing :objectives: (learning objectives separated by semicolons, e.g. "
                         "':objectives: compare four accounts; separate fact from framing')")
        if "case" in opts and opts["case"].strip() not in CASES:
            found.append(f"invalid :case: {opts['case']!r} (one of: {', '.join(CASES)})")
        return found

    def run(self):
        env = self.env
        docname = env.docname
        problems = self.problems()
        label = self.options.get("label", "").strip()
        for problem in problems:
            logger.error(
                f"exercise {label or '(no label)'}: {problem}",
                location=(docname, self.lineno),
                type="exercise_meta",
            )
        if problems:
            # Record them (the build stops after reading) but still render the exercise, so that its solution
            # and any reference to it do not add confusing follow-on warnings.
            env.exercise_meta_errors.setdefault(docname, []).extend(f"{self.lineno}: {p}" for p in problems)
            return super().run()

        minutes = int(self.options["minutes"])
        fmt = " ".join(self.options["format"].lower().split())
        objectives = split_list(self.options["objectives"])
        materials = split_list(self.options.get("materials"))
        graded = "graded" in self.options
        slug = docname.rsplit("/", 1)[-1]
        case = self.options.get("case", "").strip() or (slug if slug in CASES else "both")
        where = self.get_location()
        title = tr(self.arguments[0].strip(), where)  # options are not page messages: the code's catalogue has them
        objectives = [tr(item, where) for item in objectives]
        materials = [tr(item, where) for item in materials]

        self.arguments = [tr("{title} ({minutes} min)", where, title=title, minutes=minutes)]
        result = super().run()
        if not result:
            return result
        node = result[0]
        node["classes"].append(f"exercise-format-{fmt.replace(' ', '-')}")
        if graded:
            node["classes"].append("exercise-graded")
        section = node.children[1]
        section.insert(0, self.metadata_block(fmt, minutes, graded, objectives, materials))

        title_nodes, _ = self.state.inline_text(title, self.lineno)
        # The numbered prompt: the first top-level numbered list of the body, read from the source's own words (at
        # read time, before translation), so that each rubric criterion's step can be checked (_ext/teaching/grading.py).
        prompt = next((n for n in section.findall(nodes.enumerated_list)
                       if not any(isinstance(a, nodes.enumerated_list) for a in _ancestors(n, section))), None)
        steps = [item.astext() for item in prompt.children] if prompt is not None else []
        env.exercise_meta[label] = {
            "docname": docname,
            "lineno": self.lineno,
            "title": "".join(n.astext() for n in title_nodes),
            "minutes": minutes,
            "format": fmt,
            "objectives": objectives,
            "materials": materials,
            "graded": graded,
            "case": case,
            "assesses": [i for i in re.split(r"[;,\s]+", self.options.get("assesses", "")) if i],
            "steps": steps,
        }
        return result

    def metadata_block(self, fmt, minutes, graded, objectives, materials) -> nodes.Element:
        box = nodes.container(classes=["exercise-meta"])
        fields = nodes.field_list(classes=["exercise-meta-fields"])

        def field(name: str, body: nodes.Element) -> None:
            fields.append(nodes.field("", nodes.field_name(text=name), nodes.field_body("", body)))

        where = self.get_location()
        summary = tr(fmt.capitalize(), where) + " · " + tr("{minutes} min", where, minutes=minutes)
        if graded:
            summary += " · " + tr("graded", where)
        field(tr("Format", where), nodes.paragraph(text=summary))
        for name, items in ((tr("Objectives", where), objectives), (tr("Materials", where), materials)):
            if not items:
                continue
            bullets = nodes.bullet_list()
            for item in items:
                inline, messages = self.state.inline_text(item, self.lineno)
                bullets += nodes.list_item("", nodes.paragraph("", "", *inline), *messages)
            field(name, bullets)
        box += fields
        return box


def _ancestors(node: nodes.Node, stop: nodes.Node):
    node = node.parent
    while node is not None and node is not stop:
        yield node
        node = node.parent


# -- Titles: "Exercise 3 — Who held the data? (15 min)" --------------------------------------------------------------


class TidyExerciseTitles(SphinxPostTransform):
    """sphinx-exercise writes "Exercise 3 (Title (15 min))"; write "Exercise 3 — Title (15 min)" instead.

    Also gives each exercise's and solution's body a unique id.
    """

    default_priority = 30  # after sphinx-exercise's title transforms (20, 21, 22)

    @staticmethod
    def unwrap(parent: nodes.Element) -> None:
        kids = parent.children
        opens = [i for i, kid in enumerate(kids[:2]) if isinstance(kid, nodes.Text) and str(kid) == " ("]
        if opens and len(kids) > opens[0] + 2 and isinstance(kids[-1], nodes.Text) and str(kids[-1]) == ")":
            parent.replace(kids[opens[0]], nodes.Text(" — " if opens[0] else "— "))
            parent.remove(parent.children[-1])

    @staticmethod
    def unique_content_id(node: nodes.Element) -> None:
        """sphinx-exercise gives every body the same id (exercise-content); make it unique per exercise."""
        for child in node.children:
            if isinstance(child, nodes.section) and child["ids"] in (["exercise-content"], ["solution-content"]):
                child["ids"] = [f"{node.get('label', 'exercise')}-content"]

    def run(self, **kwargs: Any) -> None:
        for node in self.document.findall(lambda n: isinstance(n, (exercise_enumerable_node, exercise_node))):
            title = node.children[0]
            if isinstance(title, nodes.title):
                self.unwrap(title)
            self.unique_content_id(node)
        for node in self.document.findall(solution_node):
            title = node.children[0]
            for ref in title.findall(nodes.reference):
                self.unwrap(ref)
            self.unique_content_id(node)


# -- Placeholders resolved at write time ---------------------------------------------------------------------------


class exercise_list(nodes.General, nodes.Element):
    """Replaced by the exercise table when the page is written."""


class lesson_plan(nodes.General, nodes.Element):
    """Replaced by the timed schedule when the page is written."""


def _never_visited(self, node):
    raise nodes.SkipNode


class ExerciseList(SphinxDirective):
    """``{exercise-list}``: every exercise of the module, from its metadata.

    ``:case: SLUG`` keeps one case's exercises; ``:graded:`` keeps the graded ones; ``:self-check:`` keeps those whose
    solution students see as a self-check (_ext/teaching/grading.py).
    """

    option_spec = {"case": directives.unchanged, "graded": directives.flag, "self-check": directives.flag}

    def run(self):
        node = exercise_list()
        node.source, node.line = self.get_source_info()
        node["case"] = self.options.get("case", "").strip()
        node["graded"] = "graded" in self.options
        node["self_check"] = "self-check" in self.options
        self.env.exercise_meta_pages.add(self.env.docname)
        return [node]


class LessonPlan(SphinxDirective):
    """``{lesson-plan} Title`` with ``:segments: Introduction 5; ex-label; Wrap-up 5`` and ``:budget: 50``.

    The table is in the instructor edition only; its metadata is recorded in every build that reads the plan, as
    ``env.lesson_plans[title]`` (see :func:`lesson_plans`), for the decks (_ext/teaching/slides.py) and the tests.
    Start times, minutes and the total come from the exercise metadata.
    """

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"segments": directives.unchanged_required, "budget": directives.positive_int}

    def run(self):
        segments = []
        for item in split_list(self.options.get("segments")):
            named = SEGMENT_NAMED.match(item)
            if named:
                segments.append(("named", named["name"], int(named["minutes"])))
            elif LABEL.match(item):
                segments.append(("exercise", item, None))
            else:
                raise self.error(f"lesson-plan: cannot read segment {item!r}; write an exercise label "
                                 "(ex-source-criticism) or a name and minutes (Wrap-up 5)")
        if not segments:
            raise self.error("lesson-plan: :segments: is required (exercise labels and 'Name N' items, "
                             "separated by semicolons)")
        self.env.lesson_plans[self.arguments[0]] = {"docname": self.env.docname, "lineno": self.lineno,
                                                    "segments": segments, "budget": self.options.get("budget")}
        if not self.config.instructor_edition:
            return []
        node = lesson_plan()
        node.source, node.line = self.get_source_info()
        node["title"] = self.arguments[0]
        node["segments"] = segments
        node["budget"] = self.options.get("budget")
        self.env.exercise_meta_pages.add(self.env.docname)
        return [node]


# -- Building the tables -----------------------------------------------------------------------------------------


def _cell(content) -> nodes.entry:
    entry = nodes.entry()
    if isinstance(content, str):
        entry += nodes.paragraph(text=content)
    elif isinstance(content, nodes.paragraph):
        entry += content
    else:
        entry += nodes.paragraph("", "", *content)
    return entry


def build_table(headers: list[str], rows: list[list], classes: list[str], widths: list[int]) -> nodes.table:
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += nodes.row("", *[_cell(h) for h in headers])
    group += head
    body = nodes.tbody()
    for row in rows:
        body += nodes.row("", *[_cell(c) for c in row])
    group += body
    return table


def exercise_number(env: BuildEnvironment, label: str) -> tuple[int, ...] | None:
    docname = env.exercise_meta[label]["docname"]
    return env.toc_fignumbers.get(docname, {}).get("exercise", {}).get(label)


def exercise_link(app: Sphinx, fromdoc: str, label: str, with_title: bool = True) -> list[nodes.Node]:
    meta = app.env.exercise_meta[label]
    number = exercise_number(app.env, label)
    where = f"{app.env.doc2path(fromdoc)}"
    text = tr("Exercise {number}", where, number=".".join(map(str, number))) if number else tr("Exercise", where)
    if with_title:
        text += f" — {meta['title']}"
    uri = app.builder.get_relative_uri(fromdoc, meta["docname"]) + "#" + label
    return [nodes.reference("", text, internal=True, refuri=uri)]


def case_link(app: Sphinx, fromdoc: str, case: str) -> list[nodes.Node]:
    name, doc = CASES[case]
    name = tr(name, app.env.doc2path(fromdoc))
    if doc is None or doc not in app.env.all_docs:
        return [nodes.Text(name)]
    return [nodes.reference("", name, internal=True, refuri=app.builder.get_relative_uri(fromdoc, doc))]


def sorted_labels(env: BuildEnvironment) -> list[str]:
    def key(label):
        meta = env.exercise_meta[label]
        number = exercise_number(env, label)
        return (number is None, number or (), meta["docname"], meta["lineno"])

    return sorted(env.exercise_meta, key=key)


def render_exercise_list(app: Sphinx, node: exercise_list, fromdoc: str) -> list[nodes.Node]:
    env = app.env
    labels = [
        lb for lb in sorted_labels(env)
        if (not node["case"] or env.exercise_meta[lb]["case"] == node["case"])
        and (not node["graded"] or env.exercise_meta[lb]["graded"])
        and (not node.get("self_check") or lb in {i["target"] for i in getattr(env, "grading_self_checks", [])})
    ]
    if not labels:
        logger.warning("exercise-list: no exercises found", location=node)
        return []
    rows = []
    where = env.doc2path(fromdoc)
    for label in labels:
        meta = env.exercise_meta[label]
        rows.append([
            exercise_link(app, fromdoc, label, with_title=False),
            meta["title"],
            case_link(app, fromdoc, meta["case"]),
            tr(meta["format"].capitalize(), where),
            str(meta["minutes"]),
            tr("Graded", where) if meta["graded"] else "",
        ])
    headers = [tr(h, where) for h in ("No.", "Title", "Case", "Format", "Minutes", "Graded")]
    table = build_table(headers, rows, ["exercise-list-table"], [12, 48, 12, 12, 8, 8])
    total = sum(env.exercise_meta[lb]["minutes"] for lb in labels)
    graded = sum(env.exercise_meta[lb]["graded"] for lb in labels)
    summary = nodes.paragraph(
        text=tr("{count} exercises, {total} minutes in all ({hours} h); {graded} graded. "
                "Times and totals are computed from each exercise's metadata.", where,
                count=len(labels), total=total, hours=fmt_minutes(total), graded=graded),
        classes=["exercise-list-summary"],
    )
    return [table, summary]


def render_lesson_plan(app: Sphinx, node: lesson_plan, fromdoc: str) -> list[nodes.Node]:
    env = app.env
    rows, start = [], 0
    where = f"{node.source}:{node.line}"
    for kind, value, minutes in node["segments"]:
        if kind == "exercise":
            meta = env.exercise_meta.get(value)
            if meta is None:
                logger.warning(f"lesson-plan {node['title']!r}: no exercise with label {value!r} "
                               "(check its :label:, or write 'Name N' for a segment that is not an exercise)",
                               location=node, type="exercise_meta")
                continue
            minutes = meta["minutes"]
            activity = exercise_link(app, fromdoc, value)
            fmt = tr(meta["format"].capitalize(), where)
        else:
            activity, fmt = tr(value, where), ""
        rows.append([fmt_minutes(start), str(minutes), activity, fmt])
        start += minutes
    rows.append([fmt_minutes(start), str(start), tr("Total (computed)", where), ""])
    headers = [tr(h, where) for h in ("Start", "Minutes", "Activity", "Format")]
    table = build_table(headers, rows, ["lesson-plan-table"], [10, 10, 60, 20])
    table.insert(0, nodes.title(text=tr(node["title"], where)))
    table["ids"].append(nodes.make_id(f"lesson-plan-{node['title']}"))  # a captioned table needs an id
    out: list[nodes.Node] = [table]
    budget = node["budget"]
    if budget:
        if start > budget:
            logger.warning(f"lesson-plan {node['title']!r}: the segments take {start} min, over the budget of "
                           f"{budget} min; shorten or drop a segment", location=node, type="exercise_meta")
        spare = budget - start
        if spare > 0:
            text = tr("Total: {start} of {budget} minutes, {spare} to spare.", where, start=start, budget=budget,
                      spare=spare)
        elif spare == 0:
            text = tr("Total: {start} of {budget} minutes.", where, start=start, budget=budget)
        else:
            text = tr("Total: {start} of {budget} minutes; {over} minutes over.", where, start=start, budget=budget,
                      over=-spare)
        out.append(nodes.paragraph(text=text, classes=["lesson-plan-budget"]))
    return out


def lesson_plans(env: BuildEnvironment) -> dict[str, dict]:
    """Every lesson plan read, by title: ``docname``, ``lineno``, ``budget`` (None for homework) and ``segments``, each
    ``("exercise", label, minutes)`` or ``("named", name, minutes)``, an exercise's minutes from its metadata."""
    plans = {}
    for title, plan in getattr(env, "lesson_plans", {}).items():
        segments = [(kind, value, env.exercise_meta[value]["minutes"] if kind == "exercise" and value in
                     env.exercise_meta else minutes) for kind, value, minutes in plan["segments"]]
        plans[title] = {**plan, "segments": segments}
    return plans


def plan_exercises(env: BuildEnvironment, title: str) -> list[str] | None:
    """The exercise labels of the lesson plan ``title``, in its order; None if no plan has that title."""
    plan = getattr(env, "lesson_plans", {}).get(title)
    return None if plan is None else [value for kind, value, _ in plan["segments"] if kind == "exercise"]


def resolve_placeholders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(exercise_list)):
        node.replace_self(render_exercise_list(app, node, docname))
    for node in list(doctree.findall(lesson_plan)):
        node.replace_self(render_lesson_plan(app, node, docname))


# -- Environment: storage, parallel merge, purge, and stopping the build -------------------------------------------


def init_env(app: Sphinx, env: BuildEnvironment, docnames) -> None:
    for name, default in (("exercise_meta", dict), ("exercise_meta_errors", dict), ("exercise_meta_pages", set),
                          ("lesson_plans", dict)):
        if not hasattr(env, name):
            setattr(env, name, default())


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    init_env(app, env, [])
    for label in [lb for lb, meta in env.exercise_meta.items() if meta["docname"] == docname]:
        del env.exercise_meta[label]
    env.exercise_meta_errors.pop(docname, None)
    env.exercise_meta_pages.discard(docname)
    for title in [t for t, plan in env.lesson_plans.items() if plan["docname"] == docname]:
        del env.lesson_plans[title]


def merge_info(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    init_env(app, env, [])
    env.exercise_meta.update(getattr(other, "exercise_meta", {}))
    env.exercise_meta_errors.update(getattr(other, "exercise_meta_errors", {}))
    env.exercise_meta_pages |= getattr(other, "exercise_meta_pages", set())
    env.lesson_plans.update(getattr(other, "lesson_plans", {}))


def outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Pages with an exercise list or a lesson plan depend on every exercise: rebuild them when anything changes."""
    init_env(app, env, [])
    if added or changed or removed:
        return sorted(env.exercise_meta_pages - set(removed))
    return []


def stop_on_errors(app: Sphinx, env: BuildEnvironment) -> None:
    """After reading every page (and logging every problem), stop: a bad exercise must not be published.

    Under ``-W`` (every Makefile target) the logged errors already fail the build, and Sphinx's own summary is the
    clearest report; a non-strict build is stopped here instead.
    """
    errors = getattr(env, "exercise_meta_errors", {})
    count = sum(len(v) for v in errors.values())
    if count and not getattr(app, "_fail_on_warnings", False):
        where = "; ".join(f"{env.doc2path(doc)}:{item}" for doc, items in sorted(errors.items()) for item in items)
        raise MetadataError(f"{count} problem(s) in exercise metadata: {where}")


def setup(app: Sphinx):
    app.setup_extension("sphinx_exercise")
    app.setup_extension("guards.editions")  # the `instructor_edition` setting
    app.add_directive("exercise", MetaExerciseDirective, override=True)
    app.add_directive("exercise-list", ExerciseList)
    app.add_directive("lesson-plan", LessonPlan)
    for node in (exercise_list, lesson_plan):
        app.add_node(node, html=(_never_visited, None), latex=(_never_visited, None), text=(_never_visited, None))
    app.add_post_transform(TidyExerciseTitles)
    app.connect("env-before-read-docs", init_env)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-outdated", outdated)
    app.connect("env-check-consistency", stop_on_errors)
    app.connect("doctree-resolved", resolve_placeholders)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
