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
from typing import Any, Literal

import numpy as np

from .protocols import ActorView, ModelState

Effect = Callable[[ModelState, ActorView, "ActorView | None", np.ndarray, np.ndarray], None]


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
    h["subsidy"] += np.minimum(m.w.subsidy * x, 1.0) * np.maximum(0.0, m.s0 - h["subsidy"])


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
    h, p = m.hedger.s, m.p
    h["integration"] = np.minimum(1.0, h["integration"] + x)
    gap = np.maximum(0.0, m.s0 - h["subsidy"])
    h["subsidy"] += np.where(mask, p.integration_relief * np.minimum(1.0, x * p.relief_scale), 0.0) * gap
    h["alignment"] = np.clip(h["alignment"] - p.integration_alignment * x, -1, 1)
    h["offer"] = np.where(mask, 0.0, h["offer"])


@_move(
    "loan",
    "economic",
    ("patron", "economic_bloc", "partner"),
    ("hedger",),
    "credit that props up economy and regime (a patron pays it from its budget and is owed it as debt)",
    ("loan", "budget"),
)
def _loan(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    amount = m.w.loan * x * m.p.loan_gdp_per_unit  # share of GDP, as the debt fact is (calibration.targets)
    h["economy"] = np.minimum(3.0, h["economy"] + amount)
    h["regime_security"] = np.minimum(1.0, h["regime_security"] + m.w.loan * x * m.p.loan_regime_per_unit)
    if src.role == "patron":
        # Credit from the patron is debt owed to the patron, which it may later call in (debt_demand).
        h["debt"] = np.minimum(3.0, h["debt"] + amount)
        src.s["budget"] = np.maximum(0.0, src.s["budget"] - m.w.budget * amount)


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
    ("economic_bloc", "partner"),
    ("hedger",),
    "market access, loans, lifting sanctions",
    ("engagement",),
)
def _engagement(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    w = m.w.engagement
    src.s["engagement"] = np.minimum(1.0, src.s["engagement"] + w * x * (1 - src.s["engagement"]))
    src.s["sanctions"] = np.maximum(0.0, src.s["sanctions"] - w * x)


@_move("sanctions", "economic", ("economic_bloc", "partner"), ("hedger",), "sanctions on the hedger", ("sanctions",))
def _sanctions(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    w = m.w.sanctions
    src.s["sanctions"] = np.minimum(1.0, src.s["sanctions"] + w * x * (1 - src.s["sanctions"]))
    src.s["engagement"] = np.maximum(0.0, src.s["engagement"] - w * x)


# --------------------------------------------------------------------------- security moves


def _exercise_size(m: ModelState, x: np.ndarray, transparent: bool) -> None:
    open_share = np.clip(1 - m.w.transparency * m.p.transparency_incident_reduction, 0.0, 1.0) if transparent else 1.0
    size = m.w.exercise * x * open_share
    m.g["exercise"] = np.maximum(m.g["exercise"], np.clip(size, 0.0, 1.0))


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


@_move(
    "military_pressure",
    "security",
    ("patron",),
    ("hedger",),
    "coercive show of force at the hedger: forces in contact, a graver incident ladder",
    ("military_pressure",),
)
def _military_pressure(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    w = m.w.military_pressure
    m.g["pressure"] = np.maximum(m.g["pressure"], np.minimum(1.0, w * x))
    src.s["posture"] = np.minimum(1.0, src.s["posture"] + w * m.p.pressure_posture * x)


@_move("base_request", "security", ("patron",), ("hedger",), "ask the hedger to host a base", ("base",))
def _base_request(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["base_request"] = np.where(mask, np.minimum(1.0, m.w.base * x), h["base_request"])


@_move("base_accept", "choice", ("hedger",), ("patron",), "host the patron's base", ("base",))
def _base_accept(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h, w = m.hedger.s, m.w.base
    accepted = mask & (w > 0) & (h["base"] < 1)
    h["base"] = np.where(accepted, 1.0, h["base"])
    m.base_accepted |= accepted
    h["alignment"] = np.where(accepted, np.clip(h["alignment"] - m.p.base_alignment * w, -1, 1), h["alignment"])
    patron = tgt if tgt is not None else m.patrons[0]
    patron.s["posture"] = np.where(
        accepted, np.minimum(1.0, patron.s["posture"] + m.p.base_posture * w), patron.s["posture"]
    )


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


def hub_equilibrium(intensity: Any, decay: Any) -> Any:
    """Hub activity that hosting talks at ``intensity`` a step sustains against ``decay``.

    The fixed point of the ``host_talks`` effect followed by the model's monthly decay
    ``hub *= 1 - decay``: the calibration reads it here rather than copy the algebra.
    Element-wise over arrays (draws under uncertainty); a float for floats.
    """
    gain = np.asarray(intensity, dtype=float) * (1 - np.asarray(decay, dtype=float))
    total = np.asarray(decay, dtype=float) + gain
    value = np.divide(gain, total, out=np.zeros_like(total), where=total > 0)
    return float(value) if value.ndim == 0 else value


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


# --------------------------------------------------------------------------- Model 2: the economic channel


@_move(
    "compensation_offer",
    "economic",
    ("patron",),
    ("hedger",),
    "announce that this share of the subsidy gap is restored each step the hedger complies",
    ("compensation",),
)
def _compensation_offer(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["compensation"] = np.maximum(h["compensation"], np.minimum(1.0, m.w.compensation * x))


@_move("supply_cutoff", "economic", ("patron",), ("hedger",), "cut energy supply to the hedger", ("cutoff",))
def _supply_cutoff(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    src.s["cutoff"] = np.minimum(1.0, src.s["cutoff"] + m.w.cutoff * x * (1 - src.s["cutoff"]))


@_move("debt_demand", "economic", ("patron",), ("hedger",), "demand this share of the debt repaid now", ("debt",))
def _debt_demand(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h = m.hedger.s
    h["debt_demand"] = np.where(mask, np.minimum(1.0, m.w.debt * x), h["debt_demand"])


@_move("payment", "choice", ("hedger",), ("patron",), "repay this share of the debt to the patron", ("debt",))
def _payment(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h, w = m.hedger.s, m.w.debt
    paid = np.minimum(h["debt"], w * np.minimum(x, 1.0) * h["debt"])
    h["economy"] = np.maximum(0.0, h["economy"] - m.p.debt_repayment_cost * paid)
    h["debt"] = h["debt"] - paid
    h["debt_demand"] = np.where(mask, 0.0, h["debt_demand"])
    if tgt is not None:
        tgt.s["grievance"] = tgt.s["grievance"] * np.clip(1 - w * np.minimum(x, 1.0), 0.0, 1.0)


@_move(
    "regime_rescue",
    "security",
    ("patron",),
    ("hedger",),
    "back a friendly regime in crisis (political backing, security forces)",
    ("rescue",),
)
def _regime_rescue(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h, p, w = m.hedger.s, m.p, m.w.rescue
    h["regime_security"] = np.minimum(1.0, h["regime_security"] + w * p.rescue_security * x)
    h["alignment"] = np.clip(h["alignment"] - w * p.rescue_alignment * x, -1, 1)
    h["autonomy"] = np.maximum(0.0, h["autonomy"] - w * p.rescue_autonomy * x)


@_move(
    "diversify",
    "economic",
    ("hedger",),
    ("economic_bloc", "partner"),
    "redirect trade and energy away from the patron, toward the blocs and third poles, at a cost",
    ("diversification",),
    target_optional=True,
)
def _diversify(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    h, p, w = m.hedger.s, m.p, m.w.diversification
    pull_bloc = sum((e.s["engagement"] * (1 - e.s["sanctions"]) for e in m.econ_blocs), np.zeros(m.R))
    pull_partner = sum((c.s["engagement"] * (1 - c.s["sanctions"]) for c in m.partners), np.zeros(m.R)) * m.w.partner
    pull = pull_bloc + pull_partner
    effort = np.minimum(w * x, 1.0) * (pull > 0)
    shift = p.diversification_pace * effort * h["dependence_patron"]
    share_bloc = np.divide(pull_bloc, pull, out=np.zeros(m.R), where=pull > 0)
    h["dependence_patron"] = h["dependence_patron"] - shift
    h["dependence_bloc"] = np.minimum(1.0, h["dependence_bloc"] + shift * share_bloc)
    h["dependence_partner"] = np.minimum(1.0, h["dependence_partner"] + shift * (1 - share_bloc))
    h["energy_dependence"] = h["energy_dependence"] * (1 - p.energy_diversification_pace * effort)
    h["economy"] = np.maximum(0.0, h["economy"] - p.diversification_cost * effort)


@_move(
    "candidate_status",
    "economic",
    ("economic_bloc",),
    ("hedger",),
    "offer the hedger a membership perspective (candidate status)",
    ("aspiration",),
)
def _candidate_status(m: ModelState, src: ActorView, tgt: ActorView | None, mask: np.ndarray, x: np.ndarray) -> None:
    src.s["candidate"] = np.maximum(src.s["candidate"], np.minimum(1.0, m.w.aspiration * x))
