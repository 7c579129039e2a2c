"""The model's vocabulary: roles, their state variables and the moves actors exchange.

Kept apart from the dynamics so the scenario schema, the expression language and
the docs can all read one list, and a variable exists in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["hedger", "patron", "economic_bloc", "security_bloc", "neighbour"]
ROLES: tuple[Role, ...] = ("hedger", "patron", "economic_bloc", "security_bloc", "neighbour")


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
        "subsidy": Var(0.065, 0, 0.5, "share of GDP", "implicit energy subsidy received from the patron"),
        "integration": Var(0.0, 0, 1, "index", "depth of integration accepted with the patron"),
        "base": Var(0.0, 0, 1, "flag", "1 when a patron base is hosted"),
        "hub": Var(0.0, 0, 1, "index", "activity as a host of regional talks"),
        "external_threat": Var(
            0.0, 0, 10, "index", "threat from a third state against which only the patron protects the hedger"
        ),
        "transparency": Var(0.5, 0, 1, "share", "share of exercises opened to foreign observers"),
        "offer": Var(0.0, 0, 1, "index", "integration offer on the table this step", derived=True),
        "base_request": Var(0.0, 0, 1, "flag", "base request on the table this step", derived=True),
        "threat_patron": Var(0.0, 0, 10, "index", "threat perceived from the patron", derived=True),
        "threat_bloc": Var(0.0, 0, 10, "index", "threat perceived from the security blocs", derived=True),
    },
    "patron": {
        "power": Var(1.0, 0, 10, "relative", "aggregate military power (the patron = 1)"),
        "proximity": Var(1.0, 0, 1, "index", "closeness of its forces to the hedger"),
        "posture": Var(0.3, 0, 1, "index", "offensive force posture near the hedger"),
        "grievance": Var(0.0, 0, 1, "index", "anger at the hedger's defiance"),
        "restriction": Var(0.0, 0, 1, "index", "trade restrictions in force against the hedger"),
        "threat": Var(0.0, 0, 10, "index", "threat perceived from the security blocs", derived=True),
        "tolerance": Var(0.0, 0, 1, "index", "tolerance of the hedger's neutrality", derived=True),
    },
    "economic_bloc": {
        "engagement": Var(0.3, 0, 1, "index", "market access, loans and dialogue offered"),
        "sanctions": Var(0.0, 0, 1, "index", "sanctions in force against the hedger"),
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
}

# Variables that belong to the whole system, not to an actor.
GLOBAL_VARS: dict[str, Var] = {
    "tension": Var(0.0, 0, 1, "index", "rung on the escalation ladder; a crisis at the threshold"),
    "incidents": Var(0.0, 0, 1, "count", "military incident this step"),
    "exercise": Var(0.0, 0, 1, "index", "size of the exercise held this step", derived=True),
}


@dataclass(frozen=True)
class MoveKind:
    """A move: who may make it, on whom, and what kind of lever it is."""

    kind: Literal["economic", "security", "choice"]
    sources: tuple[str, ...]
    targets: tuple[str, ...]  # roles; () means the move has no target
    meaning: str


MOVES: dict[str, MoveKind] = {
    "subsidy": MoveKind("economic", ("patron",), ("hedger",), "restore part of the gap to the agreed subsidy"),
    "subsidy_cut": MoveKind("economic", ("patron",), ("hedger",), "cut this share of the subsidy at once"),
    "tax_manoeuvre": MoveKind(
        "economic", ("patron",), ("hedger",), "remove this share of the start subsidy (phase it with duration)"
    ),
    "integration_offer": MoveKind(
        "economic", ("patron",), ("hedger",), "offer deeper integration instead of compensation"
    ),
    "integration_accept": MoveKind("choice", ("hedger",), ("patron",), "accept integration for part of the subsidy"),
    "loan": MoveKind("economic", ("patron", "economic_bloc"), ("hedger",), "credit that props up economy and regime"),
    "trade_restriction": MoveKind("economic", ("patron",), ("hedger",), "restrict the hedger's exports"),
    "engagement": MoveKind("economic", ("economic_bloc",), ("hedger",), "market access, loans, lifting sanctions"),
    "sanctions": MoveKind("economic", ("economic_bloc",), ("hedger",), "sanctions on the hedger"),
    "exercise": MoveKind("security", ("patron", "security_bloc", "neighbour"), (), "exercise closed to observers"),
    "exercise_transparent": MoveKind(
        "security", ("patron", "security_bloc", "neighbour"), (), "exercise with observers invited"
    ),
    "deployment": MoveKind("security", ("patron", "security_bloc", "neighbour"), (), "raise force posture"),
    "drawdown": MoveKind("security", ("patron", "security_bloc", "neighbour"), (), "lower force posture"),
    "military_pressure": MoveKind("security", ("patron",), ("hedger",), "coercive show of force at the hedger"),
    "base_request": MoveKind("security", ("patron",), ("hedger",), "ask the hedger to host a base"),
    "base_accept": MoveKind("choice", ("hedger",), ("patron",), "host the patron's base"),
    "base_refuse": MoveKind("choice", ("hedger",), ("patron",), "refuse the patron's base"),
    "csbm": MoveKind("security", ("hedger",), ("neighbour",), "deepen CSBMs with a neighbour"),
    "host_talks": MoveKind("security", ("hedger",), (), "host regional talks (the hub)"),
    "lean_patron": MoveKind("choice", ("hedger",), ("patron",), "move alignment toward the patron"),
    "hedge": MoveKind("choice", ("hedger",), (), "move alignment toward neutrality"),
    "lean_bloc": MoveKind("choice", ("hedger",), ("economic_bloc", "security_bloc"), "move alignment toward the blocs"),
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


OUTCOMES = ("neutrality_kept", "bandwagoning", "escalation")
SIDES = ("", "patron", "bloc")
