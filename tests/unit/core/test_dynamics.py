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


# --------------------------------------------------------------------------- state in range by construction


def test_sanction_diversion_above_one_keeps_trade_shares_in_range() -> None:
    """A sanction diversion weight of 10 with full sanctions diverts at most all of the blocs' trade.

    The state then stays inside [0, 1] (and the shares sum to at most 1), not a negative share with the bloc
    and a share over 1 with the patron.
    """
    model = model_of({"mechanisms.sanction_diversion": 10.0, "parameters.sanction_diversion": 1.0})
    try:
        h = model.hedger.s
        model.econ_blocs[0].s["sanctions"][:] = 1.0
        total = h["dependence_patron"] + h["dependence_bloc"] + h["dependence_partner"]
        dynamics.economy(model)
        for var in ("dependence_patron", "dependence_bloc", "dependence_partner"):
            assert ((h[var] >= 0.0) & (h[var] <= 1.0)).all(), f"{var} left [0, 1]: {h[var]}"
        np.testing.assert_array_equal(h["dependence_bloc"], 0.0)  # all of it diverted, no more
        np.testing.assert_allclose(h["dependence_patron"] + h["dependence_bloc"] + h["dependence_partner"], total)
    finally:
        model.release()
