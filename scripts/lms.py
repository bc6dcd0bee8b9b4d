"""Export the reading quiz for learning-management systems: `make lms`.

    python scripts/lms.py [DIST]        # default: dist; the files go into DIST/instructor/

writes, from the quiz's one source (exercises/quiz/<case>.yaml, read and checked by _ext/teaching/quiz_source.py), into
DIST/instructor/ (never beside the student zips in DIST/, and named so that nobody mistakes them for student files):

- whose-face-<version>-quiz-instructor-only-canvas.zip: a QTI 1.2 package that Canvas imports (Settings > Import
  course content > "QTI .zip file"). It holds four quizzes, one per case and set (practice, graded). Each is written
  by text2qti (https://github.com/gpoore/text2qti) from the Markdown that this script generates; the four packages
  are merged into one, with one manifest listing every quiz. Canvas quiz settings (assessment_meta.xml):
  - graded: an assignment whose correct answers and results stay hidden (show_correct_answers false, hide_results
    "always") and whose grades are posted by hand (post_policy post_manually): students see nothing of the key until
    the instructor releases it;
  - practice: a practice quiz (quiz_type practice_quiz, no gradebook assignment) that shows its answers at once.
  Both shuffle their choices.
- whose-face-<version>-quiz-instructor-only-moodle.xml: Moodle XML (Question bank > Import > "Moodle XML format"),
  written with xml.etree, with one category per case and set, so the graded questions can go in a quiz of their
  own. What students see after an attempt is a setting of the Moodle quiz, not of the questions: see the README.

Every wrong choice carries its misconception as that choice's feedback; every question carries its general feedback
and names the case page it draws on. The version comes from conf.py's ``version`` line. A bad quiz file stops the
export with the file, the line and what to fix.

The same two files in Chinese, from the same questions with their texts from the compiled quiz catalogue
(locale/zh_CN/LC_MESSAGES/quiz.po, read by _ext/teaching/quiz_source.py; a message that is new, untranslated or fuzzy
stops the export with the catalogue's file and line): ...-quiz-instructor-only-canvas-zh.zip and
...-quiz-instructor-only-moodle-zh.xml.
Their titles, categories and the words around the questions are messages of the code's catalogue
(locale/zh_CN/LC_MESSAGES/whose-face.po), and the pages they cite are named by their Chinese titles (the pages'
catalogues).
"""

from __future__ import annotations

import html
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "_ext"), str(ROOT)]  # the extensions, and facelab, which they import
from teaching.quiz_source import CASES, Question, Quiz, QuizError, load_all, load_translations  # noqa: E402
from i18n.translations import script_tr  # noqa: E402

NAME = "whose-face"
SETS = {"practice": "practice", "graded": "graded"}
FOLDER = "instructor"  # DIST/instructor/: the exports hold the graded answers
CANVAS, MOODLE = "quiz-instructor-only-canvas", "quiz-instructor-only-moodle"


def export_paths(dist: Path, version_: str, suffix: str = "") -> tuple[Path, Path]:
    """Where `make lms` writes the Canvas package and the Moodle file of one language."""
    stem = dist / FOLDER / f"{NAME}-{version_}"
    return Path(f"{stem}-{CANVAS}{suffix}.zip"), Path(f"{stem}-{MOODLE}{suffix}.xml")


def version(root: Path = ROOT) -> str:
    """conf.py's ``version``, read as text (conf.py needs Sphinx's `tags` to run)."""
    found = re.search(r'^version = (?:release = )?"([^"]+)"', (root / "conf.py").read_text(encoding="utf-8"), re.M)
    if not found:
        sys.exit('scripts/lms.py: no line `version = release = "X.Y.Z"` in conf.py; the file names need the version')
    return found[1]


def page_title(page: str, root: Path = ROOT) -> str:
    """The first heading of a page's source: how the feedback names the page it cites."""
    for line in (root / f"{page}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page


def zh_page_title(page: str, root: Path = ROOT) -> str:
    """A page's title in Chinese: its English title's translation in the page's catalogue."""
    from i18n.translations import translated

    english = page_title(page, root)
    po = root / "locale" / "zh_CN" / "LC_MESSAGES" / f"{page}.po"
    if english in (found := translated(po)):
        return found[english]
    sys.exit(f"scripts/lms.py: {po.relative_to(root)} has no Chinese title for {english!r} (run `make gettext`, "
             "then translate it)")


@dataclass
class Language:
    """What the exports write in one language: file-name suffix, messages, page titles."""

    suffix: str
    tr: object  # tr(message, **fields) -> str
    title_of: object  # title_of(page) -> str


ENGLISH = Language("", script_tr("en", "scripts/lms.py"), page_title)


def chinese() -> Language:
    return Language("-zh", script_tr("zh_CN", "scripts/lms.py"), zh_page_title)


def citation(q: Question, lang: Language = ENGLISH) -> str:
    return lang.tr('Read it again: "{title}" ({page}.html in the Whose Face? module).', title=lang.title_of(q.page),
                   page=q.page)


def quiz_title(quiz: Quiz, set_name: str, lang: Language = ENGLISH) -> str:
    return lang.tr("Whose Face? {case}: {title} ({set})", case=lang.tr(CASES[quiz.case]), title=quiz.title,
                   set=lang.tr(set_name))


# -- QTI 1.2 through text2qti ------------------------------------------------------------------------------------------


def md_escape(text: str) -> str:
    """Text as text2qti's Markdown reads it: no emphasis, links, code or HTML by accident."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*_`\[\]#])", r"\\\1", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def text2qti_markdown(quiz: Quiz, set_name: str, lang: Language = ENGLISH) -> str:
    """One case's set as text2qti Markdown (https://github.com/gpoore/text2qti#quick-reference)."""
    description = lang.tr("Reading quiz for {case} of the Whose Face? module, {set} set. Each question names the case "
                          "page it draws on.", case=lang.tr(CASES[quiz.case]), set=lang.tr(set_name))
    lines = [f"Quiz title: {md_escape(quiz_title(quiz, set_name, lang))}", f"Quiz description: {description}",
             "Shuffle answers: true",
             # A graded quiz keeps its key until the instructor releases it; text2qti then also sets hide_results.
             f"Show correct answers: {'true' if set_name == 'practice' else 'false'}", ""]
    for number, q in enumerate(quiz.of_set(set_name), 1):
        lines.append(f"Title: {q.id}")
        lines.append("Points: 1")
        draws_on = lang.tr("(Draws on: {page}.)", page=md_escape(lang.title_of(q.page)))
        lines.append(f"{number}.  {md_escape(q.question)} {draws_on}")
        lines.append(f"... {md_escape(q.feedback)} {md_escape(citation(q, lang))}")
        if q.type == "multiple-choice":
            for letter, choice in zip("abcdefghij", q.shown_choices):
                lines.append(f"{'*' if choice.correct else ''}{letter}) {md_escape(choice.text)}")
                if choice.misconception:
                    lines.append(f"... {md_escape(choice.misconception)}")
        else:
            lines += [f"*   {md_escape(answer)}" for answer in q.answers]
        lines.append("")
    return "\n".join(lines)


def released_sets(quiz: Quiz, released: dict | None) -> list[str]:
    """The sets of ``quiz`` to export: both, or those ``released`` names ({(case, set): (opens, closes)}, aware
    datetimes: a course file's quiz releases, scripts/course.py)."""
    return [s for s in SETS if released is None or (quiz.case, s) in released]


def utc(moment) -> str:
    from datetime import timezone

    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_qti(quizzes: list[Quiz], path: Path, lang: Language = ENGLISH, released: dict | None = None) -> int:
    """Every case's two sets as one QTI package; returns the number of quizzes in it. With ``released``, only those
    sets, each opening and closing at its dates (Canvas's unlock_at and lock_at)."""
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz as T2Quiz

    packages, metas = [], []
    for quiz in quizzes:
        for set_name in released_sets(quiz, released):
            source = text2qti_markdown(quiz, set_name, lang)
            # A fresh Config, not Config.load(): nothing is read from or written to the user's home folder.
            packages.append(QTI(T2Quiz(source, config=Config(), source_name=f"{quiz.case}-{set_name}.md")))
            meta = packages[-1].assessment_meta
            if released:
                opens, closes = released[(quiz.case, set_name)]
                meta = meta.replace("<unlock_at/>", f"<unlock_at>{utc(opens)}</unlock_at>", 1)
                meta = meta.replace("<lock_at/>", f"<lock_at>{utc(closes)}</lock_at>", 1)
            metas.append(canvas_settings(meta, set_name))
    resources = [re.search(r"<resources>(.*)</resources>", p.imsmanifest_xml, re.S)[1] for p in packages]
    manifest = re.sub(r"<resources>.*</resources>", lambda m: "<resources>" + "".join(resources) + "</resources>",
                      packages[0].imsmanifest_xml, flags=re.S)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", manifest)
        zf.writestr(zipfile.ZipInfo("non_cc_assessments/"), b"")
        for p, meta in zip(packages, metas):
            zf.writestr(f"{p.assessment_identifier}/assessment_meta.xml", meta)
            zf.writestr(f"{p.assessment_identifier}/{p.assessment_identifier}.xml", p.assessment)
    return len(packages)


def canvas_settings(meta: str, set_name: str) -> str:
    """text2qti's assessment_meta.xml with the settings of a set: a graded quiz posts its grades by hand (its answers
    and results are already hidden); a practice quiz is a Canvas practice quiz, with no gradebook assignment."""
    if set_name == "graded":
        assert "<show_correct_answers>false</show_correct_answers>" in meta and "<hide_results>always" in meta
        return meta.replace("<post_manually>false</post_manually>", "<post_manually>true</post_manually>")
    # A practice quiz has no gradebook assignment; the dates a course gives it (scripts/course.py) move from the
    # assignment to the quiz itself.
    dates = "".join(re.findall(r"<(?:unlock_at|lock_at)>[^<]+</(?:unlock_at|lock_at)>",
                               (re.search(r"<assignment identifier=.*?</assignment>", meta, re.S) or [""])[0]))
    meta = meta.replace("<quiz_type>assignment</quiz_type>", f"<quiz_type>practice_quiz</quiz_type>{dates}")
    meta = re.sub(r"\s*<assignment identifier=.*?</assignment>", "", meta, flags=re.S)
    return re.sub(r"\s*<assignment_group_identifierref>.*?</assignment_group_identifierref>", "", meta, flags=re.S)


# -- Moodle XML --------------------------------------------------------------------------------------------------------


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html", **attrs) -> ET.Element:
    el = ET.SubElement(parent, tag, {**({"format": fmt} if fmt else {}), **attrs})
    ET.SubElement(el, "text").text = text
    return el


def _html(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"


def moodle_question(root: ET.Element, q: Question, lang: Language = ENGLISH) -> None:
    kind = "multichoice" if q.type == "multiple-choice" else "shortanswer"
    el = ET.SubElement(root, "question", type=kind)
    _text(el, "name", q.id, fmt=None)
    _text(el, "questiontext", _html(q.question) + _html(lang.tr("Draws on: {page}.", page=lang.title_of(q.page))))
    _text(el, "generalfeedback", _html(q.feedback) + _html(citation(q, lang)))
    ET.SubElement(el, "defaultgrade").text = "1"
    ET.SubElement(el, "penalty").text = "0"
    ET.SubElement(el, "hidden").text = "0"
    if kind == "multichoice":
        ET.SubElement(el, "single").text = "true"
        ET.SubElement(el, "shuffleanswers").text = "true"
        ET.SubElement(el, "answernumbering").text = "abc"
        for choice in q.shown_choices:
            answer = _text(el, "answer", _html(choice.text), fraction="100" if choice.correct else "0")
            _text(answer, "feedback", _html(lang.tr("Correct.") if choice.correct else choice.misconception))
    else:
        ET.SubElement(el, "usecase").text = "0"  # answers match without regard to case
        for accepted in q.answers:
            answer = _text(el, "answer", accepted, fmt="moodle_auto_format", fraction="100")
            _text(answer, "feedback", _html(lang.tr("Correct.")))


def write_moodle(quizzes: list[Quiz], path: Path, lang: Language = ENGLISH, released: dict | None = None) -> int:
    """Every case's two sets, or those ``released``, each in a category of its own (with its dates in the category's
    description: Moodle sets a quiz's dates on the quiz, which a question bank import does not make)."""
    root = ET.Element("quiz")
    count = 0
    for quiz in quizzes:
        for set_name in released_sets(quiz, released):
            category = ET.SubElement(root, "question", type="category")
            name = lang.tr("$course$/Whose Face?/{case} reading quiz/{set}", case=lang.tr(CASES[quiz.case]),
                           set=lang.tr(set_name))
            _text(category, "category", name, fmt=None)
            if released:
                opens, closes = released[(quiz.case, set_name)]
                _text(category, "info", _html(lang.tr("Open the quiz from {opens} to {closes}.",
                                                      opens=opens.isoformat(), closes=closes.isoformat())))
            for q in quiz.of_set(set_name):
                moodle_question(root, q, lang)
                count += 1
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="UTF-8", xml_declaration=True)
    return count


def main(argv: list[str]) -> int:
    dist = Path(argv[1]) if len(argv) > 1 else ROOT / "dist"
    try:
        quizzes, translated = load_all(), load_translations()
    except QuizError as exc:
        print(f"scripts/lms.py: the quiz source has problems; nothing was written.\n{exc}", file=sys.stderr)
        return 1
    for quizzes_of, lang in ((quizzes, ENGLISH), (translated, chinese())):
        qti, moodle = export_paths(dist, version(), lang.suffix)
        packages = write_qti(quizzes_of, qti, lang)
        count = write_moodle(quizzes_of, moodle, lang)
        for quiz in quizzes_of:
            print(f"{CASES[quiz.case]}{lang.suffix}: {len(quiz.of_set('practice'))} practice, "
                  f"{len(quiz.of_set('graded'))} graded")
        print(f"wrote {qti} ({packages} quizzes) and {moodle} ({count} questions)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
