"""One course file turns the module into a given course: `make course COURSE=courses/<name>.toml`.

    python scripts/course.py COURSE.toml [BUILDDIR]     # writes BUILDDIR/courses/<name>/ (default: _build)
    python scripts/course.py --needs COURSE.toml        # the make targets of the editions it needs

The course file (TOML, read with the standard library's tomllib; the examples are in courses/) names the course, its
term, language and class, the sessions taught (the lesson plans' session sheets: case-1, case-2, module-1, module-2),
the assignments (each exercise by its label, due when, individual or group work, graded or self-check, how to hand it
in) and the reading-quiz sets released, with their dates. Every date-time is read in the course's time zone
(``timezone``, an IANA name; a session may give its own).

What it writes into BUILDDIR/courses/<name>/ (the course file's name without .toml):

- student/: a copy of the built student edition with one page added, docs/assignments.html (the sessions, what is
  due when, graded or self-check, how to hand it in, the criteria of graded work, the quizzes, the calendar), and a
  link to it on the landing page. No other file of the edition changes. The page is written into the shell of a page
  the edition already has (docs/how-to-use.html: same folder depth, so its links to _static/ stay true): the course
  build reads no page again and takes about a second, where a Sphinx build with the page added costs a full write of
  every page (the landing page's toctree changes every page's navigation). The page is not in the edition's search
  index, and its navigation is the edition's own. In Chinese, the characters of the course's text that the
  edition's font subset lacks get a small font of their own (see course_font).
- student/docs/<name>.ics and <name>.ics: the calendar of the sessions and due dates (the ``icalendar`` library,
  with each time zone's VTIMEZONE), which students import into their calendar app.
- instructor/: the same from the instructor edition, the page with marking notes added (instructor-only).
- handouts/students/: the handouts of the assigned exercises, with the course's name and each due date in the header;
  handouts/instructor/: the session sheets of the chosen sessions, with the copies to print for this class (from the
  class size and the group size) at the top (scripts/handouts.py prints both).
- lms/: the Canvas and Moodle exports of the released quiz sets only, with their dates (scripts/lms.py). Instructors
  only, like `make lms`.
- <name>-student.zip: what students may have: the student edition with the page (scripts/zip.py's archive), the
  handouts for students and the calendar.

A course file with a problem stops the build before anything is written, with every problem as
``course-file:line: what is wrong and how to fix it``: an unknown exercise or session, a due date before the session
that introduces the exercise, a graded assignment without criteria, a session or date outside the term, a language
without catalogues, and any missing or mistyped value. The module's facts (exercises, criteria, lesson plans) are read
from the built instructor edition's environment, the one place they are checked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import html
import math
import pickle
import re
import shutil
import sys
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "_ext"), str(ROOT)]  # the extensions, and facelab, which they import
sys.path.insert(0, str(ROOT / "scripts"))
from i18n.translations import format_day, script_tr  # noqa: E402

HERE = "scripts/course.py"
LANGUAGES = {"en": ("html", "instructor"), "zh_CN": ("html-zh", "instructor-zh")}  # language: the make targets
PAGE = "docs/assignments.html"
SHELL = "docs/how-to-use.html"  # the page whose shell the Assignments page is written into (same depth)
WORK = ("individual", "group")
MARKING = ("graded", "self-check")
SESSIONS_DIR = "docs/instructor/sessions/"
PLANS_DOC = "docs/instructor/lesson-plans"
EXERCISE_PAGES = ["exercises/face-data-remark.html", "exercises/masked-photos.html", "exercises/cross-case.html"]

# Every text the course build writes, in English; the Chinese is in locale/zh_CN/LC_MESSAGES/whose-face.po.
ASSIGNMENTS = "Assignments"
# A date as the pages and handouts print it: a CLDR date pattern, itself a message of the code's catalogue (the
# translator writes the language's own pattern), formatted by Babel with the language's month and weekday names.
DAY = "EEE d MMM y"  # "Wed 10 Mar 2027"; in Chinese "y年M月d日（EEE）": "2027年3月10日（周三）"
WHEN = "{day}, {time}"  # "Wed 10 Mar 2027, 23:59"; in Chinese without the comma
MESSAGES = [
    DAY, WHEN,
    ASSIGNMENTS,
    "{course}, {institution}. Term: {start} to {end}. Every time on this page is {zone} time.",
    "Sessions", "Session", "When", "In class", "Session {number}",
    "What is due", "Exercise", "Due", "Work", "Marking", "How to hand it in",
    "Individual", "Group", "Graded", "Self-check", "Graded: the criteria",
    "Self-check: the answers are under the exercise",
    "Reading quizzes", "Quiz", "Opens", "Closes",
    "The quizzes open and close on the course's learning platform; the practice questions are also in this site.",
    "Calendar", "Download the calendar of the sessions and due dates ({file})",
    "and import it into your calendar app; its times carry their time zone.",
    "Assignments for {course}", ": what is due when, graded or not, and how to hand it in.",
    "Your course",
    "Marking notes", "Mark {exercise} with its criteria ({marks} points); the model answers and the rubric are "
    "under the exercise in this edition.",
    "Expect {count} submissions by {due}: {work} work in a class of {size}.",
    "Copies to print for each session", "{exercise}: {copies} copies ({format}).",
    "The released quiz sets are in lms/ beside this edition, with their dates; import them into the learning platform.",
    "{course} · due {due}", "For {course}, {when}:",
    "{start}–{end}", "Due: {exercise}", "Quiz closes: {quiz}", "{course}: session {number}",
    "practice", "graded", "Case 1", "Case 2", "{case} reading quiz, {set} set",
]


class CourseError(Exception):
    """Every problem of a course file, one ``file:line: message`` per line."""


# -- Reading the course file -------------------------------------------------------------------------------------------


@dataclass
class Session:
    plan: str  # the session sheet's name (docs/instructor/sessions/<plan>.md)
    start: dt.datetime
    end: dt.datetime
    exercises: list[str]
    line: int


@dataclass
class Assignment:
    exercise: str
    due: dt.datetime
    work: str
    marking: str
    hand_in: str
    line: int


@dataclass
class QuizRelease:
    case: str
    set: str
    opens: dt.datetime
    closes: dt.datetime
    line: int


@dataclass
class Course:
    path: Path
    slug: str
    name: str
    institution: str
    language: str
    zone: str
    term: tuple[dt.date, dt.date]
    size: int
    group_size: int
    sessions: list[Session] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    quizzes: list[QuizRelease] = field(default_factory=list)


TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?$")
ARRAY = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]\s*(#.*)?$")


def line_of(text: str, table: str, index: int | None, key: str | None = None) -> int:
    """The line (from 1) of ``key = ...`` in the table ``[table]`` (or the ``index``-th ``[[table]]``) of the raw
    course file; the table's header line if the key is not there; 1 if neither is."""
    here, counts, header = None, {}, 1
    for number, line in enumerate(text.splitlines(), 1):
        if m := ARRAY.match(line):
            counts[m[1]] = counts.get(m[1], -1) + 1
            here = (m[1], counts[m[1]])
        elif m := TABLE.match(line):
            here = (m[1], None)
        else:
            if here == (table, index) and key and re.match(rf"^\s*{re.escape(key)}\s*=", line):
                return number
            continue
        if here == (table, index):
            header = number
            if key is None:
                return number
    return header


class Reader:
    """Reads one course file, collecting every problem with its line."""

    def __init__(self, path: Path):
        self.path = path
        if not path.is_file():
            examples = ", ".join(p.name for p in sorted((ROOT / "courses").glob("*.toml")))
            raise CourseError(f"{path}: no such course file (the examples in courses/: {examples})")
        self.text = path.read_text(encoding="utf-8")
        self.problems: list[tuple[int, str]] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    def get(self, data: dict, table: str, index: int | None, key: str, kind, what: str, required: bool = True):
        value = data.get(key)
        where = line_of(self.text, table, index, key)
        if value is None:
            if required:
                self.problem(where, f"[{table}] has no `{key}`: add {what}")
            return None
        if kind is dt.datetime and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            self.problem(where, f"`{key}` is a date without a time: write {what}")
            return None
        if kind is dt.date and isinstance(value, dt.datetime):
            self.problem(where, f"`{key}` has a time: write {what}")
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.problem(where, f"`{key}` = {value!r} is not {what}")
            return None
        return value

    def zone(self, name, line: int) -> ZoneInfo | None:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.problem(line, f"time zone {name!r} is unknown: write an IANA name such as \"Europe/Berlin\" or "
                         "\"Asia/Shanghai\"")
            return None

    def moment(self, value: dt.datetime | None, zone: ZoneInfo | None) -> dt.datetime | None:
        if value is None or zone is None:
            return None
        return value if value.tzinfo else value.replace(tzinfo=zone)


def catalogue_languages(root: Path = ROOT) -> list[str]:
    """en, and every language with catalogues in locale/<language>/LC_MESSAGES/."""
    found = [p.parent.name for p in sorted((root / "locale").glob("*/LC_MESSAGES")) if any(p.rglob("*.po"))]
    return ["en", *found]


# -- What the module offers: read from the built instructor edition ----------------------------------------------------


@dataclass
class Module:
    exercises: dict[str, dict]  # label: exercise_meta (docname, title, minutes, format, graded, case)
    criteria: dict[str, dict]  # label: {docname, lineno, marks}
    plans: dict[str, dict]  # session sheet name: {title, minutes, exercises}
    quiz_sets: list[tuple[str, str]]  # (case, set)


def read_module(instructor: Path) -> Module:
    """The exercises, criteria and lesson plans of the instructor edition built into ``instructor``, from the
    environment Sphinx kept there (.doctrees): what the build checked, not a second reading of the sources."""
    # Inside the edition (a test's build, Sphinx's default) or where the Makefile keeps it: _build/.doctrees/<edition>/
    places = (instructor / ".doctrees", instructor.parent / ".doctrees" / instructor.name / "doctrees")
    doctrees = next((d for d in places if (d / "environment.pickle").is_file()), places[0])
    if not (doctrees / "environment.pickle").is_file():
        raise CourseError(f"{instructor} is not a built instructor edition (no .doctrees/environment.pickle): run "
                          "`make instructor` (or `make instructor-zh`) first")
    from teaching.exercise_meta import lesson_plan
    from teaching.quiz_source import SETS, load_all

    with open(doctrees / "environment.pickle", "rb") as f:
        env = pickle.load(f)
    if not getattr(env, "session_sheets", None):
        raise CourseError(f"{instructor} has no session sheets: it is not the instructor edition")
    with open(doctrees / f"{PLANS_DOC}.doctree", "rb") as f:
        plans_tree = pickle.load(f)
    found = {n["title"]: n for n in plans_tree.findall(lesson_plan)}
    plans = {}
    for title, (docname, _) in env.session_sheets.items():
        plan = found.get(title)
        if plan is not None and plan["budget"]:  # a plan without a budget (homework) is no class session
            plans[docname.removeprefix(SESSIONS_DIR)] = {
                "title": title, "minutes": plan["budget"],
                "exercises": [value for kind, value, _ in plan["segments"] if kind == "exercise"]}
    quiz_sets = [(quiz.case, name) for quiz in load_all() for name in SETS]
    return Module(dict(env.exercise_meta), dict(env.grading_criteria), plans, quiz_sets)


def needs(path: Path) -> list[str]:
    """The make targets of the editions the course's language needs (``--needs``); the language is checked here."""
    reader = Reader(path)
    data = parse(reader)
    language = (data.get("course") or {}).get("language", "en")
    check_language(reader, language)
    if reader.problems:
        raise CourseError(report(reader))
    return list(LANGUAGES[language])


def parse(reader: Reader) -> dict:
    try:
        return tomllib.loads(reader.text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        raise CourseError(f"{reader.path}:{found[1] if found else 1}: not valid TOML: {exc}") from None


def check_language(reader: Reader, language) -> None:
    available = catalogue_languages()
    if language not in available or language not in LANGUAGES:
        reader.problem(line_of(reader.text, "course", None, "language"),
                       f"language {language!r} has no catalogues (locale/{language}/LC_MESSAGES/): write one of "
                       f"{', '.join(lang for lang in available if lang in LANGUAGES)}")


def report(reader: Reader) -> str:
    return "\n".join(f"{reader.path}:{line}: {message}" for line, message in sorted(reader.problems))


def load(path: Path, module: Module) -> Course:
    """The course file at ``path``, checked against the module; CourseError names every problem, file and line."""
    path = Path(path)
    reader = Reader(path)
    data = parse(reader)
    for name in ("course", "term", "class"):
        if not isinstance(data.get(name), dict):
            reader.problem(1, f"no [{name}] table: see courses/ for an example")
            data[name] = {}
    info, term, klass = data["course"], data["term"], data["class"]
    name = reader.get(info, "course", None, "name", str, "the course's name, in quotes")
    institution = reader.get(info, "course", None, "institution", str, "the institution's name, in quotes")
    language = reader.get(info, "course", None, "language", str, '"en" or "zh_CN"')
    if language is not None:
        check_language(reader, language)
    zone_name = reader.get(info, "course", None, "timezone", str, 'an IANA time zone such as "Europe/Berlin"')
    zone = reader.zone(zone_name, line_of(reader.text, "course", None, "timezone")) if zone_name else None
    start = reader.get(term, "term", None, "start", dt.date, "the term's first day, e.g. 2027-02-01")
    end = reader.get(term, "term", None, "end", dt.date, "the term's last day, e.g. 2027-05-28")
    if start and end and end < start:
        reader.problem(line_of(reader.text, "term", None, "end"), f"the term ends ({end}) before it starts ({start})")
    size = reader.get(klass, "class", None, "size", int, "the number of students, a whole number")
    group = reader.get(klass, "class", None, "group_size", int, "the students per group, a whole number")
    for key, value in (("size", size), ("group_size", group)):
        if value is not None and value < 1:
            reader.problem(line_of(reader.text, "class", None, key), f"`{key}` must be at least 1, not {value}")
    if size and group and group > size:
        reader.problem(line_of(reader.text, "class", None, "group_size"),
                       f"groups of {group} in a class of {size}: `group_size` must not exceed `size`")

    def in_term(moment: dt.datetime | None, line: int, what: str) -> None:
        if moment and start and end and not start <= moment.date() <= end:
            reader.problem(line, f"{what} ({moment:%Y-%m-%d %H:%M}) is outside the term ({start} to {end}): move it "
                           "into the term, or correct [term]")

    course = Course(path, path.stem, name or "", institution or "", language or "en", zone_name or "UTC",
                    (start, end), size or 1, group or 1)
    for index, item in enumerate(data.get("session", [])):
        plan = reader.get(item, "session", index, "plan", str, "a session sheet's name (" + ", ".join(module.plans)
                          + ")")
        moment = reader.get(item, "session", index, "start", dt.datetime, "a date and time, e.g. 2027-03-03T10:15:00")
        own = item.get("timezone")
        session_zone = reader.zone(own, line_of(reader.text, "session", index, "timezone")) if own else zone
        moment = reader.moment(moment, session_zone)
        if plan is not None and plan not in module.plans:
            hint = (" (its plan has no class time: assign its exercises instead)"
                    if (ROOT / SESSIONS_DIR / f"{plan}.md").is_file() else "")
            reader.problem(line_of(reader.text, "session", index, "plan"),
                           f"no session {plan!r}{hint}: write one of {', '.join(sorted(module.plans))} (the session "
                           "sheets of docs/instructor/lesson-plans.md)")
            plan = None
        in_term(moment, line_of(reader.text, "session", index, "start"), "the session")
        if plan and moment:
            minutes = module.plans[plan]["minutes"]
            course.sessions.append(Session(plan, moment, moment + dt.timedelta(minutes=minutes),
                                           module.plans[plan]["exercises"], line_of(reader.text, "session", index)))
    course.sessions.sort(key=lambda s: s.start)
    if not data.get("session"):
        reader.problem(1, "no [[session]]: name at least one session taught, with its plan and start")

    for index, item in enumerate(data.get("assignment", [])):
        label = reader.get(item, "assignment", index, "exercise", str, "an exercise's label, e.g. \"ex-gate-design\"")
        due = reader.moment(reader.get(item, "assignment", index, "due", dt.datetime,
                                       "a date and time, e.g. 2027-03-10T23:59:00"), zone)
        work = reader.get(item, "assignment", index, "work", str, '"individual" or "group"')
        marking = reader.get(item, "assignment", index, "marking", str, '"graded" or "self-check"')
        hand_in = reader.get(item, "assignment", index, "hand_in", str, "how students hand it in, in quotes")
        if work is not None and work not in WORK:
            reader.problem(line_of(reader.text, "assignment", index, "work"),
                           f"work = {work!r}: write \"individual\" or \"group\"")
        if marking is not None and marking not in MARKING:
            reader.problem(line_of(reader.text, "assignment", index, "marking"),
                           f"marking = {marking!r}: write \"graded\" or \"self-check\"")
        exercise_line = line_of(reader.text, "assignment", index, "exercise")
        if label is not None and label not in module.exercises:
            reader.problem(exercise_line, f"no exercise {label!r}: write one of {', '.join(sorted(module.exercises))}"
                           " (the :label: of an exercise in exercises/)")
            label = None
        if label and marking == "graded" and label not in module.criteria:
            graded = sorted(module.criteria)
            reader.problem(line_of(reader.text, "assignment", index, "marking"),
                           f"{label} is graded here but has no criteria in the module, so students cannot see how "
                           f"it is marked: make it \"self-check\", or assign one with criteria ({', '.join(graded)})")
        due_line = line_of(reader.text, "assignment", index, "due")
        in_term(due, due_line, "the due date")
        if label and due:
            first = next((s for s in course.sessions if label in s.exercises), None)
            if first is not None and due < first.end:
                reader.problem(due_line, f"{label} is due {due:%Y-%m-%d %H:%M}, before the end of the session that "
                               f"introduces it ({first.plan}, {first.start:%Y-%m-%d %H:%M}-{first.end:%H:%M}, "
                               f"line {first.line}): set a due date after that session")
        if label and due and work in WORK and marking in MARKING and hand_in is not None:
            course.assignments.append(Assignment(label, due, work, marking, hand_in.strip(), exercise_line))
    course.assignments.sort(key=lambda a: a.due)

    for index, item in enumerate(data.get("quiz", [])):
        name_ = reader.get(item, "quiz", index, "set", str, 'a case and a set, e.g. "masked-photos/practice"')
        opens = reader.moment(reader.get(item, "quiz", index, "opens", dt.datetime, "a date and time"), zone)
        closes = reader.moment(reader.get(item, "quiz", index, "closes", dt.datetime, "a date and time"), zone)
        pair = tuple(name_.split("/", 1)) if name_ and "/" in name_ else None
        if name_ is not None and pair not in module.quiz_sets:
            reader.problem(line_of(reader.text, "quiz", index, "set"),
                           f"no quiz set {name_!r}: write one of {', '.join(f'{c}/{s}' for c, s in module.quiz_sets)}")
            pair = None
        in_term(opens, line_of(reader.text, "quiz", index, "opens"), "the quiz's opening")
        in_term(closes, line_of(reader.text, "quiz", index, "closes"), "the quiz's closing")
        if opens and closes and closes <= opens:
            reader.problem(line_of(reader.text, "quiz", index, "closes"), "the quiz closes before it opens")
        elif pair and opens and closes:
            course.quizzes.append(QuizRelease(pair[0], pair[1], opens, closes, line_of(reader.text, "quiz", index)))
    if reader.problems:
        raise CourseError(report(reader))
    return course


# -- Words and dates in the course's language --------------------------------------------------------------------------


@functools.cache
def _words(language: str):
    return script_tr(language, HERE)  # read the catalogue once per language


def day(value: dt.date, language: str) -> str:
    return format_day(value, _words(language)(DAY), language)


def when(value: dt.datetime, language: str) -> str:
    """A date and time as the pages and handouts print them: "Wed 10 Mar 2027, 23:59", "2027年3月10日（周三） 23:59"."""
    return _words(language)(WHEN, day=day(value, language), time=f"{value:%H:%M}")


class Words:
    """The course's texts in its language, from the code's catalogue (scripts use translations.script_tr)."""

    def __init__(self, course: Course):
        self.language = course.language
        self.tr = script_tr(course.language, HERE)

    def __call__(self, message: str, **fields) -> str:
        return self.tr(message, **fields)

    def when(self, value: dt.datetime) -> str:
        return when(value, self.language)

    def span(self, session: Session) -> str:
        return self("{start}–{end}", start=self.when(session.start), end=f"{session.end:%H:%M}")


def copies(fmt: str, course: Course) -> int:
    """How many copies of an exercise's handout one session needs: one per student, pair or group."""
    per = {"individual": 1, "pair": 2, "group": course.group_size, "whole class": 1}[fmt]
    return math.ceil(course.size / per)


# -- The exercises as the edition shows them ---------------------------------------------------------------------------


def exercise_titles(site: Path) -> dict[str, tuple[str, str]]:
    """{label: (title as printed, page)} of every exercise of a built edition ("Exercise 9 — A gate … (20 min)")."""
    from handouts import exercise_labels

    found = {}
    for page in EXERCISE_PAGES:
        if (site / page).is_file():
            for label, title in exercise_labels(site, page):
                found[label] = (title, page)
    return found


# -- The Assignments page ----------------------------------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def table(classes: str, heads: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th class="head"><p>{h}</p></th>' for h in heads)
    body = "".join("<tr>" + "".join(f"<td><p>{cell}</p></td>" for cell in row) + "</tr>" for row in rows)
    return (f'<div class="table-wrapper docutils container"><table class="docutils align-default {classes}">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def section(sid: str, title: str, body: str, classes: str = "") -> str:
    cls = f' class="{classes}"' if classes else ""
    return (f'<section id="{sid}"{cls}>\n<h2>{esc(title)}<a class="headerlink" href="#{sid}" '
            f'title="Link to this heading">¶</a></h2>\n{body}\n</section>\n')


def page_body(course: Course, module: Module, site: Path, instructor: bool) -> str:
    """The Assignments page's article, for the student edition or (with marking notes) the instructor edition."""
    w = Words(course)
    titles = exercise_titles(site)
    start, end = course.term

    def link(label: str, anchor: str | None = None) -> str:
        title, page = titles[label]
        return f'<a class="reference internal" href="../{page}#{anchor or label}">{esc(title)}</a>'

    intro = esc(w("{course}, {institution}. Term: {start} to {end}. Every time on this page is {zone} time.",
                  course=course.name, institution=course.institution, start=day(start, course.language),
                  end=day(end, course.language), zone=course.zone))
    parts = [f'<section id="assignments">\n<h1>{esc(w(ASSIGNMENTS))}<a class="headerlink" href="#assignments" '
             f'title="Link to this heading">¶</a></h1>\n<p class="course-summary">{intro}</p>\n']
    rows = []
    for number, session in enumerate(course.sessions, 1):
        done = "<br/>".join(link(label) for label in session.exercises if label in titles)
        rows.append([esc(w("Session {number}", number=number)), esc(w.span(session)), done])
    parts.append(section("sessions", w("Sessions"), table("course-sessions", [esc(w(h)) for h in
                                                                              ("Session", "When", "In class")], rows)))
    rows = []
    for item in course.assignments:
        if item.marking == "graded":
            marking = f'<a class="reference internal" href="../{titles[item.exercise][1]}#criteria-{item.exercise}">' \
                      f'{esc(w("Graded: the criteria"))}</a>'
        else:
            marking = esc(w("Self-check: the answers are under the exercise"))
        rows.append([link(item.exercise), esc(w.when(item.due)), esc(w(item.work.capitalize())), marking,
                     esc(item.hand_in)])
    parts.append(section("due", w("What is due"), table("course-assignments", [esc(w(h)) for h in (
        "Exercise", "Due", "Work", "Marking", "How to hand it in")], rows)))
    if course.quizzes:
        rows = [[esc(quiz_name(w, q)), esc(w.when(q.opens)), esc(w.when(q.closes))] for q in course.quizzes]
        note = esc(w("The quizzes open and close on the course's learning platform; the practice questions are also "
                     "in this site."))
        parts.append(section("quizzes", w("Reading quizzes"),
                             table("course-quizzes", [esc(w(h)) for h in ("Quiz", "Opens", "Closes")], rows)
                             + f"\n<p>{note}</p>"))
    ics = f"{course.slug}.ics"
    parts.append(section("calendar", w("Calendar"), f'<p><a class="reference download" href="{ics}" download>'
                         f'{esc(w("Download the calendar of the sessions and due dates ({file})", file=ics))}</a> '
                         f'{esc(w("and import it into your calendar app; its times carry their time zone."))}</p>'))
    if instructor:
        parts.append(marking_notes(course, module, w, link))
    parts.append("</section>\n")
    return "".join(parts)


def quiz_name(w: Words, q: QuizRelease) -> str:
    case = {"face-data-remark": "Case 1", "masked-photos": "Case 2"}[q.case]
    return w("{case} reading quiz, {set} set", case=w(case), set=w(q.set))


def marking_notes(course: Course, module: Module, w: Words, link) -> str:
    notes = []
    for item in course.assignments:
        if item.marking != "graded":
            continue
        marks = module.criteria[item.exercise]["marks"]
        count = course.size if item.work == "individual" else math.ceil(course.size / course.group_size)
        notes.append("<li><p>" + esc(w("Mark {exercise} with its criteria ({marks} points); the model answers and "
                                       "the rubric are under the exercise in this edition.", exercise="\0",
                                       marks=marks)).replace("\0", link(item.exercise))
                     + ("" if course.language == "zh_CN" else " ")
                     + esc(w("Expect {count} submissions by {due}: {work} work in a class of {size}.", count=count,
                             due=w.when(item.due), work=w(item.work.capitalize()).lower(), size=course.size))
                     + "</p></li>")
    rows = []
    for number, session in enumerate(course.sessions, 1):
        for label in session.exercises:
            fmt = session_format(course, module, label)
            rows.append("<li><p>" + esc(w("Session {number}", number=number)) + " · "
                        + esc(w("{exercise}: {copies} copies ({format}).", exercise="\0",
                                copies=copies(fmt, course), format=w(fmt.capitalize()).lower()))
                        .replace("\0", link(label)) + "</p></li>")
    body = f'<ul class="simple">{"".join(notes)}</ul>'
    body += f'<p class="rubric">{esc(w("Copies to print for each session"))}</p><ul class="simple">{"".join(rows)}</ul>'
    if course.quizzes:
        lms = w("The released quiz sets are in lms/ beside this edition, with their dates; import them into the "
                "learning platform.")
        body += f"<p>{esc(lms)}</p>"
    return section("marking-notes", w("Marking notes"),
                   f'<div class="instructor-only instructor-box admonition">{body}</div>', "instructor-only")


def session_format(course: Course, module: Module, label: str) -> str:
    """How an exercise is worked in class: the course's choice if it assigns it, else the exercise's own format."""
    assigned = next((a for a in course.assignments if a.exercise == label), None)
    return assigned.work if assigned else module.exercises[label]["format"]


CURRENT = re.compile(r'\s*\bcurrent(?:-page)?\b')


def write_page(site: Path, body: str, title: str) -> None:
    """docs/assignments.html: ``body`` in the shell of SHELL (head, navigation, footer), its own title, no page
    navigation of the shell's (current marks, the "on this page" list, next and previous links)."""
    shell = (site / SHELL).read_text(encoding="utf-8")
    old_title = re.search(r'<meta property="og:title" content="([^"]*)"', shell)[1]
    head, rest = shell.split("</head>", 1)
    head = head.replace(f"<title>{old_title}", f"<title>{esc(title)}", 1)
    head = re.sub(r'(<meta property="og:title" content=")[^"]*', lambda m: m[1] + esc(title), head)
    head = re.sub(r'(<meta property="og:url" content=")[^"]*', lambda m: m[1] + PAGE, head)
    head = re.sub(r'\s*<meta (?:property="og:description"|name="description") content="[^"]*"\s*/?>', "", head)
    head = re.sub(r'\s*<link rel="(?:next|prev)"[^>]*>', "", head)
    before, article = rest.split('<article role="main" id="furo-main-content">', 1)
    _, after = article.split("</article>", 1)
    before = re.sub(r'class="([^"]*)"', lambda m: 'class="' + CURRENT.sub("", m[1]).strip() + '"', before)
    after = re.sub(r'(<div class="related-pages">).*?(</div>\s*<div class="bottom-of-page">)', r"\1\n        \2",
                   after, count=1, flags=re.S)
    after = re.sub(r'(<div class="toc-tree">).*?(</div>)', r"\1\2", after, count=1, flags=re.S)
    page = (f'{head}</head>{before}<article role="main" id="furo-main-content">\n{body}\n        </article>{after}')
    (site / PAGE).write_text(page, encoding="utf-8")


def link_from_landing(site: Path, course: Course) -> None:
    """The landing page gains one box, before its first section's text: the link to the Assignments page."""
    w = Words(course)
    landing = site / "index.html"
    text = landing.read_text(encoding="utf-8")
    box = (f'<div class="admonition note course-link"><p class="admonition-title">{esc(w("Your course"))}</p>'
           f'<p><a class="reference internal" href="{PAGE}">'
           f'{esc(w("Assignments for {course}", course=course.name))}</a>'
           f'{esc(w(": what is due when, graded or not, and how to hand it in."))}</p></div>\n')
    found = re.search(r'(<article role="main" id="furo-main-content">.*?</h1>\n)', text, re.S)
    if not found:
        raise CourseError(f"{landing}: no <h1> in the article to put the course's link under")
    landing.write_text(text[: found.end()] + box + text[found.end():], encoding="utf-8")


COURSE_FONT = "whose-face-course.woff2"


def course_font(site: Path) -> bool:
    """A Chinese edition draws its Chinese from a subset of Source Han Sans cut to the characters of its pages
    (_ext/i18n/cjk_font.py). The course's pages may bring characters the subset lacks (a reader with no Chinese system font
    would see boxes): they get a small font of their own (_static/whose-face-course.woff2), declared in the edition's
    font stylesheet as the same family, for exactly those characters. Cutting it takes about 0.5 s; cutting the
    whole subset again, 3 s. Returns whether a font was added."""
    from i18n import cjk_font
    from fontTools.ttLib import TTFont

    static = site / "_static"
    if not (static / cjk_font.SUBSET).is_file():
        return False  # an English edition
    has = set(TTFont(str(static / cjk_font.SUBSET)).getBestCmap())
    text = "".join((site / page).read_text(encoding="utf-8") for page in ("index.html", PAGE))
    new = sorted({c for c in cjk_font.CJK_CHAR.findall(text) if ord(c) not in has})
    if not new:
        return False
    data, _ = cjk_font.cut(new)
    (static / COURSE_FONT).write_bytes(data)
    ranges = ", ".join(f"U+{ord(c):X}" for c in new)
    with open(static / cjk_font.CSS, "a", encoding="utf-8") as css:
        css.write(f'/* The course\'s own characters (scripts/course.py). */\n@font-face {{\n  font-family: '
                  f'"{cjk_font.FAMILY}";\n  src: url("{COURSE_FONT}") format("woff2");\n  font-display: swap;\n'
                  f"  unicode-range: {ranges};\n}}\n")
    return True


def copy_edition(site: Path, out: Path) -> None:
    """A copy of a built edition, without Sphinx's build cache (.doctrees, .buildinfo)."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(site, out, ignore=shutil.ignore_patterns(".doctrees", ".buildinfo"))


# -- The calendar ------------------------------------------------------------------------------------------------------


def calendar(course: Course, module: Module, titles: dict[str, tuple[str, str]]) -> bytes:
    """The .ics of the sessions, the due dates and the quizzes' closing times, each in its own time zone."""
    from icalendar import Calendar, Event

    w = Words(course)
    cal = Calendar()
    cal.add("prodid", "-//Whose Face?//course file//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", course.name)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)

    def event(uid: str, summary: str, start: dt.datetime, end: dt.datetime, description: str = "") -> None:
        item = Event()
        item.add("uid", f"{course.slug}-{uid}@whose-face")
        item.add("dtstamp", stamp)
        item.add("summary", summary)
        item.add("dtstart", start)
        item.add("dtend", end)
        if description:
            item.add("description", description)
        cal.add_component(item)

    for number, session in enumerate(course.sessions, 1):
        done = "\n".join(titles[label][0] for label in session.exercises if label in titles)
        event(f"session-{number}", w("{course}: session {number}", course=course.name, number=number),
              session.start, session.end, done)
    for item in course.assignments:
        event(f"due-{item.exercise}", w("Due: {exercise}", exercise=titles[item.exercise][0]), item.due, item.due,
              item.hand_in)
    for q in course.quizzes:
        event(f"quiz-{q.case}-{q.set}", w("Quiz closes: {quiz}", quiz=quiz_name(w, q)), q.closes, q.closes)
    cal.add_missing_timezones(first_date=course.term[0], last_date=course.term[1] + dt.timedelta(days=1))
    return cal.to_ical()


# -- The whole course --------------------------------------------------------------------------------------------------


def build(course: Course, module: Module, student: Path, instructor: Path, out: Path, browser=None,
          paper: str = "a4") -> dict[str, object]:
    """Write the course into ``out`` from the built editions; ``browser`` (Playwright) prints the handouts (none
    without it). Returns what was written: {"files": [relative paths], "handouts": {pdf: pages}}."""
    import handouts as pack
    import lms
    import zip as zip_script

    if out.exists():
        shutil.rmtree(out)  # nothing of an earlier build of the course (an exercise since dropped) stays
    out.mkdir(parents=True)
    w = Words(course)
    ics_name = f"{course.slug}.ics"
    for edition, site in (("student", student), ("instructor", instructor)):
        copy = out / edition
        copy_edition(site, copy)
        write_page(copy, page_body(course, module, copy, instructor=edition == "instructor"), w(ASSIGNMENTS))
        link_from_landing(copy, course)
        course_font(copy)
    titles = exercise_titles(out / "student")
    ics = calendar(course, module, titles)
    (out / ics_name).write_bytes(ics)
    for edition in ("student", "instructor"):
        (out / edition / "docs" / ics_name).write_bytes(ics)

    made = {}
    if browser is not None:
        headers = {a.exercise: w("{course} · due {due}", course=course.name, due=w.when(a.due))
                   for a in course.assignments}
        notes = {}
        for number, session in enumerate(course.sessions, 1):
            lines = [w("For {course}, {when}:", course=course.name, when=w.span(session))]
            for label in session.exercises:
                fmt = session_format(course, module, label)
                lines.append(w("{exercise}: {copies} copies ({format}).", exercise=titles[label][0],
                               copies=copies(fmt, course), format=w(fmt.capitalize()).lower()))
            notes.setdefault(session.plan, []).extend(lines)
        made = pack.build(browser, out / "student", out / "instructor", out / "handouts", paper,
                          only=[a.exercise for a in course.assignments], headers=headers, sessions=notes)

    released = {(q.case, q.set): (q.opens, q.closes) for q in course.quizzes}
    if released:
        from teaching.quiz_source import load_all, load_translations

        quizzes = load_translations() if course.language == "zh_CN" else load_all()
        lang = lms.chinese() if course.language == "zh_CN" else lms.ENGLISH
        stem = f"{lms.NAME}-{lms.version()}-quiz"
        lms.write_qti(quizzes, out / "lms" / f"{stem}-qti{lang.suffix}.zip", lang, released=released)
        lms.write_moodle(quizzes, out / "lms" / f"{stem}-moodle{lang.suffix}.xml", lang, released=released)

    archive = zip_script.make_zip(out / "student", out / ".zip")
    final = out / f"{course.slug}-student.zip"
    archive.replace(final)
    shutil.rmtree(out / ".zip")
    top = zipfile.ZipFile(final).namelist()[0].split("/", 1)[0]
    with zipfile.ZipFile(final, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{top}/{ics_name}", ics)
        for pdf in sorted((out / "handouts" / "students").glob("*.pdf")):
            zf.write(pdf, f"{top}/handouts/{pdf.name}")
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
                   and p.relative_to(out).parts[0] not in ("student", "instructor"))
    return {"files": files, "handouts": made}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("builddir", type=Path, nargs="?", default=ROOT / "_build")
    parser.add_argument("--needs", action="store_true", help="print the make targets of the editions it needs")
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4")
    args = parser.parse_args(argv)
    try:
        if args.needs:
            print(" ".join(needs(args.course)))
            return 0
        student_dir, instructor_dir = needs(args.course)  # the make targets are the folders they build
        student, instructor = args.builddir / student_dir, args.builddir / instructor_dir
        module = read_module(instructor)
        course = load(args.course, module)
    except CourseError as exc:
        print(f"course: the course file has problems; nothing was written.\n{exc}", file=sys.stderr)
        return 1
    out = args.builddir / "courses" / course.slug
    from web.offline_mermaid import ARGS, find_chromium

    exe = find_chromium()
    if exe is None:
        sys.exit("make course needs Chromium for the handouts: apt-get install chromium, or set CHROMIUM=/path")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=ARGS)
        made = build(course, module, student, instructor, out, browser, args.paper)
        browser.close()
    for name in ("student", "instructor"):
        print(f"wrote {out / name}/ (the {name} edition with {PAGE})")
    for name in made["files"]:
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
