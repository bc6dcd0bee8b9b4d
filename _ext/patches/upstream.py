"""Patches of upstream packages know the versions they were written against (issue #30).

myst_speedup, bibtex_speedup and lazy_matplotlib replace internals of MyST-Parser, pybtex/sphinxcontrib-bibtex,
matplotlib and sphinxext-opengraph. Each names the versions it was read against and asks ``fits()`` at start-up;
when an installed version differs, the patch stays off and says so in one line (a note, not a failure: the build
is then as fast as upstream makes it, and as correct). To take a new version: read the upstream code the patch
replaces, diff two builds (the output must be byte for byte the same), then add the version to the patch's list.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from sphinx.util import logging

logger = logging.getLogger(__name__)


def installed(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def fits(patch: str, written_for: dict[str, tuple[str, ...]]) -> bool:
    """True if every package of ``written_for`` (name -> versions the patch was checked against) is installed at one
    of those versions; otherwise one notice naming the patch, the package and both versions, and False."""
    for package, versions in written_for.items():
        found = installed(package)
        if found not in versions:
            logger.info("%s: off, %s is %s, not %s as it was written for (see _ext/patches/%s.py)",
                        patch, package, found or "not installed", " or ".join(versions), patch)
            return False
    return True
