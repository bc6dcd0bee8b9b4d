"""Figures for the lab pages, drawn at build time by matplotlib's plot directive.

Each function draws one figure from the same code the pages' doctests run and
returns the matplotlib Figure. The scripts in ``facelab/plots/`` only call
these functions, so the figures, the numbers on the pages and the tests agree.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # build-time drawing, no display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import landmarks, templates  # noqa: E402

# Colour-blind-safe pair (Okabe-Ito blue and vermilion) and a neutral grey.
BLUE, VERMILION, GREY = "#0072B2", "#D55E00", "#555555"


def landmarks_face(seed: int = 0):
    """The synthetic face: all 84 points, and the 35 a mask leaves visible."""
    face = landmarks.make_population(1, seed=seed)[0]
    upper = np.zeros(landmarks.N_LANDMARKS, bool)
    upper[landmarks.UPPER_FACE] = True
    fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.4), sharey=True)
    for ax, title, hide in (
        (axes[0], "All 84 points", False),
        (axes[1], "Upper face only (a mask): 35 points", True),
    ):
        if not hide:
            ax.scatter(*face[~upper].T, s=14, color=BLUE, marker="o", label="lower face")
        else:
            ax.scatter(*face[~upper].T, s=14, facecolors="none", edgecolors="#BBBBBB", marker="o",
                       label="hidden by the mask")
        ax.scatter(*face[upper].T, s=16, color=VERMILION, marker="s", label="upper face")
        ax.set_title(title, fontsize=10)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.legend(loc="upper center", fontsize=8, frameon=False, bbox_to_anchor=(0.5, -0.02), ncol=2)
    fig.tight_layout()
    return fig


def landmarks_accuracy(noises=(0.03, 0.04, 0.06), seed: int = 0):
    """Rank-1 accuracy against gallery size, full face and upper face, for several noise levels."""
    sizes = landmarks.DEFAULT_GALLERY_SIZES
    fig, ax = plt.subplots(figsize=(7.2, 3.6))
    shades = ["#56B4E9", BLUE, "#003A5C"]
    for noise, colour in zip(noises, shades):
        for region, style, marker in (("full", "-", "o"), ("upper", "--", "s")):
            curve = landmarks.accuracy_curve(sizes, noise=noise, region=region, seed=seed)
            label = f"{'all 84 points' if region == 'full' else 'upper face (35)'}, noise {noise}"
            ax.plot(sizes, [curve[n] for n in sizes], style, marker=marker, color=colour, label=label)
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("people in the gallery")
    ax.set_ylabel("rank-1 identification accuracy")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def templates_hamming(seed: int = 0):
    """Histograms of normalised Hamming distances in the BioHashing experiment."""
    r = templates.template_experiment(seed=seed)
    bins = np.linspace(0, 1, 33)
    fig, axes = plt.subplots(1, 3, figsize=(7.2, 2.9), sharey=True)
    panels = (
        ("Within one service", (r.genuine, "same person", BLUE), (r.impostor, "different people", VERMILION)),
        ("Across two services", (r.cross_service, "same person, two keys", VERMILION), None),
        ("After revocation", (r.revoked, "leaked code vs new key", VERMILION), None),
    )
    for ax, (title, first, second) in zip(axes, panels):
        for item, hatch in ((first, None), (second, "//")):
            if item is None:
                continue
            data, label, colour = item
            ax.hist(data, bins=bins, color=colour, alpha=0.75, label=label, hatch=hatch)
        ax.axvline(templates.THRESHOLD, color=GREY, ls=":", lw=1)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("Hamming distance")
        ax.legend(fontsize=7, frameon=False, loc="upper left")
    axes[0].set_ylabel("comparisons")
    fig.tight_layout()
    return fig
