"""Loading scenarios: read the file, follow ``extends``, apply ``--set``, map facts, validate.

Every problem becomes one :class:`~hedgesim.errors.InputError` naming the file, the
line and the field, so the CLI can print it and exit 2 before anything runs.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..calibration import FactError, apply_facts
from ..errors import InputError
from ..resources import resolve
from .checks import normalise_shocks, validate_data
from .extends import load_with_extends
from .paths import parse_path, parse_scalar, set_path
from .schema import Scenario
from .yamlio import SourceMap, format_path


def load_scenario(
    source: str | Path | Mapping[str, Any] | Scenario,
    overrides: Sequence[str] | Mapping[str, Any] = (),
) -> Scenario:
    """Load and validate a scenario from a YAML path, a shipped name, a dict, or a Scenario, applying overrides.

    A path that does not exist may name a shipped scenario or case (``"baseline"``,
    ``"cases/armenia_2013"``; see :mod:`hedgesim.resources`).

    ``overrides`` are ``PATH=VALUE`` strings as the CLI's ``--set`` takes them, or
    a mapping of path to value; they go through the same validation as the file.

    Raises:
        InputError: any problem, naming the file, line and field.
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
        path = resolve(source)
        data, smap = load_with_extends(path)
        label = str(path)
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
        data = resolve_facts(data, smap, label)
    sc = validate_data(data, smap, label)
    return normalise_shocks(sc)


def resolve_facts(data: dict[str, Any], source: SourceMap | None, label: str) -> dict[str, Any]:
    """The scenario's data with its facts mapped onto state (:func:`hedgesim.calibration.apply_facts`).

    Raises:
        InputError: a fact is malformed, naming the file and line it was written on.
    """
    try:
        return apply_facts(data)
    except FactError as exc:
        file, line = source.locate(exc.path) if source else (label, None)
        raise InputError(exc.message, file=file, line=line, field=format_path(exc.path)) from None


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
