"""Draw every diagram from the facelab data-flow model, with its text equivalent.

Two directives, both taking the name of a diagram in ``facelab.diagrams.catalogue``:

``dataflow``
    A Mermaid diagram (a ``sphinxcontrib.mermaid`` node; ``offline_mermaid`` draws it at build time) whose source carries
    ``accTitle`` and ``accDescr``, followed by a table captioned as the diagram's text equivalent.

``linddun-worksheet``
    The LINDDUN-style privacy-threat worksheet of a data-flow diagram: one row per actor, process, store and flow,
    with the threat categories to consider.

In a translated edition (``-D language=zh_CN``) the diagram, its title and description and both tables use the
model's labels in that language (facelab/i18n.py: locale/<lang>/LC_MESSAGES/facelab.po; a missing one is named by
_ext/i18n/catalogue_check.py with its file and line in facelab/).

Pages never hold a diagram's Mermaid source, so a diagram cannot drift from the model. An unknown name is a
warning (an error under ``-W``) at the directive's file and line, listing the known names. Every page that draws
a diagram depends on the model's files, so editing the model rebuilds those pages.
"""

from __future__ import annotations

import importlib

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinxcontrib.mermaid import mermaid

logger = logging.getLogger(__name__)


def _model():
    """Import the model and catalogue (facelab is importable from the source root, see conf.py)."""
    flows = importlib.import_module("facelab.flows")
    diagrams = importlib.import_module("facelab.diagrams")
    return flows, diagrams


def build_table(table_data, classes: list[str]) -> nodes.table:
    """A docutils table from a ``facelab.flows.Table`` (caption, header, rows)."""
    table = nodes.table(classes=classes)
    table += nodes.title(text=table_data.caption)
    ncols = len(table_data.header)
    tgroup = nodes.tgroup(cols=ncols)
    table += tgroup
    for _ in range(ncols):
        tgroup += nodes.colspec(colwidth=1)

    def row(cells, labels=None) -> nodes.row:
        r = nodes.row()
        for i, cell in enumerate(cells):
            entry = nodes.entry()
            para = nodes.paragraph(text=cell)
            if labels:  # the column's name, shown only where the rows stack as cards (a phone: whose-face.css)
                para.insert(0, nodes.inline(text=f"{labels[i]}: ", classes=["cell-label"]))
            entry += para
            r += entry
        return r

    thead = nodes.thead()
    thead += row(table_data.header)
    tgroup += thead
    tbody = nodes.tbody()
    for cells in table_data.rows:
        tbody += row(cells, table_data.header)
    tgroup += tbody
    return table


class _DiagramDirective(SphinxDirective):
    required_arguments = 1
    optional_arguments = 0
    has_content = False

    def lookup(self):
        """Return the diagram, or None after warning at the directive's location."""
        flows, diagrams = _model()
        for path in diagrams.source_files():
            self.env.note_dependency(str(path))
        name = self.arguments[0]
        diagram = diagrams.catalogue.get(name)
        if diagram is None:
            logger.warning(
                "unknown diagram %r in %s; known diagrams: %s",
                name,
                self.name,
                ", ".join(diagrams.names()),
                location=self.get_location(),
                type="dataflow",
                subtype="unknown",
            )
        return diagram


class Dataflow(_DiagramDirective):
    """``{dataflow} NAME``: the Mermaid diagram and its text-equivalent table."""

    def run(self):
        diagram = self.lookup()
        if diagram is None:
            return []
        flows, _ = _model()
        node = mermaid()
        lang = self.env.config.language  # a translated edition draws the model's translated labels
        node["code"] = flows.to_mermaid(diagram, lang)
        node["options"] = {}
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        container = nodes.container(classes=["dataflow", f"dataflow-{diagram.name}"])
        container += node
        container += build_table(flows.to_table(diagram, lang), ["dataflow-table"])
        self.set_source_info(container)
        return [container]


class LinddunWorksheet(_DiagramDirective):
    """``{linddun-worksheet} NAME``: the privacy-threat worksheet of a data-flow diagram."""

    def run(self):
        diagram = self.lookup()
        if diagram is None:
            return []
        flows, diagrams = _model()
        if not isinstance(diagram, flows.DataFlowDiagram):
            dataflow_names = [n for n in diagrams.names() if isinstance(diagrams.catalogue[n], flows.DataFlowDiagram)]
            logger.warning(
                "diagram %r is a %s, not a data-flow diagram, so it has no LINDDUN worksheet; "
                "data-flow diagrams: %s",
                diagram.name,
                diagram.kind,
                ", ".join(dataflow_names),
                location=self.get_location(),
                type="dataflow",
                subtype="kind",
            )
            return []
        lang = self.env.config.language
        table = build_table(flows.to_linddun_rows(diagram, lang), ["linddun-worksheet"])
        self.set_source_info(table)
        return [table]


def setup(app):
    app.setup_extension("sphinxcontrib.mermaid")
    app.add_directive("dataflow", Dataflow)
    app.add_directive("linddun-worksheet", LinddunWorksheet)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
