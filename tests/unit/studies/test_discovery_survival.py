"""hedgesim.discover and hedgesim.survival on a small sweep and on runs."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

import hedgesim
from hedgesim import InputError
from hedgesim.studies import discover, survival
from tests.paths import SCENARIOS

matplotlib.use("Agg")


def test_discover_says_where_escalation_is_and_saves_without_replacing(sweep_copy: Path) -> None:
    found = discover(sweep_copy, "escalation", threshold=0.6)
    assert found.summary.startswith("Escalation in ") and "of runs when " in found.summary
    assert "NATO posture" in found.summary  # escalation needs a high posture in this model
    table = found.box_table()
    assert set(table.columns) >= {"parameter", "min", "max"} and len(table) >= 1
    assert found.leaves is not None and found.leaves["n"].sum() == 24 * 40
    first = found.save()
    names = sorted(p.name for p in first)
    assert names == ["cart_escalation.png", "discovery_escalation.md", "prim_escalation.csv", "prim_escalation.png"]
    second = found.save()
    assert sorted(p.name for p in second) == [n.replace(".", "-2.", 1) for n in names]
    assert "## CART leaves" in (sweep_copy / "discovery_escalation.md").read_text()


def test_discover_options(small_sweep: Path) -> None:
    points = discover(small_sweep, "neutrality_kept", level="points", cart_tree=False)
    assert points.tree is None and "design points" in points.summary
    assert points.select(0).prim.selected == 0
    with pytest.raises(InputError, match="no box"):
        points.select(10_000)
    with pytest.raises(InputError, match="unknown outcome"):
        discover(small_sweep, "war")
    with pytest.raises(InputError, match="level"):
        discover(small_sweep, level="cells")


def test_survival_by_point_and_by_scenario(small_sweep: Path, tmp_path: Path) -> None:
    by_point = survival(small_sweep, param="actors.NATO.state.posture")
    assert len(by_point.groups) == 5 and all(g.startswith("point ") for g in by_point.groups)
    table = by_point.table()
    assert set(table["step"]) == {12, 36, 60}  # the sweep's horizon is 60
    chosen = survival(small_sweep, points=[0, 3])
    assert [k.split(":")[0] for k in chosen.groups] == ["point 0", "point 3"]
    with pytest.raises(InputError, match="no design point"):
        survival(small_sweep, points=[999])
    runs = survival(
        hedgesim.run(SCENARIOS / "flank_buildup.yaml", replicates=100), SCENARIOS / "baseline.yaml", replicates=100
    )
    assert list(runs.groups) == ["flank_buildup", "baseline"]
    written = runs.save(tmp_path)
    assert [p.name for p in written] == ["survival.csv", "survival_curves.csv", "survival.png"]
    with pytest.raises(InputError, match="alone"):
        survival(small_sweep, SCENARIOS / "baseline.yaml")
