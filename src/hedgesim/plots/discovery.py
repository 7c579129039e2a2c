"""Figures of scenario discovery: PRIM's coverage/density trade-off and the CART tree."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ..analysis import PrimResult, readable
from ..core import outcome as outcome_entry
from .style import subplots


def plot_tradeoff(res: PrimResult, outcome: str = "escalation", unit: str = "runs") -> Figure:
    """Coverage against density along PRIM's peeling trajectory, coloured by restricted dimensions.

    The selected box is circled and the density threshold drawn: boxes up and to the right
    are better; moving left along the trajectory buys density with coverage.
    """
    tr = res.trajectory
    label = outcome_entry(outcome).label
    fig, ax = subplots(figsize=(6.4, 4.8))
    ax.plot(tr["coverage"], tr["density"], color="grey", lw=0.7, zorder=2)
    dots = ax.scatter(tr["coverage"], tr["density"], c=tr["res_dim"], cmap="viridis", s=24, zorder=3)
    chosen = tr.iloc[res.selected]
    ax.scatter(
        [chosen["coverage"]],
        [chosen["density"]],
        s=180,
        facecolors="none",
        edgecolors="#c0392b",
        lw=1.6,
        zorder=4,
        label=f"selected box {res.selected}: coverage {chosen['coverage']:.0%}, density {chosen['density']:.0%}",
    )
    ax.axhline(res.threshold, color="#c0392b", ls=":", lw=0.9, label=f"density target {res.threshold:.0%}")
    dims = list(range(int(tr["res_dim"].min()), int(tr["res_dim"].max()) + 1))
    fig.colorbar(dots, ax=ax, label="restricted parameters", ticks=dims)
    ax.set_xlabel(f"coverage: share of all {label} {unit} inside the box")
    ax.set_ylabel(f"density: share of {unit} in the box with {label}")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(f"PRIM peeling trajectory for {label} ({res.engine})", fontsize=10)
    return fig


def plot_cart(tree: object, columns: list[str], outcome: str = "escalation") -> Figure:
    """The CART tree (scikit-learn's drawing): each node's rule, rows, and share with the outcome."""
    from sklearn.tree import plot_tree

    depth = int(tree.get_depth())  # type: ignore[attr-defined]
    fig, ax = subplots(figsize=(max(8.0, 3.2 * 2 ** min(depth, 3) / 1.6), 1.6 + 1.6 * depth))
    label = outcome_entry(outcome).label
    plot_tree(
        tree,
        feature_names=[readable(c) for c in columns],
        class_names=["other", label],
        filled=True,
        proportion=True,
        impurity=False,
        rounded=True,
        fontsize=8,
        ax=ax,
    )
    ax.set_title(f"CART tree for {label}: value = [share other, share {label}]", fontsize=10)
    return fig


def leaves_table(leaves: pd.DataFrame) -> pd.DataFrame:
    """CART leaves formatted for a report: rule, rows, share with the outcome, coverage."""
    return pd.DataFrame(
        {
            "rule": leaves["rule"],
            "rows": leaves["n"].map(lambda v: f"{int(v):,}"),
            "density": leaves["density"].map(lambda v: f"{v:.0%}"),
            "coverage": leaves["coverage"].map(lambda v: f"{v:.0%}"),
        }
    )
