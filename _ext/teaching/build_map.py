"""The build itself as a diagram, for maintainers (docs/instructor/maintainers.md, issue #30).

``{build-map}`` draws how the sources become the four editions, the handouts, the decks, the zips and the LMS
files, with what checks each step, by the same machinery as the case diagrams: a Mermaid flowchart with
``accTitle``/``accDescr`` (drawn offline by _ext/web/offline_mermaid.py) followed by its text equivalent (the table of
_ext/teaching/dataflow.py). The map below is the one place that describes it; the Makefile is what it describes, so a new
target needs a line here. Every label is a message of whose-face.po (_ext/i18n/translations.py), so a translated edition
shows it translated, and a missing translation is named like any other.
"""

from __future__ import annotations

from teaching.dataflow import build_table
from docutils import nodes
from facelab.flows import Table
from sphinx.util.docutils import SphinxDirective
from sphinxcontrib.mermaid import mermaid
from i18n.translations import tr

TITLE = "How the module is built"
DESCRIPTION = ("The sources (pages, bibliography, teaching code, quiz, decks and catalogues) go through the make "
               "targets to the student and instructor editions in both languages, the classroom pack, the projector "
               "decks, the student zips and the quiz files for learning platforms.")
# key -> (label, shape): "source" (a folder of the repository), "step" (a make target), "output" (what it makes)
NODES = {
    "pages": ("pages: docs/, cases/, exercises/", "source"),
    "bib": ("bibliography: bib/", "source"),
    "facelab": ("teaching code and diagram model: facelab/", "source"),
    "quiz": ("quiz: exercises/quiz/", "source"),
    "decks": ("decks: slides/", "source"),
    "locale": ("translations: locale/", "source"),
    "gettext": ("make gettext", "step"),
    "html": ("make html, make instructor, make editions", "step"),
    "htmlzh": ("make html-zh, make instructor-zh", "step"),
    "handouts": ("make handouts, make handouts-zh", "step"),
    "slides": ("make slides, make slides-zh", "step"),
    "zip": ("make zip", "step"),
    "lms": ("make lms", "step"),
    "editions": ("student editions: the site, English and Chinese", "output"),
    "instructor": ("instructor editions, never published", "output"),
    "pack": ("classroom pack: PDF handouts", "output"),
    "projector": ("projector decks", "output"),
    "zips": ("student zips, with the labs and the facelab wheel", "output"),
    "platform": ("quiz files for Canvas and Moodle", "output"),
}
EDGES = [
    ("pages", "gettext"), ("facelab", "gettext"), ("bib", "gettext"), ("decks", "gettext"), ("gettext", "locale"),
    ("pages", "html"), ("bib", "html"), ("facelab", "html"), ("quiz", "html"),
    ("pages", "htmlzh"), ("locale", "htmlzh"),
    ("html", "editions"), ("html", "instructor"), ("htmlzh", "editions"), ("htmlzh", "instructor"),
    ("html", "handouts"), ("htmlzh", "handouts"), ("handouts", "pack"),
    ("decks", "slides"), ("pages", "slides"), ("slides", "projector"),
    ("editions", "zip"), ("facelab", "zip"), ("zip", "zips"),
    ("quiz", "lms"), ("locale", "lms"), ("lms", "platform"),
]
# step -> what stops it (each names the file and line)
CHECKS = {
    "gettext": "lists every message to translate with its file and line; rewrites only the catalogues whose "
               "messages changed",
    "html": "strict (-W -n): every reference, bibliography entry, exercise's metadata and lesson plan's budget; every "
            "diagram drawn offline; instructor material never parsed in the student edition",
    "htmlzh": "the same checks, and every message translated: a new, changed, fuzzy or empty translation stops it",
    "handouts": "built from the strict editions; the tests check page counts, unbroken diagrams and the instructor "
                "marking on every instructor page",
    "slides": "a deck shows its lesson plan's exercises in order; a missing page, section or plan stops it",
    "zip": "runs every page's code examples first; refuses an instructor build",
    "lms": "a bad quiz entry stops it; the graded questions go only here and to the instructor edition",
}
SHAPES = {"source": ('[("', '")]'), "step": ('["', '"]'), "output": ('(["', '"])')}


def _q(text: str) -> str:
    return text.replace('"', "'")


def mermaid_source(t=str) -> str:
    """The map as Mermaid, each text passed through ``t`` (the build's translation; English: as it is)."""
    lines = ["flowchart LR", f"    accTitle: {t(TITLE)}", f"    accDescr: {t(DESCRIPTION)}"]
    for group, shape in (("sources", "source"), ("steps", "step"), ("outputs", "output")):
        lines.append(f'    subgraph {group}["{_q(t(group.capitalize()))}"]')
        left, right = SHAPES[shape]
        lines += [f"        {key}{left}{_q(t(text))}{right}" for key, (text, s) in NODES.items() if s == shape]
        lines.append("    end")
    lines += [f"    {a} --> {b}" for a, b in EDGES]
    return "\n".join(lines)


class BuildMap(SphinxDirective):
    """``{build-map}``: the diagram of the build and its table (step, what it reads, what it makes, what it checks)."""

    has_content = False

    def run(self):
        where = self.get_location()

        def t(message: str) -> str:
            return tr(message, where)

        label = {key: t(text) for key, (text, _) in NODES.items()}
        node = mermaid()
        node["code"] = mermaid_source(t)
        node["options"] = {}
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        separator = t(", ")
        rows = tuple(
            (label[step],
             separator.join(label[a] for a, b in EDGES if b == step),
             separator.join(label[b] for a, b in EDGES if a == step),
             t(CHECKS[step]))
            for step, (_, shape) in NODES.items() if shape == "step"
        )
        table = Table(t("Text equivalent of the diagram: {title}").format(title=t(TITLE)),
                      (t("Step"), t("Reads"), t("Makes"), t("What stops it")), rows)
        container = nodes.container(classes=["dataflow", "build-map"])
        container += node
        container += build_table(table, ["dataflow-table"])
        self.set_source_info(container)
        return [container]


def setup(app):
    app.add_directive("build-map", BuildMap)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
