"""The hedger's rules: bounded-rational hedging (Kuik) as a logit choice over courses."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core import ActorView, ModelView
from .base import Rule, RuleParams, register_rule

COURSES = ("patron", "hedge", "bloc")


class LogitHedgerParams(RuleParams):
    """Parameters of ``logit_hedger``: choice precision, utility weights, pace, answers, and policy levers."""

    precision: float = Field(12.0, ge=0, le=1000, description="logit precision: 0 random, large = strict optimiser")
    w_economy: float = Field(1.0, ge=0, le=100, description="weight of economic gain")
    w_security: float = Field(1.0, ge=0, le=100, description="weight of security")
    w_autonomy: float = Field(0.6, ge=0, le=100, description="weight of autonomy")
    w_regime: float = Field(1.0, ge=0, le=100, description="weight of regime survival")
    distress_gain: float = Field(5.0, ge=0, le=100, description="extra weight on the economy per unit of GDP lost")
    survival_floor: float = Field(
        0.1, gt=0, le=10, description="regime security at which survival's weight is capped: (1 - r) / (r + floor)"
    )
    leader_emphasis: float = Field(
        1.5, ge=0, le=10, description="factor on the weight a leader type stresses (pragmatist: economy, ...)"
    )
    step: float = Field(0.05, gt=0, le=1, description="alignment change per step")
    lookahead: float = Field(0.25, gt=0, le=2, description="alignment change over which a course is judged")
    base_identity_cost: float = Field(
        0.5, ge=0, le=10, description="cost of foreign troops on its soil, beyond the autonomy they take"
    )
    base_exposure: float = Field(0.5, ge=0, le=10, description="threat a base draws from the blocs, beyond perceived")
    integration_autonomy_weight: float = Field(
        2.0, ge=0, le=10, description="how many times an offer's autonomy cost weighs against its relief"
    )
    integration_pace: float = Field(
        0.05, ge=0, le=1, description="integration accepted per accepted offer, per unit of offer size"
    )
    diversify_response: float = Field(
        1.0, ge=0, le=10, description="diversification effort per unit of the patron's economic squeeze"
    )
    host_talks: float = Field(0.0, ge=0, le=1, description="intensity of hosting talks each step (the hub)")
    csbm: float = Field(0.0, ge=0, le=1, description="deepening of CSBMs with each neighbour each step")
    transparency: float | None = Field(None, ge=0, le=1, description="share of exercises opened to observers")


def _logistic(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def _logit_choice(utils: list[np.ndarray], precision: np.ndarray | float, u: np.ndarray) -> np.ndarray:
    """Index of the course drawn from the logit (softmax) of ``precision`` x utility with uniform ``u``.

    Column by column rather than on an (R, 3) array: reductions over a short inner axis
    are slow in numpy. The arithmetic is the same, in the same order (the running sum
    ``p0 + p1 + p2`` is what the cumulative sum and the row sum compute), so the draws are
    bit-identical to the array form.
    """
    scaled = [U * precision for U in utils]
    top = np.maximum(np.maximum(scaled[0], scaled[1]), scaled[2])
    p0, p1, p2 = (np.exp(U - top) for U in scaled)
    c1 = p0 + p1
    total = c1 + p2
    return (u >= p0 / total).astype(np.int64) + (u >= c1 / total)


@register_rule("logit_hedger", roles=("hedger",))
class LogitHedger(Rule):
    """Bounded-rational hedging (Kuik): a logit choice over leaning to the patron, hedging, leaning to the blocs.

    Each course's utility trades economy (Hirschman: coercion scales with dependence
    not offset by outside options; compensation the patron pays for compliance; the
    blocs' markets), security (Walt: threat from each side; entrapment from leaning),
    autonomy and identity (a declared neutrality or wish to join), and regime survival
    (patron backing counts when the regime is insecure). The hedger does not see the
    patron's resolve: it expects punishment from its belief (Fearon). Base requests,
    integration offers and debt demands are answered by the same logic, and it
    diversifies its trade when the patron squeezes it.
    """

    Params = LogitHedgerParams
    moves = (
        "lean_patron",
        "hedge",
        "lean_bloc",
        "base_accept",
        "base_refuse",
        "integration_accept",
        "payment",
        "diversify",
        "host_talks",
        "csbm",
    )
    policy_levers = ("host_talks", "csbm", "transparency")

    def uniforms_needed(self, model: ModelView, actor: ActorView) -> int:
        """Four draws a step: the course, a base request, an integration offer, a debt demand."""
        return 4

    def decide(self, model: ModelView, actor: ActorView, u: np.ndarray) -> None:
        """Choose a course by logit over where each leads, then answer requests, offers and demands."""
        q = self.q
        p, w, h = model.p, model.w, actor.s
        if q.transparency is not None:
            h["transparency"][:] = q.transparency
        x = h["alignment"]
        patron = model.patrons[0] if model.patrons else None
        bloc = (model.econ_blocs + model.sec_blocs)[0] if (model.econ_blocs or model.sec_blocs) else None

        # What the hedger weighs, whatever course it takes.
        outside = model.outside_option()
        lev = model.leverage() * (1 - outside)
        distress = 1.0 + q.distress_gain * np.maximum(0.0, 1.0 - h["economy"])
        engagement = sum((e.s["engagement"] for e in model.econ_blocs), np.zeros(model.R))
        sanctions = sum((e.s["sanctions"] for e in model.econ_blocs), np.zeros(model.R))
        candidate = np.max([e.s["candidate"] for e in model.econ_blocs], axis=0) if model.econ_blocs else 0.0
        commitment = np.max([s.s["commitment"] for s in model.sec_blocs], axis=0) if model.sec_blocs else 0.0
        tension = model.g["tension"]
        survival = (1 - h["regime_security"]) / (h["regime_security"] + q.survival_floor)  # omnibalancing
        gap = np.maximum(0.0, model.s0 - h["subsidy"]) / np.maximum(model.s0, 1e-9)
        expect = self._expected_punishment(model, h)
        weights = self._weights(h)

        utils, terms = [], {}
        for name, xk in zip(COURSES, self._courses(x, q.lookahead), strict=True):
            lean_b, lean_p = np.maximum(0.0, xk), np.maximum(0.0, -xk)
            each = [model.dissatisfaction(a, xk) for a in model.patrons]
            dis = sum(each, np.zeros(model.R))
            punish = sum((d * (expect + a.s["grievance"]) for d, a in zip(each, model.patrons, strict=True)), 0.0)
            compliant = dis <= p.compliance_margin
            econ = (
                -lev * punish
                + h["compensation"] * gap * lev * compliant
                + h["offer"] * lev * lean_p
                + h["dependence_bloc"] * (engagement - sanctions) * lean_b
                + w.aspiration * p.candidate_value * candidate * lean_b
            )
            sec = -w.threat * (
                h["threat_patron"] * (1 + dis) * (1 - commitment * lean_b)
                + h["threat_bloc"] * (1 + lean_p)
                + tension * np.abs(xk)
                # Abandonment (Snyder): drifting from the patron risks its protection from a third state.
                + h["external_threat"] * (1 + xk)
            )
            aut = (
                -np.abs(xk) * (1 + w.neutrality * h["neutrality"])
                + w.hub * h["hub"] * (1 - np.abs(xk))
                + w.aspiration * h["aspiration"] * lean_b
            )
            reg = w.regime * survival * (lean_p - lean_b) * (1 + sanctions)
            U = weights[0] * distress * econ + weights[1] * sec + weights[2] * aut + weights[3] * reg
            utils.append(U)
            terms.update({f"U_{name}": U, f"econ_{name}": econ, f"sec_{name}": sec, f"aut_{name}": aut})
            terms[f"reg_{name}"] = reg
        terms["expected_punishment"] = expect
        model.explain(actor, terms)
        choice = _logit_choice(utils, q.precision, u[:, 0])
        why = "logit choice over the courses' utility (see the U_ terms)"
        model.move("lean_patron", actor, patron, choice == 0, q.step, why=why)
        model.move("hedge", actor, None, choice == 1, q.step, why=why)
        model.move("lean_bloc", actor, bloc, choice == 2, q.step, why=why)

        if patron is not None:
            self._answer_base(model, actor, patron, u[:, 1], distress, lev, survival, expect, weights)
            self._answer_offer(model, actor, patron, u[:, 2], distress, lev, weights)
            self._answer_debt(model, actor, patron, u[:, 3], distress, lev, expect, weights)
            self._diversify(model, actor, gap)
        talks = np.broadcast_to(np.asarray(q.host_talks, dtype=float), (model.R,))
        model.move("host_talks", actor, None, talks > 0, talks, why="standing policy: the hub")
        csbm = np.broadcast_to(np.asarray(q.csbm, dtype=float), (model.R,))
        for nb in model.neighbours:
            model.move("csbm", actor, nb, (csbm > 0) & (nb.s["csbm"] < 1.0), csbm, why="standing policy: CSBMs")

    # ------------------------------------------------------------------ parts of the decision
    @staticmethod
    def _courses(x: np.ndarray, size: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where each course leads after a change of ``size``: toward the patron, toward 0, toward the blocs."""
        return (np.clip(x - size, -1, 1), x - np.sign(x) * np.minimum(np.abs(x), size), np.clip(x + size, -1, 1))

    def _weights(self, h: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
        """Utility weights, the one a leader type stresses multiplied by ``leader_emphasis``."""
        q = self.q
        leader = np.rint(h["leader"])
        boost = q.leader_emphasis
        return (
            q.w_economy * np.where(leader == 1, boost, 1.0),
            q.w_security * np.ones_like(leader),
            q.w_autonomy * np.where(leader == 2, boost, 1.0),
            q.w_regime * np.where(leader == 3, boost, 1.0),
        )

    @staticmethod
    def _expected_punishment(model: ModelView, h: dict[str, np.ndarray]) -> np.ndarray:
        """The chance a defection is punished, by the hedger's belief about the patron's type."""
        if not model.patrons:
            return np.zeros(model.R)
        patron = model.patrons[0]
        if model.w.learning == 0:
            return model.punish_probability(patron, 0.5)
        return model.punish_probability(patron, h["belief"])

    def _answer_base(
        self,
        model: ModelView,
        actor: ActorView,
        patron: ActorView,
        u: np.ndarray,
        distress: np.ndarray,
        lev: np.ndarray,
        survival: np.ndarray,
        expect: np.ndarray,
        weights: tuple[np.ndarray, ...],
    ) -> None:
        """Hosting buys patron favour and backing, costs autonomy and invites the bloc's threat."""
        q, p, w, h = self.q, model.p, model.w, actor.s
        req = (h["base_request"] > 0) & (h["base"] < 1)
        if not req.any():
            return
        gain = (
            weights[0] * distress * lev * (expect + patron.s["grievance"])
            + weights[3] * w.regime * survival
            - weights[2] * (p.base_autonomy_cost + q.base_identity_cost)
            - weights[1] * w.threat * (h["threat_bloc"] + q.base_exposure + model.g["tension"])
        )
        accept = req & (u < _logistic(q.precision * gain))
        model.move("base_accept", actor, patron, accept, 1.0, why="base request: hosting gains more than it costs")
        model.move("base_refuse", actor, patron, req & ~accept, 1.0, why="base request: hosting costs more")

    def _answer_offer(
        self,
        model: ModelView,
        actor: ActorView,
        patron: ActorView,
        u: np.ndarray,
        distress: np.ndarray,
        lev: np.ndarray,
        weights: tuple[np.ndarray, ...],
    ) -> None:
        """An integration offer instead of compensation: relief now, autonomy later."""
        q, p, w, h = self.q, model.p, model.w, actor.s
        off = h["offer"] > 0
        if not off.any():
            return
        gain = h["offer"] * (
            weights[0] * distress * lev
            + weights[3] * w.regime * (1 - h["regime_security"])
            - weights[2] * q.integration_autonomy_weight * p.integration_autonomy_cost
        )
        accept = off & (u < _logistic(q.precision * gain))
        model.move(
            "integration_accept",
            actor,
            patron,
            accept,
            q.integration_pace * h["offer"],
            why="integration offer: the relief outweighs the autonomy it costs",
        )

    def _answer_debt(
        self,
        model: ModelView,
        actor: ActorView,
        patron: ActorView,
        u: np.ndarray,
        distress: np.ndarray,
        lev: np.ndarray,
        expect: np.ndarray,
        weights: tuple[np.ndarray, ...],
    ) -> None:
        """A debt demand: pay (GDP now) or refuse (the patron's anger and the punishment it may bring)."""
        q, p, h = self.q, model.p, actor.s
        dem = (h["debt_demand"] > 0) & (h["debt"] > 0)
        if not dem.any():
            return
        cost = p.debt_repayment_cost * h["debt_demand"] * h["debt"] * distress
        gain = weights[0] * (lev * (expect + patron.s["grievance"]) * h["debt_demand"] - cost)
        pay = dem & (u < _logistic(q.precision * gain))
        model.move("payment", actor, patron, pay, h["debt_demand"], why="debt demand: refusing would cost more")

    def _diversify(self, model: ModelView, actor: ActorView, gap: np.ndarray) -> None:
        """Redirect trade and energy away from a patron that squeezes: restrictions, cut-offs, a lost subsidy."""
        q, h = self.q, actor.s
        restriction = sum((a.s["restriction"] for a in model.patrons), np.zeros(model.R))
        cutoff = sum((a.s["cutoff"] for a in model.patrons), np.zeros(model.R))
        squeeze = np.minimum(restriction, 1) + np.minimum(cutoff, 1) + gap * (1 - h["compensation"])
        effort = np.clip(q.diversify_response * squeeze, 0.0, 1.0)
        target = model.partners[0] if model.partners else (model.econ_blocs[0] if model.econ_blocs else None)
        model.move(
            "diversify", actor, target, effort > 1e-3, effort, why="the patron squeezes: restriction, cut-off, subsidy"
        )
