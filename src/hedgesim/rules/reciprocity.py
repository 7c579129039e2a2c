"""The powers' reciprocity rule: tit-for-tat with forgiveness, role by role, and the posture spiral."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core import ActorView, ModelView
from .base import Rule, RuleParams, exercise, follow_threat, register_rule


class ReciprocityParams(RuleParams):
    """Parameters of ``reciprocity``: coercion, forgiveness, offers, base requests, exercises, spiral, markets."""

    coercion: float = Field(0.5, ge=0, le=1, description="patron: strength of economic punishment for defiance")
    forgiveness: float = Field(0.1, ge=0, le=1, description="chance per step of not punishing a defection")
    tolerance: float = Field(0.05, ge=0, le=2, description="dissatisfaction (patron) or tilt (bloc) let pass")
    restore_rate: float = Field(0.1, ge=0, le=1, description="patron: share of the subsidy gap restored for compliance")
    restriction_scale: float = Field(0.2, ge=0, le=1, description="patron: restriction per unit of coercion")
    cut_scale: float = Field(0.05, ge=0, le=1, description="patron: subsidy cut per unit of coercion")
    offer_threshold: float = Field(0.02, ge=0, le=1, description="patron: GDP loss at which integration is offered")
    offer_size: float = Field(0.5, ge=0, le=1, description="patron: size of the integration offer")
    offer_rate: float = Field(1 / 6, ge=0, le=1, description="patron: chance per step of an offer while in distress")
    base_threshold: float = Field(0.25, ge=0, le=10, description="patron: threat at which it asks for a base")
    base_rate: float = Field(0.05, ge=0, le=1, description="patron: chance per step of asking when above threshold")
    backing: float = Field(0.5, ge=0, le=1, description="patron or partner: loan to an insecure or distressed hedger")
    backing_threshold: float = Field(0.4, ge=0, le=1, description="patron: regime security under which it lends")
    friendly_alignment: float = Field(0.1, ge=-1, le=1, description="patron: alignment of a friendly regime")
    loan_rate_scale: float = Field(0.2, ge=0, le=1, description="chance per step of a loan, per unit of backing")
    pressure_threshold: float = Field(0.5, ge=0, le=1, description="patron: grievance at which it applies force")
    pressure_defection: float = Field(0.2, ge=0, le=2, description="patron: dissatisfaction that force answers")
    exercise_rate: float = Field(1 / 24, ge=0, le=1, description="chance per step of a large exercise")
    exercise_size: float = Field(0.5, ge=0, le=1, description="size of a large exercise")
    posture_response: float = Field(0.5, ge=0, le=5, description="spiral: target posture gained per unit threat")
    engagement_rate: float = Field(0.05, ge=0, le=1, description="bloc or partner: engagement per step")
    sanction_rate: float = Field(0.1, ge=0, le=1, description="economic bloc: sanctions per step of bad conduct")
    crisis_threshold: float = Field(0.3, ge=0, le=1, description="economic bloc: legitimacy crisis it sanctions")
    alignment_margin: float = Field(
        0.3, ge=0, le=2, description="economic bloc: alignment toward the patron, beyond tolerance, it sanctions"
    )
    sanction_floor: float = Field(0.5, ge=0, le=1, description="economic bloc: least sanction size, per sanction_rate")


@register_rule("reciprocity", roles=("patron", "economic_bloc", "security_bloc", "neighbour", "partner"))
class Reciprocity(Rule):
    """Tit-for-tat with forgiveness, and the posture spiral (Jervis).

    Reward the hedger's compliance, punish its defection, and match the other side's
    posture. What counts as compliance and which levers answer it depends on the
    actor's role. For a patron this is the simple alternative to ``strategic``: no
    budget, no types, coercion as a reflex with forgiveness.
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
        """Five draws a step for a patron, one for a bloc, a neighbour or a partner."""
        return {"patron": 5}.get(actor.role, 1)

    def decide(self, model: ModelView, actor: ActorView, u: np.ndarray) -> None:
        """Act by role: the patron, the economic bloc, the security bloc, a neighbour or a partner."""
        getattr(self, f"_{actor.role}")(model, actor, u)

    def _patron(self, model: ModelView, a: ActorView, u: np.ndarray) -> None:
        q, h = self.q, model.hedger
        dis = model.dissatisfaction(a, h.s["alignment"])
        defect = (dis > q.tolerance) & (u[:, 0] >= q.forgiveness)
        comply = dis <= q.tolerance
        model.move("subsidy", a, h, comply & (h.s["subsidy"] < model.s0), q.restore_rate, why="reward compliance")
        why = "punish a defection not forgiven"
        model.move("trade_restriction", a, h, defect, q.coercion * np.minimum(dis, 1) * q.restriction_scale, why=why)
        model.move("subsidy_cut", a, h, defect, q.coercion * np.minimum(dis, 1) * q.cut_scale, why=why)
        distress = 1.0 - h.s["economy"]
        # Offers come at the pace of intergovernmental talks, not every month.
        offer = (distress > q.offer_threshold) & (u[:, 4] < q.offer_rate)
        model.move("integration_offer", a, h, offer, q.offer_size, why="a distressed hedger: integration offered")
        insecure = (h.s["regime_security"] < q.backing_threshold) & (h.s["alignment"] <= q.friendly_alignment)
        model.move("loan", a, h, insecure & (u[:, 1] < q.backing * q.loan_rate_scale), q.backing, why="back a friend")
        ask = (a.s["threat"] > q.base_threshold) & (h.s["base"] < 1) & (u[:, 2] < q.base_rate)
        model.move("base_request", a, h, ask, 1.0, why="threat from the flank: a base asked for")
        # Force follows a grave defection by an aggrieved patron; a base on the hedger's soil
        # gives it the means for a fait accompli (Crimea 2014).
        pressure = (a.s["grievance"] > q.pressure_threshold) & (dis > q.pressure_defection)
        means = 1 + model.p.base_stake * np.minimum(h.s["base"] + h.s["garrison"], 1.0)
        model.move(
            "military_pressure",
            a,
            h,
            pressure,
            a.s["grievance"] * np.minimum(dis, 1) * means,
            why="an aggrieved patron answers a grave defection with force",
        )
        exercise(model, a, u[:, 3], q.exercise_rate, q.exercise_size)
        follow_threat(model, a, a.s["threat"], q.posture_response)

    def _economic_bloc(self, model: ModelView, a: ActorView, u: np.ndarray) -> None:
        q, h = self.q, model.hedger.s
        # A base accepted during the run is bad conduct; one hosted from the start is a fact of the case.
        bad = (
            (h["legitimacy_crisis"] > q.crisis_threshold)
            | model.base_accepted
            | (h["alignment"] < -(q.tolerance + q.alignment_margin))
        )
        punish = bad & (u[:, 0] >= q.forgiveness)
        size = q.sanction_rate * np.maximum(h["legitimacy_crisis"], q.sanction_floor)
        model.move("sanctions", a, model.hedger, punish, size, why="bad conduct not forgiven")
        model.move("engagement", a, model.hedger, ~bad & (a.s["engagement"] < 1), q.engagement_rate, why="good conduct")

    def _security_bloc(self, model: ModelView, a: ActorView, u: np.ndarray) -> None:
        p, h = model.p, model.hedger.s
        side = np.maximum(0.0, -h["alignment"]) + np.minimum(h["base"] + h["garrison"], 1.0)
        threat = sum(
            (model.patron_force(pa) * (p.intent_base + p.lean_intent * side) for pa in model.patrons),
            np.zeros(model.R),
        )
        follow_threat(model, a, model.w.threat * threat, self.q.posture_response)

    def _neighbour(self, model: ModelView, a: ActorView, u: np.ndarray) -> None:
        follow_threat(model, a, a.s["threat"], self.q.posture_response)

    def _partner(self, model: ModelView, a: ActorView, u: np.ndarray) -> None:
        """A third pole trades and lends whatever the hedger's alignment: an outside option, not a side."""
        q, h = self.q, model.hedger
        model.move("engagement", a, h, a.s["engagement"] < 1, q.engagement_rate, why="a third pole's steady market")
        distressed = 1.0 - h.s["economy"] > q.offer_threshold
        lend = distressed & (u[:, 0] < q.backing * q.loan_rate_scale)
        model.move("loan", a, h, lend, q.backing, why="a third pole lends to a distressed hedger")
