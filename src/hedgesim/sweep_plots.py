"""Sweep figures and sensitivity analysis.

Shares along a parameter and phase diagrams pool the replicates of every point
that falls at (or in a bin around) the same value, so they show the share
averaged over the other parameters of the design, with Wilson intervals for that
pooled share. Sensitivity indices (SALib) treat each point's estimated outcome
share as the model output; the binomial noise of a finite number of replicates
adds to the estimated variance, so give points enough replicates (docs/sweeps.md).
"""

from __future__ import annotations

import itertools
import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .analysis import wilson_interval
from .errors import InputError
from .plots import COLOURS

if TYPE_CHECKING:
    from .sweep import SweepResults

#: Outcomes shown in figures: the by-side split, which sums to one.
PLOT_OUTCOMES = ("neutrality_kept", "bandwagoning_patron", "bandwagoning_bloc", "escalation")
#: Outcomes whose probability gets sensitivity indices.
SENSITIVITY_OUTCOMES = ("neutrality_kept", "bandwagoning", "bandwagoning_patron", "bandwagoning_bloc", "escalation")
_LABEL = {
    "neutrality_kept": "neutrality_kept",
    "bandwagoning": "bandwagoning",
    "bandwagoning_patron": "bandwagoning (patron)",
    "bandwagoning_bloc": "bandwagoning (bloc)",
    "escalation": "escalation",
}
_DISCRETE = 30  # at most this many distinct values: one cell per value; more: bins


def _keys(outcomes: Sequence[str] | str | None, default: Sequence[str]) -> list[str]:
    if outcomes is None:
        return list(default)
    if isinstance(outcomes, str):
        outcomes = [outcomes]
    out = []
    for o in outcomes:
        key = o.replace(" (", "_").rstrip(")") if o not in _LABEL else o
        if key not in _LABEL:
            raise InputError(f"unknown outcome {o!r} (known: {', '.join(_LABEL)})", field="outcome")
        out.append(key)
    return out


def short_name(param: str) -> str:
    """``actors.Russia.rule.params.coercion`` -> ``Russia.coercion``, for axis labels."""
    m = re.fullmatch(r"actors\.([^.]+)\.(?:state|rule\.params)\.(.+)", param)
    if m:
        return f"{m.group(1)}.{m.group(2)}"
    return re.sub(r"^(parameters|mechanisms|outcomes)\.", "", param)


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
        c = agg[f"{k}_n"].to_numpy()
        lo, hi = wilson_interval(c, np.maximum(n, 1))
        agg[k] = np.where(n > 0, c / np.maximum(n, 1), np.nan)
        agg[f"{k}_lo"] = np.where(n > 0, np.where(c == 0, 0.0, lo), np.nan)
        agg[f"{k}_hi"] = np.where(n > 0, np.where(c == n, 1.0, hi), np.nan)
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
    keys = _keys(outcomes, PLOT_OUTCOMES)
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
    fig, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
    for j, k in enumerate(keys):
        colour = COLOURS.get(_LABEL[k], "#888888")
        y, lo, hi = pooled[k].to_numpy(), pooled[f"{k}_lo"].to_numpy(), pooled[f"{k}_hi"].to_numpy()
        if ticks is None:
            ax.plot(x, y, marker="o", ms=4, color=colour, label=_LABEL[k])
            ax.fill_between(x, lo, hi, color=colour, alpha=0.2, lw=0)
        else:
            xo = x + (j - (len(keys) - 1) / 2) * 0.12
            ax.errorbar(xo, y, yerr=[y - lo, hi - y], fmt="o", color=colour, capsize=3, label=_LABEL[k])
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
    keys = _keys(outcome, PLOT_OUTCOMES)
    bins = int(np.clip(np.sqrt(len(summary) / 5), 3, bins))  # about five points per cell of a sampled design
    gx, ex, tx = _axis(summary[param_x], bins, sampled)
    gy, ey, ty = _axis(summary[param_y], bins, sampled)
    pooled = _pool(summary, [gx.rename("x"), gy.rename("y")], keys)
    fig, axes = plt.subplots(1, len(keys), figsize=(4.6 * len(keys) + 0.6, 4.2), layout="constrained", squeeze=False)
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
        fig.colorbar(mesh, ax=ax, label=f"share {_LABEL[k]}")
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
        ax.set_title(_LABEL[k], fontsize=10)
    binned = tx is None or ty is None
    fig.suptitle(
        f"Outcome shares over {short_name(param_x)} x {short_name(param_y)}"
        + (" (binned; pooled over the other parameters)" if binned else " (pooled over the other parameters)"),
        fontsize=10,
    )
    return fig


# --------------------------------------------------------------------------- sensitivity


def sensitivity(res: SweepResults, outcomes: Sequence[str] | None = None, num_resamples: int = 1000) -> pd.DataFrame:
    """SALib indices of each outcome's probability over the design's parameters.

    Sobol designs: first-order S1 and total ST with 95% bootstrap intervals.
    Morris designs: mu, mu* (with its 95% interval) and sigma, per unit of each
    parameter's normalised range (the design's unit cube).
    """
    design = res.design
    if design not in ("sobol", "morris"):
        raise InputError(
            f"sensitivity indices need a sobol or morris design; this sweep's is {design!r}",
            file=res.folder,
            field="design",
        )
    summary = res.summary.sort_values("point")
    missing = int((summary["n"] == 0).sum())
    if missing:
        raise InputError(
            f"{missing} design point(s) have no runs (failed chunks); resume the sweep so every "
            "point has runs before computing indices",
            file=res.folder,
            field="summary",
        )
    names = res.params
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    seed = int(res.manifest["seed"]) % 2**32
    rows: list[dict[str, Any]] = []
    unit = res.unit
    for key in _keys(outcomes, SENSITIVITY_OUTCOMES):
        y = summary[key].to_numpy(dtype=float)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            if design == "sobol":
                from SALib.analyze import sobol

                si = sobol.analyze(
                    problem, y, calc_second_order=False, num_resamples=num_resamples, conf_level=0.95, seed=seed
                )
                for j, name in enumerate(names):
                    rows.append(
                        {
                            "outcome": key,
                            "parameter": name,
                            "S1": si["S1"][j],
                            "S1_conf": si["S1_conf"][j],
                            "ST": si["ST"][j],
                            "ST_conf": si["ST_conf"][j],
                        }
                    )
            else:
                from SALib.analyze import morris

                if unit is None:
                    raise InputError("design.parquet is missing from the sweep folder", file=res.folder)
                x = unit.sort_values("point")[names].to_numpy(dtype=float)
                levels = int(res.manifest["spec"].get("morris_levels", 4))
                si = morris.analyze(
                    problem, x, y, num_resamples=num_resamples, conf_level=0.95, num_levels=levels, seed=seed
                )
                for j, name in enumerate(names):
                    rows.append(
                        {
                            "outcome": key,
                            "parameter": name,
                            "mu": si["mu"][j],
                            "mu_star": si["mu_star"][j],
                            "mu_star_conf": si["mu_star_conf"][j],
                            "sigma": si["sigma"][j],
                        }
                    )
    return pd.DataFrame(rows)


def plot_sensitivity(table: pd.DataFrame, design: str) -> Figure:
    """Sobol: S1 and ST bars with 95% intervals; Morris: mu* against sigma. One panel per outcome."""
    keys = list(dict.fromkeys(table["outcome"]))
    fig, axes = plt.subplots(
        1,
        len(keys),
        figsize=(3.6 * len(keys) + 1.5, 0.45 * table["parameter"].nunique() + 2.2),
        layout="constrained",
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
        ax.set_title(_LABEL[key], fontsize=10)
        ax.grid(alpha=0.3)
    if design == "sobol":
        axes[0][0].legend(fontsize=8, loc="lower right")
    fig.suptitle(f"Sensitivity of outcome probabilities ({design})", fontsize=11)
    return fig


def markdown_table(table: pd.DataFrame) -> str:
    """A plain Markdown table (no extra dependency), numbers to 3 decimals."""

    def fmt(v: Any) -> str:
        return f"{v:.3f}" if isinstance(v, float | np.floating) else str(v)

    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- writing


def save_new(folder: Path, stem: str, ext: str, write: Any) -> Path:
    """Write a file under a name not yet taken (stem.ext, stem-2.ext, ...): never replaces an existing file.

    ``write(path)`` writes to a temporary path; the file then gets its name by a
    hard link, which fails rather than replace.
    """
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{stem}.{os.getpid()}.tmp{ext}"
    write(tmp)
    try:
        k = 1
        while True:
            path = folder / (f"{stem}{ext}" if k == 1 else f"{stem}-{k}{ext}")
            try:
                os.link(tmp, path)
                return path
            except FileExistsError:
                k += 1
    finally:
        tmp.unlink(missing_ok=True)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "param"


def _save_fig(fig: Figure, folder: Path, stem: str) -> Path:
    try:
        return save_new(folder, stem, ".png", lambda p: fig.savefig(p, dpi=120))
    finally:
        plt.close(fig)


def write_figures(
    res: SweepResults, params: Sequence[str] | None = None, phases: Sequence[tuple[str, str]] | None = None
) -> list[Path]:
    """Shares along each parameter, phase diagrams of pairs, and sensitivity (table and chart) for sobol/morris.

    Without arguments: every parameter, the pairs of the first four, and the
    sensitivity analysis; with ``params`` or ``phases``, just those. Figures
    go to ``<folder>/figures/``, sensitivity tables to the folder; an existing
    file is never replaced: a new one gets a ``-2``, ``-3``... suffix.
    """
    figdir = res.folder / "figures"
    everything = not params and not phases
    names = list(params) if params else (res.params if everything else [])
    if everything:
        phases = list(itertools.combinations(res.params[:4], 2))
    out = []
    sampled = res.design != "grid"
    for p in names:
        out.append(_save_fig(plot_parameter(res.summary, p, sampled=sampled), figdir, f"shares_{_slug(p)}"))
    for px, py in phases or []:
        out.append(
            _save_fig(
                plot_phase(res.summary, px, py, outcome=None, sampled=sampled),
                figdir,
                f"phase_{_slug(px)}__{_slug(py)}",
            )
        )
    if everything and res.design in ("sobol", "morris"):
        table = sensitivity(res)
        out.append(save_new(res.folder, "sensitivity", ".csv", lambda p: table.to_csv(p, index=False)))
        out.append(save_new(res.folder, "sensitivity", ".md", lambda p: Path(p).write_text(markdown_table(table))))
        out.append(_save_fig(plot_sensitivity(table, res.design), figdir, "sensitivity"))
    return out
