"""Results of a run and their folder on disk: written whole or not at all, never over another.

A run folder holds ``manifest.json``, ``runs.parquet``, optionally ``steps.parquet``
and ``moves.parquet``, and ``figures/``. It is assembled in a hidden sibling
folder and renamed into place, so a crash leaves no half-written result.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from .analysis import format_shares, outcome_shares
from .errors import InputError
from .scenario import Scenario, validate_data

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


class Results:
    """Outcomes of an ensemble: ``runs`` (a row per replicate), ``steps`` and ``moves`` when recorded."""

    def __init__(
        self,
        scenario: Scenario,
        runs: pd.DataFrame,
        steps: pd.DataFrame | None = None,
        moves: pd.DataFrame | None = None,
        *,
        timings: dict[str, float] | None = None,
        manifest: dict[str, Any] | None = None,
    ) -> None:
        self.scenario = scenario
        self.runs = runs
        self.steps = steps
        self.moves = moves
        self.timings = timings or {}
        self.manifest = manifest or {}

    def __repr__(self) -> str:
        rec = "steps" if self.steps is not None else "summary"
        return f"Results({self.scenario.name!r}, replicates={len(self.runs):,}, record={rec!r})"

    @property
    def hedger(self) -> str:
        return self.scenario.by_role("hedger")[0]

    def outcome_shares(self, by_side: bool = False, level: float = 0.95) -> pd.DataFrame:
        """Share of each outcome with its Wilson interval."""
        return outcome_shares(self.runs, by_side=by_side, level=level)

    def summary(self) -> str:
        return f"{self.scenario.name}: {len(self.runs):,} replicates\n" + format_shares(self.outcome_shares(True))

    def plot_outcomes(self) -> Figure:
        from .plots import plot_outcomes

        return plot_outcomes(self.runs, title=f"{self.scenario.name}: outcomes of {len(self.runs):,} replicates")

    def plot_trajectories(self) -> Figure:
        """Alignment and tension over time by outcome; needs steps recorded."""
        from .plots import plot_trajectories

        if self.steps is None:
            raise InputError("trajectories need the steps: run with record='steps' (--record steps)", field="record")
        cols = {f"{self.hedger}.alignment": f"{self.hedger} alignment\n(-1 patron, +1 bloc)", "tension": "tension"}
        return plot_trajectories(
            self.steps,
            self.runs,
            cols,
            title=f"{self.scenario.name}: trajectories by outcome",
            step_months=self.scenario.step_months,
        )

    # ------------------------------------------------------------------ disk
    def build_manifest(self, command: list[str] | None = None) -> dict[str, Any]:
        return {
            "format": "hedgesim-run/1",
            "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "scenario_name": self.scenario.name,
            "seed": self.scenario.seed,
            "replicates": len(self.runs),
            "record": "steps" if self.steps is not None else "summary",
            "scenario": self.scenario.to_dict(),
            "versions": versions(),
            "git_revision": git_revision(),
            "command": command if command is not None else list(sys.argv),
            "timings": self.timings,
            "platform": platform.platform(),
            "outcome_shares": self.outcome_shares(by_side=True).reset_index().to_dict(orient="records"),
        }

    def save(self, out: str | Path, *, figures: bool = True, command: list[str] | None = None) -> Path:
        """Write the results to a new folder ``out`` (which must not exist) atomically; return it."""
        out = Path(out)
        if out.exists():
            raise InputError(f"{out} already exists; results are never overwritten", file=out, field="out")
        parent = out.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=parent))
        except OSError as exc:
            raise InputError(f"cannot write results under {parent}: {exc.strerror}", file=parent, field="out") from None
        try:
            self.runs.to_parquet(tmp / "runs.parquet", index=False)
            if self.steps is not None:
                self.steps.to_parquet(tmp / "steps.parquet", index=False)
            if self.moves is not None:
                self.moves.to_parquet(tmp / "moves.parquet", index=False)
            if figures:
                import matplotlib.pyplot as plt

                (tmp / "figures").mkdir()
                fig = self.plot_outcomes()
                fig.savefig(tmp / "figures" / "outcomes.png", dpi=120)
                plt.close(fig)
                if self.steps is not None:
                    fig = self.plot_trajectories()
                    fig.savefig(tmp / "figures" / "trajectories.png", dpi=120)
                    plt.close(fig)
            self.manifest = self.build_manifest(command)
            (tmp / "manifest.json").write_text(json.dumps(self.manifest, indent=2, default=str) + "\n")
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a results folder is not
            os.rename(tmp, out)  # atomic; fails rather than replace an existing folder
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return out

    @classmethod
    def load(cls, folder: str | Path) -> Results:
        """Read a run folder written by :meth:`save`."""
        folder = Path(folder)
        mpath = folder / "manifest.json"
        if not mpath.is_file():
            raise InputError("not a hedgesim run folder (no manifest.json)", file=folder)
        manifest = json.loads(mpath.read_text())
        scenario = validate_data(manifest["scenario"], label=str(mpath))
        runs = pd.read_parquet(folder / "runs.parquet")
        steps = pd.read_parquet(folder / "steps.parquet") if (folder / "steps.parquet").exists() else None
        moves = pd.read_parquet(folder / "moves.parquet") if (folder / "moves.parquet").exists() else None
        return cls(scenario, runs, steps, moves, timings=manifest.get("timings"), manifest=manifest)


def new_run_folder(root: str | Path, scenario_name: str) -> Path:
    """``root/<scenario>/<UTC timestamp>``, with a suffix if that name is taken."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = Path(root) / scenario_name / stamp
    out, k = base, 1
    while out.exists():
        out = base.with_name(f"{stamp}-{k}")
        k += 1
    return out
