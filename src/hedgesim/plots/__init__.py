"""Figures: the shared style, the figures of a run, and the figures of a sweep.

Components:

* :mod:`~hedgesim.plots.style`: outcome colours (from the outcome registry), names, new figures, saving.
* :mod:`~hedgesim.plots.runs`: outcome shares, trajectories, one replicate and survival of a run.
* :mod:`~hedgesim.plots.sweeps`: shares along a parameter, phase diagrams, sensitivity charts (flagged).
* :mod:`~hedgesim.plots.compare`: scenarios side by side and their differences.
* :mod:`~hedgesim.plots.survival`: time to loss of neutrality and to each outcome, by scenario or sweep point.
* :mod:`~hedgesim.plots.discovery`: PRIM's coverage/density trade-off and the CART tree.
* :mod:`~hedgesim.plots.calibration`: reliability of case predictions; posterior against prior.

Plots depend on results, never the other way: results know nothing of figures.
"""

from .calibration import plot_identification, plot_reliability
from .compare import plot_comparison
from .discovery import leaves_table, plot_cart, plot_tradeoff
from .runs import (
    MIN_BAND,
    event_marks,
    outcomes_figure,
    plot_outcomes,
    plot_trajectories,
    redraw_run_figures,
    replicate_figure,
    survival_figure,
    trajectories_figure,
    write_run_figures,
)
from .style import COLOURS, colour, save_figure, short_name, subplots
from .survival import pick_points, plot_survival, survival_points_figure
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
    "leaves_table",
    "outcomes_figure",
    "parameter_figure",
    "phase_figure",
    "pick_points",
    "plot_cart",
    "plot_comparison",
    "plot_identification",
    "plot_outcomes",
    "plot_parameter",
    "plot_phase",
    "plot_reliability",
    "plot_sensitivity",
    "plot_survival",
    "plot_tradeoff",
    "plot_trajectories",
    "redraw_run_figures",
    "replicate_figure",
    "save_figure",
    "sensitivity_figure",
    "short_name",
    "subplots",
    "survival_figure",
    "survival_points_figure",
    "trajectories_figure",
    "write_figures",
    "write_run_figures",
]
