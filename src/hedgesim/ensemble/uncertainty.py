"""Uncertainty as an input: each replicate draws its own parameters and uncertain facts.

``none`` runs the point values (every replicate starts alike). ``prior`` draws, for each
replicate from its own random stream, every behavioural and structural parameter the
scenario does not set itself (its prior: :mod:`hedgesim.calibration.priors`), every fact
tagged [E] or [U] (or given a ``range``) within its interval, mapped to state by the same
mapping as the point values, the patron's private type (resolute with the stated
probability) and, unless stated, the hedger's leader type. ``posterior`` (the default)
does the same except that each replicate picks one weighted parameter vector of the
posterior ``hedgesim calibrate`` wrote and the package ships, and takes every parameter
the vector covers from it (without a posterior it is an error, never a silent prior).

Replicate i's draw comes from ``SeedSequence(seed, spawn_key=(*prefix, i, DRAW_KEY))``:
its own stream, apart from the one its dynamics read, so it is bit-identical however the
ensemble is chunked, and two scenarios with the same uncertain quantities draw alike
(common random numbers for comparisons).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Literal

import annotated_types
import numpy as np

from ..calibration import FACTS, TAG_SPREAD, Context, Posterior, derive, load_posterior
from ..calibration.facts import CONTINUOUS_KINDS, DERIVED_KEY
from ..calibration.priors import Prior, prior
from ..core import Draws, Parameters
from ..core.streams import streams
from ..errors import InputError
from ..rules import rule_class
from ..scenario import Scenario

Uncertainty = Literal["none", "prior", "posterior"]
MODES: tuple[str, ...] = ("none", "prior", "posterior")
#: Last element of a replicate's spawn key for its draws (its dynamics use the key without it).
DRAW_KEY = 0x5EED


def bounds(info: Any) -> tuple[float, float]:
    """A pydantic field's numeric range from its ``ge``/``gt``/``le``/``lt`` metadata."""
    lo, hi = -np.inf, np.inf
    for m in info.metadata:
        if isinstance(m, annotated_types.Ge | annotated_types.Gt):
            lo = float(m.ge if isinstance(m, annotated_types.Ge) else m.gt)
        if isinstance(m, annotated_types.Le | annotated_types.Lt):
            hi = float(m.le if isinstance(m, annotated_types.Le) else m.lt)
    return lo, hi


@dataclass(frozen=True)
class Item:
    """One uncertain quantity: its column in the draws table, and how a uniform becomes its value."""

    column: str
    sample: Callable[[np.ndarray], np.ndarray]
    describe: str


@dataclass
class Plan:
    """What a scenario leaves uncertain, in a fixed order, and how to turn uniforms into a :class:`Draws`."""

    scenario: Scenario
    mode: str
    params: list[tuple[str, Item, bool]] = field(default_factory=list)  # parameter, item, drawn (not fixed)
    rules: list[tuple[str, str, Item, list[str]]] = field(default_factory=list)  # rule, parameter, item, actors
    facts: list[tuple[str, str, Item]] = field(default_factory=list)  # actor, fact, item
    types: list[tuple[str, str, Item, bool]] = field(default_factory=list)  # actor, variable, item, drawn
    posterior: Posterior | None = None  # posterior mode: the weighted vectors a replicate picks from

    @property
    def items(self) -> list[Item]:
        """Every uncertain quantity, in the order its uniform is drawn."""
        # Types and parameters first, facts last: scenarios that share actors and rules draw these alike
        # (common random numbers) even when their uncertain facts differ.
        return (
            [i for _, _, i, _ in self.types]
            + [i for _, i, _ in self.params]
            + [i for _, _, i, _ in self.rules]
            + [i for *_, i in self.facts]
        )

    def uniforms(self, replicate_ids: Sequence[int] | np.ndarray, seed: int, prefix: tuple[int, ...]) -> np.ndarray:
        """One row of uniforms per replicate, each from the replicate's own draw stream."""
        n = len(self.items) + (self.posterior is not None)
        ids = np.asarray(replicate_ids, dtype=np.int64)
        if n == 0:
            return np.empty((len(ids), 0))
        out = np.empty((len(ids), n))
        for row, g in zip(out, streams(seed, prefix, ids, (DRAW_KEY,)), strict=True):
            g.random(out=row)
        return out

    def draw(
        self,
        replicate_ids: Sequence[int] | np.ndarray,
        seed: int,
        prefix: tuple[int, ...] = (),
        theta: Mapping[str, np.ndarray] | None = None,
    ) -> tuple[Draws, dict[str, dict[str, np.ndarray]], dict[str, np.ndarray]]:
        """The replicates' draws: the model's :class:`Draws`, rule parameters by actor, and a table by column.

        ``theta`` gives, for some parameter columns (``draw.parameters.x``, ``draw.rules.r.p``), each
        replicate's value outright (calibration runs every case on the same parameter vectors); in
        ``posterior`` mode each replicate picks a vector of the posterior sample with its first uniform.
        """
        u = self.uniforms(replicate_ids, seed, prefix)
        table: dict[str, np.ndarray] = {}
        col = iter(range(u.shape[1]))
        if self.posterior is not None:
            pick = self.posterior.pick(u[:, next(col)])
            table["draw.posterior_vector"] = self.posterior.samples["theta_id"].to_numpy()[pick].astype(float)
            theta = {c: self.posterior.samples[c].to_numpy()[pick] for c in self.posterior.columns}
        theta = theta or {}

        def value_of(item: Item, uniform: np.ndarray) -> np.ndarray:
            given = theta.get(item.column)
            return item.sample(uniform) if given is None else np.asarray(given, dtype=float)

        draws = Draws()
        for actor, var, item, drawn in self.types:
            value = item.sample(u[:, next(col)])
            if drawn:
                draws.state.setdefault(actor, {})[var] = table[item.column] = value
        for name, item, drawn in self.params:
            value = value_of(item, u[:, next(col)])
            if drawn:  # a parameter the scenario sets keeps its value; its uniform is still consumed
                draws.parameters[name] = table[item.column] = value
        rule_values: dict[str, dict[str, np.ndarray]] = {}
        for _rule, param, item, actors in self.rules:
            value = value_of(item, u[:, next(col)])
            if actors:
                table[item.column] = value
            for actor in actors:
                rule_values.setdefault(actor, {})[param] = value
        fact_values: dict[str, dict[str, np.ndarray]] = {}
        for actor, fact, item in self.facts:
            fact_values.setdefault(actor, {})[fact] = table[item.column] = item.sample(u[:, next(col)])
        if fact_values:
            self._map_facts(fact_values, draws, u.shape[0])
        return draws, rule_values, table

    def _map_facts(self, drawn: dict[str, dict[str, np.ndarray]], draws: Draws, R: int) -> None:
        """Facts drawn per replicate become state through the same mapping as the point values."""
        sc = self.scenario
        facts = sc.facts or {}
        params = SimpleNamespace(**{**sc.parameters.model_dump(), **draws.parameters})
        patrons = sc.by_role("patron")
        spending = _value(facts, drawn, patrons[0], "military_spending_usd_bn") if patrons else None
        ctx = Context(params=params, start_year=int(sc.start.split("-")[0]), patron_spending=spending)
        for actor in drawn:
            entries = facts.get(actor, {})
            values = {k: _value(facts, drawn, actor, k) for k in entries if k != DERIVED_KEY}
            record = entries.get(DERIVED_KEY) or {}
            state = sc.actors[actor].state
            for target, value in derive(sc.actors[actor].role, values, ctx).items():
                kind, var = target.split(".", 1)
                # Only state the mapping wrote is redrawn; a value stated explicitly in the scenario wins.
                if kind == "state" and target in record and state.get(var) == record[target]:
                    draws.state.setdefault(actor, {})[var] = np.broadcast_to(
                        np.asarray(value, dtype=float), (R,)
                    ).copy()


def _value(facts: dict[str, Any], drawn: dict[str, dict[str, np.ndarray]], actor: str, name: str) -> Any:
    if name in drawn.get(actor, {}):
        return drawn[actor][name]
    entry = facts.get(actor, {}).get(name)
    return None if entry is None else float(entry["value"])


def fact_interval(name: str, entry: dict[str, Any]) -> tuple[float, float] | None:
    """The interval a fact carries under uncertainty: its ``range``, or its tag's spread; None if exact."""
    fact = FACTS.get(name)
    if fact is None or fact.kind not in CONTINUOUS_KINDS:
        return None
    value = float(entry["value"])
    if "range" in entry:
        lo, hi = (float(v) for v in entry["range"])
    else:
        spread = TAG_SPREAD.get(str(entry.get("tag")), 0.0)
        lo, hi = max(fact.lo, value * (1 - spread)), min(fact.hi, value * (1 + spread))
        if fact.positive:
            lo = max(lo, value * 0.5, np.nextafter(fact.lo, np.inf))
    return (lo, hi) if hi > lo else None


def _triangular(lo: float, mode: float, hi: float) -> Callable[[np.ndarray], np.ndarray]:
    return Prior("triangular", lo, hi, "", mode=mode).ppf


def _bernoulli(p: float) -> Callable[[np.ndarray], np.ndarray]:
    return lambda u: (u < p).astype(float)


def _categorical(codes: Sequence[int]) -> Callable[[np.ndarray], np.ndarray]:
    return lambda u: np.asarray(codes, dtype=float)[np.minimum((u * len(codes)).astype(int), len(codes) - 1)]


def plan(scenario: Scenario, mode: str = "prior") -> Plan:
    """What ``scenario`` leaves uncertain under ``mode``, in a fixed order.

    Raises:
        InputError: an unknown mode, or ``posterior`` without a shipped posterior.
    """
    if mode not in MODES:
        raise InputError(f"uncertainty must be one of {', '.join(MODES)}, not {mode!r}", field="uncertainty")
    out = Plan(scenario, mode)
    if mode == "none":
        return out
    if mode == "posterior":
        out.posterior = load_posterior()
    # Structural parameters the scenario does not set itself.
    fixed = scenario.parameters.model_fields_set
    for name, info in Parameters.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        pr = prior(f"parameters.{name}", info.default, *bounds(info), str(extra.get("source", "")))
        if pr is not None:
            out.params.append((name, Item(f"draw.parameters.{name}", pr.ppf, pr.describe()), name not in fixed))
    # Rule parameters: one draw per rule and parameter, shared by every actor on that rule that does not
    # set the parameter itself.
    entries: dict[tuple[str, str], tuple[Item, list[str]]] = {}
    for actor, spec in scenario.actors.items():
        cls = rule_class(spec.role, spec.rule.name if spec.rule else None)
        given = set(spec.rule.params) if spec.rule else set()
        for name, info in cls.Params.model_fields.items():
            if not isinstance(info.default, int | float) or isinstance(info.default, bool):
                continue
            pr = prior(f"rules.{cls.name}.{name}", float(info.default), *bounds(info), "")
            if pr is None:
                continue
            if (cls.name, name) not in entries:
                entries[(cls.name, name)] = (Item(f"draw.rules.{cls.name}.{name}", pr.ppf, pr.describe()), [])
            if name not in given:
                entries[(cls.name, name)][1].append(actor)
    out.rules = [(rule, name, item, actors) for (rule, name), (item, actors) in entries.items()]
    # Facts tagged [E] or [U], or given a range.
    for actor, entries in (scenario.facts or {}).items():
        for name, entry in entries.items():
            if name == DERIVED_KEY or not isinstance(entry, dict):
                continue
            interval = fact_interval(name, entry)
            if interval is not None:
                lo, hi = interval
                item = Item(
                    f"draw.facts.{actor}.{name}", _triangular(lo, float(entry["value"]), hi), f"[{lo:g}, {hi:g}]"
                )
                out.facts.append((actor, name, item))
    # Private types: the patron's resolve, the hedger's common prior about it, and the hedger's leader type;
    # always drawn in this order, applied unless the scenario states them.
    hedger = scenario.by_role("hedger")[0]
    hstate = scenario.actors[hedger].state
    for actor in scenario.by_role("patron"):
        p = float(scenario.actors[actor].state.get("resolve", 0.5))
        out.types.append(
            (actor, "resolve", Item(f"draw.{actor}.resolve", _bernoulli(p), f"resolute with chance {p:g}"), True)
        )
    patrons = scenario.by_role("patron")
    p0 = float(scenario.actors[patrons[0]].state.get("resolve", 0.5)) if patrons else 0.5
    belief = Item(f"draw.{hedger}.belief", lambda u, p=p0: np.full_like(u, p), f"the common prior {p0:g}")
    out.types.append((hedger, "belief", belief, "belief" not in hstate))
    leader = Item(f"draw.{hedger}.leader", _categorical((1, 2, 3)), "pragmatist, sovereigntist, regime-first")
    out.types.append((hedger, "leader", leader, "leader" not in hstate))
    return out
