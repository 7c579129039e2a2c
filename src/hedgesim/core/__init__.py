"""The model and nothing else: its vocabulary, parameters, moves, expressions and dynamics.

Components:

* :mod:`~hedgesim.core.vocabulary`: roles, state variables, outcomes and sides.
* :mod:`~hedgesim.core.params`: structural parameters, with units and sources.
* :mod:`~hedgesim.core.switches`: mechanism weights and outcome thresholds.
* :mod:`~hedgesim.core.moves`: the move catalogue, each move with its effect on the state.
* :mod:`~hedgesim.core.expr`: the safe expression language of triggers and rules.
* :mod:`~hedgesim.core.protocols`: what the model offers rules (:class:`ModelView`) and asks of them.
* :mod:`~hedgesim.core.dynamics`: perception, economy, transfers, learning, the escalation ladder.
* :mod:`~hedgesim.core.model`: :class:`HedgeModel`, :class:`Actor` and :class:`Draws`.
* :mod:`~hedgesim.core.streams`: each replicate's random stream, seeded for thousands at once.

The core imports only numpy, mesa and pydantic (and :mod:`hedgesim.errors`); it never
imports the rules or the scenario schema, which the layers above build and pass in.
"""

from .expr import Expr, compile_expr
from .model import COERCIVE, Actor, Draws, HedgeModel
from .moves import MOVES, Move, hub_equilibrium
from .params import Parameters
from .protocols import ActorView, ModelView, RuleLike, ScenarioLike
from .switches import Mechanisms, Outcomes
from .vocabulary import (
    ALL_OUTCOMES,
    GLOBAL_VARS,
    OUTCOME_CODES,
    OUTCOME_NAMES,
    OUTCOMES,
    OUTCOMES_BY_SIDE,
    ROLE_VARS,
    ROLES,
    ROUTE_CODES,
    ROUTE_KEYS,
    ROUTES,
    SIDE_CODES,
    SIDE_KEYS,
    SIDES,
    Outcome,
    Role,
    Route,
    Side,
    Var,
    expression_names,
    outcome,
)

__all__ = [
    "ALL_OUTCOMES",
    "COERCIVE",
    "GLOBAL_VARS",
    "MOVES",
    "OUTCOMES",
    "OUTCOMES_BY_SIDE",
    "OUTCOME_CODES",
    "OUTCOME_NAMES",
    "ROLES",
    "ROLE_VARS",
    "ROUTES",
    "ROUTE_CODES",
    "ROUTE_KEYS",
    "SIDES",
    "SIDE_CODES",
    "SIDE_KEYS",
    "Actor",
    "ActorView",
    "Draws",
    "Expr",
    "HedgeModel",
    "Mechanisms",
    "ModelView",
    "Move",
    "Outcome",
    "Outcomes",
    "Parameters",
    "Role",
    "Route",
    "RuleLike",
    "ScenarioLike",
    "Side",
    "Var",
    "compile_expr",
    "expression_names",
    "hub_equilibrium",
    "outcome",
]
