"""The command line end to end: what `hedgesim run` writes, and the validate, schema and rules commands."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from hedgesim import load_scenario
from hedgesim.core import GLOBAL_VARS, MOVES, ROLE_VARS
from hedgesim.core import OUTCOME_NAMES as OUTCOMES
from hedgesim.ensemble import plan, results
from tests.paths import BASELINE as BASELINE_PATH

BASELINE = BASELINE_PATH
PNG = b"\x89PNG\r\n\x1a\n"
STAMP = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
H = 24  # steps for CLI runs: enough for every output, quick to make


def actor_columns() -> list[str]:
    sc = load_scenario(BASELINE)
    return [f"{name}.{var}" for name, spec in sc.actors.items() for var in ROLE_VARS[spec.role]]


def draw_columns() -> list[str]:
    """The uncertain quantities each replicate of the baseline draws (its own mode, the posterior)."""
    sc = load_scenario(BASELINE)
    p = plan(sc, sc.uncertainty)
    return [i.column for i in p.items if i.column] + (["draw.posterior_vector"] if p.posterior is not None else [])


def check_run_folder(out: Path, *, replicates: int, steps: bool) -> dict:
    """Everything the issue promises in a run folder; returns the manifest."""
    names = {p.name for p in out.iterdir()}
    expected = {"manifest.json", "runs.parquet", "figures"} | ({"steps.parquet", "moves.parquet"} if steps else set())
    assert names == expected, names

    manifest = json.loads((out / "manifest.json").read_text())
    for key in ("scenario", "seed", "replicates", "versions", "git_revision", "command", "timings"):
        assert key in manifest, key
    assert manifest["replicates"] == replicates
    assert manifest["seed"] == load_scenario(BASELINE).seed
    assert manifest["scenario"]["name"] == "baseline" and manifest["scenario"]["horizon"] == H
    assert manifest["scenario"]["replicates"] == replicates  # the resolved scenario, not the file's 2000
    for pkg in ("python", "mesa", "numpy", "hedgesim", "pandas"):
        assert manifest["versions"].get(pkg), pkg
    assert manifest["git_revision"] is None or re.fullmatch(r"[0-9a-f]{40}(-dirty)?", manifest["git_revision"])
    assert isinstance(manifest["command"], list) and manifest["command"][0] == "hedgesim"
    assert manifest["timings"] and all(v >= 0 for v in manifest["timings"].values())

    runs = pd.read_parquet(out / "runs.parquet")
    cols = ["replicate", "outcome", "side", "route", "outcome_step", "tension", *actor_columns()]
    cols += [*(f"n_{m}" for m in MOVES), *draw_columns()]
    assert sorted(runs.columns) == sorted(set(cols))
    assert runs["replicate"].tolist() == list(range(replicates))
    assert set(runs["outcome"].astype(str)) <= set(OUTCOMES)
    bandwagon = runs["outcome"].astype(str) == "bandwagoning"
    assert set(runs.loc[bandwagon, "side"].astype(str)) <= {"patron", "bloc"}
    assert (runs.loc[~bandwagon, "side"].astype(str) == "").all()
    assert runs["outcome_step"].between(0, H).all()
    assert (runs.filter(like="n_") >= 0).all().all()

    if steps:
        st = pd.read_parquet(out / "steps.parquet")
        terms = [f"Belarus.{t}_{c}" for t in ("U", "econ", "sec", "aut", "reg") for c in ("patron", "hedge", "bloc")]
        expected = ["step", "replicate", *GLOBAL_VARS, *actor_columns(), *terms, "Belarus.expected_punishment"]
        assert sorted(st.columns) == sorted(expected)
        assert st.loc[st["step"] == 0, terms].isna().all().all()  # reasons exist from the first decision on
        assert st.loc[st["step"] > 0, terms].notna().all().all()
        assert len(st) == replicates * (H + 1)
        assert set(st["step"]) == set(range(H + 1))
        mv = pd.read_parquet(out / "moves.parquet")
        assert list(mv.columns) == ["step", "replicate", "source", "target", "move", "intensity", "origin", "why"]
        assert set(mv["origin"].astype(str)) <= {"rule", "event:oil tax manoeuvre"}, set(mv["origin"])
        assert set(mv["move"].astype(str)) <= set(MOVES)
        # every move counted in runs is in the log, and no other
        counts = mv.groupby(["replicate", mv["move"].astype(str)]).size().unstack(fill_value=0)
        for move in counts.columns:
            assert (
                counts[move].reindex(range(replicates), fill_value=0).to_numpy() == runs[f"n_{move}"].to_numpy()
            ).all(), move

    figures = {"outcomes.png", "trajectories.png"} if steps else {"outcomes.png"}
    assert {p.name for p in (out / "figures").iterdir()} == figures
    for fig in figures:
        data = (out / "figures" / fig).read_bytes()
        assert data.startswith(PNG) and len(data) > 2000, fig
    return manifest


def test_run_writes_a_complete_folder(cli: Callable, tmp_path: Path) -> None:
    out = tmp_path / "out" / "baseline-run"
    result = cli(
        [
            "run",
            BASELINE,
            "--replicates",
            "40",
            "--record",
            "steps",
            "--set",
            f"horizon={H}",
            "--out",
            out,
            "--results-root",
            tmp_path / "results",
        ]
    )
    assert result.exit_code == 0, result.output
    check_run_folder(out, replicates=40, steps=True)
    # prints the outcome shares with intervals
    for outcome in ("neutrality_kept", "bandwagoning (patron)", "bandwagoning (bloc)", "escalation"):
        assert outcome in result.stdout
    assert "95% interval" in result.stdout and str(out) in result.stdout
    assert not (tmp_path / "results").exists(), "--out given: the default root stays untouched"
    assert [p.name for p in out.parent.iterdir()] == ["baseline-run"], "no temporary folder left behind"


def test_run_summary_only_and_no_figures(cli: Callable, tmp_path: Path) -> None:
    out = tmp_path / "summary"
    result = cli(
        ["run", BASELINE, "-n", "12", "--set", f"horizon={H}", "--no-figures", "--out", out, "--results-root", tmp_path]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "runs.parquet"]
    assert json.loads((out / "manifest.json").read_text())["record"] == "summary"


def test_seed_and_set_reach_the_results(cli: Callable, tmp_path: Path) -> None:
    out = tmp_path / "seeded"
    result = cli(
        [
            "run",
            BASELINE,
            "-n",
            "8",
            "--seed",
            "7",
            "--set",
            f"horizon={H}",
            "--set",
            "actors.NATO.state.posture=0.55",
            "--no-figures",
            "--out",
            out,
            "--results-root",
            tmp_path / "results",
        ]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 7 and manifest["scenario"]["seed"] == 7
    assert manifest["scenario"]["actors"]["NATO"]["state"]["posture"] == 0.55


class _FrozenClock(datetime):
    """Every call to now() in the same second, so two runs collide on the timestamp."""

    @classmethod
    def now(cls, tz=None):
        return datetime(2024, 5, 17, 12, 0, 0, tzinfo=tz or UTC)


def test_default_folder_and_never_overwrite(cli: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Default: <root>/<scenario>/<UTC timestamp>; a second run in the same second gets a new folder."""
    monkeypatch.setattr(results, "datetime", _FrozenClock)
    root = tmp_path / "results"
    args = ["run", BASELINE, "-n", "6", "--set", f"horizon={H}", "--no-figures", "--results-root", root]
    first = cli(args)
    assert first.exit_code == 0, first.output
    folders = sorted((root / "baseline").iterdir())
    assert [f.name for f in folders] == ["20240517T120000Z"]
    before = {p.name: p.read_bytes() for p in folders[0].iterdir()}

    second = cli([*args[:3], "9", *args[4:]])  # 9 replicates this time
    assert second.exit_code == 0, second.output
    folders = sorted((root / "baseline").iterdir())
    assert len(folders) == 2 and all(STAMP.match(f.name) for f in folders)
    assert {p.name: p.read_bytes() for p in folders[0].iterdir()} == before, "the first run was touched"
    assert json.loads((folders[1] / "manifest.json").read_text())["replicates"] == 9
    assert str(folders[1]) in second.stdout


def test_default_folder_real_clock(cli: Callable, tmp_path: Path) -> None:
    root = tmp_path / "results"
    result = cli(["run", BASELINE, "-n", "4", "--set", f"horizon={H}", "--no-figures", "--results-root", root])
    assert result.exit_code == 0, result.output
    (folder,) = (root / "baseline").iterdir()
    assert STAMP.match(folder.name), folder.name
    stamp = datetime.strptime(folder.name[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 600, "timestamp is not UTC now"


def test_validate_ok_and_failing(cli: Callable, write_scenario: Callable[[str, str], Path]) -> None:
    good = write_scenario("good.yaml", "extends: baseline.yaml\nname: good\nhorizon: 36\n")
    bad = write_scenario("bad.yaml", "extends: baseline.yaml\nname: bad\nhorizn: 36\n")
    ok = cli(["validate", BASELINE, good])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.count(": ok") == 2 and ok.stderr == ""

    mixed = cli(["validate", good, bad])
    assert mixed.exit_code == 2
    assert f"{good}: ok" in mixed.stdout
    lines = mixed.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hedgesim: error: ")
    assert "bad.yaml:3:" in lines[0] and "horizn" in lines[0]


def test_validate_needs_a_file(cli: Callable) -> None:
    result = cli(["validate"])
    assert result.exit_code == 2  # click's usage error
    assert "Traceback" not in result.output


def test_schema_is_json_with_the_main_sections(cli: Callable) -> None:
    result = cli(["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    for key in ("actors", "events", "triggers", "mechanisms", "parameters", "outcomes", "extends", "horizon"):
        assert key in schema["properties"], key
    assert "actors" in schema.get("required", [])


def test_rules_lists_the_builtin_rules(cli: Callable) -> None:
    result = cli(["rules"])
    assert result.exit_code == 0, result.output
    for name in ("logit_hedger", "reciprocity", "threshold", "fixed", "passive"):
        assert re.search(rf"^{name}\s+\(roles: ", result.stdout, re.M), name
    assert "precision" in result.stdout and "coercion" in result.stdout  # the parameters are listed too


def test_help_and_version(cli: Callable) -> None:
    assert cli(["--help"]).exit_code == 0
    version = cli(["--version"])
    assert version.exit_code == 0 and "version" in version.stdout


def test_real_process_end_to_end(tmp_path: Path) -> None:
    """The installed console script, as a user types it."""
    exe = Path(sys.executable).parent / "hedgesim"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "hedgesim.cli"]
    out = tmp_path / "run"
    args = ["run", str(BASELINE), "--replicates", "40", "--record", "steps", "--set", f"horizon={H}", "--out", str(out)]
    proc = subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    manifest = check_run_folder(out, replicates=40, steps=True)
    assert manifest["command"] == ["hedgesim", *args]
    assert "neutrality_kept" in proc.stdout and "95% interval" in proc.stdout
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("n", [3, 10])
def test_small_ensembles_run_with_figures(cli: Callable, tmp_path: Path, n: int) -> None:
    """A handful of replicates, where one outcome often takes all (shares of exactly 0 and 1)."""
    out = tmp_path / "small"
    result = cli(
        [
            "run",
            BASELINE,
            "-n",
            str(n),
            "--set",
            "horizon=6",
            "--record",
            "steps",
            "--out",
            out,
            "--results-root",
            tmp_path / "results",
        ]
    )
    assert result.exit_code == 0, (result.output, result.exception)
    assert (out / "figures" / "outcomes.png").read_bytes().startswith(PNG)


@pytest.mark.parametrize("mode", ["none", "prior", "posterior"])
def test_uncertainty_option_reaches_the_runs_and_the_manifest(cli: Callable, tmp_path: Path, mode: str) -> None:
    out = tmp_path / mode
    args = ["run", BASELINE, "-n", "20", "--set", f"horizon={H}", "--no-figures", "--out", out, "--uncertainty", mode]
    result = cli(args)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["uncertainty"]["mode"] == mode == manifest["scenario"]["uncertainty"]
    drawn = manifest["uncertainty"]["drawn"]
    runs = pd.read_parquet(out / "runs.parquet")
    assert drawn == sorted(c.removeprefix("draw.") for c in runs.columns if c.startswith("draw."))
    assert (not drawn) == (mode == "none")
    assert ("posterior_vector" in drawn) == (mode == "posterior")
    assert ("Monte Carlo error only" in manifest["uncertainty"]["meaning"]) == (mode == "none")


def test_an_unknown_uncertainty_mode_is_refused(cli: Callable, tmp_path: Path) -> None:
    result = cli(["run", BASELINE, "-n", "5", "--uncertainty", "posteriors", "--out", tmp_path / "x"])
    assert result.exit_code == 2 and "uncertainty" in result.stderr
    assert not (tmp_path / "x").exists()
