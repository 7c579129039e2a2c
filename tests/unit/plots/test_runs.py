"""Figures of a run: they draw from results (plots depend on results, never the other way)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

import hedgesim
from hedgesim import InputError, Results
from hedgesim.core import OUTCOME_NAMES, SIDE_KEYS
from hedgesim.plots import outcomes_figure, plot_outcomes, trajectories_figure, write_run_figures
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
