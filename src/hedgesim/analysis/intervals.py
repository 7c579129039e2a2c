"""Intervals and tests: shares, differences of shares, means and differences of means."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from scipy.stats import norm

LEVEL = 0.95


def wilson_interval(k: np.ndarray | int, n: np.ndarray | int, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial share: good near 0 and 1, where Wald fails."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        # Rounding can put a bound a hair past the share at k = 0 or k = n; keep it inside.
        lo = np.where(k == 0, 0.0, np.minimum(centre - half, p))
        hi = np.where(k == n, 1.0, np.maximum(centre + half, p))
    return np.clip(lo, 0, 1), np.clip(hi, 0, 1)


def newcombe_interval(k1: int, n1: int, k2: int, n2: int, level: float = LEVEL) -> tuple[float, float, float]:
    """Difference p2 - p1 with Newcombe's hybrid score interval (method 10, from Wilson intervals)."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = (float(x) for x in wilson_interval(k1, n1, level))
    l2, u2 = (float(x) for x in wilson_interval(k2, n2, level))
    d = p2 - p1
    return d, d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)


def welch_interval(a: np.ndarray, b: np.ndarray, level: float = LEVEL) -> tuple[float, float, float]:
    """Difference of means mean(b) - mean(a) with a Welch t interval."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = float(b.mean() - a.mean())
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    if se == 0:
        return d, d, d
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    t = float(stats.t.ppf(0.5 + level / 2, dof))
    return d, d - t * se, d + t * se


def mean_interval(x: np.ndarray, level: float = LEVEL) -> tuple[float, float, float]:
    """Mean of ``x`` with a t interval: (mean, lo, hi)."""
    x = np.asarray(x, float)
    m = float(x.mean())
    se = float(x.std(ddof=1) / math.sqrt(len(x))) if len(x) > 1 else 0.0
    t = float(stats.t.ppf(0.5 + level / 2, max(len(x) - 1, 1)))
    return m, m - t * se, m + t * se
