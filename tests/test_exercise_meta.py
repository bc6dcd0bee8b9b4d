"""Exercise metadata is checked at build time, and every time shown is computed from it.

Fault injection: break the metadata of real exercises in a throw-away copy of the site and expect the strict build
to fail with errors that name the file, the line and the missing or invalid option.
"""

from __future__ import annotations

import re

import pytest
from site_tools import copy_source, page_soup, pages_only, sphinx_build

PAGE = "exercises/masked-photos.md"


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def remove_option(text: str, title_line: str, option: str) -> str:
    """Drop ``:option: ...`` from the exercise that opens with ``title_line``."""
    head, _, rest = text.partition(title_line + "\n")
    block, sep, tail = rest.partition("\n:::\n")
    block = "\n".join(line for line in block.splitlines() if not line.startswith(f":{option}:"))
    return head + title_line + "\n" + block + sep + tail


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory):
    src = copy_source(tmp_path_factory.mktemp("broken") / "src")
    page = src / PAGE
    text = page.read_text(encoding="utf-8")
    faults = {
        "missing :minutes:": ":::{exercise} An offer of masked faces",
        "missing :objectives:": ":::{exercise} Threats along the supply chain",
        "invalid :format: 'seminar'": ":::{exercise} Lawful today?",
        "types its minutes": ":::{exercise} Revoke a template (15 min)",
    }
    text = remove_option(text, ":::{exercise} An offer of masked faces", "minutes")
    text = remove_option(text, ":::{exercise} Threats along the supply chain", "objectives")
    head, _, tail = text.partition(":::{exercise} Lawful today?\n")
    text = head + ":::{exercise} Lawful today?\n" + tail.replace(":format: group", ":format: seminar", 1)
    text = text.replace(":::{exercise} Revoke a template\n", ":::{exercise} Revoke a template (15 min)\n")
    page.write_text(text, encoding="utf-8")
    expected = {problem: line_of(text, title) for problem, title in faults.items()}
    return sphinx_build(src, src / "_build" / "html", *pages_only(PAGE)), expected


def test_broken_metadata_stops_the_build(broken_build):
    build, _ = broken_build
    # An ERROR line stops the strict build (-W); the build reads only this page, so the return code alone proves
    # nothing (site_tools.pages_only).
    errors = [w for w in build.warnings if f"{PAGE}:" in w and "ERROR: exercise" in w]
    assert build.returncode != 0 and len(errors) >= 4, "an exercise with broken metadata must stop the build"


@pytest.mark.parametrize(
    "problem", ["missing :minutes:", "missing :objectives:", "invalid :format: 'seminar'", "types its minutes"]
)
def test_error_names_file_line_and_fix(broken_build, problem):
    build, expected = broken_build
    line = expected[problem]
    pattern = re.compile(rf"{re.escape(PAGE)}:{line}: ERROR: exercise [\w-]+: .*{re.escape(problem)}")
    matches = [entry for entry in build.warnings if pattern.search(entry)]
    assert matches, f"no error naming {PAGE}:{line} and {problem!r} in:\n" + "\n".join(build.warnings)
    assert re.search(r"e\.g\.|one of|remove them|whole number", matches[0]), "the error must say how to fix it"


def test_lesson_plan_over_budget_and_unknown_label_warn(tmp_path):
    src = copy_source(tmp_path / "src")
    page = src / "docs" / "instructor" / "lesson-plans.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace(":budget: 50", ":budget: 40", 1)
    text = text.replace("ex-linddun-supply;", "ex-no-such-exercise;", 1)
    page.write_text(text, encoding="utf-8")
    build = sphinx_build(src, src / "_build" / "instructor", "-t", "instructor",
                         *pages_only("exercises/*.md", "docs/instructor/lesson-plans.md"))
    log = "\n".join(build.warnings)
    assert build.returncode != 0
    assert re.search(r"lesson-plans\.md:\d+: WARNING: lesson-plan 'Case 1 in one session': the segments take 50 min, "
                     r"over the budget of 40 min", log), log
    assert "no exercise with label 'ex-no-such-exercise'" in log, log


# -- Metadata in the real build ----------------------------------------------------------------------------------


def list_rows(site):
    soup = page_soup(site / "exercises" / "index.html")
    rows = {}
    for tr in soup.select("table.exercise-list-table tbody tr"):
        cells = [" ".join(td.get_text().split()) for td in tr.select("td")]
        link = tr.select_one("a")["href"]
        rows[link.split("#")[1]] = {"number": cells[0], "title": cells[1], "format": cells[3],
                                    "minutes": int(cells[4]), "graded": cells[5] == "Graded", "href": link}
    return rows


def test_at_least_ten_exercises_with_rendered_metadata(student):
    rows = list_rows(student)
    assert len(rows) >= 10
    formats = {r["format"].lower() for r in rows.values()}
    assert formats <= {"individual", "pair", "group", "whole class"}
    for label, row in rows.items():
        page, _, anchor = row["href"].partition("#")
        soup = page_soup(student / "exercises" / page)
        exercise = soup.find(id=anchor)
        assert exercise is not None, f"{label}: the list links to a missing anchor"
        title = " ".join(exercise.select_one(".admonition-title").get_text().split())
        assert title.endswith(f"({row['minutes']} min)"), f"{label}: title {title!r} disagrees with the list"
        meta = exercise.select_one(".exercise-meta")
        assert meta is not None, f"{label}: metadata not rendered"
        text = meta.get_text(" ")
        for field in ("Format", "Objectives", "Materials"):
            assert field in text, f"{label}: no {field} shown"
        assert f"{row['minutes']} min" in text


def test_lesson_plan_times_come_from_metadata(instructor):
    rows = list_rows(instructor)
    soup = page_soup(instructor / "docs/instructor/lesson-plans.html")
    plans = soup.select("table.lesson-plan-table")
    assert len(plans) >= 4
    for plan in plans:
        body = plan.select("tbody tr")
        total_row, segments = body[-1], body[:-1]
        clock = 0
        for tr in segments:
            cells = [" ".join(td.get_text().split()) for td in tr.select("td")]
            assert cells[0] == f"{clock // 60}:{clock % 60:02d}", f"start time {cells[0]} is not computed"
            minutes = int(cells[1])
            link = tr.select_one("a")
            if link is not None:
                assert minutes == rows[link["href"].split("#")[1]]["minutes"], f"{cells[2]}: minutes differ"
            clock += minutes
        assert int(total_row.select("td")[1].get_text()) == clock
    captions = [" ".join(c.get_text().split()) for c in soup.select("table.lesson-plan-table caption")]
    assert any("Case 1" in c for c in captions) and any("Case 2" in c for c in captions)
    budgets = [p.get_text() for p in soup.select(".lesson-plan-budget")]
    assert any("of 50 minutes" in b for b in budgets) and sum("of 90 minutes" in b for b in budgets) == 2
