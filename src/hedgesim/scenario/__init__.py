"""Scenario files: YAML with lines, the schema, the checks, and loading.

Components:

* :mod:`~hedgesim.scenario.yamlio`: safe YAML that remembers the file and line of every value.
* :mod:`~hedgesim.scenario.extends`: ``extends:``, one scenario inheriting another.
* :mod:`~hedgesim.scenario.paths`: field paths and ``--set`` overrides.
* :mod:`~hedgesim.scenario.schema`: :class:`Scenario` and its parts.
* :mod:`~hedgesim.scenario.checks`: cross-checks of actors, rules, moves and expressions.
* :mod:`~hedgesim.scenario.load`: :func:`load_scenario` (read, ``extends``, ``--set``, facts, validate).
* :mod:`~hedgesim.scenario.levers`: the seed's policy levers as named, validated edits of a scenario.
"""

from .checks import validate_data
from .extends import load_with_extends
from .levers import LEVERS, Lever, apply_levers, lever, lever_overrides, lever_values
from .load import json_schema, load_scenario, resolve_facts
from .paths import format_path, parse_path, parse_scalar, set_path
from .schema import (
    MAX_HORIZON,
    MAX_REPLICATES,
    ActorSpec,
    EventSpec,
    HazardSpec,
    RuleSpec,
    Scenario,
    TriggerSpec,
)
from .yamlio import SourceMap, load_yaml

__all__ = [
    "LEVERS",
    "MAX_HORIZON",
    "MAX_REPLICATES",
    "ActorSpec",
    "EventSpec",
    "HazardSpec",
    "Lever",
    "RuleSpec",
    "Scenario",
    "SourceMap",
    "TriggerSpec",
    "apply_levers",
    "format_path",
    "json_schema",
    "lever",
    "lever_overrides",
    "lever_values",
    "load_scenario",
    "load_with_extends",
    "load_yaml",
    "parse_path",
    "parse_scalar",
    "resolve_facts",
    "set_path",
    "validate_data",
]
