"""Run every demo the site shows, end to end: `make bench` times this (budget: 10 s on two cores).

Each call below is one that a page shows or a figure draws, with the same arguments.
"""

from __future__ import annotations

import matplotlib

from facelab import diagrams, figures, flows, gatelog, landmarks, templates


def run_all() -> None:
    matplotlib.use("Agg")  # figures are drawn off screen, as the plot directive does
    import matplotlib.pyplot as plt

    for noise in (0.03, 0.04, 0.06):
        landmarks.accuracy_table(noise=noise)
    templates.template_experiment().summary()
    gatelog.unicity_table()
    for name in diagrams.names():
        diagram = diagrams.get(name)
        flows.to_mermaid(diagram)
        flows.to_table(diagram)
    for draw in (figures.landmarks_face, figures.landmarks_accuracy, figures.templates_hamming):
        draw()
        plt.close("all")


if __name__ == "__main__":
    import time

    start = time.perf_counter()
    run_all()
    print(f"all facelab demos: {time.perf_counter() - start:.1f} s")
