"""Time to loss of neutrality: Kaplan-Meier survival and competing-risk cumulative incidence.

A run's ``outcome_step`` is when it was decided (bandwagoning or escalation, the two
competing risks) or, for neutrality kept, the horizon, where it is censored. The
estimates come from statsmodels (``SurvfuncRight``: Kaplan-Meier with Greenwood's
variance; ``CumIncidenceRight``: Aalen-Johansen with the delta-method variance), which
treat tied times exactly, events before censorings. lifelines is not used: its newest
release requires pandas < 3, and its ``AalenJohansenFitter`` breaks ties by jittering
event times but not censoring times, so runs decided at the horizon can fall after the
censored ones; on ``flank_buildup`` it reported final incidences of 0.68 and 0.32 where
the observed shares are 0.52 and 0.29 (docs/analysis.md).

Curves are returned on every step from 0 to the last time, with pointwise bands on the
log(-log) scale. Where the estimate is 0 or 1 that band has no width; as long as nothing
was censored before, the estimate is then a plain binomial share and the band is its
Wilson interval instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from ..core import OUTCOMES, OUTCOMES_BY_SIDE
from ..errors import InputError
from .intervals import LEVEL, wilson_interval

#: The competing risks: every outcome but neutrality kept (which is censoring at the horizon).
RISKS = tuple(o.key for o in OUTCOMES if o.key != "neutrality_kept")
RISKS_BY_SIDE = tuple(o.key for o in OUTCOMES_BY_SIDE if o.key != "neutrality_kept")


def event_codes(runs: pd.DataFrame, by_side: bool = False) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Durations (``outcome_step``), cause codes (0 censored, k for the k-th risk) and the risks' names.

    Raises:
        InputError: the table lacks the columns or holds an outcome that is not known.
    """
    missing = {"outcome", "outcome_step"} - set(runs.columns) | ({"side"} - set(runs.columns) if by_side else set())
    if missing:
        raise InputError(f"the runs table has no {', '.join(sorted(missing))} column", field="runs")
    out = runs["outcome"].astype(str).to_numpy()
    unknown = set(np.unique(out)) - {o.key for o in OUTCOMES}
    if unknown:
        raise InputError(f"unknown outcomes in the runs table: {sorted(unknown)}", field="runs")
    risks = RISKS_BY_SIDE if by_side else RISKS
    codes = np.zeros(len(out), dtype=np.int64)
    side = runs["side"].astype(str).to_numpy() if by_side else None
    for k, key in enumerate(risks, start=1):
        entry = next(o for o in (*OUTCOMES, *OUTCOMES_BY_SIDE) if o.key == key)
        hit = out == entry.outcome
        if entry.side and side is not None:
            hit &= side == entry.side
        codes[hit] = k
    return runs["outcome_step"].to_numpy(dtype=float), codes, risks


def _band(est: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise log(-log) band: it stays inside [0, 1]; no width where est is 0 or 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        theta = se / (est * np.abs(np.log(est)))
        lo = est ** np.exp(z * theta)
        hi = est ** np.exp(-z * theta)
    flat = (est <= 0) | (est >= 1) | ~np.isfinite(theta)
    return np.where(flat, est, lo), np.where(flat, est, hi)


def _on_grid(times: np.ndarray, values: np.ndarray, grid: np.ndarray, start: float) -> np.ndarray:
    """A right-continuous step function known at ``times`` evaluated on ``grid`` (``start`` before the first)."""
    idx = np.searchsorted(times, grid, side="right") - 1
    return np.where(idx >= 0, np.asarray(values, float)[np.maximum(idx, 0)], start)


def _at_risk(t: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Runs still at risk at each grid time (neither decided nor censored before it)."""
    return len(t) - np.searchsorted(np.sort(t), grid, side="left")


def _finite_se(se: np.ndarray, est: np.ndarray, n: int, clean: np.ndarray) -> np.ndarray:
    """Standard errors where statsmodels divides by zero (every run at risk decided at once).

    Before any censoring the estimate is a plain share of the ``n`` runs, whose variance
    is est (1 - est) / n; with censoring before, the error stays unknown (NaN).
    """
    binomial = np.sqrt(np.clip(est * (1 - est), 0, None) / max(n, 1))
    return np.where(np.isfinite(se), se, np.where(clean, binomial, np.nan))


def _per_step(t: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """How many of the times ``t`` fall on each grid time."""
    return np.bincount(np.searchsorted(grid, t), minlength=len(grid))[: len(grid)]


def _fix_flat(
    est: np.ndarray, lo: np.ndarray, hi: np.ndarray, count: np.ndarray, n: int, clean: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Where the band has no width and nothing was censored yet, use the Wilson interval of the share."""
    wl, wh = wilson_interval(count, n, level)
    flat = (lo == hi) & clean
    return np.where(flat, wl, lo), np.where(flat, wh, hi)


def kaplan_meier(
    durations: np.ndarray, events: np.ndarray, level: float = LEVEL, grid: np.ndarray | None = None
) -> pd.DataFrame:
    """Kaplan-Meier estimate of P(still undecided after t), on every step of ``grid``.

    ``events`` is true for a decided run and false for a censored one. ``grid`` defaults
    to the steps 0..max(durations). Columns: ``time, at_risk, events, survival, se, lo, hi``.
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    t = np.asarray(durations, dtype=float)
    e = np.asarray(events).astype(bool)
    grid = np.arange(0, int(t.max()) + 1 if len(t) else 1, dtype=float) if grid is None else np.asarray(grid, float)
    clean = np.searchsorted(np.sort(t[~e]), grid, side="left") == 0  # nothing censored before t
    if e.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            sf = SurvfuncRight(t, e.astype(int))
        surv = _on_grid(sf.surv_times, sf.surv_prob, grid, 1.0)
        se = _finite_se(_on_grid(sf.surv_times, sf.surv_prob_se, grid, 0.0), surv, len(t), clean)
    else:
        surv, se = np.ones(len(grid)), np.zeros(len(grid))
    z = float(norm.ppf(0.5 + level / 2))
    lo, hi = _band(surv, se, z)
    decided = np.searchsorted(np.sort(t[e]), grid, side="right")
    lo, hi = _fix_flat(surv, lo, hi, len(t) - decided, len(t), clean, level)
    ev = _per_step(t[e], grid)
    return pd.DataFrame(
        {"time": grid, "at_risk": _at_risk(t, grid), "events": ev, "survival": surv, "se": se, "lo": lo, "hi": hi}
    )


def cumulative_incidence(
    durations: np.ndarray,
    codes: np.ndarray,
    risks: Sequence[str],
    level: float = LEVEL,
    grid: np.ndarray | None = None,
) -> pd.DataFrame:
    """Aalen-Johansen cumulative incidence of each risk (codes 1..len(risks); 0 censored), on ``grid``.

    Returns a long table: ``time, risk, events, incidence, se, lo, hi``. With censoring only
    at the horizon, the incidence at the horizon is the observed share of the risk.
    """
    from statsmodels.duration.survfunc import CumIncidenceRight

    t = np.asarray(durations, dtype=float)
    c = np.asarray(codes, dtype=np.int64)
    grid = np.arange(0, int(t.max()) + 1 if len(t) else 1, dtype=float) if grid is None else np.asarray(grid, float)
    z = float(norm.ppf(0.5 + level / 2))
    fitted = None
    if (c > 0).any():
        with np.errstate(divide="ignore", invalid="ignore"):
            fitted = CumIncidenceRight(t, c)
    clean = np.searchsorted(np.sort(t[c == 0]), grid, side="left") == 0
    frames = []
    for k, name in enumerate(risks, start=1):
        if fitted is not None and k <= len(fitted.cinc):
            inc = _on_grid(fitted.times, fitted.cinc[k - 1], grid, 0.0)
            se = _finite_se(_on_grid(fitted.times, fitted.cinc_se[k - 1], grid, 0.0), inc, len(t), clean)
        else:
            inc, se = np.zeros(len(grid)), np.zeros(len(grid))
        lo, hi = _band(inc, se, z)
        so_far = np.searchsorted(np.sort(t[c == k]), grid, side="right")
        lo, hi = _fix_flat(inc, lo, hi, so_far, len(t), clean, level)
        ev = _per_step(t[c == k], grid)
        frames.append(
            pd.DataFrame({"time": grid, "risk": name, "events": ev, "incidence": inc, "se": se, "lo": lo, "hi": hi})
        )
    return pd.concat(frames, ignore_index=True)


def _groups(runs: pd.DataFrame, by: str | Sequence[str] | None) -> tuple[list[str], Any]:
    if by is None:
        return [], [((), runs)]
    keys = [by] if isinstance(by, str) else list(by)
    missing = [k for k in keys if k not in runs.columns]
    if missing:
        raise InputError(f"cannot group by {', '.join(missing)}: not a column of the runs table", field="by")
    return keys, runs.groupby(keys if len(keys) > 1 else keys[0], sort=True, observed=True)


def _grid(runs: pd.DataFrame, until: int | None) -> np.ndarray:
    last = int(runs["outcome_step"].max()) if len(runs) else 0
    return np.arange(0, max(last, until or 0) + 1, dtype=float)


def neutrality_survival(
    runs: pd.DataFrame, by: str | Sequence[str] | None = None, level: float = LEVEL, until: int | None = None
) -> pd.DataFrame:
    """Kaplan-Meier of the time to loss of neutrality (any decided outcome), per group.

    ``by``: column(s) of ``runs`` to split by, e.g. ``"point"`` for a sweep. ``until``: the
    last step of the curves (default: the last time in ``runs``; later steps carry the
    last value). Returns a long table with the group columns then those of :func:`kaplan_meier`.

    Raises:
        InputError: ``by`` names a column the table lacks, or the table is not a runs table.
    """
    keys, groups = _groups(runs, by)
    grid = _grid(runs, until)
    frames = []
    for key, g in groups:
        t, codes, _ = event_codes(g)
        km = kaplan_meier(t, codes > 0, level, grid)
        for i, (col, val) in enumerate(zip(keys, key if isinstance(key, tuple) else (key,), strict=True)):
            km.insert(i, col, val)
        frames.append(km)
    return pd.concat(frames, ignore_index=True)


def incidence(
    runs: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    by_side: bool = False,
    level: float = LEVEL,
    until: int | None = None,
) -> pd.DataFrame:
    """Cumulative incidence of bandwagoning and escalation (competing risks), per group, to ``until``.

    Raises:
        InputError: ``by`` names a column the table lacks, or the table is not a runs table.
    """
    keys, groups = _groups(runs, by)
    grid = _grid(runs, until)
    frames = []
    for key, g in groups:
        t, codes, risks = event_codes(g, by_side)
        aj = cumulative_incidence(t, codes, risks, level, grid)
        for i, (col, val) in enumerate(zip(keys, key if isinstance(key, tuple) else (key,), strict=True)):
            aj.insert(i, col, val)
        frames.append(aj)
    return pd.concat(frames, ignore_index=True)


def survival_table(
    runs: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    times: Sequence[int] = (12, 36, 60, 120),
    by_side: bool = False,
    level: float = LEVEL,
) -> pd.DataFrame:
    """At chosen steps, per group: P(still neutral) and P(each risk by then), with intervals.

    Steps past a group's last time take its last value. Columns: the group columns,
    ``step``, ``neutral, neutral_lo, neutral_hi`` and ``<risk>, <risk>_lo, <risk>_hi``.

    Raises:
        InputError: as :func:`neutrality_survival`.
    """
    keys, _ = _groups(runs, by)
    km = neutrality_survival(runs, by, level)
    aj = incidence(runs, by, by_side, level)
    horizon = int(km["time"].max())
    steps = sorted({min(int(t), horizon) for t in times})
    km = km[km["time"].isin(steps)].rename(columns={"time": "step"})
    out = km[[*keys, "step"]].copy()
    out["neutral"], out["neutral_lo"], out["neutral_hi"] = km["survival"], km["lo"], km["hi"]
    out = out.reset_index(drop=True)
    out["step"] = out["step"].astype(int)
    aj = aj[aj["time"].isin(steps)].rename(columns={"time": "step"})
    aj["step"] = aj["step"].astype(int)
    for risk, g in aj.groupby("risk", sort=False):
        g = g.set_index([*keys, "step"])[["incidence", "lo", "hi"]]
        g.columns = [str(risk), f"{risk}_lo", f"{risk}_hi"]
        out = out.join(g, on=[*keys, "step"])
    return out
