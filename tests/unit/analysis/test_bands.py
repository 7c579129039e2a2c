"""Shares along a parameter with between-point bands, and the flags on sensitivity indices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hedgesim.analysis import binned_shares, flag_sensitivity, noise_fraction


def logistic_sweep(rng: np.random.Generator, points: int = 300, n: int = 200) -> pd.DataFrame:
    """x, z ~ U(0, 1); p = logistic(4 (x - 0.5) + 7.5 (z - 0.5)): much variation between points through z."""
    x, z = rng.uniform(size=points), rng.uniform(size=points)
    p = 1 / (1 + np.exp(-(4 * (x - 0.5) + 7.5 * (z - 0.5))))
    return pd.DataFrame({"x": x, "n": n, "escalation_n": rng.binomial(n, p)})


def true_bin_means(x_lo: np.ndarray, x_hi: np.ndarray, m: int = 200_000) -> np.ndarray:
    rng = np.random.default_rng(99)
    x, z = rng.uniform(size=m), rng.uniform(size=m)
    p = 1 / (1 + np.exp(-(4 * (x - 0.5) + 7.5 * (z - 0.5))))
    return np.array([p[(x >= lo) & (x <= hi)].mean() for lo, hi in zip(x_lo, x_hi, strict=True)])


def test_band_covers_the_bin_mean_where_pooling_does_not() -> None:
    """100 synthetic LHS-like sweeps x 10 bins = 1,000 bin estimates (30 points x 200 runs a bin). The band must
    hold the true bin mean (over the bin's observed x range) in 92-98% of bins (95% nominal; binomial SE 0.7 pp,
    bins of a sweep not quite independent); the pooled Wilson interval in under half."""
    rng = np.random.default_rng(2024)
    band, pooled = [], []
    for _ in range(100):
        b = binned_shares(logistic_sweep(rng), "x", "escalation")
        truth = true_bin_means(b["x_lo"].to_numpy(), b["x_hi"].to_numpy())
        band.extend((b["lo"] <= truth) & (truth <= b["hi"]))
        pooled.extend((b["pooled_lo"] <= truth) & (truth <= b["pooled_hi"]))
    assert 0.92 <= np.mean(band) <= 0.98
    assert np.mean(pooled) < 0.5


def test_without_between_point_variation_the_band_is_about_the_pooled_one() -> None:
    """Every point has p = 0.3 (300 points x 200 runs): overdispersion about 1 and the t band about as wide as the
    pooled Wilson band (median ratio within 0.6-1.5)."""
    rng = np.random.default_rng(5)
    summary = pd.DataFrame({"x": rng.uniform(size=300), "n": 200, "escalation_n": rng.binomial(200, 0.3, 300)})
    b = binned_shares(summary, "x", "escalation")
    assert b["overdispersion"].median() == pytest.approx(1.0, abs=0.4)
    ratio = (b["t_hi"] - b["t_lo"]) / (b["pooled_hi"] - b["pooled_lo"])
    assert 0.6 <= ratio.median() <= 1.5


def test_a_bin_with_no_cases_falls_back_to_wilson() -> None:
    summary = pd.DataFrame({"x": np.linspace(0, 1, 40), "n": 100, "escalation_n": 0})
    b = binned_shares(summary, "x", "escalation", bins=4)
    assert (b["t_hi"] == 0).all() and (b["hi"] > 0).all()
    np.testing.assert_allclose(b["hi"], b["pooled_hi"])


def test_a_grid_keeps_its_values_and_the_pooled_interval() -> None:
    """A grid: one row per value, the share of the pooled runs, the Wilson interval (no sampled variation)."""
    summary = pd.DataFrame({"x": [0.1, 0.1, 0.5, 0.5], "n": 100, "escalation_n": [10, 30, 50, 70]})
    b = binned_shares(summary, "x", "escalation", bins=None, sampled=False)
    assert b["x"].tolist() == [0.1, 0.5] and b["points"].tolist() == [2, 2]
    assert b["share"].tolist() == [0.2, 0.6]
    np.testing.assert_allclose(b[["lo", "hi"]], b[["pooled_lo", "pooled_hi"]])


def sobol_table(rows: list[tuple[str, str, float, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"])


def test_sobol_flags() -> None:
    """Four points with 200 runs each: escalation varies (0, 100, 150, 20 runs), 'rare' almost never happens."""
    summary = pd.DataFrame({"n": [200] * 4, "escalation_n": [0, 100, 150, 20], "neutrality_kept_n": [0, 0, 1, 0]})
    table = sobol_table(
        [
            ("escalation", "a", 0.5, 0.05, 0.6, 0.05),
            ("escalation", "b", 0.01, 0.05, 0.02, 0.05),
            ("escalation", "c", 0.3, 0.05, 1.1, 0.05),
            ("escalation", "d", 0.2, 0.05, 0.1, 0.2),
            ("neutrality_kept", "a", 0.1, 0.4, 0.5, 0.6),
        ]
    )
    f = flag_sensitivity(table, summary).set_index(["outcome", "parameter"])
    assert f.loc[("escalation", "a"), "read_S1"] and f.loc[("escalation", "a"), "read_ST"]
    assert f.loc[("escalation", "a"), "flags"] == ""
    assert f.loc[("escalation", "b"), "s1_wide"] and f.loc[("escalation", "b"), "st_wide"]
    assert f.loc[("escalation", "c"), "impossible"] and "impossible value" in f.loc[("escalation", "c"), "flags"]
    assert f.loc[("escalation", "d"), "st_wide"] and not f.loc[("escalation", "d"), "impossible"]  # S1 <= ST + conf
    assert f.loc[("neutrality_kept", "a"), "rare"] and not f.loc[("neutrality_kept", "a"), "read_ST"]


def test_an_outcome_that_never_varies_is_rare_not_noisy() -> None:
    summary = pd.DataFrame({"n": [100] * 5, "escalation_n": [0] * 5})
    f = flag_sensitivity(sobol_table([("escalation", "a", 0.0, 0.0, 0.0, 0.0)]), summary)
    assert f["rare"].all() and not f["noisy"].any() and not f["within_noise"].any()


def test_morris_flags() -> None:
    summary = pd.DataFrame({"n": [100] * 4, "escalation_n": [10, 40, 60, 90]})
    table = pd.DataFrame(
        {
            "outcome": ["escalation"] * 2,
            "parameter": ["a", "b"],
            "mu": [0.3, 0.01],
            "mu_star": [0.3, 0.02],
            "mu_star_conf": [0.05, 0.05],
            "sigma": [0.1, 0.02],
        }
    )
    f = flag_sensitivity(table, summary)
    assert f["read"].tolist() == [True, False] and f["flags"].tolist() == ["", "mu* interval > mu*"]


def test_noise_fraction_and_its_bias_on_sobol_indices() -> None:
    """Pure binomial noise (500 points at p = 0.2, 100 runs): noise fraction about 1. Then the rule behind
    'within noise' with SALib (1,024 base samples, f = x1 + 0.5 x2, x3 inert, noise a fraction phi of the
    variance): ST of the inert x3 comes out within 0.03 of phi and S1 of x1 within 0.06 of 0.8 (1 - phi)."""
    from SALib.analyze import sobol
    from SALib.sample import sobol as sobol_sample

    rng = np.random.default_rng(3)
    summary = pd.DataFrame({"n": 100, "escalation_n": rng.binomial(100, 0.2, 500)})
    assert noise_fraction(summary, "escalation") == pytest.approx(1.0, abs=0.15)
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0, 1]] * 3}
    x = sobol_sample.sample(problem, 1024, calc_second_order=False, seed=1)
    f = x[:, 0] + 0.5 * x[:, 1]
    var_f = 1.25 / 12
    for phi in (0.1, 0.3):
        y = f + rng.normal(0, np.sqrt(phi / (1 - phi) * var_f), len(f))
        si = sobol.analyze(problem, y, calc_second_order=False, seed=1)
        assert si["ST"][2] == pytest.approx(phi, abs=0.03)
        assert si["S1"][0] == pytest.approx(0.8 * (1 - phi), abs=0.06)
