"""PRIM: a planted box is found, and the numpy engine follows EMA Workbench's PRIM step by step."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from hedgesim.analysis import cart, describe_box, discovery_data, prim, readable, select_box
from hedgesim.errors import InputError


def planted(n: int = 3000, seed: int = 7) -> tuple[pd.DataFrame, np.ndarray]:
    """3 uniform parameters; a case with probability 0.9 inside posture > 0.6 and coercion < 0.3, else 0.05."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(
        {
            "actors.NATO.state.posture": rng.uniform(0.1, 0.9, n),
            "actors.Russia.rule.params.coercion": rng.uniform(0, 1, n),
            "parameters.incident_rate": rng.uniform(0, 1, n),
        }
    )
    inside = (x.iloc[:, 0] > 0.6) & (x.iloc[:, 1] < 0.3)
    y = np.where(inside, rng.uniform(size=n) < 0.9, rng.uniform(size=n) < 0.05)
    return x, y


def test_prim_finds_the_planted_box_and_says_so() -> None:
    """3,000 rows: the selected box restricts exactly the two planted parameters, each within 0.05 of the truth."""
    x, y = planted()
    res = prim(x, y, threshold=0.8)
    table = res.box_table().set_index("parameter")
    assert set(table.index) == {"actors.NATO.state.posture", "actors.Russia.rule.params.coercion"}
    assert table.loc["actors.NATO.state.posture", "min"] == pytest.approx(0.6, abs=0.05)
    assert table.loc["actors.Russia.rule.params.coercion", "max"] == pytest.approx(0.3, abs=0.05)
    s = res.stats()
    assert s["density"] >= 0.8 and s["coverage"] >= 0.6
    text = describe_box(res, "escalation")
    assert re.match(
        r"Escalation in \d+% of runs when NATO posture > 0\.(59|6|61) and Russia coercion < 0\.(29|3|31) ", text
    )


def same_trajectory(a, b) -> None:
    cols = ["coverage", "density", "mass", "res_dim", "n"]
    assert a.trajectory.shape[0] == b.trajectory.shape[0]
    np.testing.assert_allclose(a.trajectory[cols].to_numpy(float), b.trajectory[cols].to_numpy(float), atol=1e-12)
    for la, lb in zip(a.limits, b.limits, strict=True):
        np.testing.assert_allclose(la.to_numpy(float), lb[la.columns].to_numpy(float), atol=1e-12)
    assert a.selected == b.selected


def test_numpy_prim_reproduces_ema_workbench() -> None:
    """The numpy engine must give EMA's trajectory and box limits exactly: the planted data (3,000 rows), a
    coarse one with many ties (values on a 0.1 grid), and 300 'design points' with a majority-share case."""
    pytest.importorskip("ema_workbench", reason="EMA Workbench (hedgesim[ema]) is not installed")
    x, y = planted()
    same_trajectory(prim(x, y), prim(x, y, engine="ema"))
    coarse = x.round(1)
    same_trajectory(prim(coarse, y, threshold=0.6), prim(coarse, y, threshold=0.6, engine="ema"))
    rng = np.random.default_rng(11)
    pts = pd.DataFrame({"a": rng.uniform(size=300), "b": rng.uniform(size=300), "c": rng.uniform(size=300)})
    share = 1 / (1 + np.exp(-(6 * (pts["a"] - 0.6) - 3 * (pts["b"] - 0.5))))
    cases = rng.binomial(200, share) / 200 >= 0.5
    ema = prim(pts, cases, engine="ema")
    same_trajectory(prim(pts, cases), ema)
    assert ema.qp and ema.box_table()[["qp_lower", "qp_upper"]].notna().any().any()  # EMA adds quasi-p values


def test_select_box_prefers_coverage_among_dense_boxes() -> None:
    traj = pd.DataFrame({"coverage": [1.0, 0.8, 0.6, 0.3], "density": [0.2, 0.6, 0.82, 0.95]})
    assert select_box(traj, 0.8) == 2
    assert select_box(traj, 0.99) == 3  # none reaches it: the densest


def test_bad_inputs() -> None:
    x, y = planted(100)
    with pytest.raises(InputError, match="engine"):
        prim(x, y, engine="r")
    with pytest.raises(InputError, match="numeric"):
        prim(x.assign(kind="a"), y)
    with pytest.raises(InputError, match="as many"):
        prim(x, y[:10])


def test_cart_finds_the_planted_region() -> None:
    pytest.importorskip("sklearn", reason="scikit-learn (hedgesim[discovery]) is not installed")
    x, y = planted()
    _, leaves = cart(x, y, max_depth=2)
    top = leaves.iloc[0]
    assert "NATO posture >" in top["rule"] and "Russia coercion <=" in top["rule"] and top["density"] > 0.8
    assert leaves["n"].sum() == len(y) and leaves["k"].sum() == y.sum()


def test_discovery_data_at_both_levels() -> None:
    points = pd.DataFrame({"point": [0, 1], "p": [0.1, 0.9]})
    runs = pd.DataFrame(
        {"point": [0, 0, 1, 1], "outcome": ["escalation", "neutrality_kept", "escalation", "escalation"], "side": ""}
    )
    x, y = discovery_data(points, ["p"], "escalation", runs=runs)
    assert x["p"].tolist() == [0.1, 0.1, 0.9, 0.9] and y.tolist() == [True, False, True, True]
    summary = pd.DataFrame({"point": [0, 1], "n": [2, 2], "escalation": [0.5, 1.0]})
    x, y = discovery_data(points, ["p"], "escalation", summary=summary, level="points", point_threshold=0.6)
    assert y.tolist() == [False, True]
    with pytest.raises(InputError, match="needs the runs"):
        discovery_data(points, ["p"], "escalation")
    assert readable("actors.Russia.rule.params.coercion") == "Russia coercion"
    assert readable("parameters.incident_rate") == "incident rate"
