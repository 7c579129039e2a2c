"""Sweep figures: shares along a parameter, phase diagrams, and sensitivity charts.

Shares along a parameter average the per-point shares of every point at (or in a bin
around) the same value, with a band that includes the variation between points
(:func:`hedgesim.analysis.binned_shares`). Phase diagrams pool the replicates of a cell.
The indices and their flags are computed in :mod:`hedgesim.analysis`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..analysis import FLAG_MEANINGS, FLAGS, binned_shares, outcome_keys, share_interval
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
    """Outcome shares along one parameter, averaged over the others, with bands that include between-point variation.

    Each marker is the mean of the per-point shares in an equal-count bin (or at one value
    of a gridded parameter). In a sampled design the band is a t interval over the bin's
    points (widened to the pooled Wilson interval where that is wider), so it includes
    the variation between points that differ in the other parameters; in a grid it is the
    Wilson interval of the pooled runs (:func:`hedgesim.analysis.binned_shares`).
    ``sampled``: the design sampled the parameters; None guesses from the number of
    distinct values.
    """
    keys = outcome_keys(outcomes, PLOT_OUTCOMES)
    s = summary[param]
    binned = _binned(s, sampled, bins)
    spread = bool(sampled) if sampled is not None else binned
    tables = {k: binned_shares(summary, param, k, bins=bins if binned else None, sampled=spread) for k in keys}
    first = tables[keys[0]]
    numeric = _numeric(s)
    x = first["x"].to_numpy(dtype=float) if numeric else np.arange(len(first))
    fig, ax = subplots(figsize=(7.5, 4.2))
    for j, k in enumerate(keys):
        t = tables[k]
        line = colour(k)
        y, lo, hi = t["share"].to_numpy(), t["lo"].to_numpy(), t["hi"].to_numpy()
        if numeric:
            ax.plot(x, y, marker="o", ms=4, color=line, label=outcome_entry(k).label)
            ax.fill_between(x, lo, hi, color=line, alpha=0.2, lw=0)
        else:
            xo = x + (j - (len(keys) - 1) / 2) * 0.12
            yerr = np.clip([y - lo, hi - y], 0, None)
            ax.errorbar(xo, y, yerr=yerr, fmt="o", color=line, capsize=3, label=outcome_entry(k).label)
    if not numeric:
        ax.set_xticks(x, [str(v) for v in first["x"]])
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(param + (f" (medians of {len(first)} equal-count bins)" if binned else ""))
    ax.set_ylabel("share of replicates")
    points = int(first["points"].min()) if len(first) else 0
    band = "95% band over points (floor: pooled Wilson)" if spread else "95% Wilson intervals of the pooled runs"
    ax.set_title(
        f"Outcome shares along {short_name(param)}, averaged over the other parameters\n"
        f"mean of per-point shares; {band}; at least {points:,} points per {'bin' if binned else 'value'}",
        fontsize=9,
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


def _flag_note(sub: pd.DataFrame) -> str:
    """The outcome-level flags of one outcome's rows, for its panel title."""
    if "rare" not in sub.columns:
        return ""
    words = [FLAGS[f] for f in ("rare", "noisy") if f in sub.columns and bool(sub[f].iloc[0])]
    return ("\nflagged: " + ", ".join(words)) if words else ""


def plot_sensitivity(table: pd.DataFrame, design: str) -> Figure:
    """Sobol: S1 and ST bars with 95% intervals; Morris: mu* against sigma. One panel per outcome.

    With a flagged table (:meth:`SweepResults.sensitivity` with ``flags=True``), indices
    not to read are hatched and pale (Sobol) or hollow (Morris), and a rare or noisy
    outcome says so in its panel's title.
    """
    keys = list(dict.fromkeys(table["outcome"]))
    flagged = "flags" in table.columns
    fig, axes = subplots(
        1,
        len(keys),
        figsize=(3.6 * len(keys) + 1.5, 0.45 * table["parameter"].nunique() + 2.6),
        squeeze=False,
        sharey=design == "sobol",
    )
    for ax, key in zip(axes[0], keys, strict=True):
        sub = table[table["outcome"] == key]
        labels = [short_name(p) for p in sub["parameter"]]
        if design == "sobol":
            y = np.arange(len(sub))
            for offset, col, fill, label in (
                (-0.2, "S1", "#2e86c1", "S1 (first order)"),
                (0.2, "ST", "#d68c45", "ST (total)"),
            ):
                ok = sub[f"read_{col}"].to_numpy(bool) if flagged else np.ones(len(sub), bool)
                for good in (True, False):
                    sel = ok == good
                    if not sel.any():
                        continue
                    ax.barh(
                        y[sel] + offset,
                        sub[col].to_numpy()[sel],
                        height=0.4,
                        xerr=sub[f"{col}_conf"].to_numpy()[sel],
                        color=fill,
                        alpha=1.0 if good else 0.35,
                        hatch=None if good else "///",
                        edgecolor="white" if good else fill,
                        label=label if good else f"{col}: flagged, do not read",
                        error_kw={"lw": 0.8, "capsize": 2},
                    )
            ax.set_yticks(y, labels, fontsize=8)
            ax.invert_yaxis()
            ax.axvline(0, color="black", lw=0.6)
            ax.set_xlabel("index (95% bootstrap interval)")
        else:
            ok = sub["read"].to_numpy(bool) if flagged else np.ones(len(sub), bool)
            for good in (True, False):
                sel = ok == good
                if sel.any():
                    ax.errorbar(
                        sub["mu_star"].to_numpy()[sel],
                        sub["sigma"].to_numpy()[sel],
                        xerr=sub["mu_star_conf"].to_numpy()[sel],
                        fmt="o",
                        color="#5b2a86",
                        mfc="#5b2a86" if good else "white",
                        capsize=2,
                        label=None if good else "flagged, do not read",
                    )
            for (_, row), label in zip(sub.iterrows(), labels, strict=True):
                ax.annotate(
                    label, (row["mu_star"], row["sigma"]), fontsize=7, xytext=(3, 3), textcoords="offset points"
                )
            ax.set_xlabel("mu* (mean |elementary effect|)")
            ax.set_ylabel("sigma (interactions, non-linearity)")
        note = _flag_note(sub)
        ax.set_title(outcome_entry(key).label + note, fontsize=10, color="#b03a2e" if note else "black")
        ax.grid(alpha=0.3)
    handles = {}
    for ax in axes[0]:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, h)
    if handles:
        fig.legend(handles.values(), handles.keys(), fontsize=8, loc="outside lower center", ncol=min(4, len(handles)))
    fig.suptitle(f"Sensitivity of outcome probabilities ({design})", fontsize=11)
    return fig


def markdown_table(table: pd.DataFrame) -> str:
    """A sensitivity table in Markdown, numbers to 3 decimals; a flagged table keeps its ``flags`` and explains them."""

    def cell(v: Any) -> str:
        return md_cell(f"{v:.3f}" if isinstance(v, float | np.floating) else v)

    if "flags" not in table.columns:
        return "\n".join(md_table(list(table.columns), table.itertuples(index=False), cell=cell)) + "\n"
    indices = (
        ["S1", "S1_conf", "ST", "ST_conf"] if "ST" in table.columns else ["mu", "mu_star", "mu_star_conf", "sigma"]
    )
    cols = ["outcome", "parameter", *indices, "flags"]
    lines = md_table(cols, table[cols].itertuples(index=False), cell=cell)
    raised = [f for f in FLAGS if f in table.columns and table[f].astype(bool).any()]
    if raised:
        lines += ["", "Flags (an index with a flag should not be read):", ""]
        lines += [f"- *{FLAGS[f]}*: {FLAG_MEANINGS[f]}." for f in raised]
    return "\n".join(lines) + "\n"


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
    """The sweep's sensitivity indices as a chart (Sobol: S1 and ST bars; Morris: mu* against sigma), flagged."""
    return plot_sensitivity(res.sensitivity(flags=True) if table is None else table, res.design)


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
        table = res.sensitivity(flags=True)
        out.append(save_new(res.folder, "sensitivity", ".csv", lambda p: table.to_csv(p, index=False)))
        out.append(save_new(res.folder, "sensitivity", ".md", lambda p: Path(p).write_text(markdown_table(table))))
        out.append(save_figure(plot_sensitivity(table, res.design), figdir, "sensitivity"))
    return out
