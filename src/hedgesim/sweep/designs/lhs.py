"""Latin hypercube sampling (scipy.stats.qmc)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .base import Design, ParamLike, SpecLike, register_design


@register_design
class LatinHypercube(Design):
    """``samples`` points, each parameter's range cut into ``samples`` strata hit once each."""

    name = "lhs"

    def unit(self, spec: SpecLike, params: Sequence[ParamLike], rng: np.random.Generator) -> np.ndarray:
        """Points from scipy's LatinHypercube on the design's own random stream."""
        from scipy.stats import qmc

        try:
            sampler = qmc.LatinHypercube(d=len(params), rng=rng)
        except TypeError:  # scipy < 1.15
            sampler = qmc.LatinHypercube(d=len(params), seed=rng)
        return sampler.random(int(spec.samples or 0))
