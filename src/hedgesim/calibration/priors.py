"""The prior of every behavioural and structural parameter, with its reasoning, in one place.

Under uncertainty each replicate draws its own value of every parameter that has a prior
and that the scenario does not set itself (a policy scenario or a sweep that sets a
parameter holds it fixed). A parameter's prior is either stated here with its own
reasoning (:data:`PRIORS`), or follows from the tag of the source its field carries
(:func:`tag_prior`):

* ``[B]`` alone (a standard fact or an accounting identity): no prior, the value is known.
* ``[S]`` without ``[E]`` (a value found in a source): triangular within 20% of it.
* ``[E]`` (an estimate, including ``[S] ...; [E] size``: the effect is sourced, its size
  is not): log-uniform from half to twice the default, the order of magnitude being what
  we trust, within the field's own range.

A parameter whose default is 0, or that is a policy lever (``host_talks``, ``csbm``,
``transparency``), a definition (outcome thresholds) or not a number, has no prior.
docs/calibration.md prints every prior from this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

Dist = Literal["uniform", "loguniform", "triangular"]


@dataclass(frozen=True)
class Prior:
    """A prior: its distribution on [lo, hi] (with a mode for a triangular one) and the reasoning."""

    dist: Dist
    lo: float
    hi: float
    why: str
    mode: float | None = None

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """The value at each quantile ``u`` (inverse CDF), so one uniform per replicate gives its draw."""
        u = np.asarray(u, dtype=float)
        if self.dist == "uniform":
            return self.lo + u * (self.hi - self.lo)
        if self.dist == "loguniform":
            return np.exp(np.log(self.lo) + u * (np.log(self.hi) - np.log(self.lo)))
        c = self.mode if self.mode is not None else (self.lo + self.hi) / 2
        width = self.hi - self.lo
        if width <= 0:
            return np.full_like(u, self.lo)
        f = (c - self.lo) / width
        left = self.lo + np.sqrt(u * width * (c - self.lo))
        right = self.hi - np.sqrt((1 - u) * width * (self.hi - c))
        return np.where(u < f, left, right)

    def describe(self) -> str:
        """The prior in words, for docs: ``log-uniform on [0.03, 0.12]``."""
        name = {"uniform": "uniform", "loguniform": "log-uniform", "triangular": "triangular"}[self.dist]
        mode = f", mode {self.mode:.4g}" if self.dist == "triangular" and self.mode is not None else ""
        return f"{name} on [{self.lo:.4g}, {self.hi:.4g}]{mode}"


GENERIC_WHY = "[E] no source pins it: from half to twice the default, the order of magnitude we trust"
SOURCED_WHY = "[S] a sourced value: within 20% of it"

#: Priors stated with their own reasoning, by path: ``parameters.<name>`` or ``rules.<rule>.<param>``.
PRIORS: dict[str, Prior] = {
    "rules.logit_hedger.precision": Prior(
        "loguniform",
        4.0,
        36.0,
        "[E] bounded rationality from a noisy to a near-deterministic chooser; estimates of logit precision "
        "differ by an order of magnitude between settings (McKelvey and Palfrey 1995)",
    ),
    "rules.logit_hedger.w_economy": Prior("uniform", 0.5, 1.5, "[E] weights are relative: each within half of 1"),
    "rules.logit_hedger.w_security": Prior("uniform", 0.5, 1.5, "[E] weights are relative: each within half of 1"),
    "rules.logit_hedger.w_regime": Prior("uniform", 0.5, 1.5, "[E] weights are relative: each within half of 1"),
    "rules.logit_hedger.w_autonomy": Prior(
        "uniform", 0.3, 0.9, "[E] weights are relative: autonomy within half of its default 0.6"
    ),
    "rules.logit_hedger.leader_emphasis": Prior(
        "uniform", 1.0, 2.0, "[E] a leader stresses one concern from not at all to twice as much"
    ),
    "rules.logit_hedger.step": Prior(
        "triangular",
        0.025,
        0.1,
        "[E] half to twice a twentieth of the alignment range a month; policy turns take one to four years",
        mode=0.05,
    ),
    "rules.logit_hedger.lookahead": Prior("uniform", 0.1, 0.5, "[E] a course judged two to ten months of steps ahead"),
    "rules.strategic.coercion": Prior(
        "uniform", 0.25, 1.0, "[E] from mild to full economic punishment; cases show both (cases.md)"
    ),
    "rules.strategic.pressure_threshold": Prior(
        "uniform", 0.3, 0.7, "[E] force from a grievance a third to two thirds of the way to its maximum"
    ),
    "rules.reciprocity.alignment_margin": Prior(
        "uniform",
        0.2,
        0.6,
        "[S] the EU lifted most sanctions on Belarus in 2016 (belarus-facts.md), a CSTO and Union State member "
        "(alignment about -0.2): alliance ties alone are not the conduct it sanctions",
    ),
    "rules.reciprocity.crisis_threshold": Prior(
        "uniform", 0.2, 0.5, "[E] a legitimacy crisis from a fifth to half of its full size draws sanctions"
    ),
    "parameters.tolerance_base": Prior(
        "uniform",
        0.6,
        0.95,
        "[S] the seed: Moscow accepts neutrality while Belarus has no NATO or EU aspirations; [E] how fully",
    ),
    "parameters.demand": Prior(
        "uniform", 0.3, 0.7, "[E] the patron wants from a third to two thirds of the way to full alignment"
    ),
    "parameters.intent_base": Prior(
        "uniform", 0.15, 0.45, "[E] a calm neutral is read as somewhat hostile: within half of 0.3"
    ),
}

#: Parameters that are choices of the scenario, not behaviour: never drawn.
POLICY = frozenset({"host_talks", "csbm", "transparency"})


def tag_prior(default: float, lo: float, hi: float, source: str) -> Prior | None:
    """The prior a parameter's source tag implies (see the module doc); None when its value is known."""
    if not isinstance(default, int | float) or isinstance(default, bool) or default == 0 or not math.isfinite(default):
        return None
    if "[E]" in source or not source.strip():
        a, b = max(default / 2, lo), min(default * 2, hi)
        if default < 0 or a <= 0:
            a, b = max(default - abs(default) / 2, lo), min(default + abs(default) / 2, hi)
            return Prior("uniform", a, b, GENERIC_WHY) if b > a else None
        return Prior("loguniform", a, b, GENERIC_WHY) if b > a else None
    if "[S]" in source:
        a, b = max(default * 0.8, lo), min(default * 1.2, hi)
        return Prior("triangular", a, b, SOURCED_WHY, mode=default) if b > a else None
    return None


def prior(path: str, default: float, lo: float, hi: float, source: str) -> Prior | None:
    """The prior of the parameter at ``path``: stated in :data:`PRIORS`, else implied by its source tag."""
    if path.rsplit(".", 1)[-1] in POLICY:
        return None
    if path in PRIORS:
        return PRIORS[path]
    return tag_prior(default, lo, hi, source)
