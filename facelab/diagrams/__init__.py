"""The diagram catalogue: every diagram of every case, by name.

>>> from facelab.diagrams import catalogue
>>> catalogue["remark-cloud-api"].title
'Public cloud API: the client sends face images to the vendor'

To add a diagram, define it in the case's module (``case1.py``, ``case2.py``)
and list it in that module's ``DIAGRAMS`` tuple; a page then draws it with
```` ```{dataflow} its-name ```` .
"""

from __future__ import annotations

from pathlib import Path

from ..flows import Diagram
from . import case1, case2

__all__ = ["catalogue", "get", "names", "source_files"]


def _build() -> dict[str, Diagram]:
    out: dict[str, Diagram] = {}
    for module in (case1, case2):
        for diagram in module.DIAGRAMS:
            if diagram.name in out:
                raise ValueError(f"two diagrams are named {diagram.name!r}")
            out[diagram.name] = diagram
    return out


#: Every diagram, keyed by name.
catalogue: dict[str, Diagram] = _build()


def names() -> list[str]:
    """The names of all diagrams, sorted."""
    return sorted(catalogue)


def get(name: str) -> Diagram:
    """Return the diagram called ``name``; a ``KeyError`` lists the known names."""
    try:
        return catalogue[name]
    except KeyError:
        raise KeyError(
            f"unknown diagram {name!r}; known diagrams: {', '.join(names())}"
        ) from None


def source_files() -> list[Path]:
    """The files that define the diagrams (for rebuild dependencies)."""
    here = Path(__file__).resolve().parent
    catalogues = sorted((here.parents[1] / "locale").glob("*/LC_MESSAGES/facelab.po"))  # the labels in other languages
    return [here.parent / "flows.py", here.parent / "i18n.py", *catalogues, here / "__init__.py", here / "case1.py",
            here / "case2.py"]
