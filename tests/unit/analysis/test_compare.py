"""Comparisons: paired and unpaired intervals against published examples, a library and simulation; the table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hedgesim.analysis import (
    compare_runs,
    comparison_markdown,
    newcombe_interval,
    newcombe_paired_interval,
    outcome_indicator,
    tango_interval,
)
from hedgesim.analysis.intervals import _tango_p21, tango_statistic
from hedgesim.errors import InputError


def test_newcombe_paired_published_example() -> None:
    """Fagerland, Lydersen & Laake (2017), ch. 8, Cavo et al. (2012): pairs [[59, 6], [16, 80]] (rows: first
    classification yes/no). Newcombe's square-and-add: first - second = -0.0621 (-0.1186 to -0.0046). Here the
    rows are the reference and the difference is other - reference, so the table is passed transposed."""
    d, lo, hi = newcombe_paired_interval(59, 16, 6, 80)
    assert (round(d, 4), round(lo, 4), round(hi, 4)) == (-0.0621, -0.1186, -0.0046)
    d, lo, hi = newcombe_paired_interval(59, 6, 16, 80)
    assert (round(d, 4), round(lo, 4), round(hi, 4)) == (0.0621, 0.0046, 0.1186)
    # same source, the degenerate table [[1, 0], [0, 1]]: 0 (-0.5734 to 0.5734)
    assert tuple(round(v, 4) for v in newcombe_paired_interval(1, 0, 0, 1)) == (0.0, -0.5734, 0.5734)


def test_tango_published_examples() -> None:
    """Fagerland et al. (2017) ch. 8: Cavo et al., Tango's score interval -0.0621 (-0.1240 to -0.0054); all three
    pairs discordant one way: 1 (-0.1230 to 1) and its mirror."""
    assert tuple(round(v, 4) for v in tango_interval(6, 16, 161)) == (-0.0621, -0.1240, -0.0054)
    assert tuple(round(v, 4) for v in tango_interval(3, 0, 3)) == (1.0, -0.1230, 1.0)
    assert tuple(round(v, 4) for v in tango_interval(0, 3, 3)) == (-1.0, -1.0, 0.1230)


def test_tango_statistic_is_mcnemars_at_zero() -> None:
    """Tango (1998): at delta = 0 the score statistic is McNemar's (b - c) / sqrt(b + c)."""
    for b, c, n in [(40, 20, 160), (6, 16, 161), (1, 7, 21), (120, 95, 4000)]:
        assert tango_statistic(0.0, b, c, n) == pytest.approx((b - c) / math.sqrt(b + c), rel=1e-12)


def test_tango_restricted_mle_maximises_the_likelihood() -> None:
    """The closed-form restricted estimate of p21 must equal a numerical maximisation of the multinomial
    likelihood under p12 - p21 = delta (b = 37, c = 18, n = 300; to 1e-6)."""
    from scipy.optimize import minimize_scalar

    b, c, n = 37, 18, 300
    for delta in (-0.2, -0.05, 0.0, 0.03, 0.1, 0.3):

        def nll(p21: float, delta: float = delta) -> float:
            p12, rest = p21 + delta, 1 - 2 * p21 - delta
            if p12 <= 0 or p21 <= 0 or rest <= 0:
                return np.inf
            return -(b * np.log(p12) + c * np.log(p21) + (n - b - c) * np.log(rest))

        lo, hi = max(0.0, -delta) + 1e-12, (1 - delta) / 2 - 1e-12
        best = minimize_scalar(nll, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12}).x
        assert _tango_p21(delta, b, c, n) == pytest.approx(best, abs=1e-6)


@pytest.mark.parametrize("method", ["newcombe", "tango"])
def test_paired_intervals_hold_their_level(method: str) -> None:
    """2,000 simulated tables of 400 strongly correlated pairs (p11 0.22, p12 0.08, p21 0.03, as under common
    random numbers). The coverage estimate of a 95% interval has a binomial SE of 0.005: accept 0.935-0.965."""
    rng = np.random.default_rng(20190222)
    true = 0.08 - 0.03
    hits = 0
    for a, b, c, d in rng.multinomial(400, [0.22, 0.08, 0.03, 0.67], size=2000):
        # rows: reference yes/no; b = only the reference, c = only the other; the truth is p(other) - p(ref)
        _, lo, hi = newcombe_paired_interval(a, c, b, d) if method == "newcombe" else tango_interval(b, c, 400)
        hits += lo <= true <= hi
    assert 0.935 <= hits / 2000 <= 0.965


def test_newcombe_unpaired_matches_statsmodels() -> None:
    """200 random tables: the same limits as statsmodels' confint_proportions_2indep(method='newcomb'), to 1e-10."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    rng = np.random.default_rng(1)
    for _ in range(200):
        n1, n2 = (int(v) for v in rng.integers(1, 3000, size=2))
        k1, k2 = int(rng.integers(0, n1 + 1)), int(rng.integers(0, n2 + 1))
        _, lo, hi = newcombe_interval(k2, n2, k1, n1)  # k1/n1 - k2/n2, as statsmodels
        slo, shi = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff")
        assert lo == pytest.approx(slo, abs=1e-10) and hi == pytest.approx(shi, abs=1e-10)


def runs(outcomes: list[str], sides: list[str] | None = None) -> pd.DataFrame:
    n = len(outcomes)
    return pd.DataFrame(
        {
            "replicate": np.arange(n),
            "outcome": pd.Categorical(outcomes, categories=["neutrality_kept", "bandwagoning", "escalation"]),
            "side": pd.Categorical(sides or [""] * n, categories=["", "patron", "bloc"]),
            "outcome_step": np.full(n, 120),
        }
    )


def test_outcome_indicator_splits_bandwagoning_by_side() -> None:
    r = runs(["bandwagoning", "bandwagoning", "escalation"], ["patron", "bloc", ""])
    assert outcome_indicator(r, "bandwagoning").tolist() == [True, True, False]
    assert outcome_indicator(r, "bandwagoning (bloc)").tolist() == [False, True, False]
    with pytest.raises(InputError, match="unknown outcome"):
        outcome_indicator(r, "war")


def test_compare_runs_counts_discordant_pairs() -> None:
    """Reference: escalation in replicates 0-4; other: in 0-2 and 9. Discordant: 1 only here, 2 only there."""
    ref = runs(["escalation"] * 5 + ["neutrality_kept"] * 5)
    other = runs(["escalation"] * 3 + ["neutrality_kept"] * 6 + ["escalation"])
    t = compare_runs({"ref": ref, "csbm": other}, paired={"csbm": True}, outcomes=["escalation"])
    row = t[t["scenario"] == "csbm"].iloc[0]
    assert (row["k"], row["only_scenario"], row["only_reference"]) == (4, 1, 2)
    assert row["delta"] == pytest.approx(-0.1)
    assert row["method"] == "newcombe_paired"
    assert row["unpaired_lo"] <= row["delta"] <= row["unpaired_hi"]
    unpaired = compare_runs({"ref": ref, "csbm": other}, outcomes=["escalation"])
    assert unpaired["method"].iloc[1] == "newcombe" and pd.isna(unpaired["tango_lo"].iloc[1])
    with pytest.raises(InputError, match="replicate ids differ"):
        compare_runs({"ref": ref, "short": other.iloc[:5]}, paired=True)


def test_markdown_table_has_a_row_per_outcome_and_the_notes() -> None:
    ref = runs(["escalation"] * 5 + ["neutrality_kept"] * 5)
    t = compare_runs({"a": ref, "b": ref}, paired=True)
    text = comparison_markdown(t, ["b vs a: paired."])
    lines = text.splitlines()
    assert lines[0].startswith("| outcome | a share [95% CI] | b share [95% CI] | b − a (pp) [95% CI] |")
    assert len([x for x in lines if x.startswith("| ")]) == 1 + 4  # header + four outcomes
    assert "| escalation | 50.0% [" in text and "+0.0 [" in text and "paired" in text
    assert lines[-1] == "b vs a: paired."
