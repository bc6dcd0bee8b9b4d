"""Figures for the lab pages, drawn at build time by matplotlib's plot directive.

Each function draws one figure from the same code the pages' doctests run and
returns the matplotlib Figure. The scripts in ``facelab/plots/`` only call
these functions, so the figures, the numbers on the pages and the tests agree.

Language: each function takes ``lang`` ("en", "zh_CN"); by default the language of ``facelab.set_language`` or
the environment variable ``FACELAB_LANG``, which the module's Chinese build sets (conf.py, ``localise()``), with
``FACELAB_CJK_FONT`` naming an OpenType font with Chinese glyphs (the build's own copy of Source Han Sans CN): this
machine may have none, and matplotlib then draws Chinese as empty boxes. The labels are translated by the catalogue
of :mod:`facelab.i18n` (locale/<lang>/LC_MESSAGES/facelab.po).
"""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")  # build-time drawing, no display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import landmarks, templates  # noqa: E402
from .i18n import N_, get_language, normalise  # noqa: E402
from .i18n import text as _t  # noqa: E402

# Colour-blind-safe pair (Okabe-Ito blue and vermilion) and a neutral grey.
BLUE, VERMILION, GREY = "#0072B2", "#D55E00", "#555555"


def _language(lang: str | None) -> str:
    """The figure's language; for Chinese, also a font with Chinese glyphs (DejaVu Sans first, for Latin text)."""
    lang = normalise(lang) if lang else get_language()
    font = os.environ.get("FACELAB_CJK_FONT", "")
    if lang.startswith("zh") and font:
        from matplotlib import font_manager

        font_manager.fontManager.addfont(font)
        family = font_manager.FontProperties(fname=font).get_name()
        # Named families, not the generic "sans-serif": matplotlib falls back glyph by glyph only along named ones.
        plt.rcParams["font.family"] = ["DejaVu Sans", family, "sans-serif"]
    return lang


def landmarks_face(seed: int = 0, lang: str | None = None):
    """The synthetic face: all 84 points, and the 35 a mask leaves visible."""
    lang = _language(lang)
    face = landmarks.make_population(1, seed=seed)[0]
    upper = np.zeros(landmarks.N_LANDMARKS, bool)
    upper[landmarks.UPPER_FACE] = True
    fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.4), sharey=True)
    for ax, title, hide in (
        (axes[0], N_("All 84 points"), False),
        (axes[1], N_("Upper face only (a mask): 35 points"), True),
    ):
        if not hide:
            ax.scatter(*face[~upper].T, s=14, color=BLUE, marker="o", label=_t("lower face", lang))
        else:
            ax.scatter(*face[~upper].T, s=14, facecolors="none", edgecolors="#BBBBBB", marker="o",
                       label=_t("hidden by the mask", lang))
        ax.scatter(*face[upper].T, s=16, color=VERMILION, marker="s", label=_t("upper face", lang))
        ax.set_title(_t(title, lang), fontsize=10)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.legend(loc="upper center", fontsize=8, frameon=False, bbox_to_anchor=(0.5, -0.02), ncol=2)
    fig.tight_layout()
    return fig


def landmarks_accuracy(noises=(0.03, 0.04, 0.06), seed: int = 0, lang: str | None = None):
    """Rank-1 accuracy against gallery size, full face and upper face, for several noise levels."""
    lang = _language(lang)
    sizes = landmarks.DEFAULT_GALLERY_SIZES
    fig, ax = plt.subplots(figsize=(7.2, 3.6))
    shades = ["#56B4E9", BLUE, "#003A5C"]
    for noise, colour in zip(noises, shades):
        for region, style, marker in (("full", "-", "o"), ("upper", "--", "s")):
            curve = landmarks.accuracy_curve(sizes, noise=noise, region=region, seed=seed)
            name = _t("all 84 points", lang) if region == "full" else _t("upper face (35)", lang)
            label = _t("{region}, noise {noise}", lang).format(region=name, noise=noise)
            ax.plot(sizes, [curve[n] for n in sizes], style, marker=marker, color=colour, label=label)
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(_t("people in the gallery", lang))
    ax.set_ylabel(_t("rank-1 identification accuracy", lang))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def templates_hamming(seed: int = 0, lang: str | None = None):
    """Histograms of normalised Hamming distances in the BioHashing experiment."""
    lang = _language(lang)
    r = templates.template_experiment(seed=seed)
    bins = np.linspace(0, 1, 33)
    fig, axes = plt.subplots(1, 3, figsize=(7.2, 2.9), sharey=True)
    panels = (
        (N_("Within one service"), (r.genuine, N_("same person"), BLUE),
         (r.impostor, N_("different people"), VERMILION)),
        (N_("Across two services"), (r.cross_service, N_("same person, two keys"), VERMILION), None),
        (N_("After revocation"), (r.revoked, N_("leaked code vs new key"), VERMILION), None),
    )
    for ax, (title, first, second) in zip(axes, panels):
        for item, hatch in ((first, None), (second, "//")):
            if item is None:
                continue
            data, label, colour = item
            ax.hist(data, bins=bins, color=colour, alpha=0.75, label=_t(label, lang), hatch=hatch)
        ax.axvline(templates.THRESHOLD, color=GREY, ls=":", lw=1)
        ax.set_title(_t(title, lang), fontsize=10)
        ax.set_xlabel(_t("Hamming distance", lang))
        ax.legend(fontsize=7, frameon=False, loc="upper left")
    axes[0].set_ylabel(_t("comparisons", lang))
    fig.tight_layout()
    return fig
