"""The move registry: each move defined once, with its roles, weights and effect together."""

from __future__ import annotations

import numpy as np
import pytest

import hedgesim
from hedgesim.core import MOVES, ROLES, Mechanisms, hub_equilibrium
from hedgesim.core.moves import LOAN_GDP_PER_UNIT
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
