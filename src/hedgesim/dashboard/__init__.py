"""The browser dashboard (``hedgesim dashboard``): live outcome distribution, time to loss, one replicate's story.

Components:

* :mod:`~hedgesim.dashboard.controls`: the page's controls as one data-driven list, and its settings
  validated at the edge.
* :mod:`~hedgesim.dashboard.compute`: what a control change recomputes: outcome shares with intervals and
  the time to loss of neutrality of an ensemble.
* :mod:`~hedgesim.dashboard.storymodel`: one replicate stepped month by month, telling what each actor did and why.
* :mod:`~hedgesim.dashboard.render`: the page's HTML and SVG (no front-end library, outcome colours from
  the registry).
* :mod:`~hedgesim.dashboard.server`: checks the ``hedgesim[dashboard]`` extra, sets Solara up for offline
  use, serves.
* :mod:`~hedgesim.dashboard.app`: the Solara page on Mesa's SolaraViz (the one module that imports Solara;
  loaded by the server).

Everything but ``app`` works without the extra, so ``hedgesim dashboard`` can say what is missing.
"""

from .compute import ShareRow, Summary, summarise
from .controls import CONTROLS, DEFAULT_REPLICATES, Control, Settings, make_settings, page_values
from .render import distribution_html, loss_html, story_html
from .server import EXTRA, assets_folder, missing_dependencies, serve, solara_environment
from .storymodel import Month, StoryModel

__all__ = [
    "CONTROLS",
    "DEFAULT_REPLICATES",
    "EXTRA",
    "Control",
    "Month",
    "Settings",
    "ShareRow",
    "StoryModel",
    "Summary",
    "assets_folder",
    "distribution_html",
    "loss_html",
    "make_settings",
    "missing_dependencies",
    "page_values",
    "serve",
    "solara_environment",
    "story_html",
    "summarise",
]
