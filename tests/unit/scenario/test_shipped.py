"""Shipped scenarios are found by name through the package, from any working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from hedgesim import InputError
from hedgesim.scenario import shipped_scenario, shipped_scenarios
from tests.paths import SCENARIOS


def test_every_top_level_scenario_is_shipped_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # nothing here: the package finds them, not the working directory
    shipped = shipped_scenarios()
    assert list(shipped) == sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
    assert shipped_scenario("baseline").resolve() == (SCENARIOS / "baseline.yaml").resolve()


def test_a_path_is_taken_as_a_file(tmp_path: Path) -> None:
    assert shipped_scenario(SCENARIOS / "baseline.yaml") == SCENARIOS / "baseline.yaml"
    with pytest.raises(InputError, match="no such scenario file"):
        shipped_scenario(tmp_path / "missing.yaml")


def test_an_unknown_name_lists_the_shipped_ones() -> None:
    with pytest.raises(InputError) as err:
        shipped_scenario("basline")
    assert "baseline" in err.value.message and err.value.field == "scenario"
