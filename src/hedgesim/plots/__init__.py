"""Figures: the shared style, the figures of a run, and the figures of a sweep.

Components:

* :mod:`~hedgesim.plots.style`: outcome colours (from the outcome registry), names, new figures, saving.
* :mod:`~hedgesim.plots.runs`: outcome shares, trajectories and one replicate of a run.
* :mod:`~hedgesim.plots.sweeps`: shares along a parameter, phase diagrams, sensitivity charts.

Plots depend on results, never the other way: results know nothing of figures.
"""

from .runs import (
    MIN_BAND,
    event_marks,
    outcomes_figure,
    plot_outcomes,
    plot_trajectories,
    replicate_figure,
    trajectories_figure,
    write_run_figures,
)
from .style import COLOURS, colour, save_figure, short_name, subplots
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
    "MIN_BAND",
    "colour",
    "event_marks",
    "outcomes_figure",
    "parameter_figure",
    "phase_figure",
    "plot_outcomes",
    "plot_parameter",
    "plot_phase",
    "plot_sensitivity",
    "plot_trajectories",
    "replicate_figure",
    "save_figure",
    "sensitivity_figure",
    "short_name",
    "subplots",
    "trajectories_figure",
    "write_figures",
    "write_run_figures",
]
