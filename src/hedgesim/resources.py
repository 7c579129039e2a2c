"""The scenarios, historical cases and sweeps shipped with hedgesim, wherever it is installed.

They live in the checkout's top-level ``scenarios/`` folder and install as the data
package ``hedgesim.shipped`` (see pyproject.toml), read here through
:mod:`importlib.resources`: the same files in a checkout, an editable install and a
wheel. A shipped file has a name: ``baseline``, ``cases/ukraine_2013_2014``,
``sweeps/csbm_hub``; wherever a scenario path is accepted, such a name works too
(:func:`resolve`), and :func:`copy_examples` copies them all out to edit.
"""

from __future__ import annotations

import difflib
import os
import shutil
from importlib import resources as _resources
from pathlib import Path

from .errors import InputError, quote
from .util import new_folder

__all__ = ["KINDS", "copy_examples", "find", "folder", "names", "path", "resolve", "root"]

#: The kinds of shipped files and their folder under the data package ("" = its top).
KINDS = {"scenarios": "", "cases": "cases", "sweeps": "sweeps"}
_PACKAGE = "hedgesim.shipped"


def root() -> Path:
    """The folder holding the shipped files (a real folder: hedgesim is never imported from a zip)."""
    files = _resources.files(_PACKAGE)
    if not isinstance(files, os.PathLike):  # pragma: no cover - a zipped install
        raise InputError(f"hedgesim's shipped scenarios are not on a file system ({files})", field="resources")
    return Path(os.fspath(files))


def folder(kind: str = "scenarios") -> Path:
    """The folder of one kind of shipped file: ``scenarios``, ``cases`` or ``sweeps``."""
    return root() / KINDS[kind]


def names(kind: str | None = None) -> list[str]:
    """Every shipped name (``baseline``, ``cases/armenia_2013``, ...), or those of one kind, sorted."""
    out = []
    for k, sub in KINDS.items():
        if kind in (None, k):
            prefix = f"{sub}/" if sub else ""
            out += sorted(prefix + p.stem for p in (root() / sub).glob("*.yaml"))
    return out


def _name_of(text: str) -> str:
    """``scenarios/cases/x.yaml`` or ``cases/x.yaml`` or ``cases/x`` -> ``cases/x``."""
    name = text.replace("\\", "/").strip()
    name = name.removeprefix("./").removeprefix("scenarios/")
    return name.removesuffix(".yaml").removesuffix(".yml")


def find(name: str | os.PathLike[str]) -> Path | None:
    """The shipped file a name stands for, or None.

    Accepts ``baseline``, ``baseline.yaml``, ``cases/armenia_2013`` and the checkout's own
    spelling ``scenarios/cases/armenia_2013.yaml``.
    """
    text = _name_of(os.fspath(name))
    return root() / f"{text}.yaml" if text in names() else None


def path(name: str) -> Path:
    """The shipped file named ``name``.

    Raises:
        InputError: no shipped file has that name (the message lists the closest ones).
    """
    found = find(name)
    if found is None:
        raise InputError(f"no shipped scenario, case or sweep is named {quote(name)}{_close(name)}", field="name")
    return found


def _close(text: str) -> str:
    close = difflib.get_close_matches(_name_of(text), names(), n=3, cutoff=0.5)
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    return f" (shipped: {', '.join(names('scenarios'))}; `hedgesim examples` lists them all)"


def resolve(source: str | os.PathLike[str], *, base: Path | None = None, field: str | None = None) -> Path:
    """The file a user means by ``source``: a path that exists, else a shipped name.

    ``base`` is the folder a relative path is read from (an ``extends:`` target is
    relative to the extending file). A path that exists always wins, so a user's own
    ``baseline.yaml`` is never replaced by the shipped one.

    Raises:
        InputError: neither a file nor a shipped name, listing the closest shipped names.
    """
    given = Path(source)
    candidate = given if base is None or given.is_absolute() else base / given
    if candidate.exists() or candidate.is_symlink():
        return candidate
    shipped = find(source)
    if shipped is not None:
        return shipped
    raise InputError(
        f"does not exist{'' if candidate == given else f' (looked for {candidate})'}, and no shipped scenario, "
        f"case or sweep has that name{_close(os.fspath(source))}",
        file=os.fspath(source),
        field=field,
    )


def copy_examples(dest: str | os.PathLike[str]) -> list[Path]:
    """Copy every shipped scenario, case and sweep into the new folder ``dest`` (never over a file); return them.

    The copies keep their layout (``cases/``, ``sweeps/``), so their ``extends:`` and
    ``base:`` paths still point at each other.

    Raises:
        InputError: ``dest`` exists and is not an empty folder, or cannot be written.
    """
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InputError(f"{dest} exists and is not an empty folder; examples never overwrite", file=dest, field="DIR")
    try:
        if dest.is_dir():
            dest.rmdir()  # empty: assembled beside it and renamed into place, whole or not at all
        with new_folder(dest) as tmp:
            for name in names():
                (tmp / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root() / f"{name}.yaml", tmp / f"{name}.yaml")
    except OSError as exc:
        raise InputError(f"cannot write examples under {dest}: {exc.strerror or exc}", file=dest, field="DIR") from None
    return [dest / f"{name}.yaml" for name in names()]
