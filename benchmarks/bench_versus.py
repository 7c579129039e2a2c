"""Benchmark: this checkout's ensemble against an earlier commit's, same machine, same run.

Issue 8 asks that 10,000 replicates x 120 steps stay within 1.5x of the time before
Model 2 (commit a11ee80), "on the same machine in the same run (check out the old
commit beside the new one)". One timing of each is not enough on a shared machine:
two single runs of the same commit here differed by 30%. So this script

1. extracts the earlier commit's tree (``git archive``) into a temporary folder;
2. times each side's ensemble ``--repeat`` times, alternating old and new so that a
   change in the machine's load falls on both, each timing in a fresh interpreter
   pinned to CPU core 0 through that commit's own ``benchmarks/bench_ensemble.py
   --part ensemble`` (its own source on ``PYTHONPATH``, its own baseline scenario);
3. prints every timing, each side's median and minimum, and the ratio of the
   medians against the target (the ratio of the minimums and the median of the
   paired ratios alongside, for the reader; the verdict is the ratio of medians).

    python benchmarks/bench_versus.py                       # against a11ee80, 5 timings each
    python benchmarks/bench_versus.py --commit a11ee80 --repeat 7 --uncertainty posterior

It exits 1 if the ratio of medians misses the target. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_COMMIT = "a11ee80"  # the last commit before Model 2 (issue 8)
TARGET = 1.5


def extract(commit: str, dest: Path) -> str:
    """Write ``commit``'s tree under ``dest``; return its full hash."""
    full = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{commit}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if full.returncode != 0:
        raise SystemExit(f"bench_versus: no commit {commit!r} in {ROOT} (a clone with its history is needed)")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit], capture_output=True, check=True
    )
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return full.stdout.strip()


def time_once(tree: Path, replicates: int, uncertainty: str | None, npz: Path) -> float:
    """One ensemble timing of the tree's own benchmark part, in a fresh interpreter."""
    cmd = [
        sys.executable,
        str(tree / "benchmarks" / "bench_ensemble.py"),
        "--part",
        "ensemble",
        "--replicates",
        str(replicates),
        "--individual",
        "1",
        "--npz",
        str(npz),
    ]
    if uncertainty is not None:
        cmd += ["--uncertainty", uncertainty]
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env, cwd=tree)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"bench_versus: the ensemble part of {tree} failed (exit {proc.returncode})")
    return float(json.loads(proc.stdout.strip().splitlines()[-1])["seconds"])


def main(argv: list[str] | None = None) -> int:
    """Time both sides alternately, print the timings and the ratio of medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", default=DEFAULT_COMMIT, help=f"the earlier commit (default {DEFAULT_COMMIT})")
    parser.add_argument("--repeat", type=int, default=5, help="timings of each side (default 5)")
    parser.add_argument("--replicates", type=int, default=10_000, help="ensemble size (default 10,000)")
    parser.add_argument(
        "--uncertainty",
        choices=["none", "prior", "posterior"],
        default="none",
        help="what this checkout's replicates draw (default none: point values, all the earlier model could do)",
    )
    parser.add_argument("--target", type=float, default=TARGET, help=f"ratio of medians to stay under ({TARGET})")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.replicates < 1:
        parser.error("--repeat and --replicates must be at least 1")

    with tempfile.TemporaryDirectory(prefix="hedgesim-versus-") as tmp:
        old_tree = Path(tmp) / "old"
        full = extract(args.commit, old_tree)
        print(
            f"hedgesim ensemble, {args.replicates:,} replicates of each side's baseline: "
            f"{full[:10]} against this checkout (uncertainty {args.uncertainty}), "
            f"{args.repeat} alternating timings each, every one in a fresh interpreter pinned to core 0"
        )
        old, new = [], []
        for i in range(args.repeat):
            old.append(time_once(old_tree, args.replicates, None, Path(tmp) / "old.npz"))
            new.append(time_once(ROOT, args.replicates, args.uncertainty, Path(tmp) / "new.npz"))
            print(f"  timing {i + 1}: {full[:10]} {old[-1]:.2f} s, this checkout {new[-1]:.2f} s")

    m_old, m_new = statistics.median(old), statistics.median(new)
    ratio = m_new / m_old
    print(f"median: {full[:10]} {m_old:.2f} s, this checkout {m_new:.2f} s; minimum {min(old):.2f} s, {min(new):.2f} s")
    paired = statistics.median(n / o for n, o in zip(new, old, strict=True))
    minimums = min(new) / min(old)
    print(f"ratio of medians: {ratio:.2f}x (minimums {minimums:.2f}x, median of paired ratios {paired:.2f}x)")
    met = ratio <= args.target
    print(f"target: within {args.target:g}x of {full[:10]}: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
