"""Figures of a run: they draw from results (plots depend on results, never the other way)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.colors
import matplotlib.dates
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

import hedgesim
from hedgesim import InputError, Results
from hedgesim.analysis import outcome_labels
from hedgesim.core import OUTCOME_NAMES, OUTCOMES_BY_SIDE, SIDE_KEYS
from hedgesim.plots import (
    MIN_BAND,
    colour,
    outcomes_figure,
    plot_outcomes,
    replicate_figure,
    trajectories_figure,
    write_run_figures,
)
from tests.paths import BASELINE

matplotlib.use("Agg")
H = 24
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def with_steps() -> Results:
    return hedgesim.run(BASELINE, replicates=30, overrides={"horizon": H}, record="steps")


@pytest.fixture(scope="module")
def summary_only() -> Results:
    return hedgesim.run(BASELINE, replicates=30, overrides={"horizon": H})


def runs_with(counts: dict[tuple[str, str], int]) -> pd.DataFrame:
    rows = [key for key, n in counts.items() for _ in range(n)]
    return pd.DataFrame(
        {
            "outcome": pd.Categorical([o for o, _ in rows], categories=list(OUTCOME_NAMES)),
            "side": pd.Categorical([s for _, s in rows], categories=list(SIDE_KEYS)),
        }
    )


def test_plots_return_figures(with_steps: Results, summary_only: Results) -> None:
    for fig in (outcomes_figure(with_steps), trajectories_figure(with_steps), outcomes_figure(summary_only)):
        assert isinstance(fig, Figure) and fig.axes
        plt.close(fig)
    with pytest.raises(InputError):
        trajectories_figure(summary_only)  # needs steps


def test_run_figures_written_into_a_saved_folder(with_steps: Results, tmp_path: Path) -> None:
    out = with_steps.save(tmp_path / "run", extras=[write_run_figures])
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["outcomes.png", "trajectories.png"]
    assert all((out / "figures" / f).read_bytes().startswith(PNG) for f in ("outcomes.png", "trajectories.png"))


@pytest.mark.parametrize("n", [3, 10, 27, 30, 2000])
def test_outcome_figure_when_one_outcome_takes_all(n: int) -> None:
    """Shares of exactly 0 and 1 are common in small ensembles; the error bars must still draw.
    (Rounding once put the Wilson bound a hair inside the share, giving a negative error bar.)"""
    import matplotlib.pyplot as plt

    fig = plot_outcomes(runs_with({("neutrality_kept", ""): n}))
    assert isinstance(fig, Figure)
    plt.close(fig)


# --------------------------------------------------------------------------- fit for a classroom (issue 10)


@pytest.fixture(scope="module")
def small_groups() -> Results:
    """A run whose outcomes include groups both above and below MIN_BAND replicates."""
    return hedgesim.run(hedgesim.ensemble.base_scenario("flank_buildup"), replicates=60, record="steps")


def test_figures_are_not_kept_by_pyplot(with_steps: Results) -> None:
    """A notebook shows a returned figure once: pyplot must not also hold it and flush it at the cell's end."""
    before = plt.get_fignums()
    figs = [outcomes_figure(with_steps), trajectories_figure(with_steps), replicate_figure(with_steps, 0)]
    assert plt.get_fignums() == before and all(isinstance(f, Figure) for f in figs)


def test_trajectories_have_dates_events_units_and_a_band_legend(small_groups: Results) -> None:
    fig = trajectories_figure(small_groups)
    top, bottom = fig.axes[:2]
    assert "alignment" in top.get_ylabel() and "(index)" in bottom.get_ylabel()
    assert bottom.get_xlabel() == "date (month)"
    assert isinstance(bottom.xaxis.get_major_formatter(), matplotlib.dates.AutoDateFormatter)
    (legend,) = fig.legends
    texts = [t.get_text() for t in legend.get_texts()]
    assert "middle 50% of replicates" in texts and "middle 90% of replicates" in texts and "scripted event" in texts
    assert any(a.get_text().startswith("oil tax manoeuvre") for a in top.texts)


def test_no_bands_for_groups_under_min_band(small_groups: Results) -> None:
    labels = outcome_labels(small_groups.runs, by_side=True)
    counts = labels.value_counts()
    large, small = counts.index[0], counts.index[1]
    assert counts[large] >= MIN_BAND and counts[small] >= MIN_BAND - 1, counts.to_dict()
    # keep every replicate of one outcome and MIN_BAND - 1 of another
    keep = small_groups.runs[(labels == large) | (labels == small)]
    keep = keep[
        (outcome_labels(keep, by_side=True) == large).to_numpy()
        | (keep.groupby(labels).cumcount() < MIN_BAND - 1).to_numpy()
    ]
    res = Results(
        small_groups.scenario, keep, small_groups.steps[small_groups.steps["replicate"].isin(keep["replicate"])]
    )
    fig = trajectories_figure(res)
    bands = {matplotlib.colors.to_hex(c.get_facecolor()[0]) for c in fig.axes[0].collections}
    assert bands == {colour(large)}
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert f"{small} (n={MIN_BAND - 1}, fewer than {MIN_BAND}: median only)" in texts


def test_outcome_colours_come_from_the_registry(with_steps: Results) -> None:
    fig = outcomes_figure(with_steps)
    bars = [matplotlib.colors.to_hex(p.get_facecolor()) for p in fig.axes[0].patches]
    assert bars == [o.colour for o in OUTCOMES_BY_SIDE]
    assert fig.axes[0].get_ylabel() == "share of replicates"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["95% Wilson interval"]


def test_replicate_figure_puts_each_variable_on_its_own_labelled_axis(small_groups: Results) -> None:
    decided = small_groups.runs[small_groups.runs["outcome"] != "neutrality_kept"].iloc[0]
    fig = replicate_figure(small_groups, int(decided["replicate"]))
    labels = [ax.get_ylabel() for ax in fig.axes]
    assert len(labels) == 4 and all("(" in label for label in labels)
    assert "tolerance" in labels[2] and "GDP index" in labels[3]
    with pytest.raises(InputError):
        replicate_figure(small_groups, 10_000)
