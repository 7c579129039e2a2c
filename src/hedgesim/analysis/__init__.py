"""Statistics over result tables: intervals and tests, share tables, comparisons, survival, discovery.

Components:

* :mod:`~hedgesim.analysis.intervals`: Wilson, Newcombe (independent and paired), Tango, Welch and mean intervals.
* :mod:`~hedgesim.analysis.shares`: the share table used by runs, sweeps and cases.
* :mod:`~hedgesim.analysis.compare`: scenarios side by side, differences against the first.
* :mod:`~hedgesim.analysis.survival`: Kaplan-Meier and competing-risk incidence of the time to an outcome.
* :mod:`~hedgesim.analysis.bands`: honest shares along a sweep parameter; flags on sensitivity indices.
* :mod:`~hedgesim.analysis.sensitivity`: Sobol and Morris indices (SALib).
* :mod:`~hedgesim.analysis.prim`: PRIM boxes (a numpy engine faithful to EMA Workbench's, or EMA's).
* :mod:`~hedgesim.analysis.discovery`: scenario discovery data, CART trees, boxes in plain words.

Functions here take tables and arrays, never run a model, and draw no figures.
"""

from .bands import FLAG_MEANINGS, FLAGS, binned_shares, flag_sensitivity, noise_fraction
from .compare import COMPARE_OUTCOMES, compare_runs, comparison_cells, comparison_markdown, outcome_indicator
from .discovery import cart, describe_box, discovery_data, readable
from .intervals import (
    LEVEL,
    mean_interval,
    newcombe_interval,
    newcombe_paired_interval,
    tango_interval,
    welch_interval,
    wilson_interval,
)
from .prim import PrimResult, prim, select_box
from .sensitivity import morris_indices, sobol_indices
from .shares import format_shares, outcome_keys, outcome_labels, outcome_shares, share_interval
from .survival import (
    RISKS,
    RISKS_BY_SIDE,
    cumulative_incidence,
    event_codes,
    incidence,
    kaplan_meier,
    neutrality_survival,
    survival_table,
)

__all__ = [
    "COMPARE_OUTCOMES",
    "FLAGS",
    "FLAG_MEANINGS",
    "LEVEL",
    "RISKS",
    "RISKS_BY_SIDE",
    "PrimResult",
    "binned_shares",
    "cart",
    "compare_runs",
    "comparison_cells",
    "comparison_markdown",
    "cumulative_incidence",
    "describe_box",
    "discovery_data",
    "event_codes",
    "flag_sensitivity",
    "format_shares",
    "incidence",
    "kaplan_meier",
    "mean_interval",
    "morris_indices",
    "neutrality_survival",
    "newcombe_interval",
    "newcombe_paired_interval",
    "noise_fraction",
    "outcome_indicator",
    "outcome_keys",
    "outcome_labels",
    "outcome_shares",
    "prim",
    "readable",
    "select_box",
    "share_interval",
    "sobol_indices",
    "survival_table",
    "tango_interval",
    "welch_interval",
    "wilson_interval",
]
