"""Placeholder until the facelab data-flow model lands: renders the diagram's name only."""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class DataflowPlaceholder(SphinxDirective):
    required_arguments = 1

    def run(self):
        return [nodes.paragraph(text=f"[diagram {self.arguments[0]} is drawn here]")]


def setup(app):
    app.add_directive("dataflow", DataflowPlaceholder)
    app.add_directive("linddun-worksheet", DataflowPlaceholder)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
