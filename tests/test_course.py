"""Course files (scripts/course.py, `make course`): the three examples in courses/ build, their outputs agree with the
course file, nothing of the instructor's reaches what students get, and each mistake in a course file is named with
the file and line.

The courses are made once per run (the ``courses`` fixture, conftest's ``once``) from the editions the other tests
already built (``student``, ``instructor``, ``zh_builds``): no edition is built again. To print few PDFs, the two
one-session examples print their handouts and session sheets (English and Chinese); the two-session example, whose
printing is the same code, is built without them.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import once, shared_folder
from site_tools import ROOT, page_soup, pdf_page_texts
from test_editions import instructor_paragraphs, norm, probes, readable_forms

sys.path.insert(0, str(ROOT / "scripts"))
import course as course_script  # noqa: E402  (scripts/course.py)

COURSES = ROOT / "courses"
# The examples: {name: (language, print its handouts and sheets)}.
EXAMPLES = {"case-2-one-session": ("en", True), "both-cases-two-sessions": ("en", False), "case-1-zh": ("zh_CN", True)}
ADDED = {"docs/assignments.html"}  # and docs/<name>.ics
FONT, FONT_CSS = "_static/whose-face-cjk.woff2", "_static/whose-face-zh.css"  # the Chinese edition's (_ext/i18n/cjk_font.py)


@pytest.fixture(scope="session")
def module(instructor) -> course_script.Module:
    """What the module offers, read from the built instructor edition (all the fault tests need)."""
    return course_script.read_module(instructor)


@pytest.fixture(scope="session")
def modules(module, zh_builds) -> dict[str, course_script.Module]:
    """The same for each language, from its built instructor edition."""
    return {"en": module, "zh_CN": course_script.read_module(zh_builds["instructor"].outdir)}


@pytest.fixture(scope="session")
def editions(student, instructor, zh_builds) -> dict[str, tuple[Path, Path]]:
    return {"en": (student, instructor), "zh_CN": (zh_builds["student"].outdir, zh_builds["instructor"].outdir)}


@pytest.fixture(scope="session")
def courses(modules, editions, browser, tmp_path_factory) -> dict[str, tuple[course_script.Course, Path, dict]]:
    """{name: (course, its folder, what was written)} for every example, made once per run."""
    def make(out: Path) -> dict:
        made = {}
        for name, (language, printed) in EXAMPLES.items():
            course = course_script.load(COURSES / f"{name}.toml", modules[language])
            made[name] = course_script.build(course, modules[language], *editions[language], out / name,
                                             browser if printed else None)
        return made

    made = once(tmp_path_factory, "courses", make)
    folder = shared_folder(tmp_path_factory) / "courses"
    return {name: (course_script.load(COURSES / f"{name}.toml", modules[EXAMPLES[name][0]]), folder / name,
                   made[name]) for name in EXAMPLES}


def test_the_examples_are_the_three_the_issue_asks_for(modules):
    """One 50-minute Case 2 session; both cases in two 90-minute sessions with two graded exercises; Case 1 in
    Chinese."""
    assert sorted(p.stem for p in COURSES.glob("*.toml")) == sorted(EXAMPLES)
    one = course_script.load(COURSES / "case-2-one-session.toml", modules["en"])
    assert [(s.plan, (s.end - s.start).seconds // 60) for s in one.sessions] == [("case-2", 50)]
    both = course_script.load(COURSES / "both-cases-two-sessions.toml", modules["en"])
    assert [(s.end - s.start).seconds // 60 for s in both.sessions] == [90, 90]
    assert {modules["en"].exercises[a.exercise]["case"] for a in both.assignments} >= {"face-data-remark",
                                                                                         "masked-photos"}
    assert sum(a.marking == "graded" for a in both.assignments) == 2
    zh = course_script.load(COURSES / "case-1-zh.toml", modules["zh_CN"])
    assert zh.language == "zh_CN" and [s.plan for s in zh.sessions] == ["case-1"]


def test_every_example_writes_every_output(courses):
    for name, (course, folder, made) in courses.items():
        for edition in ("student", "instructor"):
            assert (folder / edition / "docs" / "assignments.html").is_file(), f"{name}: no {edition} page"
        assert (folder / f"{name}.ics").is_file() and (folder / f"{name}-student.zip").is_file()
        assert bool(course.quizzes) == any(f.startswith("lms/") for f in made["files"]), name
        if EXAMPLES[name][1]:
            labels = {a.exercise for a in course.assignments}
            students = {n for n in made["handouts"] if n.startswith("students/")}
            assert {re.sub(r"^students/exercise-\d+-(.*)\.pdf$", r"ex-\1", n) for n in students} == labels, students
            sheets = {n for n in made["handouts"] if n.startswith("instructor/")}
            assert sheets == {f"instructor/session-{s.plan}.pdf" for s in course.sessions}, sheets


def copy_differences(site: Path, copy: Path) -> tuple[list[str], list[str]]:
    """(changed, added) files of a course's copy of an edition, against the edition (its build cache aside)."""
    built = {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()
             and p.relative_to(site).parts[0] != ".doctrees" and p.name != ".buildinfo"}
    copied = {p.relative_to(copy).as_posix(): p for p in copy.rglob("*") if p.is_file()}
    assert not set(built) - set(copied), f"files missing from the copy: {sorted(set(built) - set(copied))[:5]}"
    changed = sorted(n for n in built if built[n].read_bytes() != copied[n].read_bytes())
    return changed, sorted(set(copied) - set(built))


def test_only_the_landing_page_changes_and_the_page_is_added(courses, editions):
    for name, (course, folder, _) in courses.items():
        for edition, site in zip(("student", "instructor"), editions[course.language]):
            changed, added = copy_differences(site, folder / edition)
            # In Chinese, the course's own characters get a font of their own, declared in the font stylesheet (see
            # the next test).
            # Only where the edition's subset lacks one of them: an instructor edition's subset may already hold them.
            own = (folder / edition / "_static" / course_script.COURSE_FONT).is_file()
            fonts = {FONT_CSS} if own else set()
            assert set(changed) == {"index.html"} | fonts, f"{name} {edition}: changed {changed}"
            fonts = {f"_static/{course_script.COURSE_FONT}"} if own else set()
            assert added == sorted(ADDED | {f"docs/{name}.ics"} | fonts), f"{name} {edition}: added {added}"


def test_every_chinese_character_of_the_course_has_a_glyph(courses):
    """The Chinese copy's font subset, with the course's own font, holds every character of the Assignments page and
    the landing page's link, so a reader with no Chinese system font sees no boxes; the course's font is declared for
    its characters in the edition's font stylesheet."""
    from fontTools.ttLib import TTFont

    from i18n import cjk_font

    for name, (course, folder, _) in courses.items():
        if course.language != "zh_CN":
            continue
        for edition in ("student", "instructor"):
            own = folder / edition / "_static" / course_script.COURSE_FONT
            has = set(TTFont(str(folder / edition / FONT)).getBestCmap())
            css = (folder / edition / FONT_CSS).read_text(encoding="utf-8")
            if own.is_file():  # declared once, beside the site's own slices
                has |= set(TTFont(str(own)).getBestCmap())
                assert css.count(f'url("{course_script.COURSE_FONT}")') == 1, css
            for page in ("index.html", course_script.PAGE):
                text = (folder / edition / page).read_text(encoding="utf-8")
                lacking = {c for c in cjk_font.CJK_CHAR.findall(text) if ord(c) not in has}
                assert not lacking, f"{name} {edition} {page}: no glyph for {''.join(sorted(lacking))}"


def test_landing_page_links_to_the_assignments_page(courses):
    for name, (course, folder, _) in courses.items():
        links = page_soup(folder / "student" / "index.html").select(f'article a[href="{course_script.PAGE}"]')
        assert len(links) == 1 and course.name in links[0].get_text(), name


def test_course_pages_are_valid_html(courses, tmp_path):
    """The Nu HTML Checker (scripts/validate.py, as `make validate` runs it on the editions) finds no problem in the
    pages a course writes or changes, in both editions of every example: one run of the checker over all of them."""
    import validate

    sites = []
    for name, (course, folder, _) in courses.items():
        for edition in ("student", "instructor"):
            site = tmp_path / f"{name}-{edition}"
            (site / "docs").mkdir(parents=True)
            for page in ("index.html", course_script.PAGE):
                (site / page).write_bytes((folder / edition / page).read_bytes())
            sites.append(site)
    problems = validate.check(sites)
    assert not problems, "\n".join(problems)


def cells(table) -> list[list]:
    return [row.find_all("td") for row in table.select("tbody tr")]


def test_assignments_page_agrees_with_the_course_file(courses):
    """Every assignment's row: the exercise (its link), the due date and time as the course file gives them, the
    work, graded (a link to criteria that exist) or self-check, and how to hand it in; every session's times."""
    for name, (course, folder, _) in courses.items():
        words = course_script.Words(course)
        site = folder / "student"
        soup = page_soup(site / course_script.PAGE)
        rows = cells(soup.select_one("table.course-assignments"))
        assert len(rows) == len(course.assignments), name
        for row, item in zip(rows, course.assignments):
            link = row[0].find("a")["href"]
            page, anchor = link.removeprefix("../").split("#")
            assert anchor == item.exercise and page_soup(site / page).find(id=item.exercise), (name, link)
            assert norm(row[1].get_text()) == words.when(item.due), name
            assert norm(row[2].get_text()) == words(item.work.capitalize())
            criteria = row[3].find("a")
            if item.marking == "graded":
                page, anchor = criteria["href"].removeprefix("../").split("#")
                box = page_soup(site / page).find(id=anchor)
                assert anchor == f"criteria-{item.exercise}" and box and "exercise-criteria" in box["class"], name
            else:
                assert criteria is None and norm(row[3].get_text()) == words(
                    "Self-check: the answers are under the exercise")
            assert norm(row[4].get_text()) == norm(item.hand_in)
        sessions = cells(soup.select_one("table.course-sessions"))
        assert [norm(r[1].get_text()) for r in sessions] == [words.span(s) for s in course.sessions], name
        assert not soup.select("#marking-notes"), f"{name}: marking notes on the student page"
        notes = page_soup(folder / "instructor" / course_script.PAGE).select(".instructor-only")
        assert notes and all(str(course.size) in norm(n.get_text()) for n in notes[:1]), name


def test_handout_headers_carry_the_course_and_due_date(courses):
    for name, (course, folder, made) in courses.items():
        if not EXAMPLES[name][1]:
            continue
        words = course_script.Words(course)
        for item in course.assignments:
            (pdf,) = [n for n in made["handouts"] if n.endswith(f"-{item.exercise.removeprefix('ex-')}.pdf")]
            header = words("{course} · due {due}", course=course.name, due=words.when(item.due))
            pages = pdf_page_texts(folder / "handouts" / pdf)
            assert pages and all(norm(header) in norm(text) for text in pages), f"{name} {pdf}: no {header!r}"


def test_session_sheets_carry_the_copies_to_print(courses, modules):
    for name, (course, folder, _) in courses.items():
        if not EXAMPLES[name][1]:
            continue
        words = course_script.Words(course)
        for session in course.sessions:
            first = norm(pdf_page_texts(folder / "handouts" / "instructor" / f"session-{session.plan}.pdf")[0])
            assert norm(words("For {course}, {when}:", course=course.name, when=words.span(session))) in first
            for label in session.exercises:
                fmt = course_script.session_format(course, modules[course.language], label)
                count = course_script.copies(fmt, course)
                assert re.search(rf"{count} ?(copies|份)", first), f"{name} {session.plan} {label}: {count} copies"
    course = courses["case-2-one-session"][0]  # 30 students in groups of 4: 8 per group exercise, 30 individual
    assert (course_script.copies("group", course), course_script.copies("individual", course)) == (8, 30)


def test_calendar_parses_with_the_right_times_and_time_zone(courses):
    from icalendar import Calendar

    for name, (course, folder, _) in courses.items():
        cal = Calendar.from_ical((folder / f"{name}.ics").read_bytes())
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [course.zone], name
        events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
        for number, session in enumerate(course.sessions, 1):
            event = events[f"{name}-session-{number}@whose-face"]
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert (start, end) == (session.start, session.end) and str(start.tzinfo) == course.zone, name
            assert start.replace(tzinfo=None) == session.start.replace(tzinfo=None)  # the wall-clock time as written
        for item in course.assignments:
            due = events[f"{name}-due-{item.exercise}@whose-face"].decoded("DTSTART")
            assert due == item.due and str(due.tzinfo) == course.zone, name
    # One instant checked by hand: 13:30 in New York on 9 March 2027 (EST, before the switch on 14 March) is 18:30 UTC.
    cal = Calendar.from_ical((courses["both-cases-two-sessions"][1] / "both-cases-two-sessions.ics").read_bytes())
    first = next(e for e in cal.walk("VEVENT") if str(e["UID"]).endswith("session-1@whose-face")).decoded("DTSTART")
    assert first.astimezone(ZoneInfo("UTC")) == dt.datetime(2027, 3, 9, 18, 30, tzinfo=ZoneInfo("UTC"))


def test_lms_exports_hold_the_released_sets_with_their_dates(courses):
    import lms

    name = "both-cases-two-sessions"
    course, folder, made = courses[name]
    (qti,) = [folder / f for f in made["files"] if f.endswith("-qti.zip")]
    with zipfile.ZipFile(qti) as zf:
        metas = [zf.read(n).decode() for n in zf.namelist() if n.endswith("assessment_meta.xml")]
    assert len(metas) == len(course.quizzes)
    for q in course.quizzes:
        assert any(f"<unlock_at>{lms.utc(q.opens)}</unlock_at>" in m and f"<lock_at>{lms.utc(q.closes)}</lock_at>" in m
                   for m in metas), (q.case, q.set)
    (moodle,) = [folder / f for f in made["files"] if f.endswith("-moodle.xml")]
    text = moodle.read_text(encoding="utf-8")
    assert text.count('<question type="category">') == len(course.quizzes)
    assert all(q.opens.isoformat() in text for q in course.quizzes)


# -- The leak test over every course output ----------------------------------------------------------------------------


def ics_text(path: Path) -> str:
    """The words of a calendar file, as a calendar app shows them (its lines unfolded, its escapes read)."""
    from icalendar import Calendar

    cal = Calendar.from_ical(path.read_bytes())
    return norm(" ".join(str(part.get(key, "")) for part in cal.walk() for key in ("SUMMARY", "DESCRIPTION",
                                                                                  "X-WR-CALNAME")))


def student_outputs(name: str, folder: Path) -> dict[str, list[str]]:
    """{output: its readable forms} of what a course adds for students: the files of the student copy that are not the
    edition's (the edition's own are covered by tests/test_editions.py, and are the same bytes: see above), the
    calendar, the student handouts, and every file of the student zip that is none of these."""
    outputs = {f"student/{rel}": readable_forms(folder / "student" / rel) for rel in ["index.html", *ADDED]}
    outputs[f"{name}.ics"] = [ics_text(folder / f"{name}.ics")]
    outputs[f"student/docs/{name}.ics"] = [ics_text(folder / "student" / "docs" / f"{name}.ics")]
    for pdf in sorted((folder / "handouts" / "students").glob("*.pdf")):
        outputs[f"handouts/students/{pdf.name}"] = [norm(" ".join(pdf_page_texts(pdf)))]
    return outputs


def test_zip_holds_the_student_outputs_and_nothing_else(courses, editions):
    """The student zip: the student copy (the same bytes), the calendar and the student handouts; no instructor
    page, session sheet or LMS export."""
    for name, (course, folder, _) in courses.items():
        with zipfile.ZipFile(folder / f"{name}-student.zip") as zf:
            names = zf.namelist()
            top = names[0].split("/", 1)[0]
            lang = "zh" if course.language == "zh_CN" else "en"
            extra = {f"{top}/{name}.ics"} | {f"{top}/handouts/{p.name}" for p in
                                             (folder / "handouts" / "students").glob("*.pdf")}
            for entry in names:
                if entry.count("/") == 1 and not entry.endswith("/") and entry not in extra:
                    assert entry.split("/")[1] in {"README.txt", "index.html"}, entry  # scripts/zip.py's way in
                    continue
                if entry in extra:
                    rel = f"{name}.ics" if entry.endswith(".ics") else f"handouts/students/{Path(entry).name}"
                    assert zf.read(entry) == (folder / rel).read_bytes(), entry
                elif entry.startswith(f"{top}/{lang}/labs/") and not (folder / "student" / entry.split("/", 2)[2]
                                                                     ).exists():
                    continue  # the labs' wheel, requirements and README (scripts/zip.py)
                else:
                    rel = entry.split("/", 2)[2]
                    assert zf.read(entry) == (folder / "student" / rel).read_bytes(), f"{name}: {entry} differs"
            assert extra <= set(names), f"{name}: missing {sorted(extra - set(names))}"
            assert not [n for n in names if "/docs/instructor/" in n or "session-" in n or "quiz-qti" in n
                        or "moodle" in n], name


def test_no_instructor_material_in_any_course_student_output(courses, instructor, zh_builds):
    """Every instructor-only paragraph of the edition, and of the course's instructor page (its marking notes), is
    searched for in every course output for students. Positive control: the marking notes are found where they
    belong."""
    for name, (course, folder, _) in courses.items():
        edition = instructor if course.language == "en" else zh_builds["instructor"].outdir
        paragraphs = dict(instructor_paragraphs(edition))
        notes = {norm(el.get_text()): "docs/assignments.html"
                 for el in page_soup(folder / "instructor" / course_script.PAGE).select(".instructor-only li, "
                                                                                          ".instructor-only p")}
        assert len(notes) >= 3, f"{name}: no marking notes on the instructor page"
        page = readable_forms(folder / "instructor" / course_script.PAGE)
        assert all(any(note in form for form in page) for note in notes), "the search cannot find the notes"
        paragraphs.update(notes)
        outputs = student_outputs(name, folder)
        leaks = {f"{page}: {probe[:80]}…": hits
                 for paragraph, page in paragraphs.items() for probe in probes(paragraph)
                 if (hits := [out for out, forms in outputs.items() if any(probe in form for form in forms)])}
        assert not leaks, f"{name}: instructor material in students' course outputs:\n" + "\n".join(
            f"  {k} -> {v}" for k, v in leaks.items())


# -- Errors that help: a course file with a mistake names the file and the line ----------------------------------------

EXAMPLE = COURSES / "case-2-one-session.toml"
FAULTS = {
    "unknown exercise": ('exercise = "ex-gate-design"', 'exercise = "ex-gate-desing"', "no exercise 'ex-gate-desing'"),
    "unknown session": ('plan = "case-2"', 'plan = "case-3"', "no session 'case-3'"),
    "homework is no session": ('plan = "case-2"', 'plan = "homework"', "no class time"),
    "due before its session": ("due = 2027-03-10T23:59:00", "due = 2027-03-03T11:00:00",
                               "before the end of the session that introduces it"),
    "graded without criteria": ('exercise = "ex-procurement"\ndue = 2027-03-05T18:00:00\nwork = "individual"\n'
                                'marking = "self-check"', 'exercise = "ex-procurement"\ndue = 2027-03-05T18:00:00\n'
                                'work = "individual"\nmarking = "graded"', "has no criteria"),
    "session outside the term": ("start = 2027-03-03T10:15:00", "start = 2027-06-03T10:15:00",
                                 "the session (2027-06-03 10:15) is outside the term"),
    "due outside the term": ("due = 2027-03-10T23:59:00", "due = 2027-06-10T23:59:00",
                             "the due date (2027-06-10 23:59) is outside the term"),
    "language without catalogues": ('language = "en"', 'language = "fr"', "language 'fr' has no catalogues"),
    "unknown time zone": ('timezone = "Europe/Berlin"', 'timezone = "Europe/Berlim"', "time zone 'Europe/Berlim'"),
    "not TOML": ('hand_in = "Upload', 'hand_in = Upload', "not valid TOML"),
    "unknown quiz set": ('set = "masked-photos/practice"', 'set = "masked-photos/final"',
                         "no quiz set 'masked-photos/final'"),
    "quiz closes before it opens": ("closes = 2027-03-03T10:00:00", "closes = 2027-02-20T10:00:00",
                                    "the quiz closes before it opens"),
    "work neither individual nor group": ('work = "group"', 'work = "team"', "work = 'team'"),
    "a date without a time": ("due = 2027-03-10T23:59:00", "due = 2027-03-10", "a date without a time"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_mistake_in_a_course_file_names_file_and_line(fault, module, tmp_path):
    old, new, expected = FAULTS[fault]
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{fault}: the example changed; update the fault"
    broken = text.replace(old, new)
    line = text[: text.index(old)].count("\n") + 1 + new.count("\n")  # the line of the changed value (its last)
    path = tmp_path / "broken.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(course_script.CourseError) as caught:
        course_script.load(path, module)
    message = str(caught.value)
    assert f"{path}:{line}: " in message and expected in message, message


def test_a_missing_course_file_is_named(tmp_path):
    with pytest.raises(course_script.CourseError, match=r"no-such\.toml: no such course file .*case-1-zh\.toml"):
        course_script.needs(tmp_path / "no-such.toml")


def test_every_problem_is_named_at_once(module, tmp_path):
    """Two mistakes, two lines: the instructor fixes the file in one pass."""
    text = EXAMPLE.read_text(encoding="utf-8").replace('plan = "case-2"', 'plan = "case-3"').replace(
        'language = "en"', 'language = "fr"')
    path = tmp_path / "two.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(course_script.CourseError) as caught:
        course_script.load(path, module)
    assert len(str(caught.value).splitlines()) == 2, caught.value


def test_make_course_runs_the_script_with_the_course_languages_editions():
    make = ["make", "-s", "-C", str(ROOT)]
    assert "make course" in subprocess.run([*make, "help"], capture_output=True, text=True, check=True).stdout
    assert course_script.needs(COURSES / "case-1-zh.toml") == ["html-zh", "instructor-zh"]
    assert course_script.needs(EXAMPLE) == ["html", "instructor"]
    # -o: take set-up as done (as tests/test_publish.py does), so the check of COURSE comes first.
    missing = subprocess.run([*make, "-o", ".venv/.installed", "-o", "node_modules/.installed", "course"],
                             capture_output=True, text=True)
    assert missing.returncode != 0 and "COURSE=courses/<name>.toml" in missing.stdout + missing.stderr


def test_every_course_message_has_its_chinese():
    from i18n.translations import translated

    known = translated(ROOT / "locale" / "zh_CN" / "LC_MESSAGES" / "whose-face.po")
    missing = [m for m in course_script.MESSAGES if m not in known]
    assert not missing, f"translate in locale/zh_CN/LC_MESSAGES/whose-face.po: {missing}"
