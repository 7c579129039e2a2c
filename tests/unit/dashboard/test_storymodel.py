"""The story replicate: stepped month by month, it tells what each actor did, and is the ensemble's replicate."""

from __future__ import annotations

import hedgesim
from hedgesim.dashboard import StoryModel, make_settings, story_html
from hedgesim.ensemble import base_scenario


def test_each_step_adds_a_month_with_the_moves_that_began() -> None:
    model = StoryModel(settings=make_settings("base_demand", {}, replicate=0))
    for _ in range(12):
        model.step()
    assert [m.step for m in model.months] == list(range(1, 13))
    assert [m.date for m in model.months[:2]] == ["2019-01", "2019-02"]
    first, second = model.months[0], model.months[1]
    assert ("Russia", "tax_manoeuvre") in {(a, mv) for a, mv, *_ in first.moves}
    assert "Russia tax_manoeuvre" in second.continuing  # a spell going on is not told again
    ask = model.months[8]  # September 2019: the scripted base request
    assert ("Russia", "base_request", "Belarus") in {(a, mv, t) for a, mv, t, *_ in ask.moves}
    assert any(origin == "event:base request 2019" for *_, origin, _ in ask.moves)
    hedger = {mv for a, mv, *_ in ask.moves if a == "Belarus"}
    assert hedger & {"lean_patron", "hedge", "lean_bloc"}, "the hedger's course is told every month"


def test_the_story_replicate_ends_as_in_the_ensemble() -> None:
    res = hedgesim.run(base_scenario("flank_buildup"), replicates=4)
    model = StoryModel(settings=make_settings("flank_buildup", {}, replicate=3))
    while model.running:
        model.step()
    row = res.runs.iloc[3]
    label = row["outcome"] + (f" ({row['side']})" if row["side"] else "")
    assert model.months[-1].outcome == label
    decided = [m for m in model.months if m.decided]
    if label == "neutrality_kept":
        assert decided == [model.months[-1]]
    else:
        assert decided[0].step == row["outcome_step"]


def test_settings_may_be_read_when_the_model_is_built() -> None:
    """SolaraViz's Reset passes the fixed parameters again: a function gives the settings of that moment."""
    chosen = make_settings("minsk_hub", {}, replicate=2)
    model = StoryModel(settings=lambda: chosen)
    assert model.settings is chosen and model.replicate == 2 and model.scenario_name == "minsk_hub"


def test_story_html_escapes_and_counts() -> None:
    model = StoryModel(settings=make_settings("baseline", {}))
    model.step()
    page = story_html(0, "<b>x</b>", model.horizon, model.months)
    assert 'data-steps="1"' in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert "Month 1 of 120 (2019-01)" in page
