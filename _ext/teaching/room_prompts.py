"""Fallback prompts for a discussion that stalls, checked at build time.

One job: every discussion exercise (format ``group`` or ``whole class``) carries, in an instructor note, two prompts
for a quiet room and one for a room that runs away from the facts.

``room-prompts`` takes the exercise's label and a list of items, each starting with its kind::

    :::{room-prompts} ex-feature-points
    - quiet: Ask each pair to read out the one number from the table that surprised them most.
    - quiet: ...
    - facts: When someone cites a real product's accuracy, ask where the number comes from.
    :::

Kinds: ``quiet`` (at least two) and ``facts`` (at least one). Items may use MyST inline markup ({cite:p} roles).
In the instructor edition the prompts become an ``instructor-only`` box under the exercise; in the student edition
the directive returns nothing and its content is never parsed (as for ``instructor``). The check runs in both
editions, on the raw lines, so a discussion without its prompts fails either build, naming the exercise's file and
line; so does a box with too few prompts, an unknown kind, or a label that names no exercise.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from guards.editions import INSTRUCTOR_CLASS
from i18n.translations import tr

logger = logging.getLogger(__name__)

DISCUSSION_FORMATS = ("group", "whole class")
KINDS = {"quiet": "If the room goes quiet", "facts": "If the room runs away from the facts"}
NEEDED = {"quiet": 2, "facts": 1}
ITEM = re.compile(r"^- (?P<kind>[a-z]+):\s*(?P<text>.*)$")


class room_prompts(nodes.General, nodes.Element):
    """Marks the box (label, and each kind's prompts) so that session sheets can find it."""


def parse_items(lines: list[str]) -> tuple[list[tuple[str, list[str], int]], list[str]]:
    """[(kind, text lines, offset)], [problems]. An item runs until the next line that starts with '- '."""
    items, problems = [], []
    for offset, line in enumerate(lines):
        if not line.strip():
            continue
        match = ITEM.match(line)
        if match:
            if match["kind"] not in KINDS:
                problems.append(f"unknown kind {match['kind']!r} (one of: {', '.join(KINDS)})")
            items.append((match["kind"], [match["text"]], offset))
        elif line.startswith("  ") and items:
            items[-1][1].append(line.strip())
        else:
            problems.append(f"cannot read {line.strip()!r}: each prompt starts with '- quiet:' or '- facts:'")
    for kind, needed in NEEDED.items():
        have = sum(1 for k, _, _ in items if k == kind)
        if have < needed:
            problems.append(f"{have} '{kind}' prompt(s); at least {needed} needed ({KINDS[kind].lower()})")
    return items, problems


class RoomPrompts(SphinxDirective):
    """``:::{room-prompts} LABEL``: fallback prompts for the discussion exercise LABEL (instructor edition only)."""

    required_arguments = 1
    has_content = True

    def run(self):
        label = self.arguments[0].strip()
        docname = self.env.docname
        items, problems = parse_items(list(self.content))
        for problem in problems:
            logger.error(f"room-prompts {label}: {problem}", location=(docname, self.lineno), type="room_prompts")
            self.env.exercise_meta_errors.setdefault(docname, []).append(f"{self.lineno}: room-prompts: {problem}")
        self.env.room_prompts[label] = (docname, self.lineno, not problems)
        if not self.config.instructor_edition:
            return []  # never parsed: nothing of it reaches the student edition
        box = nodes.admonition(classes=[INSTRUCTOR_CLASS, "instructor-box", "room-prompts"])
        box.source, box.line = self.get_source_info()
        where = (docname, self.lineno)
        box += nodes.title(text=tr("Instructor note: if the discussion stalls", where))
        marker = room_prompts(label=label)
        for kind, heading in KINDS.items():
            mine = [(lines, offset) for k, lines, offset in items if k == kind]
            if not mine:
                continue
            box += nodes.paragraph("", "", nodes.strong(text=tr(heading, where)))
            bullets = nodes.bullet_list(classes=[f"room-prompts-{kind}"])
            for lines, offset in mine:
                item = nodes.list_item()
                self.state.nested_parse(StringList(lines, self.content.source(offset) or ""),
                                        self.content_offset + offset, item)
                bullets += item
            box += bullets
        box += marker
        return [box]


def init_env(app: Sphinx, env: BuildEnvironment, docnames) -> None:
    if not hasattr(env, "room_prompts"):
        env.room_prompts = {}


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    init_env(app, env, [])
    for label in [lb for lb, where in env.room_prompts.items() if where[0] == docname]:
        del env.room_prompts[label]


def merge_info(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    init_env(app, env, [])
    env.room_prompts.update(getattr(other, "room_prompts", {}))


def check(app: Sphinx, env: BuildEnvironment) -> None:
    """Every discussion has its prompts, and every box names an exercise. Runs before exercise_meta stops the build."""
    init_env(app, env, [])
    meta = getattr(env, "exercise_meta", {})
    for label, info in sorted(meta.items()):
        if info["format"] in DISCUSSION_FORMATS and label not in env.room_prompts:
            problem = (f"exercise {label} is a {info['format']} discussion but has no fallback prompts; add "
                       f"':::{{room-prompts}} {label}' after it with two '- quiet:' items and one '- facts:' item")
            logger.error(problem, location=(info["docname"], info["lineno"]), type="room_prompts")
            env.exercise_meta_errors.setdefault(info["docname"], []).append(f"{info['lineno']}: {problem}")
    for label, (docname, lineno, _) in sorted(env.room_prompts.items()):
        if label not in meta:
            problem = f"room-prompts {label}: no exercise has this label"
            logger.error(problem, location=(docname, lineno), type="room_prompts")
            env.exercise_meta_errors.setdefault(docname, []).append(f"{lineno}: {problem}")


def _skip(self, node):
    raise nodes.SkipNode


def setup(app: Sphinx):
    app.setup_extension("guards.editions")
    app.setup_extension("teaching.exercise_meta")
    app.add_directive("room-prompts", RoomPrompts)
    app.add_node(room_prompts, html=(_skip, None), latex=(_skip, None), text=(_skip, None))
    app.connect("env-before-read-docs", init_env)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-check-consistency", check, priority=400)  # before exercise_meta's stop_on_errors (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
