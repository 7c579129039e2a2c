"""Results in a notebook (HTML without matplotlib) and as CSV (a new folder, never over another)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import hedgesim
from hedgesim import InputError
from hedgesim.sweep import SweepResults
from tests.paths import BASELINE


def test_repr_html_of_results_and_sweeps_needs_no_matplotlib(small_sweep: Path) -> None:
    """In a fresh process: the HTML of a run and of a sweep is built without importing matplotlib."""
    code = (
        "import sys, hedgesim\n"
        f"r = hedgesim.run({str(BASELINE)!r}, replicates=20, overrides={{'horizon': 12}})\n"
        f"s = hedgesim.SweepResults.load({str(small_sweep)!r})\n"
        "html = r._repr_html_() + s._repr_html_()\n"
        "assert '<svg' in html and '<table' in html, html[:200]\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_repr_html_shows_shares_sizes_and_escapes(small_sweep: Path) -> None:
    res = hedgesim.run(BASELINE, replicates=20, overrides={"horizon": 12, "description": "<b>x</b>"})
    html = res._repr_html_()
    assert "Results: baseline" in html and "replicates: 20" in html and "bandwagoning (patron)" in html
    assert "<b>x</b>" not in html
    sweep = SweepResults.load(small_sweep)._repr_html_()
    assert "design: lhs" in sweep and "runs: 960" in sweep


def test_export_writes_csv_in_a_new_folder(tmp_path: Path) -> None:
    res = hedgesim.run(BASELINE, replicates=20, overrides={"horizon": 12}, record="steps")
    with pytest.raises(InputError, match="never saved"):
        res.export()
    folder = res.save(tmp_path / "run")
    out = res.export()
    assert out == folder / "csv" and sorted(p.name for p in out.iterdir()) == [
        "manifest.json",
        "moves.csv",
        "runs.csv",
        "steps.csv",
    ]
    back = pd.read_csv(out / "runs.csv")
    assert len(back) == 20 and back["outcome"].tolist() == res.runs["outcome"].astype(str).tolist()
    assert hedgesim.Results.load(folder).export() == folder / "csv-2"
    with pytest.raises(InputError, match="already exists"):
        res.export(out)
    with pytest.raises(InputError, match="unknown export format"):
        res.export(tmp_path / "x", format="xlsx")


def test_sweep_export_streams_every_table(sweep_copy: Path) -> None:
    res = SweepResults.load(sweep_copy)
    out = res.export()
    assert sorted(p.name for p in out.iterdir()) == [
        "design.csv",
        "manifest.json",
        "points.csv",
        "runs.csv",
        "summary.csv",
    ]
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == len(res.runs) and runs["outcome"].tolist() == res.runs["outcome"].astype(str).tolist()


def test_summary_long_is_tidy(small_sweep: Path) -> None:
    res = SweepResults.load(small_sweep)
    long = res.summary_long()
    assert len(long) == len(res.summary) * 5
    assert list(long.columns) == ["point", *res.params, "outcome", "label", "n", "k", "share", "lo", "hi"]
    wide = res.summary.set_index("point")
    row = long[(long["point"] == 3) & (long["outcome"] == "escalation")].iloc[0]
    assert row["k"] == wide.loc[3, "escalation_n"] and row["share"] == wide.loc[3, "escalation"]
