"""The powers' rule: tit-for-tat with forgiveness, role by role, and the posture spiral."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core import ActorView, ModelView
from .base import Rule, RuleParams, register_rule


class ReciprocityParams(RuleParams):
    """Parameters of ``reciprocity``: coercion, forgiveness, offers, base requests, exercises, spiral."""

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
    """Tit-for-tat with forgiveness, and the posture spiral (Jervis).

    Reward the hedger's compliance, punish its defection, and match the other side's
    posture. What counts as compliance and which levers answer it depends on the
    actor's role.
    """

    Params = ReciprocityParams
    moves = (
        "subsidy",
        "trade_restriction",
        "subsidy_cut",
        "integration_offer",
        "loan",
        "base_request",
        "military_pressure",
        "exercise",
        "exercise_transparent",
        "deployment",
        "drawdown",
        "sanctions",
        "engagement",
    )

    def uniforms_needed(self, model: ModelView, actor: ActorView) -> int:
        """Five draws a step for a patron, one for a bloc or neighbour."""
        return {"patron": 5, "economic_bloc": 1, "security_bloc": 1, "neighbour": 1}.get(actor.role, 0)

    def decide(self, model: ModelView, actor: ActorView, u: np.ndarray) -> None:
        """Act by role: the patron, the economic bloc, the security bloc or a neighbour."""
        getattr(self, f"_{actor.role}")(model, actor, u)

    def _posture(self, model: ModelView, actor: ActorView, threat: np.ndarray) -> None:
        q: ReciprocityParams = self.params  # type: ignore[assignment]
        target = np.clip(actor.initial["posture"] + model.w.spiral * q.posture_response * threat, 0, 1)
        gap = (target - actor.s["posture"]) * model.p.posture_rate
        model.move("deployment", actor, None, gap > 1e-3, gap)
        model.move("drawdown", actor, None, gap < -1e-3, -gap)

    def _patron(self, model: ModelView, a: ActorView, u: np.ndarray) -> None:
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

    def _economic_bloc(self, model: ModelView, a: ActorView, u: np.ndarray) -> None:
        q: ReciprocityParams = self.params  # type: ignore[assignment]
        h = model.hedger.s
        bad = (h["legitimacy_crisis"] > 0.3) | (h["base"] >= 1) | (h["alignment"] < -(q.tolerance + 0.3))
        punish = bad & (u[:, 0] >= q.forgiveness)
        model.move("sanctions", a, model.hedger, punish, q.sanction_rate * np.maximum(h["legitimacy_crisis"], 0.5))
        model.move("engagement", a, model.hedger, ~bad & (a.s["engagement"] < 1), q.engagement_rate)

    def _security_bloc(self, model: ModelView, a: ActorView, u: np.ndarray) -> None:
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

    def _neighbour(self, model: ModelView, a: ActorView, u: np.ndarray) -> None:
        self._posture(model, a, a.s["threat"])
