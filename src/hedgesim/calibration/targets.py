"""The targets of the mapping: each model parameter that facts set, what it reads, and the rule.

:func:`derive` is pure and total over valid facts, so tests check the mapping's
monotonicity directly; :mod:`hedgesim.calibration.mapping` applies it to a scenario.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import ROLE_VARS, Parameters, hub_equilibrium
from .facts import (
    ALLIANCE_TIE_LEAN,
    ASPIRATION_LEVELS,
    CSBM_MEASURES_FULL,
    ENGAGEMENT_BY_LEVEL,
    FREE_ELECTIONS_SECURITY,
    GUARANTEE_LEVELS,
    MASS_PROTEST_SECURITY,
    NEUTRALITY_LEVELS,
    SANCTIONS_BY_LEVEL,
    SEPARATISM_FULL_SHARE,
    TALKS_INTENSITY,
    TROOPS_SCALE_K,
)


@dataclass(frozen=True)
class Context:
    """What a mapping may read besides the actor's own facts: shared parameters, dates, the patron."""

    params: Any = field(default_factory=Parameters)  # Parameters, or a namespace with drawn arrays
    start_year: int = 2019
    patron_spending: Any = None  # USD bn of the reference patron (an array under uncertainty)


Value = float | np.ndarray  # a fact's value, or an array of draws over the replicates (uncertainty)


def posture_from_troops(thousands: Value) -> Value:
    """Saturating posture index from troops near the hedger: 4.5k (eFP) -> 0.25, 30k (Feb 2022) -> 0.85."""
    return _out(1.0 - np.exp(-np.maximum(0.0, thousands) / TROOPS_SCALE_K))


def sanctions_index(level: Value) -> Value:
    """The sanctions index of a sanctions level (0-4), from SANCTIONS_BY_LEVEL."""
    return _out(np.asarray(SANCTIONS_BY_LEVEL)[np.asarray(level).astype(int)])


def engagement_index(level: Value) -> Value:
    """The engagement index of an agreement level (0-4), from ENGAGEMENT_BY_LEVEL."""
    return _out(np.asarray(ENGAGEMENT_BY_LEVEL)[np.asarray(level).astype(int)])


@dataclass(frozen=True)
class Target:
    """One model parameter set from facts: where it lives, what it reads, and the rule.

    ``fn`` is element-wise: it takes scalar facts (a scenario's stated values) or arrays of
    draws (one per replicate, under uncertainty) and returns the same shape.
    """

    target: str  # "state.<var>" or "rule.<param>"
    role: str
    reads: tuple[str, ...]
    fn: Callable[[Mapping[str, Value], Context], Value]
    rule: str


def _out(x: Any) -> Value:
    """A plain float for scalar input (what a scenario file stores), an array otherwise."""
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def _f(facts: Mapping[str, Value], name: str, default: float = 0.0) -> np.ndarray:
    return np.asarray(facts.get(name, default), dtype=float)


def _subsidy(facts: Mapping[str, Value], ctx: Context) -> Value:
    if "energy_subsidy_share_gdp" in facts:
        return _out(_f(facts, "energy_subsidy_share_gdp"))
    return _out(_f(facts, "energy_subsidy_usd_bn") / _f(facts, "gdp_usd_bn"))


def _regime(facts: Mapping[str, Value], ctx: Context) -> Value:
    base = ROLE_VARS["hedger"]["regime_security"].default
    value = (
        base + FREE_ELECTIONS_SECURITY * _f(facts, "free_elections") - MASS_PROTEST_SECURITY * _f(facts, "mass_protest")
    )
    return _out(np.clip(value, 0.0, 1.0))


def _external(facts: Mapping[str, Value], ctx: Context) -> Value:
    """The rival's share of the local balance, r / (1 + r) with r = rival / own spending (1 with no own forces)."""
    rival, own = _f(facts, "rival_state_spending_usd_bn"), _f(facts, "military_spending_usd_bn")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = rival / (own + rival)
    return _out(np.where(own > 0, share, np.where(rival > 0, 1.0, 0.0)))


def _relative_power(facts: Mapping[str, Value], ctx: Context) -> Value:
    spending = None if ctx.patron_spending is None else np.asarray(ctx.patron_spending, dtype=float)
    if spending is None or np.any(spending <= 0):
        raise Needs("military_spending_usd_bn", "military_spending_usd_bn of the (first) patron, the reference power")
    return _out(_f(facts, "military_spending_usd_bn") / spending)


def _csbm(facts: Mapping[str, Value], ctx: Context) -> Value:
    in_force = _f(facts, "csbm_agreement_year", math.inf) <= ctx.start_year
    return _out(np.where(in_force, _f(facts, "csbm_measures") / CSBM_MEASURES_FULL, 0.0))


TARGETS: list[Target] = [
    Target(
        "state.dependence_patron",
        "hedger",
        ("trade_share_patron",),
        lambda f, c: _f(f, "trade_share_patron"),
        "= trade_share_patron",
    ),
    Target(
        "state.dependence_bloc",
        "hedger",
        ("trade_share_bloc",),
        lambda f, c: _f(f, "trade_share_bloc"),
        "= trade_share_bloc",
    ),
    Target(
        "state.energy_dependence",
        "hedger",
        ("energy_share_patron",),
        lambda f, c: _f(f, "energy_share_patron"),
        "= energy_share_patron",
    ),
    Target(
        "state.subsidy",
        "hedger",
        ("energy_subsidy_usd_bn", "energy_subsidy_share_gdp"),
        _subsidy,
        "= energy_subsidy_usd_bn / gdp_usd_bn, or energy_subsidy_share_gdp",
    ),
    Target(
        "state.alignment",
        "hedger",
        ("military_alliance_patron", "economic_union_patron"),
        lambda f, c: -ALLIANCE_TIE_LEAN * (_f(f, "military_alliance_patron") + _f(f, "economic_union_patron")),
        f"= -{ALLIANCE_TIE_LEAN} x (military_alliance_patron + economic_union_patron)",
    ),
    Target(
        "state.regime_security",
        "hedger",
        ("free_elections", "mass_protest"),
        _regime,
        f"= {ROLE_VARS['hedger']['regime_security'].default} (role default) + {FREE_ELECTIONS_SECURITY} x "
        f"free_elections - {MASS_PROTEST_SECURITY} x mass_protest, within [0, 1]",
    ),
    Target(
        "state.legitimacy_crisis",
        "hedger",
        ("contested_election",),
        lambda f, c: _f(f, "contested_election"),
        "= contested_election",
    ),
    Target(
        "rule.host_talks",
        "hedger",
        ("hosts_regional_talks",),
        lambda f, c: TALKS_INTENSITY * _f(f, "hosts_regional_talks"),
        f"= {TALKS_INTENSITY} x hosts_regional_talks (a parameter of the logit_hedger rule)",
    ),
    Target(
        "state.hub",
        "hedger",
        ("hosts_regional_talks",),
        lambda f, c: hub_equilibrium(TALKS_INTENSITY * _f(f, "hosts_regional_talks"), c.params.hub_decay),
        "= the level host_talks sustains: h(1 - d) / (d + h(1 - d)), h = host_talks from the fact, "
        "d = parameters.hub_decay",
    ),
    Target(
        "state.transparency",
        "hedger",
        ("exercise_transparency",),
        lambda f, c: _f(f, "exercise_transparency"),
        "= exercise_transparency",
    ),
    Target(
        "state.base",
        "hedger",
        ("hosts_patron_base",),
        lambda f, c: _f(f, "hosts_patron_base"),
        "= hosts_patron_base (hosted from the start: the outcome rule counts only bases accepted in the run)",
    ),
    Target(
        "state.external_threat",
        "hedger",
        ("rival_state_spending_usd_bn", "military_spending_usd_bn"),
        _external,
        "= r / (1 + r), r = rival_state_spending_usd_bn / the hedger's military_spending_usd_bn "
        "(the rival's share of the local balance)",
    ),
    Target(
        "state.power",
        "patron",
        ("military_spending_usd_bn",),
        lambda f, c: 1.0,
        "= 1: the patron is the reference power",
    ),
    Target(
        "state.posture",
        "patron",
        ("troops_near_hedger_k",),
        lambda f, c: posture_from_troops(_f(f, "troops_near_hedger_k")),
        f"= 1 - exp(-troops_near_hedger_k / {TROOPS_SCALE_K:g})",
    ),
    Target(
        "state.proximity",
        "patron",
        ("forces_adjacent_share",),
        lambda f, c: _f(f, "forces_adjacent_share"),
        "= forces_adjacent_share",
    ),
    Target(
        "state.grievance",
        "patron",
        ("months_since_base_refusal",),
        lambda f, c: c.params.refusal_anger * (1 - c.params.grievance_decay) ** _f(f, "months_since_base_refusal"),
        "= parameters.refusal_anger x (1 - parameters.grievance_decay) ^ months_since_base_refusal",
    ),
    Target(
        "state.power",
        "security_bloc",
        ("regional_force_ratio",),
        lambda f, c: _f(f, "regional_force_ratio"),
        "= regional_force_ratio",
    ),
    Target(
        "state.posture",
        "security_bloc",
        ("troops_near_hedger_k",),
        lambda f, c: posture_from_troops(_f(f, "troops_near_hedger_k")),
        f"= 1 - exp(-troops_near_hedger_k / {TROOPS_SCALE_K:g})",
    ),
    Target(
        "state.proximity",
        "security_bloc",
        ("forces_adjacent_share",),
        lambda f, c: _f(f, "forces_adjacent_share"),
        "= forces_adjacent_share",
    ),
    Target(
        "state.commitment",
        "security_bloc",
        ("security_guarantee",),
        lambda f, c: _f(f, "security_guarantee") / (len(GUARANTEE_LEVELS) - 1),
        f"= security_guarantee / {len(GUARANTEE_LEVELS) - 1}",
    ),
    Target(
        "state.sanctions",
        "economic_bloc",
        ("sanctions_level",),
        lambda f, c: sanctions_index(_f(f, "sanctions_level")),
        "= " + ", ".join(f"{v:g}" for v in SANCTIONS_BY_LEVEL) + " for levels 0-4",
    ),
    Target(
        "state.engagement",
        "economic_bloc",
        ("agreement_level",),
        lambda f, c: engagement_index(_f(f, "agreement_level")),
        "= " + ", ".join(f"{v:g}" for v in ENGAGEMENT_BY_LEVEL) + " for levels 0-4",
    ),
    Target(
        "state.power",
        "neighbour",
        ("military_spending_usd_bn",),
        _relative_power,
        "= military_spending_usd_bn / the patron's military_spending_usd_bn",
    ),
    Target(
        "state.csbm",
        "neighbour",
        ("csbm_agreement_year", "csbm_measures"),
        _csbm,
        f"= csbm_measures / {CSBM_MEASURES_FULL} if csbm_agreement_year <= the scenario's start year, else 0",
    ),
    Target(
        "state.dependence_partner",
        "hedger",
        ("trade_share_partner",),
        lambda f, c: _f(f, "trade_share_partner"),
        "= trade_share_partner",
    ),
    Target(
        "state.remittances",
        "hedger",
        ("remittances_share_gdp",),
        lambda f, c: _f(f, "remittances_share_gdp"),
        "= remittances_share_gdp",
    ),
    Target(
        "state.transit",
        "hedger",
        ("transit_share_exports",),
        lambda f, c: _f(f, "transit_share_exports"),
        "= transit_share_exports",
    ),
    Target(
        "state.debt",
        "hedger",
        ("debt_to_patron_usd_bn",),
        lambda f, c: np.minimum(3.0, _f(f, "debt_to_patron_usd_bn") / _f(f, "gdp_usd_bn", 1.0)),
        "= debt_to_patron_usd_bn / gdp_usd_bn (at most 3)",
    ),
    Target(
        "state.neutrality",
        "hedger",
        ("neutrality_status",),
        lambda f, c: _f(f, "neutrality_status") / (len(NEUTRALITY_LEVELS) - 1),
        f"= neutrality_status / {len(NEUTRALITY_LEVELS) - 1}",
    ),
    Target(
        "state.aspiration",
        "hedger",
        ("membership_aspiration",),
        lambda f, c: _f(f, "membership_aspiration") / (len(ASPIRATION_LEVELS) - 1),
        f"= membership_aspiration / {len(ASPIRATION_LEVELS) - 1}",
    ),
    Target(
        "state.garrison",
        "hedger",
        ("unwanted_garrison_k",),
        lambda f, c: posture_from_troops(_f(f, "unwanted_garrison_k")),
        f"= 1 - exp(-unwanted_garrison_k / {TROOPS_SCALE_K:g}) (the posture scale)",
    ),
    Target(
        "state.separatism",
        "hedger",
        ("separatist_share",),
        lambda f, c: np.minimum(1.0, _f(f, "separatist_share") / SEPARATISM_FULL_SHARE),
        f"= min(1, separatist_share / {SEPARATISM_FULL_SHARE:g})",
    ),
    Target(
        "state.conditionality",
        "patron",
        ("compensation_terms",),
        lambda f, c: _f(f, "compensation_terms"),
        "= compensation_terms (0 compliance, 1 only integration)",
    ),
    Target(
        "state.candidate",
        "economic_bloc",
        ("candidate_status",),
        lambda f, c: _f(f, "candidate_status"),
        "= candidate_status",
    ),
    Target(
        "state.sanctions",
        "partner",
        ("sanctions_level",),
        lambda f, c: sanctions_index(_f(f, "sanctions_level")),
        "= " + ", ".join(f"{v:g}" for v in SANCTIONS_BY_LEVEL) + " for levels 0-4",
    ),
    Target(
        "state.engagement",
        "partner",
        ("agreement_level",),
        lambda f, c: engagement_index(_f(f, "agreement_level")),
        "= " + ", ".join(f"{v:g}" for v in ENGAGEMENT_BY_LEVEL) + " for levels 0-4",
    ),
]

# Facts that must come together, and facts that exclude each other.
REQUIRES: dict[str, tuple[str, ...]] = {
    "energy_subsidy_usd_bn": ("gdp_usd_bn",),
    "csbm_agreement_year": ("csbm_measures",),
    "csbm_measures": ("csbm_agreement_year",),
    "rival_state_spending_usd_bn": ("military_spending_usd_bn",),
}
EXCLUSIVE = (("energy_subsidy_usd_bn", "energy_subsidy_share_gdp"),)


class Needs(Exception):
    """A mapping needs a fact from another actor that the scenario does not give."""

    def __init__(self, fact: str, what: str) -> None:
        super().__init__(what)
        self.fact = fact


def derive(role: str, facts: Mapping[str, Value], ctx: Context | None = None) -> dict[str, Value]:
    """The parameters an actor's facts map to: ``{"state.var" | "rule.param": value}``.

    Pure and total over valid facts, so tests can check its monotonicity directly; element-wise
    over arrays of draws (floats in, floats out; arrays in, arrays out).
    """
    ctx = ctx or Context()
    out: dict[str, Value] = {}
    for t in TARGETS:
        if t.role == role and any(name in facts for name in t.reads):
            out[t.target] = _out(t.fn(facts, ctx))
    return out


def targets_of(fact: str) -> list[Target]:
    """The mapping rules that read a fact."""
    return [t for t in TARGETS if fact in t.reads]
