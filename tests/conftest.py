"""Shared fixtures: the two editions built strictly once per session, and a real, offline browser.

The builds go to a temporary folder, never to _build/, so `make test` cannot be fooled by a stale build.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from site_tools import CHROMIUM_ARGS, ROOT, Build, find_chromium, sphinx_builds  # noqa: E402


# The editions the site tests stand on: {folder name: extra sphinx-build arguments}, in two sets built on demand.
# The Chinese student edition's folder is named zh: its language switcher links to ../en/ and ../zh/.
EDITIONS = {"student": (), "instructor": ("-t", "instructor")}
ZH_EDITIONS = {"zh": ("-D", "language=zh_CN"), "instructor-zh": ("-D", "language=zh_CN", "-t", "instructor")}
# Where the Makefile builds each of them (used instead of new builds when WHOSE_FACE_BUILT names _build: `make check`)
BUILT_FOLDERS = {"student": "html", "instructor": "instructor", "zh": "html-zh", "instructor-zh": "instructor-zh"}


def shared_folder(tmp_path_factory) -> Path:
    """A folder all test processes share: pytest-xdist gives each worker a folder inside the run's own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def exclusive(lock: Path):
    """Hold ``lock`` (a file) against the other test processes of this run."""
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def once(tmp_path_factory, name: str, make):
    """``make(folder)``'s result (anything JSON can hold), made once per run whatever the number of test processes:
    the first process to ask makes it in the shared folder ``name``; the others wait, then read the record."""
    out = shared_folder(tmp_path_factory) / name
    record = shared_folder(tmp_path_factory) / f"{name}.json"
    with exclusive(shared_folder(tmp_path_factory) / f"{name}.lock"):
        if not record.is_file():
            out.mkdir(parents=True, exist_ok=True)
            record.write_text(json.dumps(make(out)), encoding="utf-8")
    return json.loads(record.read_text(encoding="utf-8"))


def build_once(tmp_path_factory, name: str, editions: dict[str, tuple[str, ...]], make: str) -> dict[str, Build]:
    """``editions``, built from the working tree with the strict flags, once per run whatever the number of test
    processes: the first process to need them builds them side by side; the others wait and read the record.

    One fault, one message: most tests stand on these builds, so a failed build stops the run here, with the lines of
    the build that name file and line, not sixty failures later."""
    built_dir = os.environ.get("WHOSE_FACE_BUILT")  # `make check` (scripts/check.py): the editions it has just built
    if built_dir:
        return {ed: Build(Path(built_dir) / BUILT_FOLDERS[ed], 0, "", 0.0) for ed in editions}

    def build_editions(out: Path) -> dict:
        # A local build: no published address, whatever the environment says (conf.py, "Publishing").
        env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "READTHEDOCS_CANONICAL_URL")}
        done = sphinx_builds(ROOT, {out / ed: extra for ed, extra in editions.items()}, env=env)
        return {ed: {**vars(done[out / ed]), "outdir": str(out / ed)} for ed in editions}

    built = {ed: Build(Path(b["outdir"]), b["returncode"], b["log"], b["seconds"])
             for ed, b in once(tmp_path_factory, name, build_editions).items()}
    for edition, build in built.items():
        if build.returncode != 0:
            message = f"{DID_NOT_BUILD} the {edition} edition; `{make}` shows the same:\n{build_errors(build.log)}"
            if os.environ.get("PYTEST_XDIST_WORKER"):
                # The controlling process stops the run on the first such report (below); the tests this process
                # already holds fail too, each with one line, so the build's own message stays near the end.
                if (name, edition) in _FAILED_BUILDS:
                    pytest.fail(f"{DID_NOT_BUILD} the {edition} edition (its message is above)", pytrace=False)
                _FAILED_BUILDS.add((name, edition))
                pytest.fail(message, pytrace=False)
            pytest.exit(message, returncode=1)
    return built


@pytest.fixture(scope="session")
def builds(tmp_path_factory) -> dict[str, Build]:
    """The English editions: student and instructor."""
    return build_once(tmp_path_factory, "site", EDITIONS, "make html")


@pytest.fixture(scope="session")
def zh_builds(tmp_path_factory) -> dict[str, Build]:
    """The Chinese editions (-D language=zh_CN), only when a test asks for them: {"student", "instructor"}."""
    built = build_once(tmp_path_factory, "site-zh", ZH_EDITIONS, "make html-zh")
    return {"student": built["zh"], "instructor": built["instructor-zh"]}


DID_NOT_BUILD = "the run stops: the site did not build:"
_FAILED_BUILDS: set[tuple[str, str]] = set()  # (build, edition) whose failure this process has already reported
WHERE = re.compile(r"^\S+:\d+|WARNING|ERROR|Error|[Ee]xception")


def build_errors(log: str) -> str:
    """The lines of a failed build that say what and where (file:line), or its last 15 lines if none does."""
    lines = log.strip().splitlines()
    return "\n".join([line for line in lines if WHERE.search(line)][-15:] or lines[-15:])


# The test files that take longest, longest first (measured on two cores, 2026-12-04: 65-90 s each for the first
# three, 28-60 s for the next four). The two test processes take files from the front of the queue as they finish
# one, so the long files start early and the short ones fill the end: both processes finish at about the same time.
# In xdist's own order (most tests first) test_site.py started last, and one process ran alone for its last 10-15 s.
# test_course.py is placed by its cost alone (2026-12-07: about 30 CPU-s, mostly its five PDFs and the leak test), and
# test_pseudo_locale.py too (2026-12-07: about 35 CPU-s, its two builds in the pseudo-locale and a fault build).
LONGEST_FIRST = ["test_slides.py", "test_zh.py", "test_site.py", "test_publish.py", "test_editions.py",
                 "test_course.py", "test_pseudo_locale.py", "test_faults.py", "test_diagrams.py"]


def pytest_collection_modifyitems(items):
    """Queue the files of LONGEST_FIRST first (see there); every other file, and the tests in each file, keep their
    order."""
    here = Path(__file__).parent

    def rank(item) -> int:
        listed = item.path.parent == here and item.path.name in LONGEST_FIRST
        return LONGEST_FIRST.index(item.path.name) if listed else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within each rank stays pytest's


_config = None


def pytest_configure(config):
    global _config
    _config = config


@pytest.hookimpl(tryfirst=True)  # before the terminal report is written
def pytest_runtest_logreport(report):
    """With several test processes, a failed build is a failed fixture in one of them (pytest.exit there crashes
    pytest-xdist); the controlling process sees the report and stops the whole run with the build's message."""
    dsession = _config.pluginmanager.getplugin("dsession") if _config else None
    if dsession is not None and report.failed and DID_NOT_BUILD in report.longreprtext:
        if not dsession.shouldstop:
            text = report.longreprtext
            dsession.shouldstop = text[text.index(DID_NOT_BUILD):].strip()
        else:  # the tests a process already held fail with the same build: one line each, the message once
            report.longrepr = f"{DID_NOT_BUILD} (the same build; its message is above and at the end)"


@pytest.fixture(scope="session")
def student(builds) -> Path:
    build = builds["student"]
    if build.returncode != 0:
        pytest.fail(f"the student edition did not build:\n{build.log}")
    return build.outdir


@pytest.fixture(scope="session")
def instructor(builds) -> Path:
    build = builds["instructor"]
    if build.returncode != 0:
        pytest.fail(f"the instructor edition did not build:\n{build.log}")
    return build.outdir


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing browser = failure with instructions, never a skip."""
    exe = find_chromium()
    if exe is None:
        pytest.fail(
            "No Chromium found for the browser tests (they never skip). Install it with "
            "`apt-get install chromium` (Debian/Ubuntu; CI does this in .ci/run), or set CHROMIUM=/path/to/chromium."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=exe,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def handouts(student, instructor, browser, tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """The classroom pack (`make handouts`), printed once per run from the test builds: (folder, {pdf: pages})."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import handouts as pack

    pages = once(tmp_path_factory, "handouts", lambda out: pack.build(browser, student, instructor, out, "a4"))
    return shared_folder(tmp_path_factory) / "handouts", pages


def zip_of(site: Path, tmp_path_factory, name: str) -> Path:
    sys.path.insert(0, str(ROOT / "scripts"))
    import zip as zip_script

    return Path(once(tmp_path_factory, name, lambda out: str(zip_script.make_zip(site, out))))


@pytest.fixture(scope="session")
def student_zip(student, tmp_path_factory) -> Path:
    """The student zip (`make zip`), packed once per run from the test build, in a folder of its own."""
    return zip_of(student, tmp_path_factory, "dist")


@pytest.fixture(scope="session")
def student_unzipped(student_zip, tmp_path_factory) -> Path:
    """The student zip unpacked into a fresh folder somewhere else than the build (a space in its path, as on many
    desktops): whose-face-<version>-student/en/. The browser audit of the student edition opens these files."""
    import zipfile

    where = tmp_path_factory.mktemp("unzipped elsewhere")
    with zipfile.ZipFile(student_zip) as zf:
        zf.extractall(where)
    (folder,) = where.iterdir()
    return folder / "en"


@pytest.fixture(scope="session")
def zh_student_zip(zh_builds, tmp_path_factory) -> Path:
    """The Chinese student zip, packed once per run from the Chinese test build."""
    return zip_of(zh_builds["student"].outdir, tmp_path_factory, "dist-zh")


@pytest.fixture(scope="session")
def zh_catalogue_faults(tmp_path_factory) -> dict:
    """Three faults of the Chinese catalogues in one copy of the source, built once strictly and once with DRAFT=1
    (restricted to the two pages they touch, site_tools.pages_only), once per run: six restricted Chinese builds
    (4-5 s each, most of it cutting the font subset) became two. Each fault's test reads its own messages:

    - "quiz" (tests/test_quiz.py): the quiz catalogue's message remark-statement-order marked fuzzy;
    - "law" (tests/test_law.py): law.po's crpl:29 marked fuzzy;
    - "page" (tests/test_zh.py): a sentence of cases/masked-photos/law.md changed in English without `make gettext`
      (stale), and that page's catalogue's "Law then and now" marked fuzzy.

    {"strict": Build, "draft": Build, "lines": {fault: the line its message must be named at}}."""
    from site_tools import copy_source, pages_only, po_line, sphinx_build
    from teaching import law
    from teaching.quiz_source import catalogue_path as quiz_catalogue

    def make(folder: Path) -> dict:
        tree = copy_source(folder / "src")
        lines = {}
        quiz = quiz_catalogue("zh_CN", tree)
        fuzzy = 'msgctxt "remark-statement-order"\nmsgid "The timeline says'
        text = quiz.read_text(encoding="utf-8")
        assert fuzzy in text
        quiz.write_text(text.replace(fuzzy, "#, fuzzy\n" + fuzzy, 1), encoding="utf-8")
        lines["quiz"] = po_line(quiz, "remark-statement-order", "The timeline says")
        law_po = law.catalogue_path("zh_CN", tree)
        text, marked = re.subn(r'\nmsgctxt "crpl:29"\n', '\n#, fuzzy\nmsgctxt "crpl:29"\n',
                               law_po.read_text(encoding="utf-8"))
        assert marked == 1
        law_po.write_text(text, encoding="utf-8")
        lines["law"] = po_line(law_po, "crpl:29")
        page = tree / "cases" / "masked-photos" / "law.md"
        text = page.read_text(encoding="utf-8")
        assert "Keep the two apart." in text
        page.write_text(text.replace("Keep the two apart.", "Keep the two questions apart."), encoding="utf-8")
        lines["page"] = next(n for n, s in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
                             if "two questions" in s)
        po = tree / "locale" / "zh_CN" / "LC_MESSAGES" / "cases" / "masked-photos" / "law.po"
        catalogue = po.read_text(encoding="utf-8")
        assert 'msgid "Law then and now"' in catalogue
        po.write_text(catalogue.replace('msgid "Law then and now"', '#, fuzzy\nmsgid "Law then and now"', 1),
                      encoding="utf-8")
        for mo in tree.rglob("*.mo"):
            mo.unlink()
        only = pages_only("cases/masked-photos/law.md", "exercises/quiz/face-data-remark.md")
        strict = sphinx_build(tree, folder / "strict", "-D", "language=zh_CN", *only)
        draft = sphinx_build(tree, folder / "draft", "-D", "language=zh_CN", *only, env={**os.environ, "DRAFT": "1"})
        return {"strict": [str(strict.outdir), strict.returncode, strict.log, strict.seconds],
                "draft": [str(draft.outdir), draft.returncode, draft.log, draft.seconds], "lines": lines}

    made = once(tmp_path_factory, "zh-catalogue-faults", make)
    return {"strict": Build(Path(made["strict"][0]), *made["strict"][1:]),
            "draft": Build(Path(made["draft"][0]), *made["draft"][1:]), "lines": made["lines"]}
