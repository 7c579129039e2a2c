"""The prior sample calibration starts from: parameter vectors shared by every case.

Every case runs on the same vectors, so the likelihood of a vector is the product of its
cases' likelihoods and leaving a case out is a reweighting (:mod:`.weights`). The vectors
are a Latin hypercube (:mod:`scipy.stats.qmc`) on the unit cube, mapped through each
parameter's prior quantile function: the same prior as ``uncertainty: prior``, stratified
so that a few thousand vectors cover every marginal evenly.

A parameter belongs to the vector when some case leaves it to the prior: the structural
parameters and the parameters of every decision rule the cases use. Facts tagged [E]/[U]
and private types stay per-replicate nuisance: each case draws them afresh for every
replicate, so they are integrated out within a vector's replicates, not estimated.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import qmc

from ..ensemble import Item, plan
from ..scenario import Scenario

#: Prefix of the unit-cube coordinates of a vector in the stored table.
U_PREFIX = "u."


def parameter_items(scenarios: Sequence[Scenario]) -> dict[str, Item]:
    """Every parameter some scenario leaves to its prior, by ``draw.`` column, in a stable order.

    A parameter's prior depends only on its name and its field (:mod:`hedgesim.calibration.priors`),
    so the item is the same whichever scenario lists it first.
    """
    items: dict[str, Item] = {}
    for sc in scenarios:
        p = plan(sc, "prior")
        for _name, item, drawn in p.params:
            if drawn:
                items.setdefault(item.column, item)
        for _rule, _param, item, actors in p.rules:
            if actors:
                items.setdefault(item.column, item)
    return dict(sorted(items.items()))


def prior_vectors(items: dict[str, Item], n: int, seed: int) -> pd.DataFrame:
    """``n`` vectors from the priors: ``theta_id``, the unit-cube coordinates and the values.

    Raises:
        ValueError: ``n`` is not positive or no parameter is uncertain.
    """
    if n < 1:
        raise ValueError(f"need at least one vector, got {n}")
    if not items:
        raise ValueError("no case leaves a parameter to its prior: there is nothing to calibrate")
    cols = list(items)
    u = qmc.LatinHypercube(d=len(cols), seed=np.random.default_rng(seed)).random(n)
    out: dict[str, np.ndarray] = {"theta_id": np.arange(n, dtype=np.int64)}
    for i, c in enumerate(cols):
        out[U_PREFIX + c] = u[:, i]
    for i, c in enumerate(cols):
        out[c] = np.asarray(items[c].sample(u[:, i]), dtype=float)
    return pd.DataFrame(out)


def value_columns(vectors: pd.DataFrame) -> list[str]:
    """The parameter columns of a vector table (``draw.*``)."""
    return [c for c in vectors.columns if c.startswith("draw.")]
