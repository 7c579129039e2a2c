"""Recorded steps and moves, streamed to Parquet as chunks finish: memory bounded whatever the replicate count.

Why it is built this way:

* A run that records steps simulates in chunks small enough that one chunk's step log
  stays under :data:`STEP_CHUNK_BYTES`, writes each chunk's steps and moves to
  ``steps.parquet`` and ``moves.parquet`` as it finishes and keeps nothing of them in
  memory. Chunks are replicate ranges in order and rows are sorted by (replicate, step)
  within a chunk, so the files hold exactly the rows, in exactly the order, of the whole
  run tabulated at once; chunking changes no number.
* On disk the tables are compact without losing a bit: ``step`` as int16 and
  ``replicate`` as int32 (the schema caps horizons at 12,000 and replicates at 10
  million), names as Parquet dictionary-encoded text, state as float64 exactly as
  computed, zstd-compressed. Read back they have the model's own dtypes again (int64,
  categoricals with their fixed categories, float64): the frame equals the one the
  model tabulated.
* Before a run starts, a pilot of a few replicates over a few steps measures the bytes
  per replicate-step, and a run the disk cannot hold is refused in bytes, naming both
  figures; the projection is checked again after every chunk.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import gc
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import InputError, OutOfSpace

__all__ = [
    "COMPRESSION",
    "STEP_CHUNK_BYTES",
    "StepWriter",
    "check_room",
    "frame_to_table",
    "out_of_space",
    "read_frame",
    "release_memory",
    "spool_folder",
    "steps_chunk_size",
    "write_frame",
]

#: Bytes of one chunk's step log (replicates x steps x columns x 8) a steps run keeps in memory; the
#: tabulated frame, its sorted copy and its Arrow table take about as much again each.
STEP_CHUNK_BYTES = 32 * 2**20
COMPRESSION = "zstd"
#: Schema metadata key: the categories of each categorical column, so they come back whole and in order.
CATEGORIES_KEY = b"hedgesim.categories"
#: Integer columns stored narrower than int64 (their ranges are capped by the scenario schema).
NARROW = {"step": pa.int16(), "replicate": pa.int32()}
#: Disk-full errors: no space, quota exceeded, file too large for the file system or the process's limit.
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
#: Fraction of the free space a run may plan to use (the rest is margin for everything else).
_ROOM = 0.9


def steps_chunk_size(n_columns: int, horizon: int, chunk_size: int) -> int:
    """Replicates per chunk when steps are recorded: ``chunk_size``, or fewer to keep the step log small."""
    per_replicate = max(1, (horizon + 1) * n_columns * 8)
    return max(1, min(chunk_size, STEP_CHUNK_BYTES // per_replicate))


# --------------------------------------------------------------------------- frames <-> compact tables


def frame_to_table(df: pd.DataFrame) -> pa.Table:
    """A steps or moves frame as a compact Arrow table; lossless (see the module docstring)."""
    arrays: dict[str, pa.Array] = {}
    categories: dict[str, list[str]] = {}
    for name in df.columns:
        col = df[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            categories[str(name)] = [str(c) for c in col.cat.categories]
            arrays[str(name)] = pa.array(col.astype(str).to_numpy(dtype=object), pa.string())
        elif name in NARROW and pd.api.types.is_integer_dtype(col.dtype):
            arrays[str(name)] = pa.array(col.to_numpy(), NARROW[str(name)])  # raises if a value does not fit
        elif col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            arrays[str(name)] = pa.array(col.astype(str).to_numpy(dtype=object), pa.string())
        else:
            arrays[str(name)] = pa.array(col.to_numpy())
    table = pa.table(arrays)
    return table.replace_schema_metadata({CATEGORIES_KEY: json.dumps(categories).encode()})


def table_to_frame(table: pa.Table, schema: pa.Schema | None = None) -> pd.DataFrame:
    """The frame a compact table stands for, with the model's dtypes (int64, categoricals, float64)."""
    meta = (schema or table.schema).metadata or {}
    categories = json.loads(meta.get(CATEGORIES_KEY, b"{}"))
    df = table.to_pandas(ignore_metadata=True)
    for name in df.columns:
        if name in categories:
            df[name] = pd.Categorical(df[name].astype(object), categories=categories[name])
        elif name in NARROW:
            df[name] = df[name].astype(np.int64)
    return df


def write_frame(df: pd.DataFrame, path: Path) -> None:
    """Write a whole steps or moves frame in the streamed format."""
    pq.write_table(frame_to_table(df), path, compression=COMPRESSION)


def read_frame(
    path: str | os.PathLike[str],
    columns: Sequence[str] | None = None,
    filters: Any = None,
) -> pd.DataFrame:
    """Read a streamed table back, optionally only some columns or rows (pyarrow ``filters``)."""
    pf = pq.ParquetFile(path)
    schema = pf.schema_arrow
    if columns is not None:
        unknown = [c for c in columns if c not in schema.names]
        if unknown:
            raise InputError(f"no column {unknown[0]!r} (columns: {', '.join(schema.names)})", file=path)
    table = pq.read_table(path, columns=list(columns) if columns is not None else None, filters=filters)
    return table_to_frame(table, schema)


# --------------------------------------------------------------------------- the writer


class StepWriter:
    """Appends each chunk's steps and moves to ``folder/steps.parquet`` and ``folder/moves.parquet``."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.rows = {"steps": 0, "moves": 0}

    def path(self, name: str) -> Path:
        """Where table ``name`` (steps or moves) is written."""
        return self.folder / f"{name}.parquet"

    def write(self, steps: pd.DataFrame | None, moves: pd.DataFrame | None) -> None:
        """Append one chunk: its rows sorted by (replicate, step), as the whole run would hold them."""
        for name, df in (("steps", steps), ("moves", moves)):
            if df is None:
                continue
            if name == "steps":  # the model tabulates step by step; a run's table is replicate by replicate
                order = np.lexsort((df["step"].to_numpy(), df["replicate"].to_numpy()))
                df = df.iloc[order]
            table = frame_to_table(df)
            writer = self._writers.get(name)
            if writer is None:
                writer = self._writers[name] = pq.ParquetWriter(self.path(name), table.schema, compression=COMPRESSION)
            writer.write_table(table)
            self.rows[name] += table.num_rows

    @property
    def bytes(self) -> int:
        """Bytes written so far."""
        return sum(self.path(n).stat().st_size for n in self._writers if self.path(n).exists())

    def close(self) -> None:
        """Finish the files (an empty moves table still gets its file)."""
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()


def release_memory() -> None:
    """Give the memory of a finished chunk back to the operating system.

    A chunk's step log is thousands of small arrays; glibc keeps their freed heap for
    reuse, and the fragments add up chunk after chunk (1.25 GB peak instead of 0.8 GB at
    10,000 replicates, benchmarks/bench_steps_memory.py). ``malloc_trim`` returns them.
    Elsewhere than glibc this only collects garbage.
    """
    gc.collect()
    if _libc is not None:
        _libc.malloc_trim(0)


def _glibc() -> Any:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        return libc
    except (OSError, AttributeError):
        return None


_libc = _glibc() if sys.platform.startswith("linux") else None


# --------------------------------------------------------------------------- room on disk


def spool_folder(near: str | os.PathLike[str] | None) -> Path:
    """A new private folder for a run's streamed tables: beside ``near`` (its nearest existing folder), else in TMPDIR.

    Beside the results folder the final save is a hard link, not a copy, and the disk
    checked for room is the one the results go to. The folder is removed with its
    results; one left by a process that died (a killed notebook kernel) is removed by
    the next run that spools there.
    """
    base = Path(tempfile.gettempdir())
    if near is not None:
        base = Path(near)
        while not base.exists() and base != base.parent:
            base = base.parent
    _remove_orphans(base)
    return Path(tempfile.mkdtemp(prefix=f"{_SPOOL}{os.getpid()}-", dir=base))


_SPOOL = ".hedgesim-steps-"


def _remove_orphans(base: Path) -> None:
    """Remove spool folders in ``base`` whose process is gone."""
    try:
        entries = list(os.scandir(base))
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(_SPOOL) :].split("-", 1)[0]
        if not (entry.name.startswith(_SPOOL) and pid.isdigit() and entry.is_dir(follow_symlinks=False)):
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:  # alive, or not ours to ask about
            continue


def check_room(need: int, folder: Path, what: str, where: str | None = None) -> None:
    """Refuse, in bytes, what the disk under ``folder`` cannot hold (``where`` names it for the user).

    Raises:
        InputError: ``need`` bytes will not fit in the free space (with a margin).
    """
    free = shutil.disk_usage(folder).free
    if need > _ROOM * free:
        raise InputError(
            f"{what} needs about {_size(need)} on the disk of {where or folder}, which has {_size(free)} free; "
            "record fewer replicates or steps, use --record summary, or write to a larger disk",
            field="record",
        )


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} PB"  # pragma: no cover


def is_disk_full(exc: BaseException) -> bool:
    """Whether an exception (or its cause) says the disk or a size limit is full."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in _FULL:
            return True
        if "No space left on device" in str(exc) or "Disk quota exceeded" in str(exc):  # pyarrow's own errors
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


@contextlib.contextmanager
def out_of_space(folder: str | os.PathLike[str], doing: str) -> Iterator[None]:
    """Turn a full disk while ``doing`` something under ``folder`` into one :class:`OutOfSpace` line."""
    try:
        yield
    except Exception as exc:
        if is_disk_full(exc):
            raise OutOfSpace(
                f"the disk is full (or a size limit was reached) while {doing}; what was partly written "
                "has been removed",
                file=folder,
            ) from None
        raise
