"""hedgesim.ema: a scenario driven by EMA Workbench's own evaluator (skipped where hedgesim[ema] is absent)."""

from __future__ import annotations

import numpy as np
import pytest

from hedgesim import InputError
from hedgesim.ema import HedgesimFunction, identifier, parse_fixed, parse_parameters
from tests.paths import BASELINE

UNC = ["actors.NATO.state.posture=0.1:0.9", "actors.Russia.rule.params.coercion=0.0:1.0"]


def test_parameter_specs_from_the_command_line_and_python() -> None:
    assert parse_parameters(UNC) == {
        "actors.NATO.state.posture": (0.1, 0.9),
        "actors.Russia.rule.params.coercion": (0.0, 1.0),
    }
    assert parse_parameters(["horizon=12:60"]) == {"horizon": (12, 60)}
    assert parse_parameters({"mechanisms.csbm": {"values": [0, 1]}}) == {"mechanisms.csbm": {"values": [0, 1]}}
    assert parse_parameters(["a.b=x,y"]) == {"a.b": {"values": ["x", "y"]}}
    assert parse_fixed(["horizon=24"]) == {"horizon": 24}
    assert (
        identifier("actors.NATO.state.posture") == "NATO_posture" and identifier("parameters.hub_value") == "hub_value"
    )
    for bad in (["x=0.9:0.1"], ["x"], {"x": (1, 2, 3)}):
        with pytest.raises(InputError):
            parse_parameters(bad)


def test_model_runs_under_emas_evaluator() -> None:
    """6 experiments x 100 replicates with EMA's SequentialEvaluator: shares add up, the survival curve ends at
    the share that kept neutrality, and EMA's result for an experiment equals a direct run at its values."""
    pytest.importorskip("ema_workbench", reason="EMA Workbench (hedgesim[ema]) is not installed")
    from hedgesim.ema import build_model, experiments_frame, feature_scores, run_experiments

    model = build_model(BASELINE, UNC, replicates=100, seed=20190222, curve=True, fixed=["horizon=60"])
    assert all(p.name.isidentifier() for p in model.uncertainties)
    experiments, outcomes = run_experiments(model, 6, seed=1)
    total = outcomes["neutrality_kept"] + outcomes["bandwagoning"] + outcomes["escalation"]
    np.testing.assert_allclose(total, 1.0)
    np.testing.assert_allclose(
        outcomes["bandwagoning"], outcomes["bandwagoning_patron"] + outcomes["bandwagoning_bloc"]
    )
    curves = np.asarray(outcomes["neutral_curve"])
    assert curves.shape == (6, 61)
    np.testing.assert_allclose(curves[:, -1], outcomes["neutrality_kept"])
    frame = experiments_frame(model, experiments, outcomes)
    i = int(np.argmin(outcomes["neutrality_kept"]))  # the experiment where most happened
    values = {p: float(frame.loc[i, p]) for p in ("actors.NATO.state.posture", "actors.Russia.rule.params.coercion")}
    direct = HedgesimFunction(str(BASELINE), 100, 20190222, {"horizon": 60})(**values)
    assert direct["neutrality_kept"] == outcomes["neutrality_kept"][i] < 1
    again, again_out = run_experiments(model, 6, seed=1)
    np.testing.assert_array_equal(experiments["NATO_posture"], again["NATO_posture"])
    np.testing.assert_array_equal(outcomes["escalation"], again_out["escalation"])
    scores = feature_scores(experiments, outcomes)
    assert set(scores.index) == {"NATO_posture", "Russia_coercion"}


def test_replicator_model_and_bad_paths() -> None:
    pytest.importorskip("ema_workbench", reason="EMA Workbench (hedgesim[ema]) is not installed")
    from hedgesim.ema import build_model, build_replicator_model, run_experiments

    model = build_replicator_model(
        BASELINE, {"actors.NATO.state.posture": (0.1, 0.9)}, seeds=[1, 2], replicates=40, fixed={"horizon": 36}
    )
    _, out = run_experiments(model, 3, seed=2)
    by_seed = np.asarray(out["escalation_by_seed"])
    assert by_seed.shape == (3, 2)
    np.testing.assert_allclose(out["escalation"], by_seed.mean(axis=1))
    with pytest.raises(InputError, match="flank_sensitivty"):
        build_model(BASELINE, ["parameters.flank_sensitivty=0:1"])
