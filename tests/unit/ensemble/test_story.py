"""One replicate's story: every move with its date, where it came from, and what it means."""

from __future__ import annotations

import pytest

import hedgesim
from hedgesim import InputError
from hedgesim.core import MOVES
from hedgesim.ensemble import STORY_COLUMNS, base_scenario, month_label, replicate_story, story_table, tell

H = 36


@pytest.fixture(scope="module")
def res():
    return hedgesim.run(base_scenario("base_demand"), replicates=8, record="steps", overrides={"horizon": H})


def test_the_story_lists_every_move_of_the_replicate_in_order(res) -> None:
    story = replicate_story(res, 3)
    assert list(story.columns) == STORY_COLUMNS
    assert len(story) == int((res.moves["replicate"] == 3).sum())
    assert story["step"].is_monotonic_increasing
    assert story["date"].iloc[0] == "2019-01" and month_label(res.scenario, 20) == "2020-09"
    assert (story["why"] == [MOVES[m].meaning for m in story["move"]]).all()


def test_origins_name_the_event_or_the_rule(res) -> None:
    story = replicate_story(res, 0)
    tax = story[story["move"] == "tax_manoeuvre"]
    assert set(tax["origin"]) == {"event: oil tax manoeuvre"}
    asks = story[story["move"] == "base_request"]
    assert set(asks[asks["step"] == 8]["origin"]) == {"event: base request 2019"}
    assert set(story[story["move"] == "hedge"]["origin"]) == {"rule LogitHedger"}


def test_a_trigger_is_named_when_the_rule_cannot_make_the_move() -> None:
    sc = base_scenario("baseline")
    data = sc.to_dict()
    data["actors"]["NATO"]["rule"] = {"name": "passive"}
    data["triggers"] = [
        {"when": "step >= 2", "actor": "NATO", "move": "deployment", "intensity": 0.1, "label": "drill"}
    ]
    data["horizon"] = 4
    run = hedgesim.run(data, replicates=2, record="steps")
    story = replicate_story(run, 1)
    assert set(story[story["actor"] == "NATO"]["origin"]) == {"trigger: drill"}


def test_new_marks_the_first_month_of_a_spell(res) -> None:
    story = replicate_story(res, 2)
    tax = story[story["move"] == "tax_manoeuvre"]
    assert tax["new"].tolist() == [True] + [False] * (len(tax) - 1)


def test_tell_gives_one_line_per_spell(res) -> None:
    story = replicate_story(res, 0)
    lines = tell(story)
    assert any(
        line.startswith(f"2019-01 to {month_label(res.scenario, H - 1)} ({H} months): Russia -> Belarus tax_manoeuvre")
        for line in lines
    )
    assert len(tell(story, min_intensity=0.5)) < len(lines)
    assert tell(story_table(res.scenario, res.moves, 99)) == []


def test_the_story_needs_recorded_moves_and_a_real_replicate(res) -> None:
    with pytest.raises(InputError, match="record='steps'"):
        replicate_story(hedgesim.run(base_scenario("baseline"), replicates=2, overrides={"horizon": 2}), 0)
    with pytest.raises(InputError, match="no replicate 8"):
        replicate_story(res, 8)
