"""Two editions from one source: the student edition, and the instructor edition (``-t instructor``).

One job: make sure instructor material cannot reach any output file of the student edition.

- ``instructor`` directive (MyST ``:::{instructor}`` ... ``:::``). In the instructor edition its content is parsed
  into a box marked ``instructor-only``. In the student edition the directive returns nothing and its content is
  **never parsed**, so it reaches no doctree, and therefore no HTML page, search index, ``objects.inv`` or any
  other file. (A collapsed or CSS-hidden box would still be in the HTML; removal at parse time is the only safe way.)
- Solutions: sphinx-exercise's ``solution`` directive returns no node when ``hide_solutions`` is true (checked in
  ``sphinx_exercise.directive.SolutionDirective.run``), before it registers a label. This extension checks that
  ``hide_solutions`` is the opposite of the edition, so the two settings cannot drift apart, and marks every
  solution of the instructor edition ``instructor-only`` too, except the self-check answers of ungraded exercises
  (``:self-check:``, _ext/teaching/grading.py), which both editions show.
- Pages under ``docs/instructor/`` are excluded from the student build in conf.py; in the instructor edition their
  sections are marked ``instructor-only``.

The ``instructor-only`` class is what the leak test (tests/test_editions.py) collects from the instructor edition
before it searches every file of the student edition for each paragraph.

- The printed marking: every page of the instructor edition printed from a browser carries
  "Instructor edition, do not distribute" in its top margin (``_static/instructor-print.css``, one stylesheet for
  every language). The stylesheet's text is a message of whose-face.po: the copy in the build's ``_static`` gets the
  translation, so a new language needs no stylesheet of its own.

Configuration (conf.py, section "Exercises and editions"): ``instructor_edition`` (bool).
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from i18n.translations import tr

logger = logging.getLogger(__name__)

INSTRUCTOR_CLASS = "instructor-only"
INSTRUCTOR_DOCS = "docs/instructor/"
PRINT_CSS = "instructor-print.css"
PRINT_MARK = "Instructor edition, do not distribute"  # the `content` of the stylesheet's @top-center box


def is_instructor_edition(config: Config) -> bool:
    return bool(config.instructor_edition)


class Instructor(SphinxDirective):
    """``:::{instructor}``: material for instructors only; parsed in the instructor edition, dropped otherwise.

    An optional argument is the box's title (default "For instructors").
    """

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self):
        if not is_instructor_edition(self.config):
            return []  # the content is never parsed: nothing of it exists in the student edition
        # An admonition, so the theme gives it a visible frame and title without any new CSS.
        box = nodes.admonition(classes=[INSTRUCTOR_CLASS, "instructor-box"])
        box.source, box.line = self.get_source_info()
        where = self.get_location()
        if self.arguments:
            title = tr("Instructor note: {title}", where, title=tr(self.arguments[0], where))
        else:
            title = tr("For instructors", where)
        box += nodes.title(text=title)
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


def check_config(app: Sphinx, config: Config) -> None:
    """``hide_solutions`` must follow the edition: solutions only in the instructor edition."""
    if bool(config.hide_solutions) == is_instructor_edition(config):
        raise ConfigError(
            f"conf.py: hide_solutions={config.hide_solutions!r} but instructor_edition="
            f"{config.instructor_edition!r}. Set hide_solutions = not INSTRUCTOR, so that the student edition has no "
            "solutions and the instructor edition has them all."
        )


def mark_instructor_material(app: Sphinx, doctree: nodes.document) -> None:
    """Give every solution, and every section of an instructor page, the ``instructor-only`` class."""
    if not is_instructor_edition(app.config):
        return
    from sphinx_exercise.nodes import solution_node

    for node in doctree.findall(solution_node):
        if "self-check" in node["classes"]:
            continue  # a self-check answer of an ungraded exercise, which students see too (_ext/teaching/grading.py)
        if INSTRUCTOR_CLASS not in node["classes"]:
            node["classes"].append(INSTRUCTOR_CLASS)
    if app.env.docname.startswith(INSTRUCTOR_DOCS):
        for section in doctree.findall(nodes.section):
            if section.parent is doctree and INSTRUCTOR_CLASS not in section["classes"]:
                section["classes"].append(INSTRUCTOR_CLASS)


def translate_print_mark(app: Sphinx, exception) -> None:
    """The built copy of the printed marking's stylesheet says it in the build's language (whose-face.po)."""
    if exception is not None or app.builder.format != "html" or not is_instructor_edition(app.config):
        return
    css = Path(app.outdir) / "_static" / PRINT_CSS
    if not css.is_file():
        return
    text = css.read_text(encoding="utf-8")
    quoted = json.dumps(PRINT_MARK)
    if quoted not in text:  # already translated (an incremental build that did not copy it again)
        return
    css.write_text(text.replace(quoted, json.dumps(tr(PRINT_MARK, f"_static/{PRINT_CSS}"), ensure_ascii=False)),
                   encoding="utf-8")


def setup(app: Sphinx):
    app.add_config_value("instructor_edition", False, "env", bool)
    app.connect("config-inited", check_config, priority=900)
    app.add_directive("instructor", Instructor)
    app.connect("doctree-read", mark_instructor_material)
    app.connect("build-finished", translate_print_mark)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
