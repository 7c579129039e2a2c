"""Scenarios side by side: outcome shares with intervals and differences against the first.

Differences of independent ensembles get Newcombe's hybrid score interval. Ensembles
run on common random numbers (same seed, actors, roles and rules, so replicate i of each
draws the same random stream) are paired replicate by replicate; their difference gets
Newcombe's paired interval, with Tango's score interval and the unpaired one alongside.
Whether two ensembles are paired is decided from their scenarios by the caller
(:func:`hedgesim.studies.crn_pairing`), never guessed from the outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..core import OUTCOMES_BY_SIDE
from ..core import outcome as outcome_entry
from ..errors import InputError
from ..util import md_table
from .intervals import LEVEL, newcombe_interval, newcombe_paired_interval, tango_interval, wilson_interval
from .shares import outcome_keys

#: Outcomes compared by default: the by-side split, which sums to one.
COMPARE_OUTCOMES = tuple(o.key for o in OUTCOMES_BY_SIDE)
#: Columns of a comparison table, in order.
COLUMNS = (
    "scenario",
    "outcome",
    "n",
    "k",
    "share",
    "lo",
    "hi",
    "delta",
    "delta_lo",
    "delta_hi",
    "method",
    "unpaired_lo",
    "unpaired_hi",
    "tango_lo",
    "tango_hi",
    "only_scenario",
    "only_reference",
)


def outcome_indicator(runs: pd.DataFrame, key: str) -> np.ndarray:
    """True for each replicate whose outcome is ``key`` (``bandwagoning_patron`` also checks the side).

    Raises:
        InputError: ``key`` is not an outcome.
    """
    try:
        entry = outcome_entry(key)
    except KeyError:
        raise InputError(f"unknown outcome {key!r}", field="outcome") from None
    hit = runs["outcome"].astype(str).to_numpy() == entry.outcome
    if entry.side:
        hit &= runs["side"].astype(str).to_numpy() == entry.side
    return hit


def compare_runs(
    runs: Mapping[str, pd.DataFrame],
    paired: Mapping[str, bool] | bool = False,
    outcomes: Sequence[str] | str | None = None,
    level: float = LEVEL,
) -> pd.DataFrame:
    """Outcome shares of several ensembles and their differences against the first.

    ``runs`` maps a name to a runs table; the first is the reference. ``paired`` says,
    per name (or for all), whether that ensemble shares common random numbers with the
    reference; paired tables must then hold the same replicate ids.

    Returns one row per (scenario, outcome) with the columns of :data:`COLUMNS`:
    ``n, k, share, lo, hi`` (Wilson); for the others ``delta`` (scenario - reference),
    ``delta_lo, delta_hi`` and ``method`` (``newcombe`` or ``newcombe_paired``), the
    independent-samples interval ``unpaired_lo, unpaired_hi`` always, and for paired rows
    Tango's ``tango_lo, tango_hi`` and the discordant counts ``only_scenario`` (replicates
    with the outcome here but not in the reference) and ``only_reference``.

    Raises:
        InputError: no ensembles, an empty one, an unknown outcome, or paired tables whose
            replicate ids differ.
    """
    names = list(runs)
    if not names:
        raise InputError("nothing to compare", field="scenarios")
    keys = outcome_keys(outcomes, COMPARE_OUTCOMES)
    reference = runs[names[0]]
    ref_ids = reference["replicate"].to_numpy()
    rows: list[dict[str, Any]] = []
    for j, name in enumerate(names):
        df = runs[name]
        if len(df) == 0:
            raise InputError(f"{name} has no runs", field="scenarios")
        is_paired = j > 0 and bool(paired.get(name, False) if isinstance(paired, Mapping) else paired)
        if is_paired and not np.array_equal(df["replicate"].to_numpy(), ref_ids):
            raise InputError(f"{name} cannot be paired with {names[0]}: their replicate ids differ", field="scenarios")
        for key in keys:
            x = outcome_indicator(df, key)
            k, n = int(x.sum()), len(x)
            lo, hi = wilson_interval(k, n, level)
            row: dict[str, Any] = {"scenario": name, "outcome": key, "n": n, "k": k, "share": k / n}
            row.update(lo=float(lo), hi=float(hi))
            if j > 0:
                y = outcome_indicator(reference, key)
                delta, ulo, uhi = newcombe_interval(int(y.sum()), len(y), k, n, level)
                row.update(delta=delta, unpaired_lo=ulo, unpaired_hi=uhi)
                if is_paired:
                    both, only_ref, only_here = int((x & y).sum()), int((y & ~x).sum()), int((x & ~y).sum())
                    _, plo, phi = newcombe_paired_interval(
                        both, only_ref, only_here, n - both - only_ref - only_here, level
                    )
                    _, tlo, thi = tango_interval(only_here, only_ref, n, level)
                    row.update(delta_lo=plo, delta_hi=phi, method="newcombe_paired", tango_lo=tlo, tango_hi=thi)
                    row.update(only_scenario=only_here, only_reference=only_ref)
                else:
                    row.update(delta_lo=ulo, delta_hi=uhi, method="newcombe")
            rows.append(row)
    out = pd.DataFrame(rows).reindex(columns=list(COLUMNS))
    for col in ("only_scenario", "only_reference"):
        out[col] = out[col].astype("Int64")
    out["method"] = out["method"].astype("string")
    out.attrs.update(reference=names[0], level=level)
    return out


def _pct(x: float) -> str:
    return "" if pd.isna(x) else f"{100 * x:.1f}%"


def _pp(x: float) -> str:
    return "" if pd.isna(x) else f"{100 * x:+.1f}"


def comparison_cells(table: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """The comparison as formatted cells: an outcome per row, per scenario its share, then its difference.

    A difference cell reads ``-10.0 [-10.9, -9.1] paired`` (percentage points, the interval
    of its ``method``); shares read ``52.0% [50.5%, 53.6%]``.
    """
    reference = table.attrs.get("reference", table["scenario"].iloc[0])
    level = round(100 * table.attrs.get("level", LEVEL))
    scenarios = list(dict.fromkeys(table["scenario"]))
    outcomes = list(dict.fromkeys(table["outcome"]))
    header = ["outcome"]
    for s in scenarios:
        header.append(f"{s} share [{level}% CI]")
        if s != reference:
            header.append(f"{s} − {reference} (pp) [{level}% CI]")
    by = table.set_index(["scenario", "outcome"])
    rows = []
    for o in outcomes:
        row = [outcome_entry(o).label]
        for s in scenarios:
            r = by.loc[(s, o)]
            row.append(f"{_pct(r['share'])} [{_pct(r['lo'])}, {_pct(r['hi'])}]")
            if s != reference:
                tag = " paired" if r["method"] == "newcombe_paired" else ""
                row.append(f"{_pp(r['delta'])} [{_pp(r['delta_lo'])}, {_pp(r['delta_hi'])}]{tag}")
        rows.append(row)
    return header, rows


def comparison_markdown(table: pd.DataFrame, notes: Sequence[str] = ()) -> str:
    """The comparison as a Markdown table, with notes (e.g. on pairing) as lines below it."""
    header, rows = comparison_cells(table)
    lines = md_table(header, rows)
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"
