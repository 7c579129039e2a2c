"""Calibration as code: sourced facts, one mapping to the model's state, and event intensities.

Components:

* :mod:`~hedgesim.calibration.facts`: the registry of facts a scenario may state.
* :mod:`~hedgesim.calibration.targets`: what each fact sets in the model, and :func:`derive`.
* :mod:`~hedgesim.calibration.mapping`: :func:`apply_facts`, the one mapping from facts to state.
* :mod:`~hedgesim.calibration.events`: rules turning a sourced number into an event's intensity.
"""

from .events import (
    EVENT_RULES,
    engagement_step,
    loan_intensity,
    price_rise_cut,
    restriction_intensity,
    sanctions_step,
)
from .facts import FACTS, TAGS, Fact
from .mapping import FactError, apply_facts
from .targets import REQUIRES, TARGETS, Context, Target, derive, posture_from_troops, targets_of

__all__ = [
    "EVENT_RULES",
    "FACTS",
    "REQUIRES",
    "TAGS",
    "TARGETS",
    "Context",
    "Fact",
    "FactError",
    "Target",
    "apply_facts",
    "derive",
    "engagement_step",
    "loan_intensity",
    "posture_from_troops",
    "price_rise_cut",
    "restriction_intensity",
    "sanctions_step",
    "targets_of",
]
