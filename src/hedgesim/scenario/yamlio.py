"""Safe YAML loading that remembers where every value was written.

Scenario files are written by users, so every problem must come back as an
:class:`~hedgesim.errors.InputError` naming the file and line, never as a
PyYAML traceback. Validation (pydantic) reports field paths; the
:class:`SourceMap` built here turns those paths back into ``file:line``.

Loading uses PyYAML's safe composer only: we build Python objects from the
node tree ourselves, which lets us record lines, reject duplicate keys,
and bound the size of alias expansion ("billion laughs") before building.
``extends:`` is in :mod:`hedgesim.scenario.extends`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import InputError, quote
from ..util.fs import read_user_file

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "Path",
    "SourceMap",
    "format_path",
    "load_file",
    "load_text",
    "load_yaml",
]

Path = tuple[str | int, ...]

#: Largest file we read; scenarios are hand-written, so this is generous.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Most values a document may hold once aliases are expanded.
MAX_NODES = 100_000
#: Deepest nesting of lists/mappings (also after alias expansion).
MAX_DEPTH = 64

_STD = "tag:yaml.org,2002:"
_MAP_TAG = _STD + "map"
_SEQ_TAG = _STD + "seq"
_STR_TAG = _STD + "str"
_MERGE_TAG = _STD + "merge"
_VALUE_TAG = _STD + "value"
_SCALAR_TAGS = frozenset(_STD + name for name in ("str", "int", "float", "bool", "null", "timestamp", "binary"))


# --------------------------------------------------------------------------
# Source map


@dataclass
class SourceMap:
    """Where each field path was written: (file, line) with 1-based lines."""

    root_file: str
    entries: dict[Path, tuple[str | None, int | None]] = field(default_factory=dict)

    def set(self, path: Sequence[str | int], file: str | None, line: int | None) -> None:
        """Record that ``path`` was last written at ``file:line``."""
        self.entries[tuple(path)] = (file, line)

    def locate(self, path: Sequence[str | int]) -> tuple[str | None, int | None]:
        """Best known position for ``path``.

        Falls back to the longest known prefix, so an error about a missing
        key inside a mapping points at that mapping.
        """
        key = tuple(path)
        for end in range(len(key), 0, -1):
            hit = self.entries.get(key[:end])
            if hit is not None:
                return hit
        return (self.root_file, None)

    def drop(self, path: Sequence[str | int]) -> None:
        """Forget ``path`` and everything under it (its value was replaced)."""
        prefix = tuple(path)
        n = len(prefix)
        for key in [k for k in self.entries if k[:n] == prefix]:
            del self.entries[key]


# --------------------------------------------------------------------------
# Reading and composing


class _NodeLimitError(Exception):
    """Raised from inside the composer; turned into InputError by the caller."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader whose composer refuses deep nesting before recursing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        # Depth of the node about to be composed: the root is 0.
        if self._depth > MAX_DEPTH:
            raise _NodeLimitError(self.peek_event().start_mark.line + 1)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _read_text(path: str | os.PathLike[str], label: str) -> str:
    """Read a user file as UTF-8: a regular file only, every OS problem an InputError."""
    raw = read_user_file(path, MAX_FILE_BYTES, label=label)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise InputError(
            f"file is not valid UTF-8 text (byte 0x{bad} at column {column})",
            file=label,
            line=line,
        ) from None


def _yaml_error(exc: yaml.YAMLError, text: str, label: str) -> InputError:
    """Describe a PyYAML error as file:line plus a readable message."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        return InputError(
            f"unacceptable character #x{exc.character:04x} in YAML text"
            if isinstance(exc.character, int)
            else f"unreadable YAML text: {exc.reason}",
            file=label,
            line=line,
        )
    if isinstance(exc, yaml.composer.ComposerError) and exc.problem == ("but found another document"):
        mark = exc.problem_mark
        return InputError(
            "expected one YAML document, but found another (remove the '---' separator or split the file)",
            file=label,
            line=mark.line + 1 if mark else None,
        )
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        message = f"YAML syntax error: {problem}"
        if exc.context and exc.problem and exc.context_mark is not None:
            context_line = exc.context_mark.line + 1
            if exc.context.startswith("while"):
                message += f" ({exc.context} started at line {context_line})"
            else:  # e.g. "found duplicate anchor 'x'; first occurrence" / "second occurrence"
                message = f"YAML error: {exc.context} at line {context_line}, {problem} here"
        if mark is not None:
            message += f", column {mark.column + 1}"
        return InputError(message, file=label, line=mark.line + 1 if mark else None)
    return InputError(f"YAML error: {exc}", file=label)


def _compose(text: str, label: str) -> tuple[Node | None, _BoundedLoader]:
    """Compose exactly one document into a node tree with the safe loader."""
    try:
        loader = _BoundedLoader(text)  # the reader rejects control characters
        try:
            return loader.get_single_node(), loader
        finally:
            loader.dispose()
    except _NodeLimitError as exc:
        raise InputError(f"nesting is deeper than {MAX_DEPTH} levels", file=label, line=exc.line) from None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, label) from None


# --------------------------------------------------------------------------
# Bounding the expanded size


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _check_size(root: Node, label: str) -> None:
    """Reject documents whose alias expansion is too large or too deep.

    Counts nodes as if every alias were expanded, memoised per node so an
    exponential "billion laughs" document costs only as much as its text.
    """
    memo: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded count, height)
    active: set[int] = set()
    shared = False

    def visit(node: Node, depth: int) -> tuple[int, int]:
        nonlocal shared
        key = id(node)
        if key in active:
            raise InputError(
                "recursive alias: an anchored value contains an alias to itself",
                file=label,
                line=node.start_mark.line + 1,
            )
        hit = memo.get(key)
        if hit is not None:
            shared = True
            return hit
        active.add(key)
        count, height = 1, 0
        for child in _children(node):
            c_count, c_height = visit(child, depth + 1)
            # Checked here, not in the child: an alias has no line of its own,
            # so blame the collection that holds it.
            if depth + 1 + c_height > MAX_DEPTH:
                raise _too_deep(node)
            count += c_count
            height = max(height, c_height + 1)
        active.discard(key)
        memo[key] = (count, height)
        return count, height

    def _too_deep(node: Node) -> InputError:
        return InputError(
            f"nesting is deeper than {MAX_DEPTH} levels once aliases are expanded",
            file=label,
            line=node.start_mark.line + 1,
        )

    total, _ = visit(root, 0)
    if total <= MAX_NODES:
        return
    # Blame the innermost value that alone is over the limit.
    node = root
    while True:
        bigger = [c for c in _children(node) if memo[id(c)][0] > MAX_NODES]
        if not bigger:
            break
        node = bigger[0]
    count = memo[id(node)][0]
    if shared:
        message = f"aliases expand to too many nodes: this value expands to {count:,} nodes (limit {MAX_NODES:,})"
    else:
        message = f"document has too many values: {count:,} (limit {MAX_NODES:,})"
    raise InputError(message, file=label, line=node.start_mark.line + 1)


# --------------------------------------------------------------------------
# Building Python objects


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


_Pair = tuple[Any, ScalarNode, Node]


class _Builder:
    """Turn a (size-checked) node tree into plain Python data plus a SourceMap."""

    def __init__(self, label: str, loader: _BoundedLoader) -> None:
        self.label = label
        self.loader = loader
        self.source = SourceMap(root_file=label)

    def error(self, message: str, node: Node, path: Path) -> InputError:
        return InputError(
            message,
            file=self.label,
            line=node.start_mark.line + 1,
            field=format_path(path) if path else None,
        )

    def build(self, node: Node, path: Path) -> Any:
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self.unsupported(node, path)
            items = []
            for index, item in enumerate(node.value):
                item_path = (*path, index)
                self.source.set(item_path, self.label, item.start_mark.line + 1)
                items.append(self.build(item, item_path))
            return items
        if isinstance(node, MappingNode):
            if node.tag != _MAP_TAG:
                raise self.unsupported(node, path)
            result: dict[Any, Any] = {}
            for key, key_node, value_node in self.pairs(node, path):
                key_path = (*path, key)
                self.source.set(key_path, self.label, key_node.start_mark.line + 1)
                result[key] = self.build(value_node, key_path)
            return result
        raise self.error(f"unexpected YAML node {node!r}", node, path)  # pragma: no cover

    def unsupported(self, node: Node, path: Path) -> InputError:
        return self.error(
            f"unsupported YAML tag '{_show_tag(node.tag)}': only plain data "
            "(strings, numbers, booleans, null, lists, mappings) is allowed",
            node,
            path,
        )

    def scalar(self, node: ScalarNode, path: Path) -> Any:
        # A bare "<<" or "=" that is not a merge key is just text for our users.
        tag = _STR_TAG if node.tag in (_VALUE_TAG, _MERGE_TAG) else node.tag
        if tag not in _SCALAR_TAGS:
            raise self.unsupported(node, path)
        construct: Callable[[Any, Node], Any] = SafeConstructor.yaml_constructors[tag]
        try:
            return construct(self.loader, node)
        except (ValueError, KeyError, TypeError, AttributeError, yaml.YAMLError):
            raise self.error(f"cannot read {quote(node.value)} as {_show_tag(tag)}", node, path) from None

    def key(self, node: Node, path: Path) -> Any:
        if not isinstance(node, ScalarNode):
            kind = "list" if isinstance(node, SequenceNode) else "mapping"
            raise self.error(f"unhashable key: a {kind} cannot be used as a mapping key", node, path)
        return self.scalar(node, path)

    def pairs(self, node: MappingNode, path: Path) -> list[_Pair]:
        """Key/value pairs of a mapping with ``<<`` merge keys applied.

        Explicit keys beat merged ones; among ``<<: [*a, *b]`` earlier
        mappings win, as in the YAML merge-key spec.
        """
        explicit: list[_Pair] = []
        merged: list[_Pair] = []
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            is_merge = key_node.tag == _MERGE_TAG and isinstance(key_node, ScalarNode)
            key: Any = "<<" if is_merge else self.key(key_node, path)
            line = key_node.start_mark.line + 1
            if key in first_line:
                raise self.error(
                    f"duplicate key {key!r} (first at line {first_line[key]})",
                    key_node,
                    path,
                )
            first_line[key] = line
            if is_merge:
                merged = self.merge_sources(value_node, path)
            else:
                explicit.append((key, key_node, value_node))
        if not merged:
            return explicit
        ordered: dict[Any, _Pair] = {}
        for pair in merged:
            ordered.setdefault(pair[0], pair)
        for pair in explicit:
            ordered[pair[0]] = pair
        return list(ordered.values())

    def merge_sources(self, value: Node, path: Path) -> list[_Pair]:
        """Pairs contributed by a ``<<`` key, earliest source first."""
        if isinstance(value, MappingNode) and value.tag == _MAP_TAG:
            return self.pairs(value, path)
        if isinstance(value, SequenceNode) and value.tag == _SEQ_TAG:
            out: list[_Pair] = []
            for sub in value.value:
                if not (isinstance(sub, MappingNode) and sub.tag == _MAP_TAG):
                    raise self.error(
                        "merge key '<<' needs a mapping or a list of mappings",
                        sub,
                        path,
                    )
                out.extend(self.pairs(sub, path))
            return out
        raise self.error("merge key '<<' needs a mapping or a list of mappings", value, path)


def load_text(text: str, label: str) -> tuple[Any, SourceMap, int | None]:
    """Parse one document; return data, source map and the root value's line."""
    root, loader = _compose(text, label)
    if root is None:
        return None, SourceMap(root_file=label), None
    _check_size(root, label)
    builder = _Builder(label, loader)
    return builder.build(root, ()), builder.source, root.start_mark.line + 1


def load_file(path: str | os.PathLike[str]) -> tuple[Any, SourceMap, int | None]:
    """Read and parse one file (no ``extends``); return data, source map and the root value's line."""
    label = os.fspath(path)
    return load_text(_read_text(path, label), label)


def load_yaml(path: str | os.PathLike[str]) -> tuple[Any, SourceMap]:
    """Load one YAML file safely, recording the line of every key and list item.

    Returns ``(None, map)`` for an empty file. All problems raise InputError.
    """
    data, source, _ = load_file(path)
    return data, source


# --------------------------------------------------------------------------
# Field paths as people write them

_PLAIN_KEY = re.compile(r'[^.\[\]"\s](?:[^.\[\]"]*[^.\[\]"\s])?')


def plain_key(key: str) -> bool:
    """Whether a key can be written bare in a field path (no quotes or brackets needed)."""
    return _PLAIN_KEY.fullmatch(key) is not None and key.isprintable()


def format_path(path: Sequence[str | int]) -> str:
    """Render a field path the way users write it: ``events[2].step``.

    Keys that would be ambiguous (containing ``.``, brackets, quotes, edge
    whitespace, or empty) are written as ``["..."]`` so parse_path inverts it.
    """
    parts: list[str] = []
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            parts.append(f"[{part}]")
        else:
            text = part if isinstance(part, str) else str(part)
            if plain_key(text):
                parts.append(f".{text}" if parts else text)
            else:
                parts.append(f"[{json.dumps(text, ensure_ascii=False)}]")
    return "".join(parts)
