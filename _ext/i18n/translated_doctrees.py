"""Translated pages pickle only themselves (issue #18; found by profiling the Chinese build).

Sphinx translates a page by parsing each translated message into a small document of its own and moving the nodes
into the page. Some of those nodes keep a reference to the small document (docutils' ``Node._document``), and that
document's settings hold the build environment, which holds every page's exercise nodes (sphinx-exercise's
registry). Pickling one translated page therefore pickled much of the site: the Chinese index page's doctree was
800 KB (10 KB in English), and loading the doctrees back for writing took 2 of the build's 17 seconds.

One transform, run after every other reading transform, points each node's document at the page it now belongs to.
The HTML is byte-for-byte the same (checked by diffing both Chinese editions before and after).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform


class OwnDocument(SphinxTransform):
    """Every node of the page names the page's own document."""

    default_priority = 999  # after the translation (20) and everything else that runs while reading

    def apply(self, **kwargs) -> None:
        page = self.document
        for node in page.findall():
            if node._document is not None and node._document is not page:
                node._document = page


def setup(app: Sphinx):
    app.add_transform(OwnDocument)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
