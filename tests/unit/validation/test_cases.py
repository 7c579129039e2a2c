"""Validation against history: every case's most likely outcome is what happened, and the
three cross-case patterns of shared/data/cases.md hold with non-overlapping 95% intervals.

The statistical tests are slow (2,000 replicates per arm, as `hedgesim check-cases`); the
interval formulas and the plumbing are checked fast against known values.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from hedgesim import analysis
from hedgesim import validation as cases
from hedgesim.core import OUTCOME_NAMES as OUTCOMES
from hedgesim.errors import InputError
from hedgesim.reports import write_findings

N = 2000  # replicates per arm: a share's 95% Wilson half-width is at most 2.2 points

# --------------------------------------------------------------------------- fast: formulas and plumbing


def test_newcombe_matches_the_published_example() -> None:
    """Newcombe (1998), Stat Med 17:873, example (a): 56/70 - 48/80, method 10: 0.0524 to 0.3339."""
    d, lo, hi = analysis.newcombe_interval(48, 80, 56, 70)
    assert abs(d - 0.2) < 1e-12
    assert abs(lo - 0.0524) < 5e-4 and abs(hi - 0.3339) < 5e-4


def test_welch_matches_scipy() -> None:
    rng = np.random.default_rng(7)
    a, b = rng.normal(0, 1, 300), rng.normal(0.3, 2, 200)
    d, lo, hi = analysis.welch_interval(a, b)
    ci = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    assert abs(d - (b.mean() - a.mean())) < 1e-12
    assert abs(lo - ci.low) < 1e-9 and abs(hi - ci.high) < 1e-9


def test_counterfactual_events_are_found_by_label() -> None:
    ukr = cases.CASES / "ukraine_2013_2014.yaml"
    overrides = cases.event_overrides(ukr, "alignment move")
    assert overrides and all(v == 0.0 for _, v in overrides)
    with pytest.raises(InputError):
        cases.event_overrides(ukr, "no such event")


def test_every_pattern_arm_loads() -> None:
    """Each comparison's overrides name real fields (a typo would raise here, not at the slow run)."""
    from hedgesim.scenario import load_scenario

    for comp in cases.pattern_comparisons():
        for arm in (comp.left, comp.right):
            load_scenario(arm.path, dict(arm.overrides))


def test_check_and_findings_run_end_to_end(tmp_path: Path, cli: Callable) -> None:
    """Tiny ensembles (20 replicates): the tables are complete and the exit status follows the matches."""
    lab = cases.Lab(replicates=20)
    df = cases.check_cases(lab=lab)
    assert set(df["case"]) == {p.stem for p in cases.case_paths()}
    for o in OUTCOMES:
        assert ((df[f"{o}_lo"] <= df[o]) & (df[o] <= df[f"{o}_hi"])).all()
    result = cli(["check-cases", "-n", "20", "--no-patterns"])
    assert result.exit_code == (0 if df["match"].all() else 1)
    assert all(name in result.stdout for name in df["case"])
    pats = cases.cross_case_patterns(lab=lab)
    assert set(pats["pattern"]) == {"1", "2", "3"}
    path = write_findings(tmp_path / "findings.md", replicates=20)
    text = path.read_text(encoding="utf-8")
    assert all(c.text in text for c in cases.CLAIMS)
    assert "20 replicates" in text


# --------------------------------------------------------------------------- slow: the validation itself


@pytest.fixture(scope="module")
def lab() -> cases.Lab:
    return cases.Lab(replicates=N)


# Cases the model (Model 2, shared parameters drawn from their priors, no calibration yet) misses;
# reported as misses in docs/findings.md and the issue notes, never fixed by tuning.
KNOWN_MISSES = {
    "belarus_2014_2019": (
        "Model 2 under the prior: bandwagoning with Russia is modal (about 58%); the prior spreads the "
        "behavioural parameters over ranges where the regime's dependence pulls it to the patron"
    ),
    "ukraine_2013_2014": (
        "without the scripted turn to the EU (the hedger's own course, no longer scripted), the model has no "
        "channel by which a revolution changes the hedger's aims: neutrality is kept and escalation is rare"
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("path", cases.case_paths(), ids=[p.stem for p in cases.case_paths()])
def test_case_modal_outcome_matches_history(lab: cases.Lab, path: Path, request: pytest.FixtureRequest) -> None:
    """n = 2,000: the most likely outcome is the observed one (the shares are printed on failure)."""
    if path.stem in KNOWN_MISSES:
        # Strict: if the model comes to call the case right, this fails and the entry must go.
        request.applymarker(pytest.mark.xfail(reason=KNOWN_MISSES[path.stem], strict=True))
    row = cases.check_cases([path], lab=lab).iloc[0]
    shares = ", ".join(f"{o} {row[o]:.1%} [{row[o + '_lo']:.1%}, {row[o + '_hi']:.1%}]" for o in OUTCOMES)
    assert row["match"], f"{path.stem}: observed {row['observed']}, model {shares}"


COMPARISONS = cases.pattern_comparisons()


# Comparisons the model does not reproduce; reported in docs/findings.md and the issue notes.
KNOWN_DISAGREEMENTS = {
    "neutrality: Finland above Finland with no Western option": (
        "losing the Western market costs Finland too little in the model to push a tolerated neutral toward "
        "the USSR: neutrality is kept about as often with or without the outside option"
    ),
    "escalation: Ukraine above Ukraine without the EU's alignment move": (
        "with the hedger's turn to the EU no longer scripted, the EU's offer alone does not lead to escalation"
    ),
    "belarus_2014_2019: neutrality above bandwagoning": KNOWN_MISSES["belarus_2014_2019"],
}


@pytest.mark.slow
@pytest.mark.parametrize("comp", COMPARISONS, ids=[f"pattern{c.pattern}: {c.test}" for c in COMPARISONS])
def test_cross_case_pattern_holds(lab: cases.Lab, comp: cases.Comparison, request: pytest.FixtureRequest) -> None:
    """n = 2,000 per arm: the left 95% Wilson interval lies wholly above the right one."""
    if comp.test in KNOWN_DISAGREEMENTS:
        # Strict: if the model comes to reproduce the comparison, this fails and the entry must go.
        request.applymarker(pytest.mark.xfail(reason=KNOWN_DISAGREEMENTS[comp.test], strict=True))
    left = lab.shares(comp.left).loc[comp.left_outcome]
    right = lab.shares(comp.right).loc[comp.right_outcome]
    assert left["lo"] > right["hi"], (
        f"{comp.left.label} {comp.left_outcome} {left['share']:.1%} [{left['lo']:.1%}, {left['hi']:.1%}] vs "
        f"{comp.right.label} {comp.right_outcome} {right['share']:.1%} [{right['lo']:.1%}, {right['hi']:.1%}]"
    )
