"""Where the tests find the checkout's files, whatever folder a test module lives in."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
BASELINE = SCENARIOS / "baseline.yaml"
PLUGIN = Path(__file__).resolve().parent / "plugin_pkg"
