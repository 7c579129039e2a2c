"""Sweeps: designs, seeding, executors, the append-only store, resume, failures, bad input, figures.

Sweeps here are tiny (short horizons, tens of replicates) so the file runs in well
under a minute; what they check (bytes, counts, exit codes) does not depend on size.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from hedgesim.cli import main
from hedgesim.ensemble import simulate
from hedgesim.errors import InputError
from hedgesim.plots import parameter_figure, sensitivity_figure
from hedgesim.sweep import (
    MAX_POINTS,
    SweepResults,
    is_sweep_file,
    load_sweep,
    process_pool,
    run_sweep,
)
from hedgesim.sweep.store import _hist_median
from tests.paths import REPO as REPO_PATH

ROOT = REPO_PATH
BASELINE = ROOT / "scenarios" / "baseline.yaml"
TABLES = ("points.parquet", "runs.parquet", "summary.parquet")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def tiny_sweep(
    folder: Path, name: str = "tiny", *, horizon: int = 12, replicates: int = 30, chunk: int = 10, extra: str = ""
) -> Path:
    return write(
        folder / f"{name}.yaml",
        f"""
        name: {name}
        base: {BASELINE}
        set:
          horizon: {horizon}
        parameters:
          actors.NATO.state.posture:
            values: [0.2, 0.9]
          parameters.flank_sensitivity:
            range: [0.0, 3.0]
            levels: 2
        design: grid
        replicates: {replicates}
        seed: 7
        chunk_size: {chunk}
        {extra}
        """,
    )


def tables(folder: Path) -> dict[str, bytes]:
    return {t: (folder / t).read_bytes() for t in TABLES}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under folder with a hash of its bytes: to show nothing was changed."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hedgesim.cli", *args], capture_output=True, text=True, timeout=120)


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


# --------------------------------------------------------------------------- designs


def test_grid_design_and_sweep_file_detection(tmp_path: Path) -> None:
    f = tiny_sweep(tmp_path)
    assert is_sweep_file(f) and not is_sweep_file(BASELINE)
    sw = load_sweep(f)
    # a grid is the full factorial, first parameter slowest
    assert sw.points["actors.NATO.state.posture"].tolist() == [0.2, 0.2, 0.9, 0.9]
    assert sw.points["parameters.flank_sensitivity"].tolist() == [0.0, 3.0, 0.0, 3.0]
    assert sw.n_runs == 4 * 30
    assert sw.scenario(sw.point_values(3)).actors["NATO"].state["posture"] == 0.9


@pytest.mark.parametrize(
    "design, samples, points", [("lhs", 9, 9), ("random", 5, 5), ("sobol", 8, 8 * 4), ("morris", 3, 3 * 3)]
)
def test_sampled_designs_stay_in_their_ranges(tmp_path: Path, design: str, samples: int, points: int) -> None:
    f = write(
        tmp_path / "s.yaml",
        f"""
        base: {BASELINE}
        parameters:
          parameters.incident_rate: {{range: [0.01, 0.3], log: true}}
          outcomes.hold_steps: {{range: [2, 9], integer: true}}
        design: {design}
        samples: {samples}
        replicates: 5
        """,
    )
    sw = load_sweep(f)
    rate, hold = sw.points["parameters.incident_rate"], sw.points["outcomes.hold_steps"]
    assert len(sw.points) == points
    assert rate.between(0.01, 0.3).all() and hold.between(2, 9).all()
    assert hold.dtype == np.int64
    assert sw.unit is not None and sw.unit.shape == (points, 2)
    # the design is a function of the sweep seed alone
    again = load_sweep(f)
    pd.testing.assert_frame_equal(sw.points, again.points)


def test_hist_median_matches_numpy() -> None:
    rng = np.random.default_rng(3)
    for n in (1, 2, 3, 10, 101):
        x = rng.integers(0, 40, n)
        assert _hist_median(np.bincount(x)) == np.median(x)
    assert np.isnan(_hist_median(np.zeros(5, dtype=np.int64)))


# --------------------------------------------------------------------------- bit-identical


def test_identical_across_executors_and_chunk_sizes(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    f = tiny_sweep(tmp_path)
    sw = load_sweep(f)
    ref = run_sweep(sw, out=tmp_path / "serial", workers=1, progress=False)
    assert ref.complete and ref.chunks_run == 4 * 3
    want = tables(ref.folder)
    for chunk in (7, 30):
        rep = run_sweep(sw, out=tmp_path / f"chunk{chunk}", workers=1, chunk_size=chunk, progress=False)
        assert tables(rep.folder) == want, f"chunk size {chunk}"
    with process_pool(2) as pool:
        rep = run_sweep(sw, out=tmp_path / "pool", executor=pool, progress=False)
    assert tables(rep.folder) == want
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as lc,
        distributed.Client(lc) as client,
    ):
        rep = run_sweep(
            sw, out=tmp_path / "dask", executor=client.get_executor(pure=False), max_inflight=4, progress=False
        )
    assert tables(rep.folder) == want

    # the stored runs are exactly what simulate gives for point p with spawn prefix (p,)
    res = SweepResults.load(ref.folder)
    direct = simulate(sw.scenario(sw.point_values(2)), np.arange(30), seed=7, spawn_prefix=(2,)).runs
    mine = res.runs[res.runs["point"] == 2].reset_index(drop=True)
    np.testing.assert_array_equal(mine["outcome_step"], direct["outcome_step"])
    np.testing.assert_array_equal(mine["Belarus.alignment"], direct["Belarus.alignment"])
    assert (mine["outcome"].astype(str) == direct["outcome"].astype(str)).all()

    # summary agrees with a recount from the runs
    runs, summary = res.runs, res.summary
    for p, grp in runs.groupby("point"):
        row = summary.loc[summary["point"] == p].iloc[0]
        assert row["n"] == len(grp) == 30
        assert row["escalation_n"] == (grp["outcome"] == "escalation").sum()
        bw = grp[grp["outcome"] == "bandwagoning"]
        assert row["bandwagoning_patron_n"] == (bw["side"] == "patron").sum()
        decided = grp.loc[grp["outcome"] != "neutrality_kept", "outcome_step"]
        assert (np.isnan(row["median_step"]) and decided.empty) or row["median_step"] == decided.median()
        assert row["escalation_lo"] <= row["escalation"] <= row["escalation_hi"]


# --------------------------------------------------------------------------- kill, interrupt, resume

CHUNKS = 48  # the long sweep: 12 points x 4 chunks of 10 replicates


@pytest.fixture(scope="module")
def long_sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A sweep long enough to be stopped part way, and its tables from one uninterrupted run."""
    folder = tmp_path_factory.mktemp("long")
    f = write(
        folder / "long.yaml",
        f"""
        name: long
        base: {BASELINE}
        set: {{horizon: 24}}
        parameters:
          actors.NATO.state.posture: {{range: [0.1, 0.9], levels: 3}}
          actors.Russia.rule.params.coercion: {{values: [0.0, 0.3, 0.6, 1.0]}}
        replicates: 40
        seed: 11
        chunk_size: 10
        """,
    )
    ref = run_sweep(f, out=folder / "reference", workers=1, progress=False)
    assert ref.complete and ref.chunks_run == CHUNKS
    return f, tables(ref.folder)


def _start_and_stop(args: list[str], out: Path, sig: int, min_parts: int) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hedgesim.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    parts = out / "parts"
    deadline = time.monotonic() + 60
    n = 0
    while time.monotonic() < deadline and proc.poll() is None:
        n = len(list(parts.glob("part-*.parquet"))) if parts.is_dir() else 0
        if n >= min_parts:
            break
        time.sleep(0.01)
    if sig == signal.SIGKILL:
        os.killpg(proc.pid, signal.SIGKILL)  # the coordinator and any workers, with no chance to clean up
    else:
        os.kill(proc.pid, sig)  # only the coordinator, as `kill PID` would
    proc.wait(timeout=60)
    return proc, n


def test_sigkill_then_resume_gives_the_same_bytes(tmp_path: Path, long_sweep: tuple[Path, dict[str, bytes]]) -> None:
    f, want = long_sweep
    out = tmp_path / "killed"
    proc, _ = _start_and_stop(
        ["sweep", str(f), "--out", str(out), "--workers", "1", "--no-figures"], out, signal.SIGKILL, min_parts=6
    )
    assert proc.returncode == -signal.SIGKILL
    stored = snapshot(out / "parts")
    assert 6 <= len([p for p in stored if p.startswith("part-")]) < CHUNKS, "the kill must come part way"
    assert not (out / "runs.parquet").exists()
    with pytest.raises(InputError, match="has not finished"):
        SweepResults.load(out)

    done = cli("sweep", str(f), "--resume", str(out), "--workers", "1", "--no-figures")
    assert done.returncode == 0, done.stderr
    assert "already stored" in done.stdout
    assert tables(out) == want
    after = snapshot(out / "parts")
    assert all(after[name] == digest for name, digest in stored.items() if name.startswith("part-")), (
        "a stored part was rewritten"
    )
    assert len([p for p in after if p.startswith("part-")]) == CHUNKS
    assert not [p for p in after if p.startswith(".")], "temporary files left behind"


# The process-pool variants pay for spawning workers (seconds each on 2 cores), hence slow.
@pytest.mark.parametrize("workers", ["1", pytest.param("2", marks=pytest.mark.slow)])
def test_sigterm_stops_cleanly_and_resumes(
    tmp_path: Path, long_sweep: tuple[Path, dict[str, bytes]], workers: str
) -> None:
    f, want = long_sweep
    out = tmp_path / "stopped"
    proc, _ = _start_and_stop(
        ["sweep", str(f), "--out", str(out), "--workers", workers, "--no-figures"], out, signal.SIGTERM, min_parts=4
    )
    stderr = proc.stderr.read()  # type: ignore[union-attr]
    assert proc.returncode == 130, stderr
    assert f"--resume {out}" in stderr and "Traceback" not in stderr
    n_parts = len(list((out / "parts").glob("part-*.parquet")))
    assert 4 <= n_parts < CHUNKS
    events = [json.loads(line)["event"] for line in (out / "sessions.jsonl").read_text().splitlines()]
    assert events == ["start", "interrupted"]

    rep = run_sweep(f, resume=out, workers=1, progress=False)
    assert rep.complete and rep.chunks_skipped == n_parts and rep.chunks_run == CHUNKS - n_parts
    assert tables(out) == want


# --------------------------------------------------------------------------- a failing chunk


@pytest.mark.parametrize("workers", ["1", pytest.param("2", marks=pytest.mark.slow)])
def test_failing_point_is_recorded_and_the_rest_completes(tmp_path: Path, workers: str) -> None:
    plug = tmp_path / "plug"
    write(
        plug / "boomrule.py",
        """
        from pydantic import Field

        from hedgesim.rules import Rule, RuleParams, register_rule


        class BoomParams(RuleParams):
            boom: float = Field(0.0, ge=0, le=1)


        @register_rule("boom", roles=("neighbour",))
        class Boom(Rule):
            Params = BoomParams

            def decide(self, model, actor, u):
                if self.params.boom > 0.5:
                    raise RuntimeError("boom: a deliberate failure")
        """,
    )
    write(plug / "boomrule-0.1.dist-info" / "METADATA", "Metadata-Version: 2.1\nName: boomrule\nVersion: 0.1\n")
    write(plug / "boomrule-0.1.dist-info" / "entry_points.txt", "[hedgesim.rules]\nboom = boomrule\n")
    base = write(
        tmp_path / "base.yaml",
        f"""
        extends: {BASELINE}
        horizon: 12
        actors:
          Ukraine:
            rule: {{name: boom}}
        """,
    )
    f = write(
        tmp_path / "boom.yaml",
        f"""
        base: {base.name}
        parameters:
          actors.Ukraine.rule.params.boom: {{values: [0.0, 1.0, 0.2]}}
        replicates: 20
        chunk_size: 10
        """,
    )
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plug), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-m", "hedgesim.cli", "sweep", str(f), "--out", str(out), "--workers", workers],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "2 chunk(s) failed" in proc.stderr and f"--resume {out}" in proc.stderr
    records = sorted((out / "failures").glob("*.json"))
    assert [r.name for r in records] == ["0000001-00000000.json", "0000001-00000010.json"]
    rec = json.loads(records[1].read_text())
    assert rec["point"] == 1 and rec["replicates"] == [10, 19]
    assert rec["parameters"] == {"actors.Ukraine.rule.params.boom": 1.0}
    assert "boom: a deliberate failure" in rec["error"] and "Traceback" in rec["traceback"]
    res = SweepResults.load(out)
    assert res.summary["n"].tolist() == [20, 0, 20]
    assert sorted(res.runs["point"].unique()) == [0, 2]
    assert len(res.failures) == 2


# --------------------------------------------------------------------------- bad input

GOOD_PARAMS = """
    parameters:
      actors.NATO.state.posture: {values: [0.2, 0.9]}
"""


@pytest.mark.parametrize(
    "body, needle, message",
    [
        (
            """
     parameters:
       parameters.flank_sensitivty: {values: [1.0, 2.0]}
     """,
            "flank_sensitivty",
            "did you mean 'flank_sensitivity'",
        ),
        (
            """
     parameters:
       actors.NATO.state.postur: {values: [0.1]}
     """,
            "postur",
            "unknown state variable 'postur'",
        ),
        (
            """
     parameters:
       actors.NATO.state.posture: {range: [0.1, 1.5], levels: 3}
     """,
            "actors.NATO.state.posture",
            "value 1.5 does not fit the scenario: state.posture = 1.5 is outside [0, 1]",
        ),
        (
            """
     parameters:
       parameters.flank_sensitivity: {range: [0.0, 9.0]}
     design: lhs
     samples: 10
     """,
            "flank_sensitivity",
            "less than or equal to 5",
        ),
        (
            """
     parameters:
       a.b: {range: [0, 1], levels: 1000}
       c.d: {range: [0, 1], levels: 1000}
       e.f: {range: [0, 1], levels: 2}
     """,
            "parameters:",
            f"limit of {MAX_POINTS:,}",
        ),
        (
            """
     parameters:
       parameters.hub_value: {range: [0, 1]}
     design: lhs
     samples: 1000
     replicates: 10000000
     """,
            "replicates:",
            "more than the limit of 1,000,000,000",
        ),
        (
            """
     parameters:
       parameters.hub_value: {range: [0, 1]}
     design: sobol
     samples: 100
     """,
            "samples:",
            "power of 2",
        ),
        (
            """
     parameters:
       parameters.hub_value: {range: [0, 1]}
     """,
            "parameters.hub_value",
            "needs 'levels'",
        ),
        (
            """
     parameters:
       parameters.hub_value: {values: [0.1, [1]]}
     """,
            "parameters.hub_value",
            "each value must be",
        ),
        (
            """
     parameters:
       seed: {values: [1, 2]}
     """,
            "seed",
            "the sweep's 'seed'",
        ),
        (
            """
     parameters:
       parameters.hub_value: {values: [0.1]}
     record: steps
     """,
            "record:",
            "summaries only",
        ),
    ],
)
def test_bad_sweep_files_exit_2_with_file_line_field(tmp_path: Path, body: str, needle: str, message: str) -> None:
    f = write(tmp_path / "bad.yaml", f"base: {BASELINE}\n" + textwrap.dedent(body).strip() + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["sweep", str(f), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"hedgesim: error: {f}:{line_of(f, needle)}: "), result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    v = CliRunner().invoke(main, ["validate", str(f)])
    assert v.exit_code == 2 and message in v.stderr


def test_a_bad_combination_is_blamed_on_the_sweep(tmp_path: Path) -> None:
    # each value alone is valid; together the event falls outside the horizon
    f = write(
        tmp_path / "combo.yaml",
        f"""
        base: {BASELINE}
        parameters:
          horizon: {{values: [3, 24]}}
          events[0].step: {{values: [0, 10]}}
        replicates: 2
        """,
    )
    base = f.with_name("b.yaml")
    write(
        base,
        f"""
        extends: {BASELINE}
        events:
          - {{label: cut, step: 0, actor: Russia, move: subsidy_cut, target: Belarus, intensity: 0.1}}
        """,
    )
    f.write_text(f.read_text().replace(str(BASELINE), base.name))
    with pytest.raises(InputError) as exc:
        load_sweep(f)
    assert exc.value.file == str(f) and exc.value.line == line_of(f, "parameters:")
    assert "design point 1" in exc.value.message and "outside the horizon" in exc.value.message


def test_resume_of_a_different_sweep_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    f = tiny_sweep(tmp_path)
    out = tmp_path / "run"
    run_sweep(f, out=out, workers=1, progress=False)
    before = snapshot(out)
    changed = tiny_sweep(tmp_path, name="tiny", replicates=31)  # same file, one more replicate
    result = CliRunner().invoke(main, ["sweep", str(changed), "--resume", str(out), "--workers", "1"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"hedgesim: error: {changed}: --resume: ")
    assert "holds a different sweep" in result.stderr
    assert snapshot(out) == before

    not_sweep = tmp_path / "empty"
    not_sweep.mkdir()
    result = CliRunner().invoke(main, ["sweep", str(changed), "--resume", str(not_sweep)])
    assert result.exit_code == 2 and "not a sweep folder" in result.stderr


def test_unreachable_scheduler_exits_2_and_keeps_the_folder(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    import socket

    f = tiny_sweep(tmp_path)
    out = tmp_path / "run"
    run_sweep(f, out=out, workers=1, progress=False)
    before = snapshot(out)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.monotonic()
    result = CliRunner().invoke(
        main,
        ["sweep", str(f), "--resume", str(out), "--scheduler", f"tcp://127.0.0.1:{port}", "--connect-timeout", "1"],
    )
    assert result.exit_code == 2
    assert "--scheduler: cannot reach the Dask scheduler" in result.stderr
    assert time.monotonic() - t0 < 30
    assert snapshot(out) == before


# --------------------------------------------------------------------------- figures and sensitivity


def _sa_sweep(tmp_path: Path, design: str, samples: int) -> Path:
    f = write(
        tmp_path / f"{design}.yaml",
        f"""
        base: {BASELINE}
        set: {{horizon: 12}}
        parameters:
          actors.NATO.state.posture: {{range: [0.1, 0.9]}}
          parameters.hub_value: {{range: [0.0, 1.0]}}
        design: {design}
        samples: {samples}
        replicates: 12
        chunk_size: 12
        """,
    )
    rep = run_sweep(f, out=tmp_path / design, workers=1, progress=False)
    assert rep.complete
    return rep.folder


def test_plot_writes_figures_and_sobol_indices_without_overwriting(tmp_path: Path) -> None:
    out = _sa_sweep(tmp_path, "sobol", 4)
    result = CliRunner().invoke(main, ["plot", str(out)])
    assert result.exit_code == 0, result.output
    figures = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert figures == [
        "phase_actors.NATO.state.posture__parameters.hub_value.png",
        "sensitivity.png",
        "shares_actors.NATO.state.posture.png",
        "shares_parameters.hub_value.png",
    ]
    table = pd.read_csv(out / "sensitivity.csv", keep_default_na=False)
    assert list(table.columns[:6]) == ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert {"flags", "rare", "noisy", "impossible", "s1_wide", "st_wide", "within_noise"} <= set(table.columns)
    assert len(table) == 5 * 2  # five outcome probabilities x two parameters
    # 4 base samples x 12 replicates: far too few, so every index is flagged
    assert (table["flags"] != "").all()
    md = (out / "sensitivity.md").read_text()
    assert md.startswith("| outcome | parameter | S1 | S1_conf | ST | ST_conf | flags |") and "Flags (" in md
    first = snapshot(out)

    again = CliRunner().invoke(main, ["plot", str(out), "--param", "parameters.hub_value"])
    assert again.exit_code == 0
    assert again.output.strip() == str(out / "figures" / "shares_parameters.hub_value-2.png")
    assert {k: v for k, v in snapshot(out).items() if k in first} == first


def test_morris_indices(tmp_path: Path) -> None:
    res = SweepResults.load(_sa_sweep(tmp_path, "morris", 4))
    assert len(res.points) == 4 * 3  # trajectories x (parameters + 1)
    table = res.sensitivity()
    assert list(table.columns) == ["outcome", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"]
    assert len(table) == 5 * 2
    assert (table["mu_star"].dropna() >= 0).all() and (table["sigma"].dropna() >= 0).all()
    assert sensitivity_figure(res, table).axes


def test_plot_refuses_unknown_parameter_and_unfinished_folders(tmp_path: Path) -> None:
    f = tiny_sweep(tmp_path)
    out = tmp_path / "run"
    run_sweep(f, out=out, workers=1, progress=False)
    res = SweepResults.load(out)
    with pytest.raises(InputError, match="unknown parameter"):
        parameter_figure(res, "parameters.nope")
    with pytest.raises(InputError, match="sobol or morris"):
        res.sensitivity()
    result = CliRunner().invoke(main, ["plot", str(tmp_path)])
    assert result.exit_code == 2 and "not a sweep folder" in result.stderr


def test_sweep_uncertainty_and_record_draws(tmp_path: Path) -> None:
    """A sweep's uncertainty reaches every replicate, and its draws are kept only with record_draws."""
    shares = {}
    for mode, keep in (("none", "false"), ("prior", "true"), ("prior", "false")):
        f = tiny_sweep(tmp_path, f"u_{mode}_{keep}", extra=f"uncertainty: {mode}\n        record_draws: {keep}")
        sw = load_sweep(f)
        assert sw.scenario(sw.point_values(0)).uncertainty == mode
        folder = run_sweep(sw, out=tmp_path / f"out_{mode}_{keep}", workers=1, progress=False).folder
        runs = pd.read_parquet(folder / "runs.parquet")
        drawn = [c for c in runs.columns if c.startswith("draw.")]
        assert bool(drawn) == (mode != "none" and keep == "true"), (mode, keep, drawn[:3])
        shares[(mode, keep)] = runs["outcome"].value_counts().sort_index().tolist()
    # keeping the draws changes what is stored, never what happened
    assert shares[("prior", "true")] == shares[("prior", "false")]
