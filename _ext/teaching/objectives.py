"""Learning objectives, mapped to what assesses them: every objective is assessed, every reference exists.

One job: tie each case's learning objectives to the exercises, rubric criteria and quiz items that assess them.

- ``{objective}`id``` opens an item of a case's "Learning objectives" list (cases/<case>/index.md) and gives the
  objective its id: lower-case letters, digits and hyphens, starting with the case's prefix (``remark-``,
  ``masks-``). The student edition shows nothing for it but an anchor; the instructor edition shows the id.
- Exercises name what they assess with ``:assesses: id; id`` (_ext/teaching/exercise_meta.py), rubric criteria with the
  criteria block's ``:assesses: Criterion = id id; ...`` (_ext/teaching/grading.py), quiz items with ``objectives: [id]``
  (_ext/teaching/quiz_source.py, which checks its own ids against ``declared``).
- ``{objective-map}`` (instructor edition only) draws the map: one row per objective, with the exercises, rubric
  criteria and quiz items that assess it.

Checked after reading every page, each an error naming the file and line: an objective declared twice or outside a
case's index page, an exercise or criterion that names an id nobody declared (or names none), and an objective that
nothing assesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROLE = re.compile(r"\{objective\}`([^`]*)`\s*(.*)")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MARKS = re.compile(r"[(（]\s*\d+\s*[)）]")  # "Timeline (2)": the marks after a criterion's name
PREFIX = {"face-data-remark": "remark-", "masked-photos": "masks-"}


@dataclass
class Objective:
    id: str
    case: str
    path: str  # the index page, relative to the root
    line: int
    text: str


def declared(root: Path = ROOT) -> dict[str, Objective]:
    """Every objective declared on a case's index page, read from the source (no Sphinx needed)."""
    found: dict[str, Objective] = {}
    for case in PREFIX:
        path = root / "cases" / case / "index.md"
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in ROLE.finditer(line):
                found.setdefault(match[1].strip(), Objective(match[1].strip(), case, f"cases/{case}/index.md",
                                                             number, match[2].strip()))
    return found


def split_ids(value: str | None) -> list[str]:
    return [item for item in re.split(r"[;,\s]+", value or "") if item]


# -- Sphinx ----------------------------------------------------------------------------------------------------------

from docutils import nodes  # noqa: E402
from sphinx.application import Sphinx  # noqa: E402
from sphinx.environment import BuildEnvironment  # noqa: E402
from sphinx.errors import SphinxError  # noqa: E402
from sphinx.util import logging  # noqa: E402
from sphinx.util.docutils import SphinxDirective, SphinxRole  # noqa: E402
from i18n.translations import tr  # noqa: E402

logger = logging.getLogger(__name__)


class ObjectiveError(SphinxError):
    category = "Objective error"


def _problem(env: BuildEnvironment, docname: str, lineno: int, message: str) -> None:
    logger.error(message, location=(docname, lineno), type="objectives")
    env.objective_errors.append(f"{env.doc2path(docname)}:{lineno}: {message}")


class objective_mark(nodes.inline):
    """The id of an objective, where it is declared (instructor edition: shown; student edition: an anchor)."""


class ObjectiveRole(SphinxRole):
    def run(self):
        oid = self.text.strip()
        env, docname = self.env, self.env.docname
        parts = docname.split("/")
        case = parts[1] if len(parts) == 3 and parts[0] == "cases" and parts[2] == "index" else None
        if not ID.match(oid):
            _problem(env, docname, self.lineno, f"objective {oid!r}: an id is lower-case letters, digits and "
                     "hyphens, e.g. {objective}`masks-law-then-now`")
        elif case not in PREFIX:
            _problem(env, docname, self.lineno, f"objective {oid!r}: objectives are declared only in a case's "
                     "'Learning objectives' list (cases/<case>/index.md)")
        elif not oid.startswith(PREFIX[case]):
            _problem(env, docname, self.lineno, f"objective {oid!r}: ids on {docname}.md start with "
                     f"{PREFIX[case]!r}")
        elif oid in env.objectives and env.objectives[oid]["docname"] != docname:
            first = env.objectives[oid]
            _problem(env, docname, self.lineno, f"objective {oid!r} is already declared at "
                     f"{env.doc2path(first['docname'])}:{first['lineno']}; ids are unique")
        elif oid in env.objectives:
            pass  # the same item again: a translated page parses each message's translation a second time
        else:
            env.objectives[oid] = {"docname": docname, "lineno": self.lineno, "case": case, "text": ""}
        node = objective_mark("", f"[{oid}] " if self.config.instructor_edition else "",
                              classes=["objective-id"], ids=[f"objective-{oid}"])
        node["objective"] = oid
        return [node], []


def collect_texts(app: Sphinx, doctree: nodes.document) -> None:
    """After reading (translation applied): each objective's text, from its list item, for the map."""
    env = app.env
    for node in doctree.findall(objective_mark):
        oid = node["objective"]
        if oid in env.objectives and env.objectives[oid]["docname"] == env.docname:
            item = node.parent
            while item is not None and not isinstance(item, (nodes.list_item, nodes.paragraph)):
                item = item.parent
            text = item.astext() if item is not None else ""
            env.objectives[oid]["text"] = " ".join(text.replace(node.astext(), "", 1).split())
    # The criteria's names as this build shows them (translated), for the map: the first cell of each body row.
    for box in doctree.findall(lambda n: isinstance(n, nodes.Element) and "criteria_for" in n):
        names = [MARKS.sub("", row.children[0].astext()).strip() for row in box.findall(nodes.row)
                 if not isinstance(row.parent, nodes.thead)]
        env.criteria_names[box["criteria_for"]] = names


class objective_map(nodes.General, nodes.Element):
    """Replaced by the map when the page is written."""


class ObjectiveMap(SphinxDirective):
    """``{objective-map}``: objective × exercise, rubric criterion and quiz item (instructor edition only)."""

    def run(self):
        if not self.config.instructor_edition:
            return []
        node = objective_map()
        node.source, node.line = self.get_source_info()
        self.env.objective_map_pages.add(self.env.docname)
        return [node]


def assessments(env: BuildEnvironment, root: Path) -> dict[str, dict[str, list]]:
    """For each objective id: the exercises, the criteria (label, criterion) and the quiz items that assess it."""
    from teaching.quiz_source import load_all

    found: dict[str, dict[str, list]] = {}

    def add(oid, kind, what):
        found.setdefault(oid, {"exercises": [], "criteria": [], "quiz": []})[kind].append(what)

    for label, meta in env.exercise_meta.items():
        for oid in meta.get("assesses", []):
            add(oid, "exercises", label)
    for label, info in env.grading_criteria.items():
        shown = getattr(env, "criteria_names", {}).get(label, [])
        for n, row in enumerate(info.get("rows", [])):
            for oid in row["assesses"]:
                add(oid, "criteria", (label, shown[n] if n < len(shown) else row["name"]))
    for quiz in load_all(root):
        for q in quiz.questions:
            for oid in q.objectives:
                add(oid, "quiz", q)
    return found


def check(app: Sphinx, env: BuildEnvironment) -> None:
    """After reading: every reference names a declared objective, and every objective is assessed."""
    init_env(app, env)
    # Ids are checked against the index pages' source too, so a build that reads only some pages (a fault test's)
    # still knows every objective; "nothing assesses it" is checked only when every page that assesses was read.
    known = {**{oid: None for oid in declared(Path(app.srcdir))}, **env.objectives}
    assessing = {str(p.relative_to(app.srcdir).with_suffix("")) for p in (Path(app.srcdir) / "exercises").glob("*.md")
                 if ":assesses:" in p.read_text(encoding="utf-8")}
    for label, meta in sorted(env.exercise_meta.items()):
        if not meta.get("assesses"):
            _problem(env, meta["docname"], meta["lineno"], f"exercise {label}: missing :assesses: (the ids of the "
                     "case objectives it assesses, from the case's index page, e.g. ':assesses: masks-provenance')")
        for oid in meta.get("assesses", []):
            if oid not in known:
                _problem(env, meta["docname"], meta["lineno"], f"exercise {label}: :assesses: names {oid!r}, which "
                         f"no case declares (declared: {', '.join(sorted(known))})")
    for label, info in sorted(env.grading_criteria.items()):
        for row in info.get("rows", []):
            if not row["assesses"]:
                _problem(env, info["docname"], row["line"], f"criteria for {label}: criterion {row['name']!r} names "
                         "no objective; add 'Name = id' to the block's :assesses:")
            for oid in row["assesses"]:
                if oid not in known:
                    _problem(env, info["docname"], row["line"], f"criteria for {label}: criterion {row['name']!r} "
                             f"names objective {oid!r}, which no case declares")
    if env.objectives and assessing <= set(env.found_docs):
        assessed = assessments(env, app.srcdir)
        for oid, info in sorted(env.objectives.items()):
            if oid not in assessed:
                _problem(env, info["docname"], info["lineno"], f"objective {oid!r} is taught but nothing assesses "
                         "it: name it in an exercise's :assesses:, a criterion or a quiz item's objectives")
    if env.objective_errors and not getattr(app, "_fail_on_warnings", False):
        raise ObjectiveError(f"{len(env.objective_errors)} objective problem(s): " + "; ".join(env.objective_errors))
    env.objective_errors = []


def render_map(app: Sphinx, node: objective_map, fromdoc: str) -> list[nodes.Node]:
    from teaching.exercise_meta import build_table, exercise_link

    env = app.env
    where = env.doc2path(fromdoc)
    assessed = assessments(env, app.srcdir)
    rows = []
    for oid, info in sorted(env.objectives.items(), key=lambda kv: (kv[1]["docname"], kv[1]["lineno"])):
        found = assessed.get(oid, {"exercises": [], "criteria": [], "quiz": []})
        uri = app.builder.get_relative_uri(fromdoc, info["docname"]) + f"#objective-{oid}"
        objective = nodes.paragraph("", "", nodes.reference("", oid, internal=True, refuri=uri),
                                    nodes.Text(f": {info['text']}"))
        exercises = nodes.paragraph()
        for n, label in enumerate(sorted(set(found["exercises"]), key=lambda lb: _number(app, lb))):
            if label in env.exercise_meta:
                exercises += ([nodes.Text("; ")] if n else []) + exercise_link(app, fromdoc, label, with_title=False)
        criteria = "; ".join(f"{_short(app, label)}: {name}" for label, name
                             in sorted(found["criteria"], key=lambda c: _number(app, c[0])))
        quiz = ", ".join(f"{q.id} ({tr(q.set, where)})" for q in found["quiz"])
        rows.append([objective, exercises, criteria, quiz])
    headers = [tr(h, where) for h in ("Objective", "Exercises", "Rubric criteria", "Quiz items")]
    return [build_table(headers, rows, ["objective-map-table"], [34, 16, 26, 24])]


def _number(app: Sphinx, label: str) -> tuple:
    from teaching.exercise_meta import exercise_number

    return exercise_number(app.env, label) or (999,)


def _short(app: Sphinx, label: str) -> str:
    from teaching.exercise_meta import exercise_number

    number = exercise_number(app.env, label)
    return tr("Exercise {number}", app.env.doc2path(app.env.exercise_meta[label]["docname"]),
              number=".".join(map(str, number))) if number else label


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(objective_map)):
        node.replace_self(render_map(app, node, docname))


# -- Environment -----------------------------------------------------------------------------------------------------


def init_env(app: Sphinx, env: BuildEnvironment, docnames=()) -> None:
    for name, default in (("objectives", dict), ("objective_errors", list), ("objective_map_pages", set),
                          ("criteria_names", dict)):
        if not hasattr(env, name):
            setattr(env, name, default())


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    init_env(app, env)
    for oid in [o for o, info in env.objectives.items() if info["docname"] == docname]:
        del env.objectives[oid]
    for label in [lb for lb, info in getattr(env, "grading_criteria", {}).items() if info["docname"] == docname]:
        env.criteria_names.pop(label, None)
    env.objective_map_pages.discard(docname)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    init_env(app, env)
    env.objectives.update(getattr(other, "objectives", {}))
    env.objective_errors.extend(getattr(other, "objective_errors", []))
    env.objective_map_pages |= getattr(other, "objective_map_pages", set())
    env.criteria_names.update(getattr(other, "criteria_names", {}))


def outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    init_env(app, env)
    return sorted(env.objective_map_pages - set(removed)) if (added or changed or removed) else []


def _visit_mark(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="objective-id"))


def _depart_mark(self, node):
    self.body.append("</span>")


def _never_visited(self, node):
    raise nodes.SkipNode


def setup(app: Sphinx):
    app.setup_extension("teaching.exercise_meta")
    app.add_role("objective", ObjectiveRole())
    app.add_directive("objective-map", ObjectiveMap)
    app.add_node(objective_mark, html=(_visit_mark, _depart_mark), latex=(lambda s, n: None, lambda s, n: None),
                 text=(lambda s, n: None, lambda s, n: None))
    app.add_node(objective_map, html=(_never_visited, None), latex=(_never_visited, None), text=(_never_visited, None))
    app.connect("env-before-read-docs", init_env)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-outdated", outdated)
    app.connect("doctree-read", collect_texts)
    app.connect("env-check-consistency", check)
    app.connect("doctree-resolved", resolve)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
