"""Outcome shares with honest intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from .catalogue import OUTCOMES


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
    order = list(OUTCOMES)
    if by_side:
        order = ["neutrality_kept", "bandwagoning (patron)", "bandwagoning (bloc)", "escalation"]
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
