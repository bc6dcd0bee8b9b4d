"""Teaching-content rules that a build cannot see, checked on the Markdown sources (issue #13).

- The glossary: at least 40 entries, each with an English term, a Chinese term and a one-line definition.
- Every exercise names an ethical lens (docs/lenses.md) and asks for the strongest objection from another.
- Every graded exercise's criteria block (its rubric, shown to students) gives each criterion's marks as "(N)", the
  marks add up to the stated total, and one criterion is the ethical argument.
- An exercise that quotes the March 2020 sellers' figures never glues one seller's terms to the other's in one
  statement, unless it says the scenario is a composite.
- Every exercise's minutes sit in a budgeted lesson plan, or the exercise says it is homework.

Each check returns problems as "path:line: what is wrong"; the fault tests feed each one a broken input.
"""

from __future__ import annotations

import re
from pathlib import Path

from site_tools import ROOT

GLOSSARY = ROOT / "docs" / "glossary.md"
EXERCISES = sorted((ROOT / "exercises").glob("*.md"))
LESSON_PLANS = ROOT / "docs" / "instructor" / "lesson-plans.md"

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
LENS = re.compile(r"\{ref\}`lens-[a-z-]+`|\{doc\}`/docs/lenses`")

# What each March 2020 seller was reported to offer (fact brief C20/C21): figures and claimed origins.
SELLER_A = ("20,000", "1,000 yuan", "0.05 yuan", "clock-in", "gate")
SELLER_B = ("0.2 yuan", "hundreds of thousands", "100,000", "wechat", "weibo", "social media", "social-media")


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def glossary_problems(text: str, path: Path, minimum: int = 40) -> list[str]:
    """Entries of every ```{glossary} block: term lines, then an indented definition."""
    problems, entries = [], 0
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```{glossary}":
            i += 1
            continue
        i += 1
        terms, start = [], None
        while i < len(lines) and lines[i].strip() != "```":
            line = lines[i]
            if line.strip() and not line.startswith((" ", "\t")):
                if start is None:
                    start = i + 1
                terms.append(line.strip())
            elif line.strip() and not terms:
                pass  # a definition's continuation line: the entry was counted at its first line
            elif line.strip():
                entries += 1
                where = f"{rel(path)}:{start}"
                if not any(LATIN.search(t) and not CJK.search(t) for t in terms):
                    problems.append(f"{where}: glossary entry {terms} has no English term")
                if not any(CJK.search(t) for t in terms):
                    problems.append(f"{where}: glossary entry {terms} has no Chinese term")
                if len(LATIN.findall(line)) < 10:
                    problems.append(f"{where}: glossary entry {terms} has no definition")
                terms, start = [], None
            i += 1
        if terms:
            problems.append(f"{rel(path)}:{start}: glossary entry {terms} has no definition")
    if entries < minimum:
        problems.append(f"{rel(path)}:1: the glossary has {entries} entries; at least {minimum} are needed")
    return problems


def blocks(text: str, kind: str) -> list[tuple[int, str, str]]:
    """(line, label, body) of every :::{kind} block (exercise, solution or criteria); the body runs to the closing
    :::. A solution or criteria block is labelled by the exercise it belongs to."""
    found = []
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if line.startswith(f":::{{{kind}}}"):
            end = next((m for m in range(n + 1, len(lines)) if lines[m].strip() == ":::"), len(lines))
            body = "\n".join(lines[n:end])
            label = re.search(r"^:label: *(\S+)", body, re.M)
            if kind in ("solution", "criteria"):
                label = re.match(rf":::\{{{kind}\}} *(\S+)", line)
                found.append((n + 1, label.group(1) if label else "", body))
            else:
                found.append((n + 1, label.group(1) if label else "", body))
    return found


def lens_problems(text: str, path: Path) -> list[str]:
    problems = []
    for line, label, body in blocks(text, "exercise"):
        if not LENS.search(body):
            problems.append(f"{rel(path)}:{line}: exercise {label} names no lens (link one on docs/lenses.md)")
        if "objection" not in body.lower():
            problems.append(f"{rel(path)}:{line}: exercise {label} does not ask for the strongest objection")
    return problems


def rubric_problems(text: str, path: Path) -> list[str]:
    problems = []
    solutions = {label: (line, body) for line, label, body in blocks(text, "criteria")}
    for line, label, body in blocks(text, "exercise"):
        if not re.search(r"^:graded:", body, re.M):
            continue
        if label not in solutions:
            problems.append(f"{rel(path)}:{line}: graded exercise {label} has no criteria block with a rubric")
            continue
        sline, sbody = solutions[label]
        total = re.search(r"^:marks: *(\d+)", sbody, re.M)
        if not total:
            problems.append(f"{rel(path)}:{sline}: the rubric of {label} does not state its total")
            continue
        body_lines = sbody.splitlines()
        rows = [r for r in body_lines if r.startswith("|") and not r.startswith(("| Criterion", "|---"))]
        marks = []
        for r in rows:
            first = r.split("|")[1]
            m = re.search(r"\((\d+)\)\s*$", first.strip())
            if not m:
                problems.append(f"{rel(path)}:{sline + body_lines.index(r)}: rubric criterion {first.strip()!r} of "
                                f"{label} has no marks")
            else:
                marks.append(int(m.group(1)))
        if sum(marks) != int(total.group(1)):
            problems.append(f"{rel(path)}:{sline}: the rubric of {label} gives {sum(marks)} marks, "
                            f"but says {total.group(1)} points")
        if not any(r.split("|")[1].strip().lower().startswith("ethical argument") for r in rows):
            problems.append(f"{rel(path)}:{sline}: the rubric of {label} has no 'Ethical argument' criterion")
    return problems


def seller_problems(text: str, path: Path) -> list[str]:
    problems = []
    for line, label, body in blocks(text, "exercise"):
        if "composite" in body.lower():
            continue
        for statement in re.split(r"(?<=[.;])\s", body.replace("\n", " ")):
            low = statement.lower()
            if any(f.lower() in low for f in SELLER_A) and any(f in low for f in SELLER_B) and not (
                "seller a" in low and "seller b" in low
            ):
                problems.append(f"{rel(path)}:{line}: exercise {label} merges the two sellers' terms in one "
                                f"statement without saying it is a composite: {statement.strip()[:120]!r}")
    return problems


def schedule_problems(exercise_files: list[Path], plans: str) -> list[str]:
    """Exercises in a plan with a :budget: are taught in class; any other exercise must say it is homework."""
    scheduled = set()
    for plan in re.findall(r"```\{lesson-plan\}.*?```", plans, re.S):
        if ":budget:" in plan:
            scheduled.update(re.findall(r"\bex-[a-z-]+", plan))
    problems = []
    for path in exercise_files:
        for line, label, body in blocks(path.read_text(encoding="utf-8"), "exercise"):
            if label not in scheduled and "homework" not in body.lower():
                problems.append(f"{rel(path)}:{line}: exercise {label} is in no lesson plan and does not say it is "
                                "homework")
    return problems


# -- The module's own content passes ------------------------------------------------------------------------------


def test_glossary_entries_are_bilingual_and_defined():
    assert glossary_problems(GLOSSARY.read_text(encoding="utf-8"), GLOSSARY) == []


def test_every_exercise_names_a_lens_and_an_objection():
    problems = [p for f in EXERCISES for p in lens_problems(f.read_text(encoding="utf-8"), f)]
    assert problems == [], "\n".join(problems)


def test_graded_rubrics_add_up_and_assess_the_ethical_argument():
    problems = [p for f in EXERCISES for p in rubric_problems(f.read_text(encoding="utf-8"), f)]
    assert problems == [], "\n".join(problems)


def test_no_exercise_merges_the_two_sellers():
    problems = [p for f in EXERCISES for p in seller_problems(f.read_text(encoding="utf-8"), f)]
    assert problems == [], "\n".join(problems)


def test_every_exercise_is_scheduled_or_homework():
    problems = schedule_problems(EXERCISES, LESSON_PLANS.read_text(encoding="utf-8"))
    assert problems == [], "\n".join(problems)



HOW_TO_USE = ROOT / "docs" / "how-to-use.md"
STATUSES = ("verified", "corroborated", "single-source", "unverified", "contested", "contradicted")


def status_problems(glossary: str, how_to_use: str, glossary_path: Path, how_path: Path) -> list[str]:
    """Each evidence label has one definition: the glossary's words are the how-to-use table's words (finding #56)."""
    problems = []
    table = {}
    for n, line in enumerate(how_to_use.splitlines(), 1):
        m = re.match(r"\|\s*\{status\}`([a-z-]+)`\s*\|\s*(.+?)\s*\|\s*$", line)
        if m:
            table[m.group(1)] = (n, m.group(2))
    lines = glossary.splitlines()
    for status in STATUSES:
        if status not in table:
            problems.append(f"{rel(how_path)}:1: the evidence-label table has no row for '{status}'")
            continue
        at = next((i for i, line in enumerate(lines) if line.strip() == status), None)
        if at is None:
            problems.append(f"{rel(glossary_path)}:1: the glossary has no entry '{status}'")
            continue
        definition = next((line.strip() for line in lines[at + 1:] if line.startswith((" ", "\t"))), "")
        definition = re.sub(r"^\*[^*]*\*\s*", "", definition)  # drop the pinyin
        if definition != table[status][1]:
            problems.append(f"{rel(glossary_path)}:{at + 1}: '{status}' is defined as {definition!r}, but "
                            f"{rel(how_path)}:{table[status][0]} says {table[status][1]!r}")
    return problems


def test_evidence_labels_have_one_definition():
    assert status_problems(GLOSSARY.read_text(encoding="utf-8"), HOW_TO_USE.read_text(encoding="utf-8"),
                           GLOSSARY, HOW_TO_USE) == []


def test_status_check_catches_a_second_definition():
    how = "".join(f"| {{status}}`{s}` | Meaning of {s}. |\n" for s in STATUSES)
    good = "".join(f"{s}\n中文\n  *pinyin.* Meaning of {s}.\n\n" for s in STATUSES)
    assert status_problems(good, how, GLOSSARY, HOW_TO_USE) == []
    bad = good.replace("Meaning of contested.", "Parties dispute it.")
    problems = status_problems(bad, how, GLOSSARY, HOW_TO_USE)
    assert len(problems) == 1 and problems[0].startswith("docs/glossary.md:17: 'contested'"), problems
    assert "docs/how-to-use.md:5" in problems[0], problems

# -- Each check catches its fault, naming file and line ------------------------------------------------------------

FAKE = Path("exercises/fake.md")


def test_glossary_check_catches_a_missing_chinese_term():
    text = "# G\n\n```{glossary}\ntemplate\n  The numeric vector a system computes from a face.\n```\n"
    problems = glossary_problems(text, GLOSSARY, minimum=1)
    assert any("docs/glossary.md:4:" in p and "no Chinese term" in p for p in problems), problems


def test_glossary_check_catches_too_few_entries():
    text = "```{glossary}\ntemplate\n特征模板\n  The numeric vector a system computes from a face.\n```\n"
    assert glossary_problems(text, GLOSSARY, minimum=1) == []
    assert any("at least 40" in p for p in glossary_problems(text, GLOSSARY))



def test_glossary_check_reads_a_definition_over_two_lines_as_one_entry():
    two_lines = ("```{glossary}\ntemplate\n特征模板\n  The numeric vector a system computes from a face,\n"
                 "  stored in place of the photo.\n\ngallery\n  The set of templates a probe is compared with.\n```\n")
    problems = glossary_problems(two_lines, GLOSSARY, minimum=2)
    assert problems == ["docs/glossary.md:7: glossary entry ['gallery'] has no Chinese term"], problems

EXERCISE = """# Fake

:::{{exercise}} A fake
:label: ex-fake
:minutes: 10
:format: group
{graded}
:objectives: none

{body}
:::

:::{{criteria}} ex-fake
:marks: 10

| Criterion | Full | Part | None |
|---|---|---|---|
{rows}
:::
"""


def fake(body="Argue from {ref}`lens-harms`; answer the strongest objection.", graded=":graded:",
         rows="| Argument (6) | a | b | c |\n| Ethical argument (4) | a | b | c |") -> str:
    return EXERCISE.format(body=body, graded=graded, rows=rows)


def test_checks_pass_a_well_formed_exercise():
    text = fake()
    assert lens_problems(text, FAKE) == [] and rubric_problems(text, FAKE) == [] and seller_problems(text, FAKE) == []


def test_lens_check_catches_an_exercise_without_a_lens():
    problems = lens_problems(fake(body="Discuss."), FAKE)
    assert any("exercises/fake.md:3:" in p and "names no lens" in p for p in problems), problems
    assert any("objection" in p for p in problems), problems


def test_rubric_check_catches_wrong_sum_missing_marks_and_missing_ethics():
    text = fake(rows="| Argument (6) | a | b | c |\n| Sources | a | b | c |")
    line = text.splitlines().index("| Sources | a | b | c |") + 1
    problems = rubric_problems(text, FAKE)
    assert any(f"exercises/fake.md:{line}:" in p and "has no marks" in p for p in problems), problems
    assert any("gives 6 marks, but says 10" in p for p in problems), problems
    assert any("no 'Ethical argument'" in p for p in problems), problems


def test_seller_check_catches_the_merged_offer():
    merged = ("A seller offers 300,000 photos at 0.2 yuan each, \"taken at clock-in terminals and residential gates\". "
              "Argue from {ref}`lens-harms`; answer the strongest objection.")
    problems = seller_problems(fake(body=merged), FAKE)
    assert any("exercises/fake.md:3:" in p and "merges the two sellers" in p for p in problems), problems
    assert seller_problems(fake(body=merged + " This scenario is a composite."), FAKE) == []


def test_schedule_check_catches_an_unscheduled_exercise(tmp_path):
    page = tmp_path / "fake.md"
    page.write_text(fake(), encoding="utf-8")
    plans = "```{lesson-plan} P\n:segments: ex-other\n:budget: 50\n```\n"
    problems = schedule_problems([page], plans)
    assert any("fake.md:3:" in p and "ex-fake is in no lesson plan" in p for p in problems), problems
    assert schedule_problems([page], plans.replace("ex-other", "ex-fake")) == []


def test_case_pages_link_lenses_and_glossary_terms(student):
    """Case pages link the lens an argument uses; the first use of a glossary term on a page links its entry."""
    for case in ("face-data-remark", "masked-photos"):
        pages = sorted((student / "cases" / case).glob("*.html"))
        assert any("lenses.html#lens-" in p.read_text(encoding="utf-8") for p in pages), f"no lens linked in {case}"
    law = (student / "cases" / "masked-photos" / "law.html").read_text(encoding="utf-8")
    linked = re.findall(r'class="glossary-term[^"]*" href="[^"]*glossary\.html#(term-[^"]+)"', law)
    assert "term-Cybersecurity-Law" in linked and len(linked) == len(set(linked)), linked
    assert 'glossary-term' not in (student / "docs" / "glossary.html").read_text(encoding="utf-8")
