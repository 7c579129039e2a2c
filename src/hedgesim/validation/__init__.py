"""Validation: the model against historical cases, cross-case patterns, and the seed's claims.

Components:

* :mod:`~hedgesim.validation.cases`: :func:`check_cases`, :func:`cross_case_patterns`, the :class:`Lab`, and
  which cases are scored (:func:`scored_case_paths`, :func:`not_scored_reason`).
* :mod:`~hedgesim.validation.claims`: the seed's claims as comparisons of scenarios.
"""

from .cases import (
    CASES,
    DEFAULT_REPLICATES,
    EXPECTED_MISSES,
    SCENARIOS,
    Arm,
    Comparison,
    Lab,
    case_paths,
    check_cases,
    cross_case_patterns,
    event_overrides,
    failures,
    format_check,
    format_patterns,
    modal,
    not_scored_reason,
    pattern_comparisons,
    role_members,
    scored_case_paths,
    separated,
)
from .claims import CLAIMS, Claim, Quantity, compare, findings

__all__ = [
    "CASES",
    "CLAIMS",
    "DEFAULT_REPLICATES",
    "EXPECTED_MISSES",
    "SCENARIOS",
    "Arm",
    "Claim",
    "Comparison",
    "Lab",
    "Quantity",
    "case_paths",
    "check_cases",
    "compare",
    "cross_case_patterns",
    "event_overrides",
    "failures",
    "findings",
    "format_check",
    "format_patterns",
    "modal",
    "not_scored_reason",
    "pattern_comparisons",
    "role_members",
    "scored_case_paths",
    "separated",
]
