"""The built-in rules apply the mechanism weights of docs/model.md where the dynamics do, and read drawn values.

Each test builds the baseline with a few overrides (no uncertainty), sets the state a rule
needs, and calls one actor's ``decide`` once with fixed uniforms, so what the rule does is
read off the move log exactly, without running the model.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import hedgesim
from hedgesim.core import HedgeModel
from hedgesim.ensemble import build_rules
from tests.paths import BASELINE

R = 2
#: A uniform that fires no chance event (punishment, loan, base request, exercise, offer).
NO_CHANCE = 0.999

RECIPROCITY_PATRON = {"actors.Russia.rule": {"name": "reciprocity"}}


def model_of(overrides: dict[str, Any]) -> HedgeModel:
    sc = hedgesim.load_scenario(BASELINE, {"mechanisms.hazards": 0.0, **overrides})
    return HedgeModel(sc, build_rules(sc), list(range(R)), record_steps=True)


def decide(model: HedgeModel, name: str, u: float = NO_CHANCE) -> None:
    actor = model.actors[name]
    n = actor.rule.uniforms_needed(model, actor)
    actor.rule.decide(model, actor, np.full((model.R, n), u))


def intensities(model: HedgeModel, move: str, source: str) -> np.ndarray:
    """The intensities of every ``move`` by ``source`` logged so far, one per replicate and move."""
    rows = [entry[5] for entry in model.move_log if entry[4] == move and entry[2] == source]
    return np.concatenate(rows) if rows else np.zeros(0)


# --------------------------------------------------------------------------- compensation


@pytest.mark.parametrize("patron_rule", [{}, RECIPROCITY_PATRON], ids=["strategic", "reciprocity"])
@pytest.mark.parametrize("weight", [0.0, 0.5, 1.0])
def test_compensation_weight_scales_the_subsidy_paid_for_compliance(patron_rule: dict, weight: float) -> None:
    """A complying hedger that has lost half its subsidy: the patron restores restore_rate of the gap
    times w.compensation (0 pays nothing), with w.subsidy at 1."""
    model = model_of({**patron_rule, "facts.Russia.compensation_terms.value": 0, "mechanisms.compensation": weight})
    try:
        h = model.hedger.s
        h["subsidy"][:] = 0.5 * model.s0
        before = h["subsidy"].copy()
        decide(model, "Russia")
        restore = model.actors["Russia"].rule.q.restore_rate
        assert intensities(model, "subsidy", "Russia").size == R, "the hedger should comply and be rewarded"
        np.testing.assert_allclose(h["subsidy"] - before, weight * restore * (model.s0 - before), rtol=1e-12)
    finally:
        model.release()


# --------------------------------------------------------------------------- garrison


DEFIANT_AND_AGGRIEVED = {"actors.Belarus.state.alignment": 0.6, "actors.Russia.state.grievance": 0.9}


@pytest.mark.parametrize("patron_rule", [{}, RECIPROCITY_PATRON], ids=["strategic", "reciprocity"])
def test_garrison_switched_off_gives_the_patron_no_means_for_pressure(patron_rule: dict) -> None:
    """With w.garrison = 0 an unwanted garrison does not raise military pressure's intensity; at 1 it does."""

    def pressure(garrison: float, weight: float) -> np.ndarray:
        model = model_of(
            {
                **patron_rule,
                **DEFIANT_AND_AGGRIEVED,
                "actors.Belarus.state.garrison": garrison,
                "mechanisms.garrison": weight,
            }
        )
        try:
            decide(model, "Russia")
            return intensities(model, "military_pressure", "Russia")
        finally:
            model.release()

    none = pressure(0.0, 0.0)
    assert none.size == R and (none > 0).all()
    np.testing.assert_array_equal(pressure(1.0, 0.0), none)
    assert (pressure(1.0, 1.0) > none).all()


def test_garrison_switched_off_draws_no_security_bloc_build_up() -> None:
    """The security bloc reads a garrison as the hedger siding with the patron only while the mechanism is on."""

    def deployment(garrison: float, weight: float) -> np.ndarray:
        model = model_of({"actors.Belarus.state.garrison": garrison, "mechanisms.garrison": weight})
        try:
            decide(model, "NATO")
            moves = intensities(model, "deployment", "NATO")
            return moves if moves.size else -intensities(model, "drawdown", "NATO")
        finally:
            model.release()

    none = deployment(0.0, 0.0)
    np.testing.assert_array_equal(deployment(1.0, 0.0), none)
    assert (deployment(1.0, 1.0) > none).all()


# --------------------------------------------------------------------------- drawn rule parameters


def test_threshold_rule_makes_its_moves_at_the_drawn_intensities() -> None:
    """Under uncertainty each replicate draws the threshold rule's intensities (Rule.with_values): they are made.

    The EU on ``threshold``: engagement while tension is at least 0, sanctions otherwise; the point
    intensity is 1, each replicate's drawn one differs, and the move log shows the drawn ones.
    """
    rule = {"name": "threshold", "params": {"when": "tension >= 0", "move": "engagement", "target": "Belarus"}}
    sc = hedgesim.load_scenario(BASELINE, {"mechanisms.hazards": 0.0, "actors.EU.rule": rule})
    drawn = np.array([0.3, 0.7])
    rules = build_rules(sc)
    rules["EU"] = rules["EU"].with_values({"intensity": drawn})
    model = HedgeModel(sc, rules, list(range(R)), record_steps=True)
    try:
        decide(model, "EU")
        np.testing.assert_array_equal(intensities(model, "engagement", "EU"), drawn)
    finally:
        model.release()


def test_threshold_rule_makes_its_otherwise_move_at_the_drawn_intensity() -> None:
    rule = {
        "name": "threshold",
        "params": {"when": "tension > 1", "move": "engagement", "target": "Belarus", "otherwise": "sanctions"},
    }
    sc = hedgesim.load_scenario(BASELINE, {"mechanisms.hazards": 0.0, "actors.EU.rule": rule})
    drawn = np.array([0.2, 0.9])
    rules = build_rules(sc)
    rules["EU"] = rules["EU"].with_values({"otherwise_intensity": drawn})
    model = HedgeModel(sc, rules, list(range(R)), record_steps=True)
    try:
        decide(model, "EU")
        assert intensities(model, "engagement", "EU").size == 0
        np.testing.assert_array_equal(intensities(model, "sanctions", "EU"), drawn)
    finally:
        model.release()
