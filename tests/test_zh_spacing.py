"""One spacing rule for the Chinese catalogues (issue #31, scripts/zh_spacing.py): no space between Chinese and Latin
text or digits, nor before or after a citation or a cross-reference.

- Every catalogue under locale/zh_CN/ keeps the rule (the check names file and line of each breach).
- Faults: a space put in on purpose is named with its file and line and the script exits 1; ``--fix`` removes it,
  leaves the rest of the file byte for byte as it was, and a second ``--fix`` changes nothing; code, roles' content,
  URLs, quotations and markup are never touched.
"""

from __future__ import annotations

import subprocess
import sys

from site_tools import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import zh_spacing  # noqa: E402


def test_catalogues_keep_the_spacing_rule():
    problems = [p for po in zh_spacing.catalogues() for p in zh_spacing.check_file(po)]
    assert not problems, (f"{len(problems)} places break the spacing rule (run `python scripts/zh_spacing.py --fix`):\n"
                          + "\n".join(problems[:30]))


def test_fix_removes_only_the_spaces_the_rule_forbids():
    fix = zh_spacing.fix
    assert fix("一节 50 分钟的课，用 Python 和 NumPy 做") == "一节50分钟的课，用Python和NumPy做"
    assert fix("旷视也“否认” {cite:p}`megvii`。见 {doc}`data-flows` 一页") == "旷视也“否认”{cite:p}`megvii`。见{doc}`data-flows`一页"
    assert fix("约 {minutes} 分钟") == "约{minutes}分钟"
    kept = ["运行 `make html` 即可", "见 {status}`reported` 标签", "网址 https://example.org/a 页",
            "报道称“Face++ 开放平台”", "**Face++** 开放平台", "《信息安全技术 个人信息安全规范》", "GB/T 35273",
            "{cite:p}`a-2020 b` {cite:p}`c`", "[链接](https://example.org/x 中) 文"]
    for text in kept:
        assert fix(text) == text, text
    for text in ("一节 50 分钟", "见 {ref}`x` 一节", "约 {n} 分钟"):
        assert fix(fix(text)) == fix(text)


def test_a_space_put_in_is_named_and_fixed(tmp_path):
    """Fault: break the rule in a copy of a catalogue; the check names file and line, --fix mends only that."""
    source = ROOT / "locale" / "zh_CN" / "LC_MESSAGES" / "docs" / "how-to-use.po"
    po = tmp_path / "how-to-use.po"
    original = source.read_text(encoding="utf-8")
    lines = original.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith('msgstr "') and len(line) > 40
                 and "`" not in line and "“" not in line)
    broken_line = lines[index][:-1] + '用 Python 3.11 运行 {cite:p}`some-key` 。"'
    lines[index] = broken_line
    po.write_text("\n".join(lines), encoding="utf-8")

    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "zh_spacing.py"), str(po)],
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    named = [line for line in run.stdout.splitlines() if line.startswith(f"{po.as_posix()}:{index + 1}: ")]
    assert len(named) == 4, run.stdout  # 用 Python, 3.11 运行, 运行 {cite}, {cite} 。

    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "zh_spacing.py"), "--fix", str(po)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    fixed = po.read_text(encoding="utf-8").split("\n")
    assert fixed[index] == lines[index][:-len('用 Python 3.11 运行 {cite:p}`some-key` 。"')] + \
        '用Python 3.11运行{cite:p}`some-key`。"', fixed[index]
    assert fixed[:index] + fixed[index + 1:] == lines[:index] + lines[index + 1:], "--fix changed another line"
    once = po.read_bytes()
    assert zh_spacing.main(["--fix", str(po)]) == 0 and po.read_bytes() == once, "a second --fix changed the file"
