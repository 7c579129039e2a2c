"""Every state variable stays inside its declared range, by construction, whatever a valid scenario asks.

Hypothesis generates scenarios from the baseline: structural parameters anywhere in their
declared ranges, any mechanism weights anywhere in the schema's range (0 to 10, so above 1
too), initial state anywhere in range, and a handful of scripted moves of any catalogued
kind at any intensity the schema accepts (repeated large loans, military pressure, CSBMs at
weight 3, diversification: the inputs that once pushed the economy to 3.27 of [0, 3], a
neighbour's threat below 0 or, with a sanction diversion weight above 1, the hedger's trade
with the blocs below 0). Each runs 8 replicates for 24 steps with steps recorded; every
recorded value must be finite and in range.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hedgesim
from hedgesim.core import GLOBAL_VARS, MOVES, ROLE_VARS, Mechanisms, Parameters
from hedgesim.ensemble.uncertainty import bounds
from tests.paths import BASELINE

ACTORS = {
    "Belarus": "hedger",
    "Russia": "patron",
    "EU": "economic_bloc",
    "NATO": "security_bloc",
    "Ukraine": "neighbour",
}
#: The largest mechanism weight the schema accepts (core/switches.py): every weight is drawn up to it.
WEIGHT_MAX = max(bounds(field)[1] for field in Mechanisms.model_fields.values())
SETTABLE = {name: [v for v, spec in ROLE_VARS[role].items() if not spec.derived] for name, role in ACTORS.items()}


def _param(name: str) -> st.SearchStrategy[tuple[str, float]]:
    lo, hi = bounds(Parameters.model_fields[name])
    return st.floats(lo, min(hi, 1e3), allow_nan=False).map(lambda v: (f"parameters.{name}", v))


def _state(actor: str) -> st.SearchStrategy[tuple[str, float]]:
    role = ACTORS[actor]

    def pick(var: str) -> st.SearchStrategy[tuple[str, float]]:
        spec = ROLE_VARS[role][var]
        return st.floats(spec.lo, spec.hi, allow_nan=False).map(lambda v: (f"actors.{actor}.state.{var}", v))

    return st.sampled_from(SETTABLE[actor]).flatmap(pick)


def _event() -> st.SearchStrategy[dict[str, Any]]:
    def for_move(move: str) -> st.SearchStrategy[dict[str, Any]]:
        spec = MOVES[move]
        makers = [a for a, r in ACTORS.items() if r in spec.sources]
        targets = [a for a, r in ACTORS.items() if r in spec.targets]
        return st.fixed_dictionaries(
            {
                "step": st.integers(0, 23),
                "actor": st.sampled_from(makers),
                "move": st.just(move),
                "intensity": st.floats(0, 10, allow_nan=False),
                "duration": st.integers(1, 6),
                **({"target": st.sampled_from(targets)} if targets else {}),
            }
        )

    usable = [m for m, spec in MOVES.items() if any(r in spec.sources for r in ACTORS.values())]
    return st.sampled_from(usable).flatmap(for_move)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    params=st.lists(st.sampled_from(list(Parameters.model_fields)).flatmap(_param), max_size=8),
    weights=st.dictionaries(
        st.sampled_from(list(Mechanisms.model_fields)),
        st.floats(0, WEIGHT_MAX, allow_nan=False),
        max_size=8,
    ),
    state=st.lists(st.sampled_from(list(ACTORS)).flatmap(_state), max_size=8),
    events=st.lists(_event(), max_size=6),
    mode=st.sampled_from(["none", "prior"]),
)
def test_state_stays_in_its_declared_range(
    params: list[tuple[str, float]],
    weights: dict[str, float],
    state: list[tuple[str, float]],
    events: list[dict[str, Any]],
    mode: str,
) -> None:
    overrides: dict[str, Any] = {"horizon": 24, **dict(params), **dict(state)}
    overrides.update({f"mechanisms.{k}": v for k, v in weights.items()})
    overrides["events"] = events
    try:
        sc = hedgesim.load_scenario(BASELINE, overrides)
    except hedgesim.InputError:
        return  # refused at the edge (e.g. trade shares over 1): nothing runs
    res = hedgesim.run(sc, replicates=8, record="steps", uncertainty=mode, progress=False)
    assert res.steps is not None
    for name, role in {**ACTORS, "Poland": "neighbour"}.items():
        for var, spec in ROLE_VARS[role].items():
            values = res.steps[f"{name}.{var}"].to_numpy()
            assert np.isfinite(values).all(), f"{name}.{var} is not finite"
            assert (values >= spec.lo - 1e-12).all() and (values <= spec.hi + 1e-12).all(), (
                f"{name}.{var} left [{spec.lo}, {spec.hi}]: {values.min():.4g}..{values.max():.4g}"
            )
    for var, spec in GLOBAL_VARS.items():
        values = res.steps[var].to_numpy()
        assert np.isfinite(values).all() and (values >= spec.lo).all() and (values <= spec.hi).all(), var
