"""Session sheets: one instructor page per lesson plan, with everything needed in the room.

One job: gather, for one ``lesson-plan`` (see exercise_meta.py), what an instructor would otherwise collect from four
pages: the timed plan and its notes, what to prepare, and for each exercise in the plan the task as students see it,
the fallback prompts (room_prompts.py), the model answers and the rubric; then what to collect at the end.

``{session-sheet} PLAN TITLE`` (instructor edition only; the pages live in docs/instructor/) is replaced when the
page is written, when every exercise's number is known. The content is copied from the resolved pages it comes from,
with their links rewritten for the sheet's place, so a sheet never says anything its sources do not.

Checked at build time: a sheet that names no plan is an error (file and line), and so is a plan with no sheet.
`make handouts` (scripts/handouts.py) prints each sheet to PDF with the instructor marking on every page.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node, solution_node

from guards.editions import INSTRUCTOR_CLASS
from teaching.exercise_meta import exercise_number, lesson_plan, render_lesson_plan
from teaching.room_prompts import room_prompts
from i18n.translations import tr

HERE = "_ext/teaching/session_sheets.py"  # where the sheet's own words are written, for untranslated-message warnings
ROOT = Path(__file__).resolve().parents[2]
# "Before class": copies are counted for a class of this size, in groups of this size (printed as an assumption).
CLASS_SIZE, GROUP_SIZE = 24, 4
ROLE_CARDS = "exercises/role-cards"  # the page of role cards; each section names the exercise its cards go with


def handout_name(number: int, label: str) -> str:
    """The file name of an exercise's student handout (scripts/handouts.py prints it under this name)."""
    return f"exercise-{number:02d}-{label.removeprefix('ex-')}.pdf"


def worksheet_name(label: str) -> str:
    """The file name of an exercise's LINDDUN worksheet (scripts/handouts.py)."""
    return f"linddun-{label.removeprefix('ex-').removeprefix('linddun-')}.pdf"


LEDGER_FILE, CARDS_FILE = "claims-ledger.pdf", "role-cards.pdf"

logger = logging.getLogger(__name__)

# The class of a copied exercise: its text is the student edition's, so the leak test (tests/test_editions.py) does
# not count it as instructor material, although the sheet's page is.
STUDENT_TEXT = "student-text"


class session_sheet(nodes.General, nodes.Element):
    """Replaced by the sheet when the page is written."""


class SessionSheet(SphinxDirective):
    """``{session-sheet} Case 1 in one session``: the session sheet of the lesson plan with that title."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self):
        if not self.config.instructor_edition:
            return []
        node = session_sheet(title=self.arguments[0].strip())
        node.source, node.line = self.get_source_info()
        self.env.session_sheets[node["title"]] = (self.env.docname, self.lineno)
        return [node]


# -- Reading: where the plans are --------------------------------------------------------------------------------------


def record_plans(app: Sphinx, doctree: nodes.document) -> None:
    for node in doctree.findall(lesson_plan):
        app.env.session_plans[node["title"]] = (app.env.docname, node.line or 0)


def init_env(app: Sphinx, env: BuildEnvironment, docnames) -> None:
    for name in ("session_sheets", "session_plans"):
        if not hasattr(env, name):
            setattr(env, name, {})


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    init_env(app, env, [])
    for store in (env.session_sheets, env.session_plans):
        for title in [t for t, where in store.items() if where[0] == docname]:
            del store[title]


def merge_info(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    init_env(app, env, [])
    env.session_sheets.update(getattr(other, "session_sheets", {}))
    env.session_plans.update(getattr(other, "session_plans", {}))


def check(app: Sphinx, env: BuildEnvironment) -> None:
    if not app.config.instructor_edition:
        return
    for title, (docname, line) in sorted(env.session_sheets.items()):
        if title not in env.session_plans:
            logger.error(f"session-sheet: no lesson plan is titled {title!r} (plans: "
                         f"{', '.join(sorted(env.session_plans)) or 'none'})", location=(docname, line))
    for title, (docname, line) in sorted(env.session_plans.items()):
        if title not in env.session_sheets:
            logger.error(f"lesson plan {title!r} has no session sheet; add a page in docs/instructor/ with "
                         f"'```{{session-sheet}} {title}' and list it on docs/instructor/index.md",
                         location=(docname, line))


def outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """A sheet depends on its plan and its exercises: rebuild the sheets whenever anything changes."""
    init_env(app, env, [])
    if added or changed or removed:
        return sorted({doc for doc, _ in env.session_sheets.values()} - set(removed))
    return []


# -- Writing: the sheet ------------------------------------------------------------------------------------------------


def rebase(tree: nodes.Node, builder, fromdoc: str, todoc: str) -> None:
    """Links resolved for ``fromdoc`` rewritten for ``todoc``; ids renamed ("s-", the source page and the id), so none
    clashes with the sheet's own or with those copied from another page, which may reuse the same generated id (the
    HTML writer needs an id on numbered nodes such as tables)."""
    src = builder.get_target_uri(fromdoc)
    here = posixpath.dirname(builder.get_target_uri(todoc)) or "."
    page = fromdoc.replace("/", "-")
    for node in tree.findall(nodes.Element):
        node["ids"] = [f"s-{page}-{i}" for i in node["ids"]]
        if "backrefs" in node:
            node["backrefs"] = []
    for ref in tree.findall(nodes.reference):
        uri = ref.get("refuri")
        if uri is None and ref.get("refid"):
            uri = "#" + ref["refid"]
            del ref["refid"]
        if not uri or "://" in uri or uri.startswith(("mailto:", "data:")):
            continue
        path, _, frag = uri.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src), path)) if path else src
        ref["refuri"] = posixpath.relpath(target, here) + ("#" + frag if frag else "")


def section(title: str, sid: str, *children: nodes.Node) -> nodes.section:
    sect = nodes.section(ids=[sid], classes=["session-sheet-part"])
    sect += nodes.title(text=title)
    sect.extend(children)
    return sect


def render_sheet(app: Sphinx, node: session_sheet, sheetdoc: str) -> list[nodes.Node]:
    env, builder = app.env, app.builder
    title = node["title"]
    if title not in env.session_plans:
        return []  # reported by check()
    plandoc, _ = env.session_plans[title]
    plantree = env.get_and_resolve_doctree(plandoc, builder, tags=app.tags, doctree=env.get_doctree(plandoc))
    plan = next(n for n in env.get_doctree(plandoc).findall(lesson_plan) if n["title"] == title)

    # 1. The timed plan, and the notes written under it on the lesson-plans page (its section, minus the table).
    out = render_lesson_plan(app, plan, sheetdoc)
    notes: list[nodes.Node] = []
    for table in plantree.findall(nodes.table):
        caption = next(iter(table.findall(nodes.title)), None)
        if caption is not None and caption.astext() == title and isinstance(table.parent, nodes.section):
            notes = [kid.deepcopy() for kid in table.parent.children
                     if isinstance(kid, (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list))
                     and "lesson-plan-budget" not in kid["classes"]]
            break
    for kid in notes:
        rebase(kid, builder, plandoc, sheetdoc)
    parts = [section(tr("Timed plan", HERE), "timed-plan", *out, *notes)]

    labels = [value for kind, value, _ in plan["segments"] if kind == "exercise" and value in env.exercise_meta]
    docs = []
    for label in labels:
        doc = env.exercise_meta[label]["docname"]
        if doc not in docs:
            docs.append(doc)
    trees = {doc: env.get_and_resolve_doctree(doc, builder, tags=app.tags, doctree=env.get_doctree(doc))
             for doc in docs}
    titles = {}  # each exercise's title as its page shows it (translated in a translated edition)
    for label in labels:
        for ex in trees[env.exercise_meta[label]["docname"]].findall(
                lambda n: isinstance(n, (exercise_node, exercise_enumerable_node))):
            if ex.get("label") == label and isinstance(ex[0], nodes.title):
                titles[label] = ex[0].astext().strip()
    parts.append(before_class(app, plan, labels, sheetdoc, titles))

    # 2. Before the session: the instructor notes on the exercise pages that are not inside an exercise.
    before = []
    for doc, tree in trees.items():
        for box in tree.findall(nodes.admonition):
            inside = any(isinstance(a, (exercise_node, exercise_enumerable_node, solution_node))
                         for a in _ancestors(box))
            if INSTRUCTOR_CLASS in box["classes"] and "room-prompts" not in box["classes"] and not inside:
                copy = box.deepcopy()
                # A paragraph about an exercise the plan does not use is not for this session.
                for para in list(copy.findall(nodes.paragraph)):
                    targets = {r.get("refuri", "").partition("#")[2] or r.get("refid", "")
                               for r in para.findall(nodes.reference)}
                    if any(t in env.exercise_meta and t not in labels for t in targets):
                        para.parent.remove(para)
                rebase(copy, builder, doc, sheetdoc)
                before.append(copy)
    if before:
        parts.append(section(tr("Before the session", HERE), "before-the-session", *before))

    # 3. Each exercise: the task as students see it, the fallback prompts, the model answers and the rubric.
    headings = {}
    for label in labels:
        doc = env.exercise_meta[label]["docname"]
        tree = trees[doc]
        found = []
        for ex in tree.findall(lambda n: isinstance(n, (exercise_node, exercise_enumerable_node))):
            if ex.get("label") == label:
                found.append(ex)
        for box in tree.findall(nodes.admonition):
            if box.get("criteria_for") == label:  # the criteria and marks, as students see them (grading.py)
                found.append(box)
        for sol in tree.findall(solution_node):
            if sol.get("target_label") == label:
                found.append(sol)
        for marker in tree.findall(room_prompts):
            if marker["label"] == label:
                found.append(marker.parent)
        number = exercise_number(env, label)
        prefix = (tr("Exercise {number} ", HERE, number=".".join(map(str, number))) if number
                  else tr("Exercise ", HERE))
        if found and isinstance(found[0][0], nodes.title):  # the writer cannot number a copy: write the number
            found[0][0].insert(0, nodes.Text(prefix))
        copies = []
        for item in found:
            copy = item.deepcopy()
            copy["classes"] = [c for c in copy["classes"] if c != "dropdown"]  # printed and shown open
            if isinstance(copy, (exercise_node, exercise_enumerable_node)) or copy.get("criteria_for"):
                copy["classes"].append(STUDENT_TEXT)  # the task and criteria as students see them: not instructor-only
            rebase(copy, builder, doc, sheetdoc)
            copies.append(copy)
        heading = found[0][0].astext() if found and isinstance(found[0][0], nodes.title) else label
        headings[label] = heading
        parts.append(section(heading, f"sheet-{label}", *copies))

    # 4. What to collect: the graded exercises of the plan, and any hand-in segment.
    graded = [label for label in labels if env.exercise_meta[label]["graded"]]
    items = nodes.bullet_list()
    for label in graded:
        meta = env.exercise_meta[label]
        items += nodes.list_item("", nodes.paragraph(
            text=tr("{exercise}: the {format} work, graded with the criteria above.", HERE,
                    exercise=headings[label], format=tr(meta["format"].capitalize(), HERE).lower())))
    for kind, value, minutes in plan["segments"]:
        if kind == "named" and "hand-in" in value.lower():
            items += nodes.list_item("", nodes.paragraph(text=tr("When: {segment} ({minutes} min).", HERE,
                                                                 segment=tr(value, HERE),
                                                                 minutes=minutes)))
    if not graded:
        items += nodes.list_item("", nodes.paragraph(text=tr("Nothing is graded in this plan; collect nothing.",
                                                             HERE)))
    parts.append(section(tr("What to collect", HERE), "what-to-collect", items))
    return parts


def role_cards(env: BuildEnvironment) -> dict[str, int]:
    """{exercise label: number of role cards} from the role-cards page: a section's cards go with the exercise its
    text refers to (``{numref}`ex-...```)."""
    if ROLE_CARDS not in env.all_docs:
        return {}
    found: dict[str, int] = {}
    for sect in env.get_doctree(ROLE_CARDS).findall(nodes.section):
        refs = [x["reftarget"] for x in sect.findall(addnodes.pending_xref) if x["reftarget"] in env.exercise_meta]
        cards = [c for c in sect.findall(nodes.container) if "role-card" in c["classes"]]
        if refs and cards and not any(isinstance(s, nodes.section) for s in sect.children):
            found[refs[0]] = len(cards)
    return found


def plan_materials(env: BuildEnvironment, labels: list[str]) -> list[tuple[str, str, str]]:
    """What a plan's exercises need on paper, from their metadata and pages: [(kind, file, exercise label)], kind
    one of "handout", "ledger", "worksheet", "cards". The session sheet lists them; tests/test_handouts.py checks
    each file against the plan."""
    cards = role_cards(env)
    found = []
    for label in labels:
        meta = env.exercise_meta[label]
        number = exercise_number(env, label)
        if number:
            found.append(("handout", handout_name(number[-1], label), label))
        if "claims ledger" in " ".join(meta.get("objectives") or []).lower():
            found.append(("ledger", LEDGER_FILE, label))
        tree = env.get_doctree(meta["docname"])
        for ex in tree.findall(lambda n: isinstance(n, (exercise_node, exercise_enumerable_node))):
            if ex.get("label") == label and any("linddun-worksheet" in t["classes"] for t in ex.findall(nodes.table)):
                found.append(("worksheet", worksheet_name(label), label))
        if label in cards:
            found.append(("cards", CARDS_FILE, label))
    return found


def copies(fmt: str) -> tuple[int, str]:
    """(copies, for whom) of one sheet for an exercise done in this format, for the assumed class."""
    groups, pairs = -(-CLASS_SIZE // GROUP_SIZE), -(-CLASS_SIZE // 2)
    return {"group": (groups, tr("one per group", HERE)), "pair": (pairs, tr("one per pair", HERE)),
            "whole class": (1, tr("one for the room", HERE))}.get(fmt, (CLASS_SIZE, tr("one per student", HERE)))


def before_class(app: Sphinx, plan, labels: list[str], sheetdoc: str, titles: dict[str, str]) -> nodes.section:
    """"Before class": each file to print, with its copies, what to project and what to collect."""
    env = app.env
    groups = -(-CLASS_SIZE // GROUP_SIZE)
    intro = nodes.paragraph(text=tr("Copies assume a class of {size} students, in groups of {group} ({groups} groups) "
                                    "or pairs; scale them to your class. The files are in the handouts folder "
                                    "(make handouts): students/ for students, instructor/ for you.", HERE,
                                    size=CLASS_SIZE, group=GROUP_SIZE, groups=groups))
    items = nodes.bullet_list(classes=["before-class"])
    cards = role_cards(env)
    for kind, file, label in plan_materials(env, labels):
        meta = env.exercise_meta[label]
        number = exercise_number(env, label)
        exercise = tr("Exercise {number}", HERE, number=".".join(map(str, number))) if number else label
        count, whom = copies(meta["format"])
        if kind == "handout":
            text = tr("Print {file} ({exercise}, {title}): {whom}, {count} in all.", HERE, file=file,
                      exercise=exercise, title=titles.get(label, meta["title"]).strip(), count=count,
                      whom=whom)
        elif kind == "cards":
            text = tr("Print {file}, the {cards} role cards for {exercise}: one set per group, {count} in all; cut "
                      "them apart along the dashed lines.", HERE, file=file, cards=cards[label], exercise=exercise,
                      count=groups)
        else:
            text = tr("Print {file}, the worksheet of {exercise}: {whom}, {count} in all.", HERE, file=file,
                      exercise=exercise, count=count, whom=whom)
        item = nodes.list_item("", nodes.paragraph(text=text))
        item["classes"].append(f"before-class-{kind}")
        items += item
    deck = Path(sheetdoc).name
    if (ROOT / "slides" / f"{deck}.md").is_file():
        project = tr("Project slides/{deck}.html, this session's deck (make slides); F for full screen.", HERE,
                     deck=deck)
    else:
        project = tr("Nothing to project: this plan is done outside class.", HERE)
    items += nodes.list_item("", nodes.paragraph(text=project), classes=["before-class-project"])
    graded = [label for label in labels if env.exercise_meta[label]["graded"]]
    if graded:
        names = ", ".join(tr("Exercise {number}", HERE, number=".".join(map(str, exercise_number(env, lb) or ())))
                          for lb in graded)
        collect = tr("Collect the graded work of {exercises} (see \"What to collect\").", HERE, exercises=names)
    else:
        collect = tr("Nothing is graded in this plan; collect nothing.", HERE)
    items += nodes.list_item("", nodes.paragraph(text=collect), classes=["before-class-collect"])
    return section(tr("Before class: print, project, collect", HERE), "before-class", intro, items)


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _never_visited(self, node):
    raise nodes.SkipNode


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(session_sheet)):
        # A sheet is copies of other pages' parts, linked for HTML. Other builders (gettext: the messages to translate
        # are those of the pages it copies) get nothing.
        node.replace_self(render_sheet(app, node, docname) if app.builder.format == "html" else [])


def setup(app: Sphinx):
    app.setup_extension("teaching.exercise_meta")
    app.setup_extension("teaching.room_prompts")
    app.add_directive("session-sheet", SessionSheet)
    app.add_node(session_sheet, html=(_never_visited, None))
    app.connect("env-before-read-docs", init_env)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-outdated", outdated)
    app.connect("doctree-read", record_plans)
    app.connect("env-check-consistency", check)
    app.connect("doctree-resolved", resolve)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
