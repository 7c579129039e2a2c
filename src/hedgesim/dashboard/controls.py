"""The dashboard's controls as one data-driven list, and the page's settings validated at the edge.

Each control is a lever of the scenario (:data:`hedgesim.scenario.LEVERS`) or an option of
:func:`hedgesim.run` (the ensemble size). Adding a control is one entry in :data:`CONTROLS`:
the page draws it from its kind, and :func:`make_settings` validates what the browser sends
like any other input (a value out of range is an :class:`~hedgesim.errors.InputError`,
never clipped) before the levers become ``--set`` overrides checked by the scenario schema.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..ensemble import MODES, base_scenario, plan
from ..errors import InputError
from ..scenario import LEVERS, Lever, Scenario, lever_overrides, lever_values

__all__ = ["CONTROLS", "DEFAULT_REPLICATES", "Control", "Settings", "make_settings", "page_values"]

DEFAULT_REPLICATES = 500


@dataclass(frozen=True)
class Control:
    """One control on the page.

    Attributes:
        key: the value's name (a lever's key, or a keyword of :func:`hedgesim.run`).
        label: what the page shows (``{patron}`` etc. are filled in from the scenario).
        help: one sentence shown as a hint.
        kind: ``slider``, ``switch`` or ``select``.
        target: ``lever`` (edits the scenario) or ``run`` (a keyword of :func:`hedgesim.run`).
        lo: smallest value of a slider.
        hi: largest value of a slider.
        step: step of a slider.
        choices: the values of a select.
        default: the value of a ``run`` control when the page opens, or a function of the scenario giving it.
        check_with: a check of a ``run`` value against the scenario (raises InputError).
    """

    key: str
    label: str
    help: str
    kind: Literal["slider", "switch", "select"]
    target: Literal["lever", "run"]
    lo: float = 0.0
    hi: float = 1.0
    step: float = 0.01
    choices: tuple[Any, ...] = ()
    default: Any = None
    check_with: Callable[[Scenario, Any], object] | None = None

    def default_for(self, scenario: Scenario) -> Any:
        """The value a ``run`` control starts at for this scenario."""
        return self.default(scenario) if callable(self.default) else self.default

    @classmethod
    def from_lever(cls, lever: Lever) -> Control:
        """The control of a scenario lever: a slider, or a switch for an on/off lever."""
        kind: Literal["slider", "switch"] = "switch" if lever.kind == "switch" else "slider"
        return cls(lever.key, lever.label, lever.meaning, kind, "lever", lever.lo, lever.hi, lever.step)

    def check(self, value: Any) -> Any:
        """``value`` if this control can take it.

        Raises:
            InputError: a value the control does not offer (never clipped).
        """
        if self.target == "lever":
            return next(lv for lv in LEVERS if lv.key == self.key).check(value)
        if value not in self.choices or isinstance(value, bool):
            choices = ", ".join(str(c) for c in self.choices)
            raise InputError(f"must be one of {choices}, got {value!r}", field=self.key)
        return value


#: The page's controls, in order: the levers, then the run options.
CONTROLS: tuple[Control, ...] = (
    *(Control.from_lever(lv) for lv in LEVERS),
    Control(
        "replicates",
        "replicates",
        "size of the ensemble the distribution is computed over",
        "select",
        "run",
        choices=(500, 1000, 2000),
        default=DEFAULT_REPLICATES,
    ),
    Control(
        "uncertainty",
        "uncertainty",
        "what each replicate draws: none (the point values), prior (parameters and uncertain facts from their "
        "priors) or posterior (their distribution after calibration on the historical cases)",
        "select",
        "run",
        choices=MODES,
        default=lambda sc: sc.uncertainty,
        check_with=plan,  # refuses a mode the scenario cannot run (a posterior that is not installed)
    ),
)
_BY_KEY = {c.key: c for c in CONTROLS}


@dataclass(frozen=True)
class Settings:
    """What the page shows: a scenario, the levers moved away from its values, and the run options.

    Hashable, so a computed distribution can be kept per settings.
    """

    scenario: str
    levers: tuple[tuple[str, Any], ...] = ()
    run: tuple[tuple[str, Any], ...] = (("replicates", DEFAULT_REPLICATES),)
    replicate: int = 0

    @property
    def replicates(self) -> int:
        """The ensemble size."""
        return int(dict(self.run)["replicates"])

    def run_options(self) -> dict[str, Any]:
        """Keywords for :func:`hedgesim.run` other than the ensemble size."""
        return {k: v for k, v in self.run if k != "replicates"}

    def key(self) -> str:
        """A readable identity of the distribution these settings give (the page marks charts with it)."""
        levers = ",".join(f"{k}={_text(v)}" for k, v in self.levers)
        options = ",".join(f"{k}={_text(v)}" for k, v in self.run)
        return f"{Path(self.scenario).stem}|{levers}|{options}"


def _text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value).lower()


def page_values(scenario: Scenario) -> dict[str, Any]:
    """The value each control shows for a scenario: its levers (sliders rounded to their step) and run defaults.

    A lever the scenario cannot express shows None (the page disables it).
    """
    own = lever_values(scenario)
    values: dict[str, Any] = {}
    for c in CONTROLS:
        if c.target == "run":
            values[c.key] = c.default_for(scenario)
        elif own[c.key] is None or c.kind == "switch":
            values[c.key] = own[c.key]
        else:
            values[c.key] = round(round(own[c.key] / c.step) * c.step, 6)
    return values


def make_settings(scenario: str | Path, values: Mapping[str, Any], replicate: int = 0) -> Settings:
    """The page's settings from what the browser sent, checked like any input.

    A slider left within half a step of the scenario's own value keeps the scenario's
    value (a slider shows 0.245 as 0.25), so an untouched page shows the scenario itself.

    Raises:
        InputError: an unknown scenario or control, a value out of range, a lever the
            scenario cannot express, or a replicate outside the ensemble.
    """
    sc = base_scenario(scenario)
    own = lever_values(sc)
    levers: dict[str, Any] = {}
    run = {c.key: c.default_for(sc) for c in CONTROLS if c.target == "run"}
    for key, raw in values.items():
        if key not in _BY_KEY:
            raise InputError(f"unknown control (controls: {', '.join(_BY_KEY)})", field=key)
        c = _BY_KEY[key]
        if c.target == "run":
            run[key] = c.check(raw)
        elif raw is not None:
            value = c.check(raw)
            mine = own[key]
            if mine is None or not (c.kind == "slider" and abs(value - mine) <= c.step / 2 + 1e-12):
                levers[key] = value
    lever_overrides(sc, levers)  # refuses a lever the scenario cannot express
    for c in CONTROLS:
        if c.check_with is not None:
            try:
                c.check_with(sc, run[c.key])
            except InputError as exc:
                raise InputError(exc.message, field=c.key) from None
    levers = {k: v for k, v in levers.items() if v != own[k]}
    n = int(run["replicates"])
    if isinstance(replicate, bool) or not isinstance(replicate, int) or not 0 <= replicate < n:
        raise InputError(f"must be a whole number from 0 to {n - 1}, got {replicate!r}", field="replicate")
    return Settings(str(scenario), tuple(sorted(levers.items())), tuple(sorted(run.items())), replicate)
