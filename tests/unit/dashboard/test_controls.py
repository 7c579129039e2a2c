"""The dashboard's controls: one list, and every value from the browser checked like any input."""

from __future__ import annotations

import pytest

from hedgesim import InputError
from hedgesim.dashboard import CONTROLS, Settings, make_settings, page_values
from hedgesim.ensemble import base_scenario
from hedgesim.scenario import LEVERS


def test_every_lever_is_a_control_then_the_run_options() -> None:
    keys = [c.key for c in CONTROLS]
    assert keys[: len(LEVERS)] == [lv.key for lv in LEVERS]
    assert keys[len(LEVERS) :] == ["replicates", "uncertainty"]
    assert {c.kind for c in CONTROLS} == {"slider", "switch", "select"}


def test_an_untouched_page_shows_the_scenario_itself() -> None:
    values = page_values(base_scenario("baseline"))
    assert values["flank_posture"] == 0.25  # 0.245 rounded to the slider's step
    assert values["uncertainty"] == "posterior"  # the scenario's own
    settings = make_settings("baseline", values)
    assert settings == Settings("baseline", run=(("replicates", 500), ("uncertainty", "posterior")))
    assert settings.key() == "baseline||replicates=500,uncertainty=posterior"


def test_moved_controls_become_levers_and_run_options() -> None:
    values = {
        **page_values(base_scenario("baseline")),
        "flank_posture": 0.6,
        "base_demand": True,
        "replicates": 2000,
        "uncertainty": "none",
    }
    settings = make_settings("baseline", values, replicate=7)
    assert dict(settings.levers) == {"flank_posture": 0.6, "base_demand": True}
    assert settings.replicates == 2000 and settings.replicate == 7
    assert settings.run_options() == {"uncertainty": "none"}
    assert settings.key() == "baseline|base_demand=true,flank_posture=0.6|replicates=2000,uncertainty=none"


@pytest.mark.parametrize(
    ("scenario", "values", "replicate", "field"),
    [
        ("baseline", {"flank_posture": 1.2}, 0, "flank_posture"),
        ("baseline", {"flank_posture": "0.3"}, 0, "flank_posture"),
        ("baseline", {"base_demand": "yes"}, 0, "base_demand"),
        ("baseline", {"replicates": 750}, 0, "replicates"),
        ("baseline", {"replicates": True}, 0, "replicates"),
        ("baseline", {"uncertainty": "maybe"}, 0, "uncertainty"),
        ("baseline", {"uncertainty": "Posterior"}, 0, "uncertainty"),
        ("baseline", {"posture": 0.3}, 0, "posture"),
        ("baseline", {}, 500, "replicate"),
        ("baseline", {}, -1, "replicate"),
        ("nowhere", {}, 0, "scenario"),
    ],
)
def test_bad_values_from_the_browser_are_input_errors(scenario, values, replicate, field) -> None:
    with pytest.raises(InputError) as err:
        make_settings(scenario, values, replicate)
    assert err.value.field == field
