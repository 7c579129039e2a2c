"""Scenario discovery on a sweep: which region of the parameter space leads to an outcome.

A sweep stores many replicates per design point, so an outcome is a share per point,
not a yes or no. Two framings:

* ``level="runs"`` (default): a row per run, its point's parameters and whether it had
  the outcome. A box's density then reads "escalation in 80% of runs in the box" and
  its coverage "the box holds 60% of all escalations". Replicates of a point share their
  parameters, so boxes cut whole points.
* ``level="points"``: a row per design point, a case when its share reaches
  ``point_threshold``: "points where escalation is the majority outcome". EMA's
  quasi-p values only make sense here (at the run level they treat a point's
  replicates as independent evidence).

PRIM is in :mod:`hedgesim.analysis.prim`; CART comes from scikit-learn
(``pip install 'hedgesim[discovery]'``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..core import outcome as outcome_entry
from ..errors import InputError
from .compare import outcome_indicator
from .prim import PrimResult

LEVELS = ("runs", "points")


def readable(param: str) -> str:
    """A parameter path as words: ``actors.NATO.state.posture`` -> ``NATO posture``."""
    m = re.fullmatch(r"actors\.([^.]+)\.(?:state|rule\.params)\.(.+)", param)
    text = f"{m.group(1)} {m.group(2)}" if m else re.sub(r"^(parameters|mechanisms|outcomes)\.", "", param)
    return text.replace("_", " ")


def discovery_data(
    points: pd.DataFrame,
    params: Sequence[str],
    outcome: str,
    *,
    runs: pd.DataFrame | None = None,
    summary: pd.DataFrame | None = None,
    level: str = "runs",
    point_threshold: float = 0.5,
) -> tuple[pd.DataFrame, np.ndarray]:
    """The parameters ``x`` (a column per parameter path) and the cases ``y`` for PRIM or CART.

    ``points``: a row per design point (``point`` and the parameters). ``level="runs"``
    needs ``runs`` (``point``, ``outcome``, ``side``); ``level="points"`` needs ``summary``
    (``point`` and the outcome's share column).

    Raises:
        InputError: an unknown level or outcome, or the table that level needs is missing.
    """
    if level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}, got {level!r}", field="level")
    try:
        key = outcome_entry(outcome).key
    except KeyError:
        raise InputError(f"unknown outcome {outcome!r}", field="outcome") from None
    table = points.set_index("point")[list(params)]
    if level == "runs":
        if runs is None:
            raise InputError("level='runs' needs the runs table", field="runs")
        x = table.loc[runs["point"].to_numpy()].reset_index(drop=True)
        y = outcome_indicator(runs, key)
    else:
        if summary is None:
            raise InputError("level='points' needs the summary table", field="summary")
        s = summary.set_index("point")
        ran = s.index[s["n"] > 0]
        x = table.loc[ran].reset_index(drop=True)
        y = s.loc[ran, key].to_numpy(float) >= point_threshold
    for c in x.columns:
        if pd.api.types.is_bool_dtype(x[c]):
            x[c] = x[c].astype(float)
    return x, np.asarray(y, dtype=bool)


def cart(
    x: pd.DataFrame, y: np.ndarray, max_depth: int = 3, min_samples_leaf: float = 0.05, random_state: int = 0
) -> tuple[object, pd.DataFrame]:
    """A CART classification tree (scikit-learn) of the cases, and a table of its leaves.

    Each leaf row: ``rule`` (its conditions), ``n`` rows, ``k`` cases, ``density``,
    ``coverage`` and ``mass``, densest first.

    Raises:
        InputError: scikit-learn is not installed, or the parameters are not numeric.
    """
    try:
        from sklearn.tree import DecisionTreeClassifier
    except ImportError:
        raise InputError("CART needs scikit-learn: pip install 'hedgesim[discovery]'", field="method") from None
    bad = [c for c in x.columns if not pd.api.types.is_numeric_dtype(x[c])]
    if bad:
        raise InputError(f"CART here takes numeric parameters; {', '.join(bad)} is not", field="x")
    y = np.asarray(y, dtype=bool)
    X = x.to_numpy(float)
    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_samples_leaf, random_state=random_state)
    tree.fit(X, y.astype(int))
    t = tree.tree_
    leaf_of = tree.apply(X)
    total = int(y.sum())
    rows = []

    def rule(bounds: dict[str, list[float]]) -> str:
        conds = []
        for name, (lo, hi) in bounds.items():
            if lo > -np.inf and hi < np.inf:
                conds.append(f"{name} in ({lo:.3g}, {hi:.3g}]")
            elif lo > -np.inf:
                conds.append(f"{name} > {lo:.3g}")
            else:
                conds.append(f"{name} <= {hi:.3g}")
        return " and ".join(conds) or "(all)"

    def walk(node: int, bounds: dict[str, list[float]]) -> None:
        if t.children_left[node] == -1:
            mask = leaf_of == node
            n, k = int(mask.sum()), int(y[mask].sum())
            rows.append(
                {
                    "leaf": int(node),
                    "rule": rule(bounds),
                    "n": n,
                    "k": k,
                    "density": k / n if n else np.nan,
                    "coverage": k / total if total else np.nan,
                    "mass": n / len(y),
                }
            )
            return
        name, thr = readable(str(x.columns[t.feature[node]])), float(t.threshold[node])
        lo, hi = bounds.get(name, [-np.inf, np.inf])
        walk(int(t.children_left[node]), {**bounds, name: [lo, min(hi, thr)]})
        walk(int(t.children_right[node]), {**bounds, name: [max(lo, thr), hi]})

    walk(0, {})
    leaves = pd.DataFrame(rows).sort_values(["density", "n"], ascending=False, ignore_index=True)
    return tree, leaves


def _conditions(table: pd.DataFrame, digits: int) -> list[str]:
    conds = []
    for r in table.itertuples():
        name = readable(str(r.parameter))
        if r.lower_restricted and r.upper_restricted:
            conds.append(f"{name} between {r.min:.{digits}g} and {r.max:.{digits}g}")
        elif r.lower_restricted:
            conds.append(f"{name} > {r.min:.{digits}g}")
        else:
            conds.append(f"{name} < {r.max:.{digits}g}")
    return conds


def describe_box(
    res: PrimResult,
    outcome: str,
    level: str = "runs",
    i: int | None = None,
    digits: int = 2,
    point_threshold: float = 0.5,
) -> str:
    """One plain-language paragraph on box ``i`` (default: the selected one).

    E.g. "Escalation in 82% of runs when NATO posture > 0.59 and Russia coercion < 0.31
    (PRIM box 14: 9,800 runs, 16% of those sampled; it holds 61% of all escalation runs;
    escalation in 21% of all runs)."
    """
    i = res.selected if i is None else i
    s = res.stats(i)
    table = res.box_table(i)
    label = outcome_entry(outcome).label
    where = " and ".join(_conditions(table, digits)) or "anywhere in the sampled space"
    base = res.trajectory["density"].iloc[0]
    if level == "runs":
        head = f"{label.capitalize()} in {s['density']:.0%} of runs when {where}"
        tail = f"it holds {s['coverage']:.0%} of all {label} runs; {label} in {base:.0%} of all runs"
        unit = "runs"
    else:
        case = f"points where {label} has a share of at least {point_threshold:.0%}"
        head = f"{s['density']:.0%} of design points are {case} when {where}"
        tail = f"it holds {s['coverage']:.0%} of all such points; {base:.0%} of all points are"
        unit = "points"
    short = (
        "" if s["density"] >= res.threshold else f"; no box reaches the {res.threshold:.0%} target: this is the densest"
    )
    return f"{head} (PRIM box {i}: {int(s['n']):,} {unit}, {s['mass']:.0%} of those sampled; {tail}{short})."
