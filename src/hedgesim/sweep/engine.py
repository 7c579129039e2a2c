"""Running a sweep: chunks of (point, replicates) on any executor, into an append-only store.

Why it is built this way:

* Replicate r of point p always draws from ``SeedSequence(seed, spawn_key=(p, r))``,
  so a sweep's numbers do not depend on the executor, the number of workers or the
  chunk size.
* Finished chunks are stored as they arrive; a kill loses only the chunks that were
  running, and ``--resume`` runs exactly the missing ones.
* A chunk that raises is recorded under ``failures/`` and the sweep goes on.
"""

from __future__ import annotations

import math
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from ..ensemble import new_run_folder, progress_bar
from ..ensemble.stream import is_disk_full
from ..errors import InputError, OutOfSpace
from ..scenario import Scenario
from ..util import whole
from .chunks import ChunkId, ChunkResult, Task, plan_chunks, run_chunk
from .drive import drive, own_executor
from .load import Sweep, load_sweep
from .results import SweepResults
from .store import Store, points_bytes


@dataclass
class SweepReport:
    """What a call of :func:`run_sweep` did."""

    folder: Path
    chunks_total: int
    chunks_run: int = 0
    chunks_skipped: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    interrupted: bool = False
    not_run: int = 0
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        """Every chunk ran and none failed."""
        return not self.failures and not self.interrupted and self.not_run == 0

    def results(self) -> SweepResults:
        """The sweep's results, read back from its folder."""
        return SweepResults.load(self.folder)


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM: finished chunks are kept; ``folder`` can be resumed."""

    def __init__(self, folder: Path, message: str) -> None:
        super().__init__(message)
        self.folder = folder
        self.message = message


def run_sweep(
    sweep: Sweep | str | Path,
    *,
    out: str | Path | None = None,
    resume: str | Path | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
    max_inflight: int | Callable[[], int] | None = None,
    chunk_size: int | None = None,
    results_root: str | Path = "results",
    progress: bool | None = None,
    command: list[str] | None = None,
    echo: Callable[[str], None] | None = None,
) -> SweepReport:
    """Run (or resume) a sweep into a run folder and build its final tables.

    ``executor``: any ``concurrent.futures.Executor`` (a Dask ``client.get_executor()``
    works); by default a spawned process pool of ``workers`` processes, or in-process
    when ``workers == 1``. Results do not depend on the executor, workers or chunk size.
    Failed chunks are recorded and reported in the returned :class:`SweepReport`.

    Raises:
        InputError: the sweep, the folder or an argument is invalid (nothing has run).
        SweepInterrupted: Ctrl-C or SIGTERM, after keeping the finished chunks.
    """
    say = echo or (lambda msg: print(msg, file=sys.stderr))
    sw = sweep if isinstance(sweep, Sweep) else load_sweep(sweep)
    if out is not None and resume is not None:
        raise InputError("give either --out (a new sweep) or --resume (an existing one), not both", field="--out")
    if workers is not None and whole(workers, "--workers") < 1:
        raise InputError(f"--workers must be at least 1, got {workers}", field="--workers")
    if chunk_size is not None and not 1 <= whole(chunk_size, "--chunk-size") <= 1_000_000:
        raise InputError(f"chunk size must be between 1 and 1,000,000, got {chunk_size}", field="--chunk-size")
    if resume is not None:
        store, manifest = Store.open(Path(resume), sw, sw.label)
        stored = manifest.get("parameters")
        if isinstance(stored, list) and stored != [p.name for p in sw.params]:
            # The same sweep with its parameters listed in another order (the identity hash
            # ignores order): sample it in the folder's order, so the points and tables are the same.
            sw = load_sweep(sw.file, order=stored)
        size = int(manifest["chunk_size"])
        if chunk_size is not None and chunk_size != size:
            say(f"note: resuming with the folder's chunk size {size} (not {chunk_size})")
        if (store.folder / "points.parquet").read_bytes() != points_bytes(sw.points):
            say("note: this installation samples the design differently; resuming with the stored points")
            sw.points = pd.read_parquet(store.folder / "points.parquet")
    else:
        size = chunk_size or sw.spec.chunk_size
        folder = Path(out) if out is not None else _new_folder(Path(results_root), sw.name)
        store = Store.create(folder, sw, size, command)
    try:
        return _run(sw, store, size, executor, workers, max_inflight, progress, command, say)
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        stored = sum(len(fs) for fs in store.done().values())
        raise OutOfSpace(
            f"the disk is full (or a size limit was reached) while writing the sweep; the {stored:,} finished "
            f"chunk(s) are kept and what was partly written is removed; free some space, then resume with: "
            f"hedgesim sweep {sw.file} --resume {store.folder}",
            file=store.folder,
        ) from None
    finally:
        store.unlock()


def _new_folder(root: Path, name: str) -> Path:
    return new_run_folder(root / "sweeps", name)


def _polled(threads: Callable[[], int], every: float = 10.0) -> Callable[[], int]:
    """Twice a cluster's thread count, asked at most every ``every`` seconds (clusters grow and shrink)."""
    state = {"t": -math.inf, "v": 2}

    def limit() -> int:
        now = time.monotonic()
        if now - state["t"] >= every:
            state["t"], state["v"] = now, max(2, 2 * int(threads()))
        return int(state["v"])

    return limit


def _run(
    sw: Sweep,
    store: Store,
    size: int,
    executor: Executor | None,
    workers: int | None,
    max_inflight: int | Callable[[], int] | None,
    progress: bool | None,
    command: list[str] | None,
    say: Callable[[str], None],
) -> SweepReport:
    t0 = time.perf_counter()
    store.clean_tmp()
    repaired = store.verify_parts(sw.n_points, sw.spec.replicates, size)
    for note in repaired:
        say(note)
    done = store.done()
    done_set = {(p, f) for p, fs in done.items() for f in fs}
    reps = sw.spec.replicates
    n_chunks = sw.n_points * math.ceil(reps / size)
    report = SweepReport(store.folder, n_chunks, chunks_skipped=len(done_set))
    todo = (c for c in plan_chunks(sw.n_points, reps, size) if (c.point, c.first) not in done_set)
    done_runs = sum(min(size, reps - f) for p, fs in done.items() for f in fs)

    executor, n_workers, own = own_executor(executor, workers)
    if max_inflight is None:
        limit: Callable[[], int] = lambda: 2 * n_workers  # noqa: E731
    elif callable(max_inflight):
        limit = _polled(max_inflight)
    else:
        fixed = int(max_inflight)
        limit = lambda: max(1, fixed)  # noqa: E731
    kind = type(executor).__name__
    store.log(
        {
            "event": "start",
            "command": command if command is not None else list(sys.argv),
            "executor": kind,
            "workers": n_workers,
            "chunks_present": len(done_set),
            "chunks_total": n_chunks,
            "pid": os.getpid(),
        }
    )

    def tasks() -> Iterator[Task]:
        cache: dict[int, Scenario] = {}  # the points of consecutive chunks repeat: check each once
        for c in todo:
            sc = cache.get(c.point)
            if sc is None:
                cache.clear()
                sc = cache[c.point] = sw.check_point(c.point)
            yield Task(sc, c.point, c.first, c.count, sw.seed, sw.spec.record_draws)

    bar = progress_bar(
        sw.n_runs,
        enabled=progress,
        initial=done_runs,
        unit="run",
        unit_scale=True,
        dynamic_ncols=True,
        desc=sw.name,
        smoothing=0.05,
    )

    def collect(t: Task, fut: Future) -> None:
        c = ChunkId(t.point, t.first, t.count)
        try:
            res: ChunkResult = fut.result()
        except BaseException as exc:  # the executor failed, not the model (a dead worker, a lost connection)
            if isinstance(exc, KeyboardInterrupt):
                raise
            res = ChunkResult(
                c.point,
                c.first,
                error=f"{type(exc).__name__}: {exc}",
                traceback="".join(traceback.format_exception(exc)),
            )
        if res.error is None:
            store.write_part(c, res.data)  # type: ignore[arg-type]
            report.chunks_run += 1
        else:
            report.failures.append(store.write_failure(c, sw.point_values(c.point), res.error, res.traceback))
            bar.write(
                f"chunk failed: point {c.point}, replicates {c.first}-{c.first + c.count - 1}: {res.error}",
                file=sys.stderr,
            )
        bar.update(c.count)

    try:
        outcome = drive(tasks(), run_chunk, collect, executor, limit, own)
    finally:
        bar.close()
    report.interrupted, broken = outcome.interrupted, outcome.broken

    stored = sum(len(fs) for fs in store.done().values())
    report.failures = store.failure_records()
    report.not_run = n_chunks - stored - len(report.failures)
    report.seconds = time.perf_counter() - t0
    store.log(
        {
            "event": "interrupted" if report.interrupted else "end",
            "chunks_run": report.chunks_run,
            "failed": len(report.failures),
            "seconds": round(report.seconds, 3),
            "pid": os.getpid(),
        }
    )
    if report.interrupted:
        raise SweepInterrupted(store.folder, f"interrupted: {stored} of {n_chunks} chunks are stored in {store.folder}")
    if broken is not None:
        say(f"the executor broke ({broken}); {report.not_run} chunk(s) were not run: resume to run them")
    final = ("runs.parquet", "summary.parquet")
    if report.chunks_run or repaired or not all((store.folder / name).exists() for name in final):
        store.build_tables(pq.read_table(store.folder / "points.parquet"), reps, [p.name for p in sw.params])
    return report
