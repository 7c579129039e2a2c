"""The package's shape: no import cycle (even through imports inside functions), small modules,
and sub-packages whose ``__init__`` names its components and re-exports its ``__all__``.

The layers themselves are an import-linter contract in pyproject.toml (run by ``make test``).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import grimp
import networkx as nx
import pytest

import hedgesim

SRC = Path(hedgesim.__file__).resolve().parent
#: "No module is over about 500 lines": the bound, with a little slack for a docstring.
MAX_LINES = 560


def test_no_import_cycle_anywhere() -> None:
    graph = grimp.build_graph("hedgesim")  # every import statement, including those inside functions
    edges = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    cycles = list(nx.simple_cycles(edges))
    assert not cycles, f"import cycles: {cycles[:5]}"


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_modules_are_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(SRC)} has {lines} lines; split it by what it does"


SUBPACKAGES = sorted(m.name for m in pkgutil.walk_packages([str(SRC)], "hedgesim.") if m.ispkg)


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_subpackages_name_their_components_and_export_all(name: str) -> None:
    package = importlib.import_module(name)
    assert package.__doc__ and "Components" in package.__doc__, f"{name}'s docstring should list its components"
    assert hasattr(package, "__all__") and package.__all__, f"{name} should re-export an __all__"
    for exported in package.__all__:
        assert hasattr(package, exported), f"{name}.__all__ names {exported!r}, which it does not define"
    for sub in pkgutil.iter_modules(package.__path__):
        assert sub.name in package.__doc__, f"{name}'s docstring does not mention its component {sub.name!r}"


def test_public_api_exports_runs_sweeps_and_rules() -> None:
    for name in (
        "run",
        "Results",
        "load_scenario",
        "run_sweep",
        "load_sweep",
        "SweepResults",
        "Rule",
        "ModelView",
        "compare",
        "survival",
        "discover",
        "write_report",
    ):
        assert name in hedgesim.__all__ and getattr(hedgesim, name) is not None


ENTRY_POINTS = [
    "hedgesim.ensemble.runner.run",
    "hedgesim.scenario.load.load_scenario",
    "hedgesim.scenario.checks.validate_data",
    "hedgesim.sweep.load.load_sweep",
    "hedgesim.sweep.engine.run_sweep",
    "hedgesim.ensemble.results.Results.save",
    "hedgesim.ensemble.results.Results.load",
    "hedgesim.sweep.results.SweepResults.load",
    "hedgesim.sweep.results.SweepResults.export",
    "hedgesim.ensemble.results.Results.export",
    "hedgesim.studies.compare.compare",
    "hedgesim.studies.survival.survival",
    "hedgesim.studies.discovery.discover",
    "hedgesim.reports.report.write_report",
    "hedgesim.ema.build_model",
]


@pytest.mark.parametrize("path", ENTRY_POINTS)
def test_public_entry_points_document_the_input_errors_they_raise(path: str) -> None:
    module, _, name = path.rpartition(".")
    try:
        obj = getattr(importlib.import_module(module), name)
    except ModuleNotFoundError:
        module, _, cls = module.rpartition(".")
        obj = getattr(getattr(importlib.import_module(module), cls), name)
    doc = obj.__doc__ or ""
    assert "Raises:" in doc and "InputError" in doc, f"{path} does not document the InputError it raises"
