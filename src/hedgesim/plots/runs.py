"""Figures of one run: outcome shares with intervals, and trajectories by outcome."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..analysis import outcome_labels, outcome_shares
from ..ensemble import Results
from ..errors import InputError
from .style import DPI, colour, save_figure
from .survival import plot_survival


def plot_outcomes(runs: pd.DataFrame, title: str = "", by_side: bool = True) -> Figure:
    """Bar chart of outcome shares with 95% Wilson intervals."""
    shares = outcome_shares(runs, by_side=by_side)
    fig, ax = plt.subplots(figsize=(7, 3.8), layout="constrained")
    x = np.arange(len(shares))
    colours = [colour(str(i)) for i in shares.index]
    ax.bar(x, shares["share"], color=colours)
    err = np.clip(np.vstack([shares["share"] - shares["lo"], shares["hi"] - shares["share"]]), 0, None)
    ax.errorbar(x, shares["share"], yerr=err, fmt="none", ecolor="black", capsize=4, lw=1)
    for xi, s in zip(x, shares["share"], strict=True):
        ax.text(xi, min(s + 0.04, 0.97), f"{s:.1%}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, [str(i).replace(" (", "\n(") for i in shares.index])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share of replicates")
    ax.set_title(title or f"Outcomes of {len(runs):,} replicates (95% Wilson intervals)")
    return fig


def plot_trajectories(
    steps: pd.DataFrame,
    runs: pd.DataFrame,
    variables: dict[str, str],
    title: str = "",
    step_months: int = 1,
) -> Figure:
    """Median and 50%/90% bands of each variable over time, one colour per outcome.

    ``variables`` maps column names in ``steps`` to axis labels.
    """
    labels = outcome_labels(runs, by_side=True).set_axis(runs["replicate"].to_numpy())
    groups = labels.reindex(steps["replicate"].to_numpy()).to_numpy()
    fig, axes = plt.subplots(len(variables), 1, figsize=(8, 2.8 * len(variables)), sharex=True, layout="constrained")
    axes = np.atleast_1d(axes)
    for ax, (col, label) in zip(axes, variables.items(), strict=True):
        for outcome in pd.unique(groups):
            sub = steps.loc[groups == outcome, ["step", col]]
            q = sub.groupby("step")[col].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
            t = q.index.to_numpy() * step_months / 12
            line_colour = colour(str(outcome))
            n = int((labels == outcome).sum())
            ax.fill_between(t, q[0.05], q[0.95], color=line_colour, alpha=0.12, lw=0)
            ax.fill_between(t, q[0.25], q[0.75], color=line_colour, alpha=0.3, lw=0)
            ax.plot(t, q[0.5], color=line_colour, lw=1.8, label=f"{outcome} (n={n:,})")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8, loc="best")
    axes[-1].set_xlabel("years from start")
    axes[0].set_title(title or "Median, 50% and 90% bands by outcome")
    return fig


def outcomes_figure(res: Results) -> Figure:
    """The outcome shares of a run, titled with its scenario."""
    return plot_outcomes(res.runs, title=f"{res.scenario.name}: outcomes of {len(res.runs):,} replicates")


def trajectories_figure(res: Results, variables: Sequence[str] | None = None) -> Figure:
    """Variables over time by outcome: by default the hedger's alignment and tension.

    ``variables`` are columns of the steps table (``Belarus.autonomy``, ``tension``...).

    Raises:
        InputError: the run did not record its steps, or a variable is not in them.
    """
    if res.record != "steps":
        raise InputError("trajectories need the steps: run with record='steps' (--record steps)", field="record")
    if variables:
        known = [c for c in res.steps.columns if c not in ("step", "replicate")]
        bad = [v for v in variables if v not in known]
        if bad:
            raise InputError(f"no variable {bad[0]!r} in the steps (known: {', '.join(known)})", field="--vars")
        cols = {v: v for v in dict.fromkeys(variables)}
    else:
        cols = {f"{res.hedger}.alignment": f"{res.hedger} alignment\n(-1 patron, +1 bloc)", "tension": "tension"}
    return plot_trajectories(
        res.read_steps(list(cols)),  # only these columns: a large run's steps need not fit in memory
        res.runs,
        cols,
        title=f"{res.scenario.name}: trajectories by outcome",
        step_months=res.scenario.step_months,
    )


def write_run_figures(res: Results, folder: Path) -> list[Path]:
    """Draw a run's figures into ``folder/figures/`` (a writer for :meth:`Results.save`'s ``extras``)."""
    figdir = Path(folder) / "figures"
    figdir.mkdir(exist_ok=True)
    out = []
    figures = [("outcomes", outcomes_figure)]
    if res.record == "steps":
        figures.append(("trajectories", trajectories_figure))
    for stem, draw in figures:
        fig = draw(res)
        try:
            fig.savefig(figdir / f"{stem}.png", dpi=DPI)
        finally:
            plt.close(fig)
        out.append(figdir / f"{stem}.png")
    return out


def survival_figure(res: Results) -> Figure:
    """Time to loss of neutrality and to each outcome (competing risks) of one run."""
    return plot_survival(
        {res.scenario.name: res.runs},
        step_months=res.scenario.step_months,
        title=f"{res.scenario.name}: time to outcome",
    )


def redraw_run_figures(res: Results, variables: Sequence[str] | None = None, folder: Path | None = None) -> list[Path]:
    """Draw a saved run's figures again into ``<folder>/figures/``, never replacing a file (``-2``, ``-3``...).

    Outcomes and survival always; trajectories of ``variables`` (default: alignment and
    tension) when the run recorded its steps.

    Raises:
        InputError: ``variables`` for a run without steps, a variable not in the steps, or
            results never saved and no ``folder``.
    """
    target = folder or res.folder
    if target is None:
        raise InputError("these results were never saved: give a folder", field="folder")
    if variables and res.steps is None:
        raise InputError("--vars needs a run recorded with --record steps", field="--vars")
    figdir = Path(target) / "figures"
    out = [save_figure(outcomes_figure(res), figdir, "outcomes"), save_figure(survival_figure(res), figdir, "survival")]
    if res.steps is not None:
        out.append(save_figure(trajectories_figure(res, variables), figdir, "trajectories"))
    return out
