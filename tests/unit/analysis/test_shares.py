"""Share tables and intervals: the statistics every run, sweep and case report uses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hedgesim.analysis import format_shares, newcombe_interval, outcome_shares, share_interval, wilson_interval
from hedgesim.core import OUTCOME_NAMES as OUTCOMES


def runs_with(counts: dict[tuple[str, str], int]) -> pd.DataFrame:
    rows = [key for key, n in counts.items() for _ in range(n)]
    return pd.DataFrame(
        {
            "outcome": pd.Categorical([o for o, _ in rows], categories=list(OUTCOMES)),
            "side": pd.Categorical([s for _, s in rows], categories=["", "patron", "bloc"]),
        }
    )


def test_wilson_interval_hand_computed() -> None:
    """k = 5, n = 20 at 95%: p = 0.25, Wilson [0.1119, 0.4687] (z = 1.95996)."""
    lo, hi = wilson_interval(5, 20, 0.95)
    assert float(lo) == pytest.approx(0.1119, abs=1e-4)
    assert float(hi) == pytest.approx(0.4687, abs=1e-4)


def test_wilson_interval_holds_the_share_exactly_at_the_edges() -> None:
    """k = 0 gives lo == 0 and k = n gives hi == 1 exactly (n = 1..100), so lo <= share <= hi never fails
    by rounding."""
    n = np.arange(1, 101)
    lo0, hi0 = wilson_interval(np.zeros_like(n), n)
    lo1, hi1 = wilson_interval(n, n)
    assert (hi0 > 0).all() and (lo1 < 1).all()
    assert list(n[lo0 != 0.0]) == [], "k = 0 but lo > 0"
    assert list(n[hi1 != 1.0]) == [], "k = n but hi < 1"


def test_wilson_interval_at_the_edges() -> None:
    """k = 0 and k = n keep a non-zero width (where the Wald interval collapses)."""
    lo, hi = wilson_interval(0, 20)
    assert float(lo) == pytest.approx(0.0, abs=1e-12) and float(hi) == pytest.approx(0.1611, abs=1e-4)
    lo, hi = wilson_interval(20, 20)
    assert float(lo) == pytest.approx(0.8389, abs=1e-4) and float(hi) == pytest.approx(1.0)
    lo, hi = wilson_interval(np.array([5, 0]), np.array([20, 20]))
    assert lo.shape == (2,) and float(hi[0]) == pytest.approx(0.4687, abs=1e-4)


def test_outcome_shares_with_wilson_intervals() -> None:
    runs = runs_with({("escalation", ""): 5, ("neutrality_kept", ""): 12, ("bandwagoning", "patron"): 3})
    shares = outcome_shares(runs)
    assert list(shares.index) == list(OUTCOMES)
    row = shares.loc["escalation"]
    assert row["n"] == 5 and row["share"] == pytest.approx(0.25)
    assert row["lo"] == pytest.approx(0.1119, abs=1e-4) and row["hi"] == pytest.approx(0.4687, abs=1e-4)
    assert shares.loc["neutrality_kept", "share"] == pytest.approx(0.6)

    by_side = outcome_shares(runs, by_side=True)
    assert list(by_side.index) == ["neutrality_kept", "bandwagoning (patron)", "bandwagoning (bloc)", "escalation"]
    assert by_side.loc["bandwagoning (patron)", "n"] == 3 and by_side.loc["bandwagoning (bloc)", "n"] == 0
    assert by_side.loc["bandwagoning (bloc)", "hi"] > 0  # zero observed is not zero possible

    text = format_shares(by_side)
    assert "25.0%" in text and "11.2%" in text and "46.9%" in text


def test_share_interval_is_nan_where_nothing_ran() -> None:
    share, lo, hi = share_interval(np.array([0, 3, 5]), np.array([0, 10, 5]))
    assert np.isnan(share[0]) and np.isnan(lo[0]) and np.isnan(hi[0])
    assert share[1] == pytest.approx(0.3) and lo[1] < 0.3 < hi[1]
    assert share[2] == 1.0 and hi[2] == 1.0


def test_newcombe_difference_hand_computed() -> None:
    """Newcombe (1998), Table II, example (a): 56/70 - 48/80, method 10: 0.0524 to 0.3339."""
    d, lo, hi = newcombe_interval(48, 80, 56, 70)
    assert d == pytest.approx(0.2) and lo == pytest.approx(0.0524, abs=1e-4) and hi == pytest.approx(0.3339, abs=1e-4)
