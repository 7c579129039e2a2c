"""Figures of the analyses: honest bands along a parameter, flagged sensitivity, comparisons, survival, discovery."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import hedgesim
from hedgesim import InputError
from hedgesim.analysis import binned_shares, flag_sensitivity
from hedgesim.plots import plot_parameter, plot_sensitivity, plot_survival, redraw_run_figures
from tests.paths import BASELINE

matplotlib.use("Agg")


def sampled_summary(seed: int = 1, points: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x, z = rng.uniform(size=points), rng.uniform(size=points)
    p = 1 / (1 + np.exp(-(4 * (x - 0.5) + 7.5 * (z - 0.5))))
    k = rng.binomial(100, p)
    out = pd.DataFrame({"x": x, "n": 100, "escalation_n": k})
    for key in ("neutrality_kept", "bandwagoning_patron", "bandwagoning_bloc"):
        out[f"{key}_n"] = 0
    out["neutrality_kept_n"] = 100 - k
    return out


def test_parameter_figure_draws_the_between_point_band() -> None:
    """The band drawn for each outcome is the one binned_shares computes (not the pooled Wilson interval)."""
    summary = sampled_summary()
    fig = plot_parameter(summary, "x", outcomes=["escalation"], sampled=True)
    band = binned_shares(summary, "x", "escalation")
    poly = fig.axes[0].collections[0]
    ys = poly.get_paths()[0].vertices[:, 1]
    assert ys.max() == pytest.approx(band["hi"].max()) and ys.min() == pytest.approx(band["lo"].min())
    assert (band["hi"] - band["lo"] > band["pooled_hi"] - band["pooled_lo"]).mean() > 0.5
    assert "band over points" in fig.axes[0].get_title()
    plt.close(fig)
    grid = plot_parameter(summary.assign(x=np.round(summary["x"], 1)), "x", outcomes=["escalation"], sampled=False)
    assert "Wilson intervals of the pooled runs" in grid.axes[0].get_title()
    plt.close(grid)


def test_flagged_sensitivity_chart_marks_what_not_to_read() -> None:
    summary = pd.DataFrame({"n": [200] * 4, "escalation_n": [0, 100, 150, 20], "bandwagoning_bloc_n": 0})
    table = pd.DataFrame(
        [
            ("escalation", "a", 0.5, 0.05, 0.6, 0.05),
            ("escalation", "b", 0.3, 0.05, 1.1, 0.05),
            ("bandwagoning_bloc", "a", 0.0, 0.0, 0.0, 0.0),
            ("bandwagoning_bloc", "b", 0.0, 0.0, 0.0, 0.0),
        ],
        columns=["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"],
    )
    fig = plot_sensitivity(flag_sensitivity(table, summary), "sobol")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "escalation" and "flagged: rare outcome" in titles[1]
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "S1: flagged, do not read" in labels and "S1 (first order)" in labels
    plt.close(fig)


def test_survival_figure_and_run_redraw(tmp_path: Path) -> None:
    res = hedgesim.run(BASELINE, replicates=40, overrides={"horizon": 24}, record="steps")
    fig = plot_survival({"a": res.runs, "b": res.runs.iloc[:10]})
    left, right = fig.axes
    assert left.get_lines()[0].get_xdata()[-1] == 24 == left.get_lines()[1].get_xdata()[-1]  # a common horizon
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["bandwagoning", "escalation"]
    plt.close(fig)
    with pytest.raises(InputError, match="never saved"):
        redraw_run_figures(res)
    folder = res.save(tmp_path / "run")
    paths = redraw_run_figures(res, ["Belarus.autonomy"])
    assert [p.name for p in paths] == ["outcomes.png", "survival.png", "trajectories.png"]
    assert [p.name for p in redraw_run_figures(hedgesim.Results.load(folder))][-1] == "trajectories-2.png"
    with pytest.raises(InputError, match="no variable 'nope'"):
        redraw_run_figures(res, ["nope"])
