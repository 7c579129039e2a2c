"""Intervals and tests: shares, differences of shares, means and differences of means."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from scipy.optimize import brentq
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


def newcombe_paired_interval(a: int, b: int, c: int, d: int, level: float = LEVEL) -> tuple[float, float, float]:
    """Difference of paired shares ``(c - b) / n`` with Newcombe's (1998b) method 10 interval.

    Under common random numbers replicate i of two scenarios draws the same random stream,
    so their outcomes are paired; an independent-samples interval ignores that and is
    needlessly wide. The pairs form the table ``[[a, b], [c, d]]``: rows the reference
    (yes, no), columns the other scenario (yes, no), so ``b`` counts pairs where only the
    reference had the outcome and ``c`` where only the other had it; the difference is
    ``other - reference``. Wilson limits of both margins are combined with Newcombe's
    continuity-corrected phi. No released Python library has this interval (statsmodels
    0.15 has only the independent one), so it is here, tested against Fagerland, Lydersen
    and Laake (2017)'s worked example.

    Raises:
        ValueError: an empty table.
    """
    n = a + b + c + d
    if n <= 0:
        raise ValueError("an empty table has no difference")
    p_ref, p_other = (a + b) / n, (a + c) / n
    l_ref, u_ref = (float(v) for v in wilson_interval(a + b, n, level))
    l_oth, u_oth = (float(v) for v in wilson_interval(a + c, n, level))
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    phi = 0.0
    if margins > 0:
        cross = a * d - b * c
        num = cross - n / 2 if cross > n / 2 else (0.0 if cross >= 0 else cross)
        phi = num / math.sqrt(margins)
    diff = p_other - p_ref
    dl_o, du_o, dl_r, du_r = p_other - l_oth, u_oth - p_other, p_ref - l_ref, u_ref - p_ref
    lo = diff - math.sqrt(max(dl_o**2 - 2 * phi * dl_o * du_r + du_r**2, 0.0))
    hi = diff + math.sqrt(max(du_o**2 - 2 * phi * du_o * dl_r + dl_r**2, 0.0))
    return diff, max(lo, -1.0), min(hi, 1.0)


def _tango_p21(delta: float, b: int, c: int, n: int) -> float:
    """Restricted maximum-likelihood estimate of the cell p21 under p12 - p21 = delta (Tango 1998, eq. 5)."""
    qa = 2 * n
    qb = -b - c + (2 * n - b + c) * delta
    qc = -c * delta * (1 - delta)
    return (math.sqrt(max(qb * qb - 4 * qa * qc, 0.0)) - qb) / (2 * qa)


def tango_statistic(delta: float, b: int, c: int, n: int) -> float:
    """Tango's score statistic for H0: ``(b - c) / n = delta`` in expectation; McNemar's at delta 0."""
    p21 = _tango_p21(delta, b, c, n)
    var = n * (2 * p21 + delta * (1 - delta))
    if var <= 0:
        return math.copysign(math.inf, b - c - n * delta) if b - c != n * delta else 0.0
    return (b - c - n * delta) / math.sqrt(var)


def tango_interval(b: int, c: int, n: int, level: float = LEVEL) -> tuple[float, float, float]:
    """Tango's (1998) asymptotic score interval for a paired difference ``(b - c) / n``.

    ``b`` and ``c`` are the two discordant counts and ``n`` the number of pairs. The
    limits are where the score statistic equals -z and +z (Brent's method). It is the
    second paired interval reported next to Newcombe's: both hold their level in the
    simulations of Fagerland et al. (2014) where Wald intervals do not.

    Raises:
        ValueError: counts that cannot form a table.
    """
    if n <= 0 or b < 0 or c < 0 or b + c > n:
        raise ValueError("need 0 <= b, c and b + c <= n, with n > 0")
    z = float(norm.ppf(0.5 + level / 2))
    est = (b - c) / n
    eps = 1e-12
    lo = -1.0 if est <= -1 else brentq(lambda x: tango_statistic(x, b, c, n) - z, -1 + eps, est, xtol=1e-12)
    hi = 1.0 if est >= 1 else brentq(lambda x: tango_statistic(x, b, c, n) + z, est, 1 - eps, xtol=1e-12)
    return est, float(lo), float(hi)
