"""The `dataflow` and `linddun-worksheet` directives (_ext/teaching/dataflow.py), on a tiny throwaway Sphinx project.

Checks what a page gets (Mermaid source from the model, with accTitle/accDescr, then a captioned text table), and
that a bad name fails with the page, the line and the list of known names.
"""

import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from facelab.diagrams import catalogue
from facelab.flows import to_mermaid

ROOT = Path(__file__).resolve().parents[1]

CONF = f"""
import sys
sys.path[:0] = [{str(ROOT / "_ext")!r}, {str(ROOT)!r}]
extensions = ["myst_parser", "sphinxcontrib.mermaid", "teaching.dataflow"]
myst_enable_extensions = ["colon_fence"]
"""

GOOD = """# Good

```{dataflow} remark-cloud-api
```

```{linddun-worksheet} remark-cloud-api
```

```{dataflow} remark-evening
```
"""

BAD = """# Bad

Some text.

```{dataflow} remark-nope
```

```{linddun-worksheet} remark-evening
```
"""


def build(tmp_path: Path, pages: dict[str, str]) -> tuple[subprocess.CompletedProcess, Path]:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    toc = "\n".join(pages)
    (src / "index.md").write_text(f"# Test\n\n```{{toctree}}\n{toc}\n```\n", encoding="utf-8")
    for name, text in pages.items():
        (src / f"{name}.md").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    return proc, out


def test_directives_draw_from_the_model(tmp_path):
    proc, out = build(tmp_path, {"good": GOOD})
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    html = (out / "good.html").read_text(encoding="utf-8")
    assert "accTitle: Public cloud API" in html and "accDescr: " in html
    assert html.count('class="mermaid"') == 2
    assert "<caption>" in html and "Text equivalent of the diagram: Public cloud API" in html
    assert "LINDDUN-style worksheet for: Public cloud API" in html
    assert "Unawareness" in html
    assert "sequenceDiagram" in html
    # The page's Mermaid is exactly the model's.
    drawn = [pre.get_text().strip() for pre in BeautifulSoup(html, "lxml").select("pre.mermaid")]
    assert drawn[0] == to_mermaid(catalogue["remark-cloud-api"]).strip()


def test_unknown_name_warns_with_file_line_and_known_names(tmp_path):
    proc, _ = build(tmp_path, {"bad": BAD})
    err = proc.stderr
    assert "bad.md:5" in err, err
    assert "unknown diagram 'remark-nope'" in err
    assert "remark-cloud-api" in err and "masks-supply-chain" in err
    assert "bad.md:8" in err and "not a data-flow diagram" in err
