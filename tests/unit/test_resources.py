"""The shipped scenarios, cases and sweeps, read through importlib.resources, and names for them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import hedgesim
from hedgesim import InputError, resources
from hedgesim.sweep import load_sweep
from tests.paths import SCENARIOS


def test_the_shipped_files_are_the_checkouts() -> None:
    """In a checkout (an editable install) the package data is the top-level scenarios/ folder itself."""
    assert resources.root().resolve() == SCENARIOS.resolve()
    expected = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
    expected += sorted(f"cases/{p.stem}" for p in (SCENARIOS / "cases").glob("*.yaml"))
    expected += sorted(f"sweeps/{p.stem}" for p in (SCENARIOS / "sweeps").glob("*.yaml"))
    assert resources.names() == expected
    assert "baseline" in resources.names("scenarios") and "cases/armenia_2013" in resources.names("cases")


@pytest.mark.parametrize("name", ["baseline", "baseline.yaml", "scenarios/baseline.yaml", "./baseline"])
def test_spellings_of_a_name(name: str) -> None:
    assert resources.path(name) == resources.root() / "baseline.yaml"


def test_unknown_names_list_the_closest(tmp_path: Path, cli: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="did you mean 'baseline'"):
        resources.path("basline")
    with pytest.raises(InputError, match="does not exist, and no shipped scenario") as info:
        hedgesim.load_scenario("basline")
    assert info.value.file == "basline"
    result = cli(["run", "cases/ukrain", "-n", "5"])
    assert result.exit_code == 2 and "did you mean 'cases/ukraine_2013_2014'" in result.stderr
    assert not (tmp_path / "results").exists()


def test_a_name_works_wherever_a_scenario_path_does(
    tmp_path: Path, cli: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no scenarios/ here
    assert hedgesim.load_scenario("cases/armenia_2013").name == "armenia_2013"
    assert hedgesim.run("baseline", replicates=5, overrides=["horizon=12"]).scenario.name == "baseline"
    (tmp_path / "mine.yaml").write_text("extends: baseline\nname: mine\nhorizon: 60\n")
    assert hedgesim.load_scenario("mine.yaml").actors == hedgesim.load_scenario("baseline").actors
    (tmp_path / "sweep.yaml").write_text("base: baseline\nparameters:\n  horizon: {values: [60, 61]}\nreplicates: 2\n")
    assert load_sweep("sweep.yaml").base_file == resources.path("baseline")
    assert load_sweep("sweeps/csbm_hub").name == "csbm_hub"
    result = cli(["run", "baseline", "-n", "5", "--set", "horizon=12", "--no-figures", "--out", tmp_path / "r"])
    assert result.exit_code == 0, result.output
    assert cli(["validate", "baseline", "cases/finland_1948_1991", "sweeps/sobol_main"]).exit_code == 0


def test_a_users_own_file_wins_over_a_shipped_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline.yaml").write_text(f"extends: {resources.path('baseline')}\nname: my_baseline\n")
    assert hedgesim.load_scenario("baseline.yaml").name == "my_baseline"


def test_examples_copies_everything_out_never_over_a_file(tmp_path: Path, cli: Callable) -> None:
    dest = tmp_path / "ex"
    result = cli(["examples", dest])
    assert result.exit_code == 0, result.output
    copied = sorted(str(p.relative_to(dest).with_suffix("")) for p in dest.rglob("*.yaml"))
    assert copied == sorted(resources.names())
    assert (dest / "baseline.yaml").read_bytes() == resources.path("baseline").read_bytes()
    assert (
        cli(["validate", dest / "sweeps" / "csbm_hub.yaml", dest / "cases" / "ukraine_2013_2014.yaml"]).exit_code == 0
    )
    again = cli(["examples", dest])
    assert again.exit_code == 2 and "never overwrite" in again.stderr
    assert cli(["examples", "--list"]).stdout.split() == resources.names()
