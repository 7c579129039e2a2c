"""Outcomes and sides: each defined once, with the code, key, label and colour every layer reads."""

from __future__ import annotations

import pytest

from hedgesim.core import ALL_OUTCOMES, OUTCOME_CODES, OUTCOMES, OUTCOMES_BY_SIDE, SIDE_CODES, SIDES, outcome
from hedgesim.plots import colour


def test_classes_and_sides_are_consistent() -> None:
    assert [o.key for o in OUTCOMES] == ["neutrality_kept", "bandwagoning", "escalation"]
    assert {o.outcome for o in OUTCOMES_BY_SIDE} == {o.key for o in OUTCOMES}
    assert len({o.code for o in OUTCOMES}) == 3 and OUTCOME_CODES["undecided"] not in {o.code for o in OUTCOMES}
    assert [s.key for s in SIDES] == ["", "patron", "bloc"] and len(set(SIDE_CODES.values())) == 3
    for o in OUTCOMES_BY_SIDE:
        assert o.side in SIDE_CODES


@pytest.mark.parametrize("entry", ALL_OUTCOMES, ids=lambda o: o.key)
def test_lookup_by_key_or_label_and_one_colour(entry: object) -> None:
    assert outcome(entry.key) is entry and outcome(entry.label) is entry
    assert colour(entry.key) == colour(entry.label) == entry.colour


def test_unknown_outcome() -> None:
    with pytest.raises(KeyError):
        outcome("victory")
