"""A finished sweep read back from its folder: points, summary, runs and sensitivity indices."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis import flag_sensitivity, morris_indices, outcome_keys, share_interval, sobol_indices
from ..core import ALL_OUTCOMES, OUTCOME_NAMES, OUTCOMES_BY_SIDE, SIDE_KEYS
from ..ensemble import export_tables, free_folder, results_html
from ..errors import InputError
from ..scenario import format_path, parse_path
from .designs import DESIGNS
from .store import FORMAT, Store

#: Outcomes whose probability gets sensitivity indices.
SENSITIVITY_OUTCOMES = tuple(o.key for o in ALL_OUTCOMES)


class SweepResults:
    """A finished (or partly failed) sweep read back from its folder.

    ``points``: a row per design point; ``summary``: outcome shares per point with 95%
    Wilson intervals; ``runs`` (read on first use; may be large): a row per replicate.
    """

    def __init__(self, folder: Path, manifest: dict[str, Any], points: pd.DataFrame, summary: pd.DataFrame) -> None:
        self.folder = folder
        self.manifest = manifest
        self.points = points
        self.summary = summary
        self._runs: pd.DataFrame | None = None

    @classmethod
    def load(cls, folder: str | Path) -> SweepResults:
        """Read a finished sweep folder.

        Raises:
            InputError: the folder is not a sweep's or has not finished.
        """
        folder = Path(folder)
        try:
            manifest = json.loads((folder / "manifest.json").read_text())
        except (OSError, ValueError):
            raise InputError("not a sweep folder (no readable manifest.json)", file=folder) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise InputError("not a sweep folder (the manifest is not a sweep's)", file=folder)
        if not (folder / "summary.parquet").exists():
            raise InputError(
                "the sweep has not finished (no summary.parquet): resume it with "
                f"hedgesim sweep SWEEP --resume {folder}",
                file=folder,
            )
        return cls(
            folder, manifest, pd.read_parquet(folder / "points.parquet"), pd.read_parquet(folder / "summary.parquet")
        )

    def __repr__(self) -> str:
        return (
            f"SweepResults({self.manifest['name']!r}, design={self.design!r}, points={len(self.points):,}, "
            f"replicates={self.manifest['replicates']:,})"
        )

    def _repr_html_(self) -> str:
        """Design, sizes and the outcome shares over all runs (table and bars), for Jupyter (no matplotlib)."""
        n = int(self.summary["n"].sum())
        rows = []
        for o in OUTCOMES_BY_SIDE:
            k = int(self.summary[f"{o.key}_n"].sum())
            share, lo, hi = (float(v) for v in share_interval(k, n))
            rows.append({"outcome": o.label, "n": k, "share": share, "lo": lo, "hi": hi})
        shares = pd.DataFrame(rows).set_index("outcome")
        facts: list[tuple[str, object]] = [
            ("design", self.design),
            ("points", f"{len(self.points):,}"),
            ("replicates per point", f"{int(self.manifest['replicates']):,}"),
            ("runs", f"{n:,}"),
            ("parameters", ", ".join(self.params)),
            ("folder", str(self.folder)),
        ]
        missing = int((self.summary["n"] < self.summary["replicates"]).sum())
        note = "shares over all runs of the design (averaged over its parameter space)"
        if missing:
            note += f"; {missing:,} point(s) have fewer runs than planned (failed chunks)"
        return results_html(f"SweepResults: {self.manifest['name']}", facts, shares, note)

    def summary_long(self) -> pd.DataFrame:
        """The summary in tidy (long) form: a row per point and outcome.

        Columns: ``point``, the parameters, ``outcome`` (key), ``label``, ``n`` (runs at the
        point), ``k`` (runs with the outcome), ``share``, ``lo``, ``hi`` (95% Wilson).
        """
        frames = []
        base = self.summary[["point", *self.params, "n"]]
        for o in ALL_OUTCOMES:
            part = base.copy()
            part.insert(len(self.params) + 1, "outcome", o.key)
            part.insert(len(self.params) + 2, "label", o.label)
            part["k"] = self.summary[f"{o.key}_n"].to_numpy()
            for col, suffix in (("share", ""), ("lo", "_lo"), ("hi", "_hi")):
                part[col] = self.summary[f"{o.key}{suffix}"].to_numpy()
            frames.append(part)
        return pd.concat(frames, ignore_index=True).sort_values(["point"], kind="stable", ignore_index=True)

    def export(self, out: str | Path | None = None, format: str = "csv") -> Path:
        """Write points, summary, runs (streamed) and the design as CSV in a new folder; return it.

        ``out`` defaults to ``<folder>/csv`` (``csv-2``... if taken).

        Raises:
            InputError: an unknown format, or ``out`` exists or cannot be written.
        """
        tables: dict[str, Any] = {"points": self.points, "summary": self.summary}
        tables["runs"] = self.folder / "runs.parquet"
        if (self.folder / "design.parquet").exists():
            tables["design"] = self.folder / "design.parquet"
        target = free_folder(self.folder, format) if out is None else Path(out)
        return export_tables(tables, target, format, manifest=self.manifest)

    @property
    def params(self) -> list[str]:
        """The swept parameters' names."""
        return list(self.manifest["parameters"])

    @property
    def design(self) -> str:
        """The design's name."""
        return str(self.manifest["design"])

    @property
    def runs(self) -> pd.DataFrame:
        """A row per replicate (read on first use; may be large)."""
        if self._runs is None:
            runs = pd.read_parquet(self.folder / "runs.parquet")
            runs["outcome"] = pd.Categorical(runs["outcome"], categories=list(OUTCOME_NAMES))
            runs["side"] = pd.Categorical(runs["side"], categories=list(SIDE_KEYS))
            self._runs = runs
        return self._runs

    def read_runs(self, columns: Sequence[str] | None = None, points: Sequence[int] | None = None) -> pd.DataFrame:
        """Some columns of the runs, optionally of some points only, read from disk without loading the rest.

        For large sweeps: ``runs`` holds every column of every run in memory.
        """
        filters = [("point", "in", [int(p) for p in points])] if points is not None else None
        runs = pd.read_parquet(
            self.folder / "runs.parquet", columns=list(columns) if columns else None, filters=filters
        )
        for col, cats in (("outcome", OUTCOME_NAMES), ("side", SIDE_KEYS)):
            if col in runs.columns:
                runs[col] = pd.Categorical(runs[col], categories=list(cats))
        return runs

    @property
    def unit(self) -> pd.DataFrame | None:
        """Sampled designs' unit-cube coordinates (None for a grid)."""
        path = self.folder / "design.parquet"
        return pd.read_parquet(path) if path.exists() else None

    @property
    def failures(self) -> list[dict[str, Any]]:
        """Failure records of chunks that failed and have not been run since."""
        return Store(self.folder).failure_records()

    def param(self, name: str) -> str:
        """A swept parameter's canonical name, from any spelling of its path.

        Raises:
            InputError: the sweep did not vary it.
        """
        if name in self.params:
            return name
        try:
            canon = format_path(parse_path(name))
        except InputError:
            canon = name
        if canon not in self.params:
            raise InputError(f"unknown parameter {name!r} (swept: {', '.join(self.params)})", field="param")
        return canon

    @property
    def supports_sensitivity(self) -> bool:
        """The design supports sensitivity indices (Sobol or Morris)."""
        design = DESIGNS.get(self.design)
        return design is not None and design.indices is not None

    def sensitivity(
        self, outcomes: Sequence[str] | None = None, num_resamples: int = 1000, flags: bool = False
    ) -> pd.DataFrame:
        """SALib indices of each outcome's probability: S1/ST (sobol) or mu*/sigma (morris), with 95% intervals.

        With ``flags``, also what not to read: a rare or noisy outcome, an interval wider
        than its index, an impossible value (:func:`hedgesim.analysis.flag_sensitivity`).

        Raises:
            InputError: the design has no indices, or some points have no runs.
        """
        if not self.supports_sensitivity:
            raise InputError(
                f"sensitivity indices need a sobol or morris design; this sweep's is {self.design!r}",
                file=self.folder,
                field="design",
            )
        summary = self.summary.sort_values("point")
        missing = int((summary["n"] == 0).sum())
        if missing:
            raise InputError(
                f"{missing} design point(s) have no runs (failed chunks); resume the sweep so every "
                "point has runs before computing indices",
                file=self.folder,
                field="summary",
            )
        seed = int(self.manifest["seed"]) % 2**32
        outputs: dict[str, Any] = {
            key: summary[key].to_numpy(dtype=float) for key in outcome_keys(outcomes, SENSITIVITY_OUTCOMES)
        }
        if DESIGNS[self.design].indices == "sobol":
            table = sobol_indices(self.params, outputs, seed=seed, num_resamples=num_resamples)
        else:
            unit = self.unit
            if unit is None:
                raise InputError("design.parquet is missing from the sweep folder", file=self.folder)
            x = unit.sort_values("point")[self.params].to_numpy(dtype=float)
            levels = int(self.manifest["spec"].get("morris_levels", 4))
            table = morris_indices(self.params, x, outputs, levels=levels, seed=seed, num_resamples=num_resamples)
        return flag_sensitivity(table, summary) if flags else table
