"""Share tables with intervals: the one way runs, sweeps and cases count outcomes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..core import ALL_OUTCOMES, OUTCOME_NAMES, OUTCOMES_BY_SIDE, outcome
from ..errors import InputError
from .intervals import wilson_interval


def share_interval(
    k: np.ndarray | int, n: np.ndarray | int, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share ``k / n`` with its Wilson interval, element-wise; NaN where ``n`` is 0 (nothing to share)."""
    k = np.asarray(k)
    n = np.asarray(n)
    safe = np.maximum(n, 1)
    lo, hi = wilson_interval(k, safe, level)
    missing = n == 0
    return np.where(missing, np.nan, k / safe), np.where(missing, np.nan, lo), np.where(missing, np.nan, hi)


def outcome_labels(runs: pd.DataFrame, by_side: bool = False) -> pd.Series:
    """Outcome per replicate, with the bandwagoning side appended when asked."""
    out = runs["outcome"].astype(str)
    if by_side:
        side = runs["side"].astype(str)
        out = out.where(out != "bandwagoning", "bandwagoning (" + side + ")")
    return out


def outcome_shares(runs: pd.DataFrame, by_side: bool = False, level: float = 0.95) -> pd.DataFrame:
    """Count, share and Wilson interval of each outcome (every outcome listed, even at zero)."""
    labels = outcome_labels(runs, by_side)
    order = list(OUTCOME_NAMES)
    if by_side:
        order = [o.label for o in OUTCOMES_BY_SIDE]
    counts = labels.value_counts().reindex(order, fill_value=0)
    extra = labels.value_counts().drop(order, errors="ignore")
    counts = pd.concat([counts, extra])
    n = len(runs)
    lo, hi = wilson_interval(counts.to_numpy(), n, level)
    return pd.DataFrame(
        {"n": counts.to_numpy(), "share": counts.to_numpy() / max(n, 1), "lo": lo, "hi": hi},
        index=pd.Index(counts.index, name="outcome"),
    )


def format_shares(shares: pd.DataFrame, level: float = 0.95) -> str:
    """A plain-text table of shares for the terminal."""
    width = max(len(str(i)) for i in shares.index)
    total = int(shares["n"].sum())
    lines = [f"{'outcome':<{width}}  {'share':>6}  {int(level * 100)}% interval        n  (of {total:,})"]
    for name, row in shares.iterrows():
        lines.append(
            f"{name!s:<{width}}  {row['share']:6.1%}  [{row['lo']:6.1%}, {row['hi']:6.1%}]  {int(row['n']):>7,}"
        )
    return "\n".join(lines)


def outcome_keys(outcomes: Sequence[str] | str | None, default: Sequence[str]) -> list[str]:
    """Outcome keys (``bandwagoning_patron``) from keys or labels (``bandwagoning (patron)``).

    Raises:
        InputError: an outcome is neither.
    """
    if outcomes is None:
        return list(default)
    if isinstance(outcomes, str):
        outcomes = [outcomes]
    keys = []
    for name in outcomes:
        try:
            keys.append(outcome(name).key)
        except KeyError:
            known = ", ".join(o.key for o in ALL_OUTCOMES)
            raise InputError(f"unknown outcome {name!r} (known: {known})", field="outcome") from None
    return keys
