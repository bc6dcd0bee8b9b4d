"""Students see how they are graded (_ext/teaching/grading.py), and may check themselves on ungraded exercises.

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
from site_tools import ROOT, copy_source, pages_only, sphinx_build

PAGES = ("exercises/face-data-remark.html", "exercises/masked-photos.html", "exercises/cross-case.html")


def source_metadata() -> tuple[dict[str, int], set[str]]:
    """From the exercises' own metadata: each graded exercise with its criteria's marks, and the exercises whose
    solution is a self-check (so that these tests follow the pages, with no list of their own)."""
    graded, self_checks = {}, set()
    for page in PAGES:
        text = (ROOT / page.replace(".html", ".md")).read_text(encoding="utf-8")
        for block in re.findall(r"^:::\{criteria\} (\S+)\n:marks: (\d+)", text, re.M):
            graded[block[0]] = int(block[1])
        for label, options in re.findall(r"^:::\{solution\} (\S+)\n((?::[^\n]*\n)*)", text, re.M):
            if ":self-check:" in options:
                self_checks.add(label)
    return graded, self_checks


GRADED, SELF_CHECKS = source_metadata()


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


# -- Rubric criteria name the prompt step they mark; objectives are all assessed (_ext/teaching/objectives.py) ---------------


def test_every_criterion_names_a_step_and_objectives_and_the_map_shows_them(student, instructor):
    assert GRADED and SELF_CHECKS, "the metadata names graded and self-check exercises"
    for page in PAGES:
        for criteria in soup(student, page).select(".exercise-criteria"):
            head = [th.get_text(strip=True) for th in criteria.select("thead th")]
            assert "Step" in head, f"{page}: a rubric without a Step column"
            steps = [tr.select("td")[head.index("Step")].get_text(strip=True) for tr in criteria.select("tbody tr")]
            assert all(re.fullmatch(r"\d+(, \d+)*", s) for s in steps), (page, steps)
    page = soup(instructor, "docs/instructor/assessment.html")
    rows = page.select("table.objective-map-table tbody tr")
    declared = {m for case in ("face-data-remark", "masked-photos")
                for m in re.findall(r"\{objective\}`([^`]+)`",
                                    (ROOT / "cases" / case / "index.md").read_text(encoding="utf-8"))}
    assert {tr.select_one("td a").get_text() for tr in rows} == declared and len(declared) >= 10
    for tr in rows:
        assert any(td.get_text(strip=True) for td in tr.select("td")[1:]), f"an unassessed objective: {tr.text}"
    assert not soup(student, "docs/instructor/assessment.html").select("table.objective-map-table") \
        if (student / "docs/instructor/assessment.html").exists() else True
    index = soup(student, "cases/masked-photos/index.html")
    assert index.select("#objective-masks-law-then-now") and "[masks-" not in index.get_text(), \
        "the student edition keeps the anchors but shows no ids"


@pytest.fixture(scope="module")
def broken_steps(tmp_path_factory):
    """A copy with one fault of each kind in the rubrics and the objectives."""
    src = copy_source(tmp_path_factory.mktemp("steps") / "src")
    masked = src / "exercises" / "masked-photos.md"
    text = masked.read_text(encoding="utf-8")
    # 1. A criterion marking a step the prompt does not have.
    text = text.replace("| Purpose limitation (2) | 1 |", "| Purpose limitation (2) | 7 |", 1)
    # 2. A criterion whose full marks ask for what its step never asks.
    text = text.replace("| Uncertainty (2) | 3 | Two genuine open points,", "| Uncertainty (2) | 3 | Two genuine "
                        "open points, a *biometric hash* weighed,", 1)
    # 3. An exercise naming an objective nobody declared.
    text = text.replace(":assesses: masks-supply-chain\n", ":assesses: masks-supply-chain; masks-no-such-thing\n", 1)
    # 4. A criterion that names no objective.
    text = text.replace("Purpose limitation = masks-biometric-safeguards; ", "", 1)
    masked.write_text(text, encoding="utf-8")
    # 5. An objective that nothing assesses.
    index = src / "cases" / "masked-photos" / "index.md"
    itext = index.read_text(encoding="utf-8").replace(
        "\n\n## Who is in the story", "\n7. {objective}`masks-untested` name something nobody asks about.\n\n"
        "## Who is in the story", 1)
    index.write_text(itext, encoding="utf-8")
    lines, ilines = text.splitlines(), itext.splitlines()

    def at(snippet: str, where: list[str] = lines) -> int:
        return next(i for i, line in enumerate(where, 1) if snippet in line)

    expected = {
        "missing step": (f"exercises/masked-photos.md:{at('| Purpose limitation (2) | 7 |')}",
                         "criterion 'Purpose limitation' marks step 7, but the exercise's prompt has 5 numbered steps"),
        "not asked": (f"exercises/masked-photos.md:{at('| Uncertainty (2) |')}",
                      "gives full marks for 'biometric hash', which step 3 of the prompt does not ask for"),
        "unknown objective": (f"exercises/masked-photos.md:{at(':::{exercise} Threats along the supply chain')}",
                              ":assesses: names 'masks-no-such-thing', which no case declares"),
        "criterion without objective": (f"exercises/masked-photos.md:{at('| Purpose limitation (2) | 7 |')}",
                                        "criterion 'Purpose limitation' names no objective"),
        "unassessed objective": (f"cases/masked-photos/index.md:{at('masks-untested', ilines)}",
                                 "objective 'masks-untested' is taught but nothing assesses it"),
    }
    pages = ("exercises/face-data-remark.md", "exercises/masked-photos.md", "exercises/cross-case.md",
             "cases/face-data-remark/index.md", "cases/masked-photos/index.md")
    return sphinx_build(src, src / "_build" / "html", *pages_only(*pages)), expected


@pytest.mark.parametrize("fault", ["missing step", "not asked", "unknown objective", "criterion without objective",
                                   "unassessed objective"])
def test_step_and_objective_faults_name_file_and_line(broken_steps, fault):
    build, expected = broken_steps
    where, message = expected[fault]
    hits = [w for w in build.warnings if f"{where}: ERROR:" in w and message in w]
    assert hits, f"no error '{where}: ERROR: ... {message}' in:\n" + "\n".join(build.warnings)
