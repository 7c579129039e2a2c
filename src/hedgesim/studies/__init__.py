"""Studies: analyses that take scenarios, runs or sweeps, run what they need, and give tables, words and figures.

Components:

* :mod:`~hedgesim.studies.targets`: run folders, scenario files or results in memory; common random numbers.
* :mod:`~hedgesim.studies.compare`: :func:`compare` and :class:`Comparison` (shares, differences, pairing).
* :mod:`~hedgesim.studies.survival`: :func:`survival`, time to outcome by scenario or sweep point.
* :mod:`~hedgesim.studies.discovery`: :func:`discover`, PRIM and CART on a sweep, in plain words.

Studies sit above the figures (they return them) and below the reports (which embed them).
The statistics themselves live in :mod:`hedgesim.analysis`.
"""

from .compare import Comparison, compare
from .discovery import Discovery, discover
from .survival import Survival, survival
from .targets import crn_pairing, folder_kind, load_target

__all__ = [
    "Comparison",
    "Discovery",
    "Survival",
    "compare",
    "crn_pairing",
    "discover",
    "folder_kind",
    "load_target",
    "survival",
]
