"""The labs a student runs: notebooks and scripts made from the lab pages (_ext/labs.py), in the zip with the wheel.

- Every script, run with facelab, prints the outputs its page shows (doctest's comparison, the pages' flags).
- The student zip, unzipped into an empty folder, installs into a fresh venv (Python only) from labs/requirements.txt
  and the wheel; every script exits 0 with its page's outputs, and every notebook executes (nbclient) with each
  cell's output equal to its page's.
- No instructor paragraph reaches labs/ in the zip, nor the files inside the wheel.
"""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from site_tools import ROOT

sys.path.insert(0, str(ROOT / "_ext"))
import labs  # noqa: E402
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


def test_zip_labs_run_in_a_fresh_venv(student_zip, tmp_path_factory):
    where = tmp_path_factory.mktemp("empty folder")
    with zipfile.ZipFile(student_zip) as zf:
        zf.extractall(where)
    folder = where / student_zip.stem / "en" / "labs"  # whose-face-<version>-student/en/ (scripts/zip.py)
    env_dir = folder / ".venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # --no-compile: pip skips writing .pyc files for the ~40 packages (Python writes those it needs on import).
    # The install is otherwise the students' own; it saves 4 of 15 s (measured 2026-12-04).
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile"]
    # One install: the labs' requirements, and nbclient, the test's notebook runner (not a student need).
    subprocess.run([*pip, "-r", "requirements.txt", "nbclient"], cwd=folder, check=True)
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": str(where)}
    for page in labs.lab_pages():
        run = subprocess.run([str(python), f"{page.stem}.py"], cwd=folder, capture_output=True, text=True, env=env)
        assert run.returncode == 0, f"{page.stem}.py: {run.stderr}"
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
