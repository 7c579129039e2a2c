"""Chunks of work: a design point and a block of its replicates, and what a worker does with one.

Replicate r of point p always draws from ``SeedSequence(seed, spawn_key=(p, r))``, so
a chunk's rows do not depend on how the work was cut or where it ran.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..ensemble import simulate
from ..scenario import Scenario

COMPRESSION = "zstd"


@dataclass(frozen=True)
class ChunkId:
    """A point and a block of its replicates: ``count`` replicates from ``first``."""

    point: int
    first: int
    count: int

    @property
    def stem(self) -> str:
        """The chunk's name in the store: point and first replicate, zero-padded."""
        return f"{self.point:07d}-{self.first:08d}"

    @property
    def part_name(self) -> str:
        """The file name of its part."""
        return f"part-{self.stem}.parquet"


@dataclass
class Task:
    """What a worker needs to run a chunk: the point's scenario, the replicates and the seed."""

    scenario: Scenario
    point: int
    first: int
    count: int
    seed: int
    record_draws: bool = False


@dataclass
class ChunkResult:
    """What a worker returns: the chunk's runs as Parquet bytes, or the error it met."""

    point: int
    first: int
    data: bytes | None = None
    error: str | None = None
    traceback: str | None = None
    seconds: float = 0.0


def plan_chunks(n_points: int, replicates: int, chunk_size: int) -> Iterator[ChunkId]:
    """Chunks in (point, first replicate) order; lazily, so a huge plan costs no memory."""
    for p in range(n_points):
        for first in range(0, replicates, chunk_size):
            yield ChunkId(p, first, min(chunk_size, replicates - first))


def runs_table(runs: pd.DataFrame, point: int) -> pa.Table:
    """A chunk's runs as Arrow, with the point first and plain string outcome/side (stable bytes)."""
    arrays: dict[str, pa.Array] = {
        "point": pa.array(np.full(len(runs), point, dtype=np.int64)),
        "replicate": pa.array(runs["replicate"].to_numpy(dtype=np.int64)),
        "outcome": pa.array(runs["outcome"].astype(str).to_numpy(dtype=object), pa.string()),
        "side": pa.array(runs["side"].astype(str).to_numpy(dtype=object), pa.string()),
    }
    for col in runs.columns:
        if col not in arrays:
            arrays[col] = pa.array(runs[col].to_numpy())
    return pa.table(arrays)


def run_chunk(task: Task) -> ChunkResult:
    """Worker side: one ensemble, returned as Parquet bytes; an exception becomes a failure record."""
    t0 = time.perf_counter()
    try:
        ids = np.arange(task.first, task.first + task.count, dtype=np.int64)
        chunk = simulate(task.scenario, ids, seed=task.seed, spawn_prefix=(task.point,), record="summary")
        sink = pa.BufferOutputStream()
        runs = chunk.runs if task.record_draws else chunk.runs.loc[:, ~chunk.runs.columns.str.startswith("draw.")]
        pq.write_table(runs_table(runs, task.point), sink, compression=COMPRESSION)
        return ChunkResult(task.point, task.first, data=sink.getvalue().to_pybytes(), seconds=time.perf_counter() - t0)
    except Exception as exc:
        return ChunkResult(
            task.point,
            task.first,
            error=f"{type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(),
            seconds=time.perf_counter() - t0,
        )
