"""One documented mapping from sourced facts to the model's initial state, the same for every scenario.

:func:`apply_facts` (called by :func:`hedgesim.scenario.load_scenario` before the
schema is checked) turns a scenario's ``facts:`` into initial state (and a few
policy-free rule parameters) through the targets below. A value the scenario writes
explicitly in an actor's ``state`` wins over the fact-derived one, so a policy
scenario can move one lever and keep the rest calibrated.

Behavioural parameters that no fact pins down (logit precision, utility weights,
rates) are not here: they take the model's defaults, shared by every scenario.
"""

from __future__ import annotations

import copy
import difflib
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..core import ROLE_VARS, ROLES, Parameters
from ..errors import InputError
from ..rules import rule_class
from .facts import CONTINUOUS_KINDS, DERIVED_KEY, ENTRY_KEYS, FACTS, TAGS, Fact
from .targets import EXCLUSIVE, REQUIRES, TARGETS, Context, Needs, derive


class FactError(InputError):
    """A bad fact entry, with the path of the offending field in the scenario's data.

    The scenario loader turns ``path`` into the file and line the user wrote it on.
    """

    def __init__(self, message: str, path: tuple[Any, ...]) -> None:
        self.path = tuple(path)
        super().__init__(message, field=".".join(str(p) for p in self.path))


# --------------------------------------------------------------------------- applying facts to a scenario


def _closest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=2, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _check_value(fact: Fact, raw: Any, err: Callable[[str], InputError]) -> float:
    if isinstance(raw, bool):
        if fact.kind != "flag":
            raise err(f"must be a number ({fact.unit}), not {raw!r}")
        return float(raw)
    if not isinstance(raw, int | float) or isinstance(raw, bool) or not math.isfinite(raw):
        raise err(f"must be a finite number ({fact.unit}), not {raw!r}")
    value = float(raw)
    if fact.kind in ("flag", "level", "year", "count") and value != int(value):
        raise err(f"must be a whole number ({fact.kind}), not {raw!r}")
    if value < fact.lo or value > fact.hi or (fact.positive and value <= fact.lo):
        low = f"above {fact.lo:g}" if fact.positive else f"at least {fact.lo:g}"
        levels = ""
        if fact.levels:
            levels = " (" + "; ".join(f"{i}: {text}" for i, text in enumerate(fact.levels)) + ")"
        raise err(f"{value:g} is out of range: {fact.name} must be {low} and at most {fact.hi:g} {fact.unit}{levels}")
    return value


def _check_range(fact: Fact, raw: Any, value: float, path: tuple[Any, ...]) -> tuple[float, float]:
    """An explicit interval for a fact under uncertainty: two numbers around the value, inside its domain."""
    if fact.kind not in CONTINUOUS_KINDS:
        raise FactError(f"fact {fact.name!r} is a {fact.kind}: it takes no 'range' (only numbers and shares do)", path)
    ok = isinstance(raw, list) and len(raw) == 2
    ok = ok and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in raw)
    if not ok:
        raise FactError(f"'range' must be [lo, hi], two finite numbers, not {raw!r}", path)
    lo, hi = float(raw[0]), float(raw[1])
    if not fact.lo <= lo <= value <= hi <= fact.hi:
        raise FactError(
            f"range [{lo:g}, {hi:g}] must hold the value {value:g} and lie within "
            f"[{fact.lo:g}, {fact.hi:g}] ({fact.unit})",
            path,
        )
    return lo, hi


def _read_facts(data: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """Check every fact entry and return the plain values per actor."""
    facts = data["facts"]
    if not isinstance(facts, Mapping):
        raise FactError("'facts' must map actor names to their facts", ("facts",))
    actors = data.get("actors") if isinstance(data.get("actors"), Mapping) else {}
    out: dict[str, dict[str, float]] = {}
    for actor, entries in facts.items():
        apath: tuple[Any, ...] = ("facts", actor)
        if actor not in actors:
            hint = _closest(str(actor), [str(a) for a in actors])
            known = ", ".join(str(a) for a in actors) or "none"
            raise FactError(f"facts for unknown actor {actor!r} (actors: {known}){hint}", apath)
        if not isinstance(entries, Mapping):
            raise FactError("an actor's facts must be a mapping of fact name to {value, source, tag}", apath)
        spec = actors[actor]
        role = spec.get("role") if isinstance(spec, Mapping) else None
        values: dict[str, float] = {}
        for name, entry in entries.items():
            if name == DERIVED_KEY:
                continue
            fpath = (*apath, name)
            if name not in FACTS:
                state_hint = ""
                if isinstance(role, str) and name in ROLE_VARS.get(role, {}):
                    state_hint = f"; {name!r} is a state variable: set it under actors.{actor}.state"
                raise FactError(
                    f"unknown fact {name!r}{_closest(str(name), FACTS) or state_hint} "
                    "(the facts are listed in docs/calibration.md)",
                    fpath,
                )
            fact = FACTS[name]
            if isinstance(role, str) and role in ROLES and role not in fact.roles:
                raise FactError(
                    f"fact {name!r} describes a {' or '.join(fact.roles)}, but {actor!r} is a {role}", fpath
                )
            if not isinstance(entry, Mapping):
                raise FactError(f"fact {name!r} must be a mapping with 'value', 'source' and 'tag'", fpath)
            for key in entry:
                if key not in ENTRY_KEYS:
                    raise FactError(
                        f"unknown key {key!r} in a fact (allowed: {', '.join(ENTRY_KEYS)})"
                        + _closest(str(key), ENTRY_KEYS),
                        (*fpath, key),
                    )
            if "value" not in entry:
                raise FactError(f"fact {name!r} has no 'value'", fpath)
            src = entry.get("source")
            if not isinstance(src, str) or not src.strip():
                raise FactError(
                    f"fact {name!r} needs a 'source' saying where the number comes from (a publication, a "
                    "statistics office, or 'estimate: <reasoning>' with tag E)",
                    (*fpath, "source") if "source" in entry else fpath,
                )
            tag = entry.get("tag")
            if not isinstance(tag, str) or tag not in TAGS:
                raise FactError(
                    f"fact {name!r} needs a 'tag', one of {', '.join(TAGS)} "
                    f"({'; '.join(f'{k}: {v}' for k, v in TAGS.items())}), not {tag!r}",
                    (*fpath, "tag") if "tag" in entry else fpath,
                )
            note = entry.get("note")
            if note is not None and not isinstance(note, str):
                raise FactError("a fact's 'note' must be text", (*fpath, "note"))

            def err(msg: str, _p: tuple[Any, ...] = (*fpath, "value")) -> InputError:
                return FactError(msg, _p)

            values[name] = _check_value(fact, entry["value"], err)
            if "range" in entry:
                _check_range(fact, entry["range"], values[name], (*fpath, "range"))
        for name in values:
            for other in REQUIRES.get(name, ()):
                if other not in values:
                    raise FactError(f"fact {name!r} needs {other!r} for the same actor", (*apath, name))
        for a, b in EXCLUSIVE:
            if a in values and b in values:
                raise FactError(f"give {a!r} or {b!r}, not both", (*apath, b))
        out[str(actor)] = values
    return out


def _start_year(data: Mapping[str, Any]) -> int:
    start = data.get("start", "2019-01")
    try:
        return int(str(start).split("-")[0])
    except ValueError:
        return 2019  # the schema reports a malformed date


def _params(data: Mapping[str, Any]) -> Parameters:
    try:
        return Parameters.model_validate(data.get("parameters") or {})
    except Exception:  # the schema reports bad parameters with their file and line
        return Parameters()


def _context(data: Mapping[str, Any], values: dict[str, dict[str, float]]) -> Context:
    actors = data["actors"]
    patrons = [n for n, a in actors.items() if isinstance(a, Mapping) and a.get("role") == "patron"]
    spending = values.get(patrons[0], {}).get("military_spending_usd_bn") if patrons else None
    return Context(params=_params(data), start_year=_start_year(data), patron_spending=spending)


def _check_derived(
    actor: str,
    role: str,
    derived: dict[str, float],
    facts: dict[str, float],
) -> None:
    """A derived value outside the model's range is an input error naming the fact behind it."""
    if "trade_share_patron" in facts and "trade_share_bloc" in facts:
        total = facts["trade_share_patron"] + facts["trade_share_bloc"]
        if total > 1 + 1e-9:
            raise FactError(
                f"trade_share_patron + trade_share_bloc = {total:g} exceeds 1 (shares of the same trade)",
                ("facts", actor, "trade_share_bloc", "value"),
            )
    for target, value in derived.items():
        kind, name = target.split(".", 1)
        if kind != "state":
            continue
        var = ROLE_VARS[role][name]
        if not var.lo <= value <= var.hi:
            reads = next(t.reads for t in TARGETS if t.role == role and t.target == target)
            culprit = next(r for r in reads if r in facts)
            raise FactError(
                f"maps to {name} = {value:.4g}, outside [{var.lo:g}, {var.hi:g}] ({var.unit}); "
                f"check {', '.join(r for r in (*reads, *REQUIRES.get(culprit, ())) if r in facts)}",
                ("facts", actor, culprit, "value"),
            )


def apply_facts(data: dict[str, Any]) -> dict[str, Any]:
    """Fill actors' state (and the hedger's host_talks) from the scenario's ``facts`` via the shared mapping.

    Explicit values in ``state`` (or rule params) win. The values written are recorded
    under ``facts.<actor>._derived`` so that applying again, e.g. after an override of a
    fact, re-derives them instead of mistaking them for explicit ones. Raises
    :class:`InputError` with file, line and field for any bad fact.
    """
    if not isinstance(data, Mapping) or data.get("facts") is None:
        return data
    data = copy.deepcopy(dict(data))
    if not isinstance(data.get("actors"), Mapping):
        return data  # the schema reports the missing actors
    values = _read_facts(data)
    ctx = _context(data, values)
    facts = data["facts"]
    for actor, entries in facts.items():
        spec = data["actors"][actor]
        role = spec.get("role") if isinstance(spec, Mapping) else None
        if role not in ROLES:
            continue  # the schema reports the bad role
        try:
            derived = derive(role, values[actor], ctx)
        except Needs as exc:
            raise FactError(f"the facts of {actor!r} need {exc}", ("facts", actor, exc.fact)) from None
        _check_derived(actor, role, derived, values[actor])
        old = entries.get(DERIVED_KEY) or {}
        if not isinstance(old, Mapping):
            raise FactError(
                f"'{DERIVED_KEY}' is written by hedgesim and must be a mapping",
                ("facts", actor, DERIVED_KEY),
            )
        record: dict[str, float] = {}
        for target in sorted(set(derived) | set(old)):
            kind, name = target.split(".", 1)
            if kind == "state":
                if spec.get("state") is None:
                    spec["state"] = {}
                table = spec["state"]
            else:
                rule = spec.get("rule")
                if target in derived:
                    try:
                        cls = rule_class(role, rule.get("name") if isinstance(rule, Mapping) else None)
                    except ValueError:
                        continue  # an unknown rule: the schema reports it
                    if name not in cls.Params.model_fields:
                        reads = next(t.reads for t in TARGETS if t.role == role and t.target == target)
                        culprit = next(r for r in reads if r in values[actor])
                        raise FactError(
                            f"fact {culprit!r} sets the rule parameter {name!r}, but rule {cls.name!r} of "
                            f"{actor!r} has no such parameter",
                            ("facts", actor, culprit),
                        )
                    if rule is None:
                        rule = spec["rule"] = {"name": cls.name, "params": {}}
                table = rule.setdefault("params", {}) if isinstance(rule, dict) else None
            if table is None or not isinstance(table, dict):
                continue  # malformed state/rule: the schema reports it
            current = table.get(name)
            was_derived = target in old and current == old[target]
            if target in derived:
                if current is None or was_derived:
                    table[name] = derived[target]
                    record[target] = derived[target]
            elif was_derived:
                del table[name]  # the fact behind it is gone: back to the default
        if record:
            entries[DERIVED_KEY] = record
        else:
            entries.pop(DERIVED_KEY, None)
    return data
