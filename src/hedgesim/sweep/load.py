"""A sweep file, loaded and checked: its base scenario, parameters, design points, every point valid.

:func:`load_sweep` validates the whole sweep before anything runs: the spec, the base
scenario (exactly as ``hedgesim run --set`` loads it), the design's size, and every
design point, each problem located in the sweep file.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from ..errors import InputError
from ..scenario import (
    Scenario,
    SourceMap,
    format_path,
    load_scenario,
    load_with_extends,
    load_yaml,
    parse_path,
    set_path,
)
from .designs import DESIGNS
from .spec import MAX_POINTS, MAX_RUNS, NAME_PATTERN, Param, SweepSpec

_DESIGN_KEY = 2**32 - 1  # spawn key of the design sampler's stream; points use two-element keys
_FORBIDDEN = {"seed": "the sweep's 'seed'", "replicates": "the sweep's 'replicates'"}


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
        if self.spec.uncertainty is not None:
            self._fixed["uncertainty"], self._where["uncertainty"] = self.spec.uncertainty, ("uncertainty",)
            data["uncertainty"] = self.spec.uncertainty
        self._base_data = data
        self.base: Scenario = self._load({}, located=True)
        self.seed = self.base.seed if self.spec.seed is None else self.spec.seed

    def _load(self, values: dict[str, Any], located: bool = False) -> Scenario:
        """One point's scenario through :func:`load_scenario`, so facts, overrides and checks are the CLI's.

        The fast path starts from the resolved base data; the located one re-reads the
        base file so that an error names a line, in the base or (for an override) in the
        sweep file.
        """
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
            problem = DESIGNS[spec.design].check_param(
                has_range=ps.range is not None, levels=ps.levels, integer=ps.integer
            )
            if problem is not None:
                message, key = problem
                raise self._err(message, *loc, *((key,) if key else ()), field_=name)
            self.params.append(Param(name, path, ps, self._line(*loc), loc))

    def _check_design(self) -> int:
        spec = self.spec
        design = DESIGNS[spec.design]
        problem = design.check(spec)
        if problem is not None:
            message, field_ = problem
            raise self._err(message, field_)
        n = design.size(spec, self.params)
        if n > MAX_POINTS:
            raise self._err(
                f"the design has {n:,} points, more than the limit of {MAX_POINTS:,}",
                "samples" if design.sampled else "parameters",
            )
        if n * spec.replicates > MAX_RUNS:
            raise self._err(
                f"{n:,} points x {spec.replicates:,} replicates = {n * spec.replicates:,} runs, more "
                f"than the limit of {MAX_RUNS:,}",
                "replicates",
            )
        return n

    def _sample(self, n: int) -> None:
        design = DESIGNS[self.spec.design]
        cols: dict[str, Any] = {}
        if not design.sampled:
            combos = design.combinations(self.params)  # type: ignore[attr-defined]
            for j, p in enumerate(self.params):
                cols[p.name] = [c[j] for c in combos]
        else:
            rng = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(_DESIGN_KEY,)))
            unit = np.clip(np.asarray(design.unit(self.spec, self.params, rng), dtype=float), 0.0, 1.0)
            self.unit = unit
            for j, p in enumerate(self.params):
                cols[p.name] = p.from_unit(unit[:, j])
        self.points = _points_frame(self.params, cols)

    def problem(self) -> dict[str, Any]:
        """The SALib problem: every parameter on the unit interval (values are mapped from it)."""
        return DESIGNS[self.spec.design].problem(self.params)

    # ------------------------------------------------------------- scenarios per point
    def point_values(self, point: int) -> dict[str, Any]:
        """Parameter name -> value at one design point."""
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
            from ..util import progress_bar

            rows = progress_bar(iterable=rows, total=len(self.points), unit="point", desc="validating", leave=False)
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
        """sha256 of the resolved spec and of the base scenario: what identifies a sweep for resume."""
        return {"spec": _sha256(self.resolved()), "base": _sha256(self.base.to_dict())}

    @property
    def n_points(self) -> int:
        """The number of design points."""
        return len(self.points)

    @property
    def n_runs(self) -> int:
        """Points x replicates."""
        return self.n_points * self.spec.replicates

    def __repr__(self) -> str:
        return (
            f"Sweep({self.name!r}, design={self.spec.design!r}, points={self.n_points:,}, "
            f"replicates={self.spec.replicates:,})"
        )


def _default_name(file: Path) -> str:
    stem = re.sub(r"[^A-Za-z0-9_]", "_", file.stem)
    return stem if re.fullmatch(NAME_PATTERN, stem) else f"sweep_{stem}"


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

    Raises:
        InputError: any problem, naming the sweep file, line and field.
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
