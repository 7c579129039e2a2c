"""hedgesim.compare: common random numbers detected from the scenarios, paired intervals, the folder round trip."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

import hedgesim
from hedgesim import InputError, Results
from hedgesim.studies import Comparison, compare, crn_pairing
from tests.paths import SCENARIOS

matplotlib.use("Agg")

FLANK, CSBM = SCENARIOS / "flank_buildup.yaml", SCENARIOS / "csbm_flank_buildup.yaml"


@pytest.fixture(scope="module")
def flank() -> Results:
    return hedgesim.run(FLANK, replicates=400)


@pytest.fixture(scope="module")
def csbm() -> Results:
    return hedgesim.run(CSBM, replicates=400)


def test_pairing_follows_seed_replicates_actors_and_rules(flank: Results, csbm: Results) -> None:
    paired, why = crn_pairing(flank, csbm)  # a rule parameter differs: same draws
    assert paired and "same random stream" in why
    other_seed = hedgesim.run(CSBM, replicates=400, seed=1)
    assert crn_pairing(flank, other_seed) == (False, "not paired: the seeds differ (20190222 and 1)")
    fewer = hedgesim.run(CSBM, replicates=50)
    assert not crn_pairing(flank, fewer)[0] and "replicates differ" in crn_pairing(flank, fewer)[1]
    other_rule = hedgesim.run(CSBM, replicates=400, overrides={"actors.Russia.rule": {"name": "passive"}})
    paired, why = crn_pairing(flank, other_rule)
    assert not paired and "Russia" in why


def test_pairing_follows_hazards_uncertainty_and_drawn_quantities(flank: Results) -> None:
    """What each replicate draws must match too: the hazards' uniforms, the mode, the uncertain parameters."""
    point = hedgesim.run(FLANK, replicates=400, uncertainty="none")
    paired, why = crn_pairing(flank, point)
    assert not paired and "uncertainty differs" in why
    no_hazard = hedgesim.run(FLANK, replicates=400, overrides={"hazards": []})
    assert flank.scenario.hazards, "the flank scenario has hazards to remove"
    paired, why = crn_pairing(flank, no_hazard)
    assert not paired and "hazards differ" in why
    fixed = hedgesim.run(FLANK, replicates=400, overrides={"parameters.incident_rate": 0.1})
    paired, why = crn_pairing(flank, fixed)  # a parameter the scenario sets is still drawn (its uniform consumed)
    assert paired


def test_facts_that_differ_weaken_the_pairing_and_say_so(flank: Results) -> None:
    """flank_buildup states its troop count as an uncertain fact, the baseline does not: paired, with a note."""
    base = hedgesim.run(SCENARIOS / "baseline.yaml", replicates=400)
    paired, why = crn_pairing(base, flank)
    assert paired and "uncertain facts differ (only flank_buildup: NATO.troops_near_hedger_k)" in why


def test_paired_interval_is_inside_and_narrower_than_the_unpaired_one(flank: Results, csbm: Results) -> None:
    """400 paired replicates: CSBMs under a flank build-up. The paired interval of each difference lies inside
    the independent-samples one, and for escalation is under 0.8 of its width (common random numbers)."""
    cmp = compare(flank, csbm)
    rows = cmp.table[cmp.table["scenario"] == "csbm_flank_buildup"].set_index("outcome")
    assert (rows["method"] == "newcombe_paired").all()
    assert (rows["unpaired_lo"] <= rows["delta_lo"] + 1e-12).all() and (
        rows["delta_hi"] <= rows["unpaired_hi"] + 1e-12
    ).all()
    esc = rows.loc["escalation"]
    assert esc["delta_hi"] - esc["delta_lo"] < 0.8 * (esc["unpaired_hi"] - esc["unpaired_lo"])
    assert "paired on common random numbers" in cmp.markdown()
    assert "<table" in cmp._repr_html_() and "Comparison with flank_buildup" in cmp._repr_html_()


def test_saved_folder_loads_back_without_rerunning(flank: Results, csbm: Results, tmp_path: Path) -> None:
    cmp = compare(flank, csbm, names=["before", "after"])
    out = cmp.save(tmp_path / "cmp", command=["test"])
    for name in (
        "manifest.json",
        "comparison.csv",
        "comparison.md",
        "survival.csv",
        "figures/comparison.png",
        "figures/survival.png",
        "runs/01-before/runs.parquet",
        "runs/02-after/manifest.json",
    ):
        assert (out / name).is_file(), name
    again = Comparison.load(out)
    assert again.names == ["before", "after"] and again.markdown() == cmp.markdown()
    with pytest.raises(InputError, match="already exists"):
        cmp.save(out)
    with pytest.raises(InputError, match="not a comparison folder"):
        Comparison.load(tmp_path)


def test_compare_refuses_what_it_cannot_compare(flank: Results, small_sweep: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="at least two"):
        compare(flank)
    with pytest.raises(InputError, match="a sweep folder"):
        compare(flank, small_sweep)
    with pytest.raises(InputError, match="no such file"):
        compare(flank, tmp_path / "missing.yaml")
    saved = flank.save(tmp_path / "run")
    with pytest.raises(InputError, match="apply to scenario files"):
        compare(saved, CSBM, replicates=10)
    twice = compare(flank, flank)
    assert twice.names == ["flank_buildup", "flank_buildup (2)"]
