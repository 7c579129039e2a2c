"""The refinement proposal: a density that integrates to one and that its sampler follows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hedgesim.inference.design import U_PREFIX
from hedgesim.inference.proposal import Proposal, fit, log_density, log_mixture, sample


def _proposal() -> Proposal:
    return Proposal(["draw.a", "draw.b"], [1.0, -0.5], [[0.5, 0.2], [0.2, 0.8]], alpha=0.3)


def test_density_integrates_to_one_over_the_unit_square() -> None:
    # 200,000 uniform points: the mean of q is its integral; the Monte Carlo error is about 0.01.
    u = np.random.default_rng(1).random((200_000, 2))
    assert abs(np.exp(log_density(_proposal(), u)).mean() - 1) < 0.03


def test_sampler_follows_the_density() -> None:
    # Importance identity: E_q[f / q] = integral of f = 1/4 for f = u_a * u_b on the unit square
    # (100,000 draws; the standard error is well under 0.01).
    prop = _proposal()
    u = sample(prop, 100_000, np.random.default_rng(2))
    est = np.mean(u[:, 0] * u[:, 1] / np.exp(log_density(prop, u)))
    assert abs(est - 0.25) < 0.01
    assert ((u > 0) & (u < 1)).all()


def test_mixture_keeps_every_weight_bounded() -> None:
    # The prior's share in the denominator bounds 1 / mixture by (n_prior + n_refine) / n_prior.
    u = np.random.default_rng(3).random((10_000, 2))
    lm = log_mixture(_proposal(), u, 400, 600)
    assert (np.exp(-lm) <= 1000 / 400 + 1e-12).all()


def test_fit_centres_on_the_weighted_vectors() -> None:
    rng = np.random.default_rng(4)
    u = rng.random((5000, 1))
    frame = pd.DataFrame({U_PREFIX + "draw.a": u[:, 0], "draw.a": u[:, 0]})
    w = np.exp(-(((u[:, 0] - 0.8) / 0.05) ** 2))
    prop = fit(frame, w, ["draw.a"])
    centre = 1 / (1 + np.exp(-prop.mean[0]))
    assert abs(centre - 0.8) < 0.02
