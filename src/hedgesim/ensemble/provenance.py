"""What produced a result: the versions of everything it depends on, and the code's git revision."""

from __future__ import annotations

import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DEPENDENCIES = ("hedgesim", "mesa", "numpy", "pandas", "matplotlib", "pyarrow", "pydantic", "pyyaml", "scipy")


def versions() -> dict[str, str]:
    """Versions of Python and of every package the results depend on."""
    out = {"python": platform.python_version()}
    for pkg in DEPENDENCIES:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def git_revision(start: Path | None = None) -> str | None:
    """The git revision of the working tree the code runs from, with '-dirty' if it has changes."""
    here = start or Path(__file__).resolve().parent
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=5)
        if rev.returncode != 0:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=here, capture_output=True, text=True, timeout=5)
        return rev.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def package_version() -> str:
    """The version of hedgesim itself (``0.0.0+unknown`` when run from a source tree that is not installed)."""
    try:
        return version("hedgesim")
    except PackageNotFoundError:
        return "0.0.0+unknown"
