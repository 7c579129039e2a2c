"""Morris elementary effects (SALib): trajectories of d + 1 points on a grid of levels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .base import Design, ParamLike, SpecLike, register_design


@register_design
class Morris(Design):
    """``samples`` trajectories of d + 1 points each, on ``morris_levels`` levels (even)."""

    name = "morris"
    indices = "morris"
    samples_meaning = "trajectories (the design has r (d + 1) points)"

    def check(self, spec: SpecLike) -> tuple[str, str] | None:
        """``samples`` must be given and the number of levels even."""
        problem = super().check(spec)
        if problem is None and spec.morris_levels % 2:
            return "morris_levels must be even", "morris_levels"
        return problem

    def size(self, spec: SpecLike, params: Sequence[ParamLike]) -> int:
        """The number of points: trajectories times (parameters + 1)."""
        return int(spec.samples or 0) * (len(params) + 1)

    def unit(self, spec: SpecLike, params: Sequence[ParamLike], rng: np.random.Generator) -> np.ndarray:
        """SALib's Morris sample."""
        from SALib.sample import morris

        return morris.sample(self.problem(params), spec.samples, num_levels=spec.morris_levels, seed=rng)
