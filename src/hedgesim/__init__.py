"""hedgesim: agent-based simulation of a small state hedging between great powers."""

from importlib.metadata import PackageNotFoundError, version

from .errors import InputError
from .results import Results
from .rules import Rule, RuleParams, available_rules, register_rule
from .runner import run, simulate
from .scenario import Scenario, load_scenario

try:
    __version__ = version("hedgesim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

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
