"""Choosing which parameters to calibrate: the ones the cases' outcomes are sensitive to.

Importance sampling from the prior breaks down in many dimensions: with every one of
about 140 parameters in the vector, a first calibration kept an effective sample of 25
vectors out of 4,096 and a Pareto k above 1, so its posterior could not be trusted. Most
parameters barely move any case's outcome, though. So calibration runs in two stages:

1. **Screening.** Every parameter is drawn from its prior (a Latin hypercube) and every
   case is run a few times per vector. For each case and outcome, the share of replicates
   ending in it is an output; each parameter's first-order sensitivity index on it is
   estimated from these given data by RBD-FAST (:mod:`SALib.analyze.rbd_fast`, with its
   bias correction). A parameter's influence is its largest index over all outputs.
2. **Calibration** of the most influential parameters only. The rest stay uncertain:
   each replicate draws them from their priors, so the likelihood integrates over them
   (as over the facts' nuisance values) and the posterior is about the parameters the
   cases can speak to.

The screening looks at how outcomes vary, never at what happened: the observed outcomes
play no part in choosing the parameters.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from SALib.analyze import rbd_fast

from ..core import OUTCOME_NAMES
from .design import U_PREFIX, value_columns
from .tasks import COUNT_COLUMNS

#: Harmonics RBD-FAST sums (SALib's default).
HARMONICS = 10


def screening(vectors: pd.DataFrame, counts: Mapping[str, pd.DataFrame], replicates: int, keep: int) -> pd.DataFrame:
    """Each parameter's influence on the cases' outcome shares, most influential first.

    Returns one row per parameter: ``influence`` (the largest bias-corrected first-order
    index over every case and outcome), the output where it is largest, and ``calibrated``
    for the ``keep`` most influential.
    """
    cols = value_columns(vectors)
    X = vectors[[U_PREFIX + c for c in cols]].to_numpy(dtype=float)
    problem = {"num_vars": len(cols), "names": cols, "bounds": [[0.0, 1.0]] * len(cols)}
    best = np.full(len(cols), -np.inf)
    where = np.array([""] * len(cols), dtype=object)
    for case, df in counts.items():
        df = df.sort_values("theta_id")
        if not np.array_equal(df["theta_id"].to_numpy(), vectors["theta_id"].to_numpy()):
            raise ValueError(f"case {case}: screening counts do not match the vectors")
        for outcome, col in zip(OUTCOME_NAMES, COUNT_COLUMNS, strict=True):
            y = df[col].to_numpy(dtype=float) / replicates
            if np.ptp(y) == 0:
                continue  # an outcome no vector changes says nothing about any parameter
            with np.errstate(all="ignore"):  # a bootstrap half-sample with no variance: its index is unused
                res = rbd_fast.analyze(problem, X, y, M=HARMONICS, num_resamples=2, seed=0)
            s1 = np.nan_to_num(np.asarray(res["S1"], dtype=float), nan=-np.inf)
            better = s1 > best
            best[better] = s1[better]
            where[better] = f"{case}: {outcome}"
    order = np.argsort(-best, kind="stable")
    out = pd.DataFrame(
        {
            "parameter": [cols[i].removeprefix("draw.") for i in order],
            "influence": best[order],
            "largest_on": where[order],
        }
    )
    out["calibrated"] = np.arange(len(out)) < keep
    return out
