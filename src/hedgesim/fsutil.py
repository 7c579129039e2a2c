"""Writing files whole or not at all, shared by every module that writes to disk."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so no reader sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def project_root() -> Path:
    """The checkout whose scenarios and docs the project commands read and write.

    The working directory when it is one (so an installed package works from a checkout),
    else the source tree this module lives in (an editable install).
    """
    cwd = Path.cwd()
    if (cwd / "scenarios").is_dir() and (cwd / "docs").is_dir():
        return cwd
    return Path(__file__).resolve().parents[2]
