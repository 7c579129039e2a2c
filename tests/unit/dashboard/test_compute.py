"""What the page recomputes: the same ensemble as hedgesim.run with the levers as overrides."""

from __future__ import annotations

import numpy as np
import pytest

import hedgesim
from hedgesim.dashboard import make_settings, page_values, summarise
from hedgesim.ensemble import base_scenario
from hedgesim.scenario import lever_overrides
from tests.paths import BASELINE


@pytest.fixture(scope="module")
def settings():
    values = {**page_values(base_scenario("baseline")), "flank_posture": 0.6}
    return make_settings("baseline", values)


def test_shares_are_those_of_run_with_the_levers_as_overrides(settings) -> None:
    summary = summarise(settings)
    sc = base_scenario("baseline")
    res = hedgesim.run(sc, replicates=500, overrides=lever_overrides(sc, {"flank_posture": 0.6}))
    table = res.outcome_shares(by_side=True)
    assert [r.label for r in summary.rows] == list(table.index)
    assert [r.share for r in summary.rows] == pytest.approx(list(table["share"]))
    assert [r.lo for r in summary.rows] == pytest.approx(list(table["lo"]))
    assert [r.colour for r in summary.rows] == [hedgesim.core.outcome(k).colour for k in table.index]


def test_time_to_loss_agrees_with_the_outcome_steps(settings) -> None:
    summary = summarise(settings)
    sc = base_scenario("baseline")
    runs = hedgesim.run(sc, replicates=500, overrides={"actors.NATO.state.posture": 0.6}).runs
    lost = runs[runs["outcome"] != "neutrality_kept"]
    assert summary.lost[0] == pytest.approx(len(lost) / 500)
    assert summary.months_to_loss[1] == pytest.approx(np.median(lost["outcome_step"]))
    assert sum(curve[-1] for _, curve in summary.curves) == pytest.approx(summary.lost[0])
    assert all(np.all(np.diff(curve) >= 0) for _, curve in summary.curves)
    assert summary.lost_replicates == tuple(lost["replicate"].iloc[:50])
    first = summary.lost_replicates[0]
    assert summary.next_lost(first) == summary.lost_replicates[1]
    assert summary.next_lost(10_000) == first  # wraps round


def test_the_same_settings_are_computed_once(settings) -> None:
    assert summarise(settings) is summarise(settings)


def test_no_loss_no_quartiles(tmp_path) -> None:
    short = tmp_path / "short.yaml"  # two months: too short for any outcome but neutrality
    short.write_text(f"extends: {BASELINE}\nname: short\nhorizon: 2\nuncertainty: none\n")
    summary = summarise(make_settings(str(short), {}))
    assert summary.lost[0] == 0 and summary.months_to_loss is None and summary.lost_replicates == ()
    assert summary.next_lost(0) is None
    assert [len(curve) for _, curve in summary.curves] == [3, 3, 3]
