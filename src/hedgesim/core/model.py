"""The Mesa model: one agent per actor, every state variable an array over replicates.

One model instance advances R replicates at once. Replicate i draws its random
numbers from its own stream, spawned from the scenario seed by
``SeedSequence(seed, spawn_key=(*prefix, i))``, a fixed number per step, so a
replicate is bit-identical whether it runs alone or among 10,000. R = 1 is the
same code with arrays of length one.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .expr import compile_expr
from .moves import MOVES
from .protocols import RuleLike, ScenarioLike
from .vocabulary import GLOBAL_VARS, OUTCOME_CODES, ROLE_VARS, SIDE_CODES, expression_names

with warnings.catch_warnings():  # Mesa imports tqdm.auto, which warns in a notebook without ipywidgets
    warnings.filterwarnings("ignore", message="IProgress not found")
    import mesa

_BLOCK_STEPS = 24  # random numbers are drawn this many steps ahead


class Actor(mesa.Agent):
    """An actor: its role carries the logic, its rule chooses its moves."""

    def __init__(self, model: HedgeModel, name: str, role: str, rule: RuleLike, state: Mapping[str, float]) -> None:
        super().__init__(model)
        self.name = name
        self.role = role
        self.rule = rule
        R = model.R
        self.s: dict[str, np.ndarray] = {
            var: np.full(R, float(state.get(var, spec.default))) for var, spec in ROLE_VARS[role].items()
        }
        self.initial = {var: float(state.get(var, spec.default)) for var, spec in ROLE_VARS[role].items()}
        self.slots = slice(0, 0)

    def decide(self) -> None:
        """Let the rule make this step's moves with this actor's random numbers."""
        self.rule.decide(self.model, self, self.model.u[:, self.slots])

    def __repr__(self) -> str:
        return f"Actor({self.name!r}, role={self.role!r})"


class HedgeModel(mesa.Model):
    """Small-state hedging between a patron and rival blocs, as an ensemble of replicates.

    ``rules`` maps each actor's name to its decision rule, built by the caller (the
    runner builds them from the scenario's rule specs): the core never imports the
    rules. What a rule may read and call on the model is :class:`~hedgesim.core.ModelView`.
    """

    def __init__(
        self,
        scenario: ScenarioLike,
        rules: Mapping[str, RuleLike],
        replicate_ids: Sequence[int] | np.ndarray | None = None,
        *,
        seed: int | None = None,
        spawn_prefix: tuple[int, ...] = (),
        record_steps: bool = False,
    ) -> None:
        seed = scenario.seed if seed is None else int(seed)
        super().__init__(rng=seed)
        self.scenario_spec = scenario  # not "scenario": Mesa 3.5 uses that name
        ids = np.arange(scenario.replicates) if replicate_ids is None else np.asarray(replicate_ids, dtype=np.int64)
        self.replicate_ids = ids
        self.R = R = len(ids)
        self.p = scenario.parameters
        self.w = scenario.mechanisms
        self.o = scenario.outcomes
        self.t = 0
        self.horizon = scenario.horizon
        self.record_steps = record_steps

        self.actors: dict[str, Actor] = {}
        for name, spec in scenario.actors.items():
            self.actors[name] = Actor(self, name, spec.role, rules[name], spec.state)
        by_role = {role: [a for a in self.actors.values() if a.role == role] for role in ROLE_VARS}
        self.hedger: Actor = by_role["hedger"][0]
        self.patrons: list[Actor] = by_role["patron"]
        self.econ_blocs: list[Actor] = by_role["economic_bloc"]
        self.sec_blocs: list[Actor] = by_role["security_bloc"]
        self.neighbours: list[Actor] = by_role["neighbour"]
        self.g: dict[str, np.ndarray] = {var: np.full(R, spec.default) for var, spec in GLOBAL_VARS.items()}
        self.s0 = self.hedger.initial["subsidy"]

        # Random numbers: 2 model slots (incident, climb) then each rule's own.
        k = 2
        for actor in self.actors.values():
            n = actor.rule.uniforms_needed(self, actor)
            actor.slots = slice(k, k + n)
            k += n
        self.K = k
        self._streams = [
            np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(*spawn_prefix, int(i)))))
            for i in ids
        ]
        self._block = np.empty((R, 0, k))
        self._block_start = 0
        self.u = np.empty((R, k))

        # Events by step, triggers compiled against the state's names.
        self._events: dict[int, list[Any]] = {}
        for ev in scenario.events:
            for offset in range(ev.duration):
                self._events.setdefault(scenario.event_step(ev) + offset, []).append(ev)
        names = self._names = expression_names({a.name: a.role for a in self.actors.values()})
        self._triggers = [
            (
                trig,
                compile_expr(trig.when, names, boolean=True),
                np.zeros(R, dtype=np.int64) - 10**9,
                np.zeros(R, dtype=bool),
            )
            for trig in scenario.triggers
        ]

        # Outcomes and records.
        self.outcome = np.full(R, OUTCOME_CODES["undecided"], dtype=np.int8)
        self.side = np.zeros(R, dtype=np.int8)
        self.outcome_step = np.full(R, -1, dtype=np.int64)
        self._held = np.zeros(R, dtype=np.int64)
        self.base_accepted = np.zeros(R, dtype=bool)  # a base hosted before the start is a fact, not an outcome
        self.move_counts: dict[str, np.ndarray] = {kind: np.zeros(R, dtype=np.int64) for kind in MOVES}
        self.move_log: list[tuple[int, np.ndarray, str, str, str, np.ndarray]] = []
        self.step_log: list[dict[str, np.ndarray]] = []
        self._perceive()
        if record_steps:
            self._record()

    # ----------------------------------------------------------------- names
    def state_names(self) -> dict[str, tuple[str, str]]:
        """Every name an expression may use, mapped to (owner, variable); see catalogue.expression_names."""
        return self._names

    def env(self) -> dict[str, np.ndarray | float]:
        """Current values of every name, for trigger expressions."""
        out: dict[str, np.ndarray | float] = {}
        for name, (owner, var) in self._names.items():
            if owner == "step":
                out[name] = float(self.t)
            elif owner == "global":
                out[name] = self.g[var]
            else:
                out[name] = self.actors[owner].s[var]
        return out

    # ----------------------------------------------------------------- random numbers
    def _draw(self) -> None:
        """This step's uniforms: each replicate's stream is read in order, a block at a time."""
        i = self.t - self._block_start
        if i >= self._block.shape[1]:
            n = min(_BLOCK_STEPS, max(1, self.horizon - self.t))
            self._block = (
                np.stack([g.random((n, self.K)) for g in self._streams]) if self.R else np.empty((0, n, self.K))
            )
            self._block_start = self.t
            i = 0
        self.u = self._block[:, i, :]

    # ----------------------------------------------------------------- moves
    def move(
        self,
        kind: str,
        source: Actor,
        target: Actor | None,
        mask: np.ndarray | bool,
        intensity: np.ndarray | float,
    ) -> None:
        """Make a move in the replicates where mask holds: log it, count it, apply it."""
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), (self.R,))
        if not mask.any():
            return
        inten = np.broadcast_to(np.asarray(intensity, dtype=float), (self.R,))
        inten = np.where(mask, inten, 0.0)
        self.move_counts[kind] += mask
        if self.record_steps:
            self.move_log.append(
                (self.t, self.replicate_ids[mask], source.name, target.name if target else "", kind, inten[mask])
            )
        MOVES[kind].effect(self, source, target, mask, inten)

    # ----------------------------------------------------------------- perception
    def patron_force(self, a: Actor) -> np.ndarray:
        """Power x posture x proximity: the force an actor has near the hedger."""
        return a.s["power"] * a.s["posture"] * a.s["proximity"]

    def dissatisfaction(self, patron: Actor, alignment: np.ndarray) -> np.ndarray:
        """How far the hedger stands from where the patron, given its tolerance, wants it."""
        wanted = -(1.0 - patron.s["tolerance"]) * self.p.demand
        return np.maximum(0.0, alignment - wanted)

    def _perceive(self) -> None:
        """Threat (Walt: power x proximity x posture x intent) and the patron's tolerance."""
        p, w, h = self.p, self.w, self.hedger.s
        x = h["alignment"]
        lean_bloc, lean_patron = np.maximum(0.0, x), np.maximum(0.0, -x)
        bloc_force = sum((self.patron_force(s) for s in self.sec_blocs), np.zeros(self.R))
        patron_force = sum((self.patron_force(a) for a in self.patrons), np.zeros(self.R))
        for pa in self.patrons:
            pa.s["threat"] = w.threat * bloc_force * (p.intent_base + (1 - p.intent_base) * (0.5 * lean_bloc + 0.5))
            pa.s["tolerance"] = np.clip(
                p.tolerance_base + w.hub * p.hub_value * h["hub"] - p.flank_sensitivity * pa.s["threat"],
                0.0,
                1.0,
            )
        h["threat_patron"] = w.threat * sum(
            (self.patron_force(a) * (p.intent_base + (1 - p.intent_base) * a.s["grievance"]) for a in self.patrons),
            np.zeros(self.R),
        )
        h["threat_bloc"] = (
            w.threat * bloc_force * (p.intent_base + (1 - p.intent_base) * 0.5 * (lean_patron + h["base"]))
        )
        transparency = w.transparency * p.transparency_incident_reduction * h["transparency"]
        for nb in self.neighbours:
            nb.s["threat"] = (
                w.threat
                * (patron_force + 0.5 * h["base"] + self.g["exercise"] * (1 - transparency))
                * (p.intent_base + (1 - p.intent_base) * 0.5 * (lean_patron + h["base"]))
                * (1 - w.csbm * p.csbm_incident_reduction * nb.s["csbm"])
            )

    # ----------------------------------------------------------------- step
    def step(self) -> None:
        """One month: events, triggers, decisions, then the economy, the ladder and outcomes."""
        if self.t >= self.horizon:
            self.running = False
            return
        self._draw()
        self._x_start = self.hedger.s["alignment"].copy()
        self._perceive()  # sees last step's exercises
        for ev in self._events.get(self.t, ()):
            self._event(ev)
        self._fire_triggers()
        # Fixed role order keeps the model deterministic: powers act, then the hedger answers.
        for group in (self.patrons, self.econ_blocs, self.sec_blocs, self.neighbours, [self.hedger]):
            for actor in group:
                actor.decide()
        self._dynamics()
        self.g["exercise"][:] = 0.0
        self.t += 1
        self._classify()
        if self.record_steps:
            self._record()
        if self.t >= self.horizon:
            self.running = False

    def _event(self, ev: Any) -> None:
        if ev.move is not None:
            src = self.actors[ev.actor]
            tgt = self.actors[ev.target] if ev.target else None
            self.move(ev.move, src, tgt, True, ev.intensity / ev.duration)
        for table, op in ((ev.set or {}, "set"), (ev.add or {}, "add")):
            for name, value in table.items():
                actor_name, var = name.split(".", 1)
                store = self.g if actor_name == "global" else self.actors[actor_name].s
                spec = GLOBAL_VARS[var] if actor_name == "global" else ROLE_VARS[self.actors[actor_name].role][var]
                new = value if op == "set" else store[var] + value / ev.duration
                store[var] = np.clip(np.broadcast_to(new, (self.R,)).astype(float), spec.lo, spec.hi)

    def _fire_triggers(self) -> None:
        if not self._triggers:
            return
        env = self.env()
        for trig, expr, last, fired in self._triggers:
            cond = np.broadcast_to(expr.evaluate(env), (self.R,)) & (self.t - last > trig.cooldown)
            if trig.once:
                cond = cond & ~fired
            if cond.any():
                last[cond] = self.t
                fired |= cond
                tgt = self.actors[trig.target] if trig.target else None
                self.move(trig.move, self.actors[trig.actor], tgt, cond, trig.intensity)

    def _dynamics(self) -> None:
        """Economy, regime security, autonomy, decays, incidents and the escalation ladder."""
        p, w, h, g = self.p, self.w, self.hedger.s, self.g
        dep_p, dep_b = h["dependence_patron"], h["dependence_bloc"]
        restriction = sum((a.s["restriction"] for a in self.patrons), np.zeros(self.R))
        sanctions = sum((e.s["sanctions"] for e in self.econ_blocs), np.zeros(self.R))
        engagement = sum((e.s["engagement"] - e.initial["engagement"] for e in self.econ_blocs), np.zeros(self.R))
        target = (
            1.0
            + p.subsidy_elasticity * (h["subsidy"] - self.s0)
            - p.restriction_cost * np.minimum(restriction, 1) * dep_p
            - p.sanctions_cost * np.minimum(sanctions, 1) * dep_b
            + w.engagement * p.engagement_gain * engagement * dep_b
        )
        h["economy"] += p.economy_rate * (target - h["economy"])
        h0 = self.hedger.initial
        regime_target = (
            h0["regime_security"]
            + p.regime_economy * np.minimum(0.0, h["economy"] - 1.0)
            - p.regime_sanctions * np.minimum(sanctions, 1)
            - p.regime_crisis * h["legitimacy_crisis"]
            + p.regime_backing * np.maximum(0.0, -h["alignment"])
        )
        h["regime_security"] = np.clip(
            h["regime_security"] + w.regime * p.regime_rate * (regime_target - h["regime_security"]), 0, 1
        )
        autonomy_target = (
            h0["autonomy"]
            - p.integration_autonomy_cost * h["integration"]
            - p.base_autonomy_cost * h["base"]
            - p.alignment_autonomy_cost * np.maximum(0.0, -h["alignment"])
            + p.hub_autonomy_gain * h["hub"]
        )
        h["autonomy"] = np.clip(h["autonomy"] + p.autonomy_rate * (autonomy_target - h["autonomy"]), 0, 1)
        h["alignment"] = np.clip(h["alignment"] - p.integration_lockin * h["integration"], -1, 1)
        h["hub"] *= 1 - p.hub_decay
        h["offer"][:] = 0.0
        h["base_request"][:] = 0.0
        for a in self.patrons:
            a.s["restriction"] *= 1 - p.restriction_decay
            dis = self.dissatisfaction(a, h["alignment"])
            # Anger at standing defiance, and at a sudden swing toward the blocs (Fearon's
            # commitment problem: a rapid shift invites action before it is locked in).
            swing = np.maximum(0.0, h["alignment"] - self._x_start - p.swing_tolerance)
            a.s["grievance"] = np.clip(
                a.s["grievance"] * (1 - p.grievance_decay)
                + (1 + p.base_stake * h["base"]) * (p.defiance_anger * np.minimum(dis, 1) + p.swing_anger * swing),
                0,
                1,
            )
        for e in self.econ_blocs:
            e.s["sanctions"] *= 1 - p.sanctions_decay

        # Incidents rise with force density, fall with CSBMs and transparency (Jervis; Vienna Document).
        csbm = np.mean([n.s["csbm"] for n in self.neighbours], axis=0) if self.neighbours else np.zeros(self.R)
        density = (
            sum((self.patron_force(a) for a in self.patrons), np.zeros(self.R))
            + sum((self.patron_force(s) for s in self.sec_blocs), np.zeros(self.R))
            + sum((n.s["power"] * n.s["posture"] for n in self.neighbours), np.zeros(self.R))
            + 0.5 * h["base"]
            + g["exercise"]
        )
        hazard = w.incidents * p.incident_rate * density * (1 - w.csbm * p.csbm_incident_reduction * csbm)
        incident = self.u[:, 0] < -np.expm1(-np.maximum(hazard, 0.0))
        # An incident climbs more readily where the sides already see each other as threats.
        antagonism = sum((a.s["threat"] for a in self.patrons), np.zeros(self.R)) + (
            np.mean([n.s["threat"] for n in self.neighbours], axis=0) if self.neighbours else 0.0
        )
        climb_p = np.clip(
            p.climb_probability
            * (g["tension"] + p.antagonism_gain * antagonism)
            * (1 - w.hub * p.talks_damping * h["hub"])
            * (1 - w.csbm * p.csbm_damping * csbm),
            0,
            1,
        )
        climb = incident & (self.u[:, 1] < climb_p)
        g["incidents"] = incident.astype(float)
        g["tension"] = np.clip(
            g["tension"] * (1 - p.tension_decay) + np.where(climb, p.rung, np.where(incident, p.incident_tension, 0.0)),
            0,
            1,
        )

    def _classify(self) -> None:
        """Absorbing outcomes: the first one reached is kept, with its step."""
        o, h = self.o, self.hedger.s
        open_ = self.outcome == OUTCOME_CODES["undecided"]
        if not open_.any():
            return
        x = h["alignment"]
        past = np.abs(x) >= o.bandwagon_alignment
        self._held = np.where(past, self._held + 1, 0)
        crisis = self.g["tension"] >= o.crisis_tension
        held = self._held >= o.hold_steps
        to_patron = (held & (x < 0)) | (h["autonomy"] < o.autonomy_floor)
        if o.base_is_bandwagoning:
            to_patron |= self.base_accepted
        to_bloc = held & (x > 0) & ~to_patron
        esc = open_ & crisis
        bw = open_ & ~crisis & (to_patron | to_bloc)
        self.outcome[esc] = OUTCOME_CODES["escalation"]
        self.outcome[bw] = OUTCOME_CODES["bandwagoning"]
        self.side[bw & to_patron] = SIDE_CODES["patron"]
        self.side[bw & to_bloc] = SIDE_CODES["bloc"]
        self.outcome_step[esc | bw] = self.t
        if self.t >= self.horizon:
            rest = self.outcome == OUTCOME_CODES["undecided"]
            self.outcome[rest] = OUTCOME_CODES["neutrality_kept"]
            self.outcome_step[rest] = self.t

    def _record(self) -> None:
        row = {"tension": self.g["tension"].copy(), "incidents": self.g["incidents"].copy()}
        for actor in self.actors.values():
            for var, arr in actor.s.items():
                row[f"{actor.name}.{var}"] = arr.copy()
        self.step_log.append(row)

    def run(self) -> HedgeModel:
        """Advance to the horizon."""
        while self.t < self.horizon:
            self.step()
        return self

    def release(self) -> None:
        """Drop Mesa 3.3's class-level reference to this model so it can be freed."""
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)
