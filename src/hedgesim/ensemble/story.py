"""One replicate's history as a readable table: who did what to whom, when, and why.

Built from the moves table (``Results.moves``, or :meth:`HedgeModel.tables` of a model
being stepped), so the notebooks and the dashboard tell the same story. Each move says
where it came from (``origin``): a scripted event (with its label), a trigger (with its
label) or the actor's decision rule, and why in words (the move's meaning in the
catalogue). When the moves table carries its own ``origin`` column that is used as it
is; otherwise the origin is inferred from the scenario's events, triggers and rules.

This is the one place the story is built: when ``Results.story(replicate)`` exists
(issue 8, "runs that explain themselves"), :func:`replicate_story` is where to use it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd

from ..core import MOVES
from ..errors import InputError
from ..rules import rule_class
from ..scenario import Scenario
from .results import Results

__all__ = ["STORY_COLUMNS", "month_label", "replicate_story", "story_table", "tell"]

#: The columns of a story table, in order.
STORY_COLUMNS = ["step", "date", "actor", "move", "target", "intensity", "origin", "why", "new"]


def month_label(scenario: Scenario, step: int) -> str:
    """``YYYY-MM`` of the month in which step ``step`` happens (step 0 is the scenario's start)."""
    y0, m0 = (int(s) for s in scenario.start.split("-"))
    months = y0 * 12 + (m0 - 1) + int(step) * scenario.step_months
    return f"{months // 12}-{months % 12 + 1:02d}"


def _origin_of(scenario: Scenario) -> Callable[[int, str, str, str], str]:
    """Where a move of this scenario came from, when the moves table does not say."""
    spans: dict[tuple[str, str, str], list[tuple[int, int, str]]] = {}
    for ev in scenario.events:
        if ev.move is not None:
            start = scenario.event_step(ev)
            key = (ev.actor or "", ev.move, ev.target or "")
            spans.setdefault(key, []).append((start, start + ev.duration - 1, f"event: {ev.label or ev.move}"))

    @functools.cache
    def origin(step: int, actor: str, move: str, target: str) -> str:
        for first, last, label in spans.get((actor, move, target), ()):
            if first <= step <= last:
                return label
        spec = scenario.actors[actor].rule
        rule = rule_class(scenario.actors[actor].role, spec.name if spec else None)
        named = [
            f"trigger: {t.label or t.when}"
            for t in scenario.triggers
            if t.actor == actor and t.move == move and (t.target or "") == target
        ]
        if named and move not in getattr(rule, "moves", ()):
            return named[0]
        return f"rule {rule.__name__}" + (f" or {named[0]}" if named else "")

    return origin


def story_table(scenario: Scenario, moves: pd.DataFrame, replicate: int) -> pd.DataFrame:
    """Every move of one replicate, in order, with its date, origin and meaning.

    ``new`` is False for a move the same actor also made on the same target the step
    before (a spell continuing), so a month-by-month view can show what changed.
    """
    rows = moves[moves["replicate"] == replicate]
    table = pd.DataFrame(
        {
            "step": rows["step"].astype("int64").to_numpy(),
            "actor": rows["source"].astype(str).to_numpy(),
            "move": rows["move"].astype(str).to_numpy(),
            "target": rows["target"].astype(str).to_numpy(),
            "intensity": rows["intensity"].astype(float).to_numpy(),
        }
    )
    table["date"] = [month_label(scenario, s) for s in table["step"]]
    if "origin" in rows:
        table["origin"] = rows["origin"].astype(str).to_numpy()
    else:
        origin = _origin_of(scenario)
        table["origin"] = [
            origin(int(step), actor, move, target)
            for step, actor, move, target in zip(
                table["step"], table["actor"], table["move"], table["target"], strict=True
            )
        ]
    table["why"] = [MOVES[m].meaning if m in MOVES else "" for m in table["move"]]
    key = ["actor", "move", "target"]
    previous = table.groupby(key, sort=False)["step"].shift()
    table["new"] = previous.isna() | (table["step"] - previous != 1)
    return table.sort_values("step", kind="stable", ignore_index=True)[STORY_COLUMNS]


def replicate_story(res: Results, replicate: int) -> pd.DataFrame:
    """The story of one replicate of a run recorded with ``record="steps"`` (see :func:`story_table`).

    Raises:
        InputError: the run did not record its moves, or has no such replicate.
    """
    if res.moves is None:
        raise InputError("the story needs the moves: run with record='steps' (--record steps)", field="record")
    if replicate not in set(res.runs["replicate"]):
        raise InputError(f"no replicate {replicate} in this run of {len(res.runs):,}", field="replicate")
    return story_table(res.scenario, res.moves, replicate)


def tell(table: pd.DataFrame, *, min_intensity: float = 0.0) -> list[str]:
    """The story as lines of text, one per spell (a move repeated in consecutive months).

    ``min_intensity`` leaves out spells whose moves all stayed below it (small posture adjustments).
    """
    if table.empty:
        return []
    key = ["actor", "move", "target"]
    spell = table["new"].astype(int).groupby([table[k] for k in key], sort=False).cumsum()
    spells = (
        table.assign(spell=spell)
        .groupby([*key, "spell"], sort=False)
        .agg(
            first=("step", "min"),
            last=("step", "max"),
            start=("date", "first"),
            end=("date", "last"),
            times=("step", "size"),
            low=("intensity", "min"),
            high=("intensity", "max"),
            origin=("origin", "first"),
        )
        .reset_index()
        .sort_values(["first", "actor"], kind="stable")
    )
    lines = []
    for s in spells.itertuples():
        if s.high < min_intensity:
            continue
        when = s.start if s.times == 1 else f"{s.start} to {s.end} ({s.times} months)"
        size = f"{s.low:.3g}" if s.low == s.high else f"{s.low:.3g}-{s.high:.3g}"
        target = f" -> {s.target}" if s.target else ""
        lines.append(f"{when}: {s.actor}{target} {s.move} (intensity {size}; {s.origin})")
    return lines
