"""A full factorial grid: every combination of every parameter's levels."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

from .base import Design, ParamLike, SpecLike, register_design


@register_design
class Grid(Design):
    """Each parameter's values (or evenly spaced levels of its range), every combination."""

    name = "grid"
    sampled = False
    samples_meaning = "(not used: a grid's size comes from its levels)"

    def check_param(self, *, has_range: bool, levels: int | None, integer: bool) -> tuple[str, str | None] | None:
        """A continuous range needs its levels."""
        if has_range and levels is None and not integer:
            return "a grid needs 'levels' for a continuous range", None
        return None

    def check(self, spec: SpecLike) -> tuple[str, str] | None:
        """A grid takes no ``samples``."""
        if spec.samples is not None:
            return "'samples' applies to sampled designs; a grid's size comes from its levels", "samples"
        return None

    def size(self, spec: SpecLike, params: Sequence[ParamLike]) -> int:
        """The product of the parameters' numbers of levels."""
        return math.prod(p.grid_size() for p in params)

    def combinations(self, params: Sequence[ParamLike]) -> list[tuple[Any, ...]]:
        """Every combination of levels, the first parameter varying slowest."""
        return list(itertools.product(*(p.grid_levels() for p in params)))
