"""Field paths (``actors.Russia.state.posture``, ``events[0].intensity``) and ``--set`` overrides.

One syntax for every place a user names a field: ``--set`` on the command line, a
sweep's parameters, and the field names in error messages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ..errors import InputError
from .yamlio import Path, SourceMap, format_path, load_text

_INDEX = re.compile(r"-?[0-9]+")

__all__ = ["format_path", "parse_path", "parse_scalar", "set_path"]


def parse_path(text: str) -> Path:
    """Parse a ``--set`` path such as ``actors.Belarus.state.alignment``."""

    def bad(why: str) -> InputError:
        return InputError(f"malformed field path: {why}", field=text)

    parts: list[str | int] = []
    pos, end = 0, len(text)
    if not text:
        raise bad("empty path")
    expect_name = True  # at the start, or right after a '.'
    while pos < end:
        char = text[pos]
        if char == "[":
            if expect_name and parts:
                raise bad(f"empty name before '[' at position {pos + 1}")
            close_search = pos + 1
            if text.startswith('"', pos + 1):
                try:
                    key, close_search = json.decoder.scanstring(text, pos + 2)
                except ValueError:
                    raise bad(f"unterminated quoted name at position {pos + 1}") from None
                if not text.startswith("]", close_search):
                    raise bad(f"missing ']' at position {close_search + 1}")
                parts.append(key)
                pos = close_search + 1
            else:
                close = text.find("]", pos + 1)
                if close < 0:
                    raise bad(f"unbalanced '[' at position {pos + 1}")
                inner = text[pos + 1 : close]
                if not _INDEX.fullmatch(inner):
                    raise bad(f"list index must be a whole number, not {inner!r}")
                parts.append(int(inner))
                pos = close + 1
            expect_name = False
        elif char == ".":
            if expect_name:
                raise bad(f"empty name at position {pos + 1}")
            expect_name = True
            pos += 1
        elif char in ']"':
            raise bad(f"unexpected {char!r} at position {pos + 1}")
        else:
            if not expect_name:
                raise bad(f"expected '.' or '[' at position {pos + 1}")
            stop = pos
            while stop < end and text[stop] not in '.[]"':
                stop += 1
            parts.append(text[pos:stop])
            pos = stop
            expect_name = False
    if expect_name:
        raise bad("path ends with '.'")
    return tuple(parts)


def parse_scalar(text: str) -> Any:
    """Parse a ``--set`` value as YAML (``0.3``, ``true``, ``[1, 2]``, ``{a: 1}``).

    Uses the same safe, bounded loader as files; an empty value is null.
    """
    try:
        data, _, _ = load_text(text, "--set")
    except InputError as exc:
        raise InputError(f"cannot parse value {text!r}: {exc.message}") from None
    return data


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"


def set_path(
    data: dict[Any, Any],
    path: Sequence[str | int],
    value: Any,
    *,
    source: SourceMap | None = None,
    origin: str = "--set",
) -> None:
    """Set ``data`` at ``path`` for a ``--set`` override.

    Missing (or null) mapping entries on the way are created as mappings;
    list indices must already exist. The source map then points the path
    (and everything under it) at ``origin``.
    """
    path = tuple(path)
    where = format_path(path)
    if not path:
        raise InputError("cannot set an empty field path", field=where)
    current: Any = data
    for depth, key in enumerate(path):
        last = depth == len(path) - 1
        here = format_path(path[: depth + 1])
        if isinstance(current, dict):
            if last:
                current[key] = value
                break
            if current.get(key) is None:
                current[key] = {}
                if source is not None:
                    source.set(path[: depth + 1], origin, None)
            current = current[key]
        elif isinstance(current, list):
            if isinstance(key, bool) or not isinstance(key, int):
                hint = f" (write [{key}])" if isinstance(key, str) and key.isdigit() else ""
                raise InputError(
                    f"{format_path(path[:depth]) or 'top level'} is a list; {key!r} is not a list index{hint}",
                    field=where,
                )
            if not 0 <= key < len(current):
                raise InputError(
                    f"list index {key} does not exist: {format_path(path[:depth])} has {len(current)} item(s)",
                    field=where,
                )
            if last:
                current[key] = value
                break
            current = current[key]
        else:
            parent = format_path(path[:depth])
            raise InputError(
                f"cannot set {here}: {parent} is {_kind(current)}, not a mapping or list",
                field=where,
            )
    if source is not None:
        source.drop(path)
        source.set(path, origin, None)
