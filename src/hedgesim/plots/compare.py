"""Figures of a comparison: shares side by side, and differences against the reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..core import outcome as outcome_entry
from .style import subplots

#: Scenario colours (outcomes keep their own colours elsewhere; here colour tells scenarios apart).
SCENARIO_COLOURS = ("#222222", "#e67e22", "#16a085", "#8e44ad", "#c0392b", "#2980b9", "#7f8c8d", "#d4ac0d")


def plot_comparison(table: pd.DataFrame, title: str | None = None) -> Figure:
    """Left: each outcome's share per scenario with its Wilson interval. Right: the difference against the reference.

    A paired difference (common random numbers) shows its paired interval as a bar with
    caps and the wider independent-samples interval as a pale band behind it, so what
    pairing gains is visible. ``table`` is :func:`hedgesim.analysis.compare_runs`'s.
    """
    reference = table.attrs.get("reference", table["scenario"].iloc[0])
    level = round(100 * table.attrs.get("level", 0.95))
    scenarios = list(dict.fromkeys(table["scenario"]))
    outcomes = list(dict.fromkeys(table["outcome"]))
    height = 1.6 + 0.32 * len(outcomes) * max(len(scenarios), 2)
    fig, (left, right) = subplots(1, 2, figsize=(11, height), sharey=True)
    step = 0.8 / len(scenarios)
    for j, name in enumerate(scenarios):
        g = table[table["scenario"] == name].set_index("outcome").reindex(outcomes)
        y = np.arange(len(outcomes)) - 0.4 + step * (j + 0.5)
        c = SCENARIO_COLOURS[j % len(SCENARIO_COLOURS)]
        share = g["share"].to_numpy(float)
        err = np.clip([share - g["lo"].to_numpy(float), g["hi"].to_numpy(float) - share], 0, None)
        left.errorbar(share, y, xerr=err, fmt="o", capsize=3, color=c, label=name + (" (reference)" if j == 0 else ""))
        if name == reference:
            continue
        d = 100 * g["delta"].to_numpy(float)  # percentage points
        paired = (g["method"] == "newcombe_paired").to_numpy()
        if paired.any():
            lo, hi = 100 * g["unpaired_lo"].to_numpy(float), 100 * g["unpaired_hi"].to_numpy(float)
            right.barh(y[paired], (hi - lo)[paired], left=lo[paired], height=step * 0.8, color=c, alpha=0.18, lw=0)
        derr = np.clip([d - 100 * g["delta_lo"].to_numpy(float), 100 * g["delta_hi"].to_numpy(float) - d], 0, None)
        right.errorbar(d, y, xerr=derr, fmt="o", capsize=3, color=c, elinewidth=1.6)
    left.set_yticks(np.arange(len(outcomes)), [outcome_entry(o).label for o in outcomes])
    left.invert_yaxis()
    left.set_xlim(-0.02, 1.02)
    left.set_xlabel(f"share of replicates ({level}% Wilson interval)")
    fig.legend(*left.get_legend_handles_labels(), fontsize=8, loc="outside lower center", ncol=min(len(scenarios), 4))
    right.axvline(0, color="grey", lw=0.8)
    right.set_xlabel(
        f"difference from the reference, percentage points ({level}% interval;\n"
        "pale band: independent-samples interval, for paired runs)"
    )
    for ax in (left, right):
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(title or f"Outcomes compared with {reference}", fontsize=11)
    return fig
