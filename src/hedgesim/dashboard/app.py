"""The dashboard page (Solara, Mesa's SolaraViz): needs ``hedgesim[dashboard]``; served by :mod:`.server`.

Each browser page is its own Solara virtual kernel: the ``solara.reactive`` values below
hold one value per page, and the story model is built inside :func:`Page`, so sessions
share nothing but read-only scenarios and the cache of computed summaries.

- Sidebar: the scenario picker and the controls of :data:`~hedgesim.dashboard.controls.CONTROLS`,
  each change validated by :func:`~hedgesim.dashboard.controls.make_settings` (a bad value is
  shown as a message, never used); then SolaraViz's Step, Play and Reset.
- "Ensemble": the outcome distribution with intervals and the time to loss of neutrality,
  recomputed in a background task whenever the settings change (SolaraViz itself rebuilds
  a model only on Reset).
- "Story": one replicate of that ensemble stepped month by month by SolaraViz.
"""

from __future__ import annotations

import dataclasses
import os
import time
from typing import Any

import solara
import solara.lab
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from ..ensemble import base_scenario
from ..errors import InputError, terminal_message
from ..resources import names as shipped_names
from .compute import summarise
from .controls import CONTROLS, Settings, make_settings, page_values
from .render import distribution_html, loss_html, story_html
from .storymodel import StoryModel

#: A dragged slider sends many values: each is computed only if still current after this pause.
SETTLE_SECONDS = 0.05

START = os.environ.get("HEDGESIM_DASHBOARD_SCENARIO", "baseline")
SCENARIOS = shipped_names("scenarios")
if START not in SCENARIOS:
    SCENARIOS.append(START)  # a scenario file named on the command line
_START_VALUES = page_values(base_scenario(START))
_START_SETTINGS = make_settings(START, _START_VALUES)
summarise(_START_SETTINGS)  # warm the imports and the first page's ensemble at server start

# One value per browser page (Solara keeps reactives per virtual kernel).
scenario = solara.reactive(START)
values = solara.reactive(dict(_START_VALUES))
settings = solara.reactive(_START_SETTINGS)
problem = solara.reactive("")


def current_settings() -> Settings:
    """The page's settings now: SolaraViz's Reset builds the story model from them."""
    return settings.value


def apply(*, scenario_name: str | None = None, changes: dict[str, Any] | None = None, replicate: int | None = None):
    """Validate a change from the browser; use it if valid, else show why and keep what was shown."""
    name = scenario_name or scenario.value
    try:
        if scenario_name is not None and scenario_name != scenario.value:
            new_values, rep = page_values(base_scenario(name)), 0
        else:
            new_values = {**values.value, **(changes or {})}
            rep = settings.value.replicate if replicate is None else replicate
        new = make_settings(name, new_values, rep)
    except InputError as exc:
        problem.set(terminal_message(exc, prog="dashboard"))
        return
    problem.set("")
    scenario.set(name)
    values.set(new_values)
    settings.set(new)


@solara.component
def Control(control) -> None:
    """One control, drawn from its entry in CONTROLS."""
    sc = base_scenario(scenario.value)
    value = values.value.get(control.key)
    label = control.label.format(**{r: (sc.by_role(r) or [r])[0] for r in ("patron", "hedger", "security_bloc")})
    with solara.Column(classes=[f"hs-control-{control.key}"], gap="0px"):
        if value is None:
            solara.Text(f"{label}: not in this scenario", style={"font-size": "12px", "color": "#777"})
        elif control.kind == "slider":
            solara.Text(f"{label}: {value:g}", style={"font-size": "13px", "margin-top": "6px"})
            solara.SliderFloat(
                "",
                value=value,
                min=control.lo,
                max=control.hi,
                step=control.step,
                on_value=lambda v: apply(changes={control.key: v}),
            )
        elif control.kind == "switch":
            solara.Switch(label=label, value=bool(value), on_value=lambda v: apply(changes={control.key: v}))
        else:
            solara.Select(
                label, value=value, values=list(control.choices), on_value=lambda v: apply(changes={control.key: v})
            )


@solara.component
def Controls() -> None:
    """The sidebar card: scenario picker, controls, the story's replicate, and any input problem."""
    with solara.Card("Scenario and levers"):
        with solara.Column(classes=["hs-scenario"]):
            solara.Select("scenario", value=scenario.value, values=SCENARIOS, on_value=lambda n: apply(scenario_name=n))
        for control in CONTROLS:
            Control(control)
        with solara.Row(classes=["hs-replicate"]):
            solara.InputInt(
                "story replicate",
                value=settings.value.replicate,
                on_value=lambda r: apply(replicate=r),
                continuous_update=False,
            )
        if problem.value:
            solara.Error(problem.value, classes=["hs-problem"])
        solara.HTML(
            tag="details",
            unsafe_innerHTML="<summary style='font-size:12px'>what the levers mean</summary><ul style='font-size:12px'>"
            + "".join(f"<li><b>{c.key}</b>: {c.help}</li>" for c in CONTROLS)
            + "</ul>",
        )


@solara.component
def Ensemble(model) -> None:
    """The outcome distribution and time to loss of neutrality of the page's settings, recomputed live."""
    current = settings.value
    ensemble = dataclasses.replace(current, replicate=0)  # the story's replicate does not change the ensemble

    def compute():
        time.sleep(SETTLE_SECONDS)
        if not task.is_current():
            return None
        return summarise(ensemble)

    task = solara.lab.use_task(compute, dependencies=[ensemble])  # type: ignore[arg-type]
    with solara.Card("Outcomes of the ensemble"):
        if task.error:
            solara.Error(str(task.exception), classes=["hs-problem"])
        shown = task.value if task.finished and task.value is not None else task.latest
        if shown is None:
            solara.Text("computing...")
        else:
            stale = not task.finished or shown.key != current.key()
            solara.HTML(tag="div", unsafe_innerHTML=distribution_html(shown, stale=stale))
            solara.HTML(tag="div", unsafe_innerHTML=loss_html(shown))
            story = shown.next_lost(current.replicate)
            if story is not None and not stale:
                solara.Button(
                    f"story of replicate {story}, which lost neutrality",
                    text=True,
                    classes=["hs-lost"],
                    on_click=lambda: apply(replicate=story),
                )


@solara.component
def Story(model) -> None:
    """The story replicate, redrawn on each Step."""
    update_counter.get()
    with solara.Card("Story: one replicate, month by month"):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=story_html(model.replicate, model.scenario_name, model.horizon, model.months),
        )


@solara.component
def Page() -> None:
    """The whole page, one per browser session."""
    initial = solara.use_memo(lambda: StoryModel(settings=settings.value), [])
    model = solara.use_reactive(initial)

    def rebuild() -> None:
        if model.value.settings != settings.value:
            model.value.release()
            model.set(StoryModel(settings=settings.value))

    solara.use_effect(rebuild, [settings.value])
    solara.Title("hedgesim dashboard")
    with solara.Sidebar():
        Controls()
    SolaraViz(
        model,
        components=[(Ensemble, 0), (Story, 0)],
        model_params={"settings": current_settings},  # Reset rebuilds the story from the current settings
        name="hedgesim: a small state hedging between great powers",
    )
