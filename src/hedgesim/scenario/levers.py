"""Levers: the seed's main policy levers as named, validated edits of any scenario.

A lever (NATO's flank posture, the patron's coercion, the oil tax manoeuvre, its
compensation, CSBMs, hosting talks, a base demand) reads its value from a scenario and
turns a new value into ``--set`` style overrides, which then go through the same
validation as a scenario file (:func:`hedgesim.scenario.load_scenario`). The dashboard's
controls and the keyword arguments of the Mesa-native :class:`hedgesim.HedgeModel` are
this one list, so adding a lever is one entry in :data:`LEVERS`.

Levers find their actors by role (the first security bloc, the first patron, the hedger),
so they apply to any scenario with those roles; a lever a scenario cannot express (a
rule without the parameter) reads as None.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from ..core import ROLE_VARS
from ..errors import InputError
from ..rules import DEFAULT_RULES, rule_class
from .load import load_scenario
from .schema import Scenario

__all__ = ["LEVERS", "Lever", "LeverValue", "apply_levers", "lever", "lever_overrides", "lever_values"]

LeverValue = float | bool

#: Months after the start at which the base-demand lever has the patron ask for a base
#: (September of the first three years of a scenario starting in January, as base_demand.yaml).
BASE_REQUEST_STEPS = (8, 20, 32)
#: Months over which the oil tax manoeuvre lever phases the subsidy loss when a scenario has none
#: (2019-2024, as baseline.yaml).
OIL_TAX_MONTHS = 72


@dataclass
class _Edit:
    """Overrides being collected for one scenario; events are edited as one list."""

    scenario: Scenario
    overrides: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] | None = None

    def event_list(self) -> list[dict[str, Any]]:
        if self.events is None:
            self.events = [ev.model_dump(mode="json", exclude_none=True) for ev in self.scenario.events]
        return self.events

    def result(self) -> dict[str, Any]:
        out = dict(self.overrides)
        if self.events is not None:
            out["events"] = self.events
        return out


@dataclass(frozen=True)
class Lever:
    """One lever: what it is, its valid values, how to read it from and write it into a scenario.

    Attributes:
        key: its name as a keyword argument and a dashboard control (``flank_posture``).
        label: what people read; ``{patron}``, ``{hedger}``, ``{security_bloc}`` name the scenario's actors.
        meaning: one sentence for a tooltip or a docstring.
        unit: the unit of its value.
        read: the scenario's own value, or None when the lever does not apply to the scenario.
        write: records the overrides that give the scenario a new value.
        kind: ``number`` (a slider) or ``switch`` (on/off).
        lo: smallest valid value (numbers).
        hi: largest valid value (numbers).
        step: the step of a slider (numbers).
    """

    key: str
    label: str
    meaning: str
    unit: str
    read: Callable[[Scenario], LeverValue | None]
    write: Callable[[_Edit, LeverValue], None]
    kind: Literal["number", "switch"] = "number"
    lo: float = 0.0
    hi: float = 1.0
    step: float = 0.01

    def title(self, scenario: Scenario) -> str:
        """The label with the scenario's actor names filled in."""
        names = {role: (scenario.by_role(role) or [role])[0] for role in ROLE_VARS}
        return self.label.format(**names)

    def check(self, value: Any) -> LeverValue:
        """``value`` if it is valid for this lever (never clipped).

        Raises:
            InputError: a number out of range or not finite, a switch that is not a boolean.
        """
        if self.kind == "switch":
            if not isinstance(value, bool | np.bool_):
                raise InputError(f"must be true or false, got {value!r}", field=self.key)
            return bool(value)
        if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.integer | np.floating):
            raise InputError(f"must be a number, got {value!r}", field=self.key)
        number = float(value)
        if not math.isfinite(number) or not self.lo <= number <= self.hi:
            raise InputError(
                f"must be between {self.lo:g} and {self.hi:g} ({self.unit}), got {value!r}", field=self.key
            )
        return number


# --------------------------------------------------------------------------- reading and writing


_Reader = Callable[[Scenario], LeverValue | None]
_Writer = Callable[[_Edit, LeverValue], None]


def _first(sc: Scenario, role: str) -> str | None:
    names = sc.by_role(role)
    return names[0] if names else None


def _state(role: str, var: str) -> tuple[_Reader, _Writer]:
    """A variable of the initial state of the first actor with ``role``."""

    def read(sc: Scenario) -> float | None:
        actor = _first(sc, role)
        return None if actor is None else float(sc.actors[actor].state.get(var, ROLE_VARS[role][var].default))

    def write(edit: _Edit, value: LeverValue) -> None:
        edit.overrides[f"actors.{_first(edit.scenario, role)}.state.{var}"] = value

    return read, write


def _rule_param(
    role: str, param: str
) -> tuple[Callable[[Scenario], float | None], Callable[[_Edit, LeverValue], None]]:
    """A parameter of the rule of the first actor with ``role``, where its rule has that parameter."""

    def read(sc: Scenario) -> float | None:
        actor = _first(sc, role)
        if actor is None:
            return None
        spec = sc.actors[actor].rule
        fields = rule_class(role, spec.name if spec else None).Params.model_fields
        if param not in fields:
            return None
        return float(spec.params.get(param, fields[param].default) if spec else fields[param].default)

    def write(edit: _Edit, value: LeverValue) -> None:
        actor = _first(edit.scenario, role)
        if edit.scenario.actors[actor].rule is None:  # the role's default rule, now with a parameter
            edit.overrides[f"actors.{actor}.rule.name"] = DEFAULT_RULES[role]
        edit.overrides[f"actors.{actor}.rule.params.{param}"] = value

    return read, write


def _read_compensation(sc: Scenario) -> bool | None:
    patron = _first(sc, "patron")
    if patron is None:
        return None
    spec = ROLE_VARS["patron"]["conditionality"]
    return float(sc.actors[patron].state.get("conditionality", spec.default)) < 0.5


def _write_compensation(edit: _Edit, value: LeverValue) -> None:
    # conditionality 0: compensation for compliance; 1: only for deeper integration (core vocabulary)
    edit.overrides[f"actors.{_first(edit.scenario, 'patron')}.state.conditionality"] = 0.0 if value else 1.0


def _has_patron_and_hedger(sc: Scenario) -> bool:
    return _first(sc, "patron") is not None and _first(sc, "hedger") is not None


def _read_oil_tax(sc: Scenario) -> float | None:
    if not _has_patron_and_hedger(sc):
        return None
    taxes = [ev.intensity for ev in sc.events if ev.move == "tax_manoeuvre"]
    return float(taxes[0]) if taxes else 0.0


def _write_oil_tax(edit: _Edit, value: LeverValue) -> None:
    events = edit.event_list()
    taxes = [ev for ev in events if ev.get("move") == "tax_manoeuvre"]
    if value == 0:
        events[:] = [ev for ev in events if ev.get("move") != "tax_manoeuvre"]
    elif taxes:
        for ev in taxes:
            ev["intensity"] = value
    else:
        sc = edit.scenario
        events.append(
            {
                "label": "oil tax manoeuvre",
                "step": 0,
                "duration": min(OIL_TAX_MONTHS // sc.step_months, sc.horizon),
                "actor": _first(sc, "patron"),
                "move": "tax_manoeuvre",
                "target": _first(sc, "hedger"),
                "intensity": value,
            }
        )


def _read_base_demand(sc: Scenario) -> bool | None:
    if not _has_patron_and_hedger(sc):
        return None
    return any(ev.move == "base_request" for ev in sc.events)


def _write_base_demand(edit: _Edit, value: LeverValue) -> None:
    events = edit.event_list()
    events[:] = [ev for ev in events if ev.get("move") != "base_request"]
    if value:
        sc = edit.scenario
        for k, month in enumerate(BASE_REQUEST_STEPS, 1):
            step = month // sc.step_months
            if step < sc.horizon:
                events.append(
                    {
                        "label": f"base request {k}",
                        "step": step,
                        "actor": _first(sc, "patron"),
                        "move": "base_request",
                        "target": _first(sc, "hedger"),
                        "intensity": 1.0,
                    }
                )


#: The levers, in the order a page shows them.
LEVERS: tuple[Lever, ...] = (
    Lever(
        "flank_posture",
        "{security_bloc} flank posture",
        "force posture of the security bloc on the flank facing the hedger (0.25 is eFP's tripwire in 2019)",
        "index 0-1",
        *_state("security_bloc", "posture"),
    ),
    Lever(
        "coercion",
        "{patron}'s coercion",
        "strength of the patron's economic punishment (trade restrictions, subsidy cuts) for defiance",
        "index 0-1",
        *_rule_param("patron", "coercion"),
    ),
    Lever(
        "oil_tax",
        "oil tax manoeuvre",
        "share of the start subsidy the patron's tax manoeuvre removes, phased over six years (0 = none)",
        "share of the subsidy",
        _read_oil_tax,
        _write_oil_tax,
        step=0.05,
    ),
    Lever(
        "compensation",
        "{patron} compensates compliance",
        "the patron restores the subsidy lost to the oil tax for compliance (on), or only for deeper "
        "integration (off, as Moscow answered in 2019)",
        "on/off",
        _read_compensation,
        _write_compensation,
        kind="switch",
    ),
    Lever(
        "csbm",
        "CSBMs ({hedger} deepens them)",
        "depth of confidence- and security-building measures the hedger adds with each neighbour a month",
        "depth per month",
        *_rule_param("hedger", "csbm"),
    ),
    Lever(
        "host_talks",
        "{hedger} hosts talks",
        "intensity of hosting regional talks each month (the hub)",
        "intensity per month",
        *_rule_param("hedger", "host_talks"),
        step=0.05,
    ),
    Lever(
        "base_demand",
        "{patron} demands an air base",
        "the patron asks the hedger to host a base 8, 20 and 32 months after the start",
        "on/off",
        _read_base_demand,
        _write_base_demand,
        kind="switch",
    ),
)
_BY_KEY = {lv.key: lv for lv in LEVERS}


def lever(key: str) -> Lever:
    """The lever called ``key``.

    Raises:
        InputError: no lever has that name.
    """
    try:
        return _BY_KEY[key]
    except KeyError:
        raise InputError(f"unknown lever (levers: {', '.join(_BY_KEY)})", field=key) from None


def lever_values(scenario: Scenario) -> dict[str, LeverValue | None]:
    """Each lever's value in ``scenario`` (None where it does not apply)."""
    return {lv.key: lv.read(scenario) for lv in LEVERS}


def lever_overrides(scenario: Scenario, values: Mapping[str, Any]) -> dict[str, Any]:
    """The overrides (field path to value) that give ``scenario`` these lever values.

    A value of None, or equal to the scenario's own, changes nothing. The overrides still
    go through the scenario's validation when applied (:func:`apply_levers`,
    ``hedgesim.run(..., overrides=...)``).

    Raises:
        InputError: an unknown lever, an invalid value, or a lever the scenario cannot express.
    """
    edit = _Edit(scenario)
    for key, raw in values.items():
        lv = lever(key)
        if raw is None:
            continue
        value = lv.check(raw)
        own = lv.read(scenario)
        if own is None:
            raise InputError(f"does not apply to scenario {scenario.name!r} ({lv.meaning})", field=key)
        if value != own:
            lv.write(edit, value)
    return edit.result()


def apply_levers(scenario: Scenario, values: Mapping[str, Any]) -> Scenario:
    """``scenario`` with these lever values, validated like a scenario file.

    Raises:
        InputError: as :func:`lever_overrides`, or the edited scenario is invalid.
    """
    overrides = lever_overrides(scenario, values)
    return load_scenario(scenario, overrides) if overrides else scenario
