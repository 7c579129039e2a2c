"""Figures of one run: outcome shares with intervals, trajectories by outcome, and one replicate.

Fit for a classroom: every axis says what it shows and in which unit, the time axis
shows dates (step 0 is the scenario's start), scripted events are marked, bands have
a legend and are drawn only for groups of at least :data:`MIN_BAND` replicates, and
outcome colours come from the outcome registry (:mod:`hedgesim.core.vocabulary`).
Figures are made without pyplot, so a notebook shows each one once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..analysis import outcome_labels, outcome_shares
from ..core import GLOBAL_VARS, OUTCOMES_BY_SIDE, ROLE_VARS
from ..ensemble import Results
from ..errors import InputError
from ..scenario import Scenario
from .style import DPI, colour, save_figure, subplots
from .survival import plot_survival

#: The smallest group of replicates drawn with quantile bands (fewer: the median alone).
MIN_BAND = 10
_EVENT_COLOUR = "#555555"


def plot_outcomes(runs: pd.DataFrame, title: str = "", by_side: bool = True, ax: Axes | None = None) -> Figure:
    """Bar chart of outcome shares with 95% Wilson intervals (on ``ax`` when given)."""
    shares = outcome_shares(runs, by_side=by_side)
    if ax is None:
        _, ax = subplots(figsize=(7, 3.8))
    x = np.arange(len(shares))
    colours = [colour(str(i)) for i in shares.index]
    ax.bar(x, shares["share"], color=colours)
    err = np.clip(np.vstack([shares["share"] - shares["lo"], shares["hi"] - shares["share"]]), 0, None)
    ax.errorbar(x, shares["share"], yerr=err, fmt="none", ecolor="black", capsize=4, lw=1, label="95% Wilson interval")
    for xi, s, hi in zip(x, shares["share"], shares["hi"], strict=True):
        ax.text(xi, hi + 0.02, f"{s:.1%}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, [str(i).replace(" (", "\n(") for i in shares.index])
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("share of replicates")
    ax.set_xlabel("outcome at the horizon")
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title(title or f"Outcomes of {len(runs):,} replicates", fontsize=10)
    return ax.figure  # type: ignore[return-value]


def _time_axis(steps: np.ndarray, start: str | None, step_months: int) -> np.ndarray:
    """Dates of the months (``start`` is step 0), or years from the start without a start date."""
    if start is None:
        return steps * step_months / 12
    return np.datetime64(start, "M") + (steps * step_months).astype("timedelta64[M]")


def _mark_events(axes: Sequence[Axes], events: Sequence[tuple[int, str]], start: str | None, step_months: int) -> None:
    """A dotted line at each event on every panel, labelled on the top one."""
    by_step: dict[int, list[str]] = {}
    for step, label in events:
        by_step.setdefault(int(step), []).append(label)
    for step, labels in sorted(by_step.items()):
        t = _time_axis(np.array([step]), start, step_months)[0]
        for ax in axes:
            ax.axvline(t, color=_EVENT_COLOUR, ls=":", lw=1)
        axes[0].annotate(
            "; ".join(dict.fromkeys(labels)),
            xy=(t, 0),
            xycoords=("data", "axes fraction"),
            xytext=(2, 3),
            textcoords="offset points",
            rotation=90,
            va="bottom",
            fontsize=7,
            color=_EVENT_COLOUR,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 0.5},
        )


def _finish_time_axis(axes: Sequence[Axes], start: str | None, step_months: int) -> None:
    axes[-1].set_xlabel("date (month)" if start else "years from the start")
    if start:
        axes[-1].figure.autofmt_xdate(rotation=0, ha="center")  # type: ignore[union-attr]


def plot_trajectories(
    steps: pd.DataFrame,
    runs: pd.DataFrame,
    variables: Mapping[str, str],
    title: str = "",
    step_months: int = 1,
    *,
    start: str | None = None,
    events: Sequence[tuple[int, str]] = (),
    thresholds: Mapping[str, Sequence[tuple[float, str]]] | None = None,
    min_band: int = MIN_BAND,
) -> Figure:
    """Median and 50%/90% bands of each variable over time, one colour per outcome.

    ``variables`` maps columns of ``steps`` to axis labels (say the unit). ``start``
    (``YYYY-MM``, step 0) puts dates on the time axis; ``events`` are (step, label)
    markers; ``thresholds`` maps a column to reference lines (value, label). A group of
    fewer than ``min_band`` replicates is drawn as its median alone, since quantiles
    of a handful of replicates mislead.
    """
    labels = outcome_labels(runs, by_side=True).set_axis(runs["replicate"].to_numpy())
    groups = labels.reindex(steps["replicate"].to_numpy()).to_numpy()
    order = [o.label for o in OUTCOMES_BY_SIDE]
    present = [g for g in order if g in set(groups)] + sorted(set(groups) - set(order))
    fig, axes = subplots(len(variables), 1, figsize=(8.5, 2.6 * len(variables) + 0.6), sharex=True, squeeze=False)
    axes = list(axes[:, 0])
    handles: list[Line2D | Patch] = []
    banded = False
    for outcome in present:
        n = int((labels == outcome).sum())
        band = n >= min_band
        banded |= band
        line_colour = colour(str(outcome))
        note = "" if band else f", fewer than {min_band}: median only"
        handles.append(Line2D([], [], color=line_colour, lw=1.8, label=f"{outcome} (n={n:,}{note})"))
        mask = groups == outcome
        for ax, col in zip(axes, variables, strict=True):
            q = steps.loc[mask, ["step", col]].groupby("step")[col].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
            t = _time_axis(q.index.to_numpy(), start, step_months)
            if band:
                ax.fill_between(t, q[0.05], q[0.95], color=line_colour, alpha=0.12, lw=0)
                ax.fill_between(t, q[0.25], q[0.75], color=line_colour, alpha=0.3, lw=0)
            ax.plot(t, q[0.5], color=line_colour, lw=1.8, ls="-" if band else "--")
    for ax, (col, label) in zip(axes, variables.items(), strict=True):
        ax.set_ylabel(label, fontsize=9)
        ax.grid(alpha=0.3)
        _threshold_lines(ax, (thresholds or {}).get(col, ()), "black")
    if banded:
        handles += [
            Patch(color="grey", alpha=0.45, label="middle 50% of replicates"),
            Patch(color="grey", alpha=0.15, label="middle 90% of replicates"),
        ]
    if events:
        handles.append(Line2D([], [], color=_EVENT_COLOUR, ls=":", lw=1, label="scripted event"))
    _mark_events(axes, events, start, step_months)
    _finish_time_axis(axes, start, step_months)
    fig.legend(handles=handles, loc="outside lower center", ncols=min(3, len(handles)), fontsize=8)
    axes[0].set_title(title or "Median and bands by outcome", fontsize=10)
    return fig


def event_marks(scenario: Scenario) -> list[tuple[int, str]]:
    """(step, label) of each scripted event that starts within the horizon, for the time axes."""
    marks = []
    for ev in scenario.events:
        step = scenario.event_step(ev)
        if 0 <= step < scenario.horizon:
            name = ev.label or ev.move or "shock"
            marks.append((step, name + (f" ({ev.duration} months)" if ev.duration > 1 else "")))
    return marks


def _label(var: str, role: str | None, actor: str = "") -> str:
    """Axis label with the variable's unit from the vocabulary."""
    spec = GLOBAL_VARS[var] if role is None else ROLE_VARS[role][var]
    if var == "alignment":
        return f"{actor} alignment\n(-1 patron, +1 bloc)"
    who = f"{actor} " if actor else ""
    return f"{who}{var.replace('_', ' ')}\n({spec.unit})"


def _column_label(scenario: Scenario, column: str) -> str:
    """Axis label of a steps column (``Belarus.autonomy``, ``tension``), with its unit where known."""
    actor, _, var = column.rpartition(".")
    if not actor and var in GLOBAL_VARS:
        return _label(var, None)
    spec = scenario.actors.get(actor)
    if spec is not None and var in ROLE_VARS[spec.role]:
        return _label(var, spec.role, actor)
    return column


def _thresholds(res: Results, hedger: str) -> dict[str, list[tuple[float, str]]]:
    o = res.scenario.outcomes
    return {
        "tension": [(o.crisis_tension, "crisis")],
        f"{hedger}.alignment": [(o.bandwagon_alignment, "bandwagoning (bloc)"), (-o.bandwagon_alignment, "(patron)")],
    }


def trajectories_figure(res: Results, variables: Sequence[str] | None = None) -> Figure:
    """Variables over time by outcome, with the scenario's events: by default the hedger's alignment and tension.

    ``variables`` are columns of the steps table (``Belarus.autonomy``, ``tension``...),
    each on its own axis labelled with its unit.

    Raises:
        InputError: the run did not record its steps, or a variable is not in them.
    """
    if res.record != "steps":
        raise InputError("trajectories need the steps: run with record='steps' (--record steps)", field="record")
    h = res.hedger
    if variables:
        known = [c for c in res.steps.columns if c not in ("step", "replicate")]
        bad = [v for v in variables if v not in known]
        if bad:
            raise InputError(f"no variable {bad[0]!r} in the steps (known: {', '.join(known)})", field="--vars")
        cols = {v: _column_label(res.scenario, v) for v in dict.fromkeys(variables)}
    else:
        cols = {f"{h}.alignment": _label("alignment", "hedger", h), "tension": _label("tension", None)}
    return plot_trajectories(
        res.read_steps(list(cols)),  # only these columns: a large run's steps need not fit in memory
        res.runs,
        cols,
        title=f"{res.scenario.name}: trajectories of {len(res.runs):,} replicates by outcome",
        step_months=res.scenario.step_months,
        start=res.scenario.start,
        events=event_marks(res.scenario),
        thresholds=_thresholds(res, h),
    )


def replicate_figure(res: Results, replicate: int) -> Figure:
    """One replicate month by month: alignment, tension, the patron's tolerance and the economy.

    Each on its own labelled axis, with the scenario's events and the month its outcome
    was decided.

    Raises:
        InputError: the run did not record its steps, or has no such replicate.
    """
    if res.steps is None:
        raise InputError("a replicate's history needs the steps: run with record='steps'", field="record")
    rows = res.runs[res.runs["replicate"] == replicate]
    if rows.empty:
        raise InputError(f"no replicate {replicate} in this run of {len(res.runs):,}", field="replicate")
    sc, h = res.scenario, res.hedger
    patron = sc.by_role("patron")[0]
    cols = {
        f"{h}.alignment": _label("alignment", "hedger", h),
        "tension": _label("tension", None),
        f"{patron}.tolerance": _label("tolerance", "patron", patron),
        f"{h}.economy": _label("economy", "hedger", h),
    }
    traj = res.steps[res.steps["replicate"] == replicate].sort_values("step")
    label = str(outcome_labels(rows, by_side=True).iloc[0])
    decided = int(rows["outcome_step"].iloc[0])
    fig, axes = subplots(len(cols), 1, figsize=(8.5, 1.9 * len(cols) + 0.8), sharex=True, squeeze=False)
    axes = list(axes[:, 0])
    t = _time_axis(traj["step"].to_numpy(), sc.start, sc.step_months)
    limits = {f"{h}.alignment": (-1.05, 1.05), "tension": (-0.02, 1.02), f"{patron}.tolerance": (-0.02, 1.02)}
    marks = _thresholds(res, h)
    for ax, (col, axis_label) in zip(axes, cols.items(), strict=True):
        ax.plot(t, traj[col], color="black", lw=1.6)
        ax.set_ylabel(axis_label, fontsize=9)
        if col in limits:
            ax.set_ylim(*limits[col])
        _threshold_lines(ax, marks.get(col, ()), "grey")
        ax.grid(alpha=0.3)
    _mark_events(axes, event_marks(sc), sc.start, sc.step_months)
    when = _time_axis(np.array([decided]), sc.start, sc.step_months)[0]
    if label != "neutrality_kept":
        for ax in axes:
            ax.axvline(when, color=colour(label), lw=2)
    _finish_time_axis(axes, sc.start, sc.step_months)
    fig.legend(
        handles=[
            Line2D([], [], color="black", lw=1.6, label=f"replicate {replicate}"),
            Line2D([], [], color=colour(label), lw=2, label=f"outcome: {label}"),
            Line2D([], [], color=_EVENT_COLOUR, ls=":", lw=1, label="scripted event"),
        ],
        loc="outside lower center",
        ncols=3,
        fontsize=8,
    )
    axes[0].set_title(f"{sc.name}: replicate {replicate}, {label} (month {decided})", fontsize=10)
    return fig


def outcomes_figure(res: Results) -> Figure:
    """The outcome shares of a run, titled with its scenario."""
    return plot_outcomes(
        res.runs, title=f"{res.scenario.name}: outcomes of {len(res.runs):,} replicates at month {res.scenario.horizon}"
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
        draw(res).savefig(figdir / f"{stem}.png", dpi=DPI)
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


def _threshold_lines(ax: Axes, marks: Iterable[tuple[float, str]], colour: str) -> None:
    """Dashed lines at the outcome thresholds of a variable, each named at the right edge."""
    for value, name in marks:
        ax.axhline(value, color=colour, lw=0.8, ls="--")
        ax.annotate(
            name,
            xy=(1, value),
            xycoords=("axes fraction", "data"),
            xytext=(-3, 2),
            ha="right",
            textcoords="offset points",
            fontsize=7,
            color=colour,
        )
