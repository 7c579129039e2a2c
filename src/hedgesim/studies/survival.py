"""``hedgesim.survival``: time to loss of neutrality and to each outcome, by scenario or by sweep point."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from ..analysis import LEVEL, incidence, neutrality_survival, survival_table
from ..ensemble import Results
from ..errors import InputError
from ..plots import pick_points, plot_survival
from ..plots.survival import point_label
from ..scenario import Scenario
from ..sweep import SweepResults
from ..util import save_new
from .targets import folder_kind, load_target, unique_names

#: Steps at which the survival table reports by default (months with monthly steps).
STEPS = (12, 36, 60, 120)


@dataclass
class Survival:
    """Runs in named groups (scenarios or sweep points) and their survival and incidence curves."""

    groups: dict[str, pd.DataFrame]
    step_months: int = 1
    title: str = ""
    level: float = LEVEL

    def _long(self, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        out = []
        for name, f in frames.items():
            f.insert(0, "group", name)
            out.append(f)
        return pd.concat(out, ignore_index=True)

    def curves(self) -> pd.DataFrame:
        """Kaplan-Meier of neutrality per group, every step (columns of :func:`hedgesim.analysis.kaplan_meier`)."""
        return self._long({n: neutrality_survival(r, level=self.level) for n, r in self.groups.items()})

    def incidence(self, by_side: bool = False) -> pd.DataFrame:
        """Cumulative incidence of each outcome per group, every step."""
        return self._long({n: incidence(r, by_side=by_side, level=self.level) for n, r in self.groups.items()})

    def table(self, steps: Sequence[int] = STEPS) -> pd.DataFrame:
        """P(still neutral) and P(each outcome by then) at ``steps``, per group."""
        return self._long({n: survival_table(r, times=steps, level=self.level) for n, r in self.groups.items()})

    def figure(self) -> Figure:
        """Survival and cumulative incidence, one colour per group."""
        return plot_survival(self.groups, step_months=self.step_months, level=self.level, title=self.title)

    def save(self, folder: str | Path) -> list[Path]:
        """Write ``survival.csv`` (the table), ``survival_curves.csv`` and ``figures/survival.png``, never replacing."""
        from ..plots import save_figure

        folder = Path(folder)
        table, curves = self.table(), self.curves()
        return [
            save_new(folder, "survival", ".csv", lambda p: table.to_csv(p, index=False)),
            save_new(folder, "survival_curves", ".csv", lambda p: curves.to_csv(p, index=False)),
            save_figure(self.figure(), folder / "figures", "survival"),
        ]


def survival(
    *targets: Results | Scenario | SweepResults | str | Path,
    points: Sequence[int] | None = None,
    param: str | None = None,
    replicates: int | None = None,
    seed: int | None = None,
    level: float = LEVEL,
) -> Survival:
    """Survival and competing risks by scenario (runs, scenario files) or by point of one sweep.

    For a sweep (one :class:`SweepResults` or sweep folder): ``points`` to show, or five
    points spread along ``param`` (default: the first parameter).

    Raises:
        InputError: no targets, a sweep mixed with other targets, or a bad target.
    """
    if not targets:
        raise InputError("give at least one run folder, scenario file or sweep folder", field="targets")
    sweeps = [
        t
        for t in targets
        if isinstance(t, SweepResults) or (isinstance(t, str | Path) and folder_kind(Path(t)) == "sweep")
    ]
    if sweeps:
        if len(targets) > 1:
            raise InputError("survival by point takes one sweep folder alone", field="targets")
        res = targets[0] if isinstance(targets[0], SweepResults) else SweepResults.load(targets[0])  # type: ignore[arg-type]
        chosen = list(points) if points else pick_points(res, param)
        known = set(res.points["point"].tolist())
        bad = [p for p in chosen if p not in known]
        if bad:
            raise InputError(f"no design point {bad[0]} (the design has {len(known):,})", field="points")
        runs = res.read_runs(["point", "outcome", "side", "outcome_step"], points=chosen)
        groups = {point_label(res, p): runs[runs["point"] == p] for p in chosen}
        months = int(res.manifest.get("base_scenario", {}).get("step_months", 1) or 1)
        return Survival(groups, months, f"{res.manifest['name']}: time to outcome by point", level)
    if points or param:
        raise InputError("points and param are for a sweep folder", field="points")
    loaded = [load_target(t, replicates=replicates, seed=seed) for t in targets]  # type: ignore[arg-type]
    names = unique_names([r.scenario.name for r in loaded])
    title = "Time to outcome" if len(loaded) > 1 else f"{loaded[0].scenario.name}: time to outcome"
    return Survival(
        {n: r.runs for n, r in zip(names, loaded, strict=True)}, loaded[0].scenario.step_months, title, level
    )
