"""What a sweep design is: its size, its checks, its sampler, and the indices it supports.

A design is one class registered with :func:`register_design`; the sweep reads
everything design-specific from it, so a new design is one new module (as SALib keeps
one module per sampler and the EMA Workbench one ``AbstractSampler`` per design).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

import numpy as np


class ParamLike(Protocol):
    """A swept parameter as a design sees it (see :class:`hedgesim.sweep.spec.Param`)."""

    name: str

    def grid_levels(self) -> list[Any]:
        """The values a grid takes."""

    def grid_size(self) -> int:
        """How many values a grid takes."""


class SpecLike(Protocol):
    """The parts of a sweep file a design reads."""

    samples: int | None
    morris_levels: int


class Design:
    """One kind of design.

    Attributes:
        name: the value of ``design:`` in a sweep file.
        sampled: points are drawn in the unit cube from ``samples`` (False: a grid of levels).
        indices: the sensitivity analysis the design supports ("sobol", "morris" or None).
        samples_meaning: what ``samples`` counts, for messages and docs.
    """

    name: ClassVar[str] = ""
    sampled: ClassVar[bool] = True
    indices: ClassVar[str | None] = None
    samples_meaning: ClassVar[str] = "points"

    def check_param(self, *, has_range: bool, levels: int | None, integer: bool) -> tuple[str, str | None] | None:
        """A problem with one parameter's spec under this design: (message, the offending key), or None."""
        if levels is not None:
            return f"'levels' applies to grid designs; a {self.name} design samples the range", "levels"
        return None

    def check(self, spec: SpecLike) -> tuple[str, str] | None:
        """A problem with the sweep file under this design: (message, the offending field), or None."""
        if spec.samples is None:
            return f"a {self.name} design needs 'samples'", "design"
        return None

    def size(self, spec: SpecLike, params: Sequence[ParamLike]) -> int:
        """The number of design points."""
        return int(spec.samples or 0)

    def unit(self, spec: SpecLike, params: Sequence[ParamLike], rng: np.random.Generator) -> np.ndarray:
        """Unit-cube coordinates, a row per point and a column per parameter."""
        raise NotImplementedError

    def problem(self, params: Sequence[ParamLike]) -> dict[str, Any]:
        """The SALib problem: every parameter on the unit interval (values are mapped from it)."""
        return {"num_vars": len(params), "names": [p.name for p in params], "bounds": [[0.0, 1.0]] * len(params)}


DESIGNS: dict[str, Design] = {}


def register_design(cls: type[Design]) -> type[Design]:
    """Class decorator adding a design to the registry under its ``name``."""
    DESIGNS[cls.name] = cls()
    return cls
