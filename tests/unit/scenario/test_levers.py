"""The seed's levers: read from any scenario, written as validated overrides, refused when invalid."""

from __future__ import annotations

import math

import pytest

from hedgesim import InputError, load_scenario
from hedgesim.scenario import LEVERS, apply_levers, lever, lever_overrides, lever_values


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("baseline")


def test_levers_read_what_the_shipped_scenarios_say(baseline) -> None:
    values = lever_values(baseline)
    assert set(values) == {lv.key for lv in LEVERS}
    assert values["oil_tax"] == 0.45 and values["base_demand"] is False and values["csbm"] == 0.0
    assert math.isclose(values["host_talks"], 0.1)  # from the fact hosts_regional_talks
    flank = lever_values(load_scenario("flank_buildup"))
    assert flank["flank_posture"] > values["flank_posture"] + 0.4
    assert lever_values(load_scenario("no_oil_tax"))["oil_tax"] == 0.0
    assert values["compensation"] is False  # Moscow offered compensation only for deeper integration
    assert lever_values(load_scenario("oil_tax_compliance_compensation"))["compensation"] is True
    assert lever_values(load_scenario("base_demand"))["base_demand"] is True
    assert lever_values(load_scenario("seed_package"))["csbm"] == 0.05


NEW = {
    "flank_posture": 0.6,
    "coercion": 0.9,
    "oil_tax": 0.2,
    "compensation": True,
    "csbm": 0.05,
    "host_talks": 0.3,
    "base_demand": True,
}


@pytest.mark.parametrize("key", list(NEW))
def test_each_lever_writes_the_value_it_reads_back(baseline, key: str) -> None:
    edited = apply_levers(baseline, {key: NEW[key]})
    after = lever_values(edited)
    assert after[key] == NEW[key]
    assert {k: v for k, v in after.items() if k != key} == {k: v for k, v in lever_values(baseline).items() if k != key}


def test_all_levers_at_once_and_events_edited_together(baseline) -> None:
    edited = apply_levers(baseline, NEW)
    assert lever_values(edited) == NEW
    moves = [ev.move for ev in edited.events]
    assert moves.count("tax_manoeuvre") == 1 and moves.count("base_request") == 3
    off = apply_levers(edited, {"oil_tax": 0.0, "base_demand": False})
    assert [ev.move for ev in off.events] == []


def test_oil_tax_added_where_a_scenario_has_none() -> None:
    sc = load_scenario("no_oil_tax")
    edited = apply_levers(sc, {"oil_tax": 0.3})
    (ev,) = edited.events
    assert (ev.actor, ev.move, ev.target, ev.intensity, ev.duration) == ("Russia", "tax_manoeuvre", "Belarus", 0.3, 72)


def test_a_value_equal_to_the_scenarios_own_changes_nothing(baseline) -> None:
    own = lever_values(baseline)
    assert lever_overrides(baseline, own) == {}
    assert lever_overrides(baseline, dict.fromkeys(own)) == {}
    assert apply_levers(baseline, {"oil_tax": 0.45}) is baseline


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"flank_posture": 1.5}, "flank_posture", "between 0 and 1"),
        ({"flank_posture": -0.01}, "flank_posture", "between 0 and 1"),
        ({"csbm": float("nan")}, "csbm", "between"),
        ({"coercion": True}, "coercion", "must be a number"),
        ({"coercion": "0.5"}, "coercion", "must be a number"),
        ({"base_demand": 1}, "base_demand", "true or false"),
        ({"compensation": 0.5}, "compensation", "true or false"),
        ({"posture": 0.3}, "posture", "unknown lever"),
    ],
)
def test_invalid_values_are_refused_not_clipped(baseline, values, field: str, words: str) -> None:
    with pytest.raises(InputError) as err:
        lever_overrides(baseline, values)
    assert err.value.field == field and words in err.value.message


def test_a_lever_the_scenario_cannot_express_reads_none_and_refuses_a_value(baseline) -> None:
    passive = load_scenario(baseline, {"actors.Russia.rule": {"name": "passive"}})
    assert lever_values(passive)["coercion"] is None
    with pytest.raises(InputError, match="does not apply"):
        lever_overrides(passive, {"coercion": 0.5})


def test_a_role_default_rule_gets_its_name_when_a_parameter_is_set(baseline) -> None:
    data = baseline.to_dict()
    del data["actors"]["Belarus"]["rule"]
    bare = load_scenario(data)
    edited = apply_levers(bare, {"csbm": 0.1, "host_talks": 0.2})
    assert edited.actors["Belarus"].rule.name == "logit_hedger"
    assert edited.actors["Belarus"].rule.params == {"csbm": 0.1, "host_talks": 0.2}


def test_labels_name_the_scenarios_actors(baseline) -> None:
    assert lever("flank_posture").title(baseline) == "NATO flank posture"
    assert lever("coercion").title(baseline) == "Russia's coercion"
