"""The strategic patron: a budget, conditional compensation, coercion by choice, a hidden resolve.

Transfers cost it a budget, compensation is tied to compliance or to integration,
coercion is chosen by what it can achieve, and its resolve is a type the hedger does not see.

What a patron gains from coercion (leverage not offset by the hedger's outside
options, more to a resolute patron) against what it costs (its own lost trade) is
common knowledge (:meth:`~hedgesim.core.ModelView.punish_probability`), so the hedger
can learn the patron's type from what it does. Transfers are paid from a budget that
the model replenishes and the subsidy flow draws on (docs/model.md, 3.3.4).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core import ActorView, ModelView
from .base import Rule, RuleParams, exercise, follow_threat, register_rule


class StrategicPatronParams(RuleParams):
    """Parameters of ``strategic``: how hard it coerces, what it pays for, when it asks, presses and rescues."""

    coercion: float = Field(0.5, ge=0, le=1, description="strength of economic punishment for a defection")
    restriction_scale: float = Field(0.2, ge=0, le=1, description="trade restriction per unit of coercion")
    cut_scale: float = Field(0.05, ge=0, le=1, description="subsidy cut per unit of coercion")
    cutoff_scale: float = Field(0.5, ge=0, le=1, description="energy cut-off per unit of coercion")
    cutoff_defection: float = Field(0.3, ge=0, le=2, description="defection a resolute patron cuts energy for")
    restore_rate: float = Field(
        0.1, ge=0, le=1, description="share of the subsidy gap restored a step for compliance (when not conditional)"
    )
    reserve: float = Field(0.02, ge=0, le=10, description="budget (GDP-years) it keeps back before paying transfers")
    offer_threshold: float = Field(0.02, ge=0, le=1, description="GDP loss at which integration is offered")
    offer_size: float = Field(0.5, ge=0, le=1, description="size of the integration offer")
    offer_rate: float = Field(1 / 6, ge=0, le=1, description="chance per step of an offer to a distressed hedger")
    backing: float = Field(0.5, ge=0, le=1, description="loan to an insecure friendly regime")
    backing_threshold: float = Field(0.4, ge=0, le=1, description="regime security under which it lends")
    rescue_threshold: float = Field(0.25, ge=0, le=1, description="regime security under which it rescues the regime")
    friendly_alignment: float = Field(0.1, ge=-1, le=1, description="alignment up to which a regime counts as friendly")
    loan_rate_scale: float = Field(0.2, ge=0, le=1, description="chance per step of a loan, per unit of backing")
    base_threshold: float = Field(0.25, ge=0, le=10, description="threat from the flank at which it asks for a base")
    base_rate: float = Field(0.05, ge=0, le=1, description="chance per step of asking when above threshold")
    pressure_threshold: float = Field(0.5, ge=0, le=1, description="grievance at which it applies force")
    pressure_defection: float = Field(0.2, ge=0, le=2, description="dissatisfaction that force answers")
    debt_rate: float = Field(
        1 / 12, ge=0, le=1, description="chance per step of demanding repayment from a defecting debtor"
    )
    debt_share: float = Field(0.2, ge=0, le=1, description="share of the debt it demands repaid at once")
    exercise_rate: float = Field(1 / 24, ge=0, le=1, description="chance per step of a large exercise")
    exercise_size: float = Field(0.5, ge=0, le=1, description="size of a large exercise")
    posture_response: float = Field(0.5, ge=0, le=5, description="spiral: target posture gained per unit threat")


@register_rule("strategic", roles=("patron",))
class StrategicPatron(Rule):
    """A patron that pays for influence from a budget, ties compensation to compliance, and coerces by choice.

    Each step: punish a defection with the chance its type and the situation make
    worth it (trade restrictions and subsidy cuts; an energy cut-off or a debt demand
    when a resolute patron meets a grave defection); restore the subsidy for
    compliance while it can afford it and is not holding out for integration; offer
    integration to a distressed hedger; back and, in a crisis, rescue a friendly
    regime; ask for a base when the flank threatens; answer a grave defection with
    force; exercise; and follow the threat it perceives (the spiral).
    """

    Params = StrategicPatronParams
    moves = (
        "subsidy",
        "compensation_offer",
        "trade_restriction",
        "subsidy_cut",
        "supply_cutoff",
        "debt_demand",
        "integration_offer",
        "loan",
        "regime_rescue",
        "base_request",
        "military_pressure",
        "exercise",
        "exercise_transparent",
        "deployment",
        "drawdown",
    )

    def uniforms_needed(self, model: ModelView, actor: ActorView) -> int:
        """Six draws a step: punishment, backing, a base, an exercise, an offer, an energy or debt lever."""
        return 6

    def decide(self, model: ModelView, actor: ActorView, u: np.ndarray) -> None:
        """Coerce, pay, offer, back, ask, press and posture, in that order (docs/model.md 3.3.4)."""
        q, p, a, h = self.q, model.p, actor, model.hedger
        x = h.s["alignment"]
        dis = model.dissatisfaction(a, x)
        defect = dis > p.compliance_margin
        resolute = a.s["resolve"]
        afford = a.s["budget"] > q.reserve

        # Coercion is a choice: punish with the chance the patron's net gain gives it.
        punish = defect & (u[:, 0] < model.punish_probability(a, resolute))
        strength = q.coercion * np.minimum(dis, 1.0)
        why = "punish a defection: coercion is worth its cost to this patron"
        model.move("trade_restriction", a, h, punish, strength * q.restriction_scale, why=why)
        model.move("subsidy_cut", a, h, punish, strength * q.cut_scale, why=why)
        grave = punish & (dis > q.cutoff_defection)
        lever = u[:, 5] < resolute  # a resolute patron reaches for its hardest levers
        cut = grave & lever & (h.s["energy_dependence"] > 0)
        model.move("supply_cutoff", a, h, cut, strength * q.cutoff_scale, why="grave defection: energy cut off")
        debt = grave & ~lever & (h.s["debt"] > 0) & (u[:, 5] > 1 - q.debt_rate)
        model.move("debt_demand", a, h, debt, q.debt_share, why="grave defection: debt called in")

        # Transfers: compensation for compliance unless it holds out for integration, while it can pay.
        open_terms = (a.s["conditionality"] < 0.5) & afford
        model.move("compensation_offer", a, h, open_terms, q.restore_rate, why="compensation offered for compliance")
        comply = ~defect & open_terms & (h.s["subsidy"] < model.s0)
        model.move("subsidy", a, h, comply, q.restore_rate, why="compliance rewarded: subsidy restored")
        distress = 1.0 - h.s["economy"]
        # Offers come at the pace of intergovernmental talks, not every month.
        offer = (distress > q.offer_threshold) & (u[:, 4] < q.offer_rate)
        model.move("integration_offer", a, h, offer, q.offer_size, why="deeper integration offered for relief")

        # Backing a friendly regime: a loan when insecure, a rescue when in crisis.
        friendly = x <= q.friendly_alignment
        rs = h.s["regime_security"]
        rescue = friendly & (rs < q.rescue_threshold) & (u[:, 1] < q.backing)
        model.move("regime_rescue", a, h, rescue, 1.0, why="a friendly regime in crisis rescued")
        lend = friendly & ~rescue & (rs < q.backing_threshold) & afford & (u[:, 1] < q.backing * q.loan_rate_scale)
        model.move("loan", a, h, lend, q.backing, why="an insecure friendly regime backed with credit")

        ask = (a.s["threat"] > q.base_threshold) & (h.s["base"] < 1) & (u[:, 2] < q.base_rate)
        model.move("base_request", a, h, ask, 1.0, why="threat from the flank: a base asked for")
        # Force follows a grave defection by an aggrieved patron, sooner for a resolute one; a base or a
        # garrison on the hedger's soil gives it the means for a fait accompli (Crimea 2014).
        threshold = q.pressure_threshold * (1 - p.resolve_gain * (resolute - 0.5))
        pressure = (a.s["grievance"] > threshold) & (dis > q.pressure_defection)
        means = 1 + p.base_stake * np.minimum(h.s["base"] + h.s["garrison"], 1.0)
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
