"""Decision rules: a registry of named rules with typed parameters.

A scenario picks each actor's rule by name (``rule: {name: reciprocity, params: {...}}``).
Users add rules with :func:`register_rule` or through the ``hedgesim.rules``
entry-point group; the registry checks a rule's parameters like any other input.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .catalogue import ROLES

if TYPE_CHECKING:
    from .model import Actor, HedgeModel
    from .scenario import RuleSpec


class RuleParams(BaseModel):
    """Base for a rule's parameters: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Rule:
    """A decision rule: reads the state, makes moves through ``model.move``."""

    name: ClassVar[str] = ""
    roles: ClassVar[tuple[str, ...]] = ROLES
    Params: ClassVar[type[RuleParams]] = RuleParams

    def __init__(self, params: RuleParams) -> None:
        self.params = params

    def uniforms_needed(self, model: HedgeModel, actor: Actor) -> int:
        """Uniform draws per step; fixed for a scenario so replicate streams stay aligned."""
        return 0

    def decide(self, model: HedgeModel, actor: Actor, u: np.ndarray) -> None:
        raise NotImplementedError


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
    "patron": "reciprocity",
    "economic_bloc": "reciprocity",
    "security_bloc": "reciprocity",
    "neighbour": "reciprocity",
}


def validate_rule(role: str, name: str | None, params: dict[str, Any]) -> RuleParams:
    """Check a rule exists for the role and its parameters are valid; raise ValueError or ValidationError."""
    rules = available_rules()
    name = name or DEFAULT_RULES[role]
    if name not in rules:
        raise ValueError(f"unknown rule {name!r} (known: {', '.join(sorted(rules))})")
    cls = rules[name]
    if role not in cls.roles:
        raise ValueError(f"rule {name!r} does not apply to role {role!r} (it applies to {', '.join(cls.roles)})")
    return cls.Params.model_validate(params)


def build_rule(role: str, spec: RuleSpec | None) -> Rule:
    name = spec.name if spec else None
    params = spec.params if spec else {}
    try:
        checked = validate_rule(role, name, params)
    except ValidationError as exc:  # scenario validation has already reported these to users
        raise ValueError(str(exc)) from exc
    return available_rules()[name or DEFAULT_RULES[role]](checked)


# --------------------------------------------------------------------------- the hedger


class LogitHedgerParams(RuleParams):
    precision: float = Field(12.0, ge=0, le=1000, description="logit precision: 0 random, large = strict optimiser")
    w_economy: float = Field(1.0, ge=0, le=100, description="weight of economic gain")
    w_security: float = Field(1.0, ge=0, le=100, description="weight of security")
    w_autonomy: float = Field(0.6, ge=0, le=100, description="weight of autonomy")
    w_regime: float = Field(1.0, ge=0, le=100, description="weight of regime survival")
    distress_gain: float = Field(5.0, ge=0, le=100, description="extra weight on the economy per unit of GDP lost")
    step: float = Field(0.05, gt=0, le=1, description="alignment change per step")
    lookahead: float = Field(0.25, gt=0, le=2, description="alignment change over which a course is judged")
    host_talks: float = Field(0.0, ge=0, le=1, description="intensity of hosting talks each step (the hub)")
    csbm: float = Field(0.0, ge=0, le=1, description="deepening of CSBMs with each neighbour each step")
    transparency: float | None = Field(None, ge=0, le=1, description="share of exercises opened to observers")


@register_rule("logit_hedger", roles=("hedger",))
class LogitHedger(Rule):
    """Bounded-rational hedging (Kuik): a logit choice over leaning to the patron, hedging, leaning to the blocs.

    Each option's utility trades economy (Hirschman: coercion scales with
    dependence), security (Walt: threat from each side; entrapment from leaning),
    autonomy, and regime survival (patron backing counts when the regime is
    insecure). Base requests and integration offers are answered by the same logic.
    """

    Params = LogitHedgerParams

    def uniforms_needed(self, model: HedgeModel, actor: Actor) -> int:
        return 3

    def decide(self, model: HedgeModel, actor: Actor, u: np.ndarray) -> None:
        q: LogitHedgerParams = self.params  # type: ignore[assignment]
        p, w, h = model.p, model.w, actor.s
        if q.transparency is not None:
            h["transparency"][:] = q.transparency
        x = h["alignment"]

        def course(size: float) -> tuple[np.ndarray, ...]:
            return (
                np.clip(x - size, -1, 1),
                x - np.sign(x) * np.minimum(np.abs(x), size),
                np.clip(x + size, -1, 1),
            )

        # A course is judged by where it leads over the coming months, then taken one step at a time.
        horizons = course(q.lookahead)
        leverage = 0.5 * h["dependence_patron"] + 0.5 * h["energy_dependence"]
        distress = 1.0 + q.distress_gain * np.maximum(0.0, 1.0 - h["economy"])
        engagement = sum((e.s["engagement"] for e in model.econ_blocs), np.zeros(model.R))
        sanctions = sum((e.s["sanctions"] for e in model.econ_blocs), np.zeros(model.R))
        commitment = (
            np.max([s.s["commitment"] for s in model.sec_blocs], axis=0) if model.sec_blocs else np.zeros(model.R)
        )
        tension = model.g["tension"]
        # Omnibalancing (David 1991): regime survival dominates as it becomes insecure.
        survival = (1 - h["regime_security"]) / (h["regime_security"] + 0.1)
        utils = []
        for xk in horizons:
            lean_b, lean_p = np.maximum(0.0, xk), np.maximum(0.0, -xk)
            dis = sum(
                (model.dissatisfaction(a, xk) * (0.5 + a.s["grievance"]) for a in model.patrons),
                np.zeros(model.R),
            )
            econ = (
                -leverage * dis
                + h["dependence_bloc"] * engagement * lean_b
                - h["dependence_bloc"] * sanctions * lean_b
                + h["offer"] * leverage * lean_p
            )
            sec = -w.threat * (
                h["threat_patron"] * (1 + dis) * (1 - commitment * lean_b)
                + h["threat_bloc"] * (1 + lean_p)
                + tension * np.abs(xk)
                # Abandonment (Snyder): drifting from the patron risks its protection from a third state.
                + h["external_threat"] * (1 + xk)
            )
            aut = -np.abs(xk) + w.hub * h["hub"] * (1 - np.abs(xk))
            reg = w.regime * survival * (lean_p - lean_b) * (1 + sanctions)
            utils.append(q.w_economy * distress * econ + q.w_security * sec + q.w_autonomy * aut + q.w_regime * reg)
        U = np.stack(utils, axis=1) * q.precision
        U -= U.max(axis=1, keepdims=True)
        prob = np.exp(U)
        cum = np.cumsum(prob, axis=1) / prob.sum(axis=1, keepdims=True)
        choice = (u[:, [0]] >= cum[:, :2]).sum(axis=1)
        patron = model.patrons[0] if model.patrons else None
        bloc = (model.econ_blocs + model.sec_blocs)[0] if (model.econ_blocs or model.sec_blocs) else None
        model.move("lean_patron", actor, patron, choice == 0, q.step)
        model.move("hedge", actor, None, choice == 1, q.step)
        model.move("lean_bloc", actor, bloc, choice == 2, q.step)

        # A base request: hosting buys patron favour and backing, costs autonomy and invites the bloc's threat.
        req = h["base_request"] > 0
        if req.any() and patron is not None:
            gain = (
                q.w_economy * distress * leverage * (0.5 + patron.s["grievance"])
                + q.w_regime * w.regime * survival
                - q.w_autonomy * (p.base_autonomy_cost + 0.5)
                - q.w_security * w.threat * (h["threat_bloc"] + 0.5 + tension)
            )
            accept = req & (u[:, 1] < 1 / (1 + np.exp(-np.clip(q.precision * gain, -50, 50))))
            model.move("base_accept", actor, patron, accept, 1.0)
            model.move("base_refuse", actor, patron, req & ~accept, 1.0)

        # An integration offer instead of compensation: relief now, autonomy later.
        off = h["offer"] > 0
        if off.any() and patron is not None:
            gain = (
                q.w_economy * distress * leverage * h["offer"]
                + q.w_regime * w.regime * (1 - h["regime_security"]) * h["offer"]
                - q.w_autonomy * p.integration_autonomy_cost * h["offer"] * 2
            )
            accept = off & (u[:, 2] < 1 / (1 + np.exp(-np.clip(q.precision * gain, -50, 50))))
            model.move("integration_accept", actor, patron, accept, 0.05 * h["offer"])

        if q.host_talks > 0:
            model.move("host_talks", actor, None, True, q.host_talks)
        if q.csbm > 0:
            for nb in model.neighbours:
                model.move("csbm", actor, nb, nb.s["csbm"] < 1.0, q.csbm)


# --------------------------------------------------------------------------- the powers


class ReciprocityParams(RuleParams):
    coercion: float = Field(0.5, ge=0, le=1, description="patron: strength of economic punishment for defiance")
    forgiveness: float = Field(0.1, ge=0, le=1, description="chance per step of not punishing a defection")
    tolerance: float = Field(0.05, ge=0, le=2, description="dissatisfaction (patron) or tilt (bloc) let pass")
    offer_threshold: float = Field(0.02, ge=0, le=1, description="patron: GDP loss at which integration is offered")
    offer_size: float = Field(0.5, ge=0, le=1, description="patron: size of the integration offer")
    offer_rate: float = Field(1 / 6, ge=0, le=1, description="patron: chance per step of an offer while in distress")
    base_threshold: float = Field(0.25, ge=0, le=10, description="patron: threat at which it asks for a base")
    base_rate: float = Field(0.05, ge=0, le=1, description="patron: chance per step of asking when above threshold")
    backing: float = Field(0.5, ge=0, le=1, description="patron: support given to an insecure friendly regime")
    pressure_threshold: float = Field(0.5, ge=0, le=1, description="patron: grievance at which it applies force")
    pressure_defection: float = Field(0.2, ge=0, le=2, description="patron: dissatisfaction that force answers")
    exercise_rate: float = Field(1 / 24, ge=0, le=1, description="chance per step of a large exercise")
    posture_response: float = Field(0.5, ge=0, le=5, description="spiral: target posture gained per unit threat")
    engagement_rate: float = Field(0.05, ge=0, le=1, description="economic bloc: engagement per step of good conduct")
    sanction_rate: float = Field(0.1, ge=0, le=1, description="economic bloc: sanctions per step of bad conduct")


@register_rule("reciprocity", roles=("patron", "economic_bloc", "security_bloc", "neighbour"))
class Reciprocity(Rule):
    """Tit-for-tat with forgiveness: reward the hedger's compliance, punish its defection,
    and match the other side's posture (Jervis's spiral). What counts as compliance
    and which levers answer it depends on the actor's role."""

    Params = ReciprocityParams

    def uniforms_needed(self, model: HedgeModel, actor: Actor) -> int:
        return {"patron": 5, "economic_bloc": 1, "security_bloc": 1, "neighbour": 1}.get(actor.role, 0)

    def decide(self, model: HedgeModel, actor: Actor, u: np.ndarray) -> None:
        getattr(self, f"_{actor.role}")(model, actor, u)

    def _posture(self, model: HedgeModel, actor: Actor, threat: np.ndarray) -> None:
        q: ReciprocityParams = self.params  # type: ignore[assignment]
        target = np.clip(actor.initial["posture"] + model.w.spiral * q.posture_response * threat, 0, 1)
        gap = (target - actor.s["posture"]) * model.p.posture_rate
        model.move("deployment", actor, None, gap > 1e-3, gap)
        model.move("drawdown", actor, None, gap < -1e-3, -gap)

    def _patron(self, model: HedgeModel, a: Actor, u: np.ndarray) -> None:
        q: ReciprocityParams = self.params  # type: ignore[assignment]
        h = model.hedger
        dis = model.dissatisfaction(a, h.s["alignment"])
        defect = (dis > q.tolerance) & (u[:, 0] >= q.forgiveness)
        comply = dis <= q.tolerance
        model.move("subsidy", a, h, comply & (h.s["subsidy"] < model.s0), 0.1)
        model.move("trade_restriction", a, h, defect, q.coercion * np.minimum(dis, 1) * 0.2)
        model.move("subsidy_cut", a, h, defect, q.coercion * np.minimum(dis, 1) * 0.05)
        distress = 1.0 - h.s["economy"]
        # Offers come at the pace of intergovernmental talks, not every month.
        model.move("integration_offer", a, h, (distress > q.offer_threshold) & (u[:, 4] < q.offer_rate), q.offer_size)
        insecure = (h.s["regime_security"] < 0.4) & (h.s["alignment"] <= 0.1)
        model.move("loan", a, h, insecure & (u[:, 1] < q.backing * 0.2), q.backing)
        ask = (a.s["threat"] > q.base_threshold) & (h.s["base"] < 1) & (u[:, 2] < q.base_rate)
        model.move("base_request", a, h, ask, 1.0)
        # Force follows a grave defection by an aggrieved patron; a base on the hedger's soil
        # gives it the means for a fait accompli (Crimea 2014).
        pressure = (a.s["grievance"] > q.pressure_threshold) & (dis > q.pressure_defection)
        means = 1 + model.p.base_stake * h.s["base"]
        model.move("military_pressure", a, h, pressure, a.s["grievance"] * np.minimum(dis, 1) * means)
        ex = u[:, 3] < q.exercise_rate
        # The same draw, rescaled, decides transparency: below the rate it is uniform on [0, 1).
        transparent = ex & (u[:, 3] / max(q.exercise_rate, 1e-12) < h.s["transparency"])
        model.move("exercise_transparent", a, None, transparent, 0.5)
        model.move("exercise", a, None, ex & ~transparent, 0.5)
        self._posture(model, a, a.s["threat"])

    def _economic_bloc(self, model: HedgeModel, a: Actor, u: np.ndarray) -> None:
        q: ReciprocityParams = self.params  # type: ignore[assignment]
        h = model.hedger.s
        bad = (h["legitimacy_crisis"] > 0.3) | (h["base"] >= 1) | (h["alignment"] < -(q.tolerance + 0.3))
        punish = bad & (u[:, 0] >= q.forgiveness)
        model.move("sanctions", a, model.hedger, punish, q.sanction_rate * np.maximum(h["legitimacy_crisis"], 0.5))
        model.move("engagement", a, model.hedger, ~bad & (a.s["engagement"] < 1), q.engagement_rate)

    def _security_bloc(self, model: HedgeModel, a: Actor, u: np.ndarray) -> None:
        h = model.hedger.s
        threat = sum(
            (
                model.patron_force(pa)
                * (model.p.intent_base + 0.5 * np.maximum(0.0, -h["alignment"]) + 0.5 * h["base"])
                for pa in model.patrons
            ),
            np.zeros(model.R),
        )
        self._posture(model, a, model.w.threat * threat)

    def _neighbour(self, model: HedgeModel, a: Actor, u: np.ndarray) -> None:
        self._posture(model, a, a.s["threat"])


# --------------------------------------------------------------------------- generic rules


class ThresholdParams(RuleParams):
    when: str = Field(description="condition over the state, e.g. 'hedger.alignment > 0.2'")
    move: str = Field(description="move made while the condition holds")
    target: str | None = Field(None, description="actor the move is aimed at")
    intensity: float = Field(1.0, ge=0, le=10)
    otherwise: str | None = Field(None, description="move made while the condition does not hold")
    otherwise_intensity: float = Field(1.0, ge=0, le=10)


@register_rule("threshold")
class Threshold(Rule):
    """A trigger rule: one move when a condition holds, optionally another when it does not."""

    Params = ThresholdParams

    def __init__(self, params: RuleParams) -> None:
        super().__init__(params)
        self._expr: Any = None

    def decide(self, model: HedgeModel, actor: Actor, u: np.ndarray) -> None:
        from .expr import compile_expr

        q: ThresholdParams = self.params  # type: ignore[assignment]
        if self._expr is None:
            self._expr = compile_expr(q.when, model.state_names(), boolean=True)
        cond = np.broadcast_to(self._expr.evaluate(model.env()), (model.R,))
        tgt = model.actors[q.target] if q.target else None
        model.move(q.move, actor, tgt, cond, q.intensity)
        if q.otherwise:
            model.move(q.otherwise, actor, tgt, ~cond, q.otherwise_intensity)


class ScheduledMove(BaseModel):
    model_config = ConfigDict(extra="forbid")
    move: str
    target: str | None = None
    intensity: float = Field(1.0, ge=0, le=10)
    start: int = Field(0, ge=0, description="first step")
    stop: int | None = Field(None, ge=0, description="last step (inclusive); none = to the horizon")
    every: int = Field(1, ge=1, description="make the move every this many steps")


class FixedParams(RuleParams):
    moves: list[ScheduledMove] = Field(default_factory=list, description="moves made on a schedule")


@register_rule("fixed")
class Fixed(Rule):
    """A fixed or scheduled policy: the same moves at set steps, whatever happens."""

    Params = FixedParams

    def decide(self, model: HedgeModel, actor: Actor, u: np.ndarray) -> None:
        q: FixedParams = self.params  # type: ignore[assignment]
        t = model.t
        for m in q.moves:
            if t >= m.start and (m.stop is None or t <= m.stop) and (t - m.start) % m.every == 0:
                tgt = model.actors[m.target] if m.target else None
                model.move(m.move, actor, tgt, True, m.intensity)


class PassiveParams(RuleParams):
    pass


@register_rule("passive")
class Passive(Rule):
    """No moves: the actor only exists to be perceived (its posture, power, trade)."""

    Params = PassiveParams

    def decide(self, model: HedgeModel, actor: Actor, u: np.ndarray) -> None:
        return None


def rule_moves(params: RuleParams) -> list[tuple[str, str | None]]:
    """Moves and targets named in a rule's parameters, for the scenario's cross-checks."""
    if isinstance(params, ThresholdParams):
        out = [(params.move, params.target)]
        if params.otherwise:
            out.append((params.otherwise, params.target))
        return out
    if isinstance(params, FixedParams):
        return [(m.move, m.target) for m in params.moves]
    return []
