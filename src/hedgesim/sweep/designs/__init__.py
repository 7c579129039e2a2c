"""Sweep designs, one module each, in one registry.

Components:

* :mod:`~hedgesim.sweep.designs.base`: :class:`Design` and :func:`register_design`.
* :mod:`~hedgesim.sweep.designs.grid`, ``lhs``, ``random``, ``sobol``, ``morris``: the designs.
"""

from . import grid, lhs, morris, random, sobol
from .base import DESIGNS, Design, ParamLike, SpecLike, register_design

__all__ = ["DESIGNS", "Design", "ParamLike", "SpecLike", "grid", "lhs", "morris", "random", "register_design", "sobol"]
