"""The model's own dynamics (hedgesim.core.dynamics): each mechanism weight applied once, state kept in range.

Each test builds the baseline (no uncertainty), makes a move or sets the state, and calls
one function of the dynamics directly, so the effect is exact and needs no margin.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import hedgesim
from hedgesim.core import HedgeModel, dynamics
from hedgesim.ensemble import build_rules
from tests.paths import BASELINE

R = 2


def model_of(overrides: dict[str, Any] | None = None) -> HedgeModel:
    sc = hedgesim.load_scenario(BASELINE, {"mechanisms.hazards": 0.0, **(overrides or {})})
    return HedgeModel(sc, build_rules(sc), list(range(R)))


# --------------------------------------------------------------------------- weights applied once


@pytest.mark.parametrize(
    ("move", "source"),
    [("supply_cutoff", "Russia"), ("engagement", "EU")],
)
@pytest.mark.parametrize("weight", [0.5, 2.0])
def test_a_lever_weight_is_applied_once(move: str, source: str, weight: float) -> None:
    """A move of intensity i at weight w moves the economy exactly as intensity w * i at weight 1.

    A weight applied both by the move and again by the economy would give w**2 instead of w.
    """
    mechanism = {"supply_cutoff": "cutoff", "engagement": "engagement"}[move]

    def economy_after(w: float, intensity: float) -> np.ndarray:
        model = model_of({f"mechanisms.{mechanism}": w})
        try:
            model.move(move, model.actors[source], model.hedger, True, intensity)
            dynamics.economy(model)
            return model.hedger.s["economy"].copy()
        finally:
            model.release()

    weighted, scaled = economy_after(weight, 0.2), economy_after(1.0, 0.2 * weight)
    assert not np.allclose(scaled, economy_after(1.0, 0.0)), f"{move} does not move the economy at all"
    np.testing.assert_allclose(weighted, scaled, rtol=1e-12)
