"""Benchmark: hedgesim calibrate, its leave-one-out validation, and how both scale.

Runs calibrations of the shipped scored cases into temporary folders, each in a fresh
process on the local process pool (``--workers``, default 2), and reports wall time,
the peak resident memory of the coordinator and of the largest worker, and the time of
the leave-one-out validation (which needs no simulation: a reweighting per case).

Scaling: the work is (vectors x replicates) replicate-sets, each running every case for
its horizon, so the time should grow linearly in vectors and in the cases' total steps;
``--scaling`` measures a small grid and fits that.

    python benchmarks/bench_calibrate.py                  # the shipped defaults (4,096 x 32, all cases)
    python benchmarks/bench_calibrate.py --vectors 512    # quicker
    python benchmarks/bench_calibrate.py --scaling        # vectors x case subsets
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from hedgesim.inference import calibrate
from hedgesim.validation import case_paths
args = json.loads(sys.argv[1])
paths = case_paths()
if args["cases"] is not None:
    paths = paths[: args["cases"]]
t0 = time.perf_counter()
report = calibrate(paths, vectors=args["vectors"], refine_vectors=args["refine"], replicates=args["replicates"],
                   block=args["block"], out=args["out"], workers=args["workers"], progress=False)
wall = time.perf_counter() - t0
# Leave-one-out alone, timed on its own: the reweighting and predictions from the stored counts
# of both rounds (the proposal's density, a fixed offset per vector, does not change its cost).
import numpy as np
import pandas as pd
from hedgesim.inference.store import CalibrationStore
from hedgesim.inference.weights import leave_one_out, log_likelihoods
store, manifest = CalibrationStore.open(report.folder)
cases = store.cases(manifest)
stages = ["calibrate"] + (["refine"] if args["refine"] else [])
t1 = time.perf_counter()
counts = {
    c.name: pd.concat([store.counts(st, c.name) for st in stages]).sort_values("theta_id", ignore_index=True)
    for c in cases
}
n = args["vectors"] + args["refine"]
loglik = log_likelihoods(counts, {c.name: c.observed for c in cases}, args["replicates"], n)
loo = leave_one_out(loglik, counts, args["replicates"], np.zeros(n))
loo_s = time.perf_counter() - t1
store.lock.release()
diag = json.loads((report.folder / "posterior" / "manifest.json").read_text())["diagnostics"]
print(json.dumps({
    "cases": len(cases), "steps": sum(c.scenario.horizon for c in cases), "vectors": args["vectors"],
    "refine": args["refine"],
    "replicates": args["replicates"], "workers": args["workers"], "seconds": wall, "loo_seconds": loo_s,
    "rss_coordinator_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "ess": diag["ess"], "k_hat": diag["k_hat"],
}))
"""


def measure(vectors: int, replicates: int, block: int, workers: int, cases: int | None, refine: int) -> dict:
    """One calibration in a fresh process; its figures as a dict."""
    with tempfile.TemporaryDirectory() as tmp:
        args = {
            "vectors": vectors,
            "refine": refine,
            "replicates": replicates,
            "block": block,
            "workers": workers,
            "cases": cases,
            "out": str(Path(tmp) / "cal"),
        }
        out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(args)], capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(out.stderr)
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vectors", type=int, default=4096)
    ap.add_argument("--refine", type=int, help="refinement vectors (default: as many as --vectors)")
    ap.add_argument("--replicates", type=int, default=32)
    ap.add_argument("--block", type=int, default=128)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scaling", action="store_true", help="measure 256 and 512 vectors on 6 cases and on all")
    a = ap.parse_args()
    t0 = time.perf_counter()
    if a.scaling:
        rows = [measure(v, a.replicates, a.block, a.workers, c, v) for c in (6, None) for v in (256, 512)]
    else:
        refine = a.vectors if a.refine is None else a.refine
        rows = [measure(a.vectors, a.replicates, a.block, a.workers, None, refine)]
    head = ["cases", "total steps", "vectors", "refine", "replicates", "workers", "wall s", "loo s", "coordinator MB"]
    head += ["worker MB", "ESS", "k"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        cells = [
            r["cases"],
            r["steps"],
            r["vectors"],
            r["refine"],
            r["replicates"],
            r["workers"],
            f"{r['seconds']:.1f}",
        ]
        cells += [f"{r['loo_seconds']:.2f}", f"{r['rss_coordinator_mb']:.0f}", f"{r['rss_worker_mb']:.0f}"]
        cells += [f"{r['ess']:.0f}", "-" if r["k_hat"] is None else f"{r['k_hat']:.2f}"]
        print("| " + " | ".join(str(c) for c in cells) + " |")
    if a.scaling:
        per = [r["seconds"] / ((r["vectors"] + r["refine"]) * r["replicates"] * r["steps"]) * 1e6 for r in rows]
        print("\nmicroseconds per (vector x replicate x case step):", ", ".join(f"{p:.2f}" for p in per))
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"]
    print(f"\nload average at the end: {' '.join(load)}; benchmark took {time.perf_counter() - t0:.0f} s")
    print(f"peak RSS of this script: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
