"""Figures of a calibration: reliability of the case predictions, and posterior against prior.

Both take plain tables (from :mod:`hedgesim.inference`), so they draw the same whether
the tables come from a fresh calibration folder or the posterior the package ships.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure


def plot_reliability(table: pd.DataFrame, title: str = "") -> Figure:
    """Observed frequency against predicted probability, per bin, with 95% Wilson intervals.

    ``table`` is :func:`hedgesim.inference.reliability`; each point is labelled with how many
    (case, outcome) predictions it pools, because with a few dozen cases the intervals are wide.
    """
    fig, ax = plt.subplots(figsize=(5, 5), constrained_layout=True)
    ax.plot([0, 1], [0, 1], color="#888888", lw=1, ls="--", label="perfectly calibrated")
    t = table[table["n"] > 0]
    yerr = np.vstack([t["observed"] - t["lo"], t["hi"] - t["observed"]])
    ax.errorbar(t["predicted"], t["observed"], yerr=yerr, fmt="o", color="#1f4e79", capsize=3, label="cases")
    for _, r in t.iterrows():
        ax.annotate(f"n={int(r['n'])}", (r["predicted"], r["observed"]), textcoords="offset points", xytext=(6, -10))
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="predicted probability", ylabel="observed frequency")
    ax.set_title(title or "Reliability of the leave-one-out predictions")
    ax.legend(loc="upper left", frameon=False)
    return fig


def plot_identification(
    samples: pd.DataFrame, table: pd.DataFrame, threshold: float, count: int = 12, title: str = ""
) -> Figure:
    """Posterior against prior for the ``count`` parameters the cases move most.

    Each panel shows a parameter's prior (the vectors with equal weights) and posterior (the
    same vectors, weighted) as histograms in its own units; the panel title gives the
    distance and whether it exceeds ``threshold`` (identified at the family-wise 5% level).
    """
    rows = table.head(count)
    n = len(rows)
    ncols = 4
    nrows = max(1, -(-n // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 2.4 * nrows), constrained_layout=True, squeeze=False)
    w = samples["weight"].to_numpy(dtype=float)
    w = w / w.sum()
    for ax, (_, r) in zip(axes.ravel(), rows.iterrows(), strict=False):
        x = samples[f"draw.{r['parameter']}"].to_numpy(dtype=float)
        bins = np.histogram_bin_edges(x, bins=20)
        ax.hist(x, bins=bins, density=True, color="#bbbbbb", label="prior")
        ax.hist(x, bins=bins, weights=w, density=True, histtype="step", lw=2, color="#1f4e79", label="posterior")
        mark = "identified" if r["identified"] else "not identified"
        ax.set_title(f"{r['parameter']}\nD={r['distance']:.2f} ({mark})", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_yticks([])
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    axes.ravel()[0].legend(fontsize=7, frameon=False)
    fig.suptitle(title or f"Posterior against prior (identified: distance above {threshold:.2f})", fontsize=10)
    return fig
