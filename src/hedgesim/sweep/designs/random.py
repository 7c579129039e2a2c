"""Independent uniform points (a numpy Generator on the sweep's seed)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .base import Design, ParamLike, SpecLike, register_design


@register_design
class Random(Design):
    """``samples`` points drawn uniformly and independently."""

    name = "random"

    def unit(self, spec: SpecLike, params: Sequence[ParamLike], rng: np.random.Generator) -> np.ndarray:
        """Uniform draws from the design's own random stream."""
        return rng.random((int(spec.samples or 0), len(params)))
