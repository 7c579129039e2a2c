"""The rule base class, the registry of named rules, and their entry points.

A scenario picks each actor's rule by name (``rule: {name: reciprocity, params: {...}}``).
Users add rules with :func:`register_rule` or through the ``hedgesim.rules``
entry-point group; the registry checks a rule's parameters like any other input.
A rule types against :class:`hedgesim.core.ModelView`: what it may read and call.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import SimpleNamespace
from typing import Any, ClassVar, TypeVar

import numpy as np
from pydantic import ConfigDict, ValidationError

from ..core import ROLES, ActorView, ModelView
from ..util.numbers import NumbersNotBooleans


class RuleParams(NumbersNotBooleans):
    """Base for a rule's parameters: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class DeclaredMove:
    """A move a rule's parameters name, checked against the scenario before anything runs.

    ``where`` is its place under the rule's ``params`` (for example ``("moves", 2)``),
    so an error names the exact line of the scenario file.
    """

    move: str
    target: str | None
    where: tuple[str | int, ...] = ()


class Rule:
    """A decision rule: reads the state, makes moves through ``model.move``.

    Subclasses set ``Params`` (a :class:`RuleParams` model), list the catalogued moves
    they may make in ``moves`` (or override :meth:`possible_moves`), and implement
    :meth:`decide`. ``policy_levers`` names parameters that are policy choices a
    scenario may set (not behaviour to calibrate). The contract every rule must keep is
    tested by :class:`hedgesim.testing.RuleContract`.
    """

    name: ClassVar[str] = ""
    roles: ClassVar[tuple[str, ...]] = ROLES
    Params: ClassVar[type[RuleParams]] = RuleParams
    moves: ClassVar[tuple[str, ...]] = ()
    policy_levers: ClassVar[tuple[str, ...]] = ()

    def __init__(self, params: RuleParams) -> None:
        self.params = params
        #: What :meth:`decide` reads: the parameters, some as arrays over the replicates when drawn.
        self.q: Any = params

    def with_values(self, values: Mapping[str, np.ndarray]) -> Rule:
        """A copy whose parameters named in ``values`` are arrays over the replicates (each drew its own).

        The validated ``params`` stay as they are; the copy reads ``q``, a namespace of the
        point values with the drawn arrays in place. Rules must therefore treat every
        parameter as possibly an array (element-wise numpy, no ``if q.x > 0``).
        """
        clone = copy.copy(self)
        if values:
            fields = {name: getattr(self.params, name) for name in type(self.params).model_fields}
            clone.q = SimpleNamespace(**{**fields, **values})
        return clone

    def uniforms_needed(self, model: ModelView, actor: ActorView) -> int:
        """Uniform draws per step; fixed for a scenario so replicate streams stay aligned."""
        return 0

    def decide(self, model: ModelView, actor: ActorView, u: np.ndarray) -> None:
        """Make this step's moves through ``model.move``, drawing randomness only from ``u``.

        ``u`` is this step's uniforms for the rule's slots; the model may reuse the memory
        in a later step, so a rule that keeps uniforms beyond the step copies them.
        """
        raise NotImplementedError

    def declared_moves(self) -> list[DeclaredMove]:
        """Moves (and targets) named in the parameters, for the scenario's cross-checks."""
        return []

    def declared_expressions(self) -> list[tuple[str, tuple[str | int, ...]]]:
        """Expressions in the parameters and their place under ``params``, compiled against the scenario."""
        return []

    def possible_moves(self) -> set[str]:
        """Every move this rule may make: its class's ``moves`` and those its parameters name."""
        return set(self.moves) | {d.move for d in self.declared_moves()}


def follow_threat(model: ModelView, actor: ActorView, threat: np.ndarray, response: np.ndarray | float) -> None:
    """The spiral (Jervis): posture closes part of the gap to a target that rises with perceived threat."""
    target = np.clip(actor.initial["posture"] + model.w.spiral * response * threat, 0, 1)
    gap = (target - actor.s["posture"]) * model.p.posture_rate
    why = "spiral: posture follows the threat perceived"
    model.move("deployment", actor, None, gap > 1e-3, gap, why=why)
    model.move("drawdown", actor, None, gap < -1e-3, -gap, why=why)


def exercise(model: ModelView, actor: ActorView, u: np.ndarray, rate: np.ndarray | float, size: float) -> None:
    """A large exercise with chance ``rate`` a step, open to observers in the share the hedger's transparency sets.

    The same draw, rescaled, decides transparency: below the rate it is uniform on [0, 1).
    """
    ex = u < rate
    transparent = ex & (u / np.maximum(rate, 1e-12) < model.hedger.s["transparency"])
    model.move("exercise_transparent", actor, None, transparent, size, why="exercise with observers invited")
    model.move("exercise", actor, None, ex & ~transparent, size, why="exercise closed to observers")


_REGISTRY: dict[str, type[Rule]] = {}
_ENTRY_POINTS_LOADED = False
R = TypeVar("R", bound=type[Rule])


def register_rule(name: str, *, roles: tuple[str, ...] = ROLES) -> Callable[[R], R]:
    """Class decorator adding a rule to the registry under ``name`` for the given roles."""

    def deco(cls: R) -> R:
        unknown = set(roles) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles {sorted(unknown)} for rule {name!r}")
        if not issubclass(cls, Rule):
            raise TypeError(f"rule {name!r} must subclass hedgesim.rules.Rule")
        cls.name = name
        cls.roles = tuple(roles)
        _REGISTRY[name] = cls
        return cls

    return deco


def _load_entry_points() -> None:
    global _ENTRY_POINTS_LOADED
    if _ENTRY_POINTS_LOADED:
        return
    _ENTRY_POINTS_LOADED = True
    for ep in entry_points(group="hedgesim.rules"):
        ep.load()  # importing the module registers its rules


def available_rules() -> dict[str, type[Rule]]:
    """All registered rules, including those from installed plugins."""
    _load_entry_points()
    return dict(_REGISTRY)


DEFAULT_RULES = {
    "hedger": "logit_hedger",
    "patron": "strategic",
    "economic_bloc": "reciprocity",
    "security_bloc": "reciprocity",
    "neighbour": "reciprocity",
    "partner": "reciprocity",
}


def rule_class(role: str, name: str | None) -> type[Rule]:
    """The registered rule ``name`` (the role's default when None), checked to apply to ``role``.

    Raises:
        ValueError: the rule is unknown or does not apply to the role.
    """
    rules = available_rules()
    name = name or DEFAULT_RULES[role]
    if not isinstance(name, str) or name not in rules:
        raise ValueError(f"unknown rule {name!r} (known: {', '.join(sorted(rules))})")
    cls = rules[name]
    if role not in cls.roles:
        raise ValueError(f"rule {name!r} does not apply to role {role!r} (it applies to {', '.join(cls.roles)})")
    return cls


def validate_rule(role: str, name: str | None, params: dict[str, Any]) -> RuleParams:
    """Check a rule exists for the role and its parameters are valid.

    Raises:
        ValueError: the rule is unknown or does not apply to the role.
        pydantic.ValidationError: a parameter is unknown or out of range.
    """
    return rule_class(role, name).Params.model_validate(params)


def build_rule(role: str, name: str | None, params: dict[str, Any]) -> Rule:
    """A rule instance for an actor of ``role`` (scenario validation has reported bad input already).

    Raises:
        ValueError: the rule or its parameters are invalid.
    """
    try:
        checked = validate_rule(role, name, params)
    except ValidationError as exc:
        raise ValueError(str(exc)) from exc
    return rule_class(role, name)(checked)
