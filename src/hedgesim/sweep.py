"""Sweeps: many design points, many replicates each, on any executor, into an append-only store.

Why it is built this way:

* Replicate r of point p always draws from ``SeedSequence(seed, spawn_key=(p, r))``,
  so a sweep's numbers do not depend on the executor, the number of workers or
  the chunk size.
* Work is cut into chunks (a point and a block of its replicates). Each finished
  chunk is written as its own Parquet part under ``parts/`` by an atomic link, so
  a kill at any moment loses only the chunks that were running, and ``--resume``
  runs exactly the chunks whose part is missing.
* The final tables (``runs.parquet``, ``summary.parquet``) are rebuilt from the
  parts in a fixed order with fixed row groups, so an interrupted and resumed
  sweep gives the same bytes as an uninterrupted one, whatever the chunking.
* A chunk that raises is recorded under ``failures/`` and the sweep goes on.

The store layout and resume rules are described in ``docs/sweeps.md``.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import math
import os
import platform
import re
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import InputError
from .fsutil import write_atomic
from .scenario import MAX_REPLICATES, Scenario
from .yamlio import SourceMap, format_path, load_with_extends, load_yaml, parse_path, set_path

FORMAT = "hedgesim-sweep/1"
DESIGNS = ("grid", "lhs", "sobol", "morris", "random")
#: Largest design (points) and sweep (points x replicates) accepted: beyond these a
#: sweep would not finish on any cluster we know of, so it is surely a typo.
MAX_POINTS = 1_000_000
MAX_RUNS = 1_000_000_000
MAX_PARAMETERS = 64
MAX_VALUES = 10_000
DEFAULT_CHUNK = 5_000  # ~1 s of work: large enough to amortise a chunk's fixed cost, small enough to spread
#: Rows per row group of the final tables; fixed so their bytes do not depend on the chunking.
ROW_GROUP = 65_536
_COMPRESSION = "zstd"
_NAME = r"^[A-Za-z][A-Za-z0-9_]*$"
_DESIGN_KEY = 2**32 - 1  # spawn key of the design sampler's stream; points use two-element keys
_FORBIDDEN = {"seed": "the sweep's 'seed'", "replicates": "the sweep's 'replicates'"}

#: Outcome columns of summary.parquet: key -> label as in hedgesim.analysis (by side).
OUTCOME_KEYS = {
    "neutrality_kept": "neutrality_kept",
    "bandwagoning": "bandwagoning",
    "bandwagoning_patron": "bandwagoning (patron)",
    "bandwagoning_bloc": "bandwagoning (bloc)",
    "escalation": "escalation",
}


# =========================================================================== sweep files

Scalar = StrictBool | StrictInt | StrictFloat | StrictStr


class ParamSpec(BaseModel):
    """How one scenario field varies: a list of values, or a range (with levels for a grid)."""

    model_config = ConfigDict(extra="forbid")

    values: list[Scalar] | None = Field(
        None,
        min_length=1,
        max_length=MAX_VALUES,
        description="the values to take (all numbers, all booleans or all strings)",
    )
    range: tuple[float, float] | None = Field(None, description="[lo, hi]: a continuous (or integer) range")
    log: bool = Field(False, description="sample or space the range on a log scale (lo > 0)")
    levels: int | None = Field(None, ge=2, le=MAX_VALUES, description="grid designs: evenly spaced levels of the range")
    integer: bool = Field(False, description="the range holds whole numbers")

    @model_validator(mode="after")
    def _check(self) -> ParamSpec:
        if (self.values is None) == (self.range is None):
            raise ValueError("give exactly one of 'values' or 'range'")
        if self.values is not None:
            if self.log or self.levels is not None or self.integer:
                raise ValueError("'log', 'levels' and 'integer' go with 'range', not with 'values'")
            kinds = {_scalar_kind(v) for v in self.values}
            if len(kinds) > 1:
                raise ValueError("values must be all numbers, all booleans or all strings")
            if kinds == {"number"} and not all(math.isfinite(v) for v in self.values):  # type: ignore[arg-type]
                raise ValueError("values must be finite numbers")
            return self
        lo, hi = self.range  # type: ignore[misc]
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError("range bounds must be finite numbers")
        if not lo < hi:
            raise ValueError(f"range [{lo:g}, {hi:g}] needs lo < hi")
        if self.log and lo <= 0:
            raise ValueError("a log range needs lo > 0")
        if self.integer and not (float(lo).is_integer() and float(hi).is_integer()):
            raise ValueError("an integer range needs whole-number bounds")
        return self


class SweepSpec(BaseModel):
    """The schema of a sweep file."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, pattern=_NAME, max_length=80, description="default: the file name")
    description: str = ""
    base: str = Field(description="the base scenario, a path relative to the sweep file")
    set: dict[str, Any] = Field(default_factory=dict, description="fixed overrides applied to every point")
    parameters: dict[str, ParamSpec] = Field(
        min_length=1, max_length=MAX_PARAMETERS, description="override path -> how it varies"
    )
    design: Literal["grid", "lhs", "sobol", "morris", "random"] = "grid"
    samples: int | None = Field(
        None, ge=1, le=MAX_POINTS, description="lhs/random: points; sobol: base samples N; morris: trajectories"
    )
    replicates: int = Field(100, ge=1, le=MAX_REPLICATES, description="replicates per point")
    seed: int | None = Field(None, ge=0, lt=2**63, description="default: the base scenario's seed")
    record: str = Field("summary", description="only 'summary' for sweeps")
    chunk_size: int = Field(DEFAULT_CHUNK, ge=1, le=1_000_000, description="replicates per chunk (memory, not results)")
    morris_levels: int = Field(4, ge=2, le=100, description="morris designs: levels of the grid")

    @field_validator("record")
    @classmethod
    def _summary_only(cls, v: str) -> str:
        if v != "summary":
            raise ValueError(
                f"sweeps record summaries only ('summary', not {v!r}): steps of millions of runs would "
                "not fit; run one point with `hedgesim run --set ... --record steps`"
            )
        return v


def _scalar_kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int | float):
        return "number"
    return "str"


@dataclass
class Param:
    """One swept parameter, resolved."""

    name: str  # canonical override path, also the column name
    path: tuple[str | int, ...]
    spec: ParamSpec
    line: int | None
    loc: tuple[str, ...]  # where it sits in the sweep file

    @property
    def kind(self) -> str:
        if self.spec.range is not None:
            return "int" if self.spec.integer else "float"
        kind = _scalar_kind(self.spec.values[0])  # type: ignore[index]
        if kind == "number":
            return "int" if all(isinstance(v, int) for v in self.spec.values) else "float"  # type: ignore[union-attr]
        return kind

    def grid_levels(self) -> list[Any]:
        s = self.spec
        if s.values is not None:
            return list(s.values)
        lo, hi = s.range  # type: ignore[misc]
        if s.levels is None:  # integer range without levels: every whole number
            return list(range(int(lo), int(hi) + 1))
        pts = np.geomspace(lo, hi, s.levels) if s.log else np.linspace(lo, hi, s.levels)
        if s.integer:
            return sorted({round(float(x)) for x in pts})
        return [float(f"{x:.12g}") for x in pts]

    def grid_size(self) -> int:
        s = self.spec
        if s.values is not None:
            return len(s.values)
        if s.levels is None:
            return int(s.range[1]) - int(s.range[0]) + 1  # type: ignore[index]
        return s.levels

    def from_unit(self, u: np.ndarray) -> np.ndarray | list[Any]:
        """Map unit-cube coordinates to parameter values (uniform, log-uniform or a pick from the values)."""
        s = self.spec
        if s.values is not None:
            idx = np.minimum((u * len(s.values)).astype(np.int64), len(s.values) - 1)
            return [s.values[i] for i in idx]
        lo, hi = s.range  # type: ignore[misc]
        if s.log:
            x = np.clip(np.exp(np.log(lo) + u * (np.log(hi) - np.log(lo))), lo, hi)  # exp(log(hi)) may pass hi
            return np.round(x).astype(np.int64) if s.integer else x
        if s.integer:
            return np.minimum(np.floor(lo + u * (hi - lo + 1)), hi).astype(np.int64)
        return np.clip(lo + u * (hi - lo), lo, hi)


def is_sweep_file(path: str | Path) -> bool:
    """A YAML file whose top level has ``base:``, ``design:`` or ``samples:`` (no scenario field) is a sweep file."""
    try:
        data, _ = load_yaml(path)
    except InputError:
        return False  # let the scenario loader report the problem
    return isinstance(data, dict) and any(k in data for k in ("base", "design", "samples"))


def _spec_error(exc: ValidationError, smap: SourceMap, label: str) -> InputError:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    for i, part in enumerate(loc[:-1]):
        if part == "values" and isinstance(loc[i + 1], int) and len(loc) > i + 2:
            # pydantic names the union member it tried last; the user only needs the item
            loc, msg = loc[: i + 2], "each value must be a number, a boolean or a string"
            break
    file, line = smap.locate(loc)
    if err["type"] == "extra_forbidden":
        msg = f"unknown field {loc[-1]!r}"
    elif err["type"] == "missing":
        msg = f"missing required field {loc[-1]!r}"
    return InputError(msg, file=file or label, line=line, field=format_path(loc) or None)


class Sweep:
    """A validated sweep: its spec, base scenario, parameters and design points.

    Build with :func:`load_sweep`. ``points`` has a row per design point, a column per
    parameter; ``unit`` holds sampled designs' unit-cube coordinates (SALib needs them).
    """

    def __init__(self, file: Path, spec: SweepSpec, smap: SourceMap) -> None:
        self.file = file
        self.label = str(file)
        self.spec = spec
        self._smap = smap
        self.name = spec.name or _default_name(file)
        base_path = Path(spec.base)
        self.base_file = base_path if base_path.is_absolute() else file.parent / base_path
        self.params: list[Param] = []
        self.points = pd.DataFrame()
        self.unit: np.ndarray | None = None

    # ------------------------------------------------------------- where things are
    def _line(self, *loc: str | int) -> int | None:
        return self._smap.locate(loc)[1]

    def _err(self, msg: str, *loc: str | int, field_: str | None = None) -> InputError:
        return InputError(msg, file=self.label, line=self._line(*loc), field=field_ or format_path(loc))

    # ------------------------------------------------------------- checks
    def _load_base(self) -> None:
        """The base scenario with the fixed ``set:`` overrides, loaded exactly as ``hedgesim run --set`` would."""
        if not self.base_file.is_file():
            raise self._err(f"base scenario {self.spec.base!r} does not exist (looked for {self.base_file})", "base")
        data, _ = load_with_extends(self.base_file)
        self._fixed: dict[str, Any] = {}
        self._where: dict[str, tuple[str, ...]] = {}  # override path -> its place in the sweep file
        for key, value in self.spec.set.items():
            try:
                path = parse_path(key)
            except InputError as exc:
                raise self._err(exc.message, "set", key, field_=key) from None
            if path[0] in _FORBIDDEN:
                raise self._err(f"set {path[0]!r} through {_FORBIDDEN[str(path[0])]}", "set", key, field_=key)
            name = format_path(path)
            self._fixed[name], self._where[name] = value, ("set", key)
            try:
                set_path(data, path, value)
            except InputError as exc:
                raise self._err(exc.message, "set", key, field_=name) from None
        self._base_data = data
        self.base: Scenario = self._load({}, located=True)
        self.seed = self.base.seed if self.spec.seed is None else self.spec.seed

    def _load(self, values: dict[str, Any], located: bool = False) -> Scenario:
        """One point's scenario through :func:`load_scenario`, so facts, overrides and checks are the CLI's.

        The fast path starts from the resolved base data; the located one re-reads the
        base file so that an error names a line, in the base or (for an override) in the
        sweep file.
        """
        from .scenario import load_scenario

        if not located:
            return load_scenario(self._base_data, overrides=values)
        try:
            return load_scenario(self.base_file, overrides={**self._fixed, **values})
        except InputError as exc:
            origin = (exc.file or "").removeprefix("--set ")
            if origin in self._where:  # the problem is at an overridden path: blame the sweep file's line
                raise InputError(
                    exc.message, file=self.label, line=self._line(*self._where[origin]), field=exc.field
                ) from None
            raise

    def _check_params(self) -> None:
        spec = self.spec
        seen: dict[tuple, str] = {}
        set_paths = {parse_path(k) for k in spec.set}
        for key, ps in spec.parameters.items():
            loc = ("parameters", key)
            try:
                path = parse_path(key)
            except InputError as exc:
                raise self._err(exc.message, *loc, field_=key) from None
            name = format_path(path)
            if path[0] in _FORBIDDEN:
                raise self._err(
                    f"vary {path[0]!r} through {_FORBIDDEN[str(path[0])]}, not as a parameter", *loc, field_=name
                )
            for other, oname in seen.items():
                if path[: len(other)] == other or other[: len(path)] == path:
                    raise self._err(f"overlaps parameter {oname!r}", *loc, field_=name)
            for sp in set_paths:
                if path[: len(sp)] == sp or sp[: len(path)] == path:
                    raise self._err(f"also fixed under 'set' ({format_path(sp)})", *loc, field_=name)
            seen[path] = name
            self._where[name] = loc
            if spec.design == "grid":
                if ps.range is not None and ps.levels is None and not ps.integer:
                    raise self._err("a grid needs 'levels' for a continuous range", *loc, field_=name)
            elif ps.levels is not None:
                raise self._err(
                    f"'levels' applies to grid designs; a {spec.design} design samples the range",
                    *loc,
                    "levels",
                    field_=name,
                )
            self.params.append(Param(name, path, ps, self._line(*loc), loc))

    def _check_design(self) -> int:
        spec, d = self.spec, len(self.params)
        if spec.design == "grid":
            if spec.samples is not None:
                raise self._err("'samples' applies to sampled designs; a grid's size comes from its levels", "samples")
            n = math.prod(p.grid_size() for p in self.params)
        else:
            if spec.samples is None:
                raise self._err(f"a {spec.design} design needs 'samples'", "design")
            n = {
                "lhs": spec.samples,
                "random": spec.samples,
                "sobol": spec.samples * (d + 2),
                "morris": spec.samples * (d + 1),
            }[spec.design]
            if spec.design == "sobol" and spec.samples & (spec.samples - 1):
                raise self._err(
                    f"a sobol design needs samples to be a power of 2 (got {spec.samples}; "
                    f"try {1 << (spec.samples - 1).bit_length()})",
                    "samples",
                )
            if spec.design == "morris" and spec.morris_levels % 2:
                raise self._err("morris_levels must be even", "morris_levels")
        if n > MAX_POINTS:
            raise self._err(
                f"the design has {n:,} points, more than the limit of {MAX_POINTS:,}",
                "samples" if spec.design != "grid" else "parameters",
            )
        if n * spec.replicates > MAX_RUNS:
            raise self._err(
                f"{n:,} points x {spec.replicates:,} replicates = {n * spec.replicates:,} runs, more "
                f"than the limit of {MAX_RUNS:,}",
                "replicates",
            )
        return n

    def _sample(self, n: int) -> None:
        spec, d = self.spec, len(self.params)
        cols: dict[str, Any] = {}
        if spec.design == "grid":
            combos = list(itertools.product(*(p.grid_levels() for p in self.params)))
            for j, p in enumerate(self.params):
                cols[p.name] = [c[j] for c in combos]
        else:
            rng = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(_DESIGN_KEY,)))
            problem = self.problem()
            if spec.design == "random":
                unit = rng.random((n, d))
            elif spec.design == "lhs":
                from scipy.stats import qmc

                try:
                    sampler = qmc.LatinHypercube(d=d, rng=rng)
                except TypeError:  # scipy < 1.15
                    sampler = qmc.LatinHypercube(d=d, seed=rng)
                unit = sampler.random(n)
            elif spec.design == "sobol":
                from SALib.sample import sobol

                unit = sobol.sample(problem, spec.samples, calc_second_order=False, seed=rng)
            else:
                from SALib.sample import morris

                unit = morris.sample(problem, spec.samples, num_levels=spec.morris_levels, seed=rng)
            unit = np.clip(np.asarray(unit, dtype=float), 0.0, 1.0)
            self.unit = unit
            for j, p in enumerate(self.params):
                cols[p.name] = p.from_unit(unit[:, j])
        self.points = _points_frame(self.params, cols)

    def problem(self) -> dict[str, Any]:
        """The SALib problem: every parameter on the unit interval (values are mapped from it)."""
        return {
            "num_vars": len(self.params),
            "names": [p.name for p in self.params],
            "bounds": [[0.0, 1.0]] * len(self.params),
        }

    # ------------------------------------------------------------- scenarios per point
    def point_values(self, point: int) -> dict[str, Any]:
        row = self.points.iloc[point]
        return {p.name: _py(row[p.name]) for p in self.params}

    def scenario(self, values: dict[str, Any]) -> Scenario:
        """The scenario of one design point (``values``: parameter name -> value)."""
        return self._load(values)

    def _located(self, values: dict[str, Any]) -> Scenario:
        return self._load(values, located=True)

    def _check_alone(self, p: Param, value: Any) -> None:
        try:
            self.scenario({p.name: value})
        except InputError:
            try:
                self._located({p.name: value})
            except InputError as exc:
                where = (
                    ""
                    if exc.file == self.label
                    else f" (checked against {exc.file}"
                    + (f":{exc.line}" if exc.line else "")
                    + f", field {exc.field})"
                )
                raise InputError(
                    f"value {value!r} does not fit the scenario: {exc.message}{where}",
                    file=self.label,
                    line=p.line,
                    field=p.name,
                ) from None
            raise  # pragma: no cover - the located check found nothing the fast one did

    def check_point(self, point: int, values: dict[str, Any] | None = None) -> Scenario:
        """Validate one point; a bad one raises an InputError located in the sweep file."""
        values = self.point_values(point) if values is None else values
        try:
            return self.scenario(values)
        except InputError:
            pass
        for p in self.params:
            self._check_alone(p, values[p.name])
        try:
            self._located(values)
        except InputError as exc:
            shown = ", ".join(f"{k}={v!r}" for k, v in values.items())
            raise InputError(
                f"design point {point} ({shown}) is not a valid scenario: {exc.format()}",
                file=self.label,
                line=self._line("parameters"),
                field="parameters",
            ) from None
        raise InputError(f"design point {point} is not a valid scenario", file=self.label)  # pragma: no cover

    def validate_points(self, progress: bool | None = None) -> None:
        """Check each parameter at every value it takes, then every point, before anything runs."""
        for p in self.params:
            col = self.points[p.name]
            distinct = pd.unique(col) if p.kind in ("bool", "str") or p.spec.range is None else [col.min(), col.max()]
            for v in distinct:
                self._check_alone(p, _py(v))
        names = [p.name for p in self.params]
        rows: Any = self.points[names].itertuples(index=False, name=None)
        if progress if progress is not None else len(self.points) > 20_000:
            from tqdm.auto import tqdm

            rows = tqdm(rows, total=len(self.points), unit="point", desc="validating", leave=False)
        for i, row in enumerate(rows):
            self.check_point(i, dict(zip(names, (_py(v) for v in row), strict=True)))

    # ------------------------------------------------------------- identity
    def resolved(self) -> dict[str, Any]:
        """The spec as it runs (seed filled in), without what does not change results."""
        d = self.spec.model_dump(mode="json", exclude={"name", "description", "chunk_size", "base"})
        d["seed"] = self.seed
        d["parameters"] = {p.name: p.spec.model_dump(mode="json", exclude_defaults=True) for p in self.params}
        return d

    def hashes(self) -> dict[str, str]:
        return {"spec": _sha256(self.resolved()), "base": _sha256(self.base.to_dict())}

    @property
    def n_points(self) -> int:
        return len(self.points)

    @property
    def n_runs(self) -> int:
        return self.n_points * self.spec.replicates

    def __repr__(self) -> str:
        return (
            f"Sweep({self.name!r}, design={self.spec.design!r}, points={self.n_points:,}, "
            f"replicates={self.spec.replicates:,})"
        )


def _default_name(file: Path) -> str:
    stem = re.sub(r"[^A-Za-z0-9_]", "_", file.stem)
    return stem if re.fullmatch(_NAME, stem) else f"sweep_{stem}"


def _py(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _sha256(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _points_frame(params: list[Param], cols: dict[str, Any]) -> pd.DataFrame:
    out: dict[str, Any] = {}
    n = len(next(iter(cols.values())))
    out["point"] = np.arange(n, dtype=np.int64)
    for p in params:
        kind = p.kind
        dtype = {"int": np.int64, "float": np.float64, "bool": bool}.get(kind)
        out[p.name] = np.asarray(cols[p.name], dtype=dtype) if dtype else pd.array(cols[p.name], dtype="string")
    return pd.DataFrame(out)


def load_sweep(path: str | Path, *, progress: bool | None = None) -> Sweep:
    """Load and fully validate a sweep file: spec, base scenario, design size, and every point.

    Raises :class:`InputError` naming the sweep file, line and field of any problem.
    """
    file = Path(path)
    data, smap = load_yaml(file)
    label = str(file)
    if not isinstance(data, dict):
        raise InputError("a sweep file must be a mapping with 'base', 'parameters', 'design', ...", file=label)
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise _spec_error(exc, smap, label) from None
    sw = Sweep(file, spec, smap)
    sw._load_base()
    sw._check_params()
    n = sw._check_design()
    sw._sample(n)
    sw.validate_points(progress)
    return sw


# =========================================================================== chunks and workers


@dataclass(frozen=True)
class ChunkId:
    point: int
    first: int
    count: int

    @property
    def stem(self) -> str:
        return f"{self.point:07d}-{self.first:08d}"

    @property
    def part_name(self) -> str:
        return f"part-{self.stem}.parquet"


@dataclass
class _Task:
    scenario: Scenario
    point: int
    first: int
    count: int
    seed: int


@dataclass
class _Result:
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


def _run_chunk(task: _Task) -> _Result:
    """Worker side: one ensemble, returned as Parquet bytes; an exception becomes a failure record."""
    from .runner import simulate

    t0 = time.perf_counter()
    try:
        ids = np.arange(task.first, task.first + task.count, dtype=np.int64)
        chunk = simulate(task.scenario, ids, seed=task.seed, spawn_prefix=(task.point,), record="summary")
        sink = pa.BufferOutputStream()
        pq.write_table(runs_table(chunk.runs, task.point), sink, compression=_COMPRESSION)
        return _Result(task.point, task.first, data=sink.getvalue().to_pybytes(), seconds=time.perf_counter() - t0)
    except Exception as exc:
        return _Result(
            task.point,
            task.first,
            error=f"{type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(),
            seconds=time.perf_counter() - t0,
        )


def _worker_init() -> None:
    """Workers leave Ctrl-C to the coordinator, which cancels and shuts them down cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class InlineExecutor(Executor):
    """Runs each task in the calling process when submitted: the serial executor (``--workers 1``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except Exception as exc:
            fut.set_exception(exc)
        return fut


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def process_pool(workers: int) -> Executor:
    """A local process pool. Spawned, not forked: Mesa sets spawn anyway, and fork is unsafe with threads."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_init
    )


@contextlib.contextmanager
def dask_executor(
    scheduler: str | None = None, local: int | None = None, connect_timeout: float = 10.0
) -> Iterator[tuple[Executor, Callable[[], int]]]:
    """A Dask executor and a function giving its current thread count.

    ``scheduler``: address of a running cluster (e.g. one from dask-jobqueue);
    ``local``: start a LocalCluster of that many single-threaded worker processes.
    """
    field_ = "--scheduler" if scheduler else "--dask-local"
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("Dask is not installed: pip install 'hedgesim[dask]'", field=field_) from None
    cluster = None
    if scheduler:
        if not re.match(r"^[a-z+]+://", scheduler):
            raise InputError(f"scheduler address {scheduler!r} must look like tcp://host:8786", field=field_)
        try:
            client = Client(scheduler, timeout=connect_timeout)
        except Exception as exc:  # OSError/TimeoutError from distributed, anything from a bad address
            raise InputError(
                f"cannot reach the Dask scheduler at {scheduler} within {connect_timeout:g} s "
                f"({type(exc).__name__}: {exc})",
                field=field_,
            ) from None
    else:
        if local is None or local < 1:
            raise InputError(f"--dask-local needs a positive number of workers, got {local}", field=field_)
        import logging

        cluster = LocalCluster(
            n_workers=local, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.WARNING
        )
        client = Client(cluster)
    try:
        yield client.get_executor(pure=False), lambda: sum(client.nthreads().values())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# =========================================================================== the store


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
    figures: list[Path] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.failures and not self.interrupted and self.not_run == 0

    def results(self) -> SweepResults:
        return SweepResults.load(self.folder)


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM: finished chunks are kept; ``folder`` can be resumed."""

    def __init__(self, folder: Path, message: str) -> None:
        super().__init__(message)
        self.folder = folder
        self.message = message


def _link_new(tmp: Path, final: Path) -> bool:
    """Give ``tmp`` the name ``final`` unless that exists; never replaces. True if ours was placed."""
    try:
        os.link(tmp, final)
    except FileExistsError:
        return False
    except OSError:  # file system without hard links: rename, after checking (we hold the lock)
        if final.exists():
            return False
        os.rename(tmp, final)
        return True
    os.unlink(tmp)
    return True


class _Store:
    """A sweep folder: manifest, points, parts, failures; only this class writes to it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.parts = folder / "parts"
        self.failures = folder / "failures"
        self._lock_fh: Any = None

    # ---------------------------------------------------------------- create / open
    @classmethod
    def create(cls, folder: Path, sweep: Sweep, chunk_size: int, command: list[str] | None) -> _Store:
        """Make the folder with manifest and points, atomically (tmp dir + rename)."""
        import shutil
        import tempfile

        from .results import git_revision, versions

        if folder.exists():
            raise InputError(
                f"{folder} already exists; results are never overwritten (choose another --out or --resume it)",
                file=folder,
                field="--out",
            )
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".partial", dir=folder.parent))
        except OSError as exc:
            raise InputError(
                f"cannot write under {folder.parent}: {exc.strerror}", file=folder, field="--out"
            ) from None
        try:
            (tmp / "parts").mkdir()
            (tmp / "failures").mkdir()
            (tmp / "points.parquet").write_bytes(points_bytes(sweep.points))
            if sweep.unit is not None:
                unit = {"point": np.arange(len(sweep.unit), dtype=np.int64)}
                unit.update({p.name: sweep.unit[:, j] for j, p in enumerate(sweep.params)})
                _write_table(pa.table(unit), tmp / "design.parquet")
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
            os.rename(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        store = cls(folder)
        store.lock()
        return store

    @classmethod
    def open(cls, folder: Path, sweep: Sweep, label: str) -> tuple[_Store, dict[str, Any]]:
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
        """point -> sorted first replicates of the parts present."""
        out: dict[int, list[int]] = {}
        pat = re.compile(r"^part-(\d+)-(\d+)\.parquet$")
        for entry in os.scandir(self.parts):
            m = pat.match(entry.name)
            if m:
                out.setdefault(int(m.group(1)), []).append(int(m.group(2)))
        for firsts in out.values():
            firsts.sort()
        return out

    def write_part(self, chunk: ChunkId, data: bytes) -> None:
        tmp = self.parts / f".{chunk.part_name}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if not _link_new(tmp, self.parts / chunk.part_name):
            os.unlink(tmp)  # someone else finished it first; theirs is identical
        stale = self.failures / f"{chunk.stem}.json"
        if stale.exists():
            stale.unlink()

    def write_failure(self, chunk: ChunkId, values: dict[str, Any], error: str, tb: str | None) -> dict[str, Any]:
        rec = {
            "point": chunk.point,
            "replicates": [chunk.first, chunk.first + chunk.count - 1],
            "parameters": values,
            "error": error,
            "traceback": tb,
            "utc": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        write_atomic(self.failures / f"{chunk.stem}.json", (json.dumps(rec, indent=2, default=str) + "\n").encode())
        return rec

    def failure_records(self) -> list[dict[str, Any]]:
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
                    writer = pq.ParquetWriter(runs_tmp, table.schema, compression=_COMPRESSION)
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
                pq.write_table(empty, runs_tmp, compression=_COMPRESSION)
            else:
                writer.close()
                writer = None
            summary = _summary_table(points, params, replicates, n, counts, medians)
            sum_tmp = self.folder / f".summary.parquet.{os.getpid()}.tmp"
            _write_table(summary, sum_tmp)
            os.replace(runs_tmp, self.folder / "runs.parquet")
            os.replace(sum_tmp, self.folder / "summary.parquet")
        finally:
            if writer is not None:
                writer.close()
            for tmp in self.folder.glob(".*.parquet.*.tmp"):
                tmp.unlink()


def points_bytes(points: pd.DataFrame) -> bytes:
    """points.parquet's exact bytes (no pandas metadata, so they depend only on the design)."""
    sink = pa.BufferOutputStream()
    table = pa.Table.from_pandas(points, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table, sink, compression=_COMPRESSION, row_group_size=ROW_GROUP)
    return sink.getvalue().to_pybytes()


def _write_table(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression=_COMPRESSION, row_group_size=ROW_GROUP)


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
    from .analysis import wilson_interval

    cols: dict[str, Any] = {"point": points.column("point").combine_chunks()}
    for name in params:
        cols[name] = points.column(name).combine_chunks()
    cols["replicates"] = pa.array(np.full(len(points), replicates, dtype=np.int64))
    cols["n"] = pa.array(n)
    safe_n = np.maximum(n, 1)
    for key in OUTCOME_KEYS:
        k = counts[key]
        lo, hi = wilson_interval(k, safe_n)
        lo, hi = np.where(k == 0, 0.0, lo), np.where(k == n, 1.0, hi)  # exact at the edges, not 1e-17 off
        missing = n == 0
        cols[f"{key}_n"] = pa.array(k)
        cols[key] = pa.array(np.where(missing, np.nan, k / safe_n))
        cols[f"{key}_lo"] = pa.array(np.where(missing, np.nan, lo))
        cols[f"{key}_hi"] = pa.array(np.where(missing, np.nan, hi))
    for k, v in medians.items():
        cols[k] = pa.array(v)
    return pa.table(cols)


# =========================================================================== running


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
    figures: bool = False,
    command: list[str] | None = None,
    echo: Callable[[str], None] | None = None,
) -> SweepReport:
    """Run (or resume) a sweep into a run folder and build its final tables.

    ``executor``: any ``concurrent.futures.Executor`` (a Dask ``client.get_executor()``
    works); by default a spawned process pool of ``workers`` processes, or in-process
    when ``workers == 1``. Results do not depend on the executor, workers or chunk size.
    Failed chunks are recorded and reported in the returned :class:`SweepReport`;
    Ctrl-C or SIGTERM raises :class:`SweepInterrupted` after keeping finished chunks.
    """
    say = echo or (lambda msg: print(msg, file=sys.stderr))
    sw = sweep if isinstance(sweep, Sweep) else load_sweep(sweep)
    if out is not None and resume is not None:
        raise InputError("give either --out (a new sweep) or --resume (an existing one), not both", field="--out")
    if workers is not None and workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}", field="--workers")
    if chunk_size is not None and not 1 <= chunk_size <= 1_000_000:
        raise InputError(f"chunk size must be between 1 and 1,000,000, got {chunk_size}", field="--chunk-size")
    if resume is not None:
        store, manifest = _Store.open(Path(resume), sw, sw.label)
        size = int(manifest["chunk_size"])
        if chunk_size is not None and chunk_size != size:
            say(f"note: resuming with the folder's chunk size {size} (not {chunk_size})")
        if (store.folder / "points.parquet").read_bytes() != points_bytes(sw.points):
            say("note: this installation samples the design differently; resuming with the stored points")
            sw.points = pd.read_parquet(store.folder / "points.parquet")
    else:
        size = chunk_size or sw.spec.chunk_size
        folder = Path(out) if out is not None else _new_folder(Path(results_root), sw.name)
        store = _Store.create(folder, sw, size, command)
    try:
        return _run(sw, store, size, executor, workers, max_inflight, progress, figures, command, say)
    finally:
        store.unlock()


def _new_folder(root: Path, name: str) -> Path:
    from .results import new_run_folder

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


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _run(
    sw: Sweep,
    store: _Store,
    size: int,
    executor: Executor | None,
    workers: int | None,
    max_inflight: int | Callable[[], int] | None,
    progress: bool | None,
    figures: bool,
    command: list[str] | None,
    say: Callable[[str], None],
) -> SweepReport:
    from tqdm.auto import tqdm

    t0 = time.perf_counter()
    store.clean_tmp()
    done = store.done()
    done_set = {(p, f) for p, fs in done.items() for f in fs}
    reps = sw.spec.replicates
    n_chunks = sw.n_points * math.ceil(reps / size)
    report = SweepReport(store.folder, n_chunks, chunks_skipped=len(done_set))
    todo = (c for c in plan_chunks(sw.n_points, reps, size) if (c.point, c.first) not in done_set)
    done_runs = sum(min(size, reps - f) for p, fs in done.items() for f in fs)

    own = executor is None
    n_workers = workers or default_workers()
    if own:
        executor = InlineExecutor() if n_workers == 1 else process_pool(n_workers)
    elif workers is None:
        n_workers = getattr(executor, "_max_workers", None) or default_workers()
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

    cache: dict[int, Scenario] = {}

    def task(c: ChunkId) -> _Task:
        sc = cache.get(c.point)
        if sc is None:
            cache.clear()
            sc = cache[c.point] = sw.check_point(c.point)
        return _Task(sc, c.point, c.first, c.count, sw.seed)

    pending: dict[Future, ChunkId] = {}
    broken: str | None = None
    bar = tqdm(
        total=sw.n_runs,
        initial=done_runs,
        unit="run",
        unit_scale=True,
        dynamic_ncols=True,
        disable=(not progress) if progress is not None else None,
        desc=sw.name,
        smoothing=0.05,
    )

    def collect(fut: Future, c: ChunkId) -> None:
        nonlocal broken
        try:
            res: _Result = fut.result()
        except BaseException as exc:  # the executor failed, not the model (a dead worker, a lost connection)
            if isinstance(exc, KeyboardInterrupt):
                raise
            if isinstance(exc, BrokenProcessPool):
                broken = f"{type(exc).__name__}: {exc}"
            res = _Result(
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
        with _sigterm_as_interrupt():
            try:
                exhausted = False
                while True:
                    cap = limit()
                    while not exhausted and broken is None and len(pending) < cap:
                        c = next(todo, None)
                        if c is None:
                            exhausted = True
                            break
                        try:
                            fut = executor.submit(_run_chunk, task(c))
                        except BrokenProcessPool as exc:
                            broken = f"{type(exc).__name__}: {exc}"
                            report.failures.append(store.write_failure(c, sw.point_values(c.point), broken, None))
                            break
                        pending[fut] = c
                    if not pending:
                        break
                    finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                    for fut in finished:
                        collect(fut, pending.pop(fut))
            except KeyboardInterrupt:
                report.interrupted = True
                for fut in pending:
                    fut.cancel()
                if own:
                    executor.shutdown(wait=True, cancel_futures=True)
                for fut, c in list(pending.items()):  # keep what finished while we stopped
                    if fut.done() and not fut.cancelled():
                        collect(fut, c)
    finally:
        bar.close()
        if own and not report.interrupted:
            executor.shutdown(wait=True, cancel_futures=True)

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
    if report.chunks_run or not (store.folder / "runs.parquet").exists():
        store.build_tables(pq.read_table(store.folder / "points.parquet"), reps, [p.name for p in sw.params])
        if figures and report.complete:
            report.figures = SweepResults.load(store.folder).write_figures()
    return report


# =========================================================================== reading results


class SweepResults:
    """A finished (or partly failed) sweep read back from its folder.

    ``points``: a row per design point; ``summary``: outcome shares per point with 95%
    Wilson intervals; ``runs`` (read on first use; may be large): a row per replicate.
    """

    def __init__(self, folder: Path, manifest: dict[str, Any], points: pd.DataFrame, summary: pd.DataFrame) -> None:
        self.folder = folder
        self.manifest = manifest
        self.points = points
        self.summary = summary
        self._runs: pd.DataFrame | None = None

    @classmethod
    def load(cls, folder: str | Path) -> SweepResults:
        folder = Path(folder)
        try:
            manifest = json.loads((folder / "manifest.json").read_text())
        except (OSError, ValueError):
            raise InputError("not a sweep folder (no readable manifest.json)", file=folder) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise InputError("not a sweep folder (the manifest is not a sweep's)", file=folder)
        if not (folder / "summary.parquet").exists():
            raise InputError(
                "the sweep has not finished (no summary.parquet): resume it with "
                f"hedgesim sweep SWEEP --resume {folder}",
                file=folder,
            )
        return cls(
            folder, manifest, pd.read_parquet(folder / "points.parquet"), pd.read_parquet(folder / "summary.parquet")
        )

    def __repr__(self) -> str:
        return (
            f"SweepResults({self.manifest['name']!r}, design={self.design!r}, points={len(self.points):,}, "
            f"replicates={self.manifest['replicates']:,})"
        )

    @property
    def params(self) -> list[str]:
        return list(self.manifest["parameters"])

    @property
    def design(self) -> str:
        return str(self.manifest["design"])

    @property
    def runs(self) -> pd.DataFrame:
        if self._runs is None:
            from .catalogue import OUTCOMES

            runs = pd.read_parquet(self.folder / "runs.parquet")
            runs["outcome"] = pd.Categorical(runs["outcome"], categories=list(OUTCOMES))
            runs["side"] = pd.Categorical(runs["side"], categories=["", "patron", "bloc"])
            self._runs = runs
        return self._runs

    @property
    def unit(self) -> pd.DataFrame | None:
        path = self.folder / "design.parquet"
        return pd.read_parquet(path) if path.exists() else None

    @property
    def failures(self) -> list[dict[str, Any]]:
        return _Store(self.folder).failure_records()

    def _param(self, name: str) -> str:
        if name in self.params:
            return name
        try:
            canon = format_path(parse_path(name))
        except InputError:
            canon = name
        if canon not in self.params:
            raise InputError(f"unknown parameter {name!r} (swept: {', '.join(self.params)})", field="param")
        return canon

    def plot_parameter(self, param: str, outcomes: Sequence[str] | None = None, bins: int = 10) -> Any:
        """Outcome shares along one parameter, pooled over the others, with 95% Wilson intervals."""
        from .sweep_plots import plot_parameter

        return plot_parameter(
            self.summary, self._param(param), outcomes=outcomes, bins=bins, sampled=self.design != "grid"
        )

    def plot_phase(self, param_x: str, param_y: str, outcome: str | None = "escalation", bins: int = 12) -> Any:
        """Share of an outcome (every outcome if None) over two parameters."""
        from .sweep_plots import plot_phase

        return plot_phase(
            self.summary,
            self._param(param_x),
            self._param(param_y),
            outcome=outcome,
            bins=bins,
            sampled=self.design != "grid",
        )

    def sensitivity(self, outcomes: Sequence[str] | None = None, num_resamples: int = 1000) -> pd.DataFrame:
        """SALib indices of each outcome's probability: S1/ST (sobol) or mu*/sigma (morris), with 95% intervals."""
        from .sweep_plots import sensitivity

        return sensitivity(self, outcomes=outcomes, num_resamples=num_resamples)

    def plot_sensitivity(self, table: pd.DataFrame | None = None) -> Any:
        from .sweep_plots import plot_sensitivity

        return plot_sensitivity(self.sensitivity() if table is None else table, self.design)

    def write_figures(
        self, params: Sequence[str] | None = None, phases: Sequence[tuple[str, str]] | None = None
    ) -> list[Path]:
        """Write figures (and sensitivity tables) into the folder; never replaces an existing file."""
        from .sweep_plots import write_figures

        return write_figures(
            self,
            params=[self._param(p) for p in params] if params else None,
            phases=[(self._param(x), self._param(y)) for x, y in phases] if phases else None,
        )


__all__ = [
    "DESIGNS",
    "MAX_POINTS",
    "MAX_RUNS",
    "InlineExecutor",
    "ParamSpec",
    "Sweep",
    "SweepInterrupted",
    "SweepReport",
    "SweepResults",
    "SweepSpec",
    "dask_executor",
    "is_sweep_file",
    "load_sweep",
    "plan_chunks",
    "process_pool",
    "run_sweep",
]
