"""The model's vocabulary: roles, their state variables, and the outcomes a run ends in.

Kept apart from the dynamics so the scenario schema, the expression language, the
tables, the figures and the docs all read one list: a variable or an outcome exists
in exactly one place. The moves actors exchange are in :mod:`hedgesim.core.moves`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["hedger", "patron", "economic_bloc", "security_bloc", "neighbour", "partner"]
ROLES: tuple[Role, ...] = ("hedger", "patron", "economic_bloc", "security_bloc", "neighbour", "partner")


@dataclass(frozen=True)
class Var:
    """One state variable of a role: its default, valid range, unit and meaning."""

    default: float
    lo: float
    hi: float
    unit: str
    meaning: str
    derived: bool = False  # recomputed each step; an initial value is not accepted


ROLE_VARS: dict[str, dict[str, Var]] = {
    "hedger": {
        "alignment": Var(0.0, -1, 1, "index", "-1 aligned with the patron, +1 with the rival blocs, 0 neutral"),
        "autonomy": Var(0.7, 0, 1, "index", "room for independent foreign-policy choice"),
        "economy": Var(1.0, 0, 3, "GDP index", "economic health; 1 = GDP in the start year"),
        "regime_security": Var(0.7, 0, 1, "index", "how secure the ruling group feels at home"),
        "legitimacy_crisis": Var(0.0, 0, 1, "index", "domestic crisis that draws the blocs' sanctions"),
        "dependence_patron": Var(0.5, 0, 1, "share", "patron's share of the hedger's foreign trade"),
        "energy_dependence": Var(0.9, 0, 1, "share", "patron's share of the hedger's hydrocarbon supply"),
        "dependence_bloc": Var(0.2, 0, 1, "share", "economic blocs' share of the hedger's foreign trade"),
        "dependence_partner": Var(0.0, 0, 1, "share", "third poles' (partners') share of the hedger's foreign trade"),
        "remittances": Var(0.0, 0, 1, "share of GDP", "remittances received from workers in the patron's economy"),
        "transit": Var(0.0, 0, 1, "share", "share of the hedger's exports that transit the patron"),
        "subsidy": Var(0.065, 0, 0.5, "share of GDP", "implicit energy subsidy received from the patron"),
        "debt": Var(0.0, 0, 3, "share of GDP", "debt owed to the patron"),
        "integration": Var(0.0, 0, 1, "index", "depth of integration accepted with the patron"),
        "base": Var(0.0, 0, 1, "flag", "1 when a patron base the host agreed to is hosted"),
        "garrison": Var(0.0, 0, 1, "index", "patron forces on the hedger's soil that the host wants removed"),
        "separatism": Var(0.0, 0, 1, "index", "patron-backed separatist regions (share of the territory's weight)"),
        "hub": Var(0.0, 0, 1, "index", "activity as a host of regional talks"),
        "external_threat": Var(
            0.0, 0, 10, "index", "threat from a third state against which only the patron protects the hedger"
        ),
        "transparency": Var(0.5, 0, 1, "share", "share of exercises opened to foreign observers"),
        "neutrality": Var(0.0, 0, 1, "index", "declared neutrality: 1 constitutional, 0.5 declared policy, 0 none"),
        "aspiration": Var(0.0, 0, 1, "index", "declared wish to join the rival blocs (1: application filed)"),
        "belief": Var(0.5, 0, 1, "probability", "the hedger's belief that the patron is of the resolute type"),
        "leader": Var(0.0, 0, 3, "code", "leader type: 0 balanced, 1 pragmatist, 2 sovereigntist, 3 regime-first"),
        "offer": Var(0.0, 0, 1, "index", "integration offer on the table this step", derived=True),
        "compensation": Var(
            0.0, 0, 1, "share", "share of the subsidy gap the patron restores a step for compliance", derived=True
        ),
        "base_request": Var(0.0, 0, 1, "flag", "base request on the table this step", derived=True),
        "debt_demand": Var(0.0, 0, 1, "share", "share of the debt the patron demands repaid this step", derived=True),
        "threat_patron": Var(0.0, 0, 10, "index", "threat perceived from the patron", derived=True),
        "threat_bloc": Var(0.0, 0, 10, "index", "threat perceived from the security blocs", derived=True),
    },
    "patron": {
        "power": Var(1.0, 0, 10, "relative", "aggregate military power (the patron = 1)"),
        "proximity": Var(1.0, 0, 1, "index", "closeness of its forces to the hedger"),
        "posture": Var(0.3, 0, 1, "index", "offensive force posture near the hedger"),
        "grievance": Var(0.0, 0, 1, "index", "anger at the hedger's defiance"),
        "restriction": Var(0.0, 0, 1, "index", "trade restrictions in force against the hedger"),
        "cutoff": Var(0.0, 0, 1, "index", "energy supply cut off from the hedger"),
        "budget": Var(0.2, 0, 10, "GDP-years", "transfers it can still afford, in years of the hedger's GDP"),
        "resolve": Var(0.5, 0, 1, "type", "private type: 1 resolute, 0 irresolute (the hedger does not see it)"),
        "conditionality": Var(
            0.0, 0, 1, "index", "1: compensation only for deeper integration; 0: compensation for compliance"
        ),
        "threat": Var(0.0, 0, 10, "index", "threat perceived from the security blocs", derived=True),
        "tolerance": Var(0.0, 0, 1, "index", "tolerance of the hedger's neutrality", derived=True),
    },
    "economic_bloc": {
        "engagement": Var(0.3, 0, 1, "index", "market access, loans and dialogue offered"),
        "sanctions": Var(0.0, 0, 1, "index", "sanctions in force against the hedger"),
        "candidate": Var(0.0, 0, 1, "flag", "membership perspective offered to the hedger (candidate status)"),
    },
    "security_bloc": {
        "power": Var(1.0, 0, 10, "relative", "aggregate military power (the patron = 1)"),
        "proximity": Var(1.0, 0, 1, "index", "closeness of its forces to the hedger"),
        "posture": Var(0.2, 0, 1, "index", "force posture on the flank facing the hedger"),
        "commitment": Var(0.0, 0, 1, "index", "credibility of its protection of the hedger"),
    },
    "neighbour": {
        "power": Var(0.1, 0, 10, "relative", "military power (the patron = 1)"),
        "posture": Var(0.2, 0, 1, "index", "force posture on the border with the hedger"),
        "csbm": Var(0.0, 0, 1, "index", "depth of CSBMs in force with the hedger"),
        "threat": Var(0.0, 0, 10, "index", "threat perceived from the patron side", derived=True),
    },
    "partner": {
        "engagement": Var(0.3, 0, 1, "index", "market access and credit offered by a third pole"),
        "sanctions": Var(0.0, 0, 1, "index", "trade restrictions a third pole imposes on the hedger"),
    },
}

# Variables that belong to the whole system, not to an actor.
GLOBAL_VARS: dict[str, Var] = {
    "tension": Var(0.0, 0, 1, "index", "rung on the escalation ladder; a crisis at the threshold"),
    "incidents": Var(0.0, 0, 1, "count", "military incident this step"),
    "exercise": Var(0.0, 0, 1, "index", "size of the largest exercise held in the previous step", derived=True),
    "pressure": Var(0.0, 0, 1, "index", "military pressure applied at the hedger this step", derived=True),
}

#: Leader types (the hedger's ``leader`` code): the utility weight each one stresses.
LEADER_TYPES: dict[int, tuple[str, str | None]] = {
    0: ("balanced", None),
    1: ("pragmatist", "w_economy"),
    2: ("sovereigntist", "w_autonomy"),
    3: ("regime-first", "w_regime"),
}


def expression_names(roles: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Every name a trigger or shock may use, mapped to (owner, variable).

    ``roles`` maps actor names to roles. Names are ``Actor.var``, ``role.var`` where the role
    has exactly one actor, the globals bare or as ``global.var``, and ``step`` (owner "step").
    The scenario checks and the model both read this one table.
    """
    names: dict[str, tuple[str, str]] = {var: ("global", var) for var in GLOBAL_VARS}
    names.update({f"global.{var}": ("global", var) for var in GLOBAL_VARS})
    names["step"] = ("step", "step")
    for role, vars_ in ROLE_VARS.items():
        members = [actor for actor, r in roles.items() if r == role]
        for actor in members:
            names.update({f"{actor}.{v}": (actor, v) for v in vars_})
        if len(members) == 1:
            names.update({f"{role}.{v}": (members[0], v) for v in vars_})
    return names


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Side:
    """The side a bandwagoning hedger joined: its key in tables, its code in the model, and a label."""

    key: str
    code: int
    label: str


SIDES: tuple[Side, ...] = (
    Side("", 0, "no side"),
    Side("patron", 1, "the patron"),
    Side("bloc", 2, "the rival blocs"),
)
SIDE_KEYS: tuple[str, ...] = tuple(s.key for s in SIDES)
SIDE_CODES: dict[str, int] = {s.key: s.code for s in SIDES}


@dataclass(frozen=True)
class Outcome:
    """How a run ended, as tables, figures and the model name it.

    An entry is either an outcome class (``side`` None for bandwagoning on either side,
    ``""`` for a class that has no side) or bandwagoning toward one side. ``key`` names
    columns (``bandwagoning_patron``), ``label`` is what people read
    (``bandwagoning (patron)``), ``code`` is the class's code in the model's arrays.
    """

    key: str
    label: str
    outcome: str
    side: str | None
    code: int
    colour: str
    meaning: str


NEUTRALITY_KEPT = Outcome(
    "neutrality_kept", "neutrality_kept", "neutrality_kept", "", 0, "#4c956c", "neither of the others, to the horizon"
)
BANDWAGONING = Outcome(
    "bandwagoning",
    "bandwagoning",
    "bandwagoning",
    None,
    1,
    "#d68c45",
    "alignment held past the threshold, a base accepted during the run, or autonomy under its floor",
)
BANDWAGONING_PATRON = Outcome(
    "bandwagoning_patron",
    "bandwagoning (patron)",
    "bandwagoning",
    "patron",
    1,
    "#c0392b",
    "bandwagoning with the patron",
)
BANDWAGONING_BLOC = Outcome(
    "bandwagoning_bloc",
    "bandwagoning (bloc)",
    "bandwagoning",
    "bloc",
    1,
    "#2e86c1",
    "bandwagoning with the rival blocs",
)
ESCALATION = Outcome(
    "escalation", "escalation", "escalation", "", 2, "#5b2a86", "tension crossed the crisis threshold (absorbing)"
)
UNDECIDED_CODE = -1
"""The model's code for a replicate no outcome has claimed yet; none is left undecided at the horizon."""

#: The three outcome classes, in their fixed order.
OUTCOMES: tuple[Outcome, ...] = (NEUTRALITY_KEPT, BANDWAGONING, ESCALATION)
#: The classes with bandwagoning split by side: these shares sum to one.
OUTCOMES_BY_SIDE: tuple[Outcome, ...] = (NEUTRALITY_KEPT, BANDWAGONING_PATRON, BANDWAGONING_BLOC, ESCALATION)
#: Every entry: the classes and the sided ones.
ALL_OUTCOMES: tuple[Outcome, ...] = (NEUTRALITY_KEPT, BANDWAGONING, BANDWAGONING_PATRON, BANDWAGONING_BLOC, ESCALATION)
OUTCOME_NAMES: tuple[str, ...] = tuple(o.key for o in OUTCOMES)
OUTCOME_CODES: dict[str, int] = {"undecided": UNDECIDED_CODE, **{o.key: o.code for o in OUTCOMES}}


@dataclass(frozen=True)
class Route:
    """Which rule decided a replicate: its key in ``runs.parquet``'s ``route`` column, its code, its meaning."""

    key: str
    code: int
    meaning: str


ROUTES: tuple[Route, ...] = (
    Route("", 0, "not decided yet"),
    Route("crisis", 1, "escalation: tension crossed the crisis threshold"),
    Route("alignment", 2, "bandwagoning: alignment held past the threshold for hold_steps"),
    Route("base", 3, "bandwagoning: a patron base accepted during the run"),
    Route("autonomy", 4, "bandwagoning: autonomy fell under its floor"),
    Route("horizon", 5, "neutrality kept: nothing decided by the horizon"),
)
ROUTE_KEYS: tuple[str, ...] = tuple(r.key for r in ROUTES)
ROUTE_CODES: dict[str, int] = {r.key: r.code for r in ROUTES}


def outcome(name: str) -> Outcome:
    """The entry named by its key (``bandwagoning_patron``) or its label (``bandwagoning (patron)``).

    Raises:
        KeyError: no outcome has that key or label.
    """
    for o in ALL_OUTCOMES:
        if name in (o.key, o.label):
            return o
    raise KeyError(name)
