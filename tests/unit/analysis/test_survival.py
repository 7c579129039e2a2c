"""Survival and competing risks: a textbook example, an exact reference estimator, identities and edge cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hedgesim.analysis import (
    cumulative_incidence,
    event_codes,
    incidence,
    kaplan_meier,
    neutrality_survival,
    survival_table,
)
from hedgesim.errors import InputError

# Freireich et al. (1963), 6-MP arm, as in Kleinbaum & Klein, Survival Analysis, ch. 2 (0 = censored).
GEHAN_T = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
GEHAN_E = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
GEHAN_S = {6: 0.8571, 7: 0.8067, 10: 0.7529, 13: 0.6902, 16: 0.6275, 22: 0.5378, 23: 0.4482}


def test_kaplan_meier_textbook() -> None:
    km = kaplan_meier(GEHAN_T, GEHAN_E).set_index("time")
    for t, s in GEHAN_S.items():
        assert round(km.loc[t, "survival"], 4) == s
    assert round(km.loc[6, "se"], 4) == 0.0764  # Greenwood: sqrt(0.857^2 * 3 / (21 * 18))
    assert km.loc[0, "survival"] == 1.0 and km.loc[5, "survival"] == 1.0  # every step, before the first event


def exact_aalen_johansen(t: np.ndarray, c: np.ndarray, k: int) -> pd.Series:
    """A reference written out: events before censorings at a tied time, no jitter."""
    times = np.unique(t)
    at_risk = np.array([(t >= s).sum() for s in times], float)
    d_all = np.array([((t == s) & (c > 0)).sum() for s in times], float)
    d_k = np.array([((t == s) & (c == k)).sum() for s in times], float)
    surv_before = np.r_[1.0, np.cumprod(1 - d_all / at_risk)[:-1]]
    return pd.Series(np.cumsum(surv_before * d_k / at_risk), index=times)


def synthetic(seed: int = 3, n: int = 3000, horizon: int = 60, early_censoring: bool = True):
    """Ties everywhere, three causes; censoring also before the horizon unless told not to."""
    rng = np.random.default_rng(seed)
    t = rng.integers(1, horizon + 1, size=n)
    c = rng.choice([0, 1, 2, 3], size=n, p=[0.25, 0.35, 0.3, 0.1])
    if not early_censoring:
        t = np.where(c == 0, horizon, t)
    return t, c


def test_incidence_equals_an_exact_estimator_with_tied_times() -> None:
    """3,000 runs on 60 tied times with censoring at every time: statsmodels' estimate equals the reference to 1e-12."""
    t, c = synthetic()
    aj = cumulative_incidence(t, c, ["a", "b", "c"])
    for k, name in enumerate("abc", start=1):
        ours = aj[aj["risk"] == name].set_index("time")["incidence"]
        ref = exact_aalen_johansen(t, c, k)
        np.testing.assert_allclose(ours.loc[ref.index.astype(float)].to_numpy(), ref.to_numpy(), atol=1e-12)


def test_survival_and_incidence_add_to_one_and_end_at_the_shares() -> None:
    """Censored only at the horizon: KM + every incidence = 1 at each step; at the horizon each incidence is the
    observed share exactly; and the standard errors are the binomial ones (a share of all runs)."""
    t, c = synthetic(early_censoring=False)
    km = kaplan_meier(t, c > 0)
    aj = cumulative_incidence(t, c, ["a", "b", "c"]).pivot(index="time", columns="risk", values="incidence")
    np.testing.assert_allclose(km["survival"].to_numpy() + aj.sum(axis=1).to_numpy(), 1.0, atol=1e-12)
    for k, name in enumerate("abc", start=1):
        assert aj[name].iloc[-1] == pytest.approx((c == k).mean(), abs=1e-12)
    s = km["survival"].to_numpy()
    np.testing.assert_allclose(km["se"], np.sqrt(s * (1 - s) / len(t)), atol=1e-12)


def test_no_events_and_all_decided_at_once_give_finite_bands() -> None:
    """Where statsmodels divides by zero (every run at risk decided together) or nothing happens, the band is the
    Wilson interval of the share: never NaN, never zero width."""
    km = kaplan_meier([5, 5, 5, 5], [1, 1, 1, 1])
    assert km["survival"].iloc[-1] == 0 and np.isfinite(km["se"]).all()
    assert km["hi"].iloc[-1] > 0 and km["lo"].iloc[0] < 1
    none = kaplan_meier([120] * 10, [0] * 10)
    assert (none["survival"] == 1).all() and (none["lo"] < 1).all()
    aj = cumulative_incidence(np.array([1, 2, 2, 3]), np.array([1, 2, 1, 2]), ["a", "b"])
    assert np.isfinite(aj[["se", "lo", "hi"]].to_numpy()).all()


def runs_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "point": [0, 0, 0, 0, 1, 1, 1, 1],
            "outcome": ["escalation", "bandwagoning", "neutrality_kept", "neutrality_kept"] * 2,
            "side": ["", "patron", "", ""] * 2,
            "outcome_step": [3, 5, 10, 10, 2, 2, 10, 10],
        }
    )


def test_by_group_tables() -> None:
    r = runs_table()
    km = neutrality_survival(r, by="point")
    assert list(km.columns[:2]) == ["point", "time"] and set(km["point"]) == {0, 1}
    assert len(km) == 2 * 11  # steps 0..10 per point
    aj = incidence(r, by="point", by_side=True)
    assert set(aj["risk"]) == {"bandwagoning_patron", "bandwagoning_bloc", "escalation"}
    table = survival_table(r, by="point", times=(5, 99))
    assert table["step"].tolist() == [5, 10, 5, 10]  # steps past the horizon take its value
    assert table.loc[1, "neutral"] == pytest.approx(0.5) and table.loc[1, "escalation"] == pytest.approx(0.25)
    with pytest.raises(InputError, match="cannot group by"):
        neutrality_survival(r, by="nope")


def test_event_codes_refuse_what_is_not_a_runs_table() -> None:
    with pytest.raises(InputError, match="no outcome_step"):
        event_codes(pd.DataFrame({"outcome": ["escalation"]}))
    with pytest.raises(InputError, match="unknown outcomes"):
        event_codes(pd.DataFrame({"outcome": ["war"], "outcome_step": [1]}))
