"""The build-time figures draw (facelab.figures and the plot-directive scripts in facelab/plots/)."""

import runpy
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from facelab import figures  # noqa: E402

PLOTS = sorted((Path(__file__).resolve().parents[1] / "facelab" / "plots").glob("*.py"))


@pytest.mark.parametrize("draw", [figures.landmarks_face, figures.landmarks_accuracy, figures.templates_hamming])
def test_figure_draws(draw):
    fig = draw()
    assert fig.axes
    plt.close(fig)


@pytest.mark.parametrize("script", PLOTS, ids=lambda p: p.name)
def test_plot_scripts_run(script):
    runpy.run_path(str(script), run_name="__main__")
    assert plt.get_fignums()
    plt.close("all")
