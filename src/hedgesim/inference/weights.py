"""From outcome counts to a posterior: likelihoods, importance weights, leave-one-out.

The vectors are a sample from the prior, so the posterior is the same vectors reweighted by
their likelihood (importance sampling with the prior as proposal). A vector's likelihood
for a case is the chance the model gives the observed outcome, estimated from its ``K``
replicates with Jeffreys' smoothing, ``(n_observed + 1/2) / (K + 3/2)`` (three outcomes),
so no vector is ruled out by a finite sample; over cases the likelihoods multiply (the
cases are independent given the parameters). The estimate is unbiased up to the smoothing,
so this is pseudo-marginal importance sampling: its noise widens the weights, it does not
shift them.

Raw importance weights can be dominated by a few vectors. They are stabilised by Pareto
smoothing (PSIS, Vehtari et al. 2024, through :mod:`arviz_stats`), whose shape estimate
``k`` says when they cannot be trusted (above 0.7). Leaving a case out is the same
computation without its factor, so leave-one-case-out prediction costs no new simulation
and is exactly what calibrating without the case on the same vectors would give.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from arviz_stats.base import array_stats

from ..core import OUTCOME_NAMES
from .tasks import COUNT_COLUMNS

#: Pareto k above which importance weights are unreliable (Vehtari et al. 2024).
K_HAT_LIMIT = 0.7


def smoothed(counts: pd.DataFrame, replicates: int) -> np.ndarray:
    """Per vector, the model's chance of each outcome: (count + 1/2) / (K + 3/2), rows sum to one."""
    n = counts[list(COUNT_COLUMNS)].to_numpy(dtype=float)
    return (n + 0.5) / (replicates + 0.5 * len(COUNT_COLUMNS))


def log_likelihoods(
    counts: Mapping[str, pd.DataFrame],
    observed: Mapping[str, str],
    replicates: int,
    n_vectors: int,
    first: int = 0,
) -> pd.DataFrame:
    """A vectors x cases table of log likelihoods of each case's observed outcome.

    Raises:
        ValueError: a case's counts do not cover every vector (``first`` to ``first + n_vectors - 1``) once.
    """
    out = {}
    for case, df in counts.items():
        ids = df["theta_id"].to_numpy()
        if len(ids) != n_vectors or not np.array_equal(np.sort(ids), np.arange(first, first + n_vectors)):
            raise ValueError(f"case {case}: counts cover {len(ids)} of {n_vectors} vectors")
        p = smoothed(df.sort_values("theta_id"), replicates)
        out[case] = np.log(p[:, OUTCOME_NAMES.index(observed[case])])
    return pd.DataFrame(out)


def psis_weights(log_ratio: np.ndarray) -> tuple[np.ndarray, float]:
    """Pareto-smoothed, normalised importance weights and their shape estimate ``k``."""
    lr = np.asarray(log_ratio, dtype=float)
    lr = lr - lr.max()
    if np.ptp(lr) == 0:
        return np.full(len(lr), 1 / len(lr)), -np.inf  # a flat likelihood: the prior itself
    try:
        with np.errstate(all="ignore"):
            lw, k = array_stats.psislw(-lr)  # arviz-stats takes the negative log ratio, as in PSIS-LOO
        w = np.exp(np.asarray(lw, dtype=float))
        ok = bool(np.all(np.isfinite(w))) and w.sum() > 0 and np.isfinite(k)
    except ValueError:
        ok = False
    if not ok:  # a tail of tied values (few distinct counts): no Pareto fit, so the raw weights
        w, k = np.exp(lr), float("nan")
    return w / w.sum(), float(k)


def ess(weights: np.ndarray) -> float:
    """Kish's effective sample size."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / np.sum(w**2))


def predictive(counts: pd.DataFrame, replicates: int, weights: np.ndarray) -> np.ndarray:
    """The weighted mixture of the vectors' outcome chances for one case (three probabilities)."""
    p = smoothed(counts.sort_values("theta_id"), replicates)
    return np.asarray(weights, dtype=float) @ p


def leave_one_out(
    loglik: pd.DataFrame,
    counts: Mapping[str, pd.DataFrame],
    replicates: int,
    log_q: np.ndarray | None = None,
) -> pd.DataFrame:
    """For each case, the prediction of the posterior fitted to all other cases.

    ``log_q`` is the log density of the vectors' proposal relative to the prior (zero when
    every vector was drawn from the prior). A refinement round's proposal was fitted with
    every case, the left-out one included; that changes only the Monte Carlo variance of the
    estimate, not what it estimates, because the weights divide the proposal out.

    Returns one row per case: the three predicted probabilities, the PSIS ``k`` of the
    weights without the case, and their effective sample size.
    """
    rows = []
    total = loglik.sum(axis=1).to_numpy()
    if log_q is not None:
        total = total - np.asarray(log_q, dtype=float)
    for case in loglik.columns:
        w, k = psis_weights(total - loglik[case].to_numpy())
        p = predictive(counts[case], replicates, w)
        rows.append({"case": case, **dict(zip(OUTCOME_NAMES, p, strict=True)), "k_hat": k, "ess": ess(w)})
    return pd.DataFrame(rows)
