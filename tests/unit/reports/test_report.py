"""HTML reports: one self-contained file for a run, a sweep or a comparison."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

import hedgesim
from hedgesim import InputError
from hedgesim.reports import render_report, write_report
from tests.paths import SCENARIOS

matplotlib.use("Agg")


def self_contained(html: str) -> None:
    """No scripts, no stylesheets or images from elsewhere, no links out: the file stands alone."""
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<script" not in html and "<link" not in html
    for attr in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert attr.startswith("data:image/png;base64,"), attr[:80]


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    res = hedgesim.run(SCENARIOS / "flank_buildup.yaml", replicates=200, record="steps", overrides={"horizon": 48})
    return res.save(tmp_path_factory.mktemp("runs") / "flank")


def test_run_report(run_folder: Path) -> None:
    html = render_report([run_folder])
    self_contained(html)
    for heading in ("What was run", "Outcomes", "Time to outcome", "Trajectories", "Resolved scenario"):
        assert f"<h2>{heading}</h2>" in html
    assert html.count("<img") == 3 and "20190222" in html and "flank_buildup" in html


def test_sweep_report_has_discovery(small_sweep: Path) -> None:
    html = render_report([small_sweep])
    self_contained(html)
    for heading in ("What was run", "Shares along the parameters", "Time to outcome by point", "Scenario discovery"):
        assert f"<h2>{heading}</h2>" in html
    assert 'class="summary">Escalation in ' in html


def test_comparison_report_from_run_folders_and_writing(run_folder: Path, tmp_path: Path) -> None:
    other = hedgesim.run(SCENARIOS / "csbm_flank_buildup.yaml", replicates=200, overrides={"horizon": 48})
    second = other.save(tmp_path / "csbm")
    out = write_report([run_folder, second], tmp_path / "cmp.html")
    html = out.read_text()
    self_contained(html)
    assert "Outcomes and differences against flank_buildup" in html and "paired on common random numbers" in html
    with pytest.raises(InputError, match="already exists"):
        write_report([second], out)
    assert write_report([second]) == second / "report.html"
    assert write_report([second]) == second / "report-2.html"
    with pytest.raises(InputError, match="not a hedgesim"):
        render_report([tmp_path])
