"""One replicate told as a story: what each actor did, when and why, and how it ended.

Moves repeated step after step (a monthly course, a posture adjusting, a standing policy)
are told once as a spell with its first and last date and how often; one-off moves
(a base request, a sanction, a rescue) each get their own line. The reason given is the
one the acting rule or the scenario recorded with the move (``why`` in moves.parquet).

:func:`story` is ``Results.story``; :func:`story_table` is the same history move by move
with the month each happened, for a view that steps month by month (the dashboard).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..core import ROUTES
from ..errors import InputError

__all__ = ["STORY_COLUMNS", "month", "story", "story_table"]

_ROUTE_MEANING = {r.key: r.meaning for r in ROUTES}
#: The columns of :func:`story_table`, in order.
STORY_COLUMNS = ["step", "date", "actor", "move", "target", "intensity", "origin", "why", "new"]


def month(start: str, step: int, step_months: int) -> str:
    """The date (YYYY-MM) of a step, counting from the scenario's start."""
    y, m = (int(x) for x in start.split("-"))
    total = (y * 12 + m - 1) + int(step) * step_months
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def story(
    runs: pd.DataFrame, moves: pd.DataFrame | None, replicate: int, *, start: str, step_months: int
) -> pd.DataFrame:
    """The story of ``replicate`` as a table (one row per spell of moves, then the outcome).

    Raises:
        InputError: the moves were not recorded, or no such replicate.
    """
    if moves is None:
        raise InputError("a story needs the moves: run with record='steps' (--record steps)", field="record")
    row = runs.loc[runs["replicate"] == replicate]
    if row.empty:
        raise InputError(
            f"no replicate {replicate} (replicates {int(runs['replicate'].min())}-{int(runs['replicate'].max())})",
            field="replicate",
        )
    mine = moves.loc[moves["replicate"] == replicate]
    key = ["source", "target", "move", "origin", "why"]
    mine = mine.astype({k: str for k in key}).sort_values([*key, "step"], kind="stable")
    # A spell: the same move, by the same actor, for the same reason, in consecutive steps.
    spell = (mine.groupby(key, sort=False)["step"].diff() != 1).cumsum()
    spells = (
        mine.groupby(spell)
        .agg(
            first=("step", "min"),
            last=("step", "max"),
            times=("step", "size"),
            actor=("source", "first"),
            move=("move", "first"),
            target=("target", "first"),
            low=("intensity", "min"),
            high=("intensity", "max"),
            origin=("origin", "first"),
            why=("why", "first"),
        )
        .sort_values(["first", "actor", "move"], kind="stable")
    )
    out: list[dict[str, Any]] = []
    for s in spells.itertuples():
        size = f"{s.low:.3g}" if s.low == s.high else f"{s.low:.3g}-{s.high:.3g}"
        out.append(
            {
                "from": month(start, s.first, step_months),
                "to": month(start, s.last, step_months),
                "step": int(s.first),
                "actor": s.actor,
                "move": s.move,
                "target": s.target,
                "times": int(s.times),
                "intensity": size,
                "origin": s.origin,
                "why": s.why,
            }
        )
    r = row.iloc[0]
    side = f" ({r['side']})" if str(r["side"]) else ""
    decided = int(r["outcome_step"])
    out.append(
        {
            "from": month(start, decided, step_months),
            "to": month(start, decided, step_months),
            "step": decided,
            "actor": "",
            "move": f"OUTCOME: {r['outcome']}{side}",
            "target": "",
            "times": 1,
            "intensity": "",
            "origin": "model",
            "why": _ROUTE_MEANING.get(str(r.get("route", "")), ""),
        }
    )
    return pd.DataFrame(out).sort_values("step", kind="stable", ignore_index=True)


def story_table(moves: pd.DataFrame, replicate: int, *, start: str, step_months: int) -> pd.DataFrame:
    """Every move of ``replicate`` in order, with its month, origin and reason: the story move by move.

    ``new`` is False for a move the same actor also made on the same target the step
    before (a spell going on), so a month-by-month view can tell what changed.
    """
    rows = moves.loc[moves["replicate"] == replicate]
    table = pd.DataFrame(
        {
            "step": rows["step"].astype("int64").to_numpy(),
            "actor": rows["source"].astype(str).to_numpy(),
            "move": rows["move"].astype(str).to_numpy(),
            "target": rows["target"].astype(str).to_numpy(),
            "intensity": rows["intensity"].astype(float).to_numpy(),
            "origin": rows["origin"].astype(str).to_numpy(),
            "why": rows["why"].astype(str).to_numpy(),
        }
    )
    table["date"] = [month(start, s, step_months) for s in table["step"]]
    previous = table.groupby(["actor", "move", "target"], sort=False)["step"].shift()
    table["new"] = previous.isna() | (table["step"] - previous != 1)
    return table.sort_values("step", kind="stable", ignore_index=True)[STORY_COLUMNS]
