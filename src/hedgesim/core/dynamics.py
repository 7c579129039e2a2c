"""The model's own dynamics: perception, economy, transfers, learning, incidents and the ladder.

Perception (threat, tolerance), the economy and its dependences, the patron's budget,
the hedger's learning about the patron's resolve, incidents and the escalation ladder.

Functions of the model's state, called by :meth:`HedgeModel.step` in a fixed order
(docs/model.md, 1.3). Every update keeps each variable inside its declared range by
construction (clipped where a sum could leave it), so no state ever needs a silent fix.
Parameters may be scalars or arrays over the replicates (uncertainty: each replicate
draws its own), and every expression here is element-wise.
"""

from __future__ import annotations

import numpy as np

from .protocols import ActorView, ModelState


def _sum(actors: object, fn: object, R: int) -> np.ndarray:
    return sum((fn(a) for a in actors), np.zeros(R))  # type: ignore[attr-defined, operator]


def force(a: ActorView) -> np.ndarray:
    """Power x posture x proximity: the force an actor brings to bear near the hedger."""
    return a.s["power"] * a.s["posture"] * a.s["proximity"]


def intent(m: ModelState, signal: np.ndarray) -> np.ndarray:
    """Perceived hostile intent: a baseline plus a signal in [0, 1] (Walt's intent)."""
    return m.p.intent_base + (1 - m.p.intent_base) * np.clip(signal, 0.0, 1.0)


def leverage(m: ModelState) -> np.ndarray:
    """The patron's economic leverage: trade (with transit) and energy dependence, in [0, 1]."""
    h, p = m.hedger.s, m.p
    trade = np.minimum(1.0, h["dependence_patron"] + p.transit_exposure * h["transit"])
    return (1 - p.energy_leverage_share) * trade + p.energy_leverage_share * h["energy_dependence"]


def outside_option(m: ModelState) -> np.ndarray:
    """What the hedger's other markets offer: bloc and third-pole trade, open and engaged, in [0, 1]."""
    h = m.hedger.s
    bloc = _sum(m.econ_blocs, lambda e: e.s["engagement"] * (1 - e.s["sanctions"]), m.R)
    partner = _sum(m.partners, lambda c: c.s["engagement"] * (1 - c.s["sanctions"]), m.R)
    return np.clip(h["dependence_bloc"] * bloc + m.w.partner * h["dependence_partner"] * partner, 0.0, 1.0)


def type_punish(m: ModelState) -> tuple[np.ndarray, np.ndarray]:
    """The chance a resolute and an irresolute patron punish a defection, from what both sides can see.

    Coercion is worth what it can move (leverage not offset by outside options), more to a
    resolute patron, against what it costs the patron (its own lost trade). Common knowledge:
    computed once a step at perception, the patron's rule decides with it and the hedger learns
    the patron's type by comparing what it sees with these chances (Fearon 1995).
    """
    p = m.p
    effect = leverage(m) * (1 - outside_option(m))
    cost = p.coercion_cost * m.hedger.s["dependence_patron"]

    def chance(resolve: float) -> np.ndarray:
        gain = effect * (1 + p.resolve_gain * (2 * resolve - 1)) - cost
        return 1.0 / (1.0 + np.exp(-np.clip(p.coercion_precision * gain, -50, 50)))

    return chance(1.0), chance(0.0)


def punish_probability(m: ModelState, patron: ActorView, resolve: np.ndarray | float) -> np.ndarray:
    """The chance a patron whose type is resolute with probability ``resolve`` punishes a defection.

    A mixture of the two types' chances (:func:`type_punish`, as perceived this step): a patron of
    known type gives its type's chance; a belief gives the chance the hedger expects.
    """
    ph, pl = m.punish_chances
    return resolve * ph + (1 - np.asarray(resolve)) * pl


def dissatisfaction(m: ModelState, patron: ActorView, alignment: np.ndarray) -> np.ndarray:
    """How far ``alignment`` stands from where the patron, given its tolerance, wants it."""
    wanted = -(1.0 - patron.s["tolerance"]) * m.p.demand
    return np.maximum(0.0, alignment - wanted)


def perceive(m: ModelState) -> None:
    """Threat (Walt: power x proximity x posture x intent) and the patrons' tolerance."""
    p, w, h = m.p, m.w, m.hedger.s
    x = h["alignment"]
    lean_bloc, lean_patron = np.maximum(0.0, x), np.maximum(0.0, -x)
    bloc_force = _sum(m.sec_blocs, force, m.R)
    patron_force = _sum(m.patrons, force, m.R)
    candidate = np.max([e.s["candidate"] for e in m.econ_blocs], axis=0) if m.econ_blocs else np.zeros(m.R)
    aspiration = w.aspiration * (p.aspiration_intent * h["aspiration"] + p.candidate_intent * candidate)
    for pa in m.patrons:
        pa.s["threat"] = w.threat * bloc_force * intent(m, p.flank_intent + p.lean_intent * lean_bloc + aspiration)
        pa.s["tolerance"] = np.clip(
            p.tolerance_base
            + w.hub * p.hub_value * h["hub"]
            + w.neutrality * p.buffer_value * h["neutrality"]
            - p.flank_sensitivity * pa.s["threat"],
            0.0,
            1.0,
        )
    # The hedger reads the patron's hostility through its grievance and its belief that the patron is resolute.
    resolve_read = w.learning * p.resolve_gain * (h["belief"] - 0.5)
    presence = w.garrison * p.garrison_threat * h["garrison"] + w.separatism * p.separatism_threat * h["separatism"]
    h["threat_patron"] = np.minimum(
        10.0,
        w.threat
        * (
            _sum(m.patrons, lambda a: force(a) * intent(m, a.s["grievance"] + resolve_read), m.R)
            + presence * intent(m, resolve_read + 0.5)
        ),
    )
    foreign = h["base"] + w.garrison * h["garrison"]
    side_signal = p.lean_intent * (lean_patron + np.minimum(foreign, 1.0))
    h["threat_bloc"] = np.minimum(10.0, w.threat * bloc_force * intent(m, side_signal))
    for nb in m.neighbours:
        nb.s["threat"] = np.minimum(
            10.0,
            w.threat
            * (patron_force + p.base_force * np.minimum(foreign, 1.0) + m.g["exercise"])
            * intent(m, side_signal)
            * (1 - w.csbm * p.csbm_incident_reduction * nb.s["csbm"]),
        )
    for pa in m.patrons:
        pa.s["threat"] = np.minimum(10.0, pa.s["threat"])
    m.punish_chances = type_punish(m)


def economy(m: ModelState) -> None:
    """GDP, regime security and autonomy relax toward targets set by transfers, pressure and markets."""
    p, w, h = m.p, m.w, m.hedger.s
    h0 = m.hedger.initial
    restriction = np.minimum(_sum(m.patrons, lambda a: a.s["restriction"], m.R), 1.0)
    cutoff = np.minimum(_sum(m.patrons, lambda a: a.s["cutoff"], m.R), 1.0)
    sanctions = np.minimum(_sum(m.econ_blocs, lambda e: e.s["sanctions"], m.R), 1.0)
    engagement = _sum(m.econ_blocs, lambda e: e.s["engagement"] - e.initial["engagement"], m.R)
    partner = _sum(m.partners, lambda c: c.s["engagement"] * (1 - c.s["sanctions"]), m.R)
    target = (
        1.0
        + p.subsidy_elasticity * (h["subsidy"] - m.s0)
        - p.restriction_cost * restriction * np.minimum(1.0, h["dependence_patron"] + p.transit_exposure * h["transit"])
        - p.remittance_exposure * restriction * h["remittances"]
        - w.cutoff * p.cutoff_cost * cutoff * h["energy_dependence"]
        - p.sanctions_cost * sanctions * h["dependence_bloc"]
        + w.engagement * p.engagement_gain * engagement * h["dependence_bloc"]
        + w.partner * p.partner_gain * partner * h["dependence_partner"]
    )
    h["economy"] = np.clip(h["economy"] + p.economy_rate * (target - h["economy"]), 0.0, 3.0)
    regime_target = (
        h0["regime_security"]
        + p.regime_economy * np.minimum(0.0, h["economy"] - 1.0)
        - p.regime_sanctions * sanctions
        - p.regime_crisis * h["legitimacy_crisis"]
        + p.regime_backing * np.maximum(0.0, -h["alignment"])
    )
    h["regime_security"] = np.clip(
        h["regime_security"] + w.regime * p.regime_rate * (regime_target - h["regime_security"]), 0.0, 1.0
    )
    autonomy_target = (
        h0["autonomy"]
        - p.integration_autonomy_cost * h["integration"]
        - p.base_autonomy_cost * h["base"]
        - w.garrison * p.garrison_autonomy_cost * h["garrison"]
        - w.separatism * p.separatism_autonomy_cost * h["separatism"]
        - p.alignment_autonomy_cost * np.maximum(0.0, -h["alignment"])
        + p.hub_autonomy_gain * h["hub"]
    )
    h["autonomy"] = np.clip(h["autonomy"] + p.autonomy_rate * (autonomy_target - h["autonomy"]), 0.0, 1.0)
    h["alignment"] = np.clip(h["alignment"] - p.integration_lockin * h["integration"], -1.0, 1.0)
    # Sanctions re-route the hedger's trade with the blocs to the patron's market (Belarus 2021-22).
    diverted = w.sanction_diversion * p.sanction_diversion * sanctions * h["dependence_bloc"]
    h["dependence_bloc"] = h["dependence_bloc"] - diverted
    room = np.maximum(0.0, 1.0 - h["dependence_bloc"] - h["dependence_partner"])
    h["dependence_patron"] = np.minimum(room, h["dependence_patron"] + diverted)


def transfers(m: ModelState) -> None:
    """The patron pays for what it gives: the subsidy flow draws on its budget, an empty budget erodes it."""
    p, w, h = m.p, m.w, m.hedger.s
    if not m.patrons or w.budget == 0:
        return
    years = m.step_months / 12.0
    share = 1.0 / len(m.patrons)
    for pa in m.patrons:
        spend = h["subsidy"] * years * share
        pa.s["budget"] = np.clip(pa.s["budget"] + w.budget * (p.budget_rate * years * share - spend), 0.0, 10.0)
        pa.s["budget"] = np.minimum(pa.s["budget"], np.maximum(p.budget_cap, 0.0))
    broke = np.min([pa.s["budget"] for pa in m.patrons], axis=0) <= 0.0
    h["subsidy"] = np.where(broke, h["subsidy"] * (1 - w.budget * np.minimum(p.subsidy_erosion, 1.0)), h["subsidy"])


def decays(m: ModelState, x_start: np.ndarray) -> None:
    """Hub, offers, restrictions, cut-offs, sanctions and grievance decay; grievance grows with defiance."""
    p, w, h = m.p, m.w, m.hedger.s
    h["hub"] *= 1 - p.hub_decay
    unanswered = h["debt_demand"] * (h["debt"] > 0)
    for var in ("offer", "compensation", "base_request", "debt_demand"):
        h[var][:] = 0.0
    for a in m.patrons:
        a.s["restriction"] *= 1 - p.restriction_decay
        a.s["cutoff"] *= 1 - p.cutoff_decay
        dis = dissatisfaction(m, a, h["alignment"])
        # Anger at standing defiance, at a sudden swing toward the blocs (Fearon's commitment problem:
        # a rapid shift invites action before it is locked in), and at a debt demand left unpaid.
        swing = np.maximum(0.0, h["alignment"] - x_start - p.swing_tolerance)
        stake = 1 + p.base_stake * np.minimum(h["base"] + w.garrison * h["garrison"], 1.0)
        a.s["grievance"] = np.clip(
            a.s["grievance"] * (1 - p.grievance_decay)
            + stake * (p.defiance_anger * np.minimum(dis, 1) + p.swing_anger * swing)
            + w.debt * p.refusal_anger * unanswered,
            0.0,
            1.0,
        )
    for e in (*m.econ_blocs, *m.partners):
        e.s["sanctions"] *= 1 - p.sanctions_decay


def learn(m: ModelState, dis_start: dict[str, np.ndarray], punished: np.ndarray) -> None:
    """The hedger updates its belief that the patron is resolute from whether a defection was punished.

    Bayes' rule with the chances each type would have punished (:func:`punish_probability`):
    only a step in which the hedger defected tells it anything.
    """
    w, h = m.w, m.hedger.s
    if w.learning == 0 or not m.patrons:
        return
    patron = m.patrons[0]
    defected = dis_start[patron.name] > m.p.compliance_margin
    if not defected.any():
        return
    ph, pl = (np.clip(c, 1e-6, 1 - 1e-6) for c in m.punish_chances)
    b = h["belief"]
    like_h = np.where(punished, ph, 1 - ph)
    like_l = np.where(punished, pl, 1 - pl)
    post = b * like_h / (b * like_h + (1 - b) * like_l)
    h["belief"] = np.clip(np.where(defected, b + np.minimum(w.learning, 1.0) * (post - b), b), 0.0, 1.0)


def ladder(m: ModelState, u_incident: np.ndarray, u_climb: np.ndarray) -> None:
    """Incidents rise with force density and pressure, fall with CSBMs; they climb with tension and antagonism."""
    p, w, h, g = m.p, m.w, m.hedger.s, m.g
    csbm = np.mean([n.s["csbm"] for n in m.neighbours], axis=0) if m.neighbours else np.zeros(m.R)
    foreign = np.minimum(h["base"] + w.garrison * h["garrison"], 1.0)
    density = (
        _sum(m.patrons, force, m.R)
        + _sum(m.sec_blocs, force, m.R)
        + _sum(m.neighbours, lambda n: n.s["power"] * n.s["posture"], m.R)
        + p.base_force * foreign
        + g["exercise"]
    )
    hazard = (
        w.incidents * p.incident_rate * density * (1 - w.csbm * p.csbm_incident_reduction * csbm)
        + p.pressure_hazard * g["pressure"]
    )
    incident = u_incident < -np.expm1(-np.maximum(hazard, 0.0))
    antagonism = _sum(m.patrons, lambda a: a.s["threat"], m.R) + (
        np.mean([n.s["threat"] for n in m.neighbours], axis=0) if m.neighbours else 0.0
    )
    climb_p = np.clip(
        p.climb_probability
        * (g["tension"] + p.antagonism_gain * antagonism)
        * (1 - w.hub * p.talks_damping * h["hub"])
        * (1 - w.csbm * p.csbm_damping * csbm)
        + p.pressure_climb * g["pressure"]
        + w.separatism * p.separatism_climb * h["separatism"],
        0.0,
        1.0,
    )
    climb = incident & (u_climb < climb_p)
    g["incidents"] = incident.astype(float)
    g["tension"] = np.clip(
        g["tension"] * (1 - p.tension_decay) + np.where(climb, p.rung, np.where(incident, p.incident_tension, 0.0)),
        0.0,
        1.0,
    )
