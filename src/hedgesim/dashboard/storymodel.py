"""One replicate of the page's ensemble, stepped month by month by SolaraViz, telling its story.

:class:`StoryModel` is :class:`hedgesim.HedgeModel` with one replicate (the same random
stream as that replicate of the ensemble on the page) and its moves recorded. After each
step it adds the month to :attr:`StoryModel.months`: the state, the outcome so far, and
what each actor did and why (:func:`hedgesim.ensemble.story_table`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..analysis import outcome_labels
from ..ensemble import HedgeModel, month, story_table
from .controls import Settings

__all__ = ["Month", "StoryModel"]

#: The hedger's monthly course: shown every month (the dilemma), not only when it changes.
COURSES = ("lean_patron", "hedge", "lean_bloc")


@dataclass(frozen=True)
class Month:
    """One month of the story."""

    step: int  # months done (1 for the first month)
    date: str
    alignment: float
    tension: float
    outcome: str  # "undecided" until an outcome is reached
    decided: bool  # the outcome was reached this month
    moves: tuple[tuple[str, str, str, float, str, str], ...]  # (actor, move, target, intensity, origin, why)
    continuing: tuple[str, ...]  # "actor move" of moves that continue a spell


class StoryModel(HedgeModel):
    """The story replicate of a page, rebuilt from the page's settings.

    ``settings`` is the page's :class:`Settings` or a function returning the current
    ones: SolaraViz's Reset builds the model again from fixed parameters, and a function
    lets it use the levers as they are at that moment.
    """

    def __init__(self, *, settings: Settings | Callable[[], Settings] | None = None) -> None:
        current = settings() if callable(settings) else settings
        if current is None:
            current = Settings("baseline")
        self.settings = current
        super().__init__(
            scenario_name=current.scenario,
            replicates=1,
            first_replicate=current.replicate,
            record_steps=True,
            uncertainty=current.run_options().get("uncertainty"),
            **dict(current.levers),
        )
        self.replicate = current.replicate
        self.months: list[Month] = []
        self.outcome_label = "undecided"

    def step(self) -> None:
        """One month, then its line of the story."""
        before = self.t
        super().step()
        if self.t == before:
            return
        tables = self.tables()
        recent = tables.moves[tables.moves["step"] >= before - 1]
        sc = self.scenario_spec
        story = story_table(recent, self.replicate, start=sc.start, step_months=sc.step_months)
        now = story[story["step"] == before]
        shown = now[now["new"] | now["move"].isin(COURSES)]
        label = "undecided" if self.outcome[0] < 0 else str(outcome_labels(tables.runs, by_side=True).iloc[0])
        self.months.append(
            Month(
                step=self.t,
                date=month(sc.start, before, sc.step_months),
                alignment=float(self.hedger.s["alignment"][0]),
                tension=float(self.g["tension"][0]),
                outcome=label,
                decided=label != self.outcome_label,
                moves=tuple(
                    (r.actor, r.move, r.target, float(r.intensity), r.origin, r.why) for r in shown.itertuples()
                ),
                continuing=tuple(f"{r.actor} {r.move}" for r in now[~now.index.isin(shown.index)].itertuples()),
            )
        )
        self.outcome_label = label
