"""Generic rules a scenario scripts: a condition and a move, a schedule, or nothing at all."""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import ConfigDict, Field, model_validator

from ..core import ActorView, ModelView, compile_expr
from ..util.numbers import NumbersNotBooleans
from .base import DeclaredMove, Rule, RuleParams, register_rule


class ThresholdParams(RuleParams):
    """Parameters of ``threshold``: a condition, the move it triggers, and one for otherwise."""

    when: str = Field(description="condition over the state, e.g. 'hedger.alignment > 0.2'")
    move: str = Field(description="move made while the condition holds")
    target: str | None = Field(None, description="actor the move is aimed at")
    intensity: float = Field(1.0, ge=0, le=10)
    otherwise: str | None = Field(None, description="move made while the condition does not hold")
    otherwise_intensity: float = Field(1.0, ge=0, le=10)


@register_rule("threshold")
class Threshold(Rule):
    """A trigger rule: one move when a condition holds, optionally another when it does not."""

    Params = ThresholdParams

    def __init__(self, params: RuleParams) -> None:
        super().__init__(params)
        self._expr: Any = None

    def decide(self, model: ModelView, actor: ActorView, u: np.ndarray) -> None:
        """The move where the condition holds, the other move (if any) where it does not.

        Reads ``q``, so intensities drawn per replicate under uncertainty are the ones made.
        """
        q = self.q
        if self._expr is None:
            self._expr = compile_expr(q.when, model.state_names(), boolean=True)
        cond = np.broadcast_to(self._expr.evaluate(model.env()), (model.R,))
        tgt = model.actors[q.target] if q.target else None
        model.move(q.move, actor, tgt, cond, q.intensity)
        if q.otherwise:
            model.move(q.otherwise, actor, tgt, ~cond, q.otherwise_intensity)

    def declared_moves(self) -> list[DeclaredMove]:
        """The move made while the condition holds, and the one made otherwise."""
        q: ThresholdParams = self.params  # type: ignore[assignment]
        out = [DeclaredMove(q.move, q.target)]
        if q.otherwise:
            out.append(DeclaredMove(q.otherwise, q.target))
        return out

    def declared_expressions(self) -> list[tuple[str, tuple[str | int, ...]]]:
        """The condition."""
        q: ThresholdParams = self.params  # type: ignore[assignment]
        return [(q.when, ("when",))]


class ScheduledMove(NumbersNotBooleans):
    """One move of a ``fixed`` schedule: what, on whom, how hard, from when to when, how often."""

    model_config = ConfigDict(extra="forbid")
    move: str
    target: str | None = None
    intensity: float = Field(1.0, ge=0, le=10)
    start: int = Field(0, ge=0, description="first step")
    stop: int | None = Field(None, ge=0, description="last step (inclusive); none = to the horizon")
    every: int = Field(1, ge=1, description="make the move every this many steps")

    @model_validator(mode="after")
    def _stop_after_start(self) -> ScheduledMove:
        if self.stop is not None and self.stop < self.start:
            raise ValueError(f"stop ({self.stop}) comes before start ({self.start}): the move would never be made")
        return self


class FixedParams(RuleParams):
    """Parameters of ``fixed``: the schedule."""

    moves: list[ScheduledMove] = Field(default_factory=list, description="moves made on a schedule")


@register_rule("fixed")
class Fixed(Rule):
    """A fixed or scheduled policy: the same moves at set steps, whatever happens."""

    Params = FixedParams

    def decide(self, model: ModelView, actor: ActorView, u: np.ndarray) -> None:
        """Every scheduled move due at this step."""
        q: FixedParams = self.params  # type: ignore[assignment]
        t = model.t
        for m in q.moves:
            if t >= m.start and (m.stop is None or t <= m.stop) and (t - m.start) % m.every == 0:
                tgt = model.actors[m.target] if m.target else None
                model.move(m.move, actor, tgt, True, m.intensity)

    def declared_moves(self) -> list[DeclaredMove]:
        """Every scheduled move, at its place in ``moves``."""
        q: FixedParams = self.params  # type: ignore[assignment]
        return [DeclaredMove(m.move, m.target, ("moves", j)) for j, m in enumerate(q.moves)]


class PassiveParams(RuleParams):
    """No parameters."""

    pass


@register_rule("passive")
class Passive(Rule):
    """No moves: the actor only exists to be perceived (its posture, power, trade)."""

    Params = PassiveParams

    def decide(self, model: ModelView, actor: ActorView, u: np.ndarray) -> None:
        """Nothing."""
        return None
