"""Fixtures for the Python snippets in README.md and docs/ (run as tests by pytest-markdown-docs).

A snippet that reads ``scenarios/...`` or writes ``results/...`` runs in a scratch copy
of the checkout's scenarios, so the docs' examples run exactly as written without
touching the checkout.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent


@pytest.fixture
def scratch_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working directory holding a copy of scenarios/, as a user's checkout would."""
    shutil.copytree(REPO / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
