"""The prior sample, the proper scores and the baselines (no model runs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hedgesim.core import OUTCOME_NAMES
from hedgesim.ensemble import plan
from hedgesim.inference import (
    base_rate_loo,
    brier,
    identification,
    log_score,
    neutrality_always,
    parameter_items,
    prior_vectors,
    reliability,
    score_table,
)
from hedgesim.inference.design import U_PREFIX
from hedgesim.scenario import load_scenario

from ...paths import BASELINE, SCENARIOS


@pytest.fixture(scope="module")
def items():
    return parameter_items([load_scenario(BASELINE), load_scenario(SCENARIOS / "cases" / "finland_1948_1991.yaml")])


def test_items_are_the_union_of_what_each_scenario_leaves_to_its_prior(items) -> None:
    base = plan(load_scenario(BASELINE), "prior")
    drawn = {it.column for _n, it, d in base.params if d} | {it.column for *_r, it, actors in base.rules if actors}
    assert drawn <= set(items)
    assert list(items) == sorted(items)  # a stable order, whichever scenario lists a parameter first


def test_prior_vectors_stratify_every_marginal_and_stay_in_the_prior(items) -> None:
    n = 64
    v = prior_vectors(items, n, seed=3)
    assert list(v["theta_id"]) == list(range(n))
    for col, item in items.items():
        u = v[U_PREFIX + col].to_numpy()
        # Latin hypercube: exactly one vector in each of the n equal strata of every coordinate.
        assert sorted(np.floor(u * n).astype(int)) == list(range(n))
        np.testing.assert_array_equal(v[col].to_numpy(), item.sample(u))
    again = prior_vectors(items, n, seed=3)
    pd.testing.assert_frame_equal(v, again)
    assert not prior_vectors(items, n, seed=4)[U_PREFIX + next(iter(items))].equals(v[U_PREFIX + next(iter(items))])


def test_prior_vectors_refuse_nothing_to_calibrate() -> None:
    with pytest.raises(ValueError, match="nothing to calibrate"):
        prior_vectors({}, 8, 0)
    with pytest.raises(ValueError, match="at least one"):
        prior_vectors({"x": None}, 0, 0)  # type: ignore[dict-item]


def test_brier_and_log_score_by_hand() -> None:
    p = np.array([[0.5, 0.3, 0.2], [1.0, 0.0, 0.0]])
    obs = ["bandwagoning", "neutrality_kept"]
    assert OUTCOME_NAMES[:2] == ("neutrality_kept", "bandwagoning")
    np.testing.assert_allclose(brier(p, obs), [0.25 + 0.49 + 0.04, 0.0])
    np.testing.assert_allclose(log_score(p, obs), [-np.log(0.3), 0.0])


def test_base_rate_leaves_the_case_itself_out() -> None:
    obs = ["neutrality_kept", "neutrality_kept", "escalation"]
    p = base_rate_loo(obs)
    # Case 0 sees one neutrality and one escalation among the others: (1.5, 0.5, 1.5) / 3.5.
    np.testing.assert_allclose(p[0], [1.5 / 3.5, 0.5 / 3.5, 1.5 / 3.5])
    # Case 2 sees two neutralities and no escalation.
    np.testing.assert_allclose(p[2], [2.5 / 3.5, 0.5 / 3.5, 0.5 / 3.5])
    np.testing.assert_allclose(p.sum(axis=1), 1.0)


def test_neutrality_always_leaves_a_little_to_the_rest() -> None:
    p = neutrality_always(2)
    np.testing.assert_allclose(p, [[0.98, 0.01, 0.01]] * 2)


def _predictions(methods: dict[str, np.ndarray], observed: list[str]) -> pd.DataFrame:
    rows = []
    for m, p in methods.items():
        for i, o in enumerate(observed):
            rows.append({"case": f"c{i}", "observed": o, "method": m, **dict(zip(OUTCOME_NAMES, p[i], strict=True))})
    return pd.DataFrame(rows)


def test_score_table_pairs_each_method_with_the_model() -> None:
    obs = ["neutrality_kept"] * 6 + ["bandwagoning"] * 4
    good = np.array([[0.8, 0.1, 0.1] if o == "neutrality_kept" else [0.1, 0.8, 0.1] for o in obs])
    bad = np.tile([1 / 3, 1 / 3, 1 / 3], (len(obs), 1))
    table = score_table(_predictions({"loo": good, "uniform": bad}, obs)).set_index("method")
    assert table.at["loo", "brier_minus_loo"] == 0
    assert table.at["uniform", "log_minus_loo"] == pytest.approx(np.log(0.8) - np.log(1 / 3))
    assert table.at["uniform", "log_lo"] > 0  # every case favours the model: the interval is above zero


def test_reliability_counts_every_case_and_outcome_once() -> None:
    obs = ["neutrality_kept", "bandwagoning", "escalation", "neutrality_kept"]
    p = np.array([[0.9, 0.05, 0.05], [0.3, 0.5, 0.2], [0.1, 0.1, 0.8], [0.5, 0.45, 0.05]])
    rel = reliability(_predictions({"loo": p}, obs))
    assert rel["n"].sum() == 12
    top = rel[rel["bin"] == "0.8-1.0"].iloc[0]
    assert top["n"] == 2 and top["observed"] == 1.0  # 0.9 neutrality and 0.8 escalation both happened


def test_identification_flags_the_parameter_the_weights_depend_on() -> None:
    # 2,000 vectors; weights depend on the first coordinate only. At a family-wise 5% level the
    # permutation threshold keeps the 20 unrelated coordinates out (the seed fixes the draw).
    rng = np.random.default_rng(11)
    n, d = 2000, 21
    u = rng.random((n, d))
    frame = pd.DataFrame({"theta_id": np.arange(n)})
    for j in range(d):
        frame[f"{U_PREFIX}draw.parameters.p{j}"] = u[:, j]
    for j in range(d):
        frame[f"draw.parameters.p{j}"] = 10 * u[:, j]
    w = np.exp(-(((u[:, 0] - 0.2) / 0.15) ** 2))
    table, threshold = identification(frame, w, seed=0)
    assert table.iloc[0]["parameter"] == "parameters.p0" and table.iloc[0]["identified"]
    assert table.iloc[0]["posterior_median"] == pytest.approx(2.0, abs=0.4)
    assert not table.iloc[1:]["identified"].any()
    assert 0 < threshold < table.iloc[0]["distance"]
