"""Results of a run and their folder on disk: written whole or not at all, never over another.

A run folder holds ``manifest.json``, ``runs.parquet``, optionally ``steps.parquet``
and ``moves.parquet``, and ``figures/``. It is assembled in a hidden sibling
folder and renamed into place, so a crash leaves no half-written result.
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis import format_shares, outcome_shares
from ..errors import InputError
from ..scenario import Scenario, validate_data
from ..util import new_folder
from .display import results_html
from .export import export_tables, free_folder
from .provenance import git_revision, versions
from .story import story


class Results:
    """Outcomes of an ensemble: ``runs`` (a row per replicate), ``steps`` and ``moves`` when recorded.

    ``folder`` is where they were saved or loaded from (None for a run only in memory).
    """

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
        self.folder: Path | None = None

    def __repr__(self) -> str:
        rec = "steps" if self.steps is not None else "summary"
        return f"Results({self.scenario.name!r}, replicates={len(self.runs):,}, record={rec!r})"

    def _repr_html_(self) -> str:
        """The outcome table with bars and the run's sizes, for Jupyter (no matplotlib)."""
        facts: list[tuple[str, object]] = [
            ("replicates", f"{len(self.runs):,}"),
            ("seed", self.scenario.seed),
            ("horizon", f"{self.scenario.horizon} steps"),
            ("record", "steps" if self.steps is not None else "summary"),
        ]
        if self.steps is not None:
            facts.append(("step rows", f"{len(self.steps):,}"))
        if self.folder is not None:
            facts.append(("folder", str(self.folder)))
        return results_html(f"Results: {self.scenario.name}", facts, self.outcome_shares(by_side=True))

    @property
    def hedger(self) -> str:
        """The name of the scenario's hedger."""
        return self.scenario.by_role("hedger")[0]

    def outcome_shares(self, by_side: bool = False, level: float = 0.95) -> pd.DataFrame:
        """Share of each outcome with its Wilson interval."""
        return outcome_shares(self.runs, by_side=by_side, level=level)

    def summary(self) -> str:
        """The outcome table as text, as ``hedgesim run`` prints it."""
        return f"{self.scenario.name}: {len(self.runs):,} replicates\n" + format_shares(self.outcome_shares(True))

    def story(self, replicate: int) -> pd.DataFrame:
        """One replicate's history as a readable table: what each actor did, when, why, and how it ended.

        Raises:
            InputError: the moves were not recorded (run with ``record="steps"``), or no such replicate.
        """
        return story(
            self.runs,
            self.moves,
            replicate,
            start=self.scenario.start,
            step_months=self.scenario.step_months,
        )

    # ------------------------------------------------------------------ disk
    def build_manifest(self, command: list[str] | None = None) -> dict[str, Any]:
        """What the run folder's manifest.json records: scenario, seed, versions, command, timings, shares."""
        return {
            "format": "hedgesim-run/1",
            "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "scenario_name": self.scenario.name,
            "seed": self.scenario.seed,
            "replicates": len(self.runs),
            "record": "steps" if self.steps is not None else "summary",
            "uncertainty": {
                "mode": self.scenario.uncertainty,
                "drawn": sorted(c.removeprefix("draw.") for c in self.runs.columns if c.startswith("draw.")),
                "meaning": "shares are predictive probabilities over what each replicate drew"
                if self.scenario.uncertainty != "none"
                else "every replicate ran the point values: the intervals measure Monte Carlo error only",
            },
            "scenario": self.scenario.to_dict(),
            "versions": versions(),
            "git_revision": git_revision(),
            "command": command if command is not None else list(sys.argv),
            "timings": self.timings,
            "platform": platform.platform(),
            "outcome_shares": self.outcome_shares(by_side=True).reset_index().to_dict(orient="records"),
        }

    def save(
        self,
        out: str | Path,
        *,
        extras: Sequence[Callable[[Results, Path], object]] = (),
        command: list[str] | None = None,
    ) -> Path:
        """Write the results to a new folder ``out`` (which must not exist) atomically; return it.

        ``extras`` are writers called with the results and the folder being assembled,
        before it takes its name (the CLI passes the figure writer of :mod:`hedgesim.plots`),
        so a folder appears whole, figures included, or not at all.

        Raises:
            InputError: ``out`` exists or cannot be written.
        """
        out = Path(out)
        if out.exists():
            raise InputError(f"{out} already exists; results are never overwritten", file=out, field="out")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"cannot write results under {out.parent}: {exc.strerror}", file=out.parent, field="out"
            ) from None
        try:
            with new_folder(out) as tmp:
                self.runs.to_parquet(tmp / "runs.parquet", index=False)
                if self.steps is not None:
                    self.steps.to_parquet(tmp / "steps.parquet", index=False)
                if self.moves is not None:
                    self.moves.to_parquet(tmp / "moves.parquet", index=False)
                for write in extras:
                    write(self, tmp)
                self.manifest = self.build_manifest(command)
                (tmp / "manifest.json").write_text(json.dumps(self.manifest, indent=2, default=str) + "\n")
        except FileExistsError:
            raise InputError(f"{out} already exists; results are never overwritten", file=out, field="out") from None
        except PermissionError as exc:
            raise InputError(
                f"cannot write results under {out.parent}: {exc.strerror}", file=out.parent, field="out"
            ) from None
        self.folder = out
        return out

    def export(self, out: str | Path | None = None, format: str = "csv") -> Path:
        """Write the tables (runs, and steps and moves when recorded) as CSV in a new folder; return it.

        ``out`` defaults to ``<folder>/csv`` (``csv-2``... if taken) for saved results.

        Raises:
            InputError: an unknown format, no ``out`` for results never saved, or ``out`` exists.
        """
        if out is None:
            if self.folder is None:
                raise InputError("these results were never saved: give out=", field="out")
            out = free_folder(self.folder, format)
        tables = {"runs": self.runs}
        if self.steps is not None:
            tables["steps"] = self.steps
        if self.moves is not None:
            tables["moves"] = self.moves
        return export_tables(tables, out, format, manifest=self.manifest or None)

    @classmethod
    def load(cls, folder: str | Path) -> Results:
        """Read a run folder written by :meth:`save`.

        Raises:
            InputError: the folder is not a run folder.
        """
        folder = Path(folder)
        mpath = folder / "manifest.json"
        if not mpath.is_file():
            raise InputError("not a hedgesim run folder (no manifest.json)", file=folder)
        manifest = json.loads(mpath.read_text())
        scenario = validate_data(manifest["scenario"], label=str(mpath))
        runs = pd.read_parquet(folder / "runs.parquet")
        steps = pd.read_parquet(folder / "steps.parquet") if (folder / "steps.parquet").exists() else None
        moves = pd.read_parquet(folder / "moves.parquet") if (folder / "moves.parquet").exists() else None
        res = cls(scenario, runs, steps, moves, timings=manifest.get("timings"), manifest=manifest)
        res.folder = folder
        return res


def new_run_folder(root: str | Path, scenario_name: str) -> Path:
    """``root/<scenario>/<UTC timestamp>``, with a suffix if that name is taken."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = Path(root) / scenario_name / stamp
    out, k = base, 1
    while out.exists():
        out = base.with_name(f"{stamp}-{k}")
        k += 1
    return out
