"""The hedger's rules: bounded-rational hedging (Kuik) as a logit choice over courses."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ..core import ActorView, ModelView
from .base import Rule, RuleParams, register_rule


class LogitHedgerParams(RuleParams):
    """Parameters of ``logit_hedger``: choice precision, utility weights, pace, and policy levers."""

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
    moves = (
        "lean_patron",
        "hedge",
        "lean_bloc",
        "base_accept",
        "base_refuse",
        "integration_accept",
        "host_talks",
        "csbm",
    )
    policy_levers = ("host_talks", "csbm", "transparency")

    def uniforms_needed(self, model: ModelView, actor: ActorView) -> int:
        """Three draws a step: the course, a base request, an integration offer."""
        return 3

    def decide(self, model: ModelView, actor: ActorView, u: np.ndarray) -> None:
        """Choose a course by logit over where each leads, then answer base requests and offers."""
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
