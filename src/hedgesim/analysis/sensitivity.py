"""Sensitivity indices of outcome probabilities over a sweep's design (SALib).

Each design point's estimated outcome share is the model output; the binomial noise
of a finite number of replicates adds to the estimated variance, so points need
enough replicates (docs/sweeps.md). Indices are per unit of each parameter's
normalised range (the design's unit cube).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd


def _problem(names: Sequence[str]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def sobol_indices(
    names: Sequence[str], outputs: Mapping[str, np.ndarray], *, seed: int, num_resamples: int = 1000
) -> pd.DataFrame:
    """First-order S1 and total ST with 95% bootstrap intervals, per output and parameter.

    ``outputs`` maps an outcome key to its share at every point, in the design's order.
    """
    from SALib.analyze import sobol

    rows: list[dict[str, Any]] = []
    for key, y in outputs.items():
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            si = sobol.analyze(
                _problem(names),
                np.asarray(y, dtype=float),
                calc_second_order=False,
                num_resamples=num_resamples,
                conf_level=0.95,
                seed=seed,
            )
        for j, name in enumerate(names):
            rows.append(
                {
                    "outcome": key,
                    "parameter": name,
                    "S1": si["S1"][j],
                    "S1_conf": si["S1_conf"][j],
                    "ST": si["ST"][j],
                    "ST_conf": si["ST_conf"][j],
                }
            )
    return pd.DataFrame(rows)


def morris_indices(
    names: Sequence[str],
    unit: np.ndarray,
    outputs: Mapping[str, np.ndarray],
    *,
    levels: int,
    seed: int,
    num_resamples: int = 1000,
) -> pd.DataFrame:
    """mu, mu* (with its 95% interval) and sigma of the elementary effects, per output and parameter.

    ``unit`` holds the design's unit-cube coordinates, a row per point in the design's order.
    """
    from SALib.analyze import morris

    rows: list[dict[str, Any]] = []
    for key, y in outputs.items():
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            si = morris.analyze(
                _problem(names),
                unit,
                np.asarray(y, dtype=float),
                num_resamples=num_resamples,
                conf_level=0.95,
                num_levels=levels,
                seed=seed,
            )
        for j, name in enumerate(names):
            rows.append(
                {
                    "outcome": key,
                    "parameter": name,
                    "mu": si["mu"][j],
                    "mu_star": si["mu_star"][j],
                    "mu_star_conf": si["mu_star_conf"][j],
                    "sigma": si["sigma"][j],
                }
            )
    return pd.DataFrame(rows)
