"""Result tables in other formats (CSV) in a new folder, for tools that do not read Parquet.

Tables on disk are streamed a batch at a time, so exporting a sweep of millions of runs
keeps memory bounded. The export is assembled in a hidden folder and renamed into place:
it appears whole or not at all, and never over an existing folder.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..errors import InputError
from ..util import new_folder

#: Formats ``export`` writes.
FORMATS = ("csv",)
_BATCH = 65_536


def free_folder(parent: Path, stem: str) -> Path:
    """``parent/stem``, or ``stem-2``, ``stem-3``... if taken: a default output never replaces anything."""
    out, k = parent / stem, 2
    while out.exists() or out.is_symlink():
        out, k = parent / f"{stem}-{k}", k + 1
    return out


def _write_csv(source: pd.DataFrame | Path, path: Path) -> None:
    if isinstance(source, pd.DataFrame):
        source.to_csv(path, index=False)
        return
    reader = pq.ParquetFile(source)
    schema = reader.schema_arrow
    # Dictionary (categorical) columns are written as their values.
    plain = pa.schema([f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in schema])
    with pacsv.CSVWriter(path, plain) as writer:
        for batch in reader.iter_batches(batch_size=_BATCH):
            writer.write_table(pa.Table.from_batches([batch]).cast(plain))


def export_tables(
    tables: Mapping[str, pd.DataFrame | Path],
    out: str | Path,
    fmt: str = "csv",
    manifest: Mapping[str, Any] | None = None,
) -> Path:
    """Write each table as ``out/<name>.csv`` (and the manifest as ``out/manifest.json``) in a new folder.

    A table is a DataFrame or the path of a Parquet file (streamed in batches).

    Raises:
        InputError: an unknown format, or ``out`` exists or cannot be written.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})", field="format")
    out = Path(out)
    if out.exists() or out.is_symlink():
        raise InputError(f"{out} already exists; exports never replace anything", file=out, field="out")
    try:
        with new_folder(out) as tmp:
            for name, source in tables.items():
                _write_csv(source, tmp / f"{name}.csv")
            if manifest is not None:
                (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    except FileExistsError:
        raise InputError(f"{out} already exists; exports never replace anything", file=out, field="out") from None
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}", file=out, field="out") from None
    return out
