"""Results: the folder round trip, atomic writes that never overwrite, and outcome shares."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

import hedgesim
from hedgesim import InputError, Results
from hedgesim.core import OUTCOME_NAMES as OUTCOMES
from tests.paths import BASELINE as BASELINE_PATH

matplotlib.use("Agg")

BASELINE = BASELINE_PATH
H = 24


@pytest.fixture(scope="module")
def with_steps() -> Results:
    return hedgesim.run(BASELINE, replicates=30, overrides={"horizon": H}, record="steps")


@pytest.fixture(scope="module")
def summary_only() -> Results:
    return hedgesim.run(BASELINE, replicates=30, overrides={"horizon": H})


def test_results_api(with_steps: Results) -> None:
    assert len(with_steps.runs) == 30
    assert with_steps.steps is not None and with_steps.moves is not None
    assert with_steps.scenario.replicates == 30 and with_steps.scenario.horizon == H
    assert "30" in repr(with_steps)
    text = with_steps.summary()
    for outcome in OUTCOMES:
        assert outcome in text


def test_save_load_round_trip(with_steps: Results, tmp_path: Path) -> None:
    out = with_steps.save(tmp_path / "run")
    loaded = Results.load(out)
    pd.testing.assert_frame_equal(with_steps.runs, loaded.runs, check_exact=True)
    pd.testing.assert_frame_equal(with_steps.steps, loaded.steps, check_exact=True)
    pd.testing.assert_frame_equal(with_steps.moves, loaded.moves, check_exact=True)
    assert loaded.scenario == with_steps.scenario
    assert loaded.manifest["replicates"] == 30
    pd.testing.assert_frame_equal(with_steps.outcome_shares(True), loaded.outcome_shares(True))


def test_save_load_round_trip_summary(summary_only: Results, tmp_path: Path) -> None:
    out = summary_only.save(tmp_path / "run")
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "runs.parquet"]
    loaded = Results.load(out)
    pd.testing.assert_frame_equal(summary_only.runs, loaded.runs, check_exact=True)
    assert loaded.steps is None and loaded.moves is None


def test_loaded_results_can_be_saved_again(summary_only: Results, tmp_path: Path) -> None:
    loaded = Results.load(summary_only.save(tmp_path / "a"))
    again = Results.load(loaded.save(tmp_path / "b"))
    pd.testing.assert_frame_equal(summary_only.runs, again.runs, check_exact=True)


def test_load_refuses_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        Results.load(tmp_path)


def test_save_refuses_an_existing_folder(summary_only: Results, tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "mine.txt").write_text("keep me\n")
    with pytest.raises(InputError) as info:
        summary_only.save(out)
    assert "exists" in info.value.message
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"], "no temporary folder may be left"


def test_save_refuses_an_existing_run(summary_only: Results, tmp_path: Path) -> None:
    out = summary_only.save(tmp_path / "run")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(InputError):
        summary_only.save(out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_save_under_a_file_is_an_input_error(summary_only: Results, tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(InputError) as info:
        summary_only.save(blocker / "run")
    assert info.value.field
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def broken_figure(res: Results, folder: Path) -> None:
    """An extra writer that fails half-way, as a figure writer might."""
    (folder / "figures").mkdir()
    raise RuntimeError("figure failed")


def test_failed_write_leaves_nothing(with_steps: Results, tmp_path: Path) -> None:
    """A failure half-way (after the parquet files, at the figure) leaves neither the folder nor a partial one."""
    parent = tmp_path / "results"
    parent.mkdir()
    with pytest.raises(RuntimeError, match="figure failed"):
        with_steps.save(parent / "run", extras=[broken_figure])
    assert list(parent.iterdir()) == []


def test_failed_manifest_leaves_nothing(with_steps: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last step fails: runs, steps and moves were already written to the temporary folder."""

    def broken(self: Results, command: list[str] | None = None) -> dict:
        raise OSError("disk full")

    monkeypatch.setattr(Results, "build_manifest", broken)
    with pytest.raises(OSError, match="disk full"):
        with_steps.save(tmp_path / "run")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_at_the_first_figure_leaves_nothing(summary_only: Results, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        summary_only.save(tmp_path / "nested" / "run", extras=[broken_figure])
    assert not (tmp_path / "nested" / "run").exists()
    assert list((tmp_path / "nested").glob("*")) == []


def test_interrupted_write_leaves_nothing(
    summary_only: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during the write is a BaseException: the partial folder must still go."""

    def interrupted(self: Results, command: list[str] | None = None) -> dict:
        raise KeyboardInterrupt

    monkeypatch.setattr(Results, "build_manifest", interrupted)
    with pytest.raises(KeyboardInterrupt):
        summary_only.save(tmp_path / "run")
    assert list(tmp_path.iterdir()) == []


def test_manifest_is_json_and_complete(summary_only: Results, tmp_path: Path) -> None:
    out = summary_only.save(tmp_path / "run", command=["hedgesim", "run", "x.yaml"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["command"] == ["hedgesim", "run", "x.yaml"]
    assert manifest["seed"] == summary_only.scenario.seed
    assert manifest["scenario"] == summary_only.scenario.to_dict()
    assert "simulate_seconds" in manifest["timings"]


# --------------------------------------------------------------------------- shares


def test_results_outcome_shares_match_the_runs(summary_only: Results) -> None:
    shares = summary_only.outcome_shares()
    counts = summary_only.runs["outcome"].astype(str).value_counts()
    for outcome in OUTCOMES:
        assert shares.loc[outcome, "n"] == counts.get(outcome, 0)
    assert shares["share"].sum() == pytest.approx(1.0)
