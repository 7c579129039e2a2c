"""The move registry: each move defined once, with its roles, weights and effect together."""

from __future__ import annotations

import numpy as np
import pytest

import hedgesim
from hedgesim.calibration.events import LOAN_GDP_PER_UNIT
from hedgesim.core import GLOBAL_VARS, MOVES, ROLE_VARS, ROLES, Mechanisms, hub_equilibrium
from hedgesim.ensemble import build_rules
from tests.paths import BASELINE


@pytest.mark.parametrize("name", list(MOVES))
def test_each_move_is_complete(name: str) -> None:
    move = MOVES[name]
    assert move.name == name and move.meaning
    assert move.kind in ("economic", "security", "choice")
    assert move.sources and set(move.sources) <= set(ROLES)
    assert set(move.targets) <= set(ROLES)
    assert set(move.weights) <= set(Mechanisms.model_fields), f"{name} names an unknown mechanism"
    assert callable(move.effect)


WEIGHTED = [n for n, m in MOVES.items() if m.weights]


@pytest.mark.parametrize("name", WEIGHTED)
def test_a_weight_of_zero_switches_the_move_off(name: str) -> None:
    """Each weight a move declares really scales it: with every declared weight at 0 the state does not move."""
    sc = hedgesim.load_scenario(BASELINE, {f"mechanisms.{w}": 0.0 for w in MOVES[name].weights})
    model = hedgesim.core.HedgeModel(sc, build_rules(sc), [0, 1])
    try:
        before = {(a, v): arr.copy() for a, actor in model.actors.items() for v, arr in actor.s.items()}
        before_g = {k: v.copy() for k, v in model.g.items()}
        move = MOVES[name]
        source = next(a for a in model.actors.values() if a.role == move.sources[0])
        target = next((a for a in model.actors.values() if move.targets and a.role == move.targets[0]), None)
        model.move(name, source, target, True, 0.7)
        for (a, v), arr in before.items():
            np.testing.assert_array_equal(model.actors[a].s[v], arr, err_msg=f"{name} moved {a}.{v} at weight 0")
        for k, arr in before_g.items():
            np.testing.assert_array_equal(model.g[k], arr, err_msg=f"{name} moved {k} at weight 0")
    finally:
        model.release()


def test_hub_equilibrium_is_the_fixed_point_of_talks_and_decay() -> None:
    """The calibration reads the hub level from the model: hosting at h with decay d settles there."""
    sc = hedgesim.load_scenario(BASELINE)
    model = hedgesim.core.HedgeModel(sc, build_rules(sc), [0])
    try:
        model.hedger.s["hub"][:] = 0.0
        for _ in range(2000):
            model.move("host_talks", model.hedger, None, True, 0.1)
            model.hedger.s["hub"] *= 1 - 0.05  # the model's monthly decay
        assert model.hedger.s["hub"][0] == pytest.approx(hub_equilibrium(0.1, 0.05), abs=1e-9)
    finally:
        model.release()


def test_loan_constant_is_what_the_loan_adds() -> None:
    sc = hedgesim.load_scenario(BASELINE)
    model = hedgesim.core.HedgeModel(sc, build_rules(sc), [0])
    try:
        patron = model.patrons[0]
        before = model.hedger.s["economy"].copy()
        model.move("loan", patron, model.hedger, True, 1.0)
        assert model.hedger.s["economy"][0] - before[0] == pytest.approx(LOAN_GDP_PER_UNIT)
    finally:
        model.release()


@pytest.mark.parametrize(("gdp", "regime"), [(0.02, 0.05), (0.04, 0.0), (0.01, 0.2)])
def test_the_loan_parameters_set_what_a_loan_adds(gdp: float, regime: float) -> None:
    """parameters.loan_gdp_per_unit and loan_regime_per_unit are what a unit of loan adds to GDP, debt and
    regime security, so a scenario or a sweep can set them."""
    overrides = {"parameters.loan_gdp_per_unit": gdp, "parameters.loan_regime_per_unit": regime}
    sc = hedgesim.load_scenario(BASELINE, {**overrides, "actors.Belarus.state.regime_security": 0.3})
    model = hedgesim.core.HedgeModel(sc, build_rules(sc), [0])
    try:
        h = model.hedger.s
        before = {k: h[k].copy() for k in ("economy", "debt", "regime_security")}
        model.move("loan", model.patrons[0], model.hedger, True, 2.0)
        assert h["economy"][0] - before["economy"][0] == pytest.approx(2 * gdp)
        assert h["debt"][0] - before["debt"][0] == pytest.approx(2 * gdp)
        assert h["regime_security"][0] - before["regime_security"][0] == pytest.approx(2 * regime)
    finally:
        model.release()


@pytest.mark.parametrize("name", list(MOVES))
def test_a_move_at_the_largest_weight_keeps_the_state_in_range(name: str) -> None:
    """Every mechanism weight at the schema's 10 and the move made three times at intensity 10: no variable
    leaves its declared range (the subsidy stays at or above 0, grievance after a payment too, and
    diversification leaves no trade share below 0), by construction rather than by a later fix."""
    weights = {f"mechanisms.{w}": 10.0 for w in Mechanisms.model_fields}
    paces = {"parameters.diversification_pace": 1.0, "parameters.energy_diversification_pace": 1.0}
    sc = hedgesim.load_scenario(BASELINE, {**weights, **paces, "actors.Belarus.state.debt": 0.5})
    model = hedgesim.core.HedgeModel(sc, build_rules(sc), [0, 1])
    try:
        move = MOVES[name]
        source = next(a for a in model.actors.values() if a.role == move.sources[0])
        target = next((a for a in model.actors.values() if move.targets and a.role == move.targets[0]), None)
        for _ in range(3):
            model.move(name, source, target, True, 10.0)
        for actor in model.actors.values():
            for var, spec in ROLE_VARS[actor.role].items():
                v = actor.s[var]
                assert ((v >= spec.lo) & (v <= spec.hi)).all(), f"{name}: {actor.name}.{var} = {v}"
        for var, spec in GLOBAL_VARS.items():
            assert ((model.g[var] >= spec.lo) & (model.g[var] <= spec.hi)).all(), f"{name}: {var}"
    finally:
        model.release()


def test_a_loan_from_the_patron_is_debt_owed_to_it() -> None:
    """A patron's loan of intensity i adds i * LOAN_GDP_PER_UNIT to the hedger's debt, a share of GDP as the
    debt_to_patron_usd_bn fact maps to (debt / GDP), so calibrated loans and the stated debt add up; the
    economic bloc's loan is not debt to the patron."""
    sc = hedgesim.load_scenario(BASELINE, {"actors.Belarus.state.debt": 0.1})
    model = hedgesim.core.HedgeModel(sc, build_rules(sc), [0, 1])
    try:
        h = model.hedger.s
        model.move("loan", model.patrons[0], model.hedger, True, 1.5)
        np.testing.assert_allclose(h["debt"], 0.1 + 1.5 * LOAN_GDP_PER_UNIT, rtol=1e-12)
        model.move("loan", model.econ_blocs[0], model.hedger, True, 1.5)
        np.testing.assert_allclose(h["debt"], 0.1 + 1.5 * LOAN_GDP_PER_UNIT, rtol=1e-12)
    finally:
        model.release()
