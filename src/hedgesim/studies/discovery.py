"""``hedgesim.discover``: which region of a sweep's parameter space leads to an outcome (PRIM and CART).

The result says it in one paragraph ("Escalation in 81% of runs when NATO posture > 0.58
and ..."), gives the box limits, the peeling trajectory (coverage against density) and,
with scikit-learn installed, a CART tree with its leaves. Saved into the sweep folder as
``discovery_<outcome>.md`` and figures, never replacing a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ..analysis import PrimResult, cart, describe_box, discovery_data, prim, readable
from ..analysis.discovery import LEVELS
from ..core import outcome as outcome_entry
from ..errors import InputError
from ..plots import leaves_table, plot_cart, plot_tradeoff, save_figure
from ..sweep import SweepResults
from ..util import md_table, save_new

#: Run-level discovery holds a row per run in memory; beyond this, use level="points".
MAX_ROWS = 2_000_000


@dataclass
class Discovery:
    """PRIM (and CART) on one outcome of a sweep, and the words for it."""

    sweep: SweepResults
    outcome: str
    level: str
    prim: PrimResult
    columns: list[str]
    point_threshold: float = 0.5
    tree: Any = None
    leaves: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """The selected PRIM box in one plain-language paragraph."""
        return describe_box(self.prim, self.outcome, self.level, point_threshold=self.point_threshold)

    def select(self, box: int) -> Discovery:
        """Describe another box of the trajectory (see :meth:`tradeoff_figure`); returns self.

        Raises:
            InputError: no such box.
        """
        if not 0 <= box < len(self.prim.trajectory):
            raise InputError(f"no box {box}: the trajectory has {len(self.prim.trajectory)}", field="box")
        self.prim.selected = int(box)
        return self

    def box_table(self) -> pd.DataFrame:
        """Limits of the selected box: a row per restricted parameter."""
        return self.prim.box_table()

    def tradeoff_figure(self) -> Figure:
        """PRIM's coverage against density along the peeling trajectory."""
        return plot_tradeoff(self.prim, self.outcome, self.level)

    def cart_figure(self) -> Figure:
        """The CART tree.

        Raises:
            InputError: CART was not run (scikit-learn missing, or ``cart=False``).
        """
        if self.tree is None:
            raise InputError("no CART tree: " + (" ".join(self.notes) or "run discover(..., cart=True)"), field="cart")
        return plot_cart(self.tree, self.columns, self.outcome)

    def markdown(self) -> str:
        """The summary, the box limits, the trajectory's selected step and the CART leaves, in Markdown."""
        label = outcome_entry(self.outcome).label
        s = self.prim.stats()
        lines = [f"# Scenario discovery: {label} ({self.sweep.manifest['name']})", "", self.summary, ""]
        lines += [
            f"PRIM ({self.prim.engine}), {self.level} level, density target {self.prim.threshold:.0%}: "
            f"box {self.prim.selected} of {len(self.prim.trajectory)}, coverage {s['coverage']:.0%}, "
            f"density {s['density']:.0%}, mass {s['mass']:.0%}.",
            "",
        ]
        rows = [
            [readable(r.parameter), f"{r.min:.3g}", f"{r.max:.3g}", f"{r.range_min:.3g} to {r.range_max:.3g}"]
            for r in self.box_table().itertuples()
        ]
        lines += md_table(["parameter", "box min", "box max", "sampled range"], rows) if rows else ["(no restriction)"]
        if self.leaves is not None:
            lines += ["", "## CART leaves (densest first)", ""]
            t = leaves_table(self.leaves)
            lines += md_table(list(t.columns), t.itertuples(index=False))
        if self.notes:
            lines += ["", *self.notes]
        return "\n".join(lines) + "\n"

    def save(self, folder: str | Path | None = None) -> list[Path]:
        """Write ``discovery_<outcome>.md``, ``prim_<outcome>.csv`` and figures into the sweep folder (or ``folder``).

        Nothing is replaced: a name in use gets ``-2``, ``-3``...
        """
        target = Path(folder) if folder is not None else self.sweep.folder
        key = self.outcome
        out = [save_new(target, f"discovery_{key}", ".md", lambda p: Path(p).write_text(self.markdown()))]
        traj = self.prim.trajectory
        out.append(save_new(target, f"prim_{key}", ".csv", lambda p: traj.to_csv(p, index_label="box")))
        out.append(save_figure(self.tradeoff_figure(), target / "figures", f"prim_{key}"))
        if self.tree is not None:
            out.append(save_figure(self.cart_figure(), target / "figures", f"cart_{key}"))
        return out

    def _repr_html_(self) -> str:
        return f"<div><b>Discovery: {escape(self.outcome)}</b><p>{escape(self.summary)}</p></div>"


def discover(
    sweep: SweepResults | str | Path,
    outcome: str = "escalation",
    *,
    threshold: float = 0.8,
    level: str = "runs",
    point_threshold: float = 0.5,
    engine: str = "numpy",
    cart_tree: bool | None = None,
    max_depth: int = 3,
) -> Discovery:
    """Find where in a sweep's parameter space ``outcome`` concentrates: PRIM, and CART when available.

    ``threshold``: the density PRIM's selected box should reach. ``level``: ``runs`` (a row
    per run) or ``points`` (a row per point, a case when its share reaches
    ``point_threshold``). ``engine``: ``numpy`` or ``ema`` (EMA Workbench's PRIM).
    ``cart_tree``: True to require CART (scikit-learn), False to skip it, None to run it
    when scikit-learn is installed.

    Raises:
        InputError: not a finished sweep folder, an unknown outcome, level or engine, a
            run-level problem too large to hold, or a required extra that is missing.
    """
    res = sweep if isinstance(sweep, SweepResults) else SweepResults.load(sweep)
    if level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}, got {level!r}", field="level")
    if level == "runs" and int(res.summary["n"].sum()) > MAX_ROWS:
        raise InputError(
            f"{int(res.summary['n'].sum()):,} runs are too many rows for run-level discovery "
            f"(limit {MAX_ROWS:,}): use level='points' (--level points)",
            field="level",
        )
    if not 0 < point_threshold <= 1:
        raise InputError(f"point_threshold must be in (0, 1], got {point_threshold}", field="point_threshold")
    try:
        key = outcome_entry(outcome).key
    except KeyError:
        raise InputError(f"unknown outcome {outcome!r}", field="outcome") from None
    runs = res.read_runs(["point", "outcome", "side"]) if level == "runs" else None
    x, y = discovery_data(
        res.points, res.params, key, runs=runs, summary=res.summary, level=level, point_threshold=point_threshold
    )
    if not y.any():
        raise InputError(
            f"no {'run' if level == 'runs' else 'point'} of the sweep is a case of {key}: nothing to find",
            field="outcome",
        )
    box = prim(x, y, threshold, engine=engine)
    found = Discovery(res, key, level, box, list(x.columns), point_threshold)
    if cart_tree is not False:
        try:
            found.tree, found.leaves = cart(x, y, max_depth=max_depth)
        except InputError as exc:
            if cart_tree:
                raise
            found.notes.append(f"CART skipped: {exc.message}.")
    return found
