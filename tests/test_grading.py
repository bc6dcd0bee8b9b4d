"""Students see how they are graded (_ext/grading.py), and may check themselves on ungraded exercises.

- Every graded exercise shows its criteria and marks in the student edition, under the exercise; its model answer
  (the solution) stays in the instructor edition.
- A solution flagged ``:self-check:`` (ungraded exercises only) is shown in the student edition; every other
  solution is not (the leak test, tests/test_editions.py, treats only those as instructor-only).
- Fault injection: a self-check flag on a graded exercise, a graded exercise without criteria, and marks that do not
  add up each stop the build with an error naming the file and line.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from site_tools import copy_source, pages_only, sphinx_build

PAGES = ("exercises/face-data-remark.html", "exercises/masked-photos.html", "exercises/cross-case.html")
GRADED = {"ex-source-criticism": 10, "ex-legal-mapping": 10, "ex-gate-design": 10, "ex-reflection-essay": 20}
SELF_CHECKS = {"ex-add-flow", "ex-revocable"}


def soup(site, page):
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "lxml")


def following(el, cls):
    """The element with class ``cls`` that comes after exercise ``el``, if no other exercise comes first."""
    found = el.find_next(class_=["exercise", cls])
    return found if found is not None and cls in found.get("class", []) else None


def test_graded_exercises_show_criteria_and_marks_to_students(student, instructor):
    seen = {}
    for page in PAGES:
        for site in (student, instructor):
            for exercise in soup(site, page).select(".exercise.exercise-graded"):
                criteria = following(exercise, "exercise-criteria")
                assert criteria is not None, f"{page}: {exercise.get('id')} shows no criteria"
                title = " ".join(criteria.select_one(".admonition-title").get_text().split())
                marks = [int(m) for m in re.findall(r"\((\d+)\)", " ".join(
                    tr.select_one("td").get_text() for tr in criteria.select("tbody tr")))]
                assert "instructor-only" not in criteria.get("class", [])
                seen[exercise["id"]] = (int(re.search(r"\((\d+) points\)", title)[1]), sum(marks))
    assert seen == {label: (marks, marks) for label, marks in GRADED.items()}


def test_only_self_check_solutions_reach_the_student_edition(student, instructor):
    shown = set()
    for page in PAGES:
        for solution in soup(student, page).select(".solution"):
            assert "self-check" in solution["class"], f"{page}: a solution that is not a self-check: {solution['id']}"
            assert "instructor-only" not in solution["class"]
            shown.add(solution.find_previous(class_="exercise")["id"])
        for solution in soup(instructor, page).select(".solution"):
            marked = "instructor-only" in solution["class"]
            assert marked != ("self-check" in solution["class"]), f"{page}: {solution['id']} is marked wrongly"
    assert shown == SELF_CHECKS
    graded_with_answer = shown & set(GRADED)
    assert not graded_with_answer


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory):
    src = copy_source(tmp_path_factory.mktemp("grading") / "src")
    remark = src / "exercises" / "face-data-remark.md"
    masked = src / "exercises" / "masked-photos.md"
    text = remark.read_text(encoding="utf-8")
    # 1. A graded exercise without criteria: drop the criteria block of ex-source-criticism.
    text = re.sub(r":::\{criteria\} ex-source-criticism\n.*?\n:::\n\n", "", text, count=1, flags=re.S)
    remark.write_text(text, encoding="utf-8")
    exercise_line = text.splitlines().index(":::{exercise} One evening, three headlines") + 1
    # 2. A self-check flag on a graded exercise's solution; 3. marks that do not add up.
    mtext = masked.read_text(encoding="utf-8")
    mtext = mtext.replace(":label: sol-legal-mapping\n:class: dropdown\n",
                          ":label: sol-legal-mapping\n:class: dropdown\n:self-check:\n", 1)
    mtext = mtext.replace(":::{criteria} ex-gate-design\n:marks: 10\n", ":::{criteria} ex-gate-design\n:marks: 12\n", 1)
    masked.write_text(mtext, encoding="utf-8")
    lines = mtext.splitlines()
    expected = {
        "no criteria": (f"exercises/face-data-remark.md:{exercise_line}",
                        "exercise ex-source-criticism is graded but has no criteria"),
        "self-check": (f"exercises/masked-photos.md:{lines.index(':::{solution} ex-legal-mapping') + 1}",
                       "solution to ex-legal-mapping is marked :self-check:, but the exercise is graded"),
        "marks": (f"exercises/masked-photos.md:{lines.index(':::{criteria} ex-gate-design') + 1}",
                  "the criteria's marks add up to 10, not :marks: 12"),
    }
    return sphinx_build(src, src / "_build" / "html",
                        *pages_only("exercises/face-data-remark.md", "exercises/masked-photos.md")), expected


def test_grading_faults_stop_the_build(broken_build):
    build, expected = broken_build
    # Each fault is an ERROR line, which stops the strict build (-W); the build reads only the two exercise pages, so
    # the return code alone proves nothing (site_tools.pages_only).
    errors = [w for w in build.warnings if "ERROR:" in w and any(where in w for where, _ in expected.values())]
    assert build.returncode != 0 and len(errors) >= 3, "a grading fault must stop the build"


@pytest.mark.parametrize("fault", ["no criteria", "self-check", "marks"])
def test_grading_fault_names_file_and_line(broken_build, fault):
    build, expected = broken_build
    where, message = expected[fault]
    hits = [w for w in build.warnings if f"{where}: ERROR:" in w and message in w]
    assert hits, f"no error '{where}: ERROR: ... {message}' in:\n" + "\n".join(build.warnings)
