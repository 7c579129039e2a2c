"""Checks pydantic cannot express: actors' state and rules, moves, targets and expressions.

Every problem becomes one :class:`~hedgesim.errors.InputError` naming the file, the
line and the field, so the CLI can print it and exit 2 before anything runs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from ..calibration import HAZARDS
from ..core import GLOBAL_VARS, MOVES, ROLE_VARS, Mechanisms, Outcomes, Parameters, compile_expr, expression_names
from ..errors import InputError
from ..rules import build_rule, validate_rule
from .schema import NAME_PATTERN, ActorSpec, HazardSpec, Scenario
from .yamlio import SourceMap, format_path


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
    """Validate plain data as a scenario, with the cross-checks pydantic cannot express.

    Raises:
        InputError: the first problem, naming the file, line and field.
    """
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
    for name, actor in sc.actors.items():
        _check_actor(name, actor, source, label)
    for role, (lo, hi) in {"hedger": (1, 1), "patron": (1, None)}.items():
        n = len(sc.by_role(role))
        if n < lo or (hi is not None and n > hi):
            want = "exactly one" if hi == 1 else "at least one"
            raise _fail(f"a scenario needs {want} actor with role {role!r}, found {n}", ("actors",), source, label)
    for name in sc.actors:
        if not re.fullmatch(NAME_PATTERN, name) or name in ROLE_VARS or name == "global":
            raise _fail(f"actor name {name!r} must be a word not naming a role", ("actors", name), source, label)
    _check_dependences(sc, source, label)
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
        elif kind.targets and not kind.target_optional:
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
    for i, hz in enumerate(sc.hazards):
        _resolve_hazard(hz, ("hazards", i), source, label)
        for key in ("set", "add"):
            for var in getattr(hz, key) or {}:
                if var not in names or names[var][0] == "step" or _derived(sc, *names[var]):
                    raise _fail(f"unknown or derived variable {var!r}", ("hazards", i, key, var), source, label)
    for i, tr in enumerate(sc.triggers):
        path = ("triggers", i)
        check_move(tr.move, tr.actor, tr.target, path)
        file, line = source.locate((*path, "when")) if source else (label, None)
        compile_expr(tr.when, set(names), boolean=True, file=file, line=line, field=format_path((*path, "when")))
    for name, actor in sc.actors.items():
        path = ("actors", name, "rule", "params")
        rule = build_rule(actor.role, actor.rule.name if actor.rule else None, actor.rule.params if actor.rule else {})
        for declared in rule.declared_moves():
            check_move(declared.move, name, declared.target, (*path, *declared.where))
        for text, where in rule.declared_expressions():
            file, line = source.locate((*path, *where)) if source else (label, None)
            compile_expr(text, set(names), boolean=True, file=file, line=line, field=format_path((*path, *where)))


def _resolve_hazard(hz: HazardSpec, path: tuple, source: SourceMap | None, label: str) -> None:
    """Fill a hazard from the library kind it names (what it states itself wins), or check it is complete."""
    if hz.kind is not None:
        if hz.kind not in HAZARDS:
            close = difflib.get_close_matches(hz.kind, list(HAZARDS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise _fail(
                f"unknown hazard kind {hz.kind!r} (known: {', '.join(HAZARDS)}){hint}", (*path, "kind"), source, label
            )
        lib = HAZARDS[hz.kind]
        hz.rate = lib.rate if hz.rate is None else hz.rate
        hz.duration = lib.duration if hz.duration is None else hz.duration
        if hz.set is None and hz.add is None:
            hz.set, hz.add = dict(lib.set) or None, dict(lib.add) or None
        hz.label = hz.label or hz.kind
        hz.source = hz.source or lib.source
        hz.once = hz.once or lib.once
        return
    for key, why in (("rate", "a yearly rate"), ("source", "where the rate comes from")):
        if getattr(hz, key) is None:
            raise _fail(f"a hazard without a 'kind' needs {key!r} ({why})", path, source, label)
    if not (hz.set or hz.add):
        raise _fail("a hazard without a 'kind' needs a 'set' or 'add' shock", path, source, label)
    hz.duration = hz.duration or 1


def _check_dependences(sc: Scenario, source: SourceMap | None, label: str) -> None:
    """The hedger's trade shares with the patron, the blocs and third poles are shares of one trade."""
    name = sc.by_role("hedger")[0]
    spec = ROLE_VARS["hedger"]
    keys = ("dependence_patron", "dependence_bloc", "dependence_partner")
    values = {k: sc.actors[name].state.get(k, spec[k].default) for k in keys}
    if sum(values.values()) > 1 + 1e-9:
        shown = " + ".join(f"{k} {v:g}" for k, v in values.items())
        at = next((k for k in reversed(keys) if k in sc.actors[name].state), keys[0])
        raise _fail(
            f"{shown} = {sum(values.values()):g} exceeds 1 (shares of the same trade)",
            ("actors", name, "state", at),
            source,
            label,
        )


def _derived(sc: Scenario, actor: str, var: str) -> bool:
    """Variables the model recomputes each step: a shock to them would be lost."""
    spec = GLOBAL_VARS[var] if actor == "global" else ROLE_VARS[sc.actors[actor].role][var]
    return spec.derived


def _expr_names(sc: Scenario) -> dict[str, tuple[str, str]]:
    return expression_names({name: actor.role for name, actor in sc.actors.items()})


def normalise_shocks(sc: Scenario) -> Scenario:
    """Rewrite role.var and bare globals in shocks as actor.var / global.var."""
    names = _expr_names(sc)
    for ev in (*sc.events, *sc.hazards):
        for key in ("set", "add"):
            table = getattr(ev, key)
            if table:
                setattr(ev, key, {"{}.{}".format(*names[k]): v for k, v in table.items()})
    return sc
