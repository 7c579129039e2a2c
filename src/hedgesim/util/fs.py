"""Writing files and folders whole or not at all, and never over something that exists.

Every writer in hedgesim goes through here, so a crash leaves either the old state or
the new one, never half a file, and results are never replaced by accident. Each
writer assembles its output under a hidden temporary name in the destination folder
(same file system, so the final step is a rename or a hard link) and then gives it
its name with an operation that fails rather than replace.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def _fsync_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def place(tmp: str | os.PathLike[str], final: str | os.PathLike[str]) -> bool:
    """Give the file ``tmp`` the name ``final`` unless that name exists; True if ours was placed.

    A hard link fails with ``FileExistsError`` rather than replace, so two writers racing
    for the same name cannot clobber each other. On a file system without hard links the
    name is checked, then renamed (callers hold a lock there). ``tmp`` is gone afterwards
    only when it was placed.
    """
    tmp, final = Path(tmp), Path(final)
    try:
        os.link(tmp, final)
    except FileExistsError:
        return False
    except OSError:
        if final.exists() or final.is_symlink():
            return False
        os.rename(tmp, final)
        return True
    os.unlink(tmp)
    return True


def write_file(path: str | os.PathLike[str], data: str | bytes, *, replace: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file, so no reader ever sees half a file.

    Raises:
        FileExistsError: ``path`` exists (or is a link, even a dangling one) and ``replace``
            is false. Generated documents pass ``replace=True``; results never do.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        _fsync_write(tmp, data.encode("utf-8") if isinstance(data, str) else data)
        if replace:
            os.replace(tmp, path)
        elif not place(tmp, path):
            raise FileExistsError(f"{path} already exists; it is never replaced")
    finally:
        tmp.unlink(missing_ok=True)
    return path


def save_new(folder: str | os.PathLike[str], stem: str, ext: str, write: Callable[[Path], object]) -> Path:
    """Write a file under the first free name of ``stem.ext``, ``stem-2.ext``, ...; return it.

    ``write(path)`` writes to a temporary path; the result then takes its name by a hard
    link, which fails rather than replace, so an existing file is never overwritten.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{stem}.{os.getpid()}.tmp{ext}"
    write(tmp)
    try:
        k = 1
        while True:
            path = folder / (f"{stem}{ext}" if k == 1 else f"{stem}-{k}{ext}")
            if place(tmp, path):
                return path
            k += 1
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def new_folder(final: str | os.PathLike[str]) -> Iterator[Path]:
    """Assemble a folder under a hidden temporary name and rename it to ``final`` on success.

    Yields the temporary folder to fill. On any exception it is removed and nothing
    appears at ``final``. Raises ``FileExistsError`` if ``final`` exists (checked before
    and again just before the rename: ``rename`` would replace an empty folder).
    """
    final = Path(final)
    if final.exists() or final.is_symlink():
        raise FileExistsError(f"{final} already exists; results are never overwritten")
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".partial", dir=final.parent))
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a results folder is not
        if final.exists() or final.is_symlink():
            raise FileExistsError(f"{final} already exists; results are never overwritten")
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def project_root() -> Path:
    """The checkout whose scenarios and docs the project commands read and write.

    The working directory when it is one (so an installed package works from a checkout),
    else the source tree this module lives in (an editable install).
    """
    cwd = Path.cwd()
    if (cwd / "scenarios").is_dir() and (cwd / "docs").is_dir():
        return cwd
    return Path(__file__).resolve().parents[3]


class FolderLock:
    """An exclusive lock on a results folder, held by one coordinator for its lifetime.

    A second process that tries to write the same folder (two ``--resume`` at once) is
    refused instead of racing on the same parts. Advisory (``flock``), released when the
    holder exits however it exits; a no-op where ``fcntl`` does not exist.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._fh: Any = None

    def acquire(self) -> bool:
        """Take the lock; False if another process holds it."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return True
        fh = open(self.path, "rb")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        self._fh = fh
        return True

    def release(self) -> None:
        """Give the lock back (idempotent)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
