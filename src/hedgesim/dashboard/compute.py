"""What a control change recomputes: the outcome distribution of an ensemble and the time to loss of neutrality.

:func:`summarise` runs the ensemble through :func:`hedgesim.run` with the levers as
overrides (so they pass the scenario's validation) and reduces it to a small immutable
:class:`Summary`, which pages share safely: the same settings give the same summary, kept
in a small cache.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np

from ..analysis import outcome_labels, outcome_shares, share_interval
from ..core import OUTCOMES_BY_SIDE, outcome
from ..ensemble import base_scenario, run
from ..scenario import lever_overrides
from .controls import Settings

__all__ = ["ShareRow", "Summary", "summarise"]


@dataclass(frozen=True)
class ShareRow:
    """One outcome's share of the ensemble with its 95% Wilson interval."""

    key: str
    label: str
    colour: str
    n: int
    share: float
    lo: float
    hi: float


@dataclass(frozen=True)
class Summary:
    """An ensemble reduced to what the page draws.

    Attributes:
        key: the settings' key (the page marks the chart with it).
        scenario: the scenario's name.
        replicates: ensemble size.
        rows: outcome shares, bandwagoning split by side.
        lost: share of replicates that lost neutrality before the horizon, with its interval.
        months_to_loss: 25th, 50th and 75th percentile of the month neutrality was lost, among those.
        curves: per outcome other than neutrality, the cumulative share of replicates lost to it
            by each month (index = month, 0 to the horizon).
        month: months per step.
        lost_replicates: the first few replicates that lost neutrality (stories worth telling).
        seconds: time taken to run and summarise the ensemble.
    """

    key: str
    scenario: str
    replicates: int
    rows: tuple[ShareRow, ...]
    lost: tuple[float, float, float]
    months_to_loss: tuple[float, float, float] | None
    curves: tuple[tuple[str, tuple[float, ...]], ...]
    month: int
    lost_replicates: tuple[int, ...]
    seconds: float

    def next_lost(self, after: int) -> int | None:
        """A replicate that lost neutrality, the first after ``after`` (wrapping round), if any."""
        later = [r for r in self.lost_replicates if r > after]
        return (later or list(self.lost_replicates) or [None])[0]


@functools.lru_cache(maxsize=64)
def summarise(settings: Settings) -> Summary:
    """Run the ensemble the settings describe and summarise it (kept for the last 64 settings).

    Raises:
        InputError: the settings do not make a valid scenario.
    """
    t0 = time.perf_counter()
    sc = base_scenario(settings.scenario)
    res = run(
        sc,
        replicates=settings.replicates,
        overrides=lever_overrides(sc, dict(settings.levers)),
        progress=False,
        **settings.run_options(),
    )
    runs = res.runs
    shares = outcome_shares(runs, by_side=True)
    rows = tuple(
        ShareRow(outcome(label).key, label, outcome(label).colour, int(r.n), float(r.share), float(r.lo), float(r.hi))
        for label, r in shares.iterrows()
    )
    labels = outcome_labels(runs, by_side=True).to_numpy()
    lost = labels != "neutrality_kept"
    share, lo, hi = share_interval(int(lost.sum()), len(runs))
    months = runs["outcome_step"].to_numpy()[lost] * res.scenario.step_months
    quartiles = tuple(float(q) for q in np.percentile(months, [25, 50, 75])) if lost.any() else None
    horizon = res.scenario.horizon
    curves = []
    for o in OUTCOMES_BY_SIDE[1:]:
        steps = runs["outcome_step"].to_numpy()[labels == o.label]
        counts = np.bincount(np.clip(steps, 0, horizon), minlength=horizon + 1)
        curves.append((o.key, tuple(float(x) for x in np.round(np.cumsum(counts) / len(runs), 6))))
    first = runs["replicate"].to_numpy()[lost]
    return Summary(
        key=settings.key(),
        scenario=res.scenario.name,
        replicates=len(runs),
        rows=rows,
        lost=(float(share), float(lo), float(hi)),
        months_to_loss=quartiles,  # type: ignore[arg-type]
        curves=tuple(curves),
        month=res.scenario.step_months,
        lost_replicates=tuple(int(r) for r in first[:50]),
        seconds=time.perf_counter() - t0,
    )
