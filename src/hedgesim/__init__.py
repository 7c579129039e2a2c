"""hedgesim: agent-based simulation of a small state hedging between great powers.

The public API:

* Scenarios: :func:`load_scenario` and :class:`Scenario` (YAML with ``extends``, ``--set``, facts).
* Runs: :func:`run` (an ensemble of replicates) returning :class:`Results`; :func:`simulate`.
* Mesa: :class:`HedgeModel`, built from keyword arguments alone (a shipped scenario's name and
  the seed's levers, each with a default) with a ``datacollector``, for ``mesa.batch_run`` and SolaraViz.
* Sweeps: :func:`load_sweep`, :func:`run_sweep` and :class:`SweepResults`.
* Analysis: :func:`compare` (scenarios or runs side by side, paired on common random numbers),
  :func:`survival` (time to outcome by scenario or sweep point), :func:`discover` (PRIM and
  CART on a sweep) and :func:`write_report` (one self-contained HTML file).
* Rules: :class:`Rule`, :class:`RuleParams`, :func:`register_rule`, :func:`available_rules`.
  A rule reads and calls what :class:`ModelView` lists of the model: its
  actors and their state arrays, parameters and mechanism weights, the global state,
  ``move(kind, source, target, mask, intensity)``, ``dissatisfaction``, ``patron_force``,
  ``state_names`` and ``env``.
* Errors: every bad input raises :class:`InputError` (file, line, field).
* Shipped scenarios, cases and sweeps: :mod:`hedgesim.resources` (a name such as
  ``"baseline"`` works wherever a scenario path does).

The public names are imported on first use, so ``import hedgesim`` (and the CLI)
starts without loading pandas, matplotlib and Mesa until they are needed.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("hedgesim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

_EXPORTS = {
    "Comparison": "studies",
    "Discovery": "studies",
    "HedgeModel": "ensemble",
    "InputError": "errors",
    "ModelView": "core",
    "Results": "ensemble",
    "Rule": "rules",
    "RuleParams": "rules",
    "Scenario": "scenario",
    "Survival": "studies",
    "SweepResults": "sweep",
    "available_rules": "rules",
    "compare": "studies",
    "discover": "studies",
    "load_scenario": "scenario",
    "load_sweep": "sweep",
    "register_rule": "rules",
    "run": "ensemble",
    "run_sweep": "sweep",
    "simulate": "ensemble",
    "survival": "studies",
    "write_report": "reports",
}

if TYPE_CHECKING:
    from .core import ModelView
    from .ensemble import HedgeModel, Results, run, simulate
    from .errors import InputError
    from .reports import write_report
    from .rules import Rule, RuleParams, available_rules, register_rule
    from .scenario import Scenario, load_scenario
    from .studies import Comparison, Discovery, Survival, compare, discover, survival
    from .sweep import SweepResults, load_sweep, run_sweep


#: Sub-modules reachable as attributes without an import of their own (``hedgesim.resources.path(...)``).
_SUBMODULES = ("resources",)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return import_module(f".{name}", __name__)
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hedgesim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = [
    "Comparison",
    "Discovery",
    "HedgeModel",
    "InputError",
    "ModelView",
    "Results",
    "Rule",
    "RuleParams",
    "Scenario",
    "Survival",
    "SweepResults",
    "__version__",
    "available_rules",
    "compare",
    "discover",
    "load_scenario",
    "load_sweep",
    "register_rule",
    "run",
    "run_sweep",
    "simulate",
    "survival",
    "write_report",
]
