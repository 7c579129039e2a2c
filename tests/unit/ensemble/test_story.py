"""One replicate move by move (story_table): every move with its month, origin and reason, and what is new."""

from __future__ import annotations

import pytest

import hedgesim
from hedgesim.ensemble import STORY_COLUMNS, base_scenario, month, story_table

H = 36


@pytest.fixture(scope="module")
def res():
    return hedgesim.run(base_scenario("base_demand"), replicates=8, record="steps", overrides={"horizon": H})


def table(res, replicate: int):
    return story_table(res.moves, replicate, start=res.scenario.start, step_months=res.scenario.step_months)


def test_every_move_of_the_replicate_in_order_with_its_month(res) -> None:
    story = table(res, 3)
    assert list(story.columns) == STORY_COLUMNS
    assert len(story) == int((res.moves["replicate"] == 3).sum())
    assert story["step"].is_monotonic_increasing
    assert story["date"].iloc[0] == "2019-01" and month("2019-01", 20, 1) == "2020-09"
    mine = res.moves[res.moves["replicate"] == 3]
    assert sorted(story["why"]) == sorted(mine["why"].astype(str))  # the reason the model recorded


def test_origins_are_those_the_model_recorded(res) -> None:
    story = table(res, 0)
    assert set(story.loc[story["move"] == "tax_manoeuvre", "origin"]) == {"event:oil tax manoeuvre"}
    asks = story[(story["move"] == "base_request") & (story["step"] == 8)]
    assert set(asks["origin"]) == {"event:base request 2019"}
    assert set(story.loc[story["actor"] == "Belarus", "origin"]) == {"rule"}


def test_new_marks_the_first_month_of_a_spell(res) -> None:
    tax = table(res, 2).query("move == 'tax_manoeuvre'")
    assert tax["new"].tolist() == [True] + [False] * (len(tax) - 1)


def test_a_replicate_with_no_moves_has_an_empty_story(res) -> None:
    assert table(res, 99).empty


def test_results_story_tells_the_same_moves_as_spells(res) -> None:
    spells = res.story(0)
    moves = table(res, 0)
    outcome = spells["move"].str.startswith("OUTCOME:")
    assert outcome.sum() == 1  # the outcome has one row, at its step (not always the last)
    assert spells.loc[~outcome, "times"].sum() == len(moves)  # every move in exactly one spell
