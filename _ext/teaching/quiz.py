"""The reading quiz on the site: ``{quiz} <case>`` renders a case's questions from exercises/quiz/<case>.yaml.

One job: show the quiz's questions, read and checked by quiz_source.py, on a page.

- The **practice** set appears in both editions. Each question's answer and feedback sit in a ``<details>`` element
  ("Check your answer"), so the page works offline, with no script, no storage and no network.
- The **graded** set appears only in the instructor edition, in a box marked ``instructor-only`` (so the leak test,
  tests/test_editions.py, checks that none of it reaches the student edition). In the student edition the directive
  never creates those nodes. The LMS exports (``make lms``, scripts/lms.py) carry both sets.
- Each question names the page it draws on, and its feedback links there.

A quiz file with a problem is an error naming the file and line (see quiz_source.py for the schema); the build
stops, as with exercise metadata.

In a translated build (``-D language=zh_CN``) the directive shows the same questions with their texts from the
language's compiled catalogue, locale/<language>/LC_MESSAGES/quiz.po (quiz_source.translate), like every other
catalogue of the module: a message that is new (run `make gettext`), untranslated or fuzzy is a warning naming the
catalogue's file and line (the English file's, for a new one), so the strict build fails; with ``DRAFT=1`` it is a
note and the English text is shown (_ext/i18n/catalogue_check.py). ``make gettext`` writes the quiz's template,
quiz.pot, from the English files (``write_pot``, below). The fixed wording around the questions ("Check your
answer", ...) is written here in English and translated through whose-face.po (``tr``).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from teaching.quiz_source import CASES, QUIZ_DIR, Question, QuizError, catalogue_path, load, translate, write_pot
from i18n import catalogue_check
from i18n.translations import tr

logger = logging.getLogger(__name__)

INSTRUCTOR_CLASS = "instructor-only"  # the class editions.py gives instructor material, which the leak test reads


class QuizSourceError(SphinxError):
    category = "Quiz error"


class quiz_details(nodes.General, nodes.Element):
    """``<details>``: the answer and feedback, open on request."""


class quiz_summary(nodes.General, nodes.TextElement):
    """``<summary>``: the line that opens the feedback."""


def visit_details(self, node):
    self.body.append(self.starttag(node, "details", CLASS="quiz-feedback"))


def depart_details(self, node):
    self.body.append("</details>\n")


def visit_summary(self, node):
    self.body.append(self.starttag(node, "summary", ""))


def depart_summary(self, node):
    self.body.append("</summary>\n")


def _pass(self, node):
    pass


class QuizDirective(SphinxDirective):
    """``{quiz} face-data-remark``: the practice set, and in the instructor edition the graded set."""

    required_arguments = 1

    @property
    def where(self) -> tuple[str, int]:
        return (self.env.docname, self.lineno)

    def run(self):
        case = self.arguments[0].strip()
        if case not in CASES:
            raise self.error(f"quiz: unknown case {case!r} (one of: {', '.join(CASES)})")
        path = self.env.srcdir / QUIZ_DIR / f"{case}.yaml"
        self.env.note_dependency(str(path))
        language = self.config.language
        try:
            quiz = load(path, self.env.srcdir)
        except QuizError as exc:
            for where, line, message in exc.located:
                logger.error(message, location=f"{where}:{line}", type="quiz")
                self.env.quiz_errors.append(f"{where}:{line}: {message}")
            return []
        if not catalogue_check._english(language):
            # A translated build: the same questions, their texts from the language's catalogue.
            locale = self.config.locale_dirs[0]
            self.env.note_dependency(str(catalogue_path(language, self.env.srcdir, locale)))
            quiz, problems = translate(quiz, language, self.env.srcdir, locale)
            for where, line, message in problems:
                catalogue_check._report(logger, message, f"{where}:{line}")
        out: list[nodes.Node] = []
        practice = quiz.of_set("practice")
        out += [self.question(q, tr("Question {n}", self.where, n=n)) for n, q in enumerate(practice, 1)]
        if self.config.instructor_edition:
            graded = quiz.of_set("graded")
            box = nodes.admonition(classes=[INSTRUCTOR_CLASS, "instructor-box"])
            box += nodes.title(text=tr("Instructor note: the graded set", self.where))
            box += nodes.paragraph(text=tr(
                "These {count} questions appear only in this edition and in the LMS exports (make lms writes a QTI 1.2 "
                "package for Canvas and a Moodle XML file). Students never see them on the site.", self.where,
                count=len(graded)))
            box += [self.question(q, tr("Graded question {n}", self.where, n=n)) for n, q in enumerate(graded, 1)]
            out.append(box)
        return out

    def page_link(self, page: str) -> nodes.Node:
        ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/{page}", refexplicit=False,
                                    refwarn=True, refdoc=self.env.docname)
        ref += nodes.inline(text=page, classes=["xref", "std", "std-doc"])
        return ref

    def question(self, q: Question, name: str) -> nodes.Element:
        box = nodes.container(classes=["quiz-question", f"quiz-{q.set}"], ids=[f"quiz-{q.id}"])
        kind = tr("multiple choice" if q.type == "multiple-choice" else "short answer", self.where)
        graded = q.set == "graded"
        # The graded set's fixed wording differs from the practice set's, so that the leak test (which probes every
        # sentence of instructor-only text in the student edition) finds only what is really private.
        head = nodes.paragraph(classes=["quiz-question-head"])
        head += nodes.strong(text=name)
        head += nodes.Text(tr(" ({kind}) draws on " if graded else " ({kind}; draws on ", self.where, kind=kind))
        head += self.page_link(q.page)
        head += nodes.Text(tr(", for graded use only." if graded else ")", self.where))
        box += head
        box += nodes.paragraph(text=q.question, classes=["quiz-stem"])
        if q.type == "multiple-choice":
            choices = nodes.enumerated_list(enumtype="loweralpha", prefix="", suffix=")")
            for choice in q.shown_choices:
                choices += nodes.list_item("", nodes.paragraph(text=choice.text))
            box += choices
        elif not graded:
            box += nodes.paragraph(text=tr("Answer in a word or a short phrase, then check it.", self.where),
                                   classes=["quiz-hint"])
        details = quiz_details()
        details += quiz_summary(text=tr("Check your answer", self.where))
        if q.type == "multiple-choice":
            details += nodes.paragraph(text=tr("Answer: {letter}) {text}", self.where, letter=q.correct_letter,
                                                text=q.correct_text), classes=["quiz-answer"])
        else:
            details += nodes.paragraph(text=tr("Accepted answers: {answers}", self.where, answers=tr("; ", self.where).join(q.answers)),
                                       classes=["quiz-answer"])
        details += nodes.paragraph(text=q.feedback, classes=["quiz-feedback-text"])
        source = nodes.paragraph(text=tr("The feedback cites " if graded else "Read it again: ", self.where),
                                 classes=["quiz-source"])
        source += self.page_link(q.page)
        if graded:
            source += nodes.Text(tr(", in the graded set.", self.where))
        details += source
        box += details
        return box


def init_env(app: Sphinx, env: BuildEnvironment, docnames=()) -> None:
    if not hasattr(env, "quiz_errors"):
        env.quiz_errors = []


def merge_info(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    init_env(app, env)
    env.quiz_errors.extend(getattr(other, "quiz_errors", []))


def stop_on_errors(app: Sphinx, env: BuildEnvironment) -> None:
    """A bad quiz file stops the build (under -W the logged errors already do; this covers a plain build)."""
    errors, env.quiz_errors = getattr(env, "quiz_errors", []), []
    if errors and not getattr(app, "_fail_on_warnings", False):
        raise QuizSourceError(f"{len(errors)} problem(s) in the quiz files: " + "; ".join(errors))


def pot(app: Sphinx, exception) -> None:
    """``make gettext``: the quiz's texts, from the English files, as quiz.pot beside the pages' templates."""
    if exception is None and app.builder.name == "gettext":
        write_pot(Path(app.outdir), Path(app.srcdir))


def setup(app: Sphinx):
    app.setup_extension("guards.editions")  # the `instructor_edition` setting
    app.add_directive("quiz", QuizDirective)
    app.add_node(quiz_details, html=(visit_details, depart_details), latex=(_pass, _pass), text=(_pass, _pass))
    app.add_node(quiz_summary, html=(visit_summary, depart_summary), latex=(_pass, _pass), text=(_pass, _pass))
    app.connect("env-before-read-docs", init_env)
    app.connect("env-merge-info", merge_info)
    app.connect("env-check-consistency", stop_on_errors)
    app.connect("build-finished", pot)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
