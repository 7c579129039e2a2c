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
import sys
import weakref
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from ..analysis import format_shares, outcome_shares
from ..errors import InputError
from ..scenario import Scenario, validate_data
from ..util import new_folder
from ..util.fs import check_new_path
from .display import results_html
from .export import export_tables, free_folder
from .folder import parquet_rows, read_manifest, read_table, require
from .provenance import git_revision, versions
from .story import story
from .stream import out_of_space, read_frame, write_frame


class Results:
    """Outcomes of an ensemble: ``runs`` (a row per replicate), ``steps`` and ``moves`` when recorded.

    ``folder`` is where they were saved or loaded from (None for a run only in memory).
    Recorded steps and moves live in Parquet files (streamed there by :func:`run`, or in a
    loaded run folder) and are read on first use of :attr:`steps` / :attr:`moves`;
    :meth:`read_steps` and :meth:`read_moves` read only some columns or rows of a large run.
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
        files: dict[str, Path] | None = None,
    ) -> None:
        self.scenario = scenario
        self.runs = runs
        self._frames: dict[str, pd.DataFrame | None] = {"steps": steps, "moves": moves}
        self._files: dict[str, Path] = dict(files or {})
        self.timings = timings or {}
        self.manifest = manifest or {}
        self.folder: Path | None = None
        self._spool: weakref.finalize | None = None

    @classmethod
    def streamed(cls, scenario: Scenario, runs: pd.DataFrame, spool: Path, *, timings: dict[str, float]) -> Results:
        """Results whose steps and moves were streamed into the private folder ``spool`` (removed with them)."""
        res = cls(scenario, runs, timings=timings, files={k: spool / f"{k}.parquet" for k in ("steps", "moves")})
        res._spool = weakref.finalize(res, shutil.rmtree, spool, True)
        return res

    def __repr__(self) -> str:
        return f"Results({self.scenario.name!r}, replicates={len(self.runs):,}, record={self.record!r})"

    # ------------------------------------------------------------------ steps and moves
    @property
    def record(self) -> str:
        """``"steps"`` when steps and moves were recorded, else ``"summary"``."""
        return "steps" if self._frames["steps"] is not None or "steps" in self._files else "summary"

    def _table(self, name: str) -> pd.DataFrame | None:
        frame = self._frames[name]
        if frame is None and name in self._files:
            frame = self._frames[name] = self._read(name)
        return frame

    def _read(self, name: str, columns: Sequence[str] | None = None, filters: Any = None) -> pd.DataFrame:
        return read_frame(self._files[name], columns, filters)

    @property
    def steps(self) -> pd.DataFrame | None:
        """A row per replicate and step (read from disk on first use; may be large), or None."""
        return self._table("steps")

    @steps.setter
    def steps(self, value: pd.DataFrame | None) -> None:
        self._frames["steps"] = value
        self._files.pop("steps", None)

    @property
    def moves(self) -> pd.DataFrame | None:
        """A row per move made (read from disk on first use), or None."""
        return self._table("moves")

    @moves.setter
    def moves(self, value: pd.DataFrame | None) -> None:
        self._frames["moves"] = value
        self._files.pop("moves", None)

    def read_steps(
        self, columns: Sequence[str] | None = None, replicates: Sequence[int] | None = None
    ) -> pd.DataFrame | None:
        """Some columns (``step`` and ``replicate`` always) of some replicates' steps, without reading the rest."""
        return self._part("steps", columns, replicates)

    def read_moves(
        self, columns: Sequence[str] | None = None, replicates: Sequence[int] | None = None
    ) -> pd.DataFrame | None:
        """Some columns (``step`` and ``replicate`` always) of some replicates' moves, without reading the rest."""
        return self._part("moves", columns, replicates)

    def _part(self, name: str, columns: Sequence[str] | None, replicates: Sequence[int] | None) -> pd.DataFrame | None:
        keys = ["step", "replicate"]
        cols = None if columns is None else [*keys, *(c for c in columns if c not in keys)]
        frame = self._frames[name]
        if frame is None and name in self._files:
            ids = None if replicates is None else [("replicate", "in", [int(r) for r in replicates])]
            return self._read(name, cols, ids)
        if frame is None:
            return None
        if replicates is not None:
            frame = frame[frame["replicate"].isin(list(replicates))].reset_index(drop=True)
        return frame if cols is None else frame[cols]

    def _repr_html_(self) -> str:
        """The outcome table with bars and the run's sizes, for Jupyter (no matplotlib)."""
        facts: list[tuple[str, object]] = [
            ("replicates", f"{len(self.runs):,}"),
            ("seed", self.scenario.seed),
            ("horizon", f"{self.scenario.horizon} steps"),
            ("record", self.record),
        ]
        if self.record == "steps":
            facts.append(("step rows", f"{self._row_counts().get('steps', 0):,}"))
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
            "record": self.record,
            "rows": self._row_counts(),
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
        check_new_path(out, field="out")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"cannot write results under {out.parent}: {exc.strerror}", file=out.parent, field="out"
            ) from None
        try:
            with out_of_space(out, f"writing {out}"), new_folder(out) as tmp:
                self.runs.to_parquet(tmp / "runs.parquet", index=False)
                for name in ("steps", "moves"):
                    if name in self._files:
                        _transfer(self._files[name], tmp / f"{name}.parquet")
                    elif self._frames[name] is not None:
                        write_frame(self._frames[name], tmp / f"{name}.parquet")  # type: ignore[arg-type]
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
        tables: dict[str, pd.DataFrame | Path] = {"runs": self.runs}
        for name in ("steps", "moves"):  # a table still on disk is streamed, not read whole
            frame = self._frames[name]
            if frame is not None:
                tables[name] = frame
            elif name in self._files:
                tables[name] = self._files[name]
        return export_tables(tables, out, format, manifest=self.manifest or None)

    def _row_counts(self) -> dict[str, int]:
        rows = {"runs": len(self.runs)}
        for name in ("steps", "moves"):
            frame = self._frames[name]
            if frame is not None:
                rows[name] = len(frame)
            elif name in self._files:
                rows[name] = pq.ParquetFile(self._files[name]).metadata.num_rows
        return rows

    @classmethod
    def load(cls, folder: str | Path) -> Results:
        """Read a run folder written by :meth:`save` (steps and moves are read when first used).

        The manifest must be whole and every table readable with the rows the manifest
        records; anything else is refused, naming the file.

        Raises:
            InputError: the folder is not a run folder, or it is damaged.
        """
        folder = Path(folder)
        manifest = read_manifest(folder, "run", "hedgesim-run/1")
        mpath = folder / "manifest.json"
        scenario = validate_data(require(manifest, mpath, "scenario", dict), label=str(mpath))
        replicates = require(manifest, mpath, "replicates", int)
        record = manifest.get("record", "summary")
        rows = manifest.get("rows") if isinstance(manifest.get("rows"), dict) else {}
        runs = read_table(folder / "runs.parquet", replicates, needed=("replicate", "outcome", "side"))
        files = {}
        if record == "steps":
            for name, expected in (("steps", replicates * (scenario.horizon + 1)), ("moves", rows.get("moves"))):
                parquet_rows(folder / f"{name}.parquet", expected)
                files[name] = folder / f"{name}.parquet"
        res = cls(scenario, runs, timings=manifest.get("timings"), manifest=manifest, files=files)
        res.folder = folder
        return res


def _transfer(src: Path, dest: Path) -> None:
    """Put a streamed table into the folder being assembled: a hard link on the same disk, else a copy."""
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


def new_run_folder(root: str | Path, scenario_name: str) -> Path:
    """``root/<scenario>/<UTC timestamp>``, with a suffix if that name is taken."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = Path(root) / scenario_name / stamp
    out, k = base, 1
    while out.exists():
        out = base.with_name(f"{stamp}-{k}")
        k += 1
    return out
