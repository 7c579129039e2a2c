"""Calibration as code: one documented mapping from sourced facts to the model's parameters.

A scenario states facts per actor, each with its value, source and tag::

    facts:
      Belarus:
        trade_share_patron: {value: 0.49, source: "Belstat via NBP (Mroczek), 2019", tag: S}

:func:`apply_facts` (called by :func:`hedgesim.scenario.load_scenario` before the
schema is checked) turns them into initial state (and a few policy-free rule
parameters) through the registry below, the same for every scenario. A value the
scenario writes explicitly in an actor's ``state`` wins over the fact-derived one,
so a policy scenario can move one lever and keep the rest calibrated.

Behavioural parameters that no fact pins down (logit precision, utility weights,
rates) are not here: they take the model's defaults, shared by every scenario.
``python -m hedgesim.calibration`` writes ``docs/calibration.md`` from this module
and the shipped scenarios; ``--check`` only compares (CI and tests).
"""

from __future__ import annotations

import argparse
import copy
import difflib
import math
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalogue import ROLE_VARS, ROLES
from .errors import InputError
from .fsutil import project_root, write_atomic
from .params import Parameters
from .yamlio import SourceMap, format_path

TAGS = {
    "S": "found in the named source",
    "B": "standard bibliographic fact",
    "E": "estimate or modelling choice",
    "U": "uncertain: check before relying on it",
}
ENTRY_KEYS = ("value", "source", "tag", "note")
DERIVED_KEY = "_derived"  # per actor: what the mapping wrote last time, so re-application stays idempotent

# --------------------------------------------------------------------------- constants of the mapping
# Each is a modelling choice made once for every scenario; docs/calibration.md prints them with the reasons.

TROOPS_SCALE_K = 16.0
"""Thousands of troops at which posture reaches 1 - 1/e (0.63): eFP's 4,500 troops give 0.25 (a tripwire)."""
ALLIANCE_TIE_LEAN = 0.1
"""Alignment toward the patron per treaty tie: a tie is a lean, far from the bandwagoning threshold."""
FREE_ELECTIONS_SECURITY = 0.2
"""Regime security added where governments change by free election: survival does not hang on a patron."""
MASS_PROTEST_SECURITY = 0.3
"""Regime security removed by mass anti-government protest within the last year."""
TALKS_INTENSITY = 0.1
"""Monthly intensity of hosting talks for a standing negotiation format (Trilateral Contact Group, Minsk)."""
CSBM_MEASURES_FULL = 4
"""Measures beyond the Vienna Document that make full-depth CSBMs (see csbm_measures)."""
SANCTIONS_BY_LEVEL = (0.0, 0.05, 0.3, 0.7, 1.0)
ENGAGEMENT_BY_LEVEL = (0.1, 0.3, 0.5, 0.7, 0.9)
LOAN_GDP_PER_UNIT = 0.02
"""GDP index a loan of unit intensity adds (model.py, move 'loan'); used to turn USD into intensity."""


# --------------------------------------------------------------------------- the registry of facts


@dataclass(frozen=True)
class Fact:
    """A kind of fact a scenario may state: who it describes, its unit and range, and why it matters."""

    name: str
    roles: tuple[str, ...]
    unit: str
    lo: float
    hi: float
    meaning: str
    why: str
    kind: str = "number"  # number | share | flag | level | year | count
    levels: tuple[str, ...] = ()
    positive: bool = False  # strictly above lo


def _level_range(levels: tuple[str, ...]) -> tuple[float, float]:
    return 0.0, float(len(levels) - 1)


SANCTION_LEVELS = (
    "none",
    "residual (arms embargo, a handful of listings)",
    "targeted listings of officials and firms (dozens to hundreds)",
    "sectoral sanctions (key export sectors, finance)",
    "comprehensive embargo",
)
AGREEMENT_LEVELS = (
    "no agreement",
    "partnership and cooperation (PCA, Eastern Partnership, GATT only)",
    "association or free-trade agreement negotiated or initialled",
    "association or free-trade agreement signed or in force",
    "membership",
)
GUARANTEE_LEVELS = (
    "none",
    "political assurances (e.g. the 1994 Budapest Memorandum)",
    "declared membership perspective (e.g. NATO Bucharest 2008)",
    "treaty guarantee (e.g. NATO Article 5)",
)

FACTS: dict[str, Fact] = {
    f.name: f
    for f in [
        # -- the hedger's economy
        Fact(
            "trade_share_patron",
            ("hedger",),
            "share of trade",
            0,
            1,
            "the patron's share of the hedger's foreign trade (exports plus imports)",
            "Hirschman 1945: the larger the share, the costlier it is to give the relation up, so the more "
            "the patron's levers hurt",
            kind="share",
        ),
        Fact(
            "trade_share_bloc",
            ("hedger",),
            "share of trade",
            0,
            1,
            "the economic blocs' share of the hedger's foreign trade",
            "the outside option: what engagement can offer and sanctions can take away",
            kind="share",
        ),
        Fact(
            "energy_share_patron",
            ("hedger",),
            "share of supply",
            0,
            1,
            "the patron's share of the hedger's oil and gas supply",
            "pipelines are the patron's chokepoint (Farrell & Newman 2019)",
            kind="share",
        ),
        Fact(
            "gdp_usd_bn",
            ("hedger",),
            "USD bn",
            0,
            1e6,
            "the hedger's GDP",
            "the denominator that turns transfers in dollars into shares of GDP",
            positive=True,
        ),
        Fact(
            "energy_subsidy_usd_bn",
            ("hedger",),
            "USD bn a year",
            0,
            1e6,
            "implicit energy subsidy from the patron (discounted oil and gas, duty-free crude)",
            "a transfer worth 1% of GDP is 1% of GDP: what the patron can withdraw",
        ),
        Fact(
            "energy_subsidy_share_gdp",
            ("hedger",),
            "share of GDP",
            0,
            0.5,
            "the same subsidy where the source gives it as a share of GDP",
            "as energy_subsidy_usd_bn; give one of the two",
            kind="share",
        ),
        Fact(
            "military_alliance_patron",
            ("hedger",),
            "flag",
            0,
            1,
            "a mutual-assistance treaty with the patron in force (CSTO; the 1948 Finnish-Soviet treaty)",
            "alliance ties set where the hedger starts: a lean toward the patron, not a side",
            kind="flag",
        ),
        Fact(
            "economic_union_patron",
            ("hedger",),
            "flag",
            0,
            1,
            "membership of an economic union with the patron (Union State, Eurasian Economic Union)",
            "as military_alliance_patron",
            kind="flag",
        ),
        Fact(
            "free_elections",
            ("hedger",),
            "flag",
            0,
            1,
            "governments change by free election (Freedom House 'Free')",
            "where rulers can lose office safely, regime survival does not hang on a patron's backing",
            kind="flag",
        ),
        Fact(
            "mass_protest",
            ("hedger",),
            "flag",
            0,
            1,
            "mass anti-government protest within the last year",
            "an insecure regime looks for a protector (David 1991, omnibalancing)",
            kind="flag",
        ),
        Fact(
            "contested_election",
            ("hedger",),
            "flag",
            0,
            1,
            "the last national election's result rejected at home and not recognised by the blocs",
            "a legitimacy crisis draws the blocs' sanctions and erodes regime security",
            kind="flag",
        ),
        Fact(
            "hosts_regional_talks",
            ("hedger",),
            "flag",
            0,
            1,
            "the capital hosts a standing format of regional talks",
            "the seed's proposal 1: a hub raises the patron's tolerance and damps escalation",
            kind="flag",
        ),
        Fact(
            "exercise_transparency",
            ("hedger",),
            "share of exercises",
            0,
            1,
            "share of large exercises opened to foreign observers",
            "Vienna Document 2011: transparency lowers misperception (Zapad 2017 observers)",
            kind="share",
        ),
        Fact(
            "hosts_patron_base",
            ("hedger",),
            "flag",
            0,
            1,
            "a patron base on the hedger's territory at the start (Gyumri, Sevastopol, Porkkala)",
            "a base brings the patron's forces onto the hedger's soil and raises its stake (and the means of "
            "a fait accompli); hosted from the start it is a fact, not an outcome",
            kind="flag",
        ),
        Fact(
            "military_spending_usd_bn",
            ("patron", "neighbour", "hedger"),
            "USD bn a year",
            0,
            1e5,
            "military spending (SIPRI definition)",
            "power in Walt's balance of threat, relative to the patron (the patron = 1); the hedger's own "
            "spending only scales a third state's threat",
        ),
        Fact(
            "rival_state_spending_usd_bn",
            ("hedger",),
            "USD bn a year",
            0,
            1e5,
            "military spending of a third state in an unresolved armed conflict with the hedger "
            "(needs the hedger's military_spending_usd_bn)",
            "Snyder 1984: a hedger that only the patron protects fears abandonment",
        ),
        # -- the patron and the security blocs
        Fact(
            "troops_near_hedger_k",
            ("patron", "security_bloc"),
            "thousand troops",
            0,
            1000,
            "troops the side keeps (or exercises) on or next to the hedger's territory",
            "offensive capability near the hedger (Walt); force density breeds incidents (Jervis)",
        ),
        Fact(
            "forces_adjacent_share",
            ("patron", "security_bloc"),
            "share of forward forces",
            0,
            1,
            "share of the side's forward forces based in states or regions bordering the hedger",
            "proximity in Walt's balance of threat",
            kind="share",
        ),
        Fact(
            "months_since_base_refusal",
            ("patron",),
            "months",
            0,
            1200,
            "months since the hedger last refused the patron a base",
            "Snyder: refusing entrapment angers the ally; the anger fades at the shared grievance_decay",
        ),
        Fact(
            "regional_force_ratio",
            ("security_bloc",),
            "ratio",
            0,
            10,
            "the bloc's forces in the region over the patron's forces in the region",
            "power relative to the patron; a bloc's global spending says little about the regional balance",
        ),
        Fact(
            "security_guarantee",
            ("security_bloc",),
            "level",
            *_level_range(GUARANTEE_LEVELS),
            "the bloc's security commitment to the hedger",
            "a credible outside protector makes leaning away from the patron less dangerous",
            kind="level",
            levels=GUARANTEE_LEVELS,
        ),
        # -- the economic blocs
        Fact(
            "sanctions_level",
            ("economic_bloc",),
            "level",
            *_level_range(SANCTION_LEVELS),
            "the bloc's sanctions on the hedger in force at the start",
            "sanctions cost GDP through bloc trade and regime security",
            kind="level",
            levels=SANCTION_LEVELS,
        ),
        Fact(
            "agreement_level",
            ("economic_bloc",),
            "level",
            *_level_range(AGREEMENT_LEVELS),
            "the deepest agreement between the bloc and the hedger at the start",
            "engagement is the outside option (market access, loans, dialogue)",
            kind="level",
            levels=AGREEMENT_LEVELS,
        ),
        # -- the neighbours
        Fact(
            "csbm_agreement_year",
            ("neighbour",),
            "year",
            1975,
            2100,
            "year a bilateral CSBM agreement with the hedger entered into force (needs csbm_measures)",
            "an agreement not yet in force at the start gives no CSBMs",
            kind="year",
        ),
        Fact(
            "csbm_measures",
            ("neighbour",),
            "count",
            0,
            CSBM_MEASURES_FULL,
            f"how many of the {CSBM_MEASURES_FULL} measures beyond the Vienna Document the agreement has: extra "
            "evaluation visits or inspections, data exchange on border units, lower notification thresholds, "
            "a hotline or risk-reduction channel (needs csbm_agreement_year)",
            "Vienna Document 2011: notification, inspection and risk reduction lower incident risk",
            kind="count",
        ),
    ]
}


# --------------------------------------------------------------------------- the mapping


@dataclass(frozen=True)
class Context:
    """What a mapping may read besides the actor's own facts: shared parameters, dates, the patron."""

    params: Parameters = field(default_factory=Parameters)
    start_year: int = 2019
    patron_spending: float | None = None  # USD bn of the reference patron


def posture_from_troops(thousands: float) -> float:
    """Saturating posture index from troops near the hedger: 4.5k (eFP) -> 0.25, 30k (Feb 2022) -> 0.85."""
    return 1.0 - math.exp(-max(0.0, thousands) / TROOPS_SCALE_K)


def hub_equilibrium(intensity: float, decay: float) -> float:
    """Hub activity that hosting talks at ``intensity`` a step sustains against ``decay`` (model.py dynamics)."""
    gain = intensity * (1 - decay)
    return gain / (decay + gain) if decay + gain > 0 else 0.0


def sanctions_index(level: float) -> float:
    return SANCTIONS_BY_LEVEL[int(level)]


def engagement_index(level: float) -> float:
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
        raise _Needs("military_spending_usd_bn", "military_spending_usd_bn of the (first) patron, the reference power")
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


class _Needs(Exception):
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


# --------------------------------------------------------------------------- applying facts to a scenario


def _where(source: SourceMap | None, label: str, path: tuple[Any, ...]) -> dict[str, Any]:
    file, line = source.locate(path) if source else (label, None)
    return {"file": file, "line": line, "field": format_path(path)}


def _closest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=2, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _check_value(fact: Fact, raw: Any, err: Callable[[str], InputError]) -> float:
    if isinstance(raw, bool):
        if fact.kind != "flag":
            raise err(f"must be a number ({fact.unit}), not {raw!r}")
        return float(raw)
    if not isinstance(raw, int | float) or isinstance(raw, bool) or not math.isfinite(raw):
        raise err(f"must be a finite number ({fact.unit}), not {raw!r}")
    value = float(raw)
    if fact.kind in ("flag", "level", "year", "count") and value != int(value):
        raise err(f"must be a whole number ({fact.kind}), not {raw!r}")
    if value < fact.lo or value > fact.hi or (fact.positive and value <= fact.lo):
        low = f"above {fact.lo:g}" if fact.positive else f"at least {fact.lo:g}"
        levels = ""
        if fact.levels:
            levels = " (" + "; ".join(f"{i}: {text}" for i, text in enumerate(fact.levels)) + ")"
        raise err(f"{value:g} is out of range: {fact.name} must be {low} and at most {fact.hi:g} {fact.unit}{levels}")
    return value


def _read_facts(data: Mapping[str, Any], source: SourceMap | None, label: str) -> dict[str, dict[str, float]]:
    """Check every fact entry and return the plain values per actor."""
    facts = data["facts"]
    if not isinstance(facts, Mapping):
        raise InputError("'facts' must map actor names to their facts", **_where(source, label, ("facts",)))
    actors = data.get("actors") if isinstance(data.get("actors"), Mapping) else {}
    out: dict[str, dict[str, float]] = {}
    for actor, entries in facts.items():
        apath: tuple[Any, ...] = ("facts", actor)
        if actor not in actors:
            hint = _closest(str(actor), [str(a) for a in actors])
            known = ", ".join(str(a) for a in actors) or "none"
            raise InputError(
                f"facts for unknown actor {actor!r} (actors: {known}){hint}", **_where(source, label, apath)
            )
        if not isinstance(entries, Mapping):
            raise InputError(
                "an actor's facts must be a mapping of fact name to {value, source, tag}",
                **_where(source, label, apath),
            )
        spec = actors[actor]
        role = spec.get("role") if isinstance(spec, Mapping) else None
        values: dict[str, float] = {}
        for name, entry in entries.items():
            if name == DERIVED_KEY:
                continue
            fpath = (*apath, name)
            if name not in FACTS:
                state_hint = ""
                if isinstance(role, str) and name in ROLE_VARS.get(role, {}):
                    state_hint = f"; {name!r} is a state variable: set it under actors.{actor}.state"
                raise InputError(
                    f"unknown fact {name!r}{_closest(str(name), FACTS) or state_hint} "
                    "(the facts are listed in docs/calibration.md)",
                    **_where(source, label, fpath),
                )
            fact = FACTS[name]
            if isinstance(role, str) and role in ROLES and role not in fact.roles:
                raise InputError(
                    f"fact {name!r} describes a {' or '.join(fact.roles)}, but {actor!r} is a {role}",
                    **_where(source, label, fpath),
                )
            if not isinstance(entry, Mapping):
                raise InputError(
                    f"fact {name!r} must be a mapping with 'value', 'source' and 'tag'", **_where(source, label, fpath)
                )
            for key in entry:
                if key not in ENTRY_KEYS:
                    raise InputError(
                        f"unknown key {key!r} in a fact (allowed: {', '.join(ENTRY_KEYS)})"
                        + _closest(str(key), ENTRY_KEYS),
                        **_where(source, label, (*fpath, key)),
                    )
            if "value" not in entry:
                raise InputError(f"fact {name!r} has no 'value'", **_where(source, label, fpath))
            src = entry.get("source")
            if not isinstance(src, str) or not src.strip():
                raise InputError(
                    f"fact {name!r} needs a 'source' saying where the number comes from (a publication, a "
                    "statistics office, or 'estimate: <reasoning>' with tag E)",
                    **_where(source, label, (*fpath, "source") if "source" in entry else fpath),
                )
            tag = entry.get("tag")
            if tag not in TAGS:
                raise InputError(
                    f"fact {name!r} needs a 'tag', one of {', '.join(TAGS)} "
                    f"({'; '.join(f'{k}: {v}' for k, v in TAGS.items())}), not {tag!r}",
                    **_where(source, label, (*fpath, "tag") if "tag" in entry else fpath),
                )
            note = entry.get("note")
            if note is not None and not isinstance(note, str):
                raise InputError("a fact's 'note' must be text", **_where(source, label, (*fpath, "note")))

            def err(msg: str, _p: tuple[Any, ...] = (*fpath, "value")) -> InputError:
                return InputError(msg, **_where(source, label, _p))

            values[name] = _check_value(fact, entry["value"], err)
        for name in values:
            for other in REQUIRES.get(name, ()):
                if other not in values:
                    raise InputError(
                        f"fact {name!r} needs {other!r} for the same actor", **_where(source, label, (*apath, name))
                    )
        for a, b in EXCLUSIVE:
            if a in values and b in values:
                raise InputError(f"give {a!r} or {b!r}, not both", **_where(source, label, (*apath, b)))
        out[str(actor)] = values
    return out


def _start_year(data: Mapping[str, Any]) -> int:
    start = data.get("start", "2019-01")
    try:
        return int(str(start).split("-")[0])
    except ValueError:
        return 2019  # the schema reports a malformed date


def _params(data: Mapping[str, Any]) -> Parameters:
    try:
        return Parameters.model_validate(data.get("parameters") or {})
    except Exception:  # the schema reports bad parameters with their file and line
        return Parameters()


def _context(data: Mapping[str, Any], values: dict[str, dict[str, float]]) -> Context:
    actors = data["actors"]
    patrons = [n for n, a in actors.items() if isinstance(a, Mapping) and a.get("role") == "patron"]
    spending = values.get(patrons[0], {}).get("military_spending_usd_bn") if patrons else None
    return Context(params=_params(data), start_year=_start_year(data), patron_spending=spending)


def _check_derived(
    actor: str,
    role: str,
    derived: dict[str, float],
    facts: dict[str, float],
    source: SourceMap | None,
    label: str,
) -> None:
    """A derived value outside the model's range is an input error naming the fact behind it."""
    if "trade_share_patron" in facts and "trade_share_bloc" in facts:
        total = facts["trade_share_patron"] + facts["trade_share_bloc"]
        if total > 1 + 1e-9:
            raise InputError(
                f"trade_share_patron + trade_share_bloc = {total:g} exceeds 1 (shares of the same trade)",
                **_where(source, label, ("facts", actor, "trade_share_bloc", "value")),
            )
    for target, value in derived.items():
        kind, name = target.split(".", 1)
        if kind != "state":
            continue
        var = ROLE_VARS[role][name]
        if not var.lo <= value <= var.hi:
            reads = next(t.reads for t in TARGETS if t.role == role and t.target == target)
            culprit = next(r for r in reads if r in facts)
            raise InputError(
                f"maps to {name} = {value:.4g}, outside [{var.lo:g}, {var.hi:g}] ({var.unit}); "
                f"check {', '.join(r for r in (*reads, *REQUIRES.get(culprit, ())) if r in facts)}",
                **_where(source, label, ("facts", actor, culprit, "value")),
            )


def apply_facts(data: dict[str, Any], source: SourceMap | None = None, label: str = "<scenario>") -> dict[str, Any]:
    """Fill actors' state (and the hedger's host_talks) from the scenario's ``facts`` via the shared mapping.

    Explicit values in ``state`` (or rule params) win. The values written are recorded
    under ``facts.<actor>._derived`` so that applying again, e.g. after an override of a
    fact, re-derives them instead of mistaking them for explicit ones. Raises
    :class:`InputError` with file, line and field for any bad fact.
    """
    if not isinstance(data, Mapping) or data.get("facts") is None:
        return data
    data = copy.deepcopy(dict(data))
    if not isinstance(data.get("actors"), Mapping):
        return data  # the schema reports the missing actors
    values = _read_facts(data, source, label)
    ctx = _context(data, values)
    facts = data["facts"]
    for actor, entries in facts.items():
        spec = data["actors"][actor]
        role = spec.get("role") if isinstance(spec, Mapping) else None
        if role not in ROLES:
            continue  # the schema reports the bad role
        try:
            derived = derive(role, values[actor], ctx)
        except _Needs as exc:
            raise InputError(
                f"the facts of {actor!r} need {exc}", **_where(source, label, ("facts", actor, exc.fact))
            ) from None
        _check_derived(actor, role, derived, values[actor], source, label)
        old = entries.get(DERIVED_KEY) or {}
        if not isinstance(old, Mapping):
            raise InputError(
                f"'{DERIVED_KEY}' is written by hedgesim and must be a mapping",
                **_where(source, label, ("facts", actor, DERIVED_KEY)),
            )
        record: dict[str, float] = {}
        for target in sorted(set(derived) | set(old)):
            kind, name = target.split(".", 1)
            if kind == "state":
                if spec.get("state") is None:
                    spec["state"] = {}
                table = spec["state"]
            else:
                rule = spec.get("rule")
                if rule is None and target in derived:
                    rule = spec["rule"] = {"name": "logit_hedger", "params": {}}
                if isinstance(rule, dict) and rule.get("name") not in ("logit_hedger", None) and target in derived:
                    raise InputError(
                        f"fact {'hosts_regional_talks'!r} sets logit_hedger's {name}, but {actor!r} uses rule "
                        f"{rule.get('name')!r}",
                        **_where(source, label, ("facts", actor, "hosts_regional_talks")),
                    )
                table = rule.setdefault("params", {}) if isinstance(rule, dict) else None
            if table is None or not isinstance(table, dict):
                continue  # malformed state/rule: the schema reports it
            current = table.get(name)
            was_derived = target in old and current == old[target]
            if target in derived:
                if current is None or was_derived:
                    table[name] = derived[target]
                    record[target] = derived[target]
            elif was_derived:
                del table[name]  # the fact behind it is gone: back to the default
        if record:
            entries[DERIVED_KEY] = record
        else:
            entries.pop(DERIVED_KEY, None)
    return data


# --------------------------------------------------------------------------- event intensities from facts
# Events (`at:`, `move`, `intensity`) are written by hand; these rules turn a sourced number into an
# intensity, and the case files cite the rule in a comment next to each number.


def loan_intensity(usd_bn: float, gdp_usd_bn: float) -> float:
    """A loan worth ``usd_bn`` as a move intensity: its share of GDP over the model's GDP effect per unit."""
    return usd_bn / gdp_usd_bn / LOAN_GDP_PER_UNIT


def restriction_intensity(loss_usd_bn: float, gdp_usd_bn: float, dependence: float, restriction_cost: float) -> float:
    """A trade restriction that cost ``loss_usd_bn`` of exports: the restriction index giving that GDP loss."""
    return loss_usd_bn / gdp_usd_bn / (restriction_cost * dependence)


def sanctions_step(from_level: int, to_level: int) -> float:
    """Intensity of a 'sanctions' move that raises the index from one level's value to another's."""
    a, b = SANCTIONS_BY_LEVEL[from_level], SANCTIONS_BY_LEVEL[to_level]
    return (b - a) / (1 - a)


def engagement_step(from_level: int, to_level: int) -> float:
    """Intensity of an 'engagement' move that raises engagement from one agreement level's value to another's."""
    a, b = ENGAGEMENT_BY_LEVEL[from_level], ENGAGEMENT_BY_LEVEL[to_level]
    return (b - a) / (1 - a)


def price_rise_cut(rise: float, price: float, reference_price: float) -> float:
    """Share of a price subsidy removed when a discounted price rises by ``rise`` (a share) toward a reference."""
    return rise * price / (reference_price - price)


EVENT_RULES: list[tuple[str, str, str]] = [
    (
        "loan of L USD bn",
        "loan, intensity = (L / GDP) / " + f"{LOAN_GDP_PER_UNIT:g}",
        f"model.py adds {LOAN_GDP_PER_UNIT:g} to the GDP index per unit of loan intensity",
    ),
    (
        "trade restriction costing X USD bn of exports",
        "trade_restriction, intensity = (X / GDP) / (parameters.restriction_cost x dependence_patron)",
        "the restriction index whose GDP cost equals the loss",
    ),
    (
        "sanctions raised from level a to b",
        "sanctions, intensity = (s_b - s_a) / (1 - s_a)",
        "a 'sanctions' move adds intensity x (1 - sanctions); s_k from the sanctions_level table",
    ),
    (
        "sanctions lifted from level a to b",
        "engagement, intensity = s_a - s_b",
        "an 'engagement' move removes its intensity from sanctions",
    ),
    (
        "agreement deepened from level a to b",
        "engagement, intensity = (e_b - e_a) / (1 - e_a)",
        "an 'engagement' move adds intensity x (1 - engagement); e_k from the agreement_level table",
    ),
    (
        "energy price rise of r on a discounted price p (reference P)",
        "subsidy_cut, intensity = r p / (P - p)",
        "the share of the discount (P - p) that the rise removes",
    ),
    (
        "troops deployed near the hedger (T thousand, from T0)",
        "deployment, intensity = posture(T) - posture(T0), posture(T) = 1 - exp(-T / 16)",
        "the same rule as troops_near_hedger_k",
    ),
    ("mass protest", f"add regime_security: -{MASS_PROTEST_SECURITY}", "the same rule as the mass_protest fact"),
    ("contested election", "set legitimacy_crisis: 1", "the same rule as the contested_election fact"),
    (
        "talks hosted from a date",
        f"host_talks, intensity {TALKS_INTENSITY:g} a step (duration d: d x {TALKS_INTENSITY:g})",
        "the same rule as hosts_regional_talks",
    ),
]


# --------------------------------------------------------------------------- docs/calibration.md

REPO = project_root()
SCENARIOS = REPO / "scenarios"
DOC = REPO / "docs" / "calibration.md"
POLICY_LEVERS = {"logit_hedger": ("host_talks", "csbm", "transparency")}
GENERATED_NOTE = "<!-- Generated by `python -m hedgesim.calibration` from the code and scenarios/: do not edit. -->"


def shipped_scenarios(root: Path = SCENARIOS) -> list[Path]:
    """Every shipped scenario and case (not sweeps), in a stable order: baseline first."""
    files = sorted(root.glob("*.yaml")) + sorted((root / "cases").glob("*.yaml"))
    return sorted(files, key=lambda p: (p.parent.name == "cases", p.name != "baseline.yaml", p.name))


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _num(x: float) -> str:
    return f"{x:.4g}"


def _table(head: list[str], rows: Iterable[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def behavioural_settings(data: Mapping[str, Any]) -> list[str]:
    """Paths at which a scenario sets a behavioural or structural parameter away from the shared default.

    Facts, explicit state, events and the hedger's policy levers are not behavioural; a value equal
    to the default changes nothing and is not reported.
    """
    from .params import Outcomes
    from .rules import DEFAULT_RULES, available_rules

    found: list[str] = []
    for key, model in (("parameters", Parameters), ("outcomes", Outcomes)):
        defaults = model().model_dump()
        found += [f"{key}.{k}" for k, v in (data.get(key) or {}).items() if defaults.get(k, object()) != v]
    rules = available_rules()
    for name, spec in (data.get("actors") or {}).items():
        rule = spec.get("rule") or {}
        rname = rule.get("name") or DEFAULT_RULES.get(spec.get("role", ""), "")
        levers = POLICY_LEVERS.get(rname, ())
        fields = rules[rname].Params.model_fields if rname in rules else {}
        for k, v in (rule.get("params") or {}).items():
            if k in levers:
                continue
            info = fields.get(k)
            if info is None or info.default != v:
                found.append(f"actors.{name}.rule.params.{k}")
    return found


def _load(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The scenario's raw data (after extends) and its data with facts applied."""
    from .yamlio import load_with_extends

    raw, smap = load_with_extends(path)
    return raw, apply_facts(raw, smap, str(path))


def render(root: Path = SCENARIOS) -> str:
    """The text of docs/calibration.md."""
    from .rules import LogitHedgerParams, ReciprocityParams

    paths = shipped_scenarios(root)
    loaded = {p: _load(p) for p in paths}
    rel = {p: p.relative_to(root).as_posix() for p in paths}
    lines = [
        GENERATED_NOTE,
        "",
        "# Calibration: from sourced facts to parameters",
        "",
        "Every scenario states its facts (value, source, tag) under `facts:`; one mapping, "
        "`hedgesim.calibration`, turns them into the model's initial state, the same for every "
        "scenario. A value written explicitly in an actor's `state` wins (policy scenarios move a "
        "lever that way). Tags: " + "; ".join(f"**{k}** {v}" for k, v in TAGS.items()) + ".",
        "",
        "Behavioural parameters that no fact pins down (the last section) are set once, in the "
        "code, for all scenarios: no case sets them to reach its observed outcome.",
        "",
        "## The mapping",
        "",
    ]
    rows = []
    for fact in FACTS.values():
        rng = f"[{fact.lo:g}, {fact.hi:g}]" if not fact.positive else f"({fact.lo:g}, {fact.hi:g}]"
        if fact.levels:
            rng += ": " + "; ".join(f"{i} {t}" for i, t in enumerate(fact.levels))
        ts = targets_of(fact.name)
        params = "; ".join(
            f"{t.role}.{t.target.split('.', 1)[1]}"
            if t.target.startswith("state.")
            else f"{t.role} rule: {t.target.split('.', 1)[1]}"
            for t in ts
        )
        rule = "; ".join(dict.fromkeys(f"{t.target.split('.', 1)[1]} {t.rule}" for t in ts))
        rule = rule or "a denominator: see the facts that need it"
        params = params or "(none by itself)"
        rows.append(
            [f"`{fact.name}`", ", ".join(fact.roles), fact.meaning, f"{fact.unit} {rng}", params, rule, fact.why]
        )
    lines += _table(["fact", "role", "meaning", "unit and range", "parameter", "mapping rule", "why"], rows)
    lines += [
        "",
        "Constants of the mapping, each chosen once for all scenarios:",
        "",
        f"- posture scale {TROOPS_SCALE_K:g} thousand troops: NATO's enhanced Forward Presence "
        f"(4,000-5,000 troops, IISS) maps to {posture_from_troops(4.5):.2f}, the tripwire the baseline "
        f"describes; Russia's 5,500 troops in Zapad 2017 to {posture_from_troops(5.5):.2f}; the 30,000 "
        f"Russian troops in Belarus in February 2022 to {posture_from_troops(30):.2f}.",
        f"- alliance tie {ALLIANCE_TIE_LEAN:g} of alignment each: Belarus (CSTO and Union State) starts at "
        f"{-2 * ALLIANCE_TIE_LEAN:g}, a lean, well inside the bandwagoning threshold.",
        f"- regime security: the role default {ROLE_VARS['hedger']['regime_security'].default:g} for a "
        f"consolidated government; +{FREE_ELECTIONS_SECURITY:g} with free elections; "
        f"-{MASS_PROTEST_SECURITY:g} after mass protest.",
        f"- talks: a standing format hosted in the capital is {TALKS_INTENSITY:g} a month of host_talks, which "
        f"with hub_decay {Parameters().hub_decay:g} sustains a hub of "
        f"{hub_equilibrium(TALKS_INTENSITY, Parameters().hub_decay):.2f}.",
        f"- CSBMs: {CSBM_MEASURES_FULL} measures beyond the Vienna Document make full depth; the 2001 "
        "Belarus-Lithuania agreement (data exchange, an extra evaluation visit a year) has 2, depth 0.5.",
        "",
        "## Events: from a sourced number to a move's intensity",
        "",
        "Pressures and inducements during a run are events (`at:`, `move`, `intensity`). The case files "
        "compute each intensity with these rules (functions in `hedgesim.calibration`) and cite the "
        "source next to it.",
        "",
    ]
    lines += _table(["event", "move and intensity", "why"], [list(r) for r in EVENT_RULES])
    # ------------------------------------------------------------------ facts by scenario
    lines += ["", "## Facts by scenario", ""]
    lines += [
        "Values as each scenario states them (after `extends`), with what the mapping makes of them. "
        "A policy scenario that states no fact of its own uses the baseline's and is not repeated.",
        "",
    ]
    base_raw = loaded[paths[0]][0] if paths else {}
    for p in paths:
        raw, resolved = loaded[p]
        facts = raw.get("facts") or {}
        if p != paths[0] and p.parent == root and _strip(facts) == _strip(base_raw.get("facts") or {}):
            continue
        lines += [f"### {rel[p]}", ""]
        if raw.get("observed"):
            lines += [
                f"Observed outcome: **{raw['observed']}**. Start {raw.get('start')}, "
                f"{raw.get('horizon')} steps of {raw.get('step_months', 1)} month(s).",
                "",
            ]
        rows = []
        policy = p != paths[0] and p.parent == root
        if policy:
            lines += ["Only the facts that differ from the baseline's:", ""]
        base_facts = base_raw.get("facts") or {}
        for actor, entries in facts.items():
            role = raw["actors"][actor]["role"]
            rec = (resolved["facts"][actor].get(DERIVED_KEY)) or {}
            for name, entry in entries.items():
                if name == DERIVED_KEY or (policy and base_facts.get(actor, {}).get(name) == entry):
                    continue
                sets = [t.target for t in targets_of(name) if t.role == role]
                got = "; ".join(
                    f"{s.split('.', 1)[1]} = {_num(rec[s])}"
                    if s in rec
                    else f"{s.split('.', 1)[1]}: explicit value kept"
                    for s in sets
                )
                note = f" ({entry['note']})" if entry.get("note") else ""
                rows.append(
                    [
                        actor,
                        f"`{name}`",
                        _num(float(entry["value"])),
                        entry["tag"],
                        entry["source"] + note,
                        got or "(used by another rule)",
                    ]
                )
        lines += _table(["actor", "fact", "value", "tag", "source", "parameter"], rows)
        lines.append("")
    # ------------------------------------------------------------------ cross-case matrix
    cases = [p for p in paths if p.parent.name == "cases"]
    if cases:
        lines += ["## Hedger facts across the cases", ""]
        head = ["fact", *[f"{p.stem}" for p in [paths[0], *cases]]]
        rows = []
        for name, fact in FACTS.items():
            if "hedger" not in fact.roles:
                continue
            row: list[Any] = [f"`{name}`"]
            for p in [paths[0], *cases]:
                raw = loaded[p][0]
                hedger = next((a for a, s in raw["actors"].items() if s.get("role") == "hedger"), None)
                entry = (raw.get("facts") or {}).get(hedger, {}).get(name)
                row.append(f"{_num(float(entry['value']))} [{entry['tag']}]" if entry else "")
            if any(row[1:]):
                rows.append(row)
        lines += _table(head, rows)
        lines.append("")
    # ------------------------------------------------------------------ behavioural parameters
    lines += [
        "## Behavioural and structural parameters: shared by every scenario",
        "",
        "No scenario fact pins these down. They are set once, as the defaults in `hedgesim.params` and "
        "the rules' parameter models, for all scenarios together (the source column and docs/model.md "
        "give the reasoning; where a source is tagged [S], a fact fixed the value once, in the code). "
        "A case never sets them to reach its observed outcome.",
        "",
        "How they were chosen: once, jointly, against all five cases of shared/data/cases.md at the "
        "same time, with the case files fixed from their facts first. The choices that decided the "
        "fit, each a change of mechanism or of a shared default rather than of any case: the hedger "
        "judges a course by where it leads over a few months (`lookahead` 0.25, so a small step is "
        "not drowned in choice noise; this let Armenia's abandonment fear show); autonomy weighs "
        "less than security and the economy (`w_autonomy` 0.6); regime survival weighs "
        "(1 - r)/(r + 0.1), so an insecure regime follows the patron's backing (Belarus 2020); the "
        "patron's grievance responds to a sudden swing and force follows a grave defection, "
        "stronger where it has a base on the hedger's soil (`swing_anger`, `pressure_defection`, "
        "`pressure_tension`, `base_stake`: Ukraine 2014); grievance no longer lowers tolerance "
        "(that loop made every refused base spiral into escalation in Belarus 2014-19); incidents "
        "climb with tension and mutual threat (`antagonism_gain`, `climb_probability`, `rung`), "
        "which keeps 43 calm years in Finland calm. `hedgesim check-cases` shows the fit; the one "
        "cross-case comparison the model does not reproduce is reported in docs/findings.md.",
        "",
    ]
    offenders = {rel[p]: behavioural_settings(loaded[p][0]) for p in paths}
    offenders = {k: v for k, v in offenders.items() if v}
    if offenders:
        lines += ["Scenarios that set one away from its default (a policy experiment, not a calibration):", ""]
        lines += [f"- {k}: {', '.join(v)}" for k, v in offenders.items()]
    else:
        lines.append("No shipped scenario or case sets one away from its default.")
    lines += ["", "### Structural parameters (`parameters:`)", ""]
    rows = []
    for name, info in Parameters.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        rows.append(
            [f"`{name}`", _num(info.default), extra.get("unit", ""), info.description or "", extra.get("source", "")]
        )
    lines += _table(["parameter", "value", "unit", "meaning", "source"], rows)
    for title, model, skip in (
        ("The hedger's rule (`logit_hedger`)", LogitHedgerParams, POLICY_LEVERS["logit_hedger"]),
        ("The powers' rule (`reciprocity`)", ReciprocityParams, ()),
    ):
        lines += ["", f"### {title}", ""]
        rows = [
            [f"`{n}`", _num(i.default) if isinstance(i.default, int | float) else str(i.default), i.description or ""]
            for n, i in model.model_fields.items()
            if n not in skip
        ]
        lines += _table(["parameter", "value", "meaning"], rows)
    lines += [
        "",
        "## Policy levers",
        "",
        "What a policy scenario may change besides events: the hedger's "
        + ", ".join(f"`{x}`" for x in POLICY_LEVERS["logit_hedger"])
        + " (rule parameters of `logit_hedger`), explicit state values, and mechanism switches.",
        "",
    ]
    return "\n".join(lines)


def _strip(facts: Mapping[str, Any]) -> dict[str, Any]:
    return {a: {k: v for k, v in e.items() if k != DERIVED_KEY} for a, e in facts.items()}


def main(argv: list[str] | None = None) -> int:
    """Write docs/calibration.md, or with --check exit 1 when it is stale."""
    ap = argparse.ArgumentParser(prog="python -m hedgesim.calibration", description=main.__doc__)
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 if the file is out of date")
    ap.add_argument("--out", type=Path, default=DOC, help="where to write (default docs/calibration.md)")
    ap.add_argument("--scenarios", type=Path, default=SCENARIOS, help="folder of shipped scenarios")
    args = ap.parse_args(argv)
    try:
        text = render(args.scenarios) + "\n"
    except InputError as exc:
        print(f"hedgesim: error: {exc.format()}", file=sys.stderr)
        return 2
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
        if current != text:
            print(f"{args.out} is out of date: run `python -m hedgesim.calibration`", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    write_atomic(args.out, text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
