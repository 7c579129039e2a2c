"""Which historical cases are scored: fast checks that run no model.

A case whose outcome the literature does not settle states no ``observed:`` and says
``# not scored: <reason>``; the case check leaves it out instead of failing on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hedgesim import validation as cases
from hedgesim.errors import InputError
from hedgesim.scenario import load_with_extends

UNSCORED = [p for p in cases.case_paths() if p not in cases.scored_case_paths()]


def test_scored_cases_are_exactly_those_with_an_observed_outcome() -> None:
    for path in cases.case_paths():
        raw, _ = load_with_extends(path)
        assert (path in cases.scored_case_paths()) == (raw.get("observed") is not None), path.stem
        assert (cases.not_scored_reason(path) is None) == (raw.get("observed") is not None), path.stem
    assert UNSCORED, "the shipped cases include one whose outcome is not settled (cambodia_2010_2020)"


@pytest.mark.parametrize("path", UNSCORED, ids=[p.stem for p in UNSCORED])
def test_an_unscored_case_is_refused_with_its_reason_before_anything_runs(path: Path) -> None:
    reason = cases.not_scored_reason(path)
    assert reason and "\n" not in reason and not reason.startswith("#")
    with pytest.raises(InputError, match="not scored"):
        cases.check_cases([path], lab=cases.Lab(replicates=1))
