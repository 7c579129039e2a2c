"""Writing files and folders whole or not at all, and never over something that exists.

Every writer in hedgesim goes through here, so a crash leaves either the old state or
the new one, never half a file, and results are never replaced by accident. Each
writer assembles its output under a hidden temporary name in the destination folder
(same file system, so the final step is a rename or a hard link) and then gives it
its name with an operation that fails rather than replace.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError

_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def read_user_file(path: str | os.PathLike[str], max_bytes: int, *, label: str | None = None) -> bytes:
    """The bytes of a file a user named: a regular file only, at most ``max_bytes``.

    The one place hedgesim opens a user's file. A FIFO, a device or a socket would block
    or never end, so the file is opened without blocking and refused unless ``fstat``
    says it is a regular file (checked on the open descriptor: no race with a rename).

    Raises:
        InputError: the file is missing, unreadable, not a regular file or too large,
            naming ``label`` (default: the path as given).
    """
    label = label if label is not None else os.fspath(path)
    if "\0" in os.fspath(path):
        raise InputError("invalid file name (contains a NUL character)", file=label)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError("file does not exist", file=label) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", file=label) from None
    except PermissionError:
        raise InputError("cannot read file: permission denied", file=label) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=label) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
            raise InputError(f"is {kind}, not a regular file", file=label)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=label) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        limit = f"{max_bytes // 2**20} MB" if max_bytes >= 2**20 else f"{max_bytes:,} bytes"
        raise InputError(f"file is larger than {limit}", file=label)
    return data


def check_new_path(path: str | os.PathLike[str], *, field: str = "--out") -> None:
    """Fail before any work if ``path`` cannot become a new file or folder of results.

    Refuses a path that exists (even as a dangling symbolic link), one under a dangling
    link or a regular file, and one whose nearest existing folder cannot be written
    (probed by making and removing a folder there: ``os.access`` lies to root).

    Raises:
        InputError: naming the path and the problem, for the option ``field``.
    """
    path = Path(path)
    if path.is_symlink() and not path.exists():
        raise InputError(
            f"{path} is a symbolic link to {os.readlink(path)}, which does not exist; results are never "
            "written through a dangling link (choose another path)",
            file=path,
            field=field,
        )
    if path.exists():
        raise InputError(
            f"{path} already exists; results are never overwritten (choose another path)", file=path, field=field
        )
    ancestor = path.parent
    while not ancestor.exists():
        if ancestor.is_symlink():
            raise InputError(
                f"{ancestor} is a symbolic link to {os.readlink(ancestor)}, which does not exist",
                file=path,
                field=field,
            )
        if ancestor == ancestor.parent:
            break
        ancestor = ancestor.parent
    if ancestor.exists() and not ancestor.is_dir():
        raise InputError(f"cannot write under {ancestor}: it is a file, not a folder", file=path, field=field)
    try:
        with tempfile.TemporaryDirectory(dir=ancestor, prefix=".hedgesim-probe-"):
            pass
    except OSError as exc:
        raise InputError(f"cannot write under {ancestor}: {exc.strerror or exc}", file=path, field=field) from None


def file_kind(path: str | os.PathLike[str]) -> str | None:
    """What ``path`` is, for a message: ``"a regular file"``, ``"a named pipe (FIFO)"``, ...; None if missing."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return "a regular file" if stat.S_ISREG(mode) else _KINDS.get(stat.S_IFMT(mode), "not a regular file")


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
        try:
            os.rename(tmp, final)
        except OSError as exc:  # another writer took the name since the check: an empty folder is replaced,
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR):  # a full one or a file refuses
                raise FileExistsError(f"{final} already exists; results are never overwritten") from None
            raise
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
