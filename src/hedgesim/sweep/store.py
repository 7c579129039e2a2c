"""A sweep folder on disk: manifest, design points, append-only parts, failures, final tables.

Why it is built this way:

* Each finished chunk is written as its own Parquet part under ``parts/`` by an atomic
  link, so a kill at any moment loses only the chunks that were running, and
  ``--resume`` runs exactly the chunks whose part is missing.
* The final tables (``runs.parquet``, ``summary.parquet``) are rebuilt from the parts in
  a fixed order with fixed row groups, so an interrupted and resumed sweep gives the
  same bytes as an uninterrupted one, whatever the chunking.

The layout and resume rules are described in ``docs/sweeps.md``.
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..analysis import share_interval
from ..core import ALL_OUTCOMES
from ..ensemble import git_revision, versions
from ..ensemble.stream import out_of_space
from ..errors import InputError
from ..util import new_folder, place, write_file
from ..util.fs import check_new_path
from .chunks import COMPRESSION, ChunkId
from .load import Sweep

FORMAT = "hedgesim-sweep/1"
#: Rows per row group of the final tables; fixed so their bytes do not depend on the chunking.
ROW_GROUP = 65_536
#: Outcome columns of summary.parquet, by key (from the outcome registry).
OUTCOME_KEYS: dict[str, str] = {o.key: o.label for o in ALL_OUTCOMES}


class Store:
    """A sweep folder: manifest, points, parts, failures; only this class writes to it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.parts = folder / "parts"
        self.failures = folder / "failures"
        self._lock_fh: Any = None

    # ---------------------------------------------------------------- create / open
    @classmethod
    def create(cls, folder: Path, sweep: Sweep, chunk_size: int, command: list[str] | None) -> Store:
        """Make the folder with manifest and points, atomically (tmp dir + rename)."""
        if folder.exists():
            raise InputError(
                f"{folder} already exists; results are never overwritten (choose another --out or --resume it)",
                file=folder,
                field="--out",
            )
        check_new_path(folder, field="--out")
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            with out_of_space(folder, f"creating {folder}"), new_folder(folder) as tmp:
                cls._fill(tmp, sweep, chunk_size, command)
        except FileExistsError:
            raise InputError(
                f"{folder} already exists; results are never overwritten (choose another --out or --resume it)",
                file=folder,
                field="--out",
            ) from None
        except PermissionError as exc:
            raise InputError(
                f"cannot write under {folder.parent}: {exc.strerror}", file=folder, field="--out"
            ) from None
        store = cls(folder)
        store.lock()
        return store

    @staticmethod
    def _fill(tmp: Path, sweep: Sweep, chunk_size: int, command: list[str] | None) -> None:
        """Write a new sweep folder's contents: parts/, failures/, points, design and manifest."""
        (tmp / "parts").mkdir()
        (tmp / "failures").mkdir()
        (tmp / "points.parquet").write_bytes(points_bytes(sweep.points))
        if sweep.unit is not None:
            unit = {"point": np.arange(len(sweep.unit), dtype=np.int64)}
            unit.update({p.name: sweep.unit[:, j] for j, p in enumerate(sweep.params)})
            write_table(pa.table(unit), tmp / "design.parquet")
        n_chunks = sweep.n_points * math.ceil(sweep.spec.replicates / chunk_size)
        manifest = {
            "format": FORMAT,
            "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "name": sweep.name,
            "sweep_file": str(sweep.file.resolve()),
            "base_file": str(sweep.base_file.resolve()),
            "hashes": sweep.hashes(),
            "spec": sweep.resolved(),
            "base_scenario": sweep.base.to_dict(),
            "seed": sweep.seed,
            "design": sweep.spec.design,
            "parameters": [p.name for p in sweep.params],
            "points": sweep.n_points,
            "replicates": sweep.spec.replicates,
            "runs": sweep.n_runs,
            "chunk_size": chunk_size,
            "chunks": n_chunks,
            "record": "summary",
            "seeding": "replicate r of point p draws from SeedSequence(seed, spawn_key=(p, r))",
            "versions": versions(),
            "git_revision": git_revision(),
            "platform": platform.platform(),
            "command": command if command is not None else list(sys.argv),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")

    @classmethod
    def open(cls, folder: Path, sweep: Sweep, label: str) -> tuple[Store, dict[str, Any]]:
        """Open a folder to resume: it must hold this very sweep (same hashes)."""
        mpath = folder / "manifest.json"
        if not folder.is_dir():
            raise InputError(f"{folder} does not exist", file=label, field="--resume")
        try:
            manifest = json.loads(mpath.read_text())
        except (OSError, ValueError):
            raise InputError(
                f"{folder} is not a sweep folder (no readable manifest.json)", file=label, field="--resume"
            ) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise InputError(
                f"{folder} is not a sweep folder (manifest format {manifest.get('format')!r})",
                file=label,
                field="--resume",
            )
        theirs, ours = manifest.get("hashes", {}), sweep.hashes()
        differ = [k for k in ("spec", "base") if theirs.get(k) != ours[k]]
        if differ:
            what = {"spec": "the sweep file's design, parameters, replicates or seed", "base": "the base scenario"}
            shown = ", ".join(f"{k} {str(theirs.get(k, '?'))[:12]} != {ours[k][:12]}" for k in differ)
            raise InputError(
                f"{folder} holds a different sweep: {' and '.join(what[k] for k in differ)} changed "
                f"(sha256 {shown}); start a new sweep instead",
                file=label,
                field="--resume",
            )
        for sub in ("parts", "failures"):
            if not (folder / sub).is_dir():
                raise InputError(f"{folder} is damaged: {sub}/ is missing", file=label, field="--resume")
        store = cls(folder)
        store.lock()
        return store, manifest

    def lock(self) -> None:
        """One coordinator per folder: a second one would race on the same chunks."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return
        fh = open(self.folder / "manifest.json", "rb")  # held for the sweep's lifetime
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise InputError(
                f"another hedgesim sweep is writing to {self.folder}", file=self.folder, field="--resume"
            ) from None
        self._lock_fh = fh

    def unlock(self) -> None:
        """Release the folder lock."""
        if self._lock_fh is not None:
            self._lock_fh.close()
            self._lock_fh = None

    # ---------------------------------------------------------------- parts and failures
    def clean_tmp(self) -> None:
        """Remove temporary files a killed process left (we hold the lock, so none is in use)."""
        for sub in (self.parts, self.failures, self.folder):
            for entry in os.scandir(sub):
                if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file():
                    os.unlink(entry.path)

    def done(self) -> dict[int, list[int]]:
        """Point -> sorted first replicates of the parts present."""
        out: dict[int, list[int]] = {}
        pat = re.compile(r"^part-(\d+)-(\d+)\.parquet$")
        for entry in os.scandir(self.parts):
            m = pat.match(entry.name)
            if m:
                out.setdefault(int(m.group(1)), []).append(int(m.group(2)))
        for firsts in out.values():
            firsts.sort()
        return out

    def verify_parts(self, n_points: int, replicates: int, chunk_size: int) -> list[str]:
        """Check every part against its name; move a bad one to ``damaged/`` so that its chunk runs again.

        A part must be a readable Parquet file holding exactly the replicates its name
        says (``first`` to ``first + count - 1``, ``count`` by the chunk size) of the point
        its name says, with the first good part's columns. Only the footer is read (row
        count, schema and the point and replicate columns' min/max statistics), so this
        is fast on a sweep of many parts. A truncated part, an empty one, or one copied
        over another chunk's name is caught here instead of failing or being merged.
        Returns a note per part moved.
        """
        notes = []
        schema: pa.Schema | None = None
        for p, firsts in sorted(self.done().items()):
            for first in firsts:
                name = ChunkId(p, first, 0).part_name
                problem, part_schema = _part_problem(self.parts / name, p, first, n_points, replicates, chunk_size)
                if problem is None and schema is not None and not part_schema.equals(schema):
                    problem = "its columns differ from the other parts'"
                if problem is None:
                    schema = schema or part_schema
                    continue
                damaged = self.folder / "damaged"
                damaged.mkdir(exist_ok=True)
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                os.replace(self.parts / name, damaged / f"{name}.{stamp}")
                self.log({"event": "damaged part", "part": name, "problem": problem})
                notes.append(f"note: parts/{name} {problem}; moved to damaged/ and its chunk runs again")
        return notes

    def write_part(self, chunk: ChunkId, data: bytes) -> None:
        """Store a finished chunk's rows as its part (atomically; the first writer wins)."""
        tmp = self.parts / f".{chunk.part_name}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            placed = place(tmp, self.parts / chunk.part_name)
        except BaseException:  # a full disk, say: no half-written part is left
            tmp.unlink(missing_ok=True)
            raise
        if not placed:
            os.unlink(tmp)  # someone else finished it first; theirs is identical
        stale = self.failures / f"{chunk.stem}.json"
        if stale.exists():
            stale.unlink()

    def write_failure(self, chunk: ChunkId, values: dict[str, Any], error: str, tb: str | None) -> dict[str, Any]:
        """Record a failed chunk under failures/ and return the record."""
        rec = {
            "point": chunk.point,
            "replicates": [chunk.first, chunk.first + chunk.count - 1],
            "parameters": values,
            "error": error,
            "traceback": tb,
            "utc": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        write_file(self.failures / f"{chunk.stem}.json", json.dumps(rec, indent=2, default=str) + "\n", replace=True)
        return rec

    def failure_records(self) -> list[dict[str, Any]]:
        """Failure records of chunks that have no part yet."""
        done = {(p, f) for p, fs in self.done().items() for f in fs}
        out = []
        for path in sorted(self.failures.glob("*.json")):
            rec = json.loads(path.read_text())
            if (rec["point"], rec["replicates"][0]) not in done:
                out.append(rec)
        return out

    def log(self, event: dict[str, Any]) -> None:
        """Append one line to sessions.jsonl: who ran what, when, with which executor."""
        event = {"utc": datetime.now(UTC).isoformat(timespec="seconds"), **event}
        with open(self.folder / "sessions.jsonl", "a") as fh:
            fh.write(json.dumps(event, default=str) + "\n")

    # ---------------------------------------------------------------- final tables
    def build_tables(self, points: pa.Table, replicates: int, params: list[str]) -> None:
        """runs.parquet and summary.parquet from the parts, streamed point by point (bounded memory)."""
        done = self.done()
        runs_tmp = self.folder / f".runs.parquet.{os.getpid()}.tmp"
        writer: pq.ParquetWriter | None = None
        schema: pa.Schema | None = None
        buffer: list[pa.Table] = []
        buffered = 0
        n_points = len(points)
        counts = {key: np.zeros(n_points, dtype=np.int64) for key in OUTCOME_KEYS}
        n = np.zeros(n_points, dtype=np.int64)
        medians = {
            k: np.full(n_points, np.nan) for k in ("median_step", "median_step_bandwagoning", "median_step_escalation")
        }

        def flush(final: bool) -> None:
            nonlocal buffer, buffered, writer
            while buffered >= ROW_GROUP or (final and buffered):
                table = pa.concat_tables(buffer).combine_chunks()
                take = min(ROW_GROUP, buffered)
                if writer is None:
                    writer = pq.ParquetWriter(runs_tmp, table.schema, compression=COMPRESSION)
                writer.write_table(table.slice(0, take), row_group_size=ROW_GROUP)
                rest = table.slice(take)
                buffer, buffered = ([rest] if rest.num_rows else []), rest.num_rows

        try:
            for p in range(n_points):
                hists = {k: np.zeros(0, dtype=np.int64) for k in medians}
                for first in done.get(p, ()):
                    table = pq.read_table(self.parts / ChunkId(p, first, 0).part_name)
                    if schema is None:
                        schema = table.schema
                    elif not table.schema.equals(schema):
                        raise RuntimeError(f"part {p}-{first} has columns that differ from the first part's")
                    buffer.append(table)
                    buffered += table.num_rows
                    outcome, side = table.column("outcome"), table.column("side")
                    steps = table.column("outcome_step").to_numpy()
                    n[p] += table.num_rows
                    for key, label in OUTCOME_KEYS.items():
                        counts[key][p] += _count(outcome, side, label)
                    decided = pc.not_equal(outcome, "neutrality_kept").to_numpy(zero_copy_only=False)
                    bw = pc.equal(outcome, "bandwagoning").to_numpy(zero_copy_only=False)
                    esc = pc.equal(outcome, "escalation").to_numpy(zero_copy_only=False)
                    for k, mask in (
                        ("median_step", decided),
                        ("median_step_bandwagoning", bw),
                        ("median_step_escalation", esc),
                    ):
                        hists[k] = _add_hist(hists[k], np.bincount(steps[mask]))
                    flush(False)
                for k in medians:
                    medians[k][p] = _hist_median(hists[k])
            flush(True)
            if writer is None:  # nothing ran at all
                empty = pa.table(
                    {
                        "point": pa.array([], pa.int64()),
                        "replicate": pa.array([], pa.int64()),
                        "outcome": pa.array([], pa.string()),
                        "side": pa.array([], pa.string()),
                        "outcome_step": pa.array([], pa.int64()),
                    }
                )
                pq.write_table(empty, runs_tmp, compression=COMPRESSION)
            else:
                writer.close()
                writer = None
            summary = _summary_table(points, params, replicates, n, counts, medians)
            sum_tmp = self.folder / f".summary.parquet.{os.getpid()}.tmp"
            write_table(summary, sum_tmp)
            os.replace(runs_tmp, self.folder / "runs.parquet")
            os.replace(sum_tmp, self.folder / "summary.parquet")
        finally:
            if writer is not None:
                writer.close()
            for tmp in self.folder.glob(".*.parquet.*.tmp"):
                tmp.unlink()


def _part_problem(
    path: Path, point: int, first: int, n_points: int, replicates: int, chunk_size: int
) -> tuple[str | None, pa.Schema | None]:
    """What is wrong with one part (None if nothing), and its schema."""
    count = min(chunk_size, replicates - first)
    if point >= n_points or first % chunk_size or count <= 0:
        return f"is not a chunk of this sweep (points 0-{n_points - 1}, chunks of {chunk_size})", None
    try:
        pf = pq.ParquetFile(path)
    except Exception:  # ArrowInvalid, OSError: truncated, empty or not Parquet at all
        return "is not a readable Parquet file", None
    meta, schema = pf.metadata, pf.schema_arrow
    if meta.num_rows != count:
        return f"holds {meta.num_rows:,} rows, not the {count:,} of its chunk", schema
    names = schema.names
    if "point" not in names or "replicate" not in names:
        return "has no point or replicate column", schema
    want = {"point": (point, point), "replicate": (first, first + count - 1)}
    for column, (lo, hi) in want.items():
        j = names.index(column)
        los, his = [], []
        for g in range(meta.num_row_groups):
            stats = meta.row_group(g).column(j).statistics
            if stats is None or not stats.has_min_max:
                values = pq.read_table(path, columns=[column]).column(0).to_numpy()
                los, his = [int(values.min())], [int(values.max())]
                break
            los.append(int(stats.min))
            his.append(int(stats.max))
        if (min(los), max(his)) != (lo, hi):
            return f"holds {column} {min(los)}-{max(his)}, not the {lo}-{hi} its name says", schema
    return None, schema


def points_bytes(points: pd.DataFrame) -> bytes:
    """points.parquet's exact bytes (no pandas metadata, so they depend only on the design)."""
    sink = pa.BufferOutputStream()
    table = pa.Table.from_pandas(points, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table, sink, compression=COMPRESSION, row_group_size=ROW_GROUP)
    return sink.getvalue().to_pybytes()


def write_table(table: pa.Table, path: Path) -> None:
    """Write a table with the store's fixed compression and row groups (stable bytes)."""
    pq.write_table(table, path, compression=COMPRESSION, row_group_size=ROW_GROUP)


def _count(outcome: pa.ChunkedArray, side: pa.ChunkedArray, label: str) -> int:
    if label.startswith("bandwagoning ("):
        mask = pc.and_(pc.equal(outcome, "bandwagoning"), pc.equal(side, label[len("bandwagoning (") : -1]))
    else:
        mask = pc.equal(outcome, label)
    return int(pc.sum(mask).as_py() or 0)


def _add_hist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if len(a) < len(b):
        a, b = b, a
    a = a.copy()
    a[: len(b)] += b
    return a


def _hist_median(h: np.ndarray) -> float:
    """Median of integers given as counts per value (np.median's convention for even n)."""
    total = int(h.sum())
    if total == 0:
        return float("nan")
    c = np.cumsum(h)
    lo = int(np.searchsorted(c, (total - 1) // 2 + 1))
    hi = int(np.searchsorted(c, total // 2 + 1))
    return (lo + hi) / 2


def _summary_table(
    points: pa.Table,
    params: list[str],
    replicates: int,
    n: np.ndarray,
    counts: dict[str, np.ndarray],
    medians: dict[str, np.ndarray],
) -> pa.Table:
    cols: dict[str, Any] = {"point": points.column("point").combine_chunks()}
    for name in params:
        cols[name] = points.column(name).combine_chunks()
    cols["replicates"] = pa.array(np.full(len(points), replicates, dtype=np.int64))
    cols["n"] = pa.array(n)
    for key in OUTCOME_KEYS:
        k = counts[key]
        share, lo, hi = share_interval(k, n)
        cols[f"{key}_n"] = pa.array(k)
        cols[key] = pa.array(share)
        cols[f"{key}_lo"] = pa.array(lo)
        cols[f"{key}_hi"] = pa.array(hi)
    for k, v in medians.items():
        cols[k] = pa.array(v)
    return pa.table(cols)
