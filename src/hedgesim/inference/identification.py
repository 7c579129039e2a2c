"""Which parameters the cases identify: each posterior marginal against its prior.

Every parameter is compared on its prior's quantile scale (the unit-cube coordinate ``u``
of each vector), where the prior is uniform whatever its shape, so parameters compare
with one another:

* ``distance``: the largest gap between the posterior's weighted distribution function of
  ``u`` and the prior's (a weighted Kolmogorov-Smirnov statistic);
* ``contraction``: one minus the posterior variance of ``u`` over the prior's (0: the data
  say nothing about its spread; 1: pinned down);
* the posterior median and 90% interval in the parameter's own units, next to the prior's.

A finite sample of weights moves every marginal a little even where the likelihood ignores
the parameter. So a parameter counts as identified only when its distance exceeds what
weights unrelated to any parameter produce: the 95th percentile, over random permutations
of the weights among the vectors, of the largest distance over all parameters (a
family-wise 5% level across the many parameters).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .design import U_PREFIX

#: Permutations of the weights for the null distribution of the distance.
PERMUTATIONS = 200


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """The ``q`` quantile of ``x`` under weights ``w``."""
    order = np.argsort(x)
    cw = np.cumsum(w[order])
    return float(x[order][min(np.searchsorted(cw, q * cw[-1]), len(x) - 1)])


def _distances(u_sorted_idx: np.ndarray, u_sorted: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted KS distance from uniform, per column (inputs pre-sorted per column)."""
    cw = np.cumsum(w[u_sorted_idx], axis=0)  # weighted ECDF at each sorted u
    n = len(w)
    below = cw - w[u_sorted_idx]  # ECDF just before each point
    return np.maximum(np.abs(cw - u_sorted), np.abs(below - u_sorted)).max(axis=0) if n else np.zeros(0)


def identification(
    vectors: pd.DataFrame, weights: np.ndarray, seed: int = 0, prior_rows: np.ndarray | None = None
) -> tuple[pd.DataFrame, float]:
    """One row per parameter (most identified first) and the family-wise threshold of ``distance``.

    ``prior_rows`` marks the vectors drawn from the prior (default: all). The prior's
    summaries come from them with equal weights, and the null distribution permutes their
    own normalised weights among them: a posterior concentrated as much as theirs but blind
    to every parameter. A refined sample's weights are spread more evenly, so this null is
    conservative for it.
    """
    cols = [c for c in vectors.columns if c.startswith("draw.")]
    U = vectors[[U_PREFIX + c for c in cols]].to_numpy(dtype=float)
    X = vectors[cols].to_numpy(dtype=float)
    w = np.asarray(weights, dtype=float) / np.sum(weights)
    idx = np.argsort(U, axis=0)
    Us = np.take_along_axis(U, idx, axis=0)
    dist = _distances(idx, Us, w)
    prior = np.ones(len(U), dtype=bool) if prior_rows is None else np.asarray(prior_rows, dtype=bool)
    Up = U[prior]
    wp = w[prior] / w[prior].sum() if w[prior].sum() > 0 else np.full(prior.sum(), 1 / prior.sum())
    pidx = np.argsort(Up, axis=0)
    Ups = np.take_along_axis(Up, pidx, axis=0)
    rng = np.random.default_rng(seed)
    null_max = np.array([_distances(pidx, Ups, rng.permutation(wp)).max() for _ in range(PERMUTATIONS)])
    threshold = float(np.quantile(null_max, 0.95))
    prior_var = Up.var(axis=0)
    mean = w @ U
    post_var = w @ (U - mean) ** 2
    rows = []
    for j, c in enumerate(cols):
        x = X[:, j]
        xp = x[prior]
        eq = np.full(len(xp), 1 / len(xp))
        rows.append(
            {
                "parameter": c.removeprefix("draw."),
                "distance": float(dist[j]),
                "contraction": float(1 - post_var[j] / prior_var[j]) if prior_var[j] > 0 else 0.0,
                "identified": bool(dist[j] > threshold),
                "prior_median": weighted_quantile(xp, eq, 0.5),
                "prior_lo": weighted_quantile(xp, eq, 0.05),
                "prior_hi": weighted_quantile(xp, eq, 0.95),
                "posterior_median": weighted_quantile(x, w, 0.5),
                "posterior_lo": weighted_quantile(x, w, 0.05),
                "posterior_hi": weighted_quantile(x, w, 0.95),
            }
        )
    out = pd.DataFrame(rows).sort_values("distance", ascending=False, ignore_index=True)
    return out, threshold
