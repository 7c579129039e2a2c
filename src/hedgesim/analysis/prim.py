"""PRIM (the Patient Rule Induction Method) for scenario discovery: one box, its peeling trajectory.

Two engines give the same trajectory and box limits:

* ``"numpy"`` (default): PRIM for real-valued inputs written to EMA Workbench's defaults
  (lenient1 objective, sdtoolkit quantiles, peeling then pasting). It needs nothing
  beyond numpy and runs 5-10 times faster; the tests check it against EMA's own ``Prim``
  step by step, so it stays a faithful copy and not a variant;
* ``"ema"``: EMA Workbench's ``prim.Prim`` (``pip install 'hedgesim[ema]'``; 2.5.x on
  Python 3.11, 3.x on newer), which also gives quasi-p values of each restriction.

PRIM returns a trajectory, not one box. :func:`select_box` picks the box with the highest
coverage among those whose density reaches the threshold, else the densest; any other
step can be read by index.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError

ENGINES = ("numpy", "ema")


@dataclass
class PrimResult:
    """A PRIM peeling trajectory and its boxes.

    ``trajectory``: per step ``coverage`` (share of all cases inside the box), ``density``
    (share of cases among the rows inside), ``mass`` (share of rows inside), ``res_dim``
    (restricted parameters), ``n`` and ``k`` (rows and cases inside). ``limits``: per step
    a two-row table (min, max) over the parameters; ``bounds`` the same for all the data.
    ``qp``: per step, quasi-p values of each restricted parameter (EMA engine only).
    """

    trajectory: pd.DataFrame
    limits: list[pd.DataFrame]
    bounds: pd.DataFrame
    selected: int
    threshold: float
    engine: str
    qp: list[dict[str, list[float]]] = field(default_factory=list)

    def box_table(self, i: int | None = None) -> pd.DataFrame:
        """Limits of box ``i`` (default: the selected one), a row per restricted parameter."""
        i = self.selected if i is None else i
        lim = self.limits[i]
        rows = []
        for p in lim.columns:
            lo, hi = float(lim[p].iloc[0]), float(lim[p].iloc[1])
            blo, bhi = float(self.bounds[p].iloc[0]), float(self.bounds[p].iloc[1])
            lower, upper = not np.isclose(lo, blo), not np.isclose(hi, bhi)
            if not (lower or upper):
                continue
            q = self.qp[i].get(p, [np.nan, np.nan]) if i < len(self.qp) else [np.nan, np.nan]
            q = [np.nan if (v is None or v == -1) else float(v) for v in q]
            rows.append(
                {
                    "parameter": p,
                    "min": lo,
                    "max": hi,
                    "range_min": blo,
                    "range_max": bhi,
                    "lower_restricted": lower,
                    "upper_restricted": upper,
                    "qp_lower": q[0],
                    "qp_upper": q[1],
                }
            )
        cols = ["parameter", "min", "max", "range_min", "range_max", "lower_restricted", "upper_restricted"]
        return pd.DataFrame(rows, columns=[*cols, "qp_lower", "qp_upper"])

    def stats(self, i: int | None = None) -> pd.Series:
        """Coverage, density, mass, restricted dimensions, rows and cases of box ``i`` (default: the selected)."""
        return self.trajectory.iloc[self.selected if i is None else i]


def select_box(trajectory: pd.DataFrame, threshold: float) -> int:
    """The step with the highest coverage among those with density >= threshold, else the densest."""
    ok = trajectory[trajectory["density"] >= threshold]
    if len(ok):
        return int(ok.sort_values(["coverage", "density"], ascending=False, kind="stable").index[0])
    return int(trajectory["density"].idxmax())


def _check(x: pd.DataFrame, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(x) != len(y) or len(x) == 0:
        raise InputError(f"PRIM needs as many outcomes as rows, and some rows (got {len(x)} and {len(y)})", field="x")
    bad = [c for c in x.columns if not pd.api.types.is_numeric_dtype(x[c])]
    if bad:
        raise InputError(f"PRIM here takes numeric parameters; {', '.join(bad)} is not", field="x")
    return x.to_numpy(float), np.asarray(y, dtype=bool)


def prim(
    x: pd.DataFrame,
    y: np.ndarray,
    threshold: float = 0.8,
    *,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
    engine: str = "numpy",
) -> PrimResult:
    """Find one PRIM box for the cases ``y`` (booleans) over the parameters ``x``.

    Raises:
        InputError: an unknown engine, non-numeric parameters, mismatched lengths, or the
            EMA engine without EMA Workbench installed.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown PRIM engine {engine!r} (known: {', '.join(ENGINES)})", field="engine")
    if not 0 < threshold <= 1:
        raise InputError(f"the density threshold must be in (0, 1], got {threshold}", field="threshold")
    if engine == "ema":
        return _prim_ema(x, y, threshold, peel_alpha, paste_alpha, mass_min)
    return _prim_numpy(x, y, threshold, peel_alpha, paste_alpha, mass_min)


def _prim_ema(
    x: pd.DataFrame, y: np.ndarray, threshold: float, peel_alpha: float, paste_alpha: float, mass_min: float
) -> PrimResult:
    """EMA Workbench's PRIM (2.5.x or 3.x), its trajectory in this module's columns."""
    _, yb = _check(x, y)
    try:
        import ema_workbench
        from ema_workbench.analysis import prim as ema_prim
    except ImportError:
        raise InputError(
            "the EMA PRIM engine needs EMA Workbench: pip install 'hedgesim[ema]'", field="engine"
        ) from None
    version = ema_workbench.__version__
    kwargs = {"peel_alpha": peel_alpha, "paste_alpha": paste_alpha, "mass_min": mass_min}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # EMA 2.5 on pandas 3 warns (Pandas4Warning); seaborn notices
        if int(version.split(".")[0]) < 3:
            # EMA 2.x counts y >= threshold as cases and, when the last box misses the threshold,
            # returns an unpeeled box instead of the trajectory: pass a tiny one, select ourselves.
            kwargs["threshold"] = 1e-9
        # EMA wants identifiers for names; parameter paths have dots: rename, then map back.
        plain = x.astype(float).set_axis([f"p{i}" for i in range(x.shape[1])], axis=1)
        box = ema_prim.Prim(plain, yb, **kwargs).find_box()
    back = dict(zip(plain.columns, x.columns, strict=True))
    traj = box.peeling_trajectory.reset_index(drop=True)
    total = int(yb.sum())
    k = (traj["mean"] * traj["n"]).round().astype(int)
    trajectory = pd.DataFrame(
        {
            "coverage": k / total if total else np.nan,
            "density": traj["mean"].astype(float),
            "mass": traj["mass"].astype(float),
            "res_dim": traj["res_dim"].astype(int),
            "n": traj["n"].astype(int),
            "k": k,
        }
    )
    qp = [{back[k]: v for k, v in step.items()} for step in (getattr(box, "p_values", None) or box.qp)]
    limits = [lim.reset_index(drop=True).rename(columns=back)[list(x.columns)].astype(float) for lim in box.box_lims]
    bounds = pd.DataFrame({c: [float(x[c].min()), float(x[c].max())] for c in x.columns})
    return PrimResult(
        trajectory, limits, bounds, select_box(trajectory, threshold), threshold, f"ema {version}", list(qp)
    )


def _quantile(data: np.ndarray, q: float) -> float:
    """EMA's ``get_quantile`` (from sdtoolkit): the midpoint between neighbouring distinct sorted values."""
    data = np.sort(data)
    i = (len(data) - 1) * q
    lo, hi = int(np.floor(i)), int(np.ceil(i))
    if q > 0.5:
        while data[lo] == data[hi] and lo > 0:
            lo -= 1
    else:
        while data[lo] == data[hi] and hi < len(data) - 1:
            hi += 1
    return float((data[lo] + data[hi]) / 2)


def _lenient1(y_old: np.ndarray, y_new: np.ndarray) -> float:
    """EMA's default objective: gain in mean per row removed (or added)."""
    m_old = y_old.mean()
    m_new = y_new.mean() if len(y_new) else 0.0
    if m_old == m_new:
        return 0.0
    return float((m_new - m_old) / abs(len(y_old) - len(y_new)))


def _prim_numpy(
    x: pd.DataFrame, y: np.ndarray, threshold: float, peel_alpha: float, paste_alpha: float, mass_min: float
) -> PrimResult:
    """PRIM on real-valued columns, step for step as EMA Workbench's ``Prim.find_box``."""
    X, yb = _check(x, y)
    Y = yb.astype(float)
    cols = list(x.columns)
    n, d = X.shape
    init = np.vstack([X.min(axis=0), X.max(axis=0)])
    total = Y.sum()
    traj: list[dict[str, float]] = []
    limits: list[pd.DataFrame] = []

    def restricted(lim: np.ndarray) -> np.ndarray:
        return ~np.all(lim == init, axis=0)

    def in_box(lim: np.ndarray, dims: np.ndarray) -> np.ndarray:
        return np.all((lim[0, dims] <= X[:, dims]) & (X[:, dims] <= lim[1, dims]), axis=1)

    def record(lim: np.ndarray, idx: np.ndarray) -> None:
        k = Y[idx].sum()
        traj.append(
            {
                "coverage": k / total if total else np.nan,
                "density": k / len(idx),
                "mass": len(idx) / n,
                "res_dim": int(restricted(lim).sum()),
                "n": len(idx),
                "k": round(k),
            }
        )
        limits.append(pd.DataFrame(lim.copy(), columns=cols))

    def best(cands: list[tuple[float, int, np.ndarray, np.ndarray]]) -> tuple[float, int, np.ndarray, np.ndarray]:
        cands.sort(key=lambda c: (c[0], c[1]), reverse=True)  # stable, as EMA's list.sort
        return cands[0]

    lim, idx = init.copy(), np.arange(n)
    record(lim, idx)
    while True:  # peeling: remove the slice that raises the mean most per row removed
        cands = []
        xb = X[idx]
        for j in range(d):
            for upper in (True, False):
                q = _quantile(xb[:, j], 1 - peel_alpha if upper else peel_alpha)
                keep = xb[:, j] <= q if upper else xb[:, j] >= q
                new = lim.copy()
                new[1 if upper else 0, j] = q
                cands.append((_lenient1(Y[idx], Y[idx[keep]]), d - int(restricted(new).sum()), new, idx[keep]))
        obj, _, new, new_idx = best(cands)
        if not (len(new_idx) / n >= mass_min and len(new_idx) < len(idx) and obj > 0):
            break
        lim, idx = new, new_idx
        record(lim, idx)
    while True:  # pasting: add back a slice of a restricted dimension if that raises the mean
        res = np.flatnonzero(restricted(lim))
        if len(res) == 0:
            break
        cands = []
        for j in res:
            for i, lower in enumerate((True, False)):
                paste = lim.copy()
                paste[:, j] = (init[0, j], lim[0, j]) if lower else (lim[1, j], init[1, j])
                data = X[in_box(paste, res), j]
                if lower:
                    value = _quantile(data, 1 - paste_alpha) if data.size else init[0, j]
                else:
                    value = _quantile(data, paste_alpha) if data.size else init[1, j]
                new = lim.copy()
                new[i, j] = value
                new_idx = np.flatnonzero(in_box(new, res))
                cands.append((_lenient1(Y[idx], Y[new_idx]), d - int(restricted(new).sum()), new, new_idx))
        obj, _, new, new_idx = best(cands)
        grows = len(new_idx) > len(idx) and Y[new_idx].mean() > Y[idx].mean()
        if not (len(new_idx) / n >= mass_min and grows and obj > 0):
            break
        lim, idx = new, new_idx
        record(lim, idx)
    trajectory = pd.DataFrame(traj)
    bounds = pd.DataFrame(init, columns=cols)
    return PrimResult(trajectory, limits, bounds, select_box(trajectory, threshold), threshold, "numpy")
