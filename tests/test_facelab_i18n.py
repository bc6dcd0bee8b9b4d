"""facelab's labels through gettext (issue #30): extracted from the code, checked against the catalogue, named with
file and line when a translation is missing (_ext/i18n/catalogue_check.py, scripts/translations.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = "locale/zh_CN/LC_MESSAGES/facelab.po"


def tree(tmp_path: Path) -> Path:
    """A throw-away copy of what the check reads: facelab/, its catalogue and the checking module."""
    shutil.copytree(ROOT / "facelab", tmp_path / "facelab", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / PO).parent.mkdir(parents=True)
    shutil.copy(ROOT / PO, tmp_path / PO)
    (tmp_path / "_ext").mkdir()
    shutil.copy(ROOT / "_ext" / "i18n" / "catalogue_check.py", tmp_path / "_ext")
    return tmp_path


def check(root: Path) -> subprocess.CompletedProcess:
    code = ("import sys; from pathlib import Path; sys.path[:0] = [sys.argv[1] + '/_ext', sys.argv[1]];"
            "import catalogue_check; print('\\n'.join(catalogue_check.check_facelab('zh_CN', Path(sys.argv[1]))))")
    return subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True)


def test_every_facelab_label_is_translated():
    result = subprocess.run([sys.executable, "scripts/translations.py", "check"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_a_new_diagram_label_is_named_with_file_and_line(tmp_path):
    root = tree(tmp_path)
    case2 = root / "facelab" / "diagrams" / "case2.py"
    text = case2.read_text(encoding="utf-8")
    assert '"Seller B"' in text
    case2.write_text(text.replace('"Seller B"', '"Seller B (renamed on purpose)"', 1), encoding="utf-8")
    line = next(n for n, s in enumerate(case2.read_text(encoding="utf-8").splitlines(), 1) if "renamed on purpose" in s)
    out = check(root)
    assert out.returncode == 0, out.stderr
    assert f"facelab/diagrams/case2.py:{line}: new or changed label 'Seller B (renamed on purpose)'" in out.stdout


def test_a_label_built_at_run_time_is_named(tmp_path):
    """A text the diagrams show that is not one literal in the code cannot be translated: the check says which."""
    root = tree(tmp_path)
    case2 = root / "facelab" / "diagrams" / "case2.py"
    text = case2.read_text(encoding="utf-8")
    case2.write_text(text.replace('"Seller B"', '"Seller " + "B" * 2', 1), encoding="utf-8")
    out = check(root)
    assert out.returncode != 0
    assert "not written as one literal" in out.stderr and "'Seller BB'" in out.stderr


def test_a_fuzzy_label_is_named(tmp_path):
    root = tree(tmp_path)
    po = root / PO
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Meitu"\n', '#, fuzzy\nmsgid "Meitu"\n', 1),
                  encoding="utf-8")
    out = check(root)
    assert "fuzzy label 'Meitu'" in out.stdout and f"translate it in {PO}" in out.stdout
