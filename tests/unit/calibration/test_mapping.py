"""The facts-to-parameters mapping: monotone where theory says so, strict about bad facts,
used by every shipped scenario, and documented in an up-to-date docs/calibration.md."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgesim
from hedgesim.calibration import events as cal_events
from hedgesim.calibration import facts as cal_facts
from hedgesim.calibration import mapping as cal_mapping
from hedgesim.calibration import targets as cal_targets
from hedgesim.core import MOVES, ROLE_VARS, Parameters, hub_equilibrium
from hedgesim.core import OUTCOME_NAMES as OUTCOMES
from hedgesim.errors import InputError
from hedgesim.reports import behavioural_settings, generate, shipped_scenarios
from hedgesim.scenario import load_scenario, load_with_extends
from tests.paths import REPO as REPO_PATH

REPO = REPO_PATH
SCENARIOS = REPO / "scenarios"
SHIPPED = shipped_scenarios(SCENARIOS)
CASES = [p for p in SHIPPED if p.parent.name == "cases"]
POLICY = [p for p in SHIPPED if p.parent == SCENARIOS and p.name != "baseline.yaml"]

# --------------------------------------------------------------------------- monotonicity

share = st.floats(0, 1, allow_nan=False)
flag = st.integers(0, 1)


def _fact_value(name: str) -> st.SearchStrategy[float]:
    fact = cal_facts.FACTS[name]
    if fact.kind in ("flag", "level", "count"):
        return st.integers(int(fact.lo), int(fact.hi)).map(float)
    if fact.kind == "year":
        return st.integers(1990, 2030).map(float)
    hi = min(fact.hi, 200.0)
    lo = 0.01 if fact.positive else fact.lo
    return st.floats(lo, hi, allow_nan=False)


# (role, fact that rises, output, +1 never lowers it / -1 never raises it, other facts needed)
MONOTONE: list[tuple[str, str, Callable[[dict[str, float]], float], int, tuple[str, ...]]] = [
    ("hedger", "trade_share_patron", lambda d: d["state.dependence_patron"], +1, ()),
    # leverage in the hedger's rule: 0.5 x dependence_patron + 0.5 x energy_dependence
    (
        "hedger",
        "trade_share_patron",
        lambda d: 0.5 * d["state.dependence_patron"] + 0.5 * d["state.energy_dependence"],
        +1,
        ("energy_share_patron",),
    ),
    (
        "hedger",
        "energy_share_patron",
        lambda d: 0.5 * d["state.dependence_patron"] + 0.5 * d["state.energy_dependence"],
        +1,
        ("trade_share_patron",),
    ),
    ("hedger", "trade_share_bloc", lambda d: d["state.dependence_bloc"], +1, ()),
    ("hedger", "energy_subsidy_usd_bn", lambda d: d["state.subsidy"], +1, ("gdp_usd_bn",)),
    ("hedger", "gdp_usd_bn", lambda d: d["state.subsidy"], -1, ("energy_subsidy_usd_bn",)),
    ("hedger", "military_alliance_patron", lambda d: d["state.alignment"], -1, ("economic_union_patron",)),
    ("hedger", "economic_union_patron", lambda d: d["state.alignment"], -1, ("military_alliance_patron",)),
    ("hedger", "mass_protest", lambda d: d["state.regime_security"], -1, ("free_elections",)),
    ("hedger", "free_elections", lambda d: d["state.regime_security"], +1, ("mass_protest",)),
    ("hedger", "contested_election", lambda d: d["state.legitimacy_crisis"], +1, ()),
    ("hedger", "hosts_regional_talks", lambda d: d["state.hub"], +1, ()),
    ("hedger", "rival_state_spending_usd_bn", lambda d: d["state.external_threat"], +1, ("military_spending_usd_bn",)),
    ("hedger", "military_spending_usd_bn", lambda d: d["state.external_threat"], -1, ("rival_state_spending_usd_bn",)),
    ("patron", "troops_near_hedger_k", lambda d: d["state.posture"], +1, ()),
    ("patron", "months_since_base_refusal", lambda d: d["state.grievance"], -1, ()),
    ("security_bloc", "troops_near_hedger_k", lambda d: d["state.posture"], +1, ()),
    ("security_bloc", "regional_force_ratio", lambda d: d["state.power"], +1, ()),
    ("security_bloc", "security_guarantee", lambda d: d["state.commitment"], +1, ()),
    ("economic_bloc", "sanctions_level", lambda d: d["state.sanctions"], +1, ()),
    ("economic_bloc", "agreement_level", lambda d: d["state.engagement"], +1, ()),
    ("neighbour", "military_spending_usd_bn", lambda d: d["state.power"], +1, ()),
    ("neighbour", "csbm_measures", lambda d: d["state.csbm"], +1, ("csbm_agreement_year",)),
]


@pytest.mark.parametrize(
    ("role", "fact", "output", "sign", "others"),
    MONOTONE,
    ids=[f"{r}-{f}-{i}" for i, (r, f, *_rest) in enumerate(MONOTONE)],
)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_mapping_is_monotone(
    role: str,
    fact: str,
    output: Callable[[dict[str, float]], float],
    sign: int,
    others: tuple[str, ...],
    data: st.DataObject,
) -> None:
    """Raising one fact, all else equal, moves the output only in the theory's direction."""
    base = {name: data.draw(_fact_value(name), label=name) for name in others}
    a, b = sorted(data.draw(st.lists(_fact_value(fact), min_size=2, max_size=2), label=fact))
    ctx = cal_targets.Context(patron_spending=data.draw(st.floats(1, 1000), label="patron"), start_year=2019)
    lo, hi = (
        output(cal_targets.derive(role, {**base, fact: a}, ctx)),
        output(cal_targets.derive(role, {**base, fact: b}, ctx)),
    )
    assert sign * (hi - lo) >= -1e-12


@settings(max_examples=60, deadline=None)
@given(ours=st.floats(0.01, 100), theirs=st.floats(0.01, 100), more=st.floats(0, 100))
def test_a_richer_patron_never_raises_a_neighbours_power(ours: float, theirs: float, more: float) -> None:
    before = cal_targets.derive(
        "neighbour", {"military_spending_usd_bn": ours}, cal_targets.Context(patron_spending=theirs)
    )
    after = cal_targets.derive(
        "neighbour", {"military_spending_usd_bn": ours}, cal_targets.Context(patron_spending=theirs + more)
    )
    assert after["state.power"] <= before["state.power"]


@settings(max_examples=60, deadline=None)
@given(years=st.integers(1990, 2030), start=st.integers(1990, 2030), measures=st.integers(0, 4))
def test_csbms_count_only_once_in_force(years: int, start: int, measures: int) -> None:
    got = cal_targets.derive(
        "neighbour", {"csbm_agreement_year": years, "csbm_measures": measures}, cal_targets.Context(start_year=start)
    )["state.csbm"]
    assert got == (measures / cal_facts.CSBM_MEASURES_FULL if years <= start else 0.0)


@settings(max_examples=40, deadline=None)
@given(decay=st.floats(0.01, 1), months=st.floats(0, 1200))
def test_grievance_uses_the_shared_parameters(decay: float, months: float) -> None:
    params = Parameters(grievance_decay=decay)
    got = cal_targets.derive("patron", {"months_since_base_refusal": months}, cal_targets.Context(params=params))[
        "state.grievance"
    ]
    assert math.isclose(got, params.refusal_anger * (1 - decay) ** months, rel_tol=1e-12, abs_tol=1e-300)


@pytest.mark.parametrize("role", ["hedger", "patron", "economic_bloc", "security_bloc", "neighbour"])
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_valid_facts_give_state_in_range_or_a_clear_error(role: str, data: st.DataObject) -> None:
    """Every combination of in-range facts either maps into the model's ranges or is refused by _check_derived."""
    names = [n for n, f in cal_facts.FACTS.items() if role in f.roles and n != "energy_subsidy_share_gdp"]
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    facts = {n: data.draw(_fact_value(n), label=n) for n in chosen}
    for n in list(facts):
        for need in cal_targets.REQUIRES.get(n, ()):
            facts.setdefault(need, data.draw(_fact_value(need), label=need))
    derived = cal_targets.derive(role, facts, cal_targets.Context(patron_spending=data.draw(st.floats(1, 1000))))
    out_of_range = [
        t
        for t, v in derived.items()
        if t.startswith("state.") and not ROLE_VARS[role][t[6:]].lo <= v <= ROLE_VARS[role][t[6:]].hi
    ]
    shares = facts.get("trade_share_patron", 0) + facts.get("trade_share_bloc", 0)
    if out_of_range or shares > 1 + 1e-9:  # then apply_facts must refuse it with the fact's location
        with pytest.raises(InputError) as info:
            cal_mapping._check_derived("X", role, derived, facts)
        assert info.value.field is not None and info.value.field.startswith("facts.X.")
    else:
        cal_mapping._check_derived("X", role, derived, facts)


def test_posture_anchors() -> None:
    """The troops scale puts the sourced anchors where docs/calibration.md says."""
    assert abs(cal_targets.posture_from_troops(4.5) - 0.25) < 0.01  # eFP, IISS
    assert abs(cal_targets.posture_from_troops(5.5) - 0.29) < 0.01  # Zapad 2017 Russian contingent
    assert abs(cal_targets.posture_from_troops(30) - 0.85) < 0.01  # Feb 2022


# --------------------------------------------------------------------------- applying facts to a scenario


def test_baseline_state_comes_from_facts() -> None:
    sc = load_scenario(SCENARIOS / "baseline.yaml")
    b = sc.actors["Belarus"].state
    assert b["dependence_patron"] == 0.49 and b["dependence_bloc"] == 0.18
    assert math.isclose(b["subsidy"], 4.0 / 63.1)
    assert b["alignment"] == -0.2
    assert sc.actors["Belarus"].rule.params["host_talks"] == cal_facts.TALKS_INTENSITY
    assert math.isclose(sc.actors["Poland"].state["power"], 10 / 66)
    assert sc.actors["Lithuania"].state["csbm"] == 0.5


def test_apply_is_idempotent_and_explicit_values_win() -> None:
    sc = load_scenario(SCENARIOS / "baseline.yaml")
    assert load_scenario(sc).to_dict() == sc.to_dict()
    # a fact changed after resolution is re-derived, not mistaken for an explicit value
    moved = load_scenario(sc, {"facts.Belarus.trade_share_patron.value": 0.7})
    assert moved.actors["Belarus"].state["dependence_patron"] == 0.7
    # an explicit value wins, and keeps winning when the fact changes later
    pinned = load_scenario(sc, {"actors.Belarus.state.dependence_patron": 0.3})
    assert pinned.actors["Belarus"].state["dependence_patron"] == 0.3
    again = load_scenario(pinned, {"facts.Belarus.trade_share_patron.value": 0.7})
    assert again.actors["Belarus"].state["dependence_patron"] == 0.3
    # an explicit rule parameter wins over the fact's
    hub = load_scenario(SCENARIOS / "minsk_hub.yaml")
    assert hub.actors["Belarus"].rule.params["host_talks"] == 0.3


def test_a_removed_fact_returns_its_parameter_to_the_default() -> None:
    data = load_scenario(SCENARIOS / "baseline.yaml").to_dict()
    del data["facts"]["Belarus"]["trade_share_patron"]
    sc = load_scenario(data)
    assert "dependence_patron" not in sc.actors["Belarus"].state
    assert "state.dependence_patron" not in sc.facts["Belarus"][cal_facts.DERIVED_KEY]


def test_a_shared_parameter_change_flows_into_derived_state() -> None:
    sc = load_scenario(SCENARIOS / "baseline.yaml", ["parameters.hub_decay=0.1"])
    assert math.isclose(sc.actors["Belarus"].state["hub"], hub_equilibrium(0.1, 0.1))


# --------------------------------------------------------------------------- bad facts

HEAD = "extends: baseline.yaml\nname: bad\nfacts:\n"


def _child(write: Callable[[str, str], Path], body: str) -> Path:
    return write("bad.yaml", HEAD + body)


BAD: list[tuple[str, str, str, int, str]] = [
    # (id, facts body, field, line, message fragment)
    (
        "share above 1",
        "  Belarus:\n    trade_share_patron:\n      value: 1.2\n      source: x\n      tag: S\n",
        "facts.Belarus.trade_share_patron.value",
        6,
        "out of range",
    ),
    (
        "negative GDP",
        "  Belarus:\n    gdp_usd_bn:\n      value: -63.1\n      source: x\n      tag: S\n",
        "facts.Belarus.gdp_usd_bn.value",
        6,
        "above 0",
    ),
    (
        "zero GDP",
        "  Belarus:\n    gdp_usd_bn: {value: 0, source: x, tag: S}\n",
        "facts.Belarus.gdp_usd_bn.value",
        5,
        "above 0",
    ),
    # (facts the baseline does not state, so the child's entry is the whole entry)
    (
        "missing source",
        "  Belarus:\n    contested_election:\n      value: 0\n      tag: B\n",
        "facts.Belarus.contested_election",
        5,
        "needs a 'source'",
    ),
    (
        "empty source",
        "  Belarus:\n    contested_election:\n      value: 0\n      source: '  '\n      tag: B\n",
        "facts.Belarus.contested_election.source",
        7,
        "needs a 'source'",
    ),
    (
        "bad tag",
        "  Belarus:\n    trade_share_patron: {value: 0.5, source: x, tag: Q}\n",
        "facts.Belarus.trade_share_patron.tag",
        5,
        "needs a 'tag'",
    ),
    (
        "unknown fact",
        "  Belarus:\n    trade_share_patrn: {value: 0.5, source: x, tag: S}\n",
        "facts.Belarus.trade_share_patrn",
        5,
        "did you mean 'trade_share_patron'",
    ),
    (
        "unknown actor",
        "  Belarrus:\n    trade_share_patron: {value: 0.5, source: x, tag: S}\n",
        "facts.Belarrus",
        4,
        "did you mean 'Belarus'",
    ),
    (
        "role mismatch",
        "  Belarus:\n    troops_near_hedger_k: {value: 5, source: x, tag: S}\n",
        "facts.Belarus.troops_near_hedger_k",
        5,
        "but 'Belarus' is a hedger",
    ),
    (
        "state variable as a fact",
        "  Belarus:\n    regime_security: {value: 0.5, source: x, tag: E}\n",
        "facts.Belarus.regime_security",
        5,
        "set it under actors.Belarus.state",
    ),
    (
        "shares over 1",
        "  Belarus:\n    trade_share_bloc: {value: 0.6, source: x, tag: S}\n",
        "facts.Belarus.trade_share_bloc.value",
        5,
        "exceeds 1",
    ),
    (
        "subsidy over half of GDP",
        "  Belarus:\n    energy_subsidy_usd_bn: {value: 40, source: x, tag: S}\n",
        "facts.Belarus.energy_subsidy_usd_bn.value",
        5,
        "outside [0, 0.5]",
    ),
    (
        "subsidy without GDP",
        "  Belarus:\n    gdp_usd_bn: null\n",
        "facts.Belarus.energy_subsidy_usd_bn",
        None,
        "needs 'gdp_usd_bn'",
    ),
    (
        "both subsidy facts",
        "  Belarus:\n    energy_subsidy_share_gdp: {value: 0.05, source: x, tag: E}\n",
        "facts.Belarus.energy_subsidy_share_gdp",
        5,
        "not both",
    ),
    (
        "no patron spending",
        "  Russia:\n    military_spending_usd_bn: null\n",
        "facts.Ukraine.military_spending_usd_bn",
        None,
        "need military_spending_usd_bn of the (first) patron",
    ),
    (
        "text value",
        "  Belarus:\n    trade_share_patron: {value: 'half', source: x, tag: S}\n",
        "facts.Belarus.trade_share_patron.value",
        5,
        "finite number",
    ),
    (
        "fractional level",
        "  EU:\n    sanctions_level: {value: 1.5, source: x, tag: B}\n",
        "facts.EU.sanctions_level.value",
        5,
        "whole number",
    ),
    (
        "unknown key",
        "  Belarus:\n    trade_share_patron: {value: 0.5, sorce: x, tag: S}\n",
        "facts.Belarus.trade_share_patron.sorce",
        5,
        "did you mean 'source'",
    ),
    (
        "entry not a mapping",
        "  Belarus:\n    trade_share_patron: 0.5\n",
        "facts.Belarus.trade_share_patron",
        5,
        "must be a mapping",
    ),
    (
        "no value",
        "  Belarus:\n    contested_election: {source: x, tag: S}\n",
        "facts.Belarus.contested_election",
        5,
        "has no 'value'",
    ),
    (
        "flag not 0 or 1",
        "  Belarus:\n    contested_election: {value: 2, source: x, tag: S}\n",
        "facts.Belarus.contested_election.value",
        5,
        "out of range",
    ),
]


@pytest.mark.parametrize(("body", "field", "line", "fragment"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_facts_name_file_line_and_field(
    write_scenario: Callable[[str, str], Path], body: str, field: str, line: int | None, fragment: str
) -> None:
    path = _child(write_scenario, body)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    err = info.value
    assert err.field == field
    assert fragment in err.message
    assert err.file is not None and err.file.endswith(".yaml")
    if line is not None:
        assert (Path(err.file).name, err.line) == ("bad.yaml", line)
    else:  # the problem is a fact the child removed, so it is located in the baseline
        assert err.line is not None


def test_cli_reports_a_bad_fact_in_one_line(write_scenario: Callable[[str, str], Path], cli: Any) -> None:
    path = _child(write_scenario, "  Belarus:\n    trade_share_patron: {value: 1.5, source: x, tag: S}\n")
    result = cli(["validate", path])
    assert result.exit_code == 2
    assert re.fullmatch(
        rf"hedgesim: error: {re.escape(str(path))}:5: facts\.Belarus\.trade_share_patron\.value: .*out of range.*\n",
        result.stderr,
    )


def test_override_of_a_fact_is_checked_too() -> None:
    with pytest.raises(InputError) as info:
        load_scenario(SCENARIOS / "baseline.yaml", ["facts.EU.agreement_level.value=7"])
    assert info.value.field == "facts.EU.agreement_level.value"
    assert info.value.file == "--set facts.EU.agreement_level.value"


def test_facts_must_be_a_mapping() -> None:
    data, _ = load_with_extends(SCENARIOS / "baseline.yaml")
    data["facts"] = ["trade_share_patron"]
    with pytest.raises(InputError) as info:
        load_scenario(data)
    assert info.value.field == "facts"


def test_talks_fact_needs_a_rule_with_that_parameter() -> None:
    data, _ = load_with_extends(SCENARIOS / "baseline.yaml")
    data["actors"]["Belarus"]["rule"] = {"name": "passive"}
    with pytest.raises(InputError) as info:
        load_scenario(data)
    message = info.value.message
    assert "host_talks" in message and "'passive'" in message
    assert info.value.field == "facts.Belarus.hosts_regional_talks"


# --------------------------------------------------------------------------- the shipped scenarios


def test_the_expected_scenarios_ship() -> None:
    names = {p.stem for p in SHIPPED}
    assert {
        "baseline",
        "oil_tax_no_compensation",
        "oil_tax_integration_offer",
        "base_demand",
        "flank_buildup",
        "csbm_all_neighbours",
        "minsk_hub",
        "seed_package",
        "seed_package_flank_buildup",
        "regime_crisis_2020",
        "belarus_2014_2019",
        "belarus_2020_2022",
        "ukraine_2013_2014",
        "armenia_2013",
        "finland_1948_1991",
    } <= names


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_scenario_validates_and_runs(path: Path) -> None:
    """Full horizon (events fall late in the long cases), 8 replicates: a smoke run, not a statistic."""
    res = hedgesim.run(path, replicates=8)
    assert len(res.runs) == 8
    assert set(res.runs["outcome"].astype(str)) <= set(OUTCOMES)
    assert res.scenario.facts, "every shipped scenario states its facts"


@pytest.mark.parametrize("path", POLICY, ids=[p.stem for p in POLICY])
def test_policy_scenarios_extend_the_baseline_and_name_a_claim(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^extends: \S+\.yaml$", text, re.MULTILINE)
    chain, seen = path, set()
    while True:  # the extends chain ends at the baseline
        m = re.search(r"^extends: (\S+)$", chain.read_text(encoding="utf-8"), re.MULTILINE)
        if not m:
            break
        chain = chain.parent / m.group(1)
        assert chain not in seen
        seen.add(chain)
    assert chain.name == "baseline.yaml"
    assert load_scenario(path).claim


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_cases_record_what_happened_and_set_no_behavioural_parameter(path: Path) -> None:
    raw, _ = load_with_extends(path)
    text = path.read_text(encoding="utf-8")
    if "observed" in raw:
        assert raw["observed"] in OUTCOMES
        assert not re.search(r"^# not scored:", text, re.MULTILINE), "a scored case says it is not scored"
    else:
        # A case whose outcome the literature does not settle is kept out of the scores, and says why
        # twice: a top-level comment for readers and a note in the description for tools.
        assert re.search(r"^# not scored: \S", text, re.MULTILINE), "an unscored case needs '# not scored: <reason>'"
        assert "not scored" in raw.get("description", "").lower()
    assert "extends" not in path.read_text(encoding="utf-8")
    assert "mechanisms" not in raw, "a case may not switch mechanisms"
    assert behavioural_settings(raw) == [], "behavioural parameters are shared, never set per case"
    hedger = next(n for n, a in raw["actors"].items() if a["role"] == "hedger")
    assert raw["facts"][hedger], "a case's hedger is calibrated from facts"


#: The hedger's own course: a case file scripts the world, never these moves by the hedger (issue 8).
HEDGER_COURSE = {name for name, move in MOVES.items() if move.kind == "choice"} | {"diversify", "payment"}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_cases_script_the_world_not_the_hedger(path: Path) -> None:
    """No event or trigger makes the hedger's alignment moves or answers, or sets or shifts its alignment."""
    raw, _ = load_with_extends(path)
    hedger = next(n for n, a in raw["actors"].items() if a["role"] == "hedger")
    assert {"lean_patron", "lean_bloc", "hedge", "base_accept", "base_refuse", "integration_accept"} <= HEDGER_COURSE
    for item in [*(raw.get("events") or []), *(raw.get("triggers") or [])]:
        assert not (item.get("actor") == hedger and item.get("move") in HEDGER_COURSE), item.get("label")
        for key in ("set", "add"):
            for var in item.get(key) or {}:
                assert var not in (f"{hedger}.alignment", "hedger.alignment"), item.get("label")


# The event intensities in the case files, recomputed from their sourced inputs by the documented rules.
P = Parameters()
EVENT_CHECKS = [
    ("cases/belarus_2020_2022.yaml", "Russian $1.5bn loan", cal_events.loan_intensity(1.5, 63.1)),
    ("cases/belarus_2020_2022.yaml", "EU listings", cal_events.sanctions_step(1, 2)),
    ("cases/belarus_2020_2022.yaml", "EU sectoral sanctions", cal_events.sanctions_step(2, 3)),
    (
        "cases/belarus_2014_2019.yaml",
        "EU lifts most sanctions",
        cal_facts.SANCTIONS_BY_LEVEL[2] - cal_facts.SANCTIONS_BY_LEVEL[1],
    ),
    (
        "cases/ukraine_2013_2014.yaml",
        "Russian customs curbs",
        cal_events.restriction_intensity(1.4, 183, 0.24, P.restriction_cost),
    ),
    (
        "cases/ukraine_2013_2014.yaml",
        "alignment move: EU association agreement offered at Vilnius",
        cal_events.engagement_step(2, 3),
    ),
    ("cases/ukraine_2013_2014.yaml", "Russian bond purchase", cal_events.loan_intensity(3, 183)),
    ("cases/armenia_2013.yaml", "18% gas price rise", cal_events.price_rise_cut(0.18, 180, 380)),
    ("cases/finland_1948_1991.yaml", "FINEFTA free trade with EFTA", cal_events.engagement_step(0, 3)),
    (
        "cases/czechoslovakia_1947_1948.yaml",
        "Marshall Plan invitation (Paris conference)",
        cal_events.engagement_step(1, 2),
    ),
    ("cases/sweden_1949_1991.yaml", "EFTA in force", cal_events.engagement_step(1, 3)),
    (
        "cases/hungary_1956.yaml",
        "first Soviet intervention, reinforcements (24 Oct)",
        cal_targets.posture_from_troops(31.55) - cal_targets.posture_from_troops(20),
    ),
    ("cases/uzbekistan_2005_2008.yaml", "EU arms embargo and visa bans", cal_events.sanctions_step(0, 1)),
    ("cases/kyrgyzstan_2009_2015.yaml", "Russian grant and loan", cal_events.loan_intensity(0.45, 4.69)),
    (
        "cases/kyrgyzstan_2009_2015.yaml",
        "US transit-center payments, first year",
        cal_events.loan_intensity(0.1507, 4.69),
    ),
    (
        "cases/kyrgyzstan_2009_2015.yaml",
        "Russian aid to the interim government",
        cal_events.loan_intensity(0.05, 4.79),
    ),
    ("cases/kyrgyzstan_2009_2015.yaml", "Russian accession grant", cal_events.loan_intensity(0.2, 7.1)),
    ("cases/kyrgyzstan_2009_2015.yaml", "Russian-Kyrgyz Development Fund", cal_events.loan_intensity(0.35, 7.0)),
    (
        "cases/azerbaijan_2008_2020.yaml",
        "Russian forces in Georgia",
        cal_targets.posture_from_troops(24.5) - cal_targets.posture_from_troops(4.5),
    ),
    (
        "cases/azerbaijan_2008_2020.yaml",
        "Russian peacekeepers in Karabakh",
        cal_targets.posture_from_troops(5.96) - cal_targets.posture_from_troops(4.0),
    ),
    (
        "cases/philippines_2016_2022.yaml",
        "Chinese loans and grants signed",
        cal_events.loan_intensity(0.924, 350),
    ),
    ("cases/philippines_2016_2022.yaml", "US visa restrictions on officials", cal_events.sanctions_step(0, 1)),
    ("cases/cambodia_2010_2020.yaml", "Chinese concessional loans", cal_events.loan_intensity(2.5, 17.2)),
    ("cases/cambodia_2010_2020.yaml", "Chinese grant 2019-21", cal_events.loan_intensity(0.588, 27.1)),
    ("cases/cambodia_2010_2020.yaml", "EU partial withdrawal of EBA", cal_events.sanctions_step(1, 2)),
    ("cases/vietnam_2010_2020.yaml", "EU-Vietnam FTA concluded", cal_events.engagement_step(1, 2)),
    (
        "cases/vietnam_2010_2020.yaml",
        "US arms embargo lifted",
        cal_facts.SANCTIONS_BY_LEVEL[1] - cal_facts.SANCTIONS_BY_LEVEL[0],
    ),
    ("cases/vietnam_2010_2020.yaml", "EU-Vietnam FTA signed", cal_events.engagement_step(2, 3)),
    ("regime_crisis_2020.yaml", "Russian $1.5bn loan", cal_events.loan_intensity(1.5, 63.1)),
]


@pytest.mark.parametrize(("file", "label", "expected"), EVENT_CHECKS, ids=[f"{f}:{lab}" for f, lab, _ in EVENT_CHECKS])
def test_event_intensities_follow_the_documented_rules(file: str, label: str, expected: float) -> None:
    raw, _ = load_with_extends(SCENARIOS / file)
    (ev,) = [e for e in raw["events"] if e.get("label") == label]
    assert abs(ev["intensity"] - expected) < 0.005  # the files round to 2-3 decimals


def test_calibration_doc_is_up_to_date() -> None:
    (status,) = generate(["calibration"], check=True, root=REPO)
    assert status.status == "current", "run `hedgesim docs` to regenerate docs/calibration.md"
