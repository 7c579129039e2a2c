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
