"""The moves actors exchange: each defined once, with who may make it, on whom, and what it does.

A :class:`Move` carries its catalogue entry (kind, sources, targets, meaning), the
mechanism weight that scales it, and its effect on the state. The model applies a move
by calling its effect, the scenario checks read the same entry, and the docs print it,
so adding a move is one entry here.

Effects act on the replicates where ``mask`` holds; ``x`` is the intensity, already 0
elsewhere. They are written so that a replicate's numbers do not depend on the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .protocols import ActorView, ModelState

Effect = Callable[[ModelState, ActorView, "ActorView | None", np.ndarray, np.ndarray], None]

#: GDP index a loan of unit intensity adds (the loan's effect); the calibration turns
#: a loan in USD into an intensity with it.
LOAN_GDP_PER_UNIT = 0.02
#: Regime security a loan of unit intensity adds.
LOAN_REGIME_PER_UNIT = 0.05


@dataclass(frozen=True)
class Move:
    """One move of the catalogue.

    Attributes:
        name: the move's name in scenarios, logs and tables.
        kind: economic lever, security move, or the hedger's choice.
        sources: roles that may make it.
        targets: roles it may be aimed at; () when it has no target.
        meaning: what it is, for people.
        weights: the mechanism weights (``mechanisms.<name>``) its effect is scaled by.
        effect: what it does to the state.
        target_optional: the move may be made without naming a target.
    """

    name: str
    kind: Literal["economic", "security", "choice"]
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    meaning: str
    weights: tuple[str, ...]
    effect: Effect
    target_optional: bool = False


MOVES: dict[str, Move] = {}


def _move(
    name: str,
    kind: Literal["economic", "security", "choice"],
    sources: tuple[str, ...],
    targets: tuple[str, ...],
    meaning: str,
    weights: tuple[str, ...],
    target_optional: bool = False,
) -> Callable[[Effect], Effect]:
    def register(effect: Effect) -> Effect:
        MOVES[name] = Move(name, kind, sources, targets, meaning, weights, effect, target_optional)
        return effect

    return register


POWERS = ("patron", "security_bloc", "neighbour")


# --------------------------------------------------------------------------- economic levers


@_move("subsidy", "economic", ("patron",), ("hedger",), "restore part of the gap to the agreed subsidy", ("subsidy",))
def _subsidy(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["subsidy"] += m.w.subsidy * x * np.maximum(0.0, m.s0 - h["subsidy"])


@_move("subsidy_cut", "economic", ("patron",), ("hedger",), "cut this share of the subsidy at once", ("subsidy_cut",))
def _subsidy_cut(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["subsidy"] -= np.minimum(m.w.subsidy_cut * x, 1.0) * h["subsidy"]


@_move(
    "tax_manoeuvre",
    "economic",
    ("patron",),
    ("hedger",),
    "remove this share of the start subsidy (phase it with duration)",
    ("tax_manoeuvre",),
)
def _tax_manoeuvre(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["subsidy"] = np.maximum(0.0, h["subsidy"] - m.w.tax_manoeuvre * x * m.s0)


@_move(
    "integration_offer",
    "economic",
    ("patron",),
    ("hedger",),
    "offer deeper integration instead of compensation",
    ("integration",),
)
def _integration_offer(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["offer"] = np.maximum(h["offer"], np.minimum(1.0, m.w.integration * x))


@_move(
    "integration_accept",
    "choice",
    ("hedger",),
    ("patron",),
    "accept integration for part of the subsidy",
    (),
)
def _integration_accept(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["integration"] = np.minimum(1.0, h["integration"] + x)
    gap = np.maximum(0.0, m.s0 - h["subsidy"])
    h["subsidy"] += np.where(mask, m.p.integration_relief * np.minimum(1.0, x * 5), 0.0) * gap
    h["alignment"] = np.clip(h["alignment"] - 0.5 * x, -1, 1)
    h["offer"] = np.where(mask, 0.0, h["offer"])


@_move(
    "loan",
    "economic",
    ("patron", "economic_bloc"),
    ("hedger",),
    "credit that props up economy and regime",
    ("loan",),
)
def _loan(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["economy"] += m.w.loan * x * LOAN_GDP_PER_UNIT
    h["regime_security"] = np.minimum(1.0, h["regime_security"] + m.w.loan * x * LOAN_REGIME_PER_UNIT)


@_move(
    "trade_restriction",
    "economic",
    ("patron",),
    ("hedger",),
    "restrict the hedger's exports",
    ("trade_restriction",),
)
def _trade_restriction(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    src.s["restriction"] = np.minimum(1.0, src.s["restriction"] + m.w.trade_restriction * x)


@_move(
    "engagement",
    "economic",
    ("economic_bloc",),
    ("hedger",),
    "market access, loans, lifting sanctions",
    ("engagement",),
)
def _engagement(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    w = m.w.engagement
    src.s["engagement"] = np.minimum(1.0, src.s["engagement"] + w * x * (1 - src.s["engagement"]))
    src.s["sanctions"] = np.maximum(0.0, src.s["sanctions"] - w * x)


@_move("sanctions", "economic", ("economic_bloc",), ("hedger",), "sanctions on the hedger", ("sanctions",))
def _sanctions(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    w = m.w.sanctions
    src.s["sanctions"] = np.minimum(1.0, src.s["sanctions"] + w * x * (1 - src.s["sanctions"]))
    src.s["engagement"] = np.maximum(0.0, src.s["engagement"] - w * x)


# --------------------------------------------------------------------------- security moves


def _exercise_size(m: ModelState, x: np.ndarray, transparent: bool) -> None:
    size = m.w.exercise * x * (1 - (m.w.transparency * m.p.transparency_incident_reduction if transparent else 0))
    m.g["exercise"] = np.maximum(m.g["exercise"], np.minimum(1.0, size))


@_move("exercise", "security", POWERS, (), "exercise closed to observers", ("exercise",))
def _exercise(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    _exercise_size(m, x, transparent=False)


@_move("exercise_transparent", "security", POWERS, (), "exercise with observers invited", ("exercise", "transparency"))
def _exercise_transparent(
    m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray
) -> None:
    _exercise_size(m, x, transparent=True)


@_move("deployment", "security", POWERS, (), "raise force posture", ("deployment",))
def _deployment(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    src.s["posture"] = np.minimum(1.0, src.s["posture"] + m.w.deployment * x)


@_move("drawdown", "security", POWERS, (), "lower force posture", ("deployment",))
def _drawdown(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    src.s["posture"] = np.maximum(0.0, src.s["posture"] - m.w.deployment * x)


#: Posture the patron adds per unit of military pressure.
PRESSURE_POSTURE = 0.05


@_move(
    "military_pressure",
    "security",
    ("patron",),
    ("hedger",),
    "coercive show of force at the hedger",
    ("military_pressure",),
)
def _military_pressure(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    w = m.w.military_pressure
    m.g["tension"] = np.minimum(1.0, m.g["tension"] + w * m.p.pressure_tension * x)
    src.s["posture"] = np.minimum(1.0, src.s["posture"] + w * PRESSURE_POSTURE * x)


@_move("base_request", "security", ("patron",), ("hedger",), "ask the hedger to host a base", ("base",))
def _base_request(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["base_request"] = np.where(mask, np.minimum(1.0, m.w.base * x), h["base_request"])


#: Alignment toward the patron that hosting its base brings at once.
BASE_ALIGNMENT = 0.3
#: Posture the patron gains near the hedger from a base.
BASE_POSTURE = 0.2


@_move("base_accept", "choice", ("hedger",), ("patron",), "host the patron's base", ("base",))
def _base_accept(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h, w = m.hedger.s, m.w.base
    h["base"] = np.where(mask & (w > 0), 1.0, h["base"])
    m.base_accepted |= mask & (w > 0)
    h["alignment"] = np.where(mask, np.clip(h["alignment"] - BASE_ALIGNMENT, -1, 1), h["alignment"])
    patron = tgt if tgt is not None else m.patrons[0]
    patron.s["posture"] = np.where(mask, np.minimum(1.0, patron.s["posture"] + BASE_POSTURE * w), patron.s["posture"])


@_move("base_refuse", "choice", ("hedger",), ("patron",), "refuse the patron's base", ("base",))
def _base_refuse(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    if tgt is not None:
        tgt.s["grievance"] = np.minimum(1.0, tgt.s["grievance"] + m.w.base * m.p.refusal_anger * x)


@_move("csbm", "security", ("hedger",), ("neighbour",), "deepen CSBMs with a neighbour", ("csbm",))
def _csbm(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    if tgt is not None:
        tgt.s["csbm"] = np.minimum(1.0, tgt.s["csbm"] + m.w.csbm * x * (1 - tgt.s["csbm"]))


@_move("host_talks", "security", ("hedger",), (), "host regional talks (the hub)", ("hub",))
def _host_talks(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["hub"] = np.minimum(1.0, h["hub"] + m.w.hub * x * (1 - h["hub"]))


def hub_equilibrium(intensity: float, decay: float) -> float:
    """Hub activity that hosting talks at ``intensity`` a step sustains against ``decay``.

    The fixed point of the ``host_talks`` effect followed by the model's monthly decay
    ``hub *= 1 - decay``: the calibration reads it here rather than copy the algebra.
    """
    gain = intensity * (1 - decay)
    return gain / (decay + gain) if decay + gain > 0 else 0.0


# --------------------------------------------------------------------------- the hedger's alignment


@_move("lean_patron", "choice", ("hedger",), ("patron",), "move alignment toward the patron", ())
def _lean_patron(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["alignment"] = np.clip(h["alignment"] - x, -1, 1)


@_move("hedge", "choice", ("hedger",), (), "move alignment toward neutrality", ())
def _hedge(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["alignment"] = h["alignment"] - np.sign(h["alignment"]) * np.minimum(np.abs(h["alignment"]), x)


@_move(
    "lean_bloc",
    "choice",
    ("hedger",),
    ("economic_bloc", "security_bloc"),
    "move alignment toward the blocs",
    (),
    target_optional=True,
)
def _lean_bloc(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["alignment"] = np.clip(h["alignment"] + x, -1, 1)
