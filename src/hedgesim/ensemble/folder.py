"""Reading result folders that may have been edited, truncated or half deleted since they were written.

Run folders and sweep folders are read back through these few functions, so a damaged
folder gives one :class:`~hedgesim.errors.InputError` naming the file and what is wrong
with it (not a ``JSONDecodeError``, ``KeyError`` or ``ArrowInvalid``), and a table
whose row count disagrees with its manifest is refused rather than read as if whole.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from ..errors import InputError
from ..util.fs import file_kind, read_user_file

__all__ = ["MAX_MANIFEST_BYTES", "parquet_rows", "read_manifest", "read_table", "require"]

#: A manifest holds a resolved scenario and some provenance: a few hundred KB at most.
MAX_MANIFEST_BYTES = 64 * 2**20


def read_manifest(folder: Path, kind: str, fmt: str | None = None) -> dict[str, Any]:
    """``folder/manifest.json`` as a mapping, checked to be a ``kind`` folder's (``format``, when given, must match).

    Raises:
        InputError: the folder or its manifest is missing, unreadable, not JSON, or another kind's.
    """
    if not folder.is_dir():
        what = "does not exist" if file_kind(folder) is None else "is not a folder"
        raise InputError(f"{what}; expected a hedgesim {kind} folder", file=folder)
    path = folder / "manifest.json"
    if file_kind(path) is None:
        raise InputError(f"not a {kind} folder: manifest.json is missing", file=folder)
    raw = read_user_file(path, MAX_MANIFEST_BYTES)
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text; the folder's manifest is damaged", file=path) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"is not valid JSON ({exc.msg}); the folder's manifest is damaged", file=path, line=exc.lineno
        ) from None
    if not isinstance(manifest, dict):
        raise InputError("must hold a JSON object; the folder's manifest is damaged", file=path)
    if fmt is not None and manifest.get("format") != fmt:
        raise InputError(
            f"is not a hedgesim {kind} manifest (format {manifest.get('format')!r}, not {fmt!r})", file=path
        )
    return manifest


def require(manifest: dict[str, Any], path: Path, key: str, kind: type | tuple[type, ...]) -> Any:
    """``manifest[key]``, which must be of ``kind``.

    Raises:
        InputError: the key is missing or of another type, naming the manifest and the key.
    """
    if key not in manifest:
        raise InputError("is missing; the folder's manifest is damaged", file=path, field=key)
    value = manifest[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise InputError(
            f"has the wrong type ({type(value).__name__}); the folder's manifest is damaged", file=path, field=key
        )
    return value


def _parquet(path: Path) -> pq.ParquetFile:
    kind = file_kind(path)
    if kind is None:
        raise InputError("is missing from the folder", file=path)
    if kind != "a regular file":
        raise InputError(f"is {kind}, not a Parquet file", file=path)
    try:
        return pq.ParquetFile(path)
    except Exception as exc:  # ArrowInvalid, OSError, ...: a truncated or overwritten file
        raise InputError(f"is not a readable Parquet file ({_reason(exc)})", file=path) from None


def _reason(exc: Exception) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__


def parquet_rows(path: Path, expected: int | None = None) -> int:
    """The row count of a Parquet file (from its footer: nothing else is read), checked if ``expected``.

    Raises:
        InputError: the file is missing, damaged, or holds another number of rows.
    """
    rows = _parquet(path).metadata.num_rows
    if expected is not None and rows != expected:
        raise InputError(f"holds {rows:,} rows, but the manifest says {expected:,}; the folder is damaged", file=path)
    return rows


def read_table(
    path: Path,
    expected_rows: int | None = None,
    columns: Sequence[str] | None = None,
    needed: Sequence[str] = (),
) -> pd.DataFrame:
    """A whole Parquet table (or some ``columns``), checked: readable, ``needed`` columns, ``expected_rows`` rows.

    Raises:
        InputError: the file is missing, damaged, lacks a column, or holds another number of rows.
    """
    pf = _parquet(path)
    for wanted in (columns or (), needed):
        missing = [c for c in wanted if c not in pf.schema_arrow.names]
        if missing:
            raise InputError(f"has no column {missing[0]!r}; the folder is damaged", file=path)
    parquet_rows(path, expected_rows)
    try:
        return pq.read_table(path, columns=list(columns) if columns is not None else None).to_pandas()
    except Exception as exc:
        raise InputError(f"is not a readable Parquet file ({_reason(exc)})", file=path) from None
