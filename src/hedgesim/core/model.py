"""The Mesa model: one agent per actor, every state variable an array over replicates.

One model instance advances R replicates at once. Replicate i draws its random
numbers from its own stream, spawned from the scenario seed by
``SeedSequence(seed, spawn_key=(*prefix, i))``, a fixed number per step, so a
replicate is bit-identical whether it runs alone or among 10,000. R = 1 is the
same code with arrays of length one. Under uncertainty each replicate also starts
from its own draw of parameters and initial state (:class:`Draws`), made by the
layers above from the replicate's own stream.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np

from . import dynamics
from .expr import compile_expr
from .moves import MOVES
from .protocols import ActorView, RuleLike, ScenarioLike
from .streams import streams
from .vocabulary import GLOBAL_VARS, OUTCOME_CODES, ROLE_VARS, ROUTE_CODES, SIDE_CODES, expression_names

with warnings.catch_warnings():  # Mesa imports tqdm.auto, which warns in a notebook without ipywidgets
    warnings.filterwarnings("ignore", message="IProgress not found")
    import mesa

_BLOCK_STEPS = 24  # random numbers are drawn this many steps ahead
#: Moves that count as the patron punishing a defection, for the hedger's learning.
COERCIVE = frozenset({"trade_restriction", "subsidy_cut", "supply_cutoff", "military_pressure"})


@dataclass
class Draws:
    """One draw per replicate of what is uncertain: initial state and structural parameters.

    ``state`` maps actor -> variable -> array over the replicates; ``parameters`` maps a
    structural parameter's name to its array. Made by :mod:`hedgesim.ensemble` from each
    replicate's own stream, so a replicate's draw does not depend on the batch.
    """

    state: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    parameters: dict[str, np.ndarray] = field(default_factory=dict)


class Actor(mesa.Agent):
    """An actor: its role carries the logic, its rule chooses its moves."""

    def __init__(
        self, model: HedgeModel, name: str, role: str, rule: RuleLike, state: Mapping[str, float | np.ndarray]
    ) -> None:
        super().__init__(model)
        self.name = name
        self.role = role
        self.rule = rule
        R = model.R
        self.s: dict[str, np.ndarray] = {
            var: np.broadcast_to(np.asarray(state.get(var, spec.default), dtype=float), (R,)).copy()
            for var, spec in ROLE_VARS[role].items()
        }
        self.initial: dict[str, np.ndarray] = {var: arr.copy() for var, arr in self.s.items()}
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
    ``draws`` gives each replicate its own parameters and initial state (uncertainty).
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
        draws: Draws | None = None,
    ) -> None:
        seed = scenario.seed if seed is None else int(seed)
        super().__init__(rng=seed)
        draws = draws or Draws()
        self.scenario_spec = scenario  # not "scenario": Mesa 3.5 uses that name
        ids = np.arange(scenario.replicates) if replicate_ids is None else np.asarray(replicate_ids, dtype=np.int64)
        self.replicate_ids = ids
        self.R = R = len(ids)
        self.p: Any = SimpleNamespace(**{**scenario.parameters.model_dump(), **draws.parameters})
        self.w = scenario.mechanisms
        self.o = scenario.outcomes
        self.t = 0
        self.horizon = scenario.horizon
        self.step_months = int(getattr(scenario, "step_months", 1))
        self.record_steps = record_steps

        self.actors: dict[str, Actor] = {}
        for name, spec in scenario.actors.items():
            state = {**spec.state, **draws.state.get(name, {})}
            self.actors[name] = Actor(self, name, spec.role, rules[name], state)
        by_role = {role: [a for a in self.actors.values() if a.role == role] for role in ROLE_VARS}
        self.hedger: Actor = by_role["hedger"][0]
        self.patrons: list[Actor] = by_role["patron"]
        self.econ_blocs: list[Actor] = by_role["economic_bloc"]
        self.sec_blocs: list[Actor] = by_role["security_bloc"]
        self.neighbours: list[Actor] = by_role["neighbour"]
        self.partners: list[Actor] = by_role["partner"]
        self.g: dict[str, np.ndarray] = {var: np.full(R, spec.default) for var, spec in GLOBAL_VARS.items()}
        self.s0 = self.hedger.initial["subsidy"]

        # Random numbers: 2 model slots (incident, climb), one per hazard, then each rule's own.
        hazards = list(getattr(scenario, "hazards", ()) or ())
        k = 2 + len(hazards)
        for actor in self.actors.values():
            n = actor.rule.uniforms_needed(self, actor)
            actor.slots = slice(k, k + n)
            k += n
        self.K = k
        self._streams = streams(seed, spawn_prefix, ids)  # SeedSequence(seed, spawn_key=(*spawn_prefix, i))
        self._block = np.empty((R, 0, k))
        self._released = False
        self._block_start = 0
        self.u = np.empty((R, k))

        # Events by step; triggers compiled against the state's names; hazards with their running shocks.
        self._events: dict[int, list[Any]] = {}
        for ev in scenario.events:
            for offset in range(ev.duration):
                self._events.setdefault(scenario.event_step(ev) + offset, []).append(ev)
        names = self._names = expression_names({a.name: a.role for a in self.actors.values()})
        self._triggers = [
            (trig, compile_expr(trig.when, names, boolean=True), np.full(R, -(10**9)), np.zeros(R, dtype=bool))
            for trig in scenario.triggers
        ]
        self._hazards = [(hz, np.zeros(R, dtype=np.int64), np.zeros(R, dtype=bool)) for hz in hazards]

        # Outcomes and records.
        self.outcome = np.full(R, OUTCOME_CODES["undecided"], dtype=np.int8)
        self.side = np.zeros(R, dtype=np.int8)
        self.route = np.zeros(R, dtype=np.int8)
        self.outcome_step = np.full(R, -1, dtype=np.int64)
        self._held = np.zeros(R, dtype=np.int64)
        self.base_accepted = np.zeros(R, dtype=bool)  # a base hosted before the start is a fact, not an outcome
        self._punished = np.zeros(R, dtype=bool)
        self.move_counts: dict[str, np.ndarray] = {kind: np.zeros(R, dtype=np.int64) for kind in MOVES}
        self.move_log: list[tuple[int, np.ndarray, str, str, str, np.ndarray, str, str]] = []
        self.step_log: list[dict[str, np.ndarray]] = []
        self._terms: dict[str, np.ndarray] = {}
        self.punish_chances: tuple[np.ndarray, np.ndarray] = (np.zeros(R), np.zeros(R))
        dynamics.perceive(self)
        if record_steps:
            self._record()

    # ----------------------------------------------------------------- names
    def state_names(self) -> dict[str, tuple[str, str]]:
        """Every name an expression may use, mapped to (owner, variable); see vocabulary.expression_names."""
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
            # Each replicate's rows written in place into one reused buffer: a fresh 10,000-replicate
            # block every 24 steps costs its page faults again.
            if self._block.shape[1] != n:
                self._block = np.empty((self.R, n, self.K))
            block = self._block
            for r, g in enumerate(self._streams):
                g.random(out=block[r])
            self._block_start = self.t
            i = 0
        # A contiguous copy of this step's uniforms (about 0.1 ms for 10,000 replicates): read in place,
        # each of the step's ~30 column reads would touch a memory page per replicate.
        self.u = np.ascontiguousarray(self._block[:, i, :])

    # ----------------------------------------------------------------- moves and what rules can read
    def move(
        self,
        kind: str,
        source: ActorView,
        target: ActorView | None,
        mask: np.ndarray | bool,
        intensity: np.ndarray | float,
        *,
        why: str = "",
        origin: str = "rule",
    ) -> None:
        """Make a move in the replicates where mask holds: log it (with its origin and reason), count it, apply it."""
        if not (isinstance(mask, np.ndarray) and mask.dtype == np.bool_ and mask.shape == (self.R,)):
            mask = np.broadcast_to(np.asarray(mask, dtype=bool), (self.R,))  # rules' masks skip this (hot path)
        if not mask.any():
            return
        if not (isinstance(intensity, float) or getattr(intensity, "shape", None) == (self.R,)):
            intensity = np.broadcast_to(np.asarray(intensity, dtype=float), (self.R,))
        inten = np.where(mask, intensity, 0.0).astype(float, copy=False)
        self.move_counts[kind] += mask
        if kind in COERCIVE and source.role == "patron" and all(getattr(self.w, w) > 0 for w in MOVES[kind].weights):
            self._punished |= mask  # a punishment the hedger feels (a lever switched off is not one)
        if self.record_steps:
            self.move_log.append(
                (
                    self.t,
                    self.replicate_ids[mask],
                    source.name,
                    target.name if target else "",
                    kind,
                    inten[mask],
                    origin,
                    why,
                )
            )
        MOVES[kind].effect(self, source, target, mask, inten)

    def explain(self, actor: ActorView, terms: Mapping[str, np.ndarray]) -> None:
        """Keep a rule's reasons for this step (utility terms), recorded with the steps when asked."""
        if self.record_steps:
            for key, value in terms.items():
                self._terms[f"{actor.name}.{key}"] = np.broadcast_to(np.asarray(value, dtype=float), (self.R,)).copy()

    def patron_force(self, a: ActorView) -> np.ndarray:
        """Power x posture x proximity: the force an actor has near the hedger."""
        return dynamics.force(a)

    def dissatisfaction(self, patron: ActorView, alignment: np.ndarray) -> np.ndarray:
        """How far the hedger stands from where the patron, given its tolerance, wants it."""
        return dynamics.dissatisfaction(self, patron, alignment)

    def leverage(self) -> np.ndarray:
        """The patron's economic leverage over the hedger (trade, transit and energy), in [0, 1]."""
        return dynamics.leverage(self)

    def outside_option(self) -> np.ndarray:
        """What the hedger's other markets offer it, in [0, 1]."""
        return dynamics.outside_option(self)

    def punish_probability(self, patron: ActorView, resolve: np.ndarray | float) -> np.ndarray:
        """The chance a patron of this resolve punishes a defection (common knowledge)."""
        return dynamics.punish_probability(self, patron, resolve)

    # ----------------------------------------------------------------- step
    def step(self) -> None:
        """One month: perception, shocks, events, triggers, decisions, then the dynamics and outcomes."""
        if self.t >= self.horizon:
            self.running = False
            return
        if self._released:
            raise RuntimeError("this model was released (HedgeModel.release) and cannot step again")
        self._draw()
        x_start = self.hedger.s["alignment"].copy()
        dynamics.perceive(self)  # sees last step's exercises
        dis_start = {a.name: self.dissatisfaction(a, x_start) for a in self.patrons}
        self.g["exercise"][:] = 0.0
        self.g["pressure"][:] = 0.0
        self._punished[:] = False
        self._terms = {}
        self._run_hazards()
        for ev in self._events.get(self.t, ()):
            self._event(ev)
        self._fire_triggers()
        # Fixed role order keeps the model deterministic: powers act, then the hedger answers.
        for group in (self.patrons, self.econ_blocs, self.sec_blocs, self.neighbours, self.partners, [self.hedger]):
            for actor in group:
                actor.decide()
        dynamics.economy(self)
        dynamics.transfers(self)
        dynamics.decays(self, x_start)
        dynamics.learn(self, dis_start, self._punished)
        dynamics.ladder(self, self.u[:, 0], self.u[:, 1])
        self.t += 1
        self._classify()
        if self.record_steps:
            self._record()
        if self.t >= self.horizon:
            self.running = False

    def _shock(self, table: Mapping[str, float], op: str, duration: int, mask: np.ndarray | bool) -> None:
        """Set or add to variables (``actor.var`` / ``global.var``) where mask holds, kept inside their range."""
        for name, value in table.items():
            actor_name, var = name.split(".", 1)
            store = self.g if actor_name == "global" else self.actors[actor_name].s
            spec = GLOBAL_VARS[var] if actor_name == "global" else ROLE_VARS[self.actors[actor_name].role][var]
            new = value if op == "set" else store[var] + value / duration
            store[var] = np.where(mask, np.clip(new, spec.lo, spec.hi), store[var])

    def _event(self, ev: Any) -> None:
        origin = f"event:{ev.label}" if ev.label else "event"
        if ev.move is not None:
            src = self.actors[ev.actor]
            tgt = self.actors[ev.target] if ev.target else None
            self.move(ev.move, src, tgt, True, ev.intensity / ev.duration, origin=origin, why="scripted event")
        for table, op in ((ev.set or {}, "set"), (ev.add or {}, "add")):
            self._shock(table, op, ev.duration, True)

    def _run_hazards(self) -> None:
        """Exogenous shocks as hazards: each replicate draws, each step, whether a shock starts."""
        years = self.step_months / 12.0
        for j, (hz, remaining, fired) in enumerate(self._hazards):
            chance = -np.expm1(-self.w.hazards * hz.rate * years)
            start = (self.u[:, 2 + j] < chance) & (remaining == 0)
            if hz.once:
                start &= ~fired
            remaining[start] = hz.duration
            fired |= start
            active = remaining > 0
            if active.any():
                for table, op in ((hz.set or {}, "set"), (hz.add or {}, "add")):
                    self._shock(table, op, hz.duration, active)
                remaining[active] -= 1

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
                origin = f"trigger:{trig.label}" if trig.label else "trigger"
                self.move(trig.move, self.actors[trig.actor], tgt, cond, trig.intensity, origin=origin, why=trig.when)

    # ----------------------------------------------------------------- outcomes and records
    def _classify(self) -> None:
        """Absorbing outcomes: the first one reached is kept, with its step and the route that led there."""
        o, h = self.o, self.hedger.s
        open_ = self.outcome == OUTCOME_CODES["undecided"]
        if not open_.any():
            return
        x = h["alignment"]
        past = np.abs(x) >= o.bandwagon_alignment
        self._held = np.where(past, self._held + 1, 0)
        crisis = self.g["tension"] >= o.crisis_tension
        held = self._held >= o.hold_steps
        by_base = self.base_accepted if o.base_is_bandwagoning else np.zeros(self.R, dtype=bool)
        by_autonomy = h["autonomy"] < o.autonomy_floor
        to_patron = (held & (x < 0)) | by_autonomy | by_base
        to_bloc = held & (x > 0) & ~to_patron
        esc = open_ & crisis
        bw = open_ & ~crisis & (to_patron | to_bloc)
        self.outcome[esc] = OUTCOME_CODES["escalation"]
        self.outcome[bw] = OUTCOME_CODES["bandwagoning"]
        self.side[bw & to_patron] = SIDE_CODES["patron"]
        self.side[bw & to_bloc] = SIDE_CODES["bloc"]
        self.route[esc] = ROUTE_CODES["crisis"]
        # One route per replicate, in this order of precedence: a base, autonomy lost, alignment held.
        self.route[bw] = np.where(
            by_base[bw],
            ROUTE_CODES["base"],
            np.where(by_autonomy[bw], ROUTE_CODES["autonomy"], ROUTE_CODES["alignment"]),
        )
        self.outcome_step[esc | bw] = self.t
        if self.t >= self.horizon:
            rest = self.outcome == OUTCOME_CODES["undecided"]
            self.outcome[rest] = OUTCOME_CODES["neutrality_kept"]
            self.route[rest] = ROUTE_CODES["horizon"]
            self.outcome_step[rest] = self.t

    def _record(self) -> None:
        row = {var: self.g[var].copy() for var in GLOBAL_VARS}
        for actor in self.actors.values():
            for var, arr in actor.s.items():
                row[f"{actor.name}.{var}"] = arr.copy()
        row.update(self._terms)
        self.step_log.append(row)

    def run(self) -> HedgeModel:
        """Advance to the horizon."""
        while self.t < self.horizon:
            self.step()
        return self

    def release(self, *, keep_state: bool = True) -> None:
        """Drop Mesa 3.3's class-level reference to this model, and its per-run buffers, so memory is freed now.

        A model holds reference cycles (its actors point back to it, Mesa's wrapped ``step``
        is a bound method in its own dict), so the object itself waits for the cycle
        collector, which runs seldom when little else is allocated. Its arrays are dropped
        here instead, so a worker running chunk after chunk does not hold several models'
        worth: always the replicates' streams and the block of uniforms (about 40 MB for
        10,000 replicates); with ``keep_state=False`` (once the run is tabulated) also the
        state, the drawn parameters and the records. A released model cannot step again.
        """
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)
        self._streams = []
        self._block = np.empty((self.R, 0, self.K))
        self._released = True
        if not keep_state:
            for actor in self.actors.values():
                actor.s, actor.initial = {}, {}
            self.g, self.move_counts, self._terms = {}, {}, {}
            self.move_log, self.step_log = [], []
            self.p = SimpleNamespace()
            self.u = np.empty((0, self.K))
