"""Sweep figures: shares along a parameter, phase diagrams, and sensitivity charts.

Shares along a parameter and phase diagrams pool the replicates of every point
that falls at (or in a bin around) the same value, so they show the share
averaged over the other parameters of the design, with Wilson intervals for that
pooled share. The indices themselves are computed in :mod:`hedgesim.analysis`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..analysis import outcome_keys, share_interval
from ..core import OUTCOMES_BY_SIDE
from ..core import outcome as outcome_entry
from ..errors import InputError
from ..sweep import SweepResults
from ..util import md_cell, md_table, save_new
from .style import colour, save_figure, short_name, slug, subplots

#: Outcomes shown in figures: the by-side split, which sums to one.
PLOT_OUTCOMES = tuple(o.key for o in OUTCOMES_BY_SIDE)
_DISCRETE = 30  # at most this many distinct values: one cell per value; more: bins


def _numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _binned(s: pd.Series, sampled: bool | None, bins: int) -> bool:
    """Bin a numeric parameter a sampled design spreads over many values; keep a grid's levels."""
    if not _numeric(s):
        return False
    if sampled is None:
        return s.nunique() > _DISCRETE
    return sampled and s.nunique() > bins


def _axis(s: pd.Series, bins: int, sampled: bool | None) -> tuple[pd.Series, np.ndarray, list[str] | None]:
    """Group keys for one axis, the cell edges (or positions) and tick labels for categories."""
    if _binned(s, sampled, bins):
        edges = np.linspace(s.min(), s.max(), bins + 1)
        codes = np.clip(np.searchsorted(edges, s.to_numpy(), side="right") - 1, 0, bins - 1)
        return pd.Series(codes, index=s.index), edges, None
    values = sorted(s.unique())
    codes = s.map({v: i for i, v in enumerate(values)})
    return codes, np.arange(len(values) + 1) - 0.5, [f"{v:g}" if isinstance(v, float) else str(v) for v in values]


def _pool(summary: pd.DataFrame, by: list[pd.Series], keys: list[str]) -> pd.DataFrame:
    """Sum counts over the points in each group; share and Wilson interval of the pooled counts."""
    cols = [f"{k}_n" for k in keys] + ["n"]
    agg = summary[cols].groupby(by, observed=True, sort=True).sum()
    n = agg["n"].to_numpy()
    for k in keys:
        agg[k], agg[f"{k}_lo"], agg[f"{k}_hi"] = share_interval(agg[f"{k}_n"].to_numpy(), n)
    return agg


def plot_parameter(
    summary: pd.DataFrame,
    param: str,
    outcomes: Sequence[str] | str | None = None,
    bins: int = 10,
    sampled: bool | None = None,
) -> Figure:
    """Outcome shares along one parameter (pooled over the others) with 95% Wilson intervals.

    ``sampled``: the design sampled the parameter (bin it) rather than gridded it;
    None guesses from the number of distinct values.
    """
    keys = outcome_keys(outcomes, PLOT_OUTCOMES)
    s = summary[param]
    binned = _binned(s, sampled, bins)
    if binned:
        groups = pd.qcut(s, q=bins, duplicates="drop")
        pooled = _pool(summary, [groups], keys)
        x = s.groupby(groups, observed=True).median().to_numpy()
        ticks = None
    else:
        pooled = _pool(summary, [s], keys)
        if _numeric(s):
            x, ticks = pooled.index.to_numpy(dtype=float), None
        else:
            x, ticks = np.arange(len(pooled)), [str(v) for v in pooled.index]
    fig, ax = subplots(figsize=(7.5, 4.2))
    for j, k in enumerate(keys):
        line = colour(k)
        y, lo, hi = pooled[k].to_numpy(), pooled[f"{k}_lo"].to_numpy(), pooled[f"{k}_hi"].to_numpy()
        if ticks is None:
            ax.plot(x, y, marker="o", ms=4, color=line, label=outcome_entry(k).label)
            ax.fill_between(x, lo, hi, color=line, alpha=0.2, lw=0)
        else:
            xo = x + (j - (len(keys) - 1) / 2) * 0.12
            ax.errorbar(xo, y, yerr=[y - lo, hi - y], fmt="o", color=line, capsize=3, label=outcome_entry(k).label)
    if ticks is not None:
        ax.set_xticks(x, ticks)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(param + (f" (medians of {len(pooled)} equal-count bins)" if binned else ""))
    ax.set_ylabel("share of replicates")
    per = int(pooled["n"].min()) if len(pooled) else 0
    ax.set_title(
        f"Outcome shares along {short_name(param)}\n95% Wilson intervals; pooled over the other "
        f"parameters (at least {per:,} runs per value)",
        fontsize=10,
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return fig


def plot_phase(
    summary: pd.DataFrame,
    param_x: str,
    param_y: str,
    outcome: str | None = "escalation",
    bins: int = 12,
    sampled: bool | None = None,
) -> Figure:
    """Share of an outcome over two parameters (one panel per outcome when ``outcome`` is None)."""
    if param_x == param_y:
        raise InputError("a phase diagram needs two different parameters", field="param")
    keys = outcome_keys(outcome, PLOT_OUTCOMES)
    bins = int(np.clip(np.sqrt(len(summary) / 5), 3, bins))  # about five points per cell of a sampled design
    gx, ex, tx = _axis(summary[param_x], bins, sampled)
    gy, ey, ty = _axis(summary[param_y], bins, sampled)
    pooled = _pool(summary, [gx.rename("x"), gy.rename("y")], keys)
    fig, axes = subplots(1, len(keys), figsize=(4.6 * len(keys) + 0.6, 4.2), squeeze=False)
    for ax, k in zip(axes[0], keys, strict=True):
        grid = np.full((len(ey) - 1, len(ex) - 1), np.nan)
        for (ix, iy), share in pooled[k].items():
            grid[int(iy), int(ix)] = share
        mesh = ax.pcolormesh(
            ex,
            ey,
            np.ma.masked_invalid(grid),
            cmap="viridis",
            vmin=0,
            vmax=max(0.05, float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0),
        )
        fig.colorbar(mesh, ax=ax, label=f"share {outcome_entry(k).label}")
        if tx is not None:
            ax.set_xticks(np.arange(len(tx)), tx, rotation=45 if len(tx) > 8 else 0)
        if ty is not None:
            ax.set_yticks(np.arange(len(ty)), ty)
        if grid.size <= 64:
            for iy, ix in itertools.product(range(grid.shape[0]), range(grid.shape[1])):
                if np.isfinite(grid[iy, ix]):
                    cx = (ex[ix] + ex[ix + 1]) / 2
                    cy = (ey[iy] + ey[iy + 1]) / 2
                    ax.text(
                        cx,
                        cy,
                        f"{grid[iy, ix]:.0%}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if grid[iy, ix] < 0.6 * mesh.norm.vmax else "black",
                    )
        ax.set_xlabel(short_name(param_x))
        ax.set_ylabel(short_name(param_y))
        ax.set_title(outcome_entry(k).label, fontsize=10)
    binned = tx is None or ty is None
    fig.suptitle(
        f"Outcome shares over {short_name(param_x)} x {short_name(param_y)}"
        + (" (binned; pooled over the other parameters)" if binned else " (pooled over the other parameters)"),
        fontsize=10,
    )
    return fig


# --------------------------------------------------------------------------- sensitivity


def plot_sensitivity(table: pd.DataFrame, design: str) -> Figure:
    """Sobol: S1 and ST bars with 95% intervals; Morris: mu* against sigma. One panel per outcome."""
    keys = list(dict.fromkeys(table["outcome"]))
    fig, axes = subplots(
        1,
        len(keys),
        figsize=(3.6 * len(keys) + 1.5, 0.45 * table["parameter"].nunique() + 2.2),
        squeeze=False,
        sharey=design == "sobol",
    )
    for ax, key in zip(axes[0], keys, strict=True):
        sub = table[table["outcome"] == key]
        labels = [short_name(p) for p in sub["parameter"]]
        if design == "sobol":
            y = np.arange(len(sub))
            ax.barh(
                y - 0.2,
                sub["S1"],
                height=0.4,
                xerr=sub["S1_conf"],
                color="#2e86c1",
                label="S1 (first order)",
                error_kw={"lw": 0.8, "capsize": 2},
            )
            ax.barh(
                y + 0.2,
                sub["ST"],
                height=0.4,
                xerr=sub["ST_conf"],
                color="#d68c45",
                label="ST (total)",
                error_kw={"lw": 0.8, "capsize": 2},
            )
            ax.set_yticks(y, labels, fontsize=8)
            ax.invert_yaxis()
            ax.axvline(0, color="black", lw=0.6)
            ax.set_xlabel("index (95% bootstrap interval)")
        else:
            ax.errorbar(sub["mu_star"], sub["sigma"], xerr=sub["mu_star_conf"], fmt="o", color="#5b2a86", capsize=2)
            for (_, row), label in zip(sub.iterrows(), labels, strict=True):
                ax.annotate(
                    label, (row["mu_star"], row["sigma"]), fontsize=7, xytext=(3, 3), textcoords="offset points"
                )
            ax.set_xlabel("mu* (mean |elementary effect|)")
            ax.set_ylabel("sigma (interactions, non-linearity)")
        ax.set_title(outcome_entry(key).label, fontsize=10)
        ax.grid(alpha=0.3)
    if design == "sobol":
        axes[0][0].legend(fontsize=8, loc="lower right")
    fig.suptitle(f"Sensitivity of outcome probabilities ({design})", fontsize=11)
    return fig


def markdown_table(table: pd.DataFrame) -> str:
    """A sensitivity table in Markdown, numbers to 3 decimals."""

    def cell(v: Any) -> str:
        return md_cell(f"{v:.3f}" if isinstance(v, float | np.floating) else v)

    return "\n".join(md_table(list(table.columns), table.itertuples(index=False), cell=cell)) + "\n"


def parameter_figure(res: SweepResults, param: str, outcomes: Sequence[str] | None = None, bins: int = 10) -> Figure:
    """Outcome shares along one swept parameter, pooled over the others, with 95% Wilson intervals."""
    return plot_parameter(res.summary, res.param(param), outcomes=outcomes, bins=bins, sampled=res.design != "grid")


def phase_figure(
    res: SweepResults, param_x: str, param_y: str, outcome: str | None = "escalation", bins: int = 12
) -> Figure:
    """Share of an outcome (every outcome if None) over two swept parameters."""
    return plot_phase(
        res.summary,
        res.param(param_x),
        res.param(param_y),
        outcome=outcome,
        bins=bins,
        sampled=res.design != "grid",
    )


def sensitivity_figure(res: SweepResults, table: pd.DataFrame | None = None) -> Figure:
    """The sweep's sensitivity indices as a chart (Sobol: S1 and ST bars; Morris: mu* against sigma)."""
    return plot_sensitivity(res.sensitivity() if table is None else table, res.design)


def write_figures(
    res: SweepResults, params: Sequence[str] | None = None, phases: Sequence[tuple[str, str]] | None = None
) -> list[Path]:
    """Shares along each parameter, phase diagrams of pairs, and sensitivity (table and chart) for sobol/morris.

    Without arguments: every parameter, the pairs of the first four, and the
    sensitivity analysis; with ``params`` or ``phases``, just those. Figures
    go to ``<folder>/figures/``, sensitivity tables to the folder; an existing
    file is never replaced: a new one gets a ``-2``, ``-3``... suffix.
    """
    params = [res.param(p) for p in params] if params else None
    phases = [(res.param(x), res.param(y)) for x, y in phases] if phases else None
    figdir = res.folder / "figures"
    everything = not params and not phases
    names = list(params) if params else (res.params if everything else [])
    if everything:
        phases = list(itertools.combinations(res.params[:4], 2))
    out = []
    sampled = res.design != "grid"
    for p in names:
        out.append(save_figure(plot_parameter(res.summary, p, sampled=sampled), figdir, f"shares_{slug(p)}"))
    for px, py in phases or []:
        out.append(
            save_figure(
                plot_phase(res.summary, px, py, outcome=None, sampled=sampled),
                figdir,
                f"phase_{slug(px)}__{slug(py)}",
            )
        )
    if everything and res.supports_sensitivity:
        table = res.sensitivity()
        out.append(save_new(res.folder, "sensitivity", ".csv", lambda p: table.to_csv(p, index=False)))
        out.append(save_new(res.folder, "sensitivity", ".md", lambda p: Path(p).write_text(markdown_table(table))))
        out.append(save_figure(plot_sensitivity(table, res.design), figdir, "sensitivity"))
    return out
