"""Calibration as code: sourced facts, one mapping to the model's state, and event intensities.

Components:

* :mod:`~hedgesim.calibration.facts`: the registry of facts a scenario may state.
* :mod:`~hedgesim.calibration.targets`: what each fact sets in the model, and :func:`derive`.
* :mod:`~hedgesim.calibration.mapping`: :func:`apply_facts`, the one mapping from facts to state.
* :mod:`~hedgesim.calibration.events`: rules turning a sourced number into an event's intensity.
* :mod:`~hedgesim.calibration.hazards`: exogenous shocks with documented yearly rates.
* :mod:`~hedgesim.calibration.priors`: the prior of every behavioural parameter, with its reasoning.
"""

from .events import (
    EVENT_RULES,
    engagement_step,
    loan_intensity,
    price_rise_cut,
    restriction_intensity,
    sanctions_step,
)
from .facts import FACTS, TAG_SPREAD, TAGS, Fact
from .hazards import HAZARDS, Hazard
from .mapping import FactError, apply_facts
from .targets import REQUIRES, TARGETS, Context, Target, derive, posture_from_troops, targets_of

__all__ = [
    "EVENT_RULES",
    "FACTS",
    "HAZARDS",
    "REQUIRES",
    "TAGS",
    "TAG_SPREAD",
    "TARGETS",
    "Context",
    "Fact",
    "FactError",
    "Hazard",
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
