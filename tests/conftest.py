"""Shared fixtures for the core test suite: the baseline scenario, scratch scenario folders, the CLI."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hedgesim.cli import main
from tests.paths import BASELINE


@pytest.fixture(scope="session")
def baseline_path() -> Path:
    """The shipped baseline scenario (read only: tests never write next to it)."""
    assert BASELINE.is_file(), f"missing {BASELINE}"
    return BASELINE


@pytest.fixture
def scenario_dir(tmp_path: Path) -> Path:
    """A scratch folder holding a copy of the baseline, so test scenarios can ``extends: baseline.yaml``."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(BASELINE, folder / "baseline.yaml")
    return folder


@pytest.fixture
def write_scenario(scenario_dir: Path) -> Callable[[str, str], Path]:
    """Write ``text`` as ``scenario_dir/name`` and return its path."""

    def write(name: str, text: str) -> Path:
        path = scenario_dir / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def cli() -> Callable[[Sequence[str]], Result]:
    """Invoke the ``hedgesim`` command line in-process, stdout and stderr kept apart."""
    runner = CliRunner()

    def invoke(args: Sequence[str]) -> Result:
        return runner.invoke(main, [str(a) for a in args])

    return invoke


@pytest.fixture(scope="session")
def small_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished LHS sweep over NATO posture, Russian coercion and flank sensitivity: 24 points x 40 replicates,
    five years (a few seconds in-process). Read only: tests copy it before writing into it."""
    from hedgesim.sweep import run_sweep

    folder = tmp_path_factory.mktemp("sweeps")
    spec = folder / "small.yaml"
    spec.write_text(
        f"name: small\nbase: {BASELINE}\nset: {{horizon: 60}}\nparameters:\n"
        "  actors.NATO.state.posture: {range: [0.1, 0.9]}\n"
        "  actors.Russia.rule.params.coercion: {range: [0.0, 1.0]}\n"
        "  parameters.flank_sensitivity: {range: [0.0, 3.0]}\n"
        "design: lhs\nsamples: 24\nreplicates: 40\nseed: 11\n",
        encoding="utf-8",
    )
    report = run_sweep(spec, out=folder / "small", workers=1, progress=False)
    assert report.complete
    return report.folder


@pytest.fixture
def sweep_copy(small_sweep: Path, tmp_path: Path) -> Path:
    """A writable copy of the small sweep."""
    target = tmp_path / "sweep"
    shutil.copytree(small_sweep, target)
    return target
