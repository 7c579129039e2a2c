"""Sweep benchmark: throughput, memory, scaling over workers, Dask vs the process pool, and mesa.batch_run.

Not a test: it prints a table to paste into a note. Each case runs in a fresh
Python process so its peak memory (getrusage, plus psutil sampling when installed)
is its own.

    python benchmarks/bench_sweep.py              # full size: 1,000,000 runs (minutes)
    python benchmarks/bench_sweep.py --scale 0.1  # a tenth of every case (a smoke check)

Targets (issue 4): 1M runs in <= 5 min and <= 1.5 GB on 2 cores; 2 workers >= 1.7x
faster than 1; a Dask LocalCluster within 15% of the process pool; the ratio of
mesa.batch_run to the sweep machinery on the same runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
SEED = 20190222


def _spaced(lo: float, hi: float, n: int) -> list[float]:
    return [round(lo + (hi - lo) * i / (n - 1), 4) for i in range(n)] if n > 1 else [round((lo + hi) / 2, 4)]


def sweep_file(folder: Path, name: str, levels: tuple[int, int], replicates: int, chunk: int) -> Path:
    """A grid over NATO's posture x Russia's coercion on the baseline (full horizon, summary record)."""
    path = folder / f"{name}.yaml"
    path.write_text(
        f"name: {name}\n"
        f"base: {BASELINE}\n"
        "parameters:\n"
        f"  actors.NATO.state.posture: {{values: {_spaced(0.1, 0.9, levels[0])}}}\n"
        f"  actors.Russia.rule.params.coercion: {{values: {_spaced(0.0, 1.0, levels[1])}}}\n"
        f"replicates: {replicates}\n"
        f"seed: {SEED}\n"
        f"chunk_size: {chunk}\n"
    )
    return path


# --------------------------------------------------------------------------- memory


class TreeRSS:
    """Peak of the summed RSS of this process and its descendants, sampled (needs psutil)."""

    def __init__(self, every: float = 0.1) -> None:
        try:
            import psutil
        except ImportError:
            self.psutil = None
            return
        self.psutil = psutil
        self.peak = 0
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        me = self.psutil.Process()
        while not self._stop.is_set():
            total = 0
            try:
                for p in [me, *me.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except self.psutil.Error:
                        pass
            except self.psutil.Error:
                pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def stop(self) -> float | None:
        if self.psutil is None:
            return None
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def rusage_mb() -> tuple[float, float]:
    """Peak RSS of this process and of its largest finished child, in MB (Linux reports KB)."""
    scale = 1 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale / 2**20
    return own, child


# --------------------------------------------------------------------------- cases (each in its own process)


def _mesa_model() -> type:
    import mesa

    from hedgesim.core import HedgeModel
    from hedgesim.ensemble import build_rules
    from hedgesim.scenario import load_scenario

    scenario = load_scenario(BASELINE)

    class OneRun(HedgeModel):
        """The model at one replicate, as mesa.batch_run drives it: keyword parameters and a DataCollector.

        Replicate r uses spawn prefix (0,), so it is the very run the sweep makes for point 0.
        """

        def __init__(self, replicate: int = 0, seed: int = SEED) -> None:
            super().__init__(scenario, build_rules(scenario), [replicate], seed=seed, spawn_prefix=(0,))
            self.datacollector = mesa.DataCollector(
                model_reporters={
                    "outcome": lambda m: int(m.outcome[0]),
                    "outcome_step": lambda m: int(m.outcome_step[0]),
                }
            )

        def step(self) -> None:
            super().step()
            self.datacollector.collect(self)

    return OneRun


def _warm() -> None:
    """Import the model in a worker, so timings measure running, not starting (spawned workers import ~1-3 s)."""
    import hedgesim.sweep  # noqa: F401

    time.sleep(0.5)  # hold this worker so the next warm-up task goes to another one


def _warm_pool(pool: Any, workers: int) -> float:
    t0 = time.perf_counter()
    list(pool.map(_warm_task, range(workers)))
    return time.perf_counter() - t0


def _warm_task(_: int) -> None:
    _warm()


def _grid(points: int) -> tuple[int, int]:
    """A near-square grid of exactly ``points`` points."""
    a = max(d for d in range(1, int(points**0.5) + 1) if points % d == 0)
    return points // a, a


def run_case(case: str, scale: float, workers: int, tmp: Path, mesa_runs: int | None = None) -> dict[str, Any]:
    import pandas as pd

    import hedgesim.ensemble  # noqa: F401 - imported before timing, as the warmed-up workers have
    from hedgesim.sweep import load_sweep, process_pool, run_sweep
    from hedgesim.sweep.spec import DEFAULT_CHUNK

    out: dict[str, Any] = {"case": case, "startup_seconds": 0.0}
    rss = TreeRSS()
    t0 = time.perf_counter()
    if case == "big":  # scale shrinks the number of points, not the chunks: per-chunk costs stay realistic
        points = max(2, round(100 * scale))
        sw = load_sweep(sweep_file(tmp, "big", _grid(points), 10_000, DEFAULT_CHUNK))
        with process_pool(workers) as pool:
            out["startup_seconds"] = _warm_pool(pool, workers)
            t0 = time.perf_counter()
            rep = run_sweep(sw, out=tmp / "big-out", executor=pool, progress=False)
        out.update(runs=sw.n_runs, points=points, workers=workers, complete=rep.complete)
    elif case in ("serial", "pool1", "pool2", "dask2"):
        # Long enough (400,000 runs) that worker start-up and the final tables do not dominate.
        points = max(2, round(40 * scale))
        sw = load_sweep(sweep_file(tmp, "scale", _grid(points), 10_000, DEFAULT_CHUNK))
        out["points"] = points
        if case == "serial":
            t0 = time.perf_counter()
            rep = run_sweep(sw, out=tmp / "o", workers=1, progress=False)
        elif case.startswith("pool"):
            with process_pool(int(case[-1])) as pool:
                out["startup_seconds"] = _warm_pool(pool, int(case[-1]))
                t0 = time.perf_counter()
                rep = run_sweep(sw, out=tmp / "o", executor=pool, progress=False)
        else:
            import logging

            from distributed import Client, LocalCluster

            with (
                LocalCluster(
                    n_workers=2,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                ) as lc,
                Client(lc) as client,
            ):
                s0 = time.perf_counter()
                client.run(_warm)
                out["startup_seconds"] = time.perf_counter() - s0
                t0 = time.perf_counter()
                rep = run_sweep(
                    sw, out=tmp / "o", executor=client.get_executor(pure=False), max_inflight=4, progress=False
                )
        out.update(runs=sw.n_runs, complete=rep.complete, bytes=(tmp / "o" / "runs.parquet").stat().st_size)
        import hashlib

        out["runs_sha256"] = hashlib.sha256((tmp / "o" / "runs.parquet").read_bytes()).hexdigest()[:16]
    elif case in ("mesa", "mesa_sweep"):
        n = mesa_runs or max(10, round(2_000 * scale))
        if case == "mesa":
            from mesa.batchrunner import batch_run

            model = _mesa_model()
            t0 = time.perf_counter()
            rows = batch_run(
                model,
                {"replicate": range(n), "seed": SEED},
                number_processes=1,
                iterations=1,
                max_steps=10_000,
                display_progress=False,
            )
            df = pd.DataFrame(rows).sort_values("replicate")
            out["outcome_steps"] = df["outcome_step"].tolist()
        else:
            path = tmp / "one.yaml"
            path.write_text(
                f"base: {BASELINE}\nparameters:\n  parameters.hub_value: {{values: [0.3]}}\n"
                f"replicates: {n}\nseed: {SEED}\nchunk_size: 2000\n"
            )
            t0 = time.perf_counter()
            run_sweep(path, out=tmp / "one-out", workers=1, progress=False)
            runs = pd.read_parquet(tmp / "one-out" / "runs.parquet")
            out["outcome_steps"] = runs.sort_values("replicate")["outcome_step"].tolist()
        out["runs"] = n
    else:
        raise SystemExit(f"unknown case {case}")
    out["seconds"] = time.perf_counter() - t0
    out["tree_peak_mb"] = rss.stop()
    own, child = rusage_mb()
    out["self_peak_mb"], out["child_peak_mb"] = own, child
    return out


def spawn_case(case: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"bench-{case}-") as tmp:
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--case",
                case,
                "--scale",
                str(args.scale),
                "--workers",
                str(args.workers),
                "--tmp",
                tmp,
                *(["--mesa-runs", str(args.mesa_runs)] if args.mesa_runs else []),
            ],
            capture_output=True,
            text=True,
        )
    if proc.returncode != 0:
        raise SystemExit(f"case {case} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of every case's size (default 1 = targets)")
    ap.add_argument("--workers", type=int, default=2, help="workers for the big sweep (default 2)")
    ap.add_argument(
        "--skip", nargs="*", default=[], choices=["big", "scaling", "dask", "mesa"], help="cases to leave out"
    )
    ap.add_argument(
        "--mesa-runs",
        type=int,
        help="runs for the mesa.batch_run comparison (default 2000 x scale; "
        "batch_run advances one replicate at a time, about 0.1 s a run)",
    )
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--tmp", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.scale, args.workers, Path(args.tmp), args.mesa_runs)))
        return

    print(
        f"hedgesim sweep benchmark, scale {args.scale:g}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} at start\n"
    )
    rows: list[tuple[str, ...]] = []

    def mem(r: dict[str, Any], workers: int) -> str:
        bound = r["self_peak_mb"] + workers * r["child_peak_mb"]
        tree = f"{r['tree_peak_mb']:.0f}" if r.get("tree_peak_mb") else "n/a"
        return f"{tree} (bound {bound:.0f})"

    if "big" not in args.skip:
        r = spawn_case("big", args)
        per_m = r["seconds"] / r["runs"] * 1e6
        rows.append(
            (
                f"big: {r['points']} points x 10,000 runs, {r['workers']} workers",
                f"{r['seconds']:.1f}",
                f"{r['runs'] / r['seconds']:,.0f}",
                mem(r, r["workers"]),
                f"1M runs ~ {per_m / 60:.1f} min (target <= 5); workers start in {r['startup_seconds']:.1f} s",
            )
        )
    if "scaling" not in args.skip or "dask" not in args.skip:
        res = {
            c: spawn_case(c, args)
            for c in (["serial", "pool1", "pool2"] if "scaling" not in args.skip else ["pool2"])
            + ([] if "dask" in args.skip else ["dask2"])
        }
        digests = {r["runs_sha256"] for r in res.values()}
        for c, r in res.items():
            w = 1 if c in ("serial", "pool1") else 2
            note = ""
            if c == "pool2" and "serial" in res:
                note = (
                    f"{res['serial']['seconds'] / r['seconds']:.2f}x serial, "
                    f"{res['pool1']['seconds'] / r['seconds']:.2f}x pool(1) (target >= 1.7)"
                )
            if c == "dask2":
                note = f"{r['seconds'] / res['pool2']['seconds'] - 1:+.0%} vs pool(2) (target within 15%)"
            rows.append(
                (
                    f"{c}: {r['points']} points x 10,000 runs",
                    f"{r['seconds']:.1f}",
                    f"{r['runs'] / r['seconds']:,.0f}",
                    mem(r, w),
                    note,
                )
            )
        rows.append(
            (
                "runs.parquet identical across executors",
                "",
                "",
                "",
                "yes"
                if len(digests) == 1
                else "NO: " + ", ".join(f"{c} {r['runs_sha256'][:8]}" for c, r in res.items()),
            )
        )
    if "mesa" not in args.skip:
        m, s = spawn_case("mesa", args), spawn_case("mesa_sweep", args)
        same = m["outcome_steps"] == s["outcome_steps"]
        rows.append(
            (
                f"mesa.batch_run: {m['runs']:,} runs, 1 process",
                f"{m['seconds']:.1f}",
                f"{m['runs'] / m['seconds']:,.0f}",
                mem(m, 1),
                "",
            )
        )
        rows.append(
            (
                f"hedgesim sweep: same {s['runs']:,} runs, 1 worker",
                f"{s['seconds']:.1f}",
                f"{s['runs'] / s['seconds']:,.0f}",
                mem(s, 1),
                f"batch_run takes {m['seconds'] / s['seconds']:.0f}x as long; same runs: {same}",
            )
        )

    head = ("case", "wall s", "runs/s", "peak MB", "note")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    print(
        "\npeak MB: summed RSS of the process tree sampled every 0.1 s (psutil); 'bound' = the coordinator's "
        "peak + workers x the largest worker's peak (getrusage)."
    )


if __name__ == "__main__":
    main()
