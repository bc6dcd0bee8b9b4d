"""The labs a student runs: notebooks and scripts made from the lab pages (_ext/teaching/labs.py), in the zip with the wheel.

- Every script, run with facelab, prints the outputs its page shows (doctest's comparison, the pages' flags).
- The student zip, unzipped into an empty folder, installs into a venv made with Python only from
  labs/requirements.txt and the wheel (the venv is kept between runs, keyed on what decides it: see labs_venv);
  every script exits 0 with its page's outputs, and every notebook executes (nbclient) with each cell's output
  equal to its page's.
- No instructor paragraph reaches labs/ in the zip, nor the files inside the wheel.
"""

from __future__ import annotations

import doctest
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from site_tools import ROOT

sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "scripts"))
from teaching import labs  # noqa: E402
import zip as zip_script  # noqa: E402  (scripts/zip.py)
from test_editions import instructor_paragraphs, probes  # noqa: E402

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
CHECKER = doctest.OutputChecker()


def page_output(page: Path) -> str:
    return "".join(labs.expected_output(ex) for ex in labs.examples(page.read_text(encoding="utf-8")))


def same(want: str, got: str) -> bool:
    return CHECKER.check_output(want, got, FLAGS)


def test_every_lab_page_with_examples_is_a_lab():
    assert [p.stem for p in labs.lab_pages()] == ["dataflow-model", "gatelog", "landmarks", "templates"]


def test_site_offers_each_lab_as_notebook_and_script(student):
    for page in labs.lab_pages():
        html = (student / "docs" / "lab" / f"{page.stem}.html").read_text(encoding="utf-8")
        for suffix in (".ipynb", ".py"):
            assert f'href="../../labs/{page.stem}{suffix}"' in html
            assert (student / "labs" / f"{page.stem}{suffix}").is_file()


@pytest.mark.parametrize("page", labs.lab_pages(), ids=lambda p: p.stem)
def test_script_prints_its_page_outputs(page, tmp_path):
    script = tmp_path / f"{page.stem}.py"
    script.write_text(labs.make_script(page), encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path,
                         env={"PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    assert same(page_output(page), run.stdout), f"{page.name}: script output differs from the page:\n{run.stdout}"


def test_zip_labs_hold_no_instructor_material(student_zip, instructor):
    texts = {}
    with zipfile.ZipFile(student_zip) as zf:
        for name in zf.namelist():
            if "/labs/" not in name:
                continue
            data = zf.read(name)
            if name.endswith(".whl"):
                import io

                with zipfile.ZipFile(io.BytesIO(data)) as wheel:
                    for inner in wheel.namelist():
                        texts[f"{name}!{inner}"] = " ".join(wheel.read(inner).decode("utf-8", "replace").split())
            else:
                text = data.decode("utf-8")
                texts[name] = " ".join(text.split())
                if name.endswith(".ipynb"):
                    cells = json.loads(text)["cells"]
                    texts[name + " (cells)"] = " ".join(" ".join("".join(c["source"]) for c in cells).split())
    assert any(n.endswith(".whl!facelab/landmarks.py") for n in texts)
    leaks = [(n, probe[:60]) for paragraph in instructor_paragraphs(instructor) for probe in probes(paragraph)
             for n, t in texts.items() if probe in t]
    assert not leaks, f"instructor material in the zip's labs: {leaks}"


# Where the labs' venvs are kept between runs (#15 allows it: the install is half of this test's time).
VENV_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "whose-face" / "labs-venv"


def labs_venv(folder: Path) -> Path:
    """A venv made with Python only, holding labs/requirements.txt (the wheel and its dependencies) and nbclient,
    the test's notebook runner (not a student need); returns its python.

    The venv is made once per content of what decides it, and kept in VENV_CACHE: the Python version,
    requirements.txt (wheel line aside) and the wheel's declared dependencies (its METADATA). Any change to these
    makes a new venv with a full `pip install -r requirements.txt`, as a student would run it. The wheel itself is
    installed afresh from the zip into the venv on every run, and `pip check` then checks what the venv holds.
    Delete the folder to force a fresh install."""
    wheel = next(folder.glob(zip_script.WHEEL))
    with zipfile.ZipFile(wheel) as zf:
        metadata = zf.read(next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    requires = sorted(line for line in metadata.splitlines() if line.startswith(("Requires-Dist:", "Requires-Python:")))
    others = [line for line in (folder / "requirements.txt").read_text(encoding="utf-8").splitlines()
              if line != f"./{wheel.name}"]
    key = hashlib.sha256(json.dumps([sys.version, others, requires]).encode()).hexdigest()[:16]
    env_dir = VENV_CACHE / key
    pip = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if not (env_dir / "bin" / "python").exists():
        part = env_dir.with_name(f"{key}.{os.getpid()}.part")  # made aside, then moved in whole
        shutil.rmtree(part, ignore_errors=True)
        venv.EnvBuilder(with_pip=True).create(part)
        subprocess.run([str(part / "bin" / "python"), *pip, "-r", "requirements.txt", "nbclient"], cwd=folder,
                       check=True)
        part.rename(env_dir)  # `python -m` finds the venv from its own path, so the move does not break it
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), *pip, "--force-reinstall", "--no-deps", f"./{wheel.name}"], cwd=folder, check=True)
    subprocess.run([str(python), "-m", "pip", "check"], check=True, capture_output=True)
    return python


def readme_commands(readme: str, heading: str) -> list[str]:
    """The commands under ``heading`` (e.g. "Linux:") in the labs' README.txt, up to the next blank line."""
    lines = readme.splitlines()
    start = lines.index(heading) + 1
    block = []
    for line in lines[start:]:
        if not line.strip():
            break
        block.append(line.strip())
    return block


def test_readme_gives_each_system_the_venv_s_own_python_for_every_step():
    """README.txt: the same steps for Linux, macOS and Windows, each after the first with the venv's own Python
    (no bare `python`, nothing to activate), the notebook step included."""
    readme = zip_script.LABS_README
    blocks = {system: readme_commands(readme, f"{system}:")
              for system in ("Linux", "macOS (Terminal)", "Windows (PowerShell or Command Prompt)")}
    linux, mac, windows = blocks.values()
    assert linux == mac and len(linux) == len(windows) == 3, blocks
    assert all(c.startswith(".venv/bin/python ") for c in linux[1:]), linux
    assert all(c.startswith(".venv\\Scripts\\python ") for c in windows[1:]), windows
    notebook = readme[readme.index("Notebooks"):]
    assert ".venv/bin/python -m pip install notebook" in notebook and ".venv\\Scripts\\python -m pip install notebook" in notebook
    assert "(python -m pip" not in readme and " python -m jupyter" not in readme


def test_the_chinese_zip_s_labs_readme_is_chinese_with_the_same_commands():
    """The labs' README.txt in each edition's language: its prose from whose-face.po, its command lines untouched."""
    english, chinese = zip_script.labs_readme("en"), zip_script.labs_readme("zh_CN")
    assert english == zip_script.LABS_README
    commands = lambda text: [line for line in text.splitlines() if line.startswith(" ")]  # noqa: E731
    assert commands(chinese) == commands(english) and len(commands(english)) >= 12
    assert "Run the labs" not in chinese and "运行" in chinese, chinese


def test_zip_labs_run_in_a_fresh_venv(student_zip, tmp_path_factory):
    where = tmp_path_factory.mktemp("empty folder")
    with zipfile.ZipFile(student_zip) as zf:
        zf.extractall(where)
    folder = where / student_zip.stem / "en" / "labs"  # whose-face-<version>-student/en/ (scripts/zip.py)
    python = labs_venv(folder)
    env_dir = python.parents[1]
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": str(where)}
    # The README's Linux commands, run as written in the labs folder. The one stand-in: its first command
    # (`python3 -m venv .venv`) is the venv labs_venv made with the same venv module and kept, linked in as .venv.
    commands = readme_commands((folder / zip_script.README_TXT).read_text(encoding="utf-8"), "Linux:")
    assert commands[0] == "python3 -m venv .venv", commands
    (folder / ".venv").symlink_to(env_dir, target_is_directory=True)
    stems = [page.stem for page in labs.lab_pages()]
    for command in commands[1:]:
        # "The other labs run the same way": the command that runs a lab, once per lab.
        lab = re.search(r"(\S+)\.py$", command)
        runs = ([command[: lab.start(1)] + f"{stem}.py" for stem in stems]
                if lab and lab.group(1) in stems else [command])
        for line in runs:
            run = subprocess.run(line, shell=True, cwd=folder, capture_output=True, text=True, env=env)
            assert run.returncode == 0, f"README.txt's {line!r}: {run.stderr[-2000:]}"
            page = next((p for p in labs.lab_pages() if line.endswith(f" {p.stem}.py")), None)
            if page is not None:
                assert same(page_output(page), run.stdout), f"{page.stem}.py output differs:\n{run.stdout}"
    runner = (
        "import json, sys, nbformat\nfrom nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\nNotebookClient(nb, kernel_name='python3', timeout=120).execute()\n"
        "out = []\nfor c in nb.cells:\n    if c.cell_type != 'code':\n        continue\n    text = ''\n"
        "    for o in c.outputs:\n        if o.output_type == 'stream':\n            text += o.text\n"
        "        elif o.output_type == 'execute_result':\n            text += o.data.get('text/plain', '') + '\\n'\n"
        "        elif o.output_type == 'error':\n            text += f'{o.ename}: {o.evalue}\\n'\n"
        "    out.append(text)\nprint(json.dumps(out))\n"
    )
    # The notebooks run side by side: most of a kernel's start is waiting, not computing (measured: 14 s one after
    # another, 8 s of it CPU).
    running = {page: subprocess.Popen([str(python), "-c", runner, f"{page.stem}.ipynb"], cwd=folder, text=True,
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for page in labs.lab_pages()}
    for page, proc in running.items():
        stdout, stderr = proc.communicate()
        assert proc.returncode == 0, f"{page.stem}.ipynb: {stderr[-2000:]}"
        outputs = json.loads(stdout)
        steps = labs.steps(page.read_text(encoding="utf-8"))
        assert len(outputs) == len(steps)
        for (_, step), got in zip(steps, outputs):
            want = "".join(labs.expected_output(ex) for ex in step)
            assert same(want, got), f"{page.stem}.ipynb: cell {step[-1].source!r} gave {got!r}, page shows {want!r}"
