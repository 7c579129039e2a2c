"""Every mechanism of docs/model.md is alive: switching it off changes the state of a world that exercises it.

For each mechanism weight there is a world (the baseline with overrides) in which the
mechanism should act. The world runs twice with the same seed and replicate ids, the
weight at its calibrated 1 and at 0; the final state must differ, or the mechanism is
dead. Runs are exact (paired on common random numbers), so inequality needs no margin;
each world runs 60 replicates for 36 months under prior uncertainty, so that whatever
a mechanism needs (a resolute patron, a leader type) occurs in some replicates.

The test of the test: a weight no world exercises fails ``test_every_mechanism_has_a_world``,
and ``test_a_dead_mechanism_is_caught`` shows the check fails when a weight changes nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import hedgesim
from hedgesim.core import Mechanisms
from tests.paths import BASELINE

N, H = 60, 36

_EU_SANCTIONS = {"step": 0, "actor": "EU", "move": "sanctions", "target": "Belarus", "intensity": 1.0}
_DEFIANT = {"actors.Belarus.state.alignment": 0.4}  # a hedger the patron finds defiant

#: mechanism -> overrides of the baseline that make it act.
WORLDS: dict[str, dict[str, Any]] = {
    "subsidy": {"facts.Russia.compensation_terms.value": 0},
    "subsidy_cut": {
        "events": [{"step": 0, "actor": "Russia", "move": "subsidy_cut", "target": "Belarus", "intensity": 0.8}]
    },
    "tax_manoeuvre": {},
    "integration": {"actors.Belarus.state.economy": 0.9},
    "loan": {"actors.Belarus.state.regime_security": 0.3},
    "trade_restriction": _DEFIANT,
    "engagement": {},
    "sanctions": {"events": [_EU_SANCTIONS]},
    "exercise": {"actors.Russia.rule.params.exercise_rate": 0.5},
    "transparency": {"actors.Russia.rule.params.exercise_rate": 0.5, "actors.Belarus.state.transparency": 1.0},
    "deployment": {"actors.NATO.state.posture": 0.6},
    "spiral": {"actors.NATO.state.posture": 0.6},
    "military_pressure": {**_DEFIANT, "actors.Russia.state.grievance": 0.9},
    "base": {"actors.NATO.state.posture": 0.8},
    "csbm": {"actors.Belarus.rule.params.csbm": 0.1},
    "hub": {},
    "threat": {},
    "incidents": {},
    "regime": {},
    "compensation": {"facts.Russia.compensation_terms.value": 0, "actors.Belarus.state.economy": 0.95},
    "budget": {"actors.Russia.state.budget": 0.0},
    "diversification": _DEFIANT,
    "sanction_diversion": {"events": [_EU_SANCTIONS]},
    "cutoff": {**_DEFIANT, "actors.Russia.state.resolve": 1.0},
    "debt": {**_DEFIANT, "actors.Russia.state.resolve": 0.0, "actors.Belarus.state.debt": 0.3},
    "rescue": {"actors.Belarus.state.regime_security": 0.1},
    "learning": _DEFIANT,
    "partner": {
        "actors.China": {"role": "partner"},
        "actors.Belarus.state.dependence_partner": 0.1,
        **_DEFIANT,
    },
    "separatism": {"actors.Belarus.state.separatism": 0.5},
    "garrison": {"actors.Belarus.state.garrison": 0.5},
    "neutrality": {},
    "aspiration": {"actors.Belarus.state.aspiration": 1.0},
    "hazards": {},
}


def final_state(overrides: dict[str, Any], weight: str, value: float) -> pd.DataFrame:
    """The runs of the world with one mechanism weight set, without the move counts and draws."""
    res = hedgesim.run(
        BASELINE, replicates=N, overrides={"horizon": H, f"mechanisms.{weight}": value, **overrides}, progress=False
    )
    keep = [c for c in res.runs.columns if not c.startswith(("n_", "draw."))]
    return res.runs[keep]


def test_every_mechanism_has_a_world() -> None:
    assert set(WORLDS) == set(Mechanisms.model_fields), "a mechanism has no liveness world (or one names none)"


@pytest.mark.parametrize("mechanism", list(WORLDS))
def test_mechanism_is_alive(mechanism: str) -> None:
    on = final_state(WORLDS[mechanism], mechanism, 1.0)
    off = final_state(WORLDS[mechanism], mechanism, 0.0)
    differs = [c for c in on.columns if not on[c].equals(off[c])]
    assert differs, f"mechanism {mechanism!r} is dead: switching it off changes nothing in its world"


def test_a_dead_mechanism_is_caught() -> None:
    """A world that cannot exercise a mechanism: the check must report it dead (the test can fail)."""
    world = {"actors.Belarus.state.separatism": 0.0}
    on, off = final_state(world, "separatism", 1.0), final_state(world, "separatism", 0.0)
    assert all(on[c].equals(off[c]) for c in on.columns)
    assert np.isfinite(on.select_dtypes("number").to_numpy()).all()
