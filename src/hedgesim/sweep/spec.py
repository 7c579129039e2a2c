"""The schema of sweep files: the parameters that vary, how, and the design that places points.

A sweep file names a base scenario, fixed overrides (``set:``), the parameters to vary
(``--set`` paths with ``values`` or a ``range``), a design, and the replicates per point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from ..scenario import MAX_REPLICATES
from .designs import DESIGNS

#: Largest design (points) and sweep (points x replicates) accepted: beyond these a
#: sweep would not finish on any cluster we know of, so it is surely a typo.
MAX_POINTS = 1_000_000
MAX_RUNS = 1_000_000_000
MAX_PARAMETERS = 64
MAX_VALUES = 10_000
DEFAULT_CHUNK = 5_000  # ~1 s of work: large enough to amortise a chunk's fixed cost, small enough to spread
NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"

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

    name: str | None = Field(None, pattern=NAME_PATTERN, max_length=80, description="default: the file name")
    description: str = ""
    base: str = Field(description="the base scenario, a path relative to the sweep file")
    set: dict[str, Any] = Field(default_factory=dict, description="fixed overrides applied to every point")
    parameters: dict[str, ParamSpec] = Field(
        min_length=1, max_length=MAX_PARAMETERS, description="override path -> how it varies"
    )
    design: str = Field("grid", json_schema_extra={"enum": list(DESIGNS)}, description="how points are placed")
    samples: int | None = Field(
        None, ge=1, le=MAX_POINTS, description="lhs/random: points; sobol: base samples N; morris: trajectories"
    )
    replicates: int = Field(100, ge=1, le=MAX_REPLICATES, description="replicates per point")
    seed: int | None = Field(None, ge=0, lt=2**63, description="default: the base scenario's seed")
    record: str = Field("summary", description="only 'summary' for sweeps")
    uncertainty: Literal["none", "prior", "posterior"] | None = Field(
        None, description="what each replicate draws at every point (default: the base scenario's)"
    )
    record_draws: bool = Field(
        False, description="keep each replicate's drawn parameters in runs.parquet (about 130 columns)"
    )
    chunk_size: int = Field(DEFAULT_CHUNK, ge=1, le=1_000_000, description="replicates per chunk (memory, not results)")
    morris_levels: int = Field(4, ge=2, le=100, description="morris designs: levels of the grid")

    @field_validator("design")
    @classmethod
    def _known_design(cls, v: str) -> str:
        if v not in DESIGNS:
            raise ValueError(f"unknown design {v!r} (known: {', '.join(DESIGNS)})")
        return v

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
        """int, float, bool or str: the type of the values the parameter takes."""
        if self.spec.range is not None:
            return "int" if self.spec.integer else "float"
        kind = _scalar_kind(self.spec.values[0])  # type: ignore[index]
        if kind == "number":
            return "int" if all(isinstance(v, int) for v in self.spec.values) else "float"  # type: ignore[union-attr]
        return kind

    def grid_levels(self) -> list[Any]:
        """The values a grid takes: the listed values, or evenly (or log-) spaced levels."""
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
        """How many values a grid takes."""
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
