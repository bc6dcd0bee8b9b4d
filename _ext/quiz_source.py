"""The reading quiz's one source: exercises/quiz/<case>.yaml, read and checked against its schema.

One job: turn a quiz file into checked questions, or into a list of problems that each name the file and line.
It needs no Sphinx, so the site (_ext/quiz.py) and the LMS exports (scripts/lms.py) read the same questions the
same way.

A quiz file::

    case: face-data-remark            # the case it belongs to; the file is named after it
    title: "Reading quiz: ..."
    questions:
      - id: remark-statement-order    # unique in the module; letters, digits and hyphens
        set: practice                 # practice (student edition) or graded (instructor edition and exports)
        type: multiple-choice         # or short-answer
        page: cases/face-data-remark/timeline   # the page the question draws on (its feedback cites it)
        question: ...
        choices:                      # multiple-choice: three or more, exactly one with correct: true
          - text: ...
            correct: true
          - text: ...
        answers: [contested]          # short-answer: the accepted answers (matched without regard to case)
        feedback: ...                 # why the answer is right, from the page

Rules beyond the shape: at least ten questions per case, with both sets and both types; every ``page`` is a page of
the module (a .md file under the repository root).

Translations: exercises/quiz/<case>.<language>.yaml (for now zh_CN) is the same quiz in another language, read and
checked by the same schema, and then held to its English source by ``check_translation``: the same ids in the same
order, the same set, type and page, as many choices with the correct flag on the same one, and every English accepted
answer of a short-answer question still accepted. So a change to the English quiz stops the translated build, naming
the translated file and line, until a translator has followed it. ``quiz_files``/``load_all`` read the English
sources only, ``load_translations`` the translations: ``make lms`` exports both, each language into files of its own.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
QUIZ_DIR = Path("exercises") / "quiz"
CASES = {"face-data-remark": "Case 1", "masked-photos": "Case 2"}
LANGUAGES = ("zh_CN",)  # the languages a quiz may be translated into: exercises/quiz/<case>.<language>.yaml
SETS = ("practice", "graded")
TYPES = ("multiple-choice", "short-answer")
MIN_QUESTIONS = 10
MIN_CHOICES = 3
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TOP_KEYS = {"case": True, "title": True, "questions": True}  # key: required
QUESTION_KEYS = {"id": True, "set": True, "type": True, "page": True, "question": True, "feedback": True,
                 "choices": False, "answers": False}
CHOICE_KEYS = {"text": True, "correct": False}


@dataclass
class Choice:
    text: str
    correct: bool
    line: int = field(default=0, compare=False)  # the choice's first line in its file


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

    def of_set(self, name: str) -> list[Question]:
        return [q for q in self.questions if q.set == name]


class QuizError(Exception):
    """Every problem in one quiz file: ``problems`` is a list of (line, message)."""

    def __init__(self, path: str, problems: list[tuple[int, str]]):
        self.path, self.problems = path, problems
        super().__init__("\n".join(f"{path}:{line}: {message}" for line, message in problems))


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
            choices.append(Choice(text or "", choice.get("correct") is True,
                                  choice.key_lines.get("correct", choice.line)))
        if raw and sum(c.correct for c in choices) != 1:
            problems.append((line_of("choices"), f"{what}: exactly one choice must have 'correct: true' (found "
                             f"{sum(c.correct for c in choices)})"))
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
    if len(problems) > start:
        return None
    return Question(qid, item["set"], item["type"], page, _text(item["question"]), _text(item["feedback"]),
                    item.line, choices, answers, dict(item.key_lines))


def _shown(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _language(path: Path) -> str | None:
    """The language of a translated quiz file (``masked-photos.zh_CN.yaml``: zh_CN); None for an English source."""
    return path.stem.split(".", 1)[1] if "." in path.stem else None


def load(path: Path, root: Path = ROOT) -> Quiz:
    """Read and check one quiz file (English or translated); raise QuizError listing every problem with its line."""
    shown = _shown(path, root)
    language = _language(path)
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
    elif "case" in data and case != path.stem.split(".", 1)[0]:
        problems.append((data.key_lines["case"], f"quiz: case {case!r} but the file is {path.name}; name the file "
                         f"{case}.yaml" + (f" (or {case}.{language}.yaml for a translation)" if language else "")))
    if language is not None and language not in LANGUAGES:
        problems.append((1, f"quiz: {path.name} is a translation into {language!r}, which is not one of the "
                         f"module's languages ({', '.join(LANGUAGES)})"))
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
    if raw is not None and not problems:
        where = data.key_lines.get("questions", 1)
        if len(questions) < MIN_QUESTIONS:
            problems.append((where, f"quiz: {len(questions)} questions; a case needs at least {MIN_QUESTIONS}"))
        for name, values in (("set", SETS), ("type", TYPES)):
            missing = [v for v in values if not any(getattr(q, name) == v for q in questions)]
            if missing:
                problems.append((where, f"quiz: no question with {name} {missing[0]!r}; a case needs both "
                                 f"{' and '.join(values)} questions"))
    if problems:
        raise QuizError(shown, sorted(problems, key=lambda p: p[0]))
    return Quiz(case, _text(data["title"]), path, questions)


def quiz_files(root: Path = ROOT) -> list[Path]:
    """The English sources, one per case (translations, <case>.<language>.yaml, are not among them)."""
    return sorted(p for p in (root / QUIZ_DIR).glob("*.yaml") if _language(p) is None)


def translation_path(case: str, language: str, root: Path = ROOT) -> Path:
    return root / QUIZ_DIR / f"{case}.{language}.yaml"


def check_translation(source: Quiz, translation: Quiz, root: Path = ROOT) -> None:
    """Hold a translated quiz to its English source: raise QuizError naming the translated file and the line of each
    difference in ids, order, sets, types, pages, choices, correct flags or accepted answers."""
    shown, english = _shown(translation.path, root), _shown(source.path, root)
    problems: list[tuple[int, str]] = []
    theirs = {q.id: q for q in source.questions}
    ours = {q.id: q for q in translation.questions}
    for q in source.questions:
        if q.id not in ours:
            problems.append((1, f"question {q.id!r} ({english}:{q.line}) is missing; translate it"))
    for q in translation.questions:
        if q.id not in theirs:
            problems.append((q.key_lines.get("id", q.line), f"question {q.id!r} is not in {english}; the "
                             "translation keeps the English ids"))
    common = [q.id for q in source.questions if q.id in ours]
    if [q.id for q in translation.questions if q.id in theirs] != common:
        first = next(a for a, b in zip([q.id for q in translation.questions if q.id in theirs], common) if a != b)
        problems.append((ours[first].key_lines.get("id", ours[first].line), f"question {first!r} is out of order; "
                         f"keep the order of {english}"))
    for qid in common:
        en, zh = theirs[qid], ours[qid]
        what = f"question {qid!r}"
        for key in ("set", "type", "page"):
            if getattr(zh, key) != getattr(en, key):
                problems.append((zh.key_lines.get(key, zh.line), f"{what}: {key} is {getattr(zh, key)!r} but "
                                 f"{getattr(en, key)!r} in {english}:{en.key_lines.get(key, en.line)}"))
        if zh.type != en.type:
            continue
        if en.type == "multiple-choice":
            if len(zh.choices) != len(en.choices):
                problems.append((zh.key_lines.get("choices", zh.line), f"{what}: {len(zh.choices)} choices but "
                                 f"{len(en.choices)} in {english}:{en.key_lines.get('choices', en.line)}; "
                                 "translate every choice, in the same order"))
                continue
            right = [c.correct for c in en.choices].index(True)
            for number, (a, b) in enumerate(zip(zh.choices, en.choices), 1):
                if a.correct != b.correct:
                    problems.append((a.line, f"{what}: choice {number} is marked "
                                     f"{'correct' if a.correct else 'wrong'} here, but {english} marks choice "
                                     f"{right + 1} correct ({english}:{en.choices[right].line}); keep the choices "
                                     "in the English order with the same 'correct: true'"))
                    break
        else:
            accepted = {a.casefold() for a in zh.answers}
            missing = [a for a in en.answers if a.casefold() not in accepted]
            if missing:
                problems.append((zh.key_lines.get("answers", zh.line), f"{what}: answers lack {', '.join(missing)} "
                                 f"({english}:{en.key_lines.get('answers', en.line)}); a translation accepts every "
                                 "English answer as well as its own"))
    if problems:
        raise QuizError(shown, sorted(problems, key=lambda p: p[0]))


def load_translation(case: str, language: str, root: Path = ROOT) -> Quiz:
    """A case's quiz in ``language``: its file read and checked like the English one, then held to the English
    source (``check_translation``). QuizError names the file and line of every problem, a missing file included."""
    path = translation_path(case, language, root)
    if not path.is_file():
        raise QuizError(_shown(path, root), [(0, f"no {language} quiz for {case}: copy {case}.yaml to {path.name} "
                                                 "and translate its texts")])
    translation = load(path, root)
    check_translation(load(root / QUIZ_DIR / f"{case}.yaml", root), translation, root)
    return translation


def load_translations(root: Path = ROOT) -> list[Quiz]:
    """Every case's quiz in every translated language, each checked against its English source."""
    return [load_translation(case, language, root) for language in LANGUAGES for case in CASES]


def load_all(root: Path = ROOT) -> list[Quiz]:
    """Every case's quiz; QuizError for the first file with problems (each of its problems with file and line)."""
    files = quiz_files(root)
    found = {p.stem for p in files}
    if found != set(CASES):
        raise QuizError(str(QUIZ_DIR), [(0, f"expected one quiz file per case ({', '.join(f'{c}.yaml' for c in CASES)}),"
                                            f" found {', '.join(sorted(found)) or 'none'}")])
    return [load(p, root) for p in files]
