"""The reading quiz's one source: exercises/quiz/<case>.yaml, read and checked against its schema.

One job: turn a quiz file into checked questions, or into a list of problems that each name the file and line.
It needs no Sphinx, so the site (_ext/teaching/quiz.py) and the LMS exports (scripts/lms.py) read the same questions the
same way.

A quiz file::

    case: face-data-remark            # the case it belongs to; the file is named after it
    title: "Reading quiz: ..."
    questions:
      - id: remark-statement-order    # unique in the module; letters, digits and hyphens
        set: practice                 # practice (student edition) or graded (instructor edition and exports)
        type: multiple-choice         # or short-answer
        page: cases/face-data-remark/timeline   # the page the question draws on (its feedback cites it)
        objectives: [remark-sequence] # the case objectives it assesses: ids from the case's index page
        question: ...
        choices:                      # multiple-choice: three or more, exactly one with correct: true
          - text: ...
            correct: true
          - text: ...
            misconception: ...        # every wrong choice: the mistaken belief that picks it, and why it is wrong
        answers: [contested]          # short-answer: the accepted answers (matched without regard to case)
        feedback: ...                 # why the answer is right, from the page

Rules beyond the shape: at least ten questions per case, with both sets and both types; every ``page`` is a page of
the module (a .md file under the repository root); every ``objectives`` id is declared on the case's index page
(``{objective}`` roles, _ext/teaching/objectives.py).

Item-writing rules, so that a multiple-choice question measures reading and not test-wiseness (``item_problems``):

- no "all of the above" / "none of the above" (or their Chinese forms) among the choices;
- the choices are alike in length: the correct one is at most ``CORRECT_MARGIN`` times the longest wrong one, and
  no choice is shorter than ``SHORTEST_SHARE`` of the longest;
- every wrong choice names its ``misconception`` (shown as that choice's feedback in the LMS exports), and the
  correct one has none;
- across each set of a case, picking the longest choice scores no better than chance (``longest_option_score``
  against ``chance_score``).

Translations go through gettext, like every other text of the module: ``make gettext`` extracts the quiz's texts
(title, questions, choices, misconceptions, feedback, accepted answers) from the English files into
_build/gettext/quiz.pot (``write_pot``, each message with its file and line, and the question's id as its context) and
merges them into locale/<language>/LC_MESSAGES/quiz.po. Ids, sets, types, pages, objectives and correct flags live
only in the English files. ``translate`` builds a case's quiz in another language from the compiled catalogue
(quiz.mo, compiled from quiz.po when it is newer) and names every message with no usable translation: new (not in
the catalogue yet: run `make gettext`), untranslated or fuzzy, each with the catalogue's file and line (or the English
file's, for a new one). A short-answer question's accepted answers are one message, separated by `` | ``; the English
answers are always accepted too. ``quiz_files``/``load_all`` read the English sources, ``load_translations`` the
quizzes of the LMS export languages (``LANGUAGES``), each from its catalogue.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
QUIZ_DIR = Path("exercises") / "quiz"
CASES = {"face-data-remark": "Case 1", "masked-photos": "Case 2"}
LANGUAGES = ("zh_CN",)  # the languages `make lms` exports; a build translates into its own language
DOMAIN = "quiz"  # the catalogue: locale/<language>/LC_MESSAGES/quiz.po
ANSWER_SEPARATOR = " | "  # between the accepted answers of a short-answer question, in one message
SETS = ("practice", "graded")
TYPES = ("multiple-choice", "short-answer")
MIN_QUESTIONS = 10
MIN_CHOICES = 3
CORRECT_MARGIN = 1.15  # the correct choice may be at most this many times as long as the longest wrong one
SHORTEST_SHARE = 0.5  # and no choice shorter than this share of the longest
GIVE_AWAY_CHOICE = re.compile(r"\b(all|none|both|neither) of the (above|others|choices)\b|以上(都|皆|均|全)|都不(对|是)|"
                              r"皆非|均不", re.IGNORECASE)
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TOP_KEYS = {"case": True, "title": True, "questions": True}  # key: required
QUESTION_KEYS = {"id": True, "set": True, "type": True, "page": True, "objectives": True, "question": True,
                 "feedback": True, "choices": False, "answers": False}
CHOICE_KEYS = {"text": True, "correct": False, "misconception": False}


@dataclass
class Choice:
    text: str
    correct: bool
    line: int = field(default=0, compare=False)  # the choice's first line in its file
    misconception: str = ""  # a wrong choice's mistaken belief, and why it is wrong: its feedback
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # the line of each key


@dataclass
class Question:
    id: str
    set: str
    type: str
    page: str
    question: str
    feedback: str
    line: int
    choices: list[Choice] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # the line of each key

    @property
    def shown_choices(self) -> list[Choice]:
        """The choices in the order every output shows them: the source's order turned by a fixed amount per id,
        so authors may write the right answer first and it still lands on a different letter from question to
        question, the same letter on the site and in the exports."""
        if not self.choices:
            return []
        turn = int(hashlib.sha256(self.id.encode()).hexdigest(), 16) % len(self.choices)
        return self.choices[turn:] + self.choices[:turn]

    @property
    def correct_letter(self) -> str:
        return "abcdefghij"[[c.correct for c in self.shown_choices].index(True)]

    @property
    def correct_text(self) -> str:
        if self.type == "multiple-choice":
            return next(c.text for c in self.choices if c.correct)
        return self.answers[0]


@dataclass
class Quiz:
    case: str
    title: str
    path: Path
    questions: list[Question]
    title_line: int = field(default=1, compare=False)

    def of_set(self, name: str) -> list[Question]:
        return [q for q in self.questions if q.set == name]


class QuizError(Exception):
    """Every problem found, each with its file and line. ``located`` lists (file, line, message); ``path`` and
    ``problems`` (line, message) are those of the first file (a quiz file's problems are all in that file; a
    translation's may be in its catalogue and in the English file)."""

    def __init__(self, path: str, problems: list[tuple[int, str]],
                 located: list[tuple[str, int, str]] | None = None):
        self.path, self.problems = path, problems
        self.located = located or [(path, line, message) for line, message in problems]
        super().__init__("\n".join(f"{where}:{line}: {message}" for where, line, message in self.located))

    @classmethod
    def of(cls, located: list[tuple[str, int, str]]) -> "QuizError":
        first = located[0][0]
        return cls(first, [(line, message) for where, line, message in located if where == first], located)


class _Mapping(dict):
    """A YAML mapping that remembers its line and the line of each key."""

    line = 0
    key_lines: dict


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            loader.duplicates.append((key_node.start_mark.line + 1, f"duplicate key {key!r}; keep one"))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _text(value) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _check_keys(mapping: _Mapping, spec: dict, what: str, problems: list) -> None:
    for key in mapping:
        if key not in spec:
            problems.append((mapping.key_lines[key], f"{what}: unknown key {key!r} (allowed: {', '.join(spec)})"))
    for key, required in spec.items():
        if required and key not in mapping:
            problems.append((mapping.line, f"{what}: missing {key!r}"))


def _question(item, index: int, seen: dict, root: Path, problems: list) -> Question | None:
    if not isinstance(item, _Mapping):
        problems.append((0, f"question {index}: must be a mapping with id, set, type, page, question, feedback"))
        return None
    qid = item.get("id")
    what = f"question {qid!r}" if isinstance(qid, str) else f"question {index}"
    start = len(problems)
    _check_keys(item, QUESTION_KEYS, what, problems)
    line_of = lambda key: item.key_lines.get(key, item.line)  # noqa: E731
    if "id" in item and not (isinstance(qid, str) and ID.match(qid)):
        problems.append((line_of("id"), f"{what}: id must be lower-case letters, digits and hyphens, "
                         "e.g. 'remark-statement-order'"))
    elif isinstance(qid, str) and qid in seen:
        problems.append((line_of("id"), f"{what}: id already used on line {seen[qid]}; ids are unique"))
    elif isinstance(qid, str):
        seen[qid] = line_of("id")
    if "set" in item and item["set"] not in SETS:
        problems.append((line_of("set"), f"{what}: set must be one of {', '.join(SETS)} (got {item['set']!r})"))
    if "type" in item and item["type"] not in TYPES:
        problems.append((line_of("type"), f"{what}: type must be one of {', '.join(TYPES)} (got {item['type']!r})"))
    for key in ("question", "feedback", "page"):
        if key in item and _text(item[key]) is None:
            problems.append((line_of(key), f"{what}: {key} must be non-empty text"))
    page = _text(item.get("page"))
    if page and not (root / f"{page}.md").is_file():
        problems.append((line_of("page"), f"{what}: page {page!r} is not a page of the module (write it as a path "
                         "without .md, e.g. 'cases/face-data-remark/claims')"))
    choices, answers = [], []
    if item.get("type") == "multiple-choice":
        if "answers" in item:
            problems.append((line_of("answers"), f"{what}: 'answers' is for short-answer questions; a multiple-"
                             "choice question marks its right choice with 'correct: true'"))
        raw = item.get("choices")
        if not isinstance(raw, list) or len(raw) < MIN_CHOICES:
            problems.append((line_of("choices"), f"{what}: a multiple-choice question needs 'choices', a list of "
                             f"at least {MIN_CHOICES}"))
            raw = []
        for number, choice in enumerate(raw, 1):
            if not isinstance(choice, _Mapping):
                problems.append((line_of("choices"), f"{what}: choice {number} must be a mapping with 'text' "
                                 "(and 'correct: true' on the right one)"))
                continue
            _check_keys(choice, CHOICE_KEYS, f"{what}, choice {number}", problems)
            if "correct" in choice and not isinstance(choice["correct"], bool):
                problems.append((choice.key_lines["correct"], f"{what}, choice {number}: correct must be true or "
                                 "false"))
            text = _text(choice.get("text"))
            if text is None and "text" in choice:
                problems.append((choice.key_lines["text"], f"{what}, choice {number}: text must be non-empty"))
            correct = choice.get("correct") is True
            misconception = _text(choice.get("misconception")) or ""
            if correct and "misconception" in choice:
                problems.append((choice.key_lines["misconception"], f"{what}, choice {number}: the correct choice "
                                 "has no misconception; put why it is right in the question's feedback"))
            elif not correct and "text" in choice and not misconception:
                problems.append((choice.key_lines.get("misconception", choice.line), f"{what}, choice {number}: a "
                                 "wrong choice needs 'misconception:', the mistaken belief a student who picks it "
                                 "holds and why it is wrong (its feedback in the LMS exports)"))
            choices.append(Choice(text or "", correct, choice.key_lines.get("correct", choice.line), misconception,
                                  dict(choice.key_lines)))
        if raw and sum(c.correct for c in choices) != 1:
            problems.append((line_of("choices"), f"{what}: exactly one choice must have 'correct: true' (found "
                             f"{sum(c.correct for c in choices)})"))
        elif raw and len(problems) == start:
            problems += [(line, f"{what}: {message}") for line, message in item_problems(choices)]
    elif item.get("type") == "short-answer":
        if "choices" in item:
            problems.append((line_of("choices"), f"{what}: 'choices' is for multiple-choice questions; a short-"
                             "answer question lists its accepted 'answers'"))
        raw = item.get("answers")
        if not isinstance(raw, list) or not raw or any(_text(a) is None for a in raw):
            problems.append((line_of("answers"), f"{what}: a short-answer question needs 'answers', a list of "
                             "accepted answers as text, e.g. [contested]"))
        else:
            answers = [_text(a) for a in raw]
    objectives = item.get("objectives")
    if "objectives" in item and not (isinstance(objectives, list) and objectives
                                     and all(isinstance(o, str) and ID.match(o) for o in objectives)):
        problems.append((line_of("objectives"), f"{what}: objectives must be a list of objective ids from the "
                         "case's index page, e.g. [masks-law-then-now]"))
        objectives = []
    if len(problems) > start:
        return None
    return Question(qid, item["set"], item["type"], page, _text(item["question"]), _text(item["feedback"]),
                    item.line, choices, answers, list(objectives), dict(item.key_lines))


def item_problems(choices: list[Choice]) -> list[tuple[int, str]]:
    """The item-writing rules for one multiple-choice question's choices: (line, message) for each one broken."""
    found = []
    for number, c in enumerate(choices, 1):
        if GIVE_AWAY_CHOICE.search(c.text):
            found.append((c.line, f"choice {number} {c.text!r} is an 'all/none of the above' choice; write a "
                          "choice that stands on its own"))
    right = next(c for c in choices if c.correct)
    wrong = [c for c in choices if not c.correct]
    longest_wrong = max(len(c.text) for c in wrong)
    if len(right.text) > CORRECT_MARGIN * longest_wrong:
        found.append((right.line, f"the correct choice is {len(right.text)} characters, more than {CORRECT_MARGIN} "
                      f"times the longest wrong one ({longest_wrong}): a test-wise student picks it unread; shorten "
                      "it or write the wrong choices out as fully"))
    longest = max(len(c.text) for c in choices)
    for number, c in enumerate(choices, 1):
        if len(c.text) < SHORTEST_SHARE * longest:
            found.append((c.line, f"choice {number} is {len(c.text)} characters, under {SHORTEST_SHARE:.0%} of the "
                          f"longest ({longest}): write the choices alike in length and form"))
    return found


def longest_option_score(questions: list[Question]) -> float:
    """What "always pick the longest choice" scores on these questions' multiple-choice items (a tie shares)."""
    score = 0.0
    for q in questions:
        if q.type != "multiple-choice":
            continue
        longest = max(len(c.text) for c in q.choices)
        tied = [c for c in q.choices if len(c.text) == longest]
        score += sum(c.correct for c in tied) / len(tied)
    return score


def chance_score(questions: list[Question]) -> float:
    """What blind guessing scores, on average, on these questions' multiple-choice items."""
    return sum(1 / len(q.choices) for q in questions if q.type == "multiple-choice")


def set_problems(questions: list[Question]) -> list[tuple[int, str]]:
    """The bank-level rule, per set: the longest-choice strategy may score no better than chance."""
    found = []
    for name in SETS:
        of_set = [q for q in questions if q.set == name]
        score, chance = longest_option_score(of_set), chance_score(of_set)
        if score > chance:
            longest = [q for q in of_set if q.type == "multiple-choice"
                       and max(q.choices, key=lambda c: len(c.text)).correct]
            found.append((longest[-1].line, f"quiz: in the {name} set the correct choice is the longest in "
                          f"{', '.join(q.id for q in longest)}; picking the longest scores {score:g}, more than "
                          f"chance ({chance:g}); make a wrong choice the longest in some of them"))
    return found


def objective_problems(questions: list[Question], case: str, root: Path) -> list[tuple[int, str]]:
    """Every objective a question names is declared on its case's index page."""
    from teaching.objectives import declared

    known = {oid for oid, o in declared(root).items() if o.case == case}
    return [(q.key_lines.get("objectives", q.line), f"question {q.id!r}: objective {oid!r} is not declared on "
             f"cases/{case}/index.md (declared there: {', '.join(sorted(known)) or 'none'})")
            for q in questions for oid in q.objectives if oid not in known]


def _shown(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def load(path: Path, root: Path = ROOT) -> Quiz:
    """Read and check one quiz file; raise QuizError listing every problem with its line."""
    shown = _shown(path, root)
    loader = _Loader(path.read_text(encoding="utf-8"))
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise QuizError(shown, [((mark.line + 1) if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}")])
    finally:
        loader.dispose()
    problems: list[tuple[int, str]] = list(loader.duplicates)
    if not isinstance(data, _Mapping):
        raise QuizError(shown, [(1, "a quiz file is a mapping with case, title and questions")])
    _check_keys(data, TOP_KEYS, "quiz", problems)
    case = data.get("case")
    if "case" in data and case not in CASES:
        problems.append((data.key_lines["case"], f"quiz: case must be one of {', '.join(CASES)} (got {case!r})"))
    elif "case" in data and case != path.stem:
        problems.append((data.key_lines["case"], f"quiz: case {case!r} but the file is {path.name}; name the file "
                         f"{case}.yaml"))
    if "title" in data and _text(data["title"]) is None:
        problems.append((data.key_lines["title"], "quiz: title must be non-empty text"))
    raw = data.get("questions")
    questions: list[Question] = []
    if "questions" in data and not isinstance(raw, list):
        problems.append((data.key_lines["questions"], "quiz: questions must be a list"))
        raw = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw or [], 1):
        question = _question(item, index, seen, root, problems)
        if question is not None:
            questions.append(question)
    if case in CASES:
        problems += objective_problems(questions, case, root)
    if raw is not None and not problems:
        where = data.key_lines.get("questions", 1)
        if len(questions) < MIN_QUESTIONS:
            problems.append((where, f"quiz: {len(questions)} questions; a case needs at least {MIN_QUESTIONS}"))
        problems += set_problems(questions)
        for name, values in (("set", SETS), ("type", TYPES)):
            missing = [v for v in values if not any(getattr(q, name) == v for q in questions)]
            if missing:
                problems.append((where, f"quiz: no question with {name} {missing[0]!r}; a case needs both "
                                 f"{' and '.join(values)} questions"))
    if problems:
        raise QuizError(shown, sorted(problems, key=lambda p: p[0]))
    return Quiz(case, _text(data["title"]), path, questions, data.key_lines.get("title", 1))


def quiz_files(root: Path = ROOT) -> list[Path]:
    """The quiz files, one per case, in English (their translations are catalogues: see ``translate``)."""
    return sorted((root / QUIZ_DIR).glob("*.yaml"))


def load_all(root: Path = ROOT) -> list[Quiz]:
    """Every case's quiz; QuizError for the first file with problems (each of its problems with file and line)."""
    files = quiz_files(root)
    found = {p.stem for p in files}
    if found != set(CASES):
        extra = sorted(stem for stem in found if "." in stem)
        hint = (f"; {', '.join(f'{s}.yaml' for s in extra)} looks like a translation, which is now a catalogue: "
                f"locale/<language>/LC_MESSAGES/{DOMAIN}.po (TRANSLATING.md)" if extra else "")
        expected = ", ".join(f"{c}.yaml" for c in CASES)
        raise QuizError(str(QUIZ_DIR), [(0, f"expected one quiz file per case ({expected}), found "
                                            f"{', '.join(sorted(found)) or 'none'}{hint}")])
    return [load(p, root) for p in files]


# -- Translations: the quiz's texts through gettext --------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One translatable text of a quiz: its English, where it is, and what it is (for the translator)."""

    context: str  # the question's id; the case's name for the quiz's title
    id: str  # the English text
    path: str  # the English file, relative to the root
    line: int
    note: str  # "question", "choice 2 (correct)", ...
    where: tuple  # where the text sits in the Quiz: ("title",), (n, "question"), (n, "choices", i, "text") ...


def messages(quiz: Quiz, root: Path = ROOT) -> list[Message]:
    """Every text of an English quiz that a translation replaces, in the file's order."""
    path = _shown(quiz.path, root)
    found = [Message(quiz.case, quiz.title, path, quiz.title_line, "the quiz's title", ("title",))]
    for n, q in enumerate(quiz.questions):
        line = lambda key, lines=q.key_lines: lines.get(key, q.line)  # noqa: E731
        found.append(Message(q.id, q.question, path, line("question"), "question", (n, "question")))
        for i, c in enumerate(q.choices):
            label = f"choice {i + 1}" + (" (correct)" if c.correct else "")
            found.append(Message(q.id, c.text, path, c.key_lines.get("text", c.line), label, (n, "choices", i, "text")))
            if c.misconception:
                found.append(Message(q.id, c.misconception, path, c.key_lines.get("misconception", c.line),
                                     f"choice {i + 1}: the misconception (that choice's feedback)",
                                     (n, "choices", i, "misconception")))
        if q.type == "short-answer":
            found.append(Message(q.id, ANSWER_SEPARATOR.join(q.answers), path, line("answers"),
                                 f"accepted answers, separated by '{ANSWER_SEPARATOR.strip()}'; the English ones are "
                                 "accepted as well", (n, "answers")))
        found.append(Message(q.id, q.feedback, path, line("feedback"), "feedback", (n, "feedback")))
    return found


def write_pot(out: Path, root: Path = ROOT) -> Path:
    """``make gettext``: the English quizzes' texts as out/quiz.pot, each with its file and line, its question's id as
    its context and what it is as a comment."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project="Whose Face? (quiz)", domain=DOMAIN)
    for quiz in load_all(root):
        for m in messages(quiz, root):
            known = catalog.get(m.id, m.context)
            if known is not None:  # the same text twice in one question: one message, both places
                known.locations.append((m.path, m.line))
                known.auto_comments.append(m.note)
            else:
                catalog.add(m.id, locations=[(m.path, m.line)], auto_comments=[m.note], context=m.context)
    out.mkdir(parents=True, exist_ok=True)
    pot = out / f"{DOMAIN}.pot"
    with open(pot, "wb") as f:
        write_po(f, catalog, width=0)
    return pot


def catalogue_path(language: str, root: Path = ROOT, locale: str = "locale") -> Path:
    """The quiz's catalogue for ``language`` (``locale``: the build's first ``locale_dirs`` entry, from the root)."""
    return root / locale / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read_po(po: Path):
    from babel.messages.pofile import read_po

    with open(po, "rb") as f:
        return read_po(f)


def _compiled(po: Path):
    """The catalogue as gettext reads it: quiz.mo beside quiz.po, compiled (fuzzy messages left out, as msgfmt does)
    when the .po is newer. .mo files are build products (.gitignore)."""
    import gettext
    import os

    mo = po.with_suffix(".mo")
    if not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime:
        from babel.messages.mofile import write_mo

        part = mo.with_name(f"{mo.name}.{os.getpid()}.part")  # parallel builds: each writes its own, then renames
        with open(part, "wb") as f:
            write_mo(f, _read_po(po))
        os.replace(part, mo)
    with open(mo, "rb") as f:
        return gettext.GNUTranslations(f)


def translate(source: Quiz, language: str, root: Path = ROOT,
              locale: str = "locale") -> tuple[Quiz, list[tuple[str, int, str]]]:
    """``source`` (an English quiz) in ``language``, from the compiled catalogue, and the catalogue's problems as
    (file, line, message): every message that is new (not in the catalogue: run `make gettext`), untranslated or
    fuzzy. Each such message keeps its English text, so a draft build can show it. A complete translation is then
    held to the item-writing rules too (``item_problems``, ``set_problems``: a correct choice that is the longest by
    a clear margin gives it away in any language), named at the catalogue's lines."""
    import copy

    po = catalogue_path(language, root, locale)
    shown = _shown(po, root)
    if not po.is_file():
        return source, [(shown, 0, f"no {language} catalogue for the quiz: run `make gettext`, then translate "
                                   f"{shown} (TRANSLATING.md)")]
    entries = {(m.context, m.id): m for m in _read_po(po) if m.id}
    compiled = _compiled(po)
    quiz = copy.deepcopy(source)
    quiz.path = po
    problems: list[tuple[str, int, str]] = []
    for m in messages(source, root):
        short = m.id if len(m.id) <= 70 else m.id[:67] + "..."
        entry = entries.get((m.context, m.id))
        if entry is None:
            problems.append((m.path, m.line, f"new or changed: run `make gettext`, then translate it in {shown} "
                                             f"(question {m.context!r}, {m.note}): {short!r}"))
            continue
        if entry.fuzzy or not entry.string:
            kind = ("fuzzy: the English changed; check the translation and delete its `#, fuzzy` line" if entry.fuzzy
                    else "untranslated")
            problems.append((shown, entry.lineno, f"{kind} (source {m.path}:{m.line}): {short!r}"))
            continue
        text = compiled.pgettext(m.context, m.id)
        if m.where == ("title",):
            quiz.title = text
            continue
        question = quiz.questions[m.where[0]]
        if m.where[1] == "answers":
            own = [a.strip() for a in text.split(ANSWER_SEPARATOR.strip()) if a.strip()]
            taken = {a.casefold() for a in own}
            question.answers = own + [a for a in source.questions[m.where[0]].answers if a.casefold() not in taken]
        elif m.where[1] == "choices":
            choice = question.choices[m.where[2]]
            setattr(choice, m.where[3], text)
            if m.where[3] == "text":
                choice.line = entry.lineno
        else:
            setattr(question, m.where[1], text)
            if m.where[1] == "question":
                question.line = entry.lineno
    if not problems:
        for q in quiz.questions:
            if q.type == "multiple-choice":
                problems += [(shown, line, f"question {q.id!r}: {message}")
                             for line, message in item_problems(q.choices)]
        problems += [(shown, line, message) for line, message in set_problems(quiz.questions)]
    return quiz, problems


def load_translation(case: str, language: str, root: Path = ROOT) -> Quiz:
    """A case's quiz in ``language``, from its English file and the language's catalogue; QuizError names the file
    and line of every problem (a bad English file, or a message the catalogue lacks, leaves untranslated or marks
    fuzzy)."""
    quiz, problems = translate(load(root / QUIZ_DIR / f"{case}.yaml", root), language, root)
    if problems:
        raise QuizError.of(problems)
    return quiz


def load_translations(root: Path = ROOT) -> list[Quiz]:
    """Every case's quiz in every language the LMS exports (``LANGUAGES``), each from its catalogue."""
    return [load_translation(case, language, root) for language in LANGUAGES for case in CASES]


# -- Give-aways: does a public text hand a student a graded answer? ------------------------------------------------

SHINGLE = 5  # words in a row
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff]")


def words(text: str) -> list[str]:
    """The words of a text, case and punctuation set aside; Chinese cut into words by jieba (see below)."""
    text = text.replace("\u2019", "'").casefold()
    if _HAN.search(text):
        import jieba

        jieba.setLogLevel(60)
        # Chinese: jieba's words, without numbers and one-character words (particles, 年/月), which in Chinese
        # carry less than an English word does: five Chinese words in a row are then about as telling as five English.
        return [w for token in jieba.lcut(text) for w in _WORD.findall(token) if len(w) > 1 and not w.isdigit()]
    return _WORD.findall(text.replace("'", ""))


def shingles(text: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    """Every run of ``size`` words in a row."""
    found = words(text)
    return {tuple(found[i:i + size]) for i in range(len(found) - size + 1)}


def graded_keys(quiz: Quiz) -> dict[str, str]:
    """What a student must not read before a graded item: its correct answer and its feedback, per item id."""
    return {q.id: f"{q.correct_text} {q.feedback}" if q.type == "multiple-choice" else q.feedback
            for q in quiz.of_set("graded")}


def giveaways(public: dict[str, str], keys: dict[str, str], size: int = SHINGLE,
              ignore: set[tuple[str, ...]] = frozenset()) -> list[tuple[str, str, list]]:
    """(where, graded item, shared runs of words) for every public text that repeats a run of ``size`` words from a
    graded item's answer or feedback (or a rubric's descriptors). Runs in ``ignore`` (say, the wording of the
    exercise's own prompt, which students are meant to read) do not count."""
    public_shingles = {where: shingles(text, size) for where, text in public.items()}
    found = []
    for qid, key in keys.items():
        mine = shingles(key, size) - ignore
        for where, theirs in public_shingles.items():
            shared = mine & theirs
            if shared:
                found.append((where, qid, sorted(" ".join(s) for s in shared)))
    return found
