"""Decision rules: the base class, the registry and one module per rule family.

Components:

* :mod:`~hedgesim.rules.base`: :class:`Rule`, :class:`RuleParams`, :func:`register_rule`,
  the registry and the ``hedgesim.rules`` entry points.
* :mod:`~hedgesim.rules.hedger`: ``logit_hedger``, bounded-rational hedging.
* :mod:`~hedgesim.rules.patron`: ``strategic``, the patron with a budget, conditional compensation and a type.
* :mod:`~hedgesim.rules.reciprocity`: ``reciprocity``, the powers' tit-for-tat and spiral.
* :mod:`~hedgesim.rules.scripted`: ``threshold``, ``fixed`` and ``passive``.

Importing this package registers the built-in rules.
"""

from . import hedger, patron, reciprocity, scripted
from .base import (
    DEFAULT_RULES,
    DeclaredMove,
    Rule,
    RuleParams,
    available_rules,
    build_rule,
    register_rule,
    rule_class,
    validate_rule,
)
from .hedger import LogitHedger, LogitHedgerParams
from .patron import StrategicPatron, StrategicPatronParams
from .reciprocity import Reciprocity, ReciprocityParams
from .scripted import Fixed, FixedParams, Passive, PassiveParams, ScheduledMove, Threshold, ThresholdParams

__all__ = [
    "DEFAULT_RULES",
    "DeclaredMove",
    "Fixed",
    "FixedParams",
    "LogitHedger",
    "LogitHedgerParams",
    "Passive",
    "PassiveParams",
    "Reciprocity",
    "ReciprocityParams",
    "Rule",
    "RuleParams",
    "ScheduledMove",
    "StrategicPatron",
    "StrategicPatronParams",
    "Threshold",
    "ThresholdParams",
    "available_rules",
    "build_rule",
    "hedger",
    "patron",
    "reciprocity",
    "register_rule",
    "rule_class",
    "scripted",
    "validate_rule",
]
