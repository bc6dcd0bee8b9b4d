"""A fresh machine with exactly the README's prerequisites can build and test (issue #17).

Every external command that the Makefile, the build's extensions, the scripts or the tests call must be named in the
README's prerequisites, or be part of a POSIX system, or come from the project's own set-up (.venv from
requirements.txt, node_modules from package-lock.json). CI installs Debian packages in .ci/run, which once hid a
missing prerequisite (pdftotext); this test would have caught it.
"""

from __future__ import annotations

import re

from site_tools import ROOT

# Present on any POSIX machine that can run `make`; the README does not need to name them.
POSIX = {"make", "rm", "touch", "echo", "grep", "awk", "mkdir", "cp", "ln", "sh", "bash", "test", "printf", "cd"}
# Other names for a prerequisite that the code also accepts.
ALIASES = {"chromium-browser": "chromium", "google-chrome": "chromium", "python": "python", "python3": "python"}
CALL = re.compile(r"""(?:which|run|Popen|check_output|check_call|call)\(\s*\[?\s*["']([A-Za-z0-9_.+-]+)["']""")


def prerequisites() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^Prerequisites:(.*?)(?:\n\n|\Z)", readme, re.S | re.M)
    assert match, "README.md has no 'Prerequisites:' paragraph"
    return match.group(1).lower()


def commands_in_code(files) -> dict[str, str]:
    found = {}
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for name in CALL.findall(line):
                found.setdefault(name, f"{path.relative_to(ROOT)}:{n}")
    return found


def commands_in_makefile(makefile) -> dict[str, str]:
    found = {}
    for n, line in enumerate(makefile.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("\t"):
            # The command is the first word after any NAME=value settings of its environment.
            words = re.sub(r"^([A-Za-z_]+=\S*\s+)+", "", line.strip().lstrip("@-")).split()
            word = words[0] if words else ""
            if word and not word.startswith("$("):  # $(BIN)/…, $(PYTHON), $(SPHINXBUILD): the venv or the prerequisite
                found.setdefault(word, f"Makefile:{n}")
    return found


def unnamed(found: dict[str, str], named: str) -> list[str]:
    return [f"{where}: calls `{cmd}`, which README.md's prerequisites do not name"
            for cmd, where in sorted(found.items())
            if cmd not in POSIX and ALIASES.get(cmd, cmd) not in named]


def test_every_external_command_is_a_named_prerequisite():
    files = [*ROOT.glob("tests/*.py"), *ROOT.glob("scripts/*.py"), *ROOT.glob("_ext/**/*.py"), ROOT / "conftest.py"]
    files.remove(ROOT / "tests" / "test_setup.py")  # its fault test names a missing tool on purpose
    found = commands_in_code(files) | commands_in_makefile(ROOT / "Makefile")
    assert {"chromium", "java", "npm"} <= set(found) | set(ALIASES), found  # the scan sees the real calls
    problems = unnamed(found, prerequisites())
    assert not problems, "\n".join(problems)


def test_command_check_catches_an_unnamed_tool(tmp_path):
    script = tmp_path / "x.py"
    script.write_text('import subprocess\nsubprocess.run(["pdfmangle", "--layout", "a.pdf"])\n', encoding="utf-8")
    found = {cmd: f"x.py:{n}" for n, line in enumerate(script.read_text(encoding="utf-8").splitlines(), 1)
             for cmd in CALL.findall(line)}
    assert unnamed(found, prerequisites()) == ["x.py:2: calls `pdfmangle`, which README.md's prerequisites do not name"]


def test_requirements_are_pinned_and_include_what_the_tests_import():
    lines = [l.split("#")[0].strip() for l in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    packages = {re.split(r"[=<>\s\\]", l)[0].lower() for l in lines if l and not l.startswith("-")}
    for needed in ("sphinx", "playwright", "pypdfium2", "pytest", "sybil"):
        assert needed in packages, f"{needed} missing from requirements.txt"


def test_requirements_carry_hashes_and_make_requires_them():
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)
    pinned = [e for e in entries if re.match(r"[A-Za-z0-9][^\n]*==", e)]
    assert len(pinned) > 50, "requirements.txt should pin the whole set"
    unhashed = [e.split()[0] for e in pinned if "--hash=sha256:" not in e]
    assert not unhashed, f"pins without a hash: {unhashed}"
    assert "--require-hashes -r requirements.txt" in (ROOT / "Makefile").read_text(encoding="utf-8")
