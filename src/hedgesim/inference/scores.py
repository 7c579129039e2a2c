"""Proper scores of probabilistic case predictions, the baselines they are judged against, reliability.

Both scores are proper (a forecaster does best by stating its true belief) and lower is better:

* Brier: the squared distance between the three predicted probabilities and the observed
  outcome's indicator, from 0 (certain and right) to 2 (certain and wrong).
* Log score: minus the natural log of the probability given to what happened.

Baselines, each given only what the model was given:

* ``base_rate``: the outcomes' frequencies over the other scored cases (Jeffreys-smoothed,
  so no outcome gets probability zero).
* ``neutrality_always``: neutrality kept with probability 0.98, the others 0.01 each (a
  certain forecast would score an infinite log loss the first time it is wrong).
* ``prior``: the model before calibration (the prior predictive).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..analysis import wilson_interval
from ..core import OUTCOME_NAMES

#: Probability "neutrality always" leaves each other outcome.
EPSILON = 0.01
#: Reliability bins of predicted probability.
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def brier(p: np.ndarray, observed: list[str]) -> np.ndarray:
    """Multi-category Brier score per prediction (rows of ``p`` are the three probabilities)."""
    y = indicators(observed)
    return np.sum((np.asarray(p, dtype=float) - y) ** 2, axis=1)


def log_score(p: np.ndarray, observed: list[str]) -> np.ndarray:
    """Minus the log probability of the observed outcome, per prediction."""
    y = indicators(observed).astype(bool)
    return -np.log(np.asarray(p, dtype=float)[y])


def indicators(observed: list[str]) -> np.ndarray:
    """One row per case: 1 in the observed outcome's column."""
    y = np.zeros((len(observed), len(OUTCOME_NAMES)))
    y[np.arange(len(observed)), [OUTCOME_NAMES.index(o) for o in observed]] = 1.0
    return y


def base_rate_loo(observed: list[str]) -> np.ndarray:
    """For each case, the Jeffreys-smoothed outcome frequencies over the other cases."""
    y = indicators(observed)
    others = y.sum(axis=0)[None, :] - y
    return (others + 0.5) / (len(observed) - 1 + 0.5 * len(OUTCOME_NAMES))


def neutrality_always(n: int) -> np.ndarray:
    """Neutrality kept with probability 1 - 2 * EPSILON, for ``n`` cases."""
    row = np.full(len(OUTCOME_NAMES), EPSILON)
    row[OUTCOME_NAMES.index("neutrality_kept")] = 1 - EPSILON * (len(OUTCOME_NAMES) - 1)
    return np.tile(row, (n, 1))


def score_table(predictions: pd.DataFrame) -> pd.DataFrame:
    """Mean Brier and log score of each method, and its paired difference from leave-one-out.

    The difference comes with a 95% bootstrap interval over cases (positive: the method
    does worse than the model predicting each case from the others).

    ``predictions`` has one row per case and method: ``case``, ``method``, ``observed`` and
    the three probabilities.
    """
    rows = []
    ref = predictions[predictions["method"] == "loo"].set_index("case")
    for method, grp in predictions.groupby("method", sort=False):
        g = grp.set_index("case").loc[ref.index]
        p = g[list(OUTCOME_NAMES)].to_numpy()
        obs = list(g["observed"])
        row = {"method": method, "cases": len(g)}
        for name, fn in (("brier", brier), ("log", log_score)):
            s = fn(p, obs)
            row[name] = float(s.mean())
            d = s - fn(ref[list(OUTCOME_NAMES)].to_numpy(), list(ref["observed"]))
            row[f"{name}_minus_loo"] = float(d.mean())
            if method == "loo":
                row[f"{name}_lo"] = row[f"{name}_hi"] = float("nan")
            elif len(d) > 2 and np.ptp(d) > 0:
                ci = stats.bootstrap((d,), np.mean, confidence_level=0.95, random_state=0, method="percentile")
                row[f"{name}_lo"], row[f"{name}_hi"] = (
                    float(ci.confidence_interval.low),
                    float(ci.confidence_interval.high),
                )
            else:  # every case differs alike (or too few cases to resample): the interval is the point
                row[f"{name}_lo"] = row[f"{name}_hi"] = float(d.mean())
        rows.append(row)
    return pd.DataFrame(rows)


def reliability(predictions: pd.DataFrame, bins: tuple[float, ...] = BINS) -> pd.DataFrame:
    """Predicted probability against observed frequency, pooling every case and outcome.

    One row per bin: how many (case, outcome) predictions fell in it, their mean predicted
    probability, the share that happened, and its 95% Wilson interval.
    """
    p = predictions[list(OUTCOME_NAMES)].to_numpy().ravel()
    y = indicators(list(predictions["observed"])).ravel()
    idx = np.clip(np.digitize(p, bins[1:-1], right=False), 0, len(bins) - 2)
    rows = []
    for b in range(len(bins) - 1):
        m = idx == b
        n = int(m.sum())
        if n == 0:
            rows.append(
                {
                    "bin": f"{bins[b]:.1f}-{bins[b + 1]:.1f}",
                    "n": 0,
                    "predicted": np.nan,
                    "observed": np.nan,
                    "lo": np.nan,
                    "hi": np.nan,
                }
            )
            continue
        k = int(y[m].sum())
        lo, hi = wilson_interval(k, n)
        rows.append(
            {
                "bin": f"{bins[b]:.1f}-{bins[b + 1]:.1f}",
                "n": n,
                "predicted": float(p[m].mean()),
                "observed": k / n,
                "lo": float(lo),
                "hi": float(hi),
            }
        )
    return pd.DataFrame(rows)
