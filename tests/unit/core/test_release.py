"""A released model gives its memory back at once, rather than when the cycle collector runs."""

from __future__ import annotations

import gc

import numpy as np
import pytest

import hedgesim
from hedgesim.core import HedgeModel
from hedgesim.ensemble import build_rules
from tests.paths import BASELINE


def model(horizon: int = 6) -> HedgeModel:
    sc = hedgesim.load_scenario(BASELINE, {"horizon": horizon, "uncertainty": "none"})
    return HedgeModel(sc, build_rules(sc), np.arange(50))


def test_release_drops_streams_and_uniforms_but_keeps_state_readable() -> None:
    m = model()
    m.run()
    alignment = m.hedger.s["alignment"].copy()
    m.release()
    assert m._streams == [] and m._block.size == 0
    np.testing.assert_array_equal(m.hedger.s["alignment"], alignment)  # tables can still be read


def test_release_without_state_drops_the_arrays() -> None:
    m = model()
    m.run()
    m.release(keep_state=False)
    assert all(a.s == {} for a in m.actors.values()) and m.g == {} and m.move_counts == {}


def test_a_released_model_cannot_step_before_its_horizon() -> None:
    m = model(horizon=6)
    m.step()
    m.release()
    with pytest.raises(RuntimeError, match="released"):
        m.step()


def test_a_released_model_at_its_horizon_just_stops() -> None:
    m = model(horizon=2)
    m.run()
    m.release()
    m.step()  # what Mesa's batch_run does after the last month: nothing, no error
    assert not m.running


def test_simulate_leaves_no_model_arrays_waiting_for_the_collector() -> None:
    """With the collector off, a finished simulate() leaves its model without its per-replicate arrays."""
    sc = hedgesim.load_scenario(BASELINE, {"horizon": 3})
    gc.collect()
    gc.disable()
    try:
        hedgesim.simulate(sc, np.arange(20))
        left = [o for o in gc.get_objects() if isinstance(o, HedgeModel) and o.scenario_spec is sc]
        assert left, "the model should still await the collector (it holds reference cycles)"
        assert all(m._released and m._streams == [] and all(a.s == {} for a in m.actors.values()) for m in left)
    finally:
        gc.enable()
        gc.collect()
