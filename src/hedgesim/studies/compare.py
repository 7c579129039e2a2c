"""``hedgesim.compare``: scenarios or saved runs side by side, differences against the first, and a folder for it.

A comparison folder holds ``manifest.json``, ``comparison.csv`` (every number),
``comparison.md`` (the formatted table and the pairing notes), ``survival.csv``,
``figures/`` and each ensemble as a run folder under ``runs/``, so it can be reported
(``hedgesim report``) or loaded again without rerunning anything.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ..analysis import LEVEL, compare_runs, comparison_cells, comparison_markdown, survival_table
from ..ensemble import Results, versions
from ..errors import InputError
from ..plots import plot_comparison, plot_survival
from ..plots.style import DPI
from ..scenario import Scenario
from ..util import html_block, html_table, new_folder
from .targets import COMPARISON_FORMAT, crn_pairing, describe_source, folder_kind, load_target, unique_names

#: Steps at which the survival table reports (months with monthly steps).
SURVIVAL_STEPS = (12, 36, 60, 120)


class Comparison:
    """Several ensembles compared with the first: shares, differences, pairing and survival.

    ``results`` maps each name to its :class:`~hedgesim.ensemble.Results`; ``table`` is the
    long table of :func:`hedgesim.analysis.compare_runs`; ``pairing`` maps each name but
    the reference to (paired, why).
    """

    def __init__(
        self,
        results: dict[str, Results],
        outcomes: Sequence[str] | None = None,
        level: float = LEVEL,
        sources: Sequence[str] = (),
    ) -> None:
        if len(results) < 2:
            raise InputError("a comparison needs at least two scenarios or runs", field="targets")
        self.results = results
        self.names = list(results)
        self.reference = self.names[0]
        self.level = level
        self.sources = list(sources)
        self.folder: Path | None = None
        ref = results[self.reference]
        self.pairing = {n: crn_pairing(ref, results[n]) for n in self.names[1:]}
        self.table = compare_runs(
            {n: r.runs for n, r in results.items()}, {n: p for n, (p, _) in self.pairing.items()}, outcomes, level
        )

    def __repr__(self) -> str:
        paired = sum(p for p, _ in self.pairing.values())
        return f"Comparison({', '.join(map(repr, self.names))}; reference {self.reference!r}; {paired} paired)"

    def notes(self) -> list[str]:
        """One line per compared ensemble: paired on common random numbers or not, and why."""
        return [f"{name} vs {self.reference}: {why}." for name, (_, why) in self.pairing.items()]

    def markdown(self) -> str:
        """The table in Markdown with the pairing notes under it."""
        return comparison_markdown(self.table, self.notes())

    def survival_table(self, steps: Sequence[int] = SURVIVAL_STEPS) -> pd.DataFrame:
        """P(still neutral) and P(each outcome by then) at ``steps``, a block of rows per scenario."""
        frames = []
        for name, res in self.results.items():
            t = survival_table(res.runs, times=steps, level=self.level)
            t.insert(0, "scenario", name)
            frames.append(t)
        return pd.concat(frames, ignore_index=True)

    def figure(self) -> Figure:
        """Shares and differences (:func:`hedgesim.plots.plot_comparison`)."""
        return plot_comparison(self.table)

    def survival_figure(self) -> Figure:
        """Time to loss of neutrality and to each outcome, one colour per scenario."""
        months = self.results[self.reference].scenario.step_months
        return plot_survival({n: r.runs for n, r in self.results.items()}, step_months=months)

    def _repr_html_(self) -> str:
        header, rows = comparison_cells(self.table)
        numeric = [False] + [True] * (len(header) - 1)
        sizes = "; ".join(f"{n}: {len(r.runs):,} runs" for n, r in self.results.items())
        return html_block(
            f"Comparison with {self.reference}",
            html_table(header, rows, numeric=numeric),
            sizes + ". " + " ".join(self.notes()),
        )

    # ------------------------------------------------------------------ disk
    def save(self, out: str | Path, command: list[str] | None = None) -> Path:
        """Write the comparison to a new folder ``out`` (which must not exist), atomically; return it.

        Raises:
            InputError: ``out`` exists or cannot be written.
        """
        out = Path(out)
        if out.exists() or out.is_symlink():
            raise InputError(f"{out} already exists; results are never overwritten", file=out, field="out")
        try:
            with new_folder(out) as tmp:
                self.table.to_csv(tmp / "comparison.csv", index=False)
                (tmp / "comparison.md").write_text(self.markdown())
                self.survival_table().to_csv(tmp / "survival.csv", index=False)
                (tmp / "figures").mkdir()
                for stem, draw in (("comparison", self.figure), ("survival", self.survival_figure)):
                    fig = draw()
                    try:
                        fig.savefig(tmp / "figures" / f"{stem}.png", dpi=DPI)
                    finally:
                        plt.close(fig)
                (tmp / "runs").mkdir()
                for i, (name, res) in enumerate(self.results.items()):
                    keep = res.folder
                    res.save(tmp / "runs" / _slot(i, name), command=res.manifest.get("command") or command)
                    res.folder = keep
                (tmp / "manifest.json").write_text(json.dumps(self._manifest(command), indent=2, default=str) + "\n")
        except FileExistsError:
            raise InputError(f"{out} already exists; results are never overwritten", file=out, field="out") from None
        except OSError as exc:
            raise InputError(f"cannot write {out}: {exc.strerror or exc}", file=out, field="out") from None
        self.folder = out
        return out

    def _manifest(self, command: list[str] | None) -> dict[str, Any]:
        return {
            "format": COMPARISON_FORMAT,
            "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "reference": self.reference,
            "names": self.names,
            "runs": [f"runs/{_slot(i, n)}" for i, n in enumerate(self.names)],
            "sources": self.sources,
            "pairing": {n: {"paired": p, "why": why} for n, (p, why) in self.pairing.items()},
            "outcomes": list(dict.fromkeys(self.table["outcome"])),
            "level": self.level,
            "versions": versions(),
            "command": command if command is not None else list(sys.argv),
        }

    @classmethod
    def load(cls, folder: str | Path) -> Comparison:
        """Read a comparison folder written by :meth:`save` (nothing is rerun).

        Raises:
            InputError: the folder is not a comparison's.
        """
        folder = Path(folder)
        if folder_kind(folder) != "comparison":
            raise InputError("not a comparison folder (no comparison manifest.json)", file=folder)
        manifest = json.loads((folder / "manifest.json").read_text())
        results = {n: Results.load(folder / sub) for n, sub in zip(manifest["names"], manifest["runs"], strict=True)}
        cmp = cls(results, manifest["outcomes"], manifest["level"], manifest.get("sources", ()))
        cmp.folder = folder
        return cmp


def _slot(i: int, name: str) -> str:
    return f"{i + 1:02d}-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)


def compare(
    *targets: Results | Scenario | str | Path,
    replicates: int | None = None,
    seed: int | None = None,
    outcomes: Sequence[str] | None = None,
    level: float = LEVEL,
    names: Sequence[str] | None = None,
) -> Comparison:
    """Compare scenarios or runs with the first: shares, differences with intervals, pairing, survival.

    Each target is a saved run folder, a scenario file or :class:`~hedgesim.Scenario` (run
    now, with ``replicates`` and ``seed`` when given, else the scenario's own), or
    :class:`~hedgesim.Results`. Ensembles that share common random numbers with the first
    (:func:`crn_pairing`) get paired intervals; the comparison says which are and why.

    Raises:
        InputError: fewer than two targets, a target that is not a run or scenario, an
            unknown outcome, or ``names`` of the wrong length.
    """
    if len(targets) < 2:
        raise InputError("a comparison needs at least two scenarios or runs", field="targets")
    if names is not None and len(names) != len(targets):
        raise InputError(f"{len(names)} names for {len(targets)} targets", field="names")
    loaded = [load_target(t, replicates=replicates, seed=seed) for t in targets]
    labels = unique_names(list(names) if names else [r.scenario.name for r in loaded])
    return Comparison(dict(zip(labels, loaded, strict=True)), outcomes, level, [describe_source(t) for t in targets])
