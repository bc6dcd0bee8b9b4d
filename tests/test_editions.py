"""The two editions: the student edition holds no instructor material in any output file.

How the leak test works:
1. From the instructor edition, collect every instructor-only paragraph: the text of each ``<p>`` and ``<li>`` inside
   an element with class ``instructor-only`` (solutions, ``instructor`` boxes and the sections of docs/instructor
   pages, all marked by _ext/guards/editions.py). Titles and the generated exercise tables are left out, because they
   repeat exercise titles that students rightly see. Whitespace is normalised; paragraphs under 40 characters are
   dropped. At least 10 distinct paragraphs must remain, so the test cannot pass vacuously.
2. Each paragraph, and each of its sentences of 40 characters or more, is a probe.
3. Every file of the student build (except images and fonts, and the files a package ships that the build copied
   unchanged: see ``shipped_unchanged``) is read as text (HTML also with its tags stripped and entities decoded,
   JSON/JS also with escapes decoded, ``objects.inv`` decompressed after its four header lines), and searched for
   every probe.
4. Positive control: the same search finds every paragraph in the instructor build, so the normalisation works.
5. ``searchindex.js`` stores stemmed words, not sentences, so it gets its own check: stems that occur only in
   instructor-only text (never in the instructor edition's other text) must not be terms of the student index.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sysconfig
import warnings
import zlib
from functools import lru_cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from site_tools import ROOT, html_pages, page_soup, pdf_page_texts, sphinx_build

MIN_CHARS = 40
MIN_PARAGRAPHS = 10
INSTRUCTOR = "instructor-only"
# Generated tables list exercise titles and numbers, which are public; so do the titles of solution boxes, the
# objective map (the objectives are on each case's index page) and a law table (_ext/teaching/law.py: the law
# register's names and dates, which the student law page shows too).
PUBLIC_TABLES = ["exercise-list-table", "lesson-plan-table", "objective-map-table", "law-table"]
# A session sheet (docs/instructor/sessions/) copies each exercise as students see it, marked with this class.
STUDENT_TEXT = "student-text"


def norm(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    return " ".join(text.split())


@lru_cache(maxsize=None)
def instructor_paragraphs(site: Path) -> dict[str, str]:
    """{normalised paragraph: page} for every instructor-only paragraph of at least MIN_CHARS characters.

    Read once per site and test process (several test files ask); callers must not change the dict."""
    found: dict[str, str] = {}
    for page in html_pages(site):
        soup = page_soup(page)
        for box in soup.select(f".{INSTRUCTOR}"):
            for el in box.find_all(["p", "li"]):
                if el.name == "li" and el.find("p"):
                    continue  # its paragraphs are collected themselves
                if el.find_parent(class_=PUBLIC_TABLES):
                    continue
                if el.find_parent(class_="self-check"):
                    continue  # a self-check answer of an ungraded exercise: students see it too (grading.py)
                nearest = el.find_parent(class_=[INSTRUCTOR, STUDENT_TEXT])
                if nearest is not None and STUDENT_TEXT in nearest.get("class", []):
                    continue  # an exercise as students see it, copied onto a session sheet
                if {"admonition-title", "exercise-list-summary"} & set(el.get("class", [])) or el.find_parent("caption"):
                    continue
                text = norm(el.get_text())
                if len(text) >= MIN_CHARS:
                    found.setdefault(text, str(page.relative_to(site)))
    return found


def probes(paragraph: str) -> list[str]:
    # A sentence ends at . ! ? or : and a space, but not after an abbreviation such as "Art." or "No.": a probe cut there
    # is a fragment ("... (General Principles of the Civil Law, Art.") that public pages share by chance.
    sentences = [s for s in re.split(r"(?<!Art\.)(?<!Arts\.)(?<!No\.)(?<!e\.g\.)(?<!i\.e\.)(?<=[.!?:])\s+", paragraph)
                 if len(s) >= MIN_CHARS]
    return [paragraph, *sentences]


def readable_forms(path: Path) -> list[str]:
    """The ways a file's content could carry a paragraph: raw, tag-stripped, unescaped, decompressed."""
    data = path.read_bytes()
    if path.name == "objects.inv":
        header, _, body = data.partition(b"\n")  # line 1
        rest = body.split(b"\n", 3)  # lines 2-4, then the zlib stream
        data = b"\n".join([header, *rest[:3]]) + b"\n" + zlib.decompress(rest[3])
    text = data.decode("utf-8", errors="replace")
    forms = [norm(text)]
    if path.suffix == ".html":
        forms.append(norm(page_soup(path).get_text()))  # the parse other tests of this process share
    elif path.suffix in {".htm", ".xml", ".svg"}:
        with warnings.catch_warnings():  # XML files (sitemap, standalone SVGs) read as HTML on purpose: text is text
            warnings.simplefilter("ignore")
            forms.append(norm(BeautifulSoup(text, "lxml").get_text()))
    if path.suffix in {".html", ".htm", ".xml", ".svg"}:
        forms.append(norm(html.unescape(re.sub(r"<[^>]+>", "", text))))
    if path.suffix in {".js", ".json", ".txt", ".map"}:
        try:
            forms.append(norm(json.loads(f'"{text}"')))
        except ValueError:
            forms.append(norm(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)))
        forms.append(norm(html.unescape(re.sub(r"<[^>]+>", "", text))))
    return forms


BINARY = {".png", ".jpg", ".jpeg", ".gif", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".ico", ".pickle"}
# The kinds of file a package's static folder holds that a build copies as they are (themes' scripts and styles,
# reveal.js and its plugins, their source maps).
COPIED_KINDS = {".js", ".mjs", ".css", ".map", ".svg", ".json", ".txt", ".html"}


@lru_cache(maxsize=1)
def _package_files() -> dict[int, list[Path]]:
    """{size: files} of the installed Python packages' copyable files (the build's themes and extensions live there)."""
    by_size: dict[int, list[Path]] = {}
    for path in Path(sysconfig.get_paths()["purelib"]).rglob("*"):
        if path.suffix in COPIED_KINDS and path.is_file():
            by_size.setdefault(path.stat().st_size, []).append(path)
    return by_size


@lru_cache(maxsize=None)
def _digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def shipped_unchanged(path: Path) -> bool:
    """True if ``path`` is byte for byte a file an installed package ships (furo's scripts, reveal.js, Sphinx's
    searchtools.js...). Such a file was written before our text existed, so it cannot hold it; searching it would
    only cost time (reveal.js and its maps are 3.4 MB of each deck folder). A package file the build changed, or any
    file the build wrote, is searched."""
    same_size = _package_files().get(path.stat().st_size)
    return bool(same_size) and any(_digest(p) == _digest(path) for p in same_size)


@lru_cache(maxsize=None)
def site_texts(site: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (str(p.relative_to(site)), tuple(readable_forms(p)))
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.suffix not in BINARY and not shipped_unchanged(p)
    )


def where_found(site: Path, probe: str) -> list[str]:
    return [name for name, forms in site_texts(site) if any(probe in form for form in forms)]


def search_terms(site: Path) -> dict:
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def stems_of(text: str, shortest: int = 4) -> set[str]:
    """Words as Sphinx's English search index stores them: stemmed and lower case (plus the plain word)."""
    from sphinx.search.en import SearchEnglish

    lang = SearchEnglish({})
    words = re.findall(rf"[A-Za-z]{{{shortest},}}", text)
    return {lang.stem(w) for w in words} | {w.lower() for w in words}


# -- The leak test ---------------------------------------------------------------------------------------------------


def test_enough_instructor_paragraphs_to_check(instructor):
    paragraphs = instructor_paragraphs(instructor)
    assert len(paragraphs) >= MIN_PARAGRAPHS, (
        f"only {len(paragraphs)} instructor-only paragraphs of {MIN_CHARS}+ characters found; the leak test would "
        "be vacuous. Is editions.py still marking solutions and instructor boxes 'instructor-only'?"
    )
    kinds = {page.split("/")[0] for page in paragraphs.values()}
    assert {"exercises", "docs"} <= kinds, f"instructor paragraphs come only from {kinds}"


def test_positive_control_search_finds_paragraphs_in_instructor_build(instructor):
    missing = [p for p in instructor_paragraphs(instructor) if not where_found(instructor, p)]
    assert not missing, f"the search cannot find {len(missing)} paragraphs even where they are: {missing[:3]}"


def test_only_unchanged_package_files_are_skipped(student, instructor, tmp_path):
    """The search skips a file only when it is byte for byte a package's own: a copy with one instructor paragraph
    appended is searched, and the paragraph found."""
    furo_js = student / "_static" / "scripts" / "furo.js"
    assert shipped_unchanged(furo_js), "furo.js as copied by the build should count as furo's own file"
    paragraph = next(iter(instructor_paragraphs(instructor)))
    site = tmp_path / "site"
    (site / "_static").mkdir(parents=True)
    (site / "_static" / "furo.js").write_bytes(furo_js.read_bytes() + f"// {paragraph}\n".encode())
    assert not shipped_unchanged(site / "_static" / "furo.js")
    assert where_found(site, paragraph) == ["_static/furo.js"]


def leaks_of(paragraphs: dict[str, str], student: Path, probes_of=None, width: int = 80) -> dict[str, list[str]]:
    """{"page: probe…": [student files holding it]} for every probe (``probes_of``, default ``probes``) of every
    instructor paragraph found in the student site."""
    leaks = {}
    for paragraph, page in paragraphs.items():
        for probe in (probes_of or probes)(paragraph):
            hits = where_found(student, probe)
            if hits:
                leaks[f"{page}: {probe[:width]}…"] = hits
    return leaks


def test_no_instructor_paragraph_in_any_student_file(instructor, student):
    paragraphs = instructor_paragraphs(instructor)
    leaks = leaks_of(paragraphs, student)
    checked = len(site_texts(student))
    assert not leaks, f"instructor material found in the student build ({checked} files searched):\n" + "\n".join(
        f"  {k} -> {v}" for k, v in leaks.items()
    )
    print(f"leak test: {len(paragraphs)} instructor paragraphs, {checked} student files, no leak")


def test_no_instructor_only_word_in_student_search_index(instructor, student):
    private_text, public_text = [], []
    for page in html_pages(instructor):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")  # its own: the boxes are taken out below
        for box in soup.select(f".{INSTRUCTOR}"):
            private_text.append(box.get_text(" "))
            box.decompose()
        public_text.append(soup.get_text(" "))
    # Generous on the public side (every word, however short), strict on the private side.
    only_private = stems_of(" ".join(private_text)) - stems_of(" ".join(public_text), shortest=1)
    instructor_terms = set(search_terms(instructor)["terms"])
    testable = only_private & instructor_terms
    assert len(testable) >= 20, f"only {len(testable)} instructor-only words to check in the search index"
    leaked = sorted(testable & set(search_terms(student)["terms"]))
    assert not leaked, f"instructor-only words in the student search index: {leaked}"


def test_no_solution_label_or_instructor_page_in_student_build(instructor, student):
    # Self-check answers of ungraded exercises are for students too (_ext/teaching/grading.py); every other solution is not.
    solutions = [el for page in html_pages(instructor) for el in page_soup(page).select(".solution[id]")]
    solution_ids = {el["id"] for el in solutions if "self-check" not in el["class"]}
    self_checks = {el["id"] for el in solutions if "self-check" in el["class"]}
    assert len(solution_ids) + len(self_checks) >= 10 and len(solution_ids) >= 8, "too few solutions to check"
    for sid in sorted(solution_ids):
        assert not where_found(student, sid), f"solution label {sid} reaches the student build"
    assert not (student / "docs" / "instructor").exists(), "the student build has docs/instructor output"
    index = search_terms(student)
    assert not [d for d in index["docnames"] if d.startswith("docs/instructor")]
    inventory = dict(site_texts(student))["objects.inv"][0]
    assert "docs/instructor" not in inventory
    assert set(re.findall(r"\bsol-[\w-]+", inventory)) <= self_checks, "a private solution's label is in objects.inv"


# -- Edition behaviour -----------------------------------------------------------------------------------------------


def test_every_instructor_page_is_marked(instructor):
    unmarked = []
    for page in html_pages(instructor):
        banner = page_soup(page).select_one(".announcement")
        if banner is None or "Instructor edition" not in banner.get_text():
            unmarked.append(str(page.relative_to(instructor)))
    assert not unmarked, f"pages without the 'Instructor edition' banner: {unmarked}"


def test_student_pages_are_not_marked(student):
    marked = [p.name for p in html_pages(student) if "Instructor edition" in p.read_text(encoding="utf-8")]
    assert not marked, f"student pages that claim to be the instructor edition: {marked}"


def test_solutions_only_in_instructor_edition(instructor, student):
    for page in ("exercises/face-data-remark.html", "exercises/masked-photos.html", "exercises/cross-case.html"):
        inst, stud = page_soup(instructor / page), page_soup(student / page)
        exercises = inst.select(".exercise")
        assert exercises and len(stud.select(".exercise")) == len(exercises)
        assert len(inst.select(".solution")) == len(exercises), f"{page}: every exercise needs a solution"
        # Only the self-check answers of ungraded exercises (_ext/teaching/grading.py, tests/test_grading.py) reach students.
        assert not stud.select(".solution:not(.self-check), .instructor-only"), (
            f"{page}: instructor material in the student page")


def test_exercise_list_is_the_same_in_both_editions(instructor, student):
    def rows(site):
        table = page_soup(site / "exercises" / "index.html").select_one("table.exercise-list-table")
        return [norm(tr.get_text(" ")) for tr in table.select("tbody tr")]

    assert rows(student) == rows(instructor)
    assert len(rows(student)) >= 10


def test_instructor_guide_only_in_instructor_edition(instructor, student):
    guide = instructor / "docs" / "instructor"
    for name in ("index", "lesson-plans", "role-play", "assessment", "editions"):
        assert (guide / f"{name}.html").is_file(), f"instructor guide page {name} missing"
    assert "docs/instructor/index.html" in (instructor / "index.html").read_text(encoding="utf-8")
    assert "docs/instructor" not in (student / "index.html").read_text(encoding="utf-8")


def test_hide_solutions_cannot_disagree_with_the_edition(tmp_path):
    build = sphinx_build(ROOT, tmp_path / "out", "-D", "hide_solutions=0")
    assert build.returncode != 0
    assert "hide_solutions" in build.log and "hide_solutions = not INSTRUCTOR" in build.log


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_no_page_sources_copied(edition, request):
    site = request.getfixturevalue(edition)
    sources = [p for p in (site / "_sources").rglob("*") if p.is_file()] if (site / "_sources").exists() else []
    assert not sources, f"page sources would carry solutions; html_copy_source must be False: {sources[:3]}"


def pdf_text(path: Path) -> str:
    return norm(" ".join(pdf_page_texts(path)))


def test_no_instructor_paragraph_in_any_student_handout(instructor, handouts):
    """The leak test over the classroom pack: no student PDF holds an instructor-only paragraph or sentence.

    Positive control: the same probes find instructor paragraphs in the session sheets, so PDF text is searchable.
    """
    out, made = handouts
    texts = {name: pdf_text(out / name) for name in made}
    students = {n: t for n, t in texts.items() if n.startswith("students/")}
    sheets = " ".join(t for n, t in texts.items() if n.startswith("instructor/"))
    assert len(students) >= 12
    paragraphs = instructor_paragraphs(instructor)
    found_in_sheets = [p for p in paragraphs if p in sheets]
    assert len(found_in_sheets) >= MIN_PARAGRAPHS, "PDF text search cannot find instructor paragraphs in the sheets"
    leaks = {f"{page}: {probe[:80]}…": hits for paragraph, page in paragraphs.items() for probe in probes(paragraph)
             if (hits := [n for n, t in students.items() if probe in t])}
    assert not leaks, "instructor material in student handouts:\n" + "\n".join(f"  {k} -> {v}" for k, v in leaks.items())
