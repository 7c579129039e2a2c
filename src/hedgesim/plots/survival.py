"""Figures of time to outcome: Kaplan-Meier of neutrality and cumulative incidence of each risk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..analysis import incidence, neutrality_survival, readable
from ..errors import InputError
from ..sweep import SweepResults
from .compare import SCENARIO_COLOURS
from .style import subplots

_STYLES = {"bandwagoning": "-", "escalation": "--", "bandwagoning_patron": "-", "bandwagoning_bloc": ":"}


def plot_survival(
    groups: Mapping[str, pd.DataFrame], step_months: int = 1, level: float = 0.95, title: str | None = None
) -> Figure:
    """Left: P(neutrality still held) over time per group; right: cumulative incidence of bandwagoning and escalation.

    ``groups`` maps a label (scenario, sweep point) to its runs table. Bands are pointwise
    (log-log; Wilson where the estimate is 0 or 1); neutrality kept is censored at the horizon.
    """
    if not groups:
        raise InputError("no runs to draw", field="groups")
    fig, (left, right) = subplots(1, 2, figsize=(12, 4.6), sharex=True)
    pct = round(100 * level)
    until = (
        max(int(r["outcome_step"].max()) for r in groups.values() if len(r))
        if any(len(r) for r in groups.values())
        else 0
    )
    risks: list[str] = []
    for j, (name, runs) in enumerate(groups.items()):
        c = SCENARIO_COLOURS[j % len(SCENARIO_COLOURS)]
        km = neutrality_survival(runs, level=level, until=until)
        t = km["time"].to_numpy() * step_months
        left.step(t, km["survival"], where="post", color=c, label=f"{name} (n={len(runs):,})")
        left.fill_between(t, km["lo"], km["hi"], step="post", color=c, alpha=0.2, lw=0)
        aj = incidence(runs, level=level, until=until)
        for risk, g in aj.groupby("risk", sort=False):
            risks = list(dict.fromkeys([*risks, str(risk)]))
            tr = g["time"].to_numpy() * step_months
            right.step(tr, g["incidence"], where="post", color=c, ls=_STYLES.get(str(risk), "-"))
            right.fill_between(tr, g["lo"], g["hi"], step="post", color=c, alpha=0.15, lw=0)
    for risk in risks:  # the line styles name the risks; colours name the groups (left legend)
        right.plot([], [], color="black", ls=_STYLES.get(risk, "-"), label=risk)
    left.set_ylabel("P(neutrality still held)")
    left.set_title(f"Time to loss of neutrality (Kaplan-Meier, {pct}% band)", fontsize=10)
    right.set_ylabel("cumulative incidence")
    right.set_title(f"Competing risks (Aalen-Johansen, {pct}% band)", fontsize=10)
    for ax in (left, right):
        ax.set_xlabel("months from start" if step_months == 1 else f"months from start ({step_months} per step)")
        ax.set_ylim(-0.01, 1.01)
        ax.grid(alpha=0.3)
    long = max(len(n) for n in groups) > 28 or len(groups) > 4
    if long:
        fig.legend(
            *left.get_legend_handles_labels(), fontsize=8, loc="outside lower center", ncol=1 if len(groups) < 4 else 2
        )
    else:
        left.legend(fontsize=8, loc="best")
    right.legend(fontsize=8, loc="upper left")
    if title:
        fig.suptitle(title, fontsize=11)
    return fig


def pick_points(res: SweepResults, param: str | None = None, count: int = 5) -> list[int]:
    """``count`` design points spread evenly over one parameter (default: the first), for survival by point.

    Raises:
        InputError: an unknown parameter.
    """
    name = res.param(param) if param else res.params[0]
    ran = res.summary[res.summary["n"] > 0].sort_values([name, "point"], kind="stable")
    if len(ran) == 0:
        raise InputError("no design point has runs", file=res.folder)
    idx = np.unique(np.linspace(0, len(ran) - 1, min(count, len(ran))).round().astype(int))
    return [int(p) for p in ran["point"].to_numpy()[idx]]


def survival_points_figure(res: SweepResults, points: Sequence[int] | None = None, param: str | None = None) -> Figure:
    """Survival and competing risks at a few design points of a sweep, each labelled with its parameter values.

    Raises:
        InputError: a point that is not in the design, or an unknown parameter.
    """
    chosen = list(points) if points else pick_points(res, param)
    known = set(res.points["point"].tolist())
    bad = [p for p in chosen if p not in known]
    if bad:
        raise InputError(f"no design point {bad[0]} (the design has {len(known):,})", field="points")
    runs = res.read_runs(["point", "outcome", "side", "outcome_step"], points=chosen)
    groups = {point_label(res, p): runs[runs["point"] == p] for p in chosen}
    step_months = int(res.manifest.get("base_scenario", {}).get("step_months", 1) or 1)
    return plot_survival(groups, step_months=step_months, title=f"{res.manifest['name']}: time to outcome by point")


def point_label(res: SweepResults, point: int, params: int = 3) -> str:
    """``point 12: NATO posture 0.3, Russia coercion 0.5``: a design point by its first parameters' values."""
    row = res.points.set_index("point").loc[point]
    values = [
        f"{readable(k)} {row[k]:.3g}" if isinstance(row[k], float | np.floating) else f"{readable(k)} {row[k]}"
        for k in res.params[:params]
    ]
    more = ", ..." if len(res.params) > params else ""
    return f"point {point}: {', '.join(values)}{more}"
