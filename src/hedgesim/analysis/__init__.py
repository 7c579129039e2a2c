"""Statistics over result tables: intervals and tests, share tables, sensitivity indices.

Components:

* :mod:`~hedgesim.analysis.intervals`: Wilson, Newcombe, Welch and mean intervals.
* :mod:`~hedgesim.analysis.shares`: the share table used by runs, sweeps and cases.
* :mod:`~hedgesim.analysis.sensitivity`: Sobol and Morris indices (SALib).

Functions here take tables and arrays, never run a model, and draw no figures.
"""

from .intervals import LEVEL, mean_interval, newcombe_interval, welch_interval, wilson_interval
from .sensitivity import morris_indices, sobol_indices
from .shares import format_shares, outcome_keys, outcome_labels, outcome_shares, share_interval

__all__ = [
    "LEVEL",
    "format_shares",
    "mean_interval",
    "morris_indices",
    "newcombe_interval",
    "outcome_keys",
    "outcome_labels",
    "outcome_shares",
    "share_interval",
    "sobol_indices",
    "welch_interval",
    "wilson_interval",
]
