"""hedgesim: agent-based simulation of a small state hedging between great powers.

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
    "InputError": "errors",
    "Results": "results",
    "Rule": "rules",
    "RuleParams": "rules",
    "available_rules": "rules",
    "register_rule": "rules",
    "run": "runner",
    "simulate": "runner",
    "Scenario": "scenario",
    "load_scenario": "scenario",
}

if TYPE_CHECKING:
    from .errors import InputError
    from .results import Results
    from .rules import Rule, RuleParams, available_rules, register_rule
    from .runner import run, simulate
    from .scenario import Scenario, load_scenario


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hedgesim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = [
    "InputError",
    "Results",
    "Rule",
    "RuleParams",
    "Scenario",
    "__version__",
    "available_rules",
    "load_scenario",
    "register_rule",
    "run",
    "simulate",
]
