"""The targets of the mapping: each model parameter that facts set, what it reads, and the rule.

:func:`derive` is pure and total over valid facts, so tests check the mapping's
monotonicity directly; :mod:`hedgesim.calibration.mapping` applies it to a scenario.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..core import ROLE_VARS, Parameters, hub_equilibrium
from .facts import (
    ALLIANCE_TIE_LEAN,
    CSBM_MEASURES_FULL,
    ENGAGEMENT_BY_LEVEL,
    FREE_ELECTIONS_SECURITY,
    GUARANTEE_LEVELS,
    MASS_PROTEST_SECURITY,
    SANCTIONS_BY_LEVEL,
    TALKS_INTENSITY,
    TROOPS_SCALE_K,
)


@dataclass(frozen=True)
class Context:
    """What a mapping may read besides the actor's own facts: shared parameters, dates, the patron."""

    params: Parameters = field(default_factory=Parameters)
    start_year: int = 2019
    patron_spending: float | None = None  # USD bn of the reference patron


def posture_from_troops(thousands: float) -> float:
    """Saturating posture index from troops near the hedger: 4.5k (eFP) -> 0.25, 30k (Feb 2022) -> 0.85."""
    return 1.0 - math.exp(-max(0.0, thousands) / TROOPS_SCALE_K)


def sanctions_index(level: float) -> float:
    """The sanctions index of a sanctions level (0-4), from SANCTIONS_BY_LEVEL."""
    return SANCTIONS_BY_LEVEL[int(level)]


def engagement_index(level: float) -> float:
    """The engagement index of an agreement level (0-4), from ENGAGEMENT_BY_LEVEL."""
    return ENGAGEMENT_BY_LEVEL[int(level)]


@dataclass(frozen=True)
class Target:
    """One model parameter set from facts: where it lives, what it reads, and the rule."""

    target: str  # "state.<var>" or "rule.<param>"
    role: str
    reads: tuple[str, ...]
    fn: Callable[[Mapping[str, float], Context], float]
    rule: str


def _f(facts: Mapping[str, float], name: str, default: float = 0.0) -> float:
    return float(facts.get(name, default))


def _subsidy(facts: Mapping[str, float], ctx: Context) -> float:
    if "energy_subsidy_share_gdp" in facts:
        return float(facts["energy_subsidy_share_gdp"])
    return float(facts["energy_subsidy_usd_bn"]) / float(facts["gdp_usd_bn"])


def _regime(facts: Mapping[str, float], ctx: Context) -> float:
    base = ROLE_VARS["hedger"]["regime_security"].default
    value = (
        base + FREE_ELECTIONS_SECURITY * _f(facts, "free_elections") - MASS_PROTEST_SECURITY * _f(facts, "mass_protest")
    )
    return min(1.0, max(0.0, value))


def _external(facts: Mapping[str, float], ctx: Context) -> float:
    rival, own = _f(facts, "rival_state_spending_usd_bn"), _f(facts, "military_spending_usd_bn")
    ratio = rival / own if own > 0 else (math.inf if rival > 0 else 0.0)
    return 1.0 if math.isinf(ratio) else ratio / (1.0 + ratio)


def _relative_power(facts: Mapping[str, float], ctx: Context) -> float:
    if ctx.patron_spending is None or ctx.patron_spending <= 0:
        raise Needs("military_spending_usd_bn", "military_spending_usd_bn of the (first) patron, the reference power")
    return float(facts["military_spending_usd_bn"]) / ctx.patron_spending


def _csbm(facts: Mapping[str, float], ctx: Context) -> float:
    in_force = _f(facts, "csbm_agreement_year", math.inf) <= ctx.start_year
    return _f(facts, "csbm_measures") / CSBM_MEASURES_FULL if in_force else 0.0


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


def derive(role: str, facts: Mapping[str, float], ctx: Context | None = None) -> dict[str, float]:
    """The parameters an actor's facts map to: ``{"state.var" | "rule.param": value}``.

    Pure and total over valid facts, so tests can check its monotonicity directly.
    """
    ctx = ctx or Context()
    out: dict[str, float] = {}
    for t in TARGETS:
        if t.role == role and any(name in facts for name in t.reads):
            out[t.target] = float(t.fn(facts, ctx))
    return out


def targets_of(fact: str) -> list[Target]:
    """The mapping rules that read a fact."""
    return [t for t in TARGETS if fact in t.reads]
