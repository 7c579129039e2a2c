"""Where the shipped scenarios are, by name: the one place that knows.

The dashboard's scenario picker, the Mesa-native model's ``scenario_name`` and the
notebooks find a scenario such as ``baseline`` through :func:`shipped_scenario`, never
through the working directory, so they work from any folder. Today the scenarios are
the ``scenarios/`` folder of the source tree the package is installed from (an editable
install); when they ship as package data, :func:`scenario_folder` is what changes.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

__all__ = ["scenario_folder", "shipped_scenario", "shipped_scenarios"]


def scenario_folder() -> Path:
    """The folder holding the shipped scenarios (``<source tree>/scenarios``).

    Raises:
        InputError: the package was installed without its scenarios.
    """
    folder = Path(__file__).resolve().parents[3] / "scenarios"
    if not (folder / "baseline.yaml").is_file():
        raise InputError(
            "the shipped scenarios were not found next to the package; install hedgesim from its source "
            "checkout (pip install -e .) or give the path of a scenario file",
            file=folder,
        )
    return folder


def shipped_scenarios() -> dict[str, Path]:
    """Every shipped scenario (not the historical cases or the sweeps), by name, sorted.

    Raises:
        InputError: the package was installed without its scenarios.
    """
    return {p.stem: p for p in sorted(scenario_folder().glob("*.yaml"))}


def shipped_scenario(name: str | Path) -> Path:
    """The file of a scenario given by its shipped name (``"baseline"``) or as a path to a YAML file.

    Raises:
        InputError: no shipped scenario has that name and no such file exists.
    """
    text = str(name)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        path = Path(text)
        if not path.is_file():
            raise InputError("no such scenario file", file=path)
        return path
    shipped = shipped_scenarios()
    if text not in shipped:
        raise InputError(
            f"no shipped scenario is called {text!r} (shipped: {', '.join(shipped)}); or give a path to a YAML file",
            field="scenario",
        )
    return shipped[text]
