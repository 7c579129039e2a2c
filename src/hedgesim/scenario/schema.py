"""The schema of scenario files: typed fields with their ranges and meanings.

What pydantic cannot express (cross-references between actors, moves, rules and
expressions) is checked in :mod:`hedgesim.scenario.checks`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..core import OUTCOME_NAMES, Mechanisms, Outcomes, Parameters, Role

MAX_REPLICATES = 10_000_000
MAX_HORIZON = 12_000  # 1,000 years of months
MAX_STEP_CELLS = 50_000_000  # replicates x steps kept in memory when steps are recorded
NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"


class Strict(BaseModel):
    """A schema model that refuses unknown fields (a typo is an error, not a silent default)."""

    model_config = ConfigDict(extra="forbid")


class RuleSpec(Strict):
    """An actor's decision rule: a registered name and its typed parameters."""

    name: str | None = Field(
        None,
        description="a registered rule: logit_hedger, strategic, reciprocity, threshold, fixed, passive, ... "
        "(default: the role's own, so `rule: {params: {...}}` tunes the default rule)",
    )
    params: dict[str, Any] = Field(default_factory=dict, description="the rule's typed parameters")


class ActorSpec(Strict):
    """An actor: its role, initial state, rule and where its numbers come from."""

    role: Role
    state: dict[str, float] = Field(default_factory=dict, description="initial values of the role's variables")
    rule: RuleSpec | None = Field(None, description="decision rule; the role's default when omitted")
    source: str | None = Field(None, description="where the actor's numbers come from")


class EventSpec(Strict):
    """Something that happens at a step or date: a move by an actor, or a shock to the state."""

    step: int | None = Field(None, ge=0, description="step at which the event happens")
    at: str | None = Field(None, description="date YYYY-MM at which the event happens")
    duration: int = Field(1, ge=1, le=MAX_HORIZON, description="steps over which a move or 'add' is phased")
    label: str | None = None
    actor: str | None = Field(None, description="who makes the move")
    move: str | None = Field(None, description="a move from the catalogue")
    target: str | None = None
    intensity: float = Field(1.0, ge=0, le=10, description="total intensity, spread over the duration")
    set: dict[str, float] | None = Field(None, description="shock: actor.variable to a value")
    add: dict[str, float] | None = Field(None, description="shock: add to actor.variable, spread over the duration")

    @field_validator("at")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v):
            raise ValueError(f"date {v!r} must be YYYY-MM")
        return v

    @model_validator(mode="after")
    def _one_of(self) -> EventSpec:
        if (self.step is None) == (self.at is None):
            raise ValueError("give exactly one of 'step' or 'at'")
        if self.move is None and not (self.set or self.add):
            raise ValueError("an event needs a 'move' (with 'actor') or a 'set'/'add' shock")
        if self.move is not None and self.actor is None:
            raise ValueError("a move needs the 'actor' who makes it")
        return self


class HazardSpec(Strict):
    """An exogenous shock that starts at random, at a yearly rate (a library ``kind`` or its own terms)."""

    kind: str | None = Field(None, description="a shock from the library (hedgesim.calibration.hazards)")
    label: str | None = Field(None, description="name shown in the run's story (default: the kind)")
    rate: float | None = Field(None, gt=0, le=12, description="chance per year that a shock starts (a rate)")
    duration: int | None = Field(None, ge=1, le=MAX_HORIZON, description="steps a shock lasts")
    set: dict[str, float] | None = Field(None, description="while it lasts: actor.variable held at a value")
    add: dict[str, float] | None = Field(None, description="added to actor.variable, spread over the duration")
    once: bool = Field(False, description="at most one shock per replicate")
    source: str | None = Field(None, description="where the rate comes from (required without a kind)")


class TriggerSpec(Strict):
    """A move an actor makes whenever a condition over the state holds."""

    when: str = Field(description="condition, e.g. 'hedger.alignment > 0.2 and tension < 0.5'")
    actor: str = Field(description="who makes the move")
    move: str
    target: str | None = None
    intensity: float = Field(1.0, ge=0, le=10)
    once: bool = Field(False, description="fire at most once per replicate")
    cooldown: int = Field(0, ge=0, le=MAX_HORIZON, description="steps to wait before firing again")
    label: str | None = None


class Scenario(Strict):
    """A complete, validated scenario."""

    name: str = Field(pattern=NAME_PATTERN, max_length=80)
    description: str = ""
    claim: str | None = Field(None, description="which claim of the seed this scenario tests")
    observed: Literal[OUTCOME_NAMES] | None = Field(  # type: ignore[valid-type]
        None, description="what happened (historical cases); the model never reads it"
    )
    facts: dict[str, dict[str, Any]] | None = Field(
        None, description="sourced facts per actor, mapped to state by hedgesim.calibration (see docs/calibration.md)"
    )
    seed: int = Field(20190222, ge=0, lt=2**63)
    uncertainty: Literal["none", "prior", "posterior"] = Field(
        "prior",
        description="what each replicate draws: none (point values), prior, or posterior (after calibration)",
    )
    replicates: int = Field(1000, ge=1, le=MAX_REPLICATES)
    start: str = Field("2019-01", description="date of step 0, YYYY-MM")
    step_months: int = Field(1, ge=1, le=12, description="months per step")
    horizon: int = Field(120, ge=1, le=MAX_HORIZON, description="number of steps")
    actors: dict[str, ActorSpec]
    events: list[EventSpec] = Field(default_factory=list)
    triggers: list[TriggerSpec] = Field(default_factory=list)
    hazards: list[HazardSpec] = Field(default_factory=list, description="exogenous shocks drawn at yearly rates")
    mechanisms: Mechanisms = Field(default_factory=Mechanisms)
    parameters: Parameters = Field(default_factory=Parameters)
    outcomes: Outcomes = Field(default_factory=Outcomes)

    _start_ym: tuple[int, int] = (2019, 1)

    @field_validator("start")
    @classmethod
    def _start(cls, v: str) -> str:
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v):
            raise ValueError(f"date {v!r} must be YYYY-MM")
        return v

    def event_step(self, ev: EventSpec) -> int:
        """The step of an event given by step or by date."""
        if ev.step is not None:
            return ev.step
        y0, m0 = (int(s) for s in self.start.split("-"))
        y, m = (int(s) for s in ev.at.split("-"))  # type: ignore[union-attr]
        return ((y - y0) * 12 + (m - m0)) // self.step_months

    def by_role(self, role: str) -> list[str]:
        """The names of the actors with this role, in scenario order."""
        return [n for n, a in self.actors.items() if a.role == role]

    def to_dict(self) -> dict[str, Any]:
        """The resolved scenario as plain data (what the manifest stores).

        Only what was given (after ``extends``, ``--set`` and facts): a default the scenario
        did not set stays unset when the data is loaded again, so what a scenario fixes and
        what it leaves to uncertainty (:mod:`hedgesim.ensemble.uncertainty`) survive the round trip.
        """
        return self.model_dump(mode="json", exclude_none=True, exclude_unset=True)
