"""Benchmark: one ensemble of 10,000 replicates against one model per replicate.

Times the baseline scenario (120 monthly steps) two ways in this process's
children, each in a fresh interpreter so its peak memory is its own:

* ``ensemble``: one ``HedgeModel`` advancing all replicates at once (summary recording);
* ``individual``: a ``HedgeModel`` per replicate (``replicate_ids=[i]``), the way
  ``mesa.batch_run`` runs one model per parameter set and iteration.

It prints both wall times, their ratio, the ensemble's peak memory, and whether
the two ways give identical results for the replicates both ran. Targets on a
2-core machine: ratio >= 500 (issue 8), ensemble under 3 s on one core, peak memory under
500 MB. See benchmarks/README.md.

    python benchmarks/bench_ensemble.py                    # full: 10,000 individual models (minutes)
    python benchmarks/bench_ensemble.py --individual 300   # time 300, extrapolate to 10,000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCENARIO = ROOT / "scenarios" / "baseline.yaml"
TARGET_RATIO = 500.0
TARGET_SECONDS = 3.0
TARGET_MB = 500.0


def pin_to_one_core() -> str:
    """Restrict this process (and children it starts) to CPU core 0 where the OS allows it."""
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {0})
            return "pinned to CPU core 0 (os.sched_setaffinity)"
        except OSError as exc:
            return f"not pinned: sched_setaffinity failed ({exc.strerror})"
    return "not pinned: os.sched_setaffinity is not available on this platform"


def max_rss_mb() -> float:
    """Peak resident set size of this process in MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024**2 if sys.platform == "darwin" else rss / 1024


def _final(model: Any) -> dict[str, np.ndarray]:
    """What is compared between the two ways: outcome, side, step and every final state variable."""
    out = {
        "outcome": model.outcome.copy(),
        "side": model.side.copy(),
        "outcome_step": model.outcome_step.copy(),
        "tension": model.g["tension"].copy(),
    }
    for actor in model.actors.values():
        for var, arr in actor.s.items():
            out[f"{actor.name}.{var}"] = arr.copy()
    return out


def _model(sc: Any, ids: Any, mode: str) -> Any:
    """The model as hedgesim.simulate builds it: under ``mode``, each replicate draws its parameters first.

    The imports are made by the caller before its timer starts (``_import``), as the
    pre-Model-2 script did: importing the results and analysis stack (about 0.5 s)
    is not part of running 10,000 replicates.
    """
    from hedgesim.core import HedgeModel
    from hedgesim.ensemble.runner import drawn_rules

    draws, rules, _ = drawn_rules(sc, ids, sc.seed, (), mode)
    return HedgeModel(sc, rules, ids, draws=draws)


def _import() -> None:
    """Import what ``_model`` uses, so that no timer counts the imports."""
    import hedgesim.core
    import hedgesim.ensemble.runner  # noqa: F401


def part_ensemble(scenario_path: Path, n: int, keep: int, out: Path, mode: str = "none") -> dict[str, Any]:
    """One model, n replicates: wall time untraced, then peak memory."""
    from hedgesim import load_scenario

    _import()

    sc = load_scenario(scenario_path)
    ids = np.arange(n)
    rss_before = max_rss_mb()  # interpreter and imports
    t0 = time.perf_counter()
    model = _model(sc, ids, mode)
    model.run()
    seconds = time.perf_counter() - t0
    final = _final(model)
    model.release()
    rss = max_rss_mb()  # the whole process: interpreter, imports and the run (read before tracemalloc runs)
    del model
    # A second, identical run under tracemalloc for the peak of Python and numpy allocations
    # (tracemalloc slows allocation, so it is not the timed run).
    tracemalloc.start()
    model = _model(sc, ids, mode)
    model.run()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    same = all(np.array_equal(final[k], v) for k, v in _final(model).items())
    model.release()
    np.savez(out, **{k: v[:keep] for k, v in final.items()})
    return {
        "seconds": seconds,
        "replicates": n,
        "steps": sc.horizon,
        "scenario": sc.name,
        "tracemalloc_peak_mb": traced_peak / 1024**2,
        "max_rss_mb": rss,
        "rss_before_mb": rss_before,
        "repeat_identical": same,
        "outcomes": np.bincount(final["outcome"] + 1, minlength=4).tolist(),
    }


def part_individual(scenario_path: Path, n: int, out: Path, mode: str = "none") -> dict[str, Any]:
    """One model per replicate, replicates 0..n-1, each on its own stream as in the ensemble."""
    from hedgesim import load_scenario

    _import()

    sc = load_scenario(scenario_path)
    rows: list[dict[str, np.ndarray]] = []
    t0 = time.perf_counter()
    for i in range(n):
        model = _model(sc, [i], mode)
        model.run()
        rows.append(_final(model))
        model.release()  # Mesa 3.3 keeps every model alive otherwise
    seconds = time.perf_counter() - t0
    np.savez(out, **{k: np.concatenate([r[k] for r in rows]) for k in rows[0]})
    return {"seconds": seconds, "replicates": n, "max_rss_mb": max_rss_mb()}


def _child(part: str, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--part",
        part,
        "--scenario",
        str(args.scenario),
        "--replicates",
        str(args.replicates),
        "--individual",
        str(args.individual),
        "--npz",
        str(out),
        "--uncertainty",
        args.uncertainty,
    ]
    if args.no_pin:
        cmd.append("--no-pin")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"the {part} part failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--replicates", type=int, default=10_000, help="ensemble size (default 10,000)")
    parser.add_argument(
        "--individual",
        type=int,
        default=10_000,
        metavar="N",
        help="time the first N replicates one model each and extrapolate (default 10,000: no extrapolation)",
    )
    parser.add_argument(
        "--uncertainty",
        choices=["none", "prior", "posterior"],
        default="none",
        help="what each replicate draws before it runs (default none: the point values, as before Model 2)",
    )
    parser.add_argument("--part", choices=["ensemble", "individual"], help=argparse.SUPPRESS)
    parser.add_argument("--npz", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one CPU core")
    args = parser.parse_args(argv)
    if not 1 <= args.individual <= args.replicates:
        parser.error("--individual must be between 1 and --replicates")
    pinning = "not pinned (--no-pin)" if args.no_pin else pin_to_one_core()

    if args.part == "ensemble":
        print(json.dumps(part_ensemble(args.scenario, args.replicates, args.individual, args.npz, args.uncertainty)))
        return 0
    if args.part == "individual":
        print(json.dumps(part_individual(args.scenario, args.individual, args.npz, args.uncertainty)))
        return 0

    n, k = args.replicates, args.individual
    print(
        f"hedgesim ensemble benchmark: {args.scenario.name}, {n:,} replicates, summary recording, "
        f"uncertainty {args.uncertainty}"
    )
    print(f"{pinning}; each part runs in a fresh Python process")
    with tempfile.TemporaryDirectory() as tmp:
        ens = _child("ensemble", args, Path(tmp) / "ensemble.npz")
        print(
            f"\nensemble   (one model, {n:,} replicates, {ens['steps']} steps): {ens['seconds']:8.2f} s "
            f"({n / ens['seconds']:,.0f} runs/s)"
        )
        print(
            f"  peak memory: {ens['tracemalloc_peak_mb']:.1f} MB traced (tracemalloc: Python and numpy "
            f"allocations), {ens['max_rss_mb']:.1f} MB max RSS (whole process, ru_maxrss; "
            f"{ens['rss_before_mb']:.1f} MB of it before the run: interpreter and imports)"
        )
        ind = _child("individual", args, Path(tmp) / "individual.npz")
        per_run = ind["seconds"] / k
        full = per_run * n
        extrapolated = k < n
        note = f"  EXTRAPOLATED linearly from {k:,} replicates timed in {ind['seconds']:.2f} s" if extrapolated else ""
        print(
            f"individual (one model per replicate, {n:,} replicates): {full:8.2f} s ({1 / per_run:,.0f} runs/s){note}"
        )
        ratio = full / ens["seconds"]
        print(f"ratio individual / ensemble: {ratio:.1f}x" + (" (extrapolated)" if extrapolated else ""))

        a, b = np.load(Path(tmp) / "ensemble.npz"), np.load(Path(tmp) / "individual.npz")
        differ = [key for key in a.files if not np.array_equal(a[key], b[key])]
        if differ:
            print(f"results DIFFER for the {k:,} compared replicates in: {', '.join(differ[:10])}")
        else:
            print(
                f"results identical for the {k:,} compared replicates (outcome, side, outcome step and "
                f"{len(a.files) - 3} final state variables, bit for bit)"
            )
        codes = dict(zip(["undecided", "neutrality_kept", "bandwagoning", "escalation"], ens["outcomes"], strict=True))
        print(f"ensemble outcomes: {codes}; a repeat run was {'identical' if ens['repeat_identical'] else 'DIFFERENT'}")

    peak = max(ens["tracemalloc_peak_mb"], ens["max_rss_mb"])
    checks = [
        (f"ratio >= {TARGET_RATIO:.0f}", ratio >= TARGET_RATIO),
        (f"ensemble under {TARGET_SECONDS:.0f} s on one core", ens["seconds"] < TARGET_SECONDS),
        (f"peak memory under {TARGET_MB:.0f} MB", peak < TARGET_MB),
    ]
    print("\ntargets: " + "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in checks))
    return 1 if differ or not ens["repeat_identical"] else 0


if __name__ == "__main__":
    sys.exit(main())
