"""A second round of vectors where the first round's posterior lies (adaptive importance sampling).

The calibrated parameters' posterior is much narrower than their prior, so most prior
vectors get almost no weight. A refinement round draws new vectors from a proposal
fitted to the first round's weighted vectors, and both rounds are then weighted together
by the deterministic-mixture ("balance heuristic") rule of multiple importance sampling
(Veach and Guibas 1995; Owen and Zhou 2000):

    w(u) = prior(u) L(u) / [(M1 prior(u) + M2 q(u)) / (M1 + M2)]

on the unit cube of prior quantiles, where the prior density is 1. The proposal ``q`` is a
defensive mixture (Hesterberg 1995): with probability ``ALPHA`` the prior itself, else a
Gaussian on the logits of the quantiles, with the first round's weighted mean and a
covariance shrunk toward its diagonal and widened. Keeping the prior in the mixture bounds
every weight (w <= (M1 + M2) / M1 times the likelihood), so the weights stay valid when a
case is left out and its posterior is wider.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .design import U_PREFIX

#: Share of the proposal that is the prior (defensive mixture).
ALPHA = 0.3
#: Weight of the diagonal in the shrunk covariance, and the factor the spread is widened by.
SHRINK = 0.3
WIDEN = 1.5
#: Quantiles are kept this far inside (0, 1), so their logits are finite.
EDGE = 1e-9


@dataclass(frozen=True)
class Proposal:
    """The fitted proposal: which columns, the Gaussian on their logits, and the prior's share."""

    columns: list[str]
    mean: list[float]
    cov: list[list[float]]
    alpha: float = ALPHA

    def to_dict(self) -> dict:
        """For the folder's proposal.json."""
        return asdict(self)


def _logit(u: np.ndarray) -> np.ndarray:
    u = np.clip(u, EDGE, 1 - EDGE)
    return np.log(u) - np.log1p(-u)


def fit(vectors: pd.DataFrame, weights: np.ndarray, columns: list[str]) -> Proposal:
    """A proposal from weighted vectors (their quantile columns ``u.<column>``)."""
    Z = _logit(vectors[[U_PREFIX + c for c in columns]].to_numpy(dtype=float))
    w = np.asarray(weights, dtype=float) / np.sum(weights)
    mean = w @ Z
    d = Z - mean
    cov = (d * w[:, None]).T @ d
    cov = (1 - SHRINK) * cov + SHRINK * np.diag(np.diag(cov))
    cov = cov * WIDEN**2 + 1e-6 * np.eye(len(columns))
    return Proposal(list(columns), mean.tolist(), cov.tolist())


def sample(proposal: Proposal, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points of the unit cube from the proposal (one row per point)."""
    d = len(proposal.columns)
    from_prior = rng.random(n) < proposal.alpha
    u = rng.random((n, d))
    chol = np.linalg.cholesky(np.asarray(proposal.cov))
    z = np.asarray(proposal.mean) + rng.standard_normal((n, d)) @ chol.T
    g = 1 / (1 + np.exp(-z))
    u[~from_prior] = g[~from_prior]
    return np.clip(u, EDGE, 1 - EDGE)


def log_density(proposal: Proposal, u: np.ndarray) -> np.ndarray:
    """The log density of the proposal at points ``u`` of the unit cube (the prior's is 0 there)."""
    cov = np.asarray(proposal.cov)
    chol = np.linalg.cholesky(cov)
    u = np.clip(np.asarray(u, dtype=float), EDGE, 1 - EDGE)
    z = _logit(u)
    sol = np.linalg.solve(chol, (z - np.asarray(proposal.mean)).T)
    d = len(proposal.columns)
    log_gauss = -0.5 * np.sum(sol**2, axis=0) - np.log(np.diag(chol)).sum() - 0.5 * d * np.log(2 * np.pi)
    log_jac = -np.sum(np.log(u) + np.log1p(-u), axis=1)  # dz/du = 1 / (u (1 - u)) per coordinate
    return np.logaddexp(np.log(proposal.alpha), np.log1p(-proposal.alpha) + log_gauss + log_jac)


def log_mixture(proposal: Proposal, u: np.ndarray, n_prior: int, n_refine: int) -> np.ndarray:
    """Log of the balance heuristic's denominator: (n_prior * 1 + n_refine * q(u)) / (n_prior + n_refine)."""
    total = n_prior + n_refine
    return np.logaddexp(np.log(n_prior / total), np.log(n_refine / total) + log_density(proposal, u))
