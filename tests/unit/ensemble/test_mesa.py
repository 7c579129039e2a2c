"""hedgesim.HedgeModel as Mesa users expect it: keyword arguments, a DataCollector, batch_run."""

from __future__ import annotations

import inspect

import mesa
import numpy as np
import pandas as pd
import pytest

import hedgesim
from hedgesim import InputError
from hedgesim.core import OUTCOMES_BY_SIDE
from hedgesim.ensemble import REPORTERS, HedgeModel
from hedgesim.scenario import LEVERS

SHARES = [f"share_{o.key}" for o in OUTCOMES_BY_SIDE]
H = 24  # a short horizon keeps these tests quick; lever and seed logic do not depend on it


def _batch_run(parameters: dict, seeds: list[int] | None = None, **kw) -> list[dict]:
    """mesa.batch_run on either Mesa: 3.5 seeds through rng=[...], 3.3 through a seed parameter."""
    kw = {"display_progress": False, "number_processes": 1, **kw}
    if seeds is not None:
        if "rng" in inspect.signature(mesa.batch_run).parameters:
            kw["rng"] = seeds
        else:
            parameters = {**parameters, "seed": seeds}
    return mesa.batch_run(HedgeModel, parameters=parameters, **kw)


def test_the_public_name_is_the_mesa_native_model() -> None:
    assert hedgesim.HedgeModel is HedgeModel
    assert issubclass(HedgeModel, hedgesim.core.HedgeModel) and issubclass(HedgeModel, mesa.Model)


def test_every_argument_is_keyword_only_with_a_default_and_none_is_called_scenario() -> None:
    params = inspect.signature(HedgeModel).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())
    assert all(p.default is not inspect.Parameter.empty for p in params.values())
    assert "scenario" not in params and not any(p.kind is p.VAR_KEYWORD for p in params.values())
    assert {lv.key for lv in LEVERS} <= set(params), "each lever is a keyword argument"


def test_batch_run_without_parameters_runs_the_baseline_to_its_horizon() -> None:
    rows = _batch_run({})
    assert len(rows) == 1
    (row,) = rows
    assert row["Step"] == 120
    assert row["share_undecided"] == 0 and sum(row[k] for k in SHARES) == pytest.approx(1.0)
    shares = hedgesim.run(hedgesim.load_scenario("baseline")).outcome_shares(True)
    assert [row[k] for k in SHARES] == pytest.approx(list(shares["share"]))  # the same ensemble as run()


def test_batch_run_with_parameters_and_seeds() -> None:
    rows = _batch_run(
        # point values: flank_buildup also declares its troop count an uncertain fact, which shifts the
        # uniforms of the facts after it, so under drawn facts the two scenarios differ by more than the lever
        {
            "scenario_name": ["baseline", "flank_buildup"],
            "flank_posture": [0.25, 0.8],
            "replicates": 60,
            "uncertainty": "none",
        },
        seeds=[1, 2],
        max_steps=H,
    )
    assert len(rows) == 8
    table = pd.DataFrame(rows)
    assert set(table["Step"]) == {H}
    seed = "seed" if "seed" in table else "iteration"
    key = ["flank_posture", seed]
    base = table[table.scenario_name == "baseline"].set_index(key)[list(REPORTERS)].sort_index()
    flank = table[table.scenario_name == "flank_buildup"].set_index(key)[list(REPORTERS)].sort_index()
    # flank_buildup differs from the baseline only in the flank posture, which the lever sets in both
    pd.testing.assert_frame_equal(base, flank)
    assert not base.loc[0.25].equals(base.loc[0.8])


def test_data_collector_reports_each_month_over_the_ensemble() -> None:
    model = HedgeModel(replicates=40, scenario_name="flank_buildup")
    for _ in range(H):
        model.step()
    table = model.datacollector.get_model_vars_dataframe()
    assert list(table.columns) == list(REPORTERS)
    assert len(table) == H + 1  # the start and every month
    assert np.allclose(table[[*SHARES, "share_undecided"]].sum(axis=1), 1.0)
    assert table["share_undecided"].iloc[0] == 1.0
    assert table["median_alignment"].between(-1, 1).all()


def test_the_model_stops_itself_after_the_horizon() -> None:
    model = HedgeModel(replicates=5, scenario_name="baseline", seed=3)
    steps = 0
    while model.running:
        model.step()
        steps += 1
    assert model.t == model.horizon and steps == model.horizon + 1
    assert len(model.datacollector.get_model_vars_dataframe()) == model.horizon + 1


def test_a_replicate_stepped_alone_is_the_replicate_of_the_ensemble() -> None:
    res = hedgesim.run(hedgesim.ensemble.base_scenario("flank_buildup"), replicates=6)
    alone = HedgeModel(scenario_name="flank_buildup", replicates=1, first_replicate=5)
    while alone.running:
        alone.step()
    row = res.runs.iloc[5]
    got = alone.tables().runs.iloc[0]
    assert (got["replicate"], got["outcome"], got["outcome_step"]) == (5, row["outcome"], row["outcome_step"])
    assert got["Belarus.alignment"] == row["Belarus.alignment"]


def test_levers_and_draws_are_those_of_run_with_overrides() -> None:
    sc = hedgesim.ensemble.base_scenario("baseline")
    overrides = hedgesim.scenario.lever_overrides(sc, {"coercion": 0.9})
    via_run = hedgesim.run(sc, replicates=20, overrides=overrides, uncertainty="prior").runs
    model = HedgeModel(replicates=20, coercion=0.9, uncertainty="prior")
    while model.running:
        model.step()
    mine = model.tables().runs
    assert list(mine.columns) == list(via_run.columns)  # the same draws, recorded as run() records them
    pd.testing.assert_frame_equal(mine, via_run)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"scenario_name": "nope"}, "scenario"),
        ({"flank_posture": 2.0}, "flank_posture"),
        ({"replicates": 2.5}, "replicates"),
        ({"replicates": 0}, "replicates"),
        ({"first_replicate": -1}, "first_replicate"),
        ({"seed": -3}, "seed"),
        ({"seed": 1, "rng": 2}, "rng"),
        ({"replicates": 1001, "record_steps": True}, "record_steps"),  # refused before any memory is taken
    ],
)
def test_bad_arguments_are_input_errors(kwargs: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        HedgeModel(**kwargs)
    assert err.value.field == field


def test_mesa_generators_are_accepted_as_seeds() -> None:
    a = HedgeModel(replicates=3, rng=np.random.default_rng(7))
    b = HedgeModel(replicates=3, rng=np.random.default_rng(7))
    assert a.scenario_spec.seed == b.scenario_spec.seed


def test_solaraviz_accepts_the_model_class() -> None:
    solara_viz = pytest.importorskip("mesa.visualization.solara_viz", reason="needs hedgesim[dashboard]")
    solara_viz._check_model_params(HedgeModel.__init__, {"scenario_name": "baseline", "flank_posture": 0.5})
    model = HedgeModel(replicates=2)
    if hasattr(solara_viz, "_build_model_init_kwargs"):  # Mesa 3.5: Reset must not add its own scenario=
        kwargs = solara_viz._build_model_init_kwargs(
            model, {"replicates": 2}, add_scenario_when_empty=True, require_model_accepts_scenario=True
        )
        assert "scenario" not in kwargs
