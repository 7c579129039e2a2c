"""Every mechanism of docs/model.md is alive: switching it off changes the state of a world that exercises it.

For each mechanism weight there is a world (the baseline with overrides) in which the
mechanism should act. The world runs twice with the same seed and replicate ids, the
weight at its calibrated 1 and at 0; the final state must differ, or the mechanism is
dead. Runs are exact (paired on common random numbers), so inequality needs no margin;
each world runs 60 replicates for 36 months under the baseline's uncertainty (the
posterior), so that whatever a mechanism needs (a resolute patron, a leader type) occurs
in some replicates.

The term itself (issue 8: "its term never non-zero"): with steps recorded, the first
month in which the two runs differ must show a difference in a variable the
mechanism's own term writes (``OWN``, from docs/model.md 3.3): the weight acts where the
model says it does, not only through some later side effect. A term that is always zero
leaves the two runs identical and fails both tests.

The test of the test: a weight no world exercises fails ``test_every_mechanism_has_a_world``,
and ``test_a_dead_mechanism_is_caught`` shows the check fails when a weight changes nothing.
"""

from __future__ import annotations

import functools
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


def run_world(overrides: dict[str, Any], weight: str, value: float) -> hedgesim.Results:
    """The world with one mechanism weight set, its steps recorded."""
    return hedgesim.run(
        BASELINE,
        replicates=N,
        overrides={"horizon": H, f"mechanisms.{weight}": value, **overrides},
        record="steps",
        progress=False,
    )


@functools.cache
def world(mechanism: str, value: float) -> hedgesim.Results:
    """A mechanism's own world at one weight, run once for both of its checks."""
    return run_world(WORLDS[mechanism], mechanism, value)


def final_state(res: hedgesim.Results) -> pd.DataFrame:
    """The runs without the move counts and draws."""
    keep = [c for c in res.runs.columns if not c.startswith(("n_", "draw."))]
    return res.runs[keep]


def steps(res: hedgesim.Results) -> pd.DataFrame:
    assert res.steps is not None
    return res.steps


def test_every_mechanism_has_a_world() -> None:
    assert set(WORLDS) == set(Mechanisms.model_fields), "a mechanism has no liveness world (or one names none)"


@pytest.mark.parametrize("mechanism", list(WORLDS))
def test_mechanism_is_alive(mechanism: str) -> None:
    """Switching the weight off changes the final state, and the first month that differs shows it in a
    variable the mechanism's own term writes (both from one pair of runs)."""
    on, off = final_state(world(mechanism, 1.0)), final_state(world(mechanism, 0.0))
    differs = [c for c in on.columns if not on[c].equals(off[c])]
    assert differs, f"mechanism {mechanism!r} is dead: switching it off changes nothing in its world"

    on, off = steps(world(mechanism, 1.0)), steps(world(mechanism, 0.0))
    pd.testing.assert_frame_equal(on[["replicate", "step"]], off[["replicate", "step"]])
    step, differ = first_difference(on, off)
    assert differ, f"mechanism {mechanism!r}: its term is never non-zero in its world"
    assert differ & OWN[mechanism], (
        f"mechanism {mechanism!r}: the runs first differ at step {step} in {sorted(differ)}, "
        f"none of which its term writes ({sorted(OWN[mechanism])})"
    )


def test_a_dead_mechanism_is_caught() -> None:
    """A world that cannot exercise a mechanism: the check must report it dead (the test can fail)."""
    world = {"actors.Belarus.state.separatism": 0.0}
    on, off = final_state(run_world(world, "separatism", 1.0)), final_state(run_world(world, "separatism", 0.0))
    assert all(on[c].equals(off[c]) for c in on.columns)
    assert np.isfinite(on.select_dtypes("number").to_numpy()).all()


_NEIGHBOURS = ("Ukraine", "Poland", "Lithuania", "Latvia")
_POSTURES = {"NATO.posture", "Russia.posture", *(f"{n}.posture" for n in _NEIGHBOURS)}
_THREATS = {f"{n}.threat" for n in _NEIGHBOURS}
_REG_TERMS = {"Belarus.reg_patron", "Belarus.reg_hedge", "Belarus.reg_bloc"}

#: mechanism -> the recorded variables its own term writes (docs/model.md 3.3: the move's
#: effect, or the dynamics term the weight multiplies). Global variables have no prefix.
OWN: dict[str, set[str]] = {
    "subsidy": {"Belarus.subsidy"},
    "subsidy_cut": {"Belarus.subsidy"},
    "tax_manoeuvre": {"Belarus.subsidy"},
    "integration": {"Belarus.integration"},
    "loan": {"Belarus.economy", "Belarus.regime_security", "Belarus.debt"},
    "trade_restriction": {"Russia.restriction"},
    "engagement": {"EU.engagement", "EU.sanctions"},
    "sanctions": {"EU.sanctions"},
    "exercise": {"exercise"},
    "transparency": {"exercise"},
    "deployment": _POSTURES,
    "spiral": _POSTURES,
    "military_pressure": {"pressure", "Russia.posture"},
    "base": {"Belarus.base", "Russia.grievance"},
    "csbm": _THREATS | {"incidents", "tension"},
    "hub": {"Russia.tolerance"},
    "threat": {"Belarus.threat_patron", "Belarus.threat_bloc", "Russia.threat"} | _THREATS,
    "incidents": {"incidents", "tension"},
    "regime": _REG_TERMS,
    "compensation": {"Belarus.subsidy"},
    "budget": {"Russia.budget"},
    "diversification": {"Belarus.dependence_patron", "Belarus.energy_dependence", "Belarus.dependence_bloc"},
    "sanction_diversion": {"Belarus.dependence_patron", "Belarus.dependence_bloc"},
    "cutoff": {"Russia.cutoff"},
    "debt": {"Belarus.debt"},
    "rescue": {"Belarus.regime_security"},
    "learning": {"Belarus.belief"},
    "partner": {"Belarus.dependence_partner"},
    "separatism": {"Belarus.threat_patron"},
    "garrison": {"Belarus.threat_patron"},
    "neutrality": {"Russia.tolerance"},
    "aspiration": {"Russia.threat", "Russia.tolerance"},
    "hazards": {"Belarus.economy", "Belarus.regime_security", "Belarus.legitimacy_crisis", "Belarus.external_threat"},
}


def first_difference(on: pd.DataFrame, off: pd.DataFrame) -> tuple[int, set[str]]:
    """The first step at which two step tables differ, and the variables that differ then."""
    cols = [c for c in on.columns if c not in ("replicate", "step") and on[c].dtype.kind in "fiub"]
    a, b = on[cols].to_numpy(float), off[cols].to_numpy(float)
    differ = ~((a == b) | (np.isnan(a) & np.isnan(b)))
    rows = np.flatnonzero(differ.any(axis=1))
    if not rows.size:
        return -1, set()
    first = int(on["step"].iloc[rows].min())
    at = on["step"].to_numpy() == first
    return first, {cols[j] for j in np.flatnonzero(differ[at].any(axis=0))}


def test_every_mechanism_names_the_variables_its_term_writes() -> None:
    assert set(OWN) == set(Mechanisms.model_fields)
    columns = set(steps(world("hub", 1.0)).columns)
    unknown = {m: sorted(v - columns) for m, v in OWN.items() if v - columns}
    assert not unknown, f"variables not recorded with the steps: {unknown}"


def test_first_difference_finds_the_earliest_step_and_its_variables() -> None:
    """The check can fail: a difference only downstream (a later step, another variable) is told apart."""
    base = pd.DataFrame({"replicate": [0, 1, 0, 1], "step": [0, 0, 1, 1], "a": 0.0, "b": 0.0, "g": 0.0})
    later = base.copy()
    later.loc[3, "b"] = 1.0
    later.loc[2, "g"] = np.nan
    assert first_difference(base, base) == (-1, set())
    assert first_difference(base, later) == (1, {"b", "g"})
    assert not first_difference(base, later)[1] & {"a"}
