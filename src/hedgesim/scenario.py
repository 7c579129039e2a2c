"""Scenario files: a typed schema, loading with ``extends:``, overrides, and checks.

Every problem becomes one :class:`~hedgesim.errors.InputError` naming the file,
the line and the field, so the CLI can print it and exit 2 before anything runs.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .catalogue import GLOBAL_VARS, MOVES, OUTCOMES, ROLE_VARS, Role, expression_names
from .errors import InputError
from .params import Mechanisms, Outcomes, Parameters
from .yamlio import SourceMap, format_path, load_with_extends, parse_path, parse_scalar, set_path

MAX_REPLICATES = 10_000_000
MAX_HORIZON = 12_000  # 1,000 years of months
MAX_STEP_CELLS = 50_000_000  # replicates x steps kept in memory when steps are recorded
_NAME = r"^[A-Za-z][A-Za-z0-9_]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RuleSpec(Strict):
    name: str = Field(description="a registered rule: logit_hedger, reciprocity, threshold, fixed, passive, ...")
    params: dict[str, Any] = Field(default_factory=dict, description="the rule's typed parameters")


class ActorSpec(Strict):
    role: Role
    state: dict[str, float] = Field(default_factory=dict, description="initial values of the role's variables")
    rule: RuleSpec | None = Field(None, description="decision rule; the role's default when omitted")
    source: str | None = Field(None, description="where the actor's numbers come from")


class EventSpec(Strict):
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


class TriggerSpec(Strict):
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

    name: str = Field(pattern=_NAME, max_length=80)
    description: str = ""
    claim: str | None = Field(None, description="which claim of the seed this scenario tests")
    observed: Literal["neutrality_kept", "bandwagoning", "escalation"] | None = Field(
        None, description="what happened (historical cases); the model never reads it"
    )
    facts: dict[str, dict[str, Any]] | None = Field(
        None, description="sourced facts per actor, mapped to state by hedgesim.calibration (see docs/calibration.md)"
    )
    seed: int = Field(20190222, ge=0, lt=2**63)
    replicates: int = Field(1000, ge=1, le=MAX_REPLICATES)
    start: str = Field("2019-01", description="date of step 0, YYYY-MM")
    step_months: int = Field(1, ge=1, le=12, description="months per step")
    horizon: int = Field(120, ge=1, le=MAX_HORIZON, description="number of steps")
    actors: dict[str, ActorSpec]
    events: list[EventSpec] = Field(default_factory=list)
    triggers: list[TriggerSpec] = Field(default_factory=list)
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
        return [n for n, a in self.actors.items() if a.role == role]

    def to_dict(self) -> dict[str, Any]:
        """The resolved scenario as plain data (what the manifest stores)."""
        return self.model_dump(mode="json", exclude_none=True)


# --------------------------------------------------------------------------- loading


def _first_error(exc: ValidationError, source: SourceMap | None, label: str) -> InputError:
    errors = exc.errors()
    err = errors[0]
    loc = tuple(err["loc"])
    file, line = source.locate(loc) if source else (label, None)
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if err["type"] == "extra_forbidden":
        msg = f"unknown field {loc[-1]!r}" + _suggest(loc, source)
    elif err["type"] == "missing":
        msg = f"missing required field {loc[-1]!r}"
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return InputError(msg + more, file=file, line=line, field=format_path(loc) or None)


def _suggest(loc: tuple, source: SourceMap | None) -> str:
    import difflib

    parent = {
        (): Scenario,
        ("mechanisms",): Mechanisms,
        ("parameters",): Parameters,
        ("outcomes",): Outcomes,
    }.get(tuple(loc[:-1]))
    if parent is None:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), list(parent.model_fields), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def validate_data(data: Any, source: SourceMap | None = None, label: str = "<scenario>") -> Scenario:
    """Validate plain data as a scenario, with the cross-checks pydantic cannot express."""
    if not isinstance(data, Mapping):
        raise InputError("a scenario must be a mapping of fields", file=source.root_file if source else label)
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc, source, label) from None
    _cross_check(sc, source, label)
    return sc


def _fail(msg: str, path: Sequence[str | int], source: SourceMap | None, label: str) -> InputError:
    file, line = source.locate(tuple(path)) if source else (label, None)
    return InputError(msg, file=file, line=line, field=format_path(tuple(path)))


def _check_actor(name: str, actor: ActorSpec, source: SourceMap | None, label: str) -> None:
    """State variables and the rule of one actor, reported at the exact field."""
    from .rules import validate_rule

    known = ROLE_VARS[actor.role]
    for var, value in actor.state.items():
        path = ("actors", name, "state", var)
        if var not in known:
            raise _fail(
                f"unknown state variable {var!r} for role {actor.role!r} (known: {', '.join(sorted(known))})",
                path,
                source,
                label,
            )
        spec = known[var]
        if spec.derived:
            raise _fail(f"{var!r} is computed by the model each step and cannot be set", path, source, label)
        if not spec.lo <= value <= spec.hi:
            raise _fail(f"state.{var} = {value} is outside [{spec.lo}, {spec.hi}] ({spec.unit})", path, source, label)
    try:
        validate_rule(actor.role, actor.rule.name if actor.rule else None, actor.rule.params if actor.rule else {})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ("actors", name, "rule", "params", *err["loc"])
        msg = f"unknown field {err['loc'][-1]!r}" if err["type"] == "extra_forbidden" else err["msg"]
        raise _fail(msg, loc, source, label) from None
    except ValueError as exc:
        raise _fail(str(exc), ("actors", name, "rule", "name"), source, label) from None


def _cross_check(sc: Scenario, source: SourceMap | None, label: str) -> None:
    from .expr import compile_expr
    from .rules import rule_moves, validate_rule

    for name, actor in sc.actors.items():
        _check_actor(name, actor, source, label)
    for role, (lo, hi) in {"hedger": (1, 1), "patron": (1, None)}.items():
        n = len(sc.by_role(role))
        if n < lo or (hi is not None and n > hi):
            want = "exactly one" if hi == 1 else "at least one"
            raise _fail(f"a scenario needs {want} actor with role {role!r}, found {n}", ("actors",), source, label)
    for name in sc.actors:
        if not re.fullmatch(_NAME, name) or name in ROLE_VARS or name == "global":
            raise _fail(f"actor name {name!r} must be a word not naming a role", ("actors", name), source, label)
    names = _expr_names(sc)

    def check_move(move: str, actor: str, target: str | None, path: tuple) -> None:
        if move not in MOVES:
            raise _fail(f"unknown move {move!r} (known: {', '.join(MOVES)})", (*path, "move"), source, label)
        if actor not in sc.actors:
            raise _fail(f"unknown actor {actor!r} (actors: {', '.join(sc.actors)})", (*path, "actor"), source, label)
        kind = MOVES[move]
        role = sc.actors[actor].role
        if role not in kind.sources:
            raise _fail(
                f"a {role} cannot make move {move!r} (made by: {', '.join(kind.sources)})",
                (*path, "move"),
                source,
                label,
            )
        if target is not None:
            if target not in sc.actors:
                raise _fail(
                    f"unknown actor {target!r} (actors: {', '.join(sc.actors)})", (*path, "target"), source, label
                )
            if kind.targets and sc.actors[target].role not in kind.targets:
                raise _fail(
                    f"move {move!r} targets a {' or '.join(kind.targets)}, not {target!r}",
                    (*path, "target"),
                    source,
                    label,
                )
        elif kind.targets and move not in ("lean_bloc",):
            raise _fail(f"move {move!r} needs a 'target' ({' or '.join(kind.targets)})", path, source, label)

    for i, ev in enumerate(sc.events):
        path = ("events", i)
        if sc.event_step(ev) < 0 or sc.event_step(ev) >= sc.horizon:
            raise _fail(
                f"event falls at step {sc.event_step(ev)}, outside the horizon 0..{sc.horizon - 1}",
                (*path, "at" if ev.at else "step"),
                source,
                label,
            )
        if ev.move is not None:
            check_move(ev.move, ev.actor or "", ev.target, path)
        for key in ("set", "add"):
            for var in getattr(ev, key) or {}:
                if var not in names or names[var][0] == "step" or _derived(sc, *names[var]):
                    raise _fail(f"unknown or derived variable {var!r}", (*path, key, var), source, label)
    for i, tr in enumerate(sc.triggers):
        path = ("triggers", i)
        check_move(tr.move, tr.actor, tr.target, path)
        file, line = source.locate((*path, "when")) if source else (label, None)
        compile_expr(tr.when, set(names), boolean=True, file=file, line=line, field=format_path((*path, "when")))
    for name, actor in sc.actors.items():
        path = ("actors", name, "rule", "params")
        params = validate_rule(
            actor.role, actor.rule.name if actor.rule else None, actor.rule.params if actor.rule else {}
        )
        for j, (move, target) in enumerate(rule_moves(params)):
            check_move(move, name, target, (*path, "moves", j) if actor.rule and actor.rule.name == "fixed" else path)
        when = getattr(params, "when", None)
        if isinstance(when, str):
            file, line = source.locate((*path, "when")) if source else (label, None)
            compile_expr(when, set(names), boolean=True, file=file, line=line, field=format_path((*path, "when")))


def _derived(sc: Scenario, actor: str, var: str) -> bool:
    """Variables the model recomputes each step: a shock to them would be lost."""
    spec = GLOBAL_VARS[var] if actor == "global" else ROLE_VARS[sc.actors[actor].role][var]
    return spec.derived


def _expr_names(sc: Scenario) -> dict[str, tuple[str, str]]:
    return expression_names({name: actor.role for name, actor in sc.actors.items()})


def _normalise_shocks(sc: Scenario) -> Scenario:
    """Rewrite role.var and bare globals in shocks as actor.var / global.var."""
    names = _expr_names(sc)
    for ev in sc.events:
        for key in ("set", "add"):
            table = getattr(ev, key)
            if table:
                setattr(ev, key, {"{}.{}".format(*names[k]): v for k, v in table.items()})
    return sc


def load_scenario(
    source: str | Path | Mapping[str, Any] | Scenario,
    overrides: Sequence[str] | Mapping[str, Any] = (),
) -> Scenario:
    """Load and validate a scenario from a YAML path, a dict, or a Scenario, applying overrides.

    ``overrides`` are ``PATH=VALUE`` strings as the CLI's ``--set`` takes them, or
    a mapping of path to value; they go through the same validation as the file.
    """
    if isinstance(source, Scenario):
        data: Any = source.to_dict()
        smap: SourceMap | None = None
        label = f"<scenario {source.name}>"
    elif isinstance(source, Mapping):
        data, smap, label = copy.deepcopy(dict(source)), None, "<dict>"
        if "extends" in data:
            raise InputError("'extends' works only in scenario files", file=label, field="extends")
    else:
        data, smap = load_with_extends(source)
        label = str(source)
    items = overrides.items() if isinstance(overrides, Mapping) else [_split_override(o) for o in overrides]
    for path_text, value in items:
        origin = f"--set {path_text}"
        try:
            path = parse_path(path_text)
            if isinstance(value, str) and not isinstance(overrides, Mapping):
                value = parse_scalar(value)
            if smap is None:
                smap = SourceMap(root_file=label)
            set_path(data, path, value, source=smap, origin=origin)
        except InputError as exc:
            if exc.file is None or exc.file in ("<string>", label):
                raise InputError(exc.message, file=origin, line=None, field=exc.field or path_text) from None
            raise
    if isinstance(data, dict) and data.get("facts") is not None:
        from .calibration import apply_facts

        data = apply_facts(data, smap, label)
    sc = validate_data(data, smap, label)
    return _normalise_shocks(sc)


def _split_override(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise InputError(
            f"override {text!r} must be PATH=VALUE, e.g. actors.Russia.state.posture=0.5", file="--set", field=text
        )
    path, value = text.split("=", 1)
    return path.strip(), value.strip()


def json_schema() -> str:
    """A JSON Schema of scenario files, for editors."""
    schema = Scenario.model_json_schema()
    schema["properties"]["extends"] = {"type": "string", "description": "a scenario file to inherit from"}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "hedgesim scenario"
    return json.dumps(schema, indent=2)


__all__ = ["OUTCOMES", "Scenario", "json_schema", "load_scenario", "validate_data"]
