"""Benchmark: peak memory of recording steps, streamed to Parquet, against holding them in memory.

Runs the baseline scenario (120 monthly steps) with steps recorded for N replicates
(default 10,000), each way in a fresh interpreter so its peak resident size
(``ru_maxrss``) is its own:

* ``streamed``: ``hedgesim run --record steps`` as it is now: chunks sized so a chunk's
  step log stays under 64 MB, each chunk's steps and moves appended to Parquet, the
  results folder written by hard links (figures included);
* ``in_memory``: what it replaced, one 10,000-replicate chunk tabulated, the steps and
  moves sorted in memory, then written (``--no-in-memory`` skips it on a machine with
  too little memory: it needs about 4 GB).

It prints wall time, peak memory and the size of the files for each, the ratio of the
peaks, and checks that both ways write the same steps and moves, row for row and bit
for bit. Target: the streamed run under 1 GB at 10,000 replicates.

    python benchmarks/bench_steps_memory.py                 # 10,000 replicates, both ways
    python benchmarks/bench_steps_memory.py --replicates 2000 --no-in-memory
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET_MB = 1024.0

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, n, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
if mode == "streamed":
    import hedgesim
    from hedgesim.plots import write_run_figures
    res = hedgesim.run("baseline", replicates=n, record="steps", spool=out, progress=False)
    res.save(out / "run", extras=(write_run_figures,))
else:
    import numpy as np
    import hedgesim
    from hedgesim.ensemble import simulate
    from hedgesim.ensemble.stream import write_frame
    sc = hedgesim.load_scenario("baseline")
    chunk = simulate(sc, np.arange(n), seed=sc.seed, record="steps")
    key = ["replicate", "step"]
    steps = chunk.steps.sort_values(key, kind="stable", ignore_index=True)
    moves = chunk.moves.sort_values(key, kind="stable", ignore_index=True)
    (out / "run").mkdir()
    write_frame(steps, out / "run" / "steps.parquet")
    write_frame(moves, out / "run" / "moves.parquet")
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
size = sum(p.stat().st_size for p in (out / "run").glob("*.parquet"))
print(json.dumps({"seconds": seconds, "peak_mb": peak, "start_mb": before, "parquet_mb": size / 2**20}))
"""


def child(mode: str, n: int, out: Path) -> dict:
    out.mkdir()
    proc = subprocess.run([sys.executable, "-c", CHILD, mode, str(n), str(out)], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{mode} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def same_tables(a: Path, b: Path) -> bool:
    import pandas as pd

    from hedgesim.ensemble.stream import read_frame

    for name in ("steps.parquet", "moves.parquet"):
        try:
            pd.testing.assert_frame_equal(read_frame(a / name), read_frame(b / name), check_exact=True)
        except AssertionError as exc:
            print(f"{name} differs: {exc}")
            return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=10_000)
    parser.add_argument("--no-in-memory", action="store_true", help="skip the in-memory way (it needs ~4 GB)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {"streamed": child("streamed", args.replicates, Path(tmp) / "streamed")}
        if not args.no_in_memory:
            results["in_memory"] = child("in_memory", args.replicates, Path(tmp) / "in_memory")
        print(f"baseline, {args.replicates:,} replicates x 120 steps, steps recorded")
        for mode, r in results.items():
            print(
                f"  {mode:<10} {r['seconds']:7.1f} s   peak {r['peak_mb']:7.0f} MB "
                f"(after imports {r['start_mb']:.0f} MB)   steps + moves on disk {r['parquet_mb']:.1f} MB"
            )
        ok = results["streamed"]["peak_mb"] < TARGET_MB
        print(f"streamed peak under {TARGET_MB:.0f} MB: {'yes' if ok else 'NO'}")
        if "in_memory" in results:
            ratio = results["in_memory"]["peak_mb"] / results["streamed"]["peak_mb"]
            print(f"peak memory, in memory / streamed: {ratio:.1f}x")
            same = same_tables(Path(tmp) / "streamed" / "run", Path(tmp) / "in_memory" / "run")
            print(f"same steps and moves, bit for bit: {'yes' if same else 'NO'}")
            ok = ok and same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
