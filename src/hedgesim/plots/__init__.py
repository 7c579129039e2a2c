"""Figures: the shared style, the figures of a run, and the figures of a sweep.

Components:

* :mod:`~hedgesim.plots.style`: outcome colours (from the outcome registry), names, saving.
* :mod:`~hedgesim.plots.runs`: outcome shares and trajectories of a run.
* :mod:`~hedgesim.plots.sweeps`: shares along a parameter, phase diagrams, sensitivity charts.

Plots depend on results, never the other way: results know nothing of figures.
"""

from .runs import outcomes_figure, plot_outcomes, plot_trajectories, trajectories_figure, write_run_figures
from .style import COLOURS, colour, save_figure, short_name
from .sweeps import (
    parameter_figure,
    phase_figure,
    plot_parameter,
    plot_phase,
    plot_sensitivity,
    sensitivity_figure,
    write_figures,
)

__all__ = [
    "COLOURS",
    "colour",
    "outcomes_figure",
    "parameter_figure",
    "phase_figure",
    "plot_outcomes",
    "plot_parameter",
    "plot_phase",
    "plot_sensitivity",
    "plot_trajectories",
    "save_figure",
    "sensitivity_figure",
    "short_name",
    "trajectories_figure",
    "write_figures",
    "write_run_figures",
]
