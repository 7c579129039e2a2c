"""Honest shares along a parameter of a sweep, and flags on sensitivity indices that should not be read.

**Shares along a parameter.** In a sampled design (LHS, random, Sobol, Morris) the
points in a bin of one parameter differ in all the others, so each has its own outcome
probability, and which points fell in the bin is itself random. Pooling their runs into
one Wilson interval ignores that between-point variation: on five independent LHS
sweeps (300 points x 200 replicates) the pooled band held an independent 2,000-point
sweep's bin mean in 20% of bins. The estimate here is the mean of the per-point shares
in a bin, with a t interval over its points (94% of bins), widened to the pooled Wilson
interval where that is wider (a bin whose points all have share 0 has no spread). In a
grid the other parameters' levels are fixed, not sampled: the mean of the per-point
shares then has only binomial error, and the pooled Wilson interval is the right band.

**Sensitivity flags.** Sobol and Morris indices of an outcome probability are estimated
from a finite design with a finite number of replicates per point; see
:func:`flag_sensitivity` for the rules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

from ..errors import InputError
from .intervals import LEVEL, wilson_interval

#: An outcome is too rare for indices below this mean number of runs with it per point...
MIN_EVENTS = 5.0
#: ... or when fewer than this share of the points saw it at all.
MIN_POINTS_WITH_EVENT = 0.10
#: Binomial noise above this share of the variance of per-point shares inflates every ST by as much.
NOISE_MAX = 0.10

#: Flag columns, in the order they are reported, with the words the ``flags`` column uses.
FLAGS: dict[str, str] = {
    "rare": "rare outcome",
    "noisy": "noisy outcome",
    "impossible": "impossible value",
    "s1_wide": "S1 interval > S1",
    "st_wide": "ST interval > ST",
    "within_noise": "ST within noise",
    "mu_wide": "mu* interval > mu*",
}
#: What each flag means, for legends and reports.
FLAG_MEANINGS: dict[str, str] = {
    "rare": "the outcome is too rare (or too common) at the design's points for its indices to be estimated",
    "noisy": "replicate noise is over 10% of the variance between points: it inflates every ST by as much",
    "impossible": "a value no index can take (ST > 1, S1 > ST + interval, below 0): too few base samples",
    "s1_wide": "S1's 95% interval is wider than S1: it reaches 0",
    "st_wide": "ST's 95% interval is wider than ST: it reaches 0",
    "within_noise": "ST is at most twice what replicate noise alone adds to every ST",
    "mu_wide": "mu*'s 95% interval is wider than mu*: it reaches 0",
}


def _bins(x: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Equal-count bins (quantile edges): each bin's index for every value, and the edges."""
    edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)))
    if len(edges) < 2:
        return np.zeros(len(x), dtype=int), np.array([x.min(), x.max()])
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
    return idx, edges


def binned_shares(
    summary: pd.DataFrame,
    param: str,
    outcome: str,
    bins: int | None = 10,
    sampled: bool = True,
    level: float = LEVEL,
) -> pd.DataFrame:
    """Share of ``outcome`` along ``param``: per bin (or per value), the mean of per-point shares and its band.

    ``summary`` has a row per design point with ``param``, ``n`` and ``<outcome>_n``.
    ``bins``: equal-count bins of a numeric parameter; None keeps each distinct value.
    ``sampled``: the other parameters were sampled (LHS, random, Sobol, Morris), so
    the band includes the variation between points; False for a grid.

    Columns: ``group, x, x_lo, x_hi, points, runs, share, lo, hi`` (the band),
    ``pooled, pooled_lo, pooled_hi`` (Wilson interval of pooled counts), ``t_lo, t_hi``
    (t interval over points; NaN with one point) and ``overdispersion`` (variance of the
    per-point shares over what binomial noise alone gives; about 1 when the other
    parameters do not matter).

    Raises:
        InputError: ``param`` or the outcome's counts are not columns of ``summary``.
    """
    for col in (param, "n", f"{outcome}_n"):
        if col not in summary.columns:
            raise InputError(f"the summary has no column {col!r}", field="summary")
    ran = summary[summary["n"] > 0]
    values = ran[param]
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if bins is not None and numeric:
        idx, _ = _bins(values.to_numpy(float), bins)
        groups = pd.Series(idx, index=ran.index)
    else:
        order = {v: i for i, v in enumerate(sorted(values.unique()))}
        groups = values.map(order)
    z_level = 0.5 + level / 2
    rows = []
    for g, sel in ran.groupby(groups, sort=True):
        k, n = sel[f"{outcome}_n"].to_numpy(float), sel["n"].to_numpy(float)
        p = k / n
        m = len(p)
        plo, phi = (float(v) for v in wilson_interval(k.sum(), n.sum(), level))
        mean = float(p.mean())
        tlo = thi = np.nan
        sd = float(p.std(ddof=1)) if m > 1 else np.nan
        if m > 1:
            half = float(student_t.ppf(z_level, m - 1)) * sd / np.sqrt(m)
            tlo, thi = max(mean - half, 0.0), min(mean + half, 1.0)
        noise = float(np.mean(p * (1 - p) / n))
        lo, hi = (min(tlo, plo), max(thi, phi)) if sampled and m > 1 else (plo, phi)
        x = sel[param]
        rows.append(
            {
                "group": int(g),
                "x": float(x.median()) if numeric else x.iloc[0],
                "x_lo": x.min(),
                "x_hi": x.max(),
                "points": m,
                "runs": int(n.sum()),
                "share": mean if sampled else float(k.sum() / n.sum()),
                "lo": lo,
                "hi": hi,
                "pooled": float(k.sum() / n.sum()),
                "pooled_lo": plo,
                "pooled_hi": phi,
                "t_lo": tlo,
                "t_hi": thi,
                "overdispersion": sd**2 / noise if m > 1 and noise > 0 else np.nan,
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(param=param, outcome=outcome, level=level, sampled=sampled)
    return out


def noise_fraction(summary: pd.DataFrame, outcome: str) -> float:
    """Share of the variance of per-point shares that binomial noise explains (inf when they do not vary).

    mean_j p_j (1 - p_j) / (n_j - 1) over Var_j(p_j). In Sobol's estimators this noise acts
    as one more input, uncorrelated with the parameters: it adds about this fraction to every
    ST and shrinks every S1 by as much (checked with SALib on a toy model in the tests).
    """
    ran = summary[summary["n"] > 0]
    n = ran["n"].to_numpy(float)
    p = ran[f"{outcome}_n"].to_numpy(float) / n
    if len(p) < 2:
        return float("inf")
    var = float(p.var(ddof=1))
    noise = float(np.mean(p * (1 - p) / np.maximum(n - 1, 1)))
    return noise / var if var > 0 else float("inf")


def flag_sensitivity(table: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """The sensitivity table with a ``flags`` column (and one boolean per flag) saying what not to read.

    Per outcome: ``rare`` (mean runs with the outcome per point under :data:`MIN_EVENTS`, or
    under :data:`MIN_POINTS_WITH_EVENT` of the points saw it: the variance the indices split
    is then mostly noise and a few points; the same for runs without it, as an outcome
    nearly every run has is as uninformative) and, for Sobol, ``noisy`` (:func:`noise_fraction`
    over :data:`NOISE_MAX`). Per index, Sobol: ``s1_wide`` (``S1_conf > |S1|``) and ``st_wide``
    (``ST_conf > ST``): the interval reaches 0; ``impossible`` (``ST > 1``, ``S1 > 1``,
    ``S1 > ST + ST_conf``, or below 0 by more than its interval: estimator noise, too few
    base samples) and ``within_noise`` (``ST`` at most twice the noise fraction); Morris:
    ``mu_wide`` (``mu_star_conf > mu_star``). ``flags`` lists the raised ones in words,
    comma-separated; ``read_S1`` and ``read_ST`` (Sobol) or ``read`` (Morris) are true when no
    flag concerning that index is raised. ``noise_fraction``, ``mean_events`` and
    ``points_with_event`` (the smaller of with and without the outcome) are repeated on
    each row of an outcome.

    Raises:
        InputError: the table is neither Sobol's nor Morris's.
    """
    sobol = {"S1", "S1_conf", "ST", "ST_conf"} <= set(table.columns)
    if not sobol and not {"mu_star", "mu_star_conf"} <= set(table.columns):
        raise InputError("not a table of Sobol or Morris indices", field="sensitivity")
    out = table.copy()
    per = {}
    ran = summary[summary["n"] > 0]
    for key in out["outcome"].unique():
        k, n = ran[f"{key}_n"].to_numpy(float), ran["n"].to_numpy(float)
        # Symmetric: an outcome almost every run has is as uninformative as one almost none has.
        mean_events = float(min(k.mean(), (n - k).mean()))
        with_event = float(min((k > 0).mean(), (k < n).mean()))
        per[key] = (noise_fraction(summary, key), mean_events, with_event)
    out["noise_fraction"] = out["outcome"].map(lambda o: per[o][0])
    out["mean_events"] = out["outcome"].map(lambda o: per[o][1])
    out["points_with_event"] = out["outcome"].map(lambda o: per[o][2])
    out["rare"] = (out["mean_events"] < MIN_EVENTS) | (out["points_with_event"] < MIN_POINTS_WITH_EVENT)
    if sobol:
        s1, s1c, st, stc = (out[c].astype(float) for c in ("S1", "S1_conf", "ST", "ST_conf"))
        finite = np.isfinite(out["noise_fraction"])  # not finite: the shares do not vary at all
        out["noisy"] = finite & (out["noise_fraction"] > NOISE_MAX)
        out["impossible"] = (st > 1) | (s1 > 1) | (s1 > st + stc) | (s1 < -s1c) | (st < -stc)
        out["s1_wide"] = s1c > s1.abs()
        out["st_wide"] = stc > st
        out["within_noise"] = finite & (st <= 2 * out["noise_fraction"])
        common = out["rare"] | out["noisy"] | out["impossible"]
        out["read_S1"] = ~(common | out["s1_wide"])
        out["read_ST"] = ~(common | out["st_wide"] | out["within_noise"])
        names = [f for f in FLAGS if f != "mu_wide"]
    else:
        out["mu_wide"] = out["mu_star_conf"].astype(float) > out["mu_star"].astype(float)
        out["read"] = ~(out["rare"] | out["mu_wide"])
        names = ["rare", "mu_wide"]
    raised = out[names].astype(bool).to_numpy()
    out["flags"] = [", ".join(FLAGS[f] for f, on in zip(names, row, strict=True) if on) for row in raised]
    return out
