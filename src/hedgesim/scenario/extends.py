"""``extends:``: one scenario inheriting another, as a JSON Merge Patch (RFC 7396).

The child is applied to its parent: mappings merge key by key, a ``null`` deletes the
key, anything else (lists, scalars) replaces. The source map points at the file that
last set each field, so an error names the right file and line.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path as FsPath
from typing import Any

from ..errors import InputError, quote
from ..resources import find
from ..util.fs import file_kind
from .yamlio import Path, SourceMap, load_file


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 merge: mappings merge, null deletes, the rest replaces."""
    if not isinstance(patch, dict):
        return patch
    result = target if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


def _merged_source(data: Any, child: SourceMap, parent: SourceMap) -> SourceMap:
    """Point every path of the merged data at the file that last set it.

    A path the child wrote came from the child (merge patch keeps exactly
    the child's non-null paths); every other surviving path is the parent's.
    """
    out = SourceMap(root_file=child.root_file)

    def walk(value: Any, path: Path) -> None:
        if isinstance(value, dict):
            items: Sequence[tuple[Any, Any]] = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            return
        for key, sub in items:
            sub_path = (*path, key)
            hit = child.entries.get(sub_path) or parent.entries.get(sub_path)
            if hit is not None:
                out.entries[sub_path] = hit
            walk(sub, sub_path)

    walk(data, ())
    return out


def _load_chain(
    path: str | os.PathLike[str], chain: list[tuple[str, str]], max_depth: int
) -> tuple[dict[Any, Any], SourceMap]:
    label = os.fspath(path)
    data, source, root_line = load_file(path)
    if data is None:
        raise InputError("empty file: expected a mapping of scenario settings", file=label)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({quote(data)})"
        raise InputError(
            f"top level must be a mapping of settings, not {kind}",
            file=label,
            line=root_line,
        )
    if "extends" not in data:
        return data, source
    target = data.pop("extends")
    _, line = source.locate(("extends",))

    def fail(message: str) -> InputError:
        return InputError(message, file=label, line=line, field="extends")

    if not isinstance(target, str) or not target.strip():
        raise fail(f"must be the path of another YAML file, not {quote(target)}")
    target_path = FsPath(label).parent / target
    if not (target_path.exists() or target_path.is_symlink()):
        target_path = find(target) or target_path  # a shipped name: `extends: baseline`
    key = os.path.realpath(target_path)
    names = [name for name, _ in chain]
    seen = [real for _, real in chain]
    if key in seen:
        cycle = [*names[seen.index(key) :], os.fspath(target_path)]
        raise fail("circular extends: " + " -> ".join(cycle))
    if len(chain) > max_depth:
        raise fail(f"extends chain is longer than {max_depth} files")
    kind = file_kind(target_path)
    if kind is None:
        raise fail(f"extended file {quote(target)} does not exist (looked for {target_path})")
    if kind != "a regular file":
        raise fail(f"extended file {quote(target)} is {kind}, not a YAML file")
    parent_data, parent_source = _load_chain(target_path, [*chain, (os.fspath(target_path), key)], max_depth)
    merged = _merge_patch(parent_data, data)
    return merged, _merged_source(merged, source, parent_source)


def load_with_extends(path: str | os.PathLike[str], *, max_depth: int = 16) -> tuple[dict[Any, Any], SourceMap]:
    """Load a scenario mapping, applying its ``extends:`` chain.

    The child is merged onto its parent (RFC 7396 semantics: mappings merge,
    ``null`` deletes a key, lists and scalars replace); ``extends`` paths are
    relative to the extending file. The source map points at the file that
    last set each field. ``max_depth`` bounds the number of ``extends`` hops.
    """
    label = os.fspath(path)
    return _load_chain(path, [(label, os.path.realpath(label))], max_depth)
