"""The hedger's logit draw, computed column by column, is the (R, 3) array form bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from hedgesim.rules.hedger import _logit_choice


def array_form(utils: list[np.ndarray], precision: np.ndarray | float, u: np.ndarray) -> np.ndarray:
    """The form the hedger used before (numpy reductions over the courses' axis)."""
    U = np.stack(utils, axis=1) * np.reshape(precision, (-1, 1))
    U -= U.max(axis=1, keepdims=True)
    prob = np.exp(U)
    cum = np.cumsum(prob, axis=1) / prob.sum(axis=1, keepdims=True)
    return (u[:, None] >= cum[:, :2]).sum(axis=1)


@pytest.mark.parametrize("per_replicate_precision", [False, True])
@pytest.mark.parametrize("scale", [1e-3, 1.0, 40.0])
def test_same_choice_and_same_thresholds(per_replicate_precision: bool, scale: float) -> None:
    rng = np.random.default_rng(8)
    R = 20_000
    utils = [rng.normal(0, scale, R) for _ in range(3)]
    utils[1][:50] = utils[0][:50]  # ties
    precision = rng.uniform(1, 20, R) if per_replicate_precision else 12.0
    u = rng.random(R)
    fast, slow = _logit_choice(utils, precision, u), array_form(utils, precision, u)
    np.testing.assert_array_equal(fast, slow)
    assert set(np.unique(fast)) <= {0, 1, 2}
    assert len(np.unique(fast)) == 3, "the draw should reach every course at these scales"
