"""Saltelli's scheme for Sobol indices (SALib): N (d + 2) points for first-order and total indices."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .base import Design, ParamLike, SpecLike, register_design


@register_design
class Sobol(Design):
    """``samples`` base samples N (a power of 2), expanded to N (d + 2) points."""

    name = "sobol"
    indices = "sobol"
    samples_meaning = "base samples N (a power of 2; the design has N (d + 2) points)"

    def check(self, spec: SpecLike) -> tuple[str, str] | None:
        """``samples`` must be given and be a power of 2 (Sobol sequences need it)."""
        problem = super().check(spec)
        if problem is None and spec.samples is not None and spec.samples & (spec.samples - 1):
            return (
                f"a sobol design needs samples to be a power of 2 (got {spec.samples}; "
                f"try {1 << (spec.samples - 1).bit_length()})",
                "samples",
            )
        return problem

    def size(self, spec: SpecLike, params: Sequence[ParamLike]) -> int:
        """N (d + 2) points."""
        return int(spec.samples or 0) * (len(params) + 2)

    def unit(self, spec: SpecLike, params: Sequence[ParamLike], rng: np.random.Generator) -> np.ndarray:
        """SALib's Saltelli sample, without second-order terms."""
        from SALib.sample import sobol

        return sobol.sample(self.problem(params), spec.samples, calc_second_order=False, seed=rng)
