"""Make sphinxcontrib-mermaid diagrams draw from ``file://`` with the network off.

Why this exists (measured, see the foundation issue):

- sphinxcontrib-mermaid 2.1.1 always injects ``<script type="module">`` that imports Mermaid's ES-module build from a
  CDN. Offline, nothing renders, and it also loads that script on search.html and genindex.html.
- A local ES-module copy does not help: browsers refuse module scripts from ``file://`` (CORS, origin ``null``).
- Mermaid's *classic* build, ``dist/mermaid.min.js``, loaded as an ordinary script, does render from ``file://``.

So we keep the plugin's directive and node, and replace only how the script is loaded:

1. remove sphinxcontrib-mermaid's ``html-page-context`` listener (its CDN module script);
2. copy ``mermaid.min.js`` from ``node_modules`` (installed from package-lock.json, never committed) into ``_static``;
3. on pages that contain a diagram, and only there, load it and ``_static/mermaid-init.js``, which runs Mermaid with
   ``securityLevel: "strict"`` and redraws in furo's light or dark scheme;
4. write each diagram's source location (``file:line``) into the HTML, so a diagram that fails to draw is reported
   with the page and line it came from.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.fileutil import copy_asset_file
from sphinxcontrib import mermaid as mermaid_ext

SCRIPT = "vendor/mermaid.min.js"  # where the classic build lands under _static/
INIT = "mermaid-init.js"  # the project's own init script, in _static/


class Mermaid(mermaid_ext.Mermaid):
    """The plugin's directive, plus the source location that error messages need."""

    def run(self, **kwargs):
        result = super().run(**kwargs)
        for node in result:
            for mm in node.findall(mermaid_ext.mermaid):
                mm.source, mm.line = self.state_machine.get_source_and_line(self.lineno)
        return result


def source_location(app: Sphinx, node: nodes.Node) -> str:
    """``path:line`` relative to the source folder, for messages and the data-source attribute."""
    source = node.source or ""
    try:
        source = str(Path(source).resolve().relative_to(Path(app.srcdir).resolve()))
    except ValueError:
        pass
    return f"{source}:{node.line or '?'}"


def visit_mermaid(self, node):
    """Emit ``<pre class="mermaid">`` with the diagram's source location; mermaid-init.js draws it."""
    where = source_location(self.builder.app, node)
    self.body.append(
        f'<div class="mermaid-figure" tabindex="0"><pre class="mermaid" data-source="{self.attval(where)}">'
        f"{self.encode(node['code'])}</pre></div>\n"
    )
    raise nodes.SkipNode


def check_script(app: Sphinx) -> None:
    """Fail early, and say how to fix it, when npm has not installed Mermaid."""
    if app.builder.format != "html":
        return
    path = Path(app.config.offline_mermaid_js)
    if not path.is_file():
        raise ExtensionError(
            f"Mermaid's classic build is missing at {path}. Run `make html` (it runs `npm ci`) "
            "or `npm ci` in the project folder."
        )


def add_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Load Mermaid only on pages that contain a diagram."""
    if doctree is not None and doctree.next_node(mermaid_ext.mermaid) is not None:
        app.add_js_file(SCRIPT)
        app.add_js_file(INIT)


def copy_script(app: Sphinx, exception) -> None:
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / SCRIPT
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_asset_file(str(app.config.offline_mermaid_js), str(target))


def setup(app: Sphinx):
    app.setup_extension("sphinxcontrib.mermaid")
    app.add_config_value("offline_mermaid_js", "node_modules/mermaid/dist/mermaid.min.js", "html", types=(str,))
    # Remove the plugin's CDN module script. It is the only html-page-context listener the plugin registers.
    listeners = app.events.listeners.get("html-page-context", [])
    for listener in list(listeners):
        if listener.handler is mermaid_ext.install_js:
            app.disconnect(listener.id)
    app.add_directive("mermaid", Mermaid, override=True)
    app.add_node(mermaid_ext.mermaid, override=True, html=(visit_mermaid, None))
    app.connect("builder-inited", check_script)
    app.connect("html-page-context", add_scripts)
    app.connect("build-finished", copy_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
