"""The analysis commands end to end: compare, survival, discover, report, export, plot RUN and ema."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.paths import SCENARIOS

FLANK, CSBM = SCENARIOS / "flank_buildup.yaml", SCENARIOS / "csbm_flank_buildup.yaml"


def test_compare_report_and_export(cli, tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    done = cli(["compare", FLANK, CSBM, "-n", "200", "--out", out])
    assert done.exit_code == 0, done.output
    assert "paired on common random numbers" in done.stdout and f"results: {out}" in done.stdout
    table = pd.read_csv(out / "comparison.csv")
    assert set(table["scenario"]) == {"flank_buildup", "csbm_flank_buildup"} and len(table) == 8
    again = cli(["compare", FLANK, CSBM, "-n", "200", "--out", out])
    assert again.exit_code == 2 and "already exists" in again.stderr
    report = cli(["report", out])
    assert report.exit_code == 0 and (out / "report.html").is_file()
    run = out / "runs" / "01-flank_buildup"
    exported = cli(["export", run])
    assert exported.exit_code == 0 and (run / "csv" / "runs.csv").is_file()
    bad = cli(["export", out])
    assert bad.exit_code == 2 and "not a run or sweep folder" in bad.stderr


def test_sweep_survival_discover_and_plot(cli, sweep_copy: Path) -> None:
    survival = cli(["survival", sweep_copy, "--point", "1", "--point", "2"])
    assert survival.exit_code == 0, survival.output
    assert (sweep_copy / "survival.csv").is_file() and (sweep_copy / "figures" / "survival.png").is_file()
    found = cli(["discover", sweep_copy, "--outcome", "escalation", "--threshold", "0.6", "--no-cart"])
    assert found.exit_code == 0, found.output
    assert found.stdout.startswith("Escalation in ") and (sweep_copy / "discovery_escalation.md").is_file()
    assert not (sweep_copy / "figures" / "cart_escalation.png").exists()
    for args, message in (
        (["discover", sweep_copy, "--outcome", "war"], "unknown outcome"),
        (["discover", sweep_copy, "--max-depth", "0"], "--max-depth"),
        (["plot", sweep_copy, "--vars", "tension"], "--vars is for run folders"),
        (["survival", FLANK, "--point", "3"], "for a sweep folder"),
    ):
        bad = cli(args)
        assert bad.exit_code == 2 and message in bad.stderr, (args, bad.output)


def test_plot_redraws_a_run(cli, tmp_path: Path) -> None:
    run = tmp_path / "run"
    done = cli(["run", FLANK, "-n", "30", "--set", "horizon=24", "--record", "steps", "--out", run, "--no-figures"])
    assert done.exit_code == 0, done.output
    plot = cli(["plot", run, "--vars", "Belarus.autonomy", "--vars", "tension"])
    assert plot.exit_code == 0, plot.output
    assert [Path(p).name for p in plot.stdout.split()] == ["outcomes.png", "survival.png", "trajectories.png"]
    bad = cli(["plot", run, "--param", "x"])
    assert bad.exit_code == 2 and "--param and --phase are for sweep folders" in bad.stderr


def test_ema_command(cli, tmp_path: Path) -> None:
    pytest.importorskip("ema_workbench", reason="EMA Workbench (hedgesim[ema]) is not installed")
    out = tmp_path / "ema"
    done = cli(
        [
            "ema",
            SCENARIOS / "baseline.yaml",
            "--uncertainty",
            "actors.NATO.state.posture=0.1:0.9",
            "--set",
            "horizon=36",
            "--scenarios",
            "4",
            "-n",
            "30",
            "--out",
            out,
        ]
    )
    assert done.exit_code == 0, done.output
    experiments = pd.read_csv(out / "experiments.csv")
    assert len(experiments) == 4 and "actors.NATO.state.posture" in experiments.columns
    bad = cli(
        ["ema", SCENARIOS / "baseline.yaml", "--uncertainty", "actors.NATO.state.postur=0:1", "--out", tmp_path / "x"]
    )
    assert bad.exit_code == 2 and "postur" in bad.stderr
