"""The reading quiz: one checked source, a practice page per case, the graded set kept from students, LMS exports.

- The source (exercises/quiz/<case>.yaml): at least ten questions per case, both sets and both types; a bad file is
  an error naming the file and line, in the build and in `make lms` (fault tests on throw-away copies).
- The student edition: a practice page per case whose answers open in <details> (no script, storage or network;
  checked in the browser), and not one graded question's text in any student file.
- The exports (scripts/lms.py, as `make lms` runs it): the QTI zip and the Moodle XML are parsed; every question is
  there once, and every question has a correct answer.
- The Chinese quiz (the English questions with their texts from locale/zh_CN/LC_MESSAGES/quiz.po, compiled): every
  text translated; a message that is new, untranslated or fuzzy names the catalogue's file and line (the English
  file's for a new one), in `make lms` and in the strict Chinese build (fault tests); `make gettext`'s template
  (quiz.pot) holds every text with its file and line.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from site_tools import ROOT, copy_source, open_page, page_soup, pages_only, po_line, sphinx_build

sys.path.insert(0, str(ROOT / "_ext"))
from teaching.quiz_source import (CASES, MIN_QUESTIONS, QUIZ_DIR, QuizError, load, load_all,  # noqa: E402
                         catalogue_path, load_translation, load_translations, write_pot)

QTI_NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}


def norm(text: str) -> str:
    """Whitespace and typographic quotes as the HTML writer turns them (smart quotes)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def quizzes():
    return load_all()


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "lms.py"), str(dist)], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    version = re.search(r'^version = (?:release = )?"([^"]+)"', (ROOT / "conf.py").read_text(), re.M)[1]
    qti = dist / "instructor" / f"whose-face-{version}-quiz-instructor-only-canvas.zip"
    return qti, dist / "instructor" / f"whose-face-{version}-quiz-instructor-only-moodle.xml"


# -- The source ------------------------------------------------------------------------------------------------------


def test_each_case_has_enough_questions_of_both_sets_and_types(quizzes):
    assert {q.case for q in quizzes} == set(CASES)
    for quiz in quizzes:
        assert len(quiz.questions) >= MIN_QUESTIONS, quiz.case
        assert {q.set for q in quiz.questions} == {"practice", "graded"}, quiz.case
        assert {q.type for q in quiz.questions} == {"multiple-choice", "short-answer"}, quiz.case
        for q in quiz.questions:
            assert q.page.startswith(f"cases/{quiz.case}/"), f"{q.id}: draws on a page outside its case"
            assert len(q.feedback) >= 80, f"{q.id}: feedback too thin to explain the answer"


BAD_QUIZ = """\
case: masked-photos
title: A broken quiz
questions:
  - id: fine-question
    set: practice
    type: short-answer
    page: cases/masked-photos/reported
    question: Fine?
    answers: [yes]
    feedback: Fine.
  - id: no-right-answer
    set: practise
    type: multiple-choice
    page: cases/masked-photos/no-such-page
    question: Which?
    choices:
      - text: One
      - text: Two
      - text: Three
    feedback: None of them.
"""


def test_bad_quiz_source_names_each_problem_with_its_line(tmp_path):
    path = tmp_path / "masked-photos.yaml"
    path.write_text(BAD_QUIZ, encoding="utf-8")
    with pytest.raises(QuizError) as caught:
        load(path, ROOT)
    problems = dict(caught.value.problems)
    lines = BAD_QUIZ.splitlines()
    assert "set must be one of practice, graded (got 'practise')" in problems[lines.index("    set: practise") + 1]
    assert "is not a page of the module" in problems[lines.index("    page: cases/masked-photos/no-such-page") + 1]
    assert "exactly one choice must have 'correct: true'" in problems[lines.index("    choices:") + 1]
    assert str(caught.value).startswith(f"{path}:"), "each problem starts with file:line"


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "face-data-remark.yaml"
    path.write_text("case: face-data-remark\ntitle: [unclosed\nquestions: []\n", encoding="utf-8")
    with pytest.raises(QuizError) as caught:
        load(path, ROOT)
    assert "not valid YAML" in str(caught.value) and caught.value.problems[0][0] >= 2


@pytest.fixture(scope="module")
def broken_quiz_tree(tmp_path_factory):
    """A copy of the source with a graded question whose right answer is gone."""
    src = copy_source(tmp_path_factory.mktemp("quiz-fault") / "src")
    path = src / "exercises" / "quiz" / "face-data-remark.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "  - id: remark-truncated-transcript\n"
    head, tail = text.split(anchor)
    tail = tail.replace("        correct: true\n", "", 1)
    path.write_text(head + anchor + tail, encoding="utf-8")
    line = (head + anchor + tail).splitlines().index("    choices:", len(head.splitlines())) + 1
    return src, line


def test_bad_quiz_stops_the_build_naming_file_and_line(broken_quiz_tree):
    src, line = broken_quiz_tree
    build = sphinx_build(src, src / "_build" / "instructor", "-t", "instructor",
                         *pages_only("exercises/quiz/face-data-remark.md"))
    assert build.returncode != 0
    where = f"exercises/quiz/face-data-remark.yaml:{line}: ERROR:"
    assert any(where in w and "exactly one choice must have 'correct: true'" in w for w in build.warnings), build.log


def test_bad_quiz_stops_make_lms_naming_file_and_line(broken_quiz_tree, tmp_path):
    src, line = broken_quiz_tree
    proc = subprocess.run([sys.executable, str(src / "scripts" / "lms.py"), str(tmp_path / "dist")],
                          capture_output=True, text=True, cwd=src)
    assert proc.returncode != 0
    assert f"exercises/quiz/face-data-remark.yaml:{line}: question 'remark-truncated-transcript'" in proc.stderr
    assert not (tmp_path / "dist").exists(), "nothing may be written from a bad source"


# -- The site --------------------------------------------------------------------------------------------------------


def page_questions(site: Path, case: str):
    return page_soup(site / "exercises" / "quiz" / f"{case}.html")


def test_practice_page_per_case_with_answers_in_details(student, quizzes):
    for quiz in quizzes:
        soup = page_questions(student, quiz.case)
        shown = soup.select(".quiz-question")
        practice = quiz.of_set("practice")
        assert [el["id"] for el in shown] == [f"quiz-{q.id}" for q in practice]
        for el, q in zip(shown, practice):
            assert norm(q.question) in norm(el.select_one(".quiz-stem").get_text())
            details = el.select_one("details.quiz-feedback")
            assert details is not None and details.select_one("summary"), f"{q.id}: no <details> feedback"
            assert norm(q.feedback) in norm(details.get_text())
            cited = details.select_one(".quiz-source a")
            assert cited is not None and cited["href"].endswith(f"{q.page.rsplit('/', 1)[-1]}.html"), q.id
            if q.type == "multiple-choice":
                assert f"Answer: {q.correct_letter})" in details.get_text()
        assert not soup.select(".instructor-only"), "the student page has instructor material"
        index = (student / "exercises" / "index.html").read_text(encoding="utf-8")
        assert f"quiz/{quiz.case}.html" in index, "the quiz page is not in the exercises toctree"


def test_no_graded_question_in_any_student_file(student, quizzes):
    graded = [(q.id, norm(text)) for quiz in quizzes for q in quiz.of_set("graded")
              for text in (q.question, q.feedback, q.correct_text) if len(text) >= 40]
    assert len(graded) >= 20
    files = [p for p in student.rglob("*") if p.is_file() and p.suffix in {".html", ".js", ".json", ".txt", ".inv"}]
    texts = {p: norm(page_soup(p).get_text())
             if p.suffix == ".html" else norm(p.read_text(encoding="utf-8", errors="replace")) for p in files}
    leaks = [(qid, str(p.relative_to(student))) for qid, text in graded for p, t in texts.items() if text in t]
    assert not leaks, f"graded questions in the student edition: {leaks[:5]}"
    assert not any(f"quiz-{q.id}" in t for quiz in quizzes for q in quiz.of_set("graded") for t in texts.values())


def test_instructor_edition_has_the_graded_set_marked_instructor_only(instructor, quizzes):
    for quiz in quizzes:
        soup = page_questions(instructor, quiz.case)
        boxes = soup.select(".instructor-only")
        assert len(boxes) == 1
        ids = [el["id"] for el in boxes[0].select(".quiz-graded")]
        assert ids == [f"quiz-{q.id}" for q in quiz.of_set("graded")]


@pytest.mark.browser
def test_practice_page_works_offline_without_script(student, browser, quizzes):
    for quiz in quizzes:
        page_file = student / "exercises" / "quiz" / f"{quiz.case}.html"
        soup = page_soup(page_file)
        scripts = [s.get("src", "inline") for s in soup.select("script") if "quiz" in (s.get("src") or s.string or "")]
        assert not scripts, f"the quiz needs no script of its own: {scripts}"
        visit = open_page(browser, page_file.as_uri())
        try:
            page = visit.page
            first = page.locator("details.quiz-feedback").first
            assert not first.locator(".quiz-answer").is_visible(), "the answer shows before it is asked for"
            first.locator("summary").click()
            assert first.locator(".quiz-answer").is_visible(), "opening the feedback does not show the answer"
            stored = page.evaluate("() => localStorage.length + sessionStorage.length + document.cookie.length")
            assert stored == 0, "the quiz stores something"
            assert not visit.external and not visit.errors, (visit.external, visit.errors)
        finally:
            visit.close()


# -- The exports -----------------------------------------------------------------------------------------------------


def qti_quizzes(qti: Path, quizzes) -> tuple[list[str], list]:
    """The QTI package's quiz titles and items, after checking it holds one quiz per case and set."""
    with zipfile.ZipFile(qti) as zf:
        manifest = ET.fromstring(zf.read("imsmanifest.xml"))
        hrefs = [f.get("href") for f in manifest.iter() if f.tag.endswith("file")]
        assessments = [h for h in hrefs if not h.endswith("assessment_meta.xml")]
        assert len(assessments) == 2 * len(quizzes), "one quiz per case and set"
        titles, items = [], []
        for href in assessments:
            root = ET.fromstring(zf.read(href))
            titles.append(root.find("q:assessment", QTI_NS).get("title"))
            items += root.iterfind(".//q:item", QTI_NS)
    return titles, items


def test_qti_zip_has_every_question_with_a_correct_answer(exports, quizzes):
    qti, _ = exports
    titles, items = qti_quizzes(qti, quizzes)
    expected = {q.id: q for quiz in quizzes for q in quiz.questions}
    assert sorted(item.get("title") for item in items) == sorted(expected), "every question exactly once"
    for item in items:
        q = expected[item.get("title")]
        correct = [c for c in item.iterfind(".//q:respcondition", QTI_NS)
                   if c.findtext("q:setvar", namespaces=QTI_NS) == "100"]
        assert correct, f"{q.id}: no correct answer in the QTI item"
        values = [v.text for c in correct for v in c.iterfind(".//q:varequal", QTI_NS)]
        if q.type == "multiple-choice":
            labels = [lab.get("ident") for lab in item.iterfind(".//q:response_label", QTI_NS)]
            assert len(labels) == len(q.choices) and len(values) == 1 and values[0] in labels, q.id
            right = next(lab for lab in item.iterfind(".//q:response_label", QTI_NS) if lab.get("ident") == values[0])
            shown = norm(html.unescape(" ".join(right.itertext())))  # text2qti writes HTML, with typographic quotes
            assert norm(q.correct_text) in shown, f"{q.id}: the wrong choice is marked"
        else:
            assert set(q.answers) <= set(values), f"{q.id}: accepted answers missing"
        feedback = " ".join(" ".join(f.itertext()) for f in item.iterfind(".//q:itemfeedback", QTI_NS))
        assert "Read it again" in feedback, f"{q.id}: the feedback does not cite its page"
    assert any("graded" in t for t in titles) and any("practice" in t for t in titles)


def test_moodle_xml_has_every_question_with_a_correct_answer(exports, quizzes):
    _, moodle = exports
    root = ET.parse(moodle).getroot()
    assert root.tag == "quiz"
    questions = [q for q in root.iterfind("question") if q.get("type") != "category"]
    expected = {q.id: q for quiz in quizzes for q in quiz.questions}
    assert sorted(q.findtext("name/text") for q in questions) == sorted(expected)
    for el in questions:
        q = expected[el.findtext("name/text")]
        right = [a for a in el.iterfind("answer") if a.get("fraction") == "100"]
        if q.type == "multiple-choice":
            assert el.get("type") == "multichoice" and el.findtext("single") == "true"
            assert len(right) == 1 and norm(q.correct_text) in norm(right[0].findtext("text")), q.id
            assert len(el.findall("answer")) == len(q.choices)
        else:
            assert el.get("type") == "shortanswer"
            assert sorted(a.findtext("text") for a in right) == sorted(q.answers), q.id
        assert "Read it again" in el.findtext("generalfeedback/text"), f"{q.id}: feedback does not cite its page"
    categories = [c.findtext("category/text") for c in root.iterfind("question[@type='category']")]
    assert len(categories) == 2 * len(quizzes) and all(c.startswith("$course$/") for c in categories)


# -- The Chinese quiz ------------------------------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_zh_quiz_is_the_english_quiz_with_its_texts_from_the_catalogue(quizzes):
    """Ids, sets, types, pages, objectives and correct flags come from the English file alone; every text from the
    catalogue; every English accepted answer is still accepted, after the Chinese ones."""
    translations = {quiz.case: quiz for quiz in load_translations()}
    assert set(translations) == set(CASES)
    for en in quizzes:
        zh = translations[en.case]
        assert zh.path == catalogue_path("zh_CN")
        assert [q.id for q in zh.questions] == [q.id for q in en.questions]
        assert CJK.search(zh.title) and zh.title != en.title
        for a, b in zip(zh.questions, en.questions):
            assert (a.set, a.type, a.page, a.objectives) == (b.set, b.type, b.page, b.objectives), a.id
            assert [c.correct for c in a.choices] == [c.correct for c in b.choices], a.id
            assert a.type != "multiple-choice" or a.correct_letter == b.correct_letter, a.id
            assert a.answers[len(a.answers) - len(b.answers):] == b.answers, f"{a.id}: an English answer is lost"
            assert a.type != "short-answer" or CJK.search(a.answers[0]), f"{a.id}: no Chinese answer first"
            texts = [a.question, a.feedback] + [c.text for c in a.choices] + [c.misconception for c in a.choices
                                                                                if c.misconception]
            assert all(CJK.search(t) for t in texts), f"{a.id}: a text is not translated"
            assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", " ".join(texts)), (
                f"{a.id}: a space between two Chinese characters")


def test_the_english_quiz_files_are_the_quizzes(quizzes):
    """``load_all`` reads the English files, the only quiz files; a translation is a catalogue, not a file here."""
    assert [q.path.name for q in quizzes] == [f"{case}.yaml" for case in sorted(CASES)]
    assert sorted(p.name for p in (ROOT / QUIZ_DIR).glob("*.yaml")) == [f"{case}.yaml" for case in sorted(CASES)]


def test_the_template_holds_every_text_with_its_file_and_line(tmp_path, quizzes):
    """`make gettext` (quiz.pot): one message per text, its question's id as its context, its English file and line."""
    from babel.messages.pofile import read_po

    with open(write_pot(tmp_path), "rb") as f:
        template = {(m.context, m.id): m for m in read_po(f) if m.id}
    for quiz in quizzes:
        lines = quiz.path.read_text(encoding="utf-8").splitlines()
        q = next(q for q in quiz.questions if q.type == "multiple-choice")
        m = template[(q.id, q.choices[1].text)]
        (path, line), = m.locations
        assert path == f"exercises/quiz/{quiz.case}.yaml" and lines[line - 1].strip() == "- text: >-", (path, line)
        assert m.auto_comments == ["choice 2"]
        short = next(q for q in quiz.questions if q.type == "short-answer")
        assert (short.id, " | ".join(short.answers)) in template
        assert (quiz.case, quiz.title) in template
    count = sum(2 + len(q.choices) + sum(bool(c.misconception) for c in q.choices) + (q.type == "short-answer")
                for quiz in quizzes for q in quiz.questions) + len(quizzes)
    assert len(template) == count


def translation_tree(tmp_path: Path) -> Path:
    """A minimal root for quiz_source: the quiz files and the Chinese catalogue copied, the case pages linked (every
    ``page`` must exist)."""
    (tmp_path / QUIZ_DIR).mkdir(parents=True)
    for path in (ROOT / QUIZ_DIR).glob("*.yaml"):
        (tmp_path / QUIZ_DIR / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    po = catalogue_path("zh_CN", tmp_path)
    po.parent.mkdir(parents=True)
    po.write_text(catalogue_path("zh_CN").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "cases").symlink_to(ROOT / "cases")
    return tmp_path



def test_untranslated_or_fuzzy_quiz_message_names_the_catalogue_file_and_line(tmp_path):
    """Fault: one translation emptied, one marked fuzzy; `make lms`'s reader names both, the catalogue's file and line
    and the English source's."""
    root = translation_tree(tmp_path)
    po = catalogue_path("zh_CN", root)
    text = po.read_text(encoding="utf-8")
    emptied = 'msgctxt "masks-synthetic"\nmsgid "synthetic | synthetic masks"\nmsgstr "合成口罩 | 合成"'
    fuzzy = 'msgctxt "remark-truncated-transcript"\nmsgid "Source 000'
    assert emptied in text and fuzzy in text
    text = text.replace(emptied, emptied.rsplit("msgstr", 1)[0] + 'msgstr ""').replace(fuzzy, "#, fuzzy\n" + fuzzy)
    po.write_text(text, encoding="utf-8")
    with pytest.raises(QuizError) as caught:
        load_translations(root)
    message = str(caught.value)
    english = (ROOT / QUIZ_DIR / "face-data-remark.yaml").read_text(encoding="utf-8").splitlines()
    source = english.index("  - id: remark-truncated-transcript") + 1 + english[
        english.index("  - id: remark-truncated-transcript"):].index("    question: >-")
    at = po_line(po, "remark-truncated-transcript", "Source 000")
    assert (f"locale/zh_CN/LC_MESSAGES/quiz.po:{at}: fuzzy: the English changed; check the translation and delete its "
            f"`#, fuzzy` line (source exercises/quiz/face-data-remark.yaml:{source})") in message, message
    with pytest.raises(QuizError) as caught:
        load_translation("masked-photos", "zh_CN", root)
    at = po_line(po, "masks-synthetic", "synthetic | synthetic masks")
    assert f"locale/zh_CN/LC_MESSAGES/quiz.po:{at}: untranslated" in str(caught.value), str(caught.value)


def test_a_translation_is_held_to_the_item_writing_rules(tmp_path):
    """Fault: a Chinese right answer padded far beyond its wrong choices is named at its catalogue line."""
    root = translation_tree(tmp_path)
    po = catalogue_path("zh_CN", root)
    text = po.read_text(encoding="utf-8")
    # the live entry of the question's correct choice (read from the catalogue, so a reworded item needs no edit here)
    right = re.search(r'^#\. choice \d+ \(correct\)\n#: [^\n]+\nmsgctxt "remark-truncated-transcript"\nmsgid "[^\n]*"\n'
                      r'(msgstr "[^\n]+")$', text, re.M).group(1)
    padded = right[:-1] + '这一点来源页说得很清楚，而且说得非常非常详细。"'
    po.write_text(text.replace(right, padded), encoding="utf-8")
    with pytest.raises(QuizError) as caught:
        load_translation("face-data-remark", "zh_CN", root)
    line = next(n for n, s in enumerate(po.read_text(encoding="utf-8").splitlines(), 1) if s.startswith(right[:-1]))
    assert (f"locale/zh_CN/LC_MESSAGES/quiz.po:{line - 1}: question 'remark-truncated-transcript': the correct "
            "choice is") in str(caught.value), str(caught.value)


def test_english_change_shows_up_in_the_zh_quiz(tmp_path):
    """An English edit: before `make gettext`, the new text is named at its English line; after it, the catalogue
    holds it fuzzy, with its old translation, named at the catalogue's line."""
    from i18n import catalogue_check

    root = translation_tree(tmp_path)
    english = root / QUIZ_DIR / "masked-photos.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "answers: [synthetic, synthetic masks]", "answers: [synthetic, synthetic masks, simulated masks]"),
        encoding="utf-8")
    line = english.read_text(encoding="utf-8").splitlines().index(
        "    answers: [synthetic, synthetic masks, simulated masks]") + 1
    with pytest.raises(QuizError) as caught:
        load_translation("masked-photos", "zh_CN", root)
    assert (f"exercises/quiz/masked-photos.yaml:{line}: new or changed: run `make gettext`, then translate it in "
            "locale/zh_CN/LC_MESSAGES/quiz.po (question 'masks-synthetic'") in str(caught.value), str(caught.value)
    write_pot(tmp_path / "pot", root)
    todo = catalogue_check.update(tmp_path / "pot", "zh_CN", root)
    po = catalogue_path("zh_CN", root)
    at = po_line(po, "masks-synthetic", "synthetic | synthetic masks | simulated masks")
    assert todo == [f"locale/zh_CN/LC_MESSAGES/quiz.po:{at}: fuzzy (source exercises/quiz/masked-photos.yaml:{line}): "
                    "'synthetic | synthetic masks | simulated masks'"], todo
    with pytest.raises(QuizError) as caught:
        load_translation("masked-photos", "zh_CN", root)
    assert f"locale/zh_CN/LC_MESSAGES/quiz.po:{at}: fuzzy" in str(caught.value)


def test_missing_zh_catalogue_names_the_file(tmp_path):
    root = translation_tree(tmp_path)
    catalogue_path("zh_CN", root).unlink()
    with pytest.raises(QuizError) as caught:
        load_translation("masked-photos", "zh_CN", root)
    assert "locale/zh_CN/LC_MESSAGES/quiz.po" in str(caught.value) and "run `make gettext`" in str(caught.value)
    assert [q.case for q in load_all(root)] == sorted(CASES), "the English quiz (make lms) does not need it"


def test_a_leftover_translated_yaml_is_named(tmp_path):
    root = translation_tree(tmp_path)
    (root / QUIZ_DIR / "masked-photos.zh_CN.yaml").write_text("case: masked-photos\n", encoding="utf-8")
    with pytest.raises(QuizError) as caught:
        load_all(root)
    assert "masked-photos.zh_CN.yaml looks like a translation, which is now a catalogue" in str(caught.value)


def test_fuzzy_quiz_message_fails_the_strict_chinese_build_naming_the_catalogue_line(zh_catalogue_faults):
    """Fault: the strict Chinese build of a quiz page fails on a fuzzy quiz message, naming the catalogue's file and
    line, as it does for every other catalogue; DRAFT=1 builds, showing the English text (conftest.zh_catalogue_faults
    plants it, with two other catalogue faults)."""
    build, draft, line = (zh_catalogue_faults[k] for k in ("strict", "draft", "lines"))
    line = line["quiz"]
    assert build.returncode != 0, "a fuzzy quiz message must fail the strict Chinese build"
    named = [w for w in build.warnings if "The timeline says" in w]
    assert named and f"locale/zh_CN/LC_MESSAGES/quiz.po:{line}: WARNING: fuzzy" in named[0], build.log[-3000:]
    assert not [w for w in draft.warnings if "fuzzy" in w], draft.log[-3000:]
    page = (draft.outdir / "exercises" / "quiz" / "face-data-remark.html").read_text(encoding="utf-8")
    assert "The timeline says that one report" in page, "DRAFT=1 shows the English text of a fuzzy message"


# -- The Chinese exports ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zh_exports(exports):
    """`make lms` writes the Chinese quiz beside the English one: ...-canvas-zh.zip and ...-moodle-zh.xml."""
    qti, moodle = exports
    return qti.with_name(qti.name.replace("-canvas.zip", "-canvas-zh.zip")), \
        moodle.with_name(moodle.name.replace("-moodle.xml", "-moodle-zh.xml"))


@pytest.fixture(scope="module")
def zh_quizzes():
    return load_translations()


def test_zh_qti_zip_has_every_question_with_its_correct_answer_in_chinese(zh_exports, zh_quizzes):
    qti, _ = zh_exports
    assert qti.is_file(), f"make lms did not write {qti.name}"
    titles, items = qti_quizzes(qti, zh_quizzes)
    expected = {q.id: q for quiz in zh_quizzes for q in quiz.questions}
    assert sorted(item.get("title") for item in items) == sorted(expected), "every question exactly once"
    for item in items:
        q = expected[item.get("title")]
        text = norm(html.unescape(" ".join(item.find(".//q:presentation", QTI_NS).itertext())))
        assert norm(q.question) in text and "依据" in text, f"{q.id}: the Chinese question or its page is missing"
        correct = [c for c in item.iterfind(".//q:respcondition", QTI_NS)
                   if c.findtext("q:setvar", namespaces=QTI_NS) == "100"]
        values = [v.text for c in correct for v in c.iterfind(".//q:varequal", QTI_NS)]
        if q.type == "multiple-choice":
            labels = {lab.get("ident"): lab for lab in item.iterfind(".//q:response_label", QTI_NS)}
            assert len(labels) == len(q.choices) and len(values) == 1 and values[0] in labels, q.id
            shown = norm(html.unescape(" ".join(labels[values[0]].itertext())))
            assert norm(q.correct_text) in shown and CJK.search(shown), f"{q.id}: the wrong choice is marked"
        else:
            assert set(q.answers) <= set(values) and CJK.search(values[0]), f"{q.id}: accepted answers missing"
        feedback = " ".join(" ".join(f.itertext()) for f in item.iterfind(".//q:itemfeedback", QTI_NS))
        assert "请重读" in feedback, f"{q.id}: the feedback does not cite its page"
    assert all(CJK.search(t) and t.startswith("谁的脸？") for t in titles), titles
    assert sum("（计分题组）" in t for t in titles) == sum("（练习题组）" in t for t in titles) == len(zh_quizzes), titles


def test_zh_moodle_xml_has_every_question_with_its_correct_answer_in_chinese(zh_exports, zh_quizzes):
    _, moodle = zh_exports
    assert moodle.is_file(), f"make lms did not write {moodle.name}"
    root = ET.parse(moodle).getroot()
    questions = [q for q in root.iterfind("question") if q.get("type") != "category"]
    expected = {q.id: q for quiz in zh_quizzes for q in quiz.questions}
    assert sorted(q.findtext("name/text") for q in questions) == sorted(expected)
    for el in questions:
        q = expected[el.findtext("name/text")]
        assert norm(q.question) in norm(el.findtext("questiontext/text")), q.id
        right = [a for a in el.iterfind("answer") if a.get("fraction") == "100"]
        if q.type == "multiple-choice":
            assert el.get("type") == "multichoice" and len(el.findall("answer")) == len(q.choices), q.id
            assert len(right) == 1 and norm(q.correct_text) in norm(right[0].findtext("text")), q.id
            assert right[0].findtext("feedback/text") == "<p>正确。</p>", q.id
        else:
            assert el.get("type") == "shortanswer"
            assert sorted(a.findtext("text") for a in right) == sorted(q.answers), q.id
        assert "请重读" in el.findtext("generalfeedback/text"), f"{q.id}: feedback does not cite its page"
    categories = [c.findtext("category/text") for c in root.iterfind("question[@type='category']")]
    assert len(categories) == 2 * len(zh_quizzes), categories
    assert all(c.startswith("$course$/谁的脸？/") and CJK.search(c.split("/")[-1]) for c in categories), categories


def test_zh_export_without_a_translation_names_the_message_and_the_catalogue(tmp_path):
    """Fault: a message of the exports, or a cited page's title, with no Chinese stops `make lms` saying what to add."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import lms

    with pytest.raises(SystemExit) as stopped:
        lms.chinese().tr("A message nobody translated")
    assert "'A message nobody translated'" in str(stopped.value)
    assert "locale/zh_CN/LC_MESSAGES/whose-face.po" in str(stopped.value)
    page = tmp_path / "cases" / "x.md"
    page.parent.mkdir(parents=True)
    page.write_text("# A page with no catalogue\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        lms.zh_page_title("cases/x", root=tmp_path)
    assert "locale/zh_CN/LC_MESSAGES/cases/x.po" in str(stopped.value) and "A page with no catalogue" in str(stopped.value)


# -- Item-writing rules: the quiz measures reading, not test-wiseness ------------------------------------------------

from teaching.quiz_source import (chance_score, giveaways, graded_keys, longest_option_score, words)  # noqa: E402

STOP = set("a an the of to in on for and or but is are was were be it its this that as at by with from not no what "
           "which who whom how why does did do has have had".split())


def echo_score(questions) -> float:
    """What "pick the choice that echoes the question's words most" scores on the multiple-choice items."""
    score = 0.0
    for q in questions:
        if q.type != "multiple-choice":
            continue
        stem = {w for w in words(q.question) if w not in STOP}
        overlap = [len(stem & {w for w in words(c.text) if w not in STOP}) for c in q.choices]
        best = [c for c, n in zip(q.choices, overlap) if n == max(overlap)]
        score += sum(c.correct for c in best) / len(best)
    return score


HEDGE = re.compile(r"\b(may|might|could|can|some|often|usually|likely|roughly|perhaps|possibly|arguably)\b|可能|也许|"
                   r"或许|一些|大约|通常", re.I)
ABSOLUTE = re.compile(r"\b(all|every|never|always|only|nothing|none|no one|any|entirely|altogether|whole)\b|所有|每|"
                      r"从不|从未|始终|只有|只|完全|任何|全部|一概", re.I)


def cue_score(questions, cue) -> float:
    """What "pick the choice with the most of ``cue``" scores on the multiple-choice items (a tie shares)."""
    score = 0.0
    for q in questions:
        if q.type == "multiple-choice":
            counts = [cue(c.text) for c in q.choices]
            best = [c for c, n in zip(q.choices, counts) if n == max(counts)]
            score += sum(c.correct for c in best) / len(best)
    return score


def hedged_score(questions) -> float:
    return cue_score(questions, lambda text: len(HEDGE.findall(text)))


def no_absolutes_score(questions) -> float:
    return cue_score(questions, lambda text: -len(ABSOLUTE.findall(text)))


def every_quiz(quizzes):
    return [*quizzes, *load_translations()]


def test_choices_follow_the_item_writing_rules(quizzes):
    for quiz in every_quiz(quizzes):
        for q in quiz.questions:
            assert q.objectives, f"{quiz.path.name}: {q.id} names no objective"
            for c in q.choices:
                assert bool(c.misconception) != c.correct, f"{quiz.path.name}: {q.id}: {c.text!r}"


@pytest.mark.parametrize("strategy", [longest_option_score, echo_score, hedged_score, no_absolutes_score],
                         ids=["longest", "echo", "hedged", "no-absolutes"])
def test_test_wise_strategies_score_no_better_than_chance(quizzes, strategy):
    """Per set and language, the test-wise reader's cues: "pick the longest" scores no more than chance (the build's
    own rule); "pick the echo of the question", "the most hedged" and "the one without absolutes" no more than chance
    plus one question (the issue's bar for a test-wise reader)."""
    for quiz in every_quiz(quizzes):
        for name in ("practice", "graded"):
            questions = quiz.of_set(name)
            allowed = chance_score(questions) + (0 if strategy is longest_option_score else 1)
            assert strategy(questions) <= allowed, (quiz.path.name, name, strategy(questions), allowed)


def quiz_text(questions: list[str]) -> str:
    head = "case: masked-photos\ntitle: Rules\nquestions:\n"
    return head + "\n".join(questions)


def mc(qid: str, choices: list[tuple[str, str | None]], set_name: str = "practice",
       objectives: str = "[masks-recognition]") -> str:
    lines = [f"  - id: {qid}", f"    set: {set_name}", "    type: multiple-choice",
             "    page: cases/masked-photos/reported", f"    objectives: {objectives}", "    question: Which?",
             "    choices:"]
    for text, misconception in choices:
        lines.append(f"      - text: {text}")
        lines.append("        correct: true" if misconception is None else f"        misconception: {misconception}")
    return "\n".join(lines + ["    feedback: Because the page says so."])


def short(qid: str, set_name: str = "graded") -> str:
    return "\n".join([f"  - id: {qid}", f"    set: {set_name}", "    type: short-answer",
                      "    page: cases/masked-photos/reported", "    objectives: [masks-recognition]",
                      "    question: Which word?", "    answers: [word]", "    feedback: The page says so."])


def problems_of(tmp_path, text: str) -> dict[int, str]:
    path = tmp_path / "masked-photos.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuizError) as caught:
        load(path, ROOT)
    assert str(caught.value).startswith(f"{path}:"), "each problem starts with file:line"
    found: dict[int, str] = {}
    for line, message in caught.value.problems:
        found[line] = found.get(line, "") + message
    return found


FAIR = [("Alpha one", None), ("Bravo one two", "a belief"), ("Charlie one", "a belief"), ("Delta one two", "b")]


def test_item_writing_faults_name_file_and_line(tmp_path):
    """Fault: each rule broken on purpose, in one file; each problem names the line of the choice or key at fault."""
    text = quiz_text([
        mc("all-above", [("Alpha one two", None), ("Bravo one two", "x"), ("All of the above", "x")]),
        mc("long-right", [("The right answer, written out in full with every detail", None), ("Short wrong", "x"),
                          ("Another wrong", "x")]),
        mc("no-misconception", [("Alpha one two", None), ("Bravo one two", "a belief"), ("Charlie one two", "")]),
        mc("bad-objective", FAIR, objectives="[masks-no-such-objective]"),
    ])
    lines = text.splitlines()
    found = problems_of(tmp_path, text)

    def line_of(snippet: str, after: str = "") -> int:
        start = lines.index(after) if after else 0
        return next(i for i, line in enumerate(lines[start:], start + 1) if snippet in line)

    assert "'all/none of the above' choice" in found[line_of("text: All of the above")]
    assert "more than 1.15 times the longest wrong one" in found[line_of("correct: true", "  - id: long-right")]
    assert "a wrong choice needs 'misconception:'" in found[line_of("misconception:", "      - text: Charlie one two")]
    assert "objective 'masks-no-such-objective' is not declared on cases/masked-photos/index.md" in \
        found[line_of("objectives: [masks-no-such", "  - id: bad-objective")]


def test_longest_choice_strategy_over_chance_names_the_questions(tmp_path):
    """Fault: a bank whose correct choice is the longest in every question (each within the per-question margin)."""
    longest = [("Alpha one two!", None), ("Bravo one two", "x"), ("Charlie one", "x"), ("Delta one two", "x")]
    text = quiz_text([mc(f"longest-{n}", longest) for n in range(6)] + [mc(f"graded-{n}", FAIR, "graded")
                                                                      for n in range(3)] + [short("word-answer")])
    found = problems_of(tmp_path, text)
    message = " ".join(found.values())
    assert "in the practice set the correct choice is the longest in longest-0" in message
    assert "picking the longest scores 6, more than chance (1.5)" in message
    assert "graded set" not in message


def reading(language: str = "en") -> set:
    """The runs of words of the cases' pages (English sources, or their Chinese catalogues): what the graded quiz
    tests the reading of, so a public text that shares them with a graded answer quotes the reading, not the key."""
    from teaching.quiz_source import shingles

    if language == "en":
        return {s for page in (ROOT / "cases").rglob("*.md") for s in shingles(page.read_text(encoding="utf-8"))}
    folder = ROOT / "locale" / "zh_CN" / "LC_MESSAGES" / "cases"
    return {s for po in folder.rglob("*.po") for s in shingles(" ".join(
        re.findall(r'^msgstr "(.*)"$', po.read_text(encoding="utf-8"), re.M)))}


def test_no_graded_answer_is_given_away_by_a_public_text(student, quizzes):
    """Every public text that could pre-answer a graded item (the student edition's exercise pages, with the practice
    quiz and the self-check answers, and the Chinese practice set) shares no run of five words with any graded item's
    answer or feedback, beyond the runs the case pages themselves hold (the reading that the graded items test; the
    decks, which copy the case pages, are checked the same way in tests/test_slides.py)."""
    public = {str(p.relative_to(student)): page_soup(p).select_one("[role=main]").get_text(" ")
              for p in (student / "exercises").rglob("*.html")}
    assert "exercises/quiz/masked-photos.html" in public and len(public) >= 5
    keys = {qid: key for quiz in quizzes for qid, key in graded_keys(quiz).items()}
    assert not giveaways(public, keys, ignore=reading())
    zh_reading = reading("zh_CN")
    for zh in load_translations():
        practice = {f"{zh.path.name}:{q.id}": " ".join([q.question, q.feedback, *q.answers,
                                                        *(f"{c.text} {c.misconception}" for c in q.choices)])
                    for q in zh.of_set("practice")}
        assert not giveaways(practice, graded_keys(zh), ignore=zh_reading), zh.path.name


def test_a_planted_giveaway_is_found(quizzes):
    """Fault: a practice feedback that restates a graded answer in other surroundings is caught, in both languages."""
    for quiz in every_quiz(quizzes):
        keys = graded_keys(quiz)
        graded = next(q for q in quiz.of_set("graded") if q.type == "multiple-choice")
        planted = {"practice feedback": f"As it happens: {graded.correct_text} That is all."}
        found = giveaways(planted, keys)
        assert [(where, qid) for where, qid, _ in found][:1] == [("practice feedback", graded.id)], quiz.path.name
    # And the give-away the classroom review found: the old practice feedback of masks-named-use, which pre-answered
    # masks-fraud-warning, is caught even with the reading's own wording set aside.
    old = ("Training algorithms. The loan and company-registration uses in the commentary were not said by either "
           "seller; they were borrowed from late-2019 reports about unmasked face photos, and are unverified here.")
    keys = {qid: key for quiz in quizzes for qid, key in graded_keys(quiz).items()}
    found = giveaways({"masks-named-use (before)": old}, keys, ignore=reading())
    assert [qid for _, qid, _ in found] == ["masks-fraud-warning"], found


# -- The exports' settings --------------------------------------------------------------------------------------------


def test_exports_go_to_an_instructor_folder_named_as_such(exports):
    qti, moodle = exports
    dist = qti.parent.parent
    assert qti.parent.name == "instructor" and moodle.parent == qti.parent
    assert not [p for p in dist.iterdir() if p.is_file()], "nothing beside the student zips in dist/"
    assert all("instructor-only" in p.name for p in qti.parent.iterdir())


def test_canvas_graded_quizzes_hide_answers_and_practice_quizzes_are_practice(exports, quizzes):
    qti, _ = exports
    with zipfile.ZipFile(qti) as zf:
        metas = [ET.fromstring(zf.read(n)) for n in zf.namelist() if n.endswith("assessment_meta.xml")]
    ns = "{http://canvas.instructure.com/xsd/cccv1p0}"
    kinds = {}
    for meta in metas:
        title = meta.findtext(f"{ns}title")
        kind = "graded" if title.endswith("(graded)") else "practice"
        kinds[kind] = kinds.get(kind, 0) + 1
        assert meta.findtext(f"{ns}shuffle_answers") == "true", title
        if kind == "graded":
            assert meta.findtext(f"{ns}quiz_type") == "assignment", title
            assert meta.findtext(f"{ns}show_correct_answers") == "false", title
            assert meta.findtext(f"{ns}hide_results") == "always", title
            assert meta.findtext(f"{ns}assignment/{ns}post_policy/{ns}post_manually") == "true", title
        else:
            assert meta.findtext(f"{ns}quiz_type") == "practice_quiz", title
            assert meta.find(f"{ns}assignment") is None, f"{title}: a practice quiz has no gradebook assignment"
    assert kinds == {"graded": len(quizzes), "practice": len(quizzes)}


def test_each_wrong_choice_carries_its_misconception_in_both_exports(exports, quizzes):
    qti, moodle = exports
    expected = {q.id: q for quiz in quizzes for q in quiz.questions if q.type == "multiple-choice"}
    _, items = qti_quizzes(qti, quizzes)
    for item in items:
        q = expected.get(item.get("title"))
        if q is None:
            continue
        feedback = norm(html.unescape(" ".join(" ".join(f.itertext())
                                               for f in item.iterfind(".//q:itemfeedback", QTI_NS))))
        for c in q.choices:
            assert not c.misconception or norm(c.misconception) in feedback, f"{q.id}: {c.text!r}"
    for el in ET.parse(moodle).getroot().iterfind("question[@type='multichoice']"):
        q = expected[el.findtext("name/text")]
        for answer, c in zip(el.iterfind("answer"), q.shown_choices):
            shown = norm(html.unescape(answer.findtext("feedback/text")))
            assert (norm(c.misconception) if c.misconception else "Correct.") in shown, f"{q.id}: {c.text!r}"
