"""Damaged result folders: an edited or missing manifest, garbage or missing Parquet, a manifest that
disagrees with its tables. Each gives one error naming the file (never JSONDecodeError, KeyError,
ArrowInvalid), and no table is read with fewer rows than its manifest records."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import hedgesim
from hedgesim import InputError, Results, SweepResults
from tests.paths import BASELINE


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    res = hedgesim.run(BASELINE, replicates=20, overrides={"horizon": 40}, record="steps")
    return res.save(tmp_path_factory.mktemp("run") / "run")


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sweep")
    spec = tmp / "sweep.yaml"
    spec.write_text(
        f"base: {BASELINE}\nset: {{horizon: 40}}\nparameters:\n  actors.NATO.state.posture: {{values: [0.2, 0.8]}}\n"
        "replicates: 10\nseed: 3\n"
    )
    return hedgesim.run_sweep(spec, out=tmp / "out", workers=1, progress=False, echo=lambda m: None).folder


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def _edit(**changes: object) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        manifest = _manifest(folder)
        for key, value in changes.items():
            if value is None:
                del manifest[key]
            else:
                manifest[key] = value
        (folder / "manifest.json").write_text(json.dumps(manifest))

    return edit


def _truncate(name: str) -> Callable[[Path], None]:
    def cut(folder: Path) -> None:
        data = (folder / name).read_bytes()
        (folder / name).write_bytes(data[: len(data) // 2])

    return cut


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(data)


def _remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def _fewer_runs(folder: Path) -> None:
    """runs.parquet replaced by a smaller run's: 4 rows where the manifest says 20."""
    other = hedgesim.run(BASELINE, replicates=4, overrides={"horizon": 40}).save(folder.parent / f"{folder.name}-4")
    shutil.copy(other / "runs.parquet", folder / "runs.parquet")


RUN_DAMAGE = {
    "manifest_missing": (_remove("manifest.json"), "", "manifest.json is missing"),
    "manifest_garbage": (_write("manifest.json", b"{not json"), "manifest.json", "is not valid JSON"),
    "manifest_binary": (_write("manifest.json", b"\xff\xfe\x00"), "manifest.json", "not UTF-8"),
    "manifest_a_list": (_write("manifest.json", b"[1, 2]"), "manifest.json", "JSON object"),
    "manifest_without_scenario": (_edit(scenario=None), "manifest.json", "scenario: is missing"),
    "manifest_edited_replicates": (_edit(replicates=30), "runs.parquet", "holds 20 rows, but the manifest says 30"),
    "manifest_replicates_text": (_edit(replicates="20"), "manifest.json", "replicates: has the wrong type"),
    "runs_missing": (_remove("runs.parquet"), "runs.parquet", "is missing"),
    "runs_garbage": (_write("runs.parquet", b"PAR1 garbage"), "runs.parquet", "not a readable Parquet file"),
    "runs_truncated": (_truncate("runs.parquet"), "runs.parquet", "not a readable Parquet file"),
    "runs_empty": (_write("runs.parquet", b""), "runs.parquet", "not a readable Parquet file"),
    "runs_of_another_run": (_fewer_runs, "runs.parquet", "holds 4 rows, but the manifest says 20"),
    "steps_missing": (_remove("steps.parquet"), "steps.parquet", "is missing"),
    "steps_truncated": (_truncate("steps.parquet"), "steps.parquet", "not a readable Parquet file"),
    "moves_garbage": (_write("moves.parquet", b"\0" * 100), "moves.parquet", "not a readable Parquet file"),
}


@pytest.mark.parametrize("case", RUN_DAMAGE, ids=str)
def test_a_damaged_run_folder_is_one_error_naming_the_file(case: str, run_folder: Path, tmp_path: Path) -> None:
    damage, name, says = RUN_DAMAGE[case]
    folder = tmp_path / "run"
    shutil.copytree(run_folder, folder)
    damage(folder)
    with pytest.raises(InputError) as info:
        Results.load(folder)
    err = info.value
    assert err.file == str(folder / name if name else folder), err.format()
    assert says in err.format(), err.format()
    assert len(err.format().splitlines()) == 1


SWEEP_DAMAGE = {
    "manifest_garbage": (_write("manifest.json", b"\x00\x01"), "manifest.json", "not valid JSON"),
    "manifest_of_a_run": (_edit(format="hedgesim-run/1"), "manifest.json", "not a hedgesim sweep manifest"),
    "manifest_points_edited": (_edit(points=3), "points.parquet", "holds 2 rows, but the manifest says 3"),
    "manifest_without_parameters": (_edit(parameters=None), "manifest.json", "parameters: is missing"),
    "summary_garbage": (_write("summary.parquet", b"garbage"), "summary.parquet", "not a readable Parquet file"),
    "points_truncated": (_truncate("points.parquet"), "points.parquet", "not a readable Parquet file"),
    "runs_missing": (_remove("runs.parquet"), "runs.parquet", "is missing"),
    "runs_truncated": (_truncate("runs.parquet"), "runs.parquet", "not a readable Parquet file"),
}


@pytest.mark.parametrize("case", SWEEP_DAMAGE, ids=str)
def test_a_damaged_sweep_folder_is_one_line_from_plot(
    case: str, sweep_folder: Path, tmp_path: Path, cli: Callable
) -> None:
    damage, name, says = SWEEP_DAMAGE[case]
    folder = tmp_path / "sweep"
    shutil.copytree(sweep_folder, folder)
    damage(folder)
    with pytest.raises(InputError) as info:
        SweepResults.load(folder)
    assert info.value.file == str(folder / name) and says in info.value.format(), info.value.format()
    result = cli(["plot", folder])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    # `plot` reads a folder by what its manifest says it is: a sweep's folder with a run's manifest is
    # read as a run, and is then missing what a run needs.
    says = "scenario: is missing" if case == "manifest_of_a_run" else says
    assert len(lines) == 1 and lines[0].startswith(f"hedgesim: error: {folder / name}") and says in lines[0], lines
    assert not (folder / "figures").exists()
