"""The model as Mesa users expect it: built from keyword arguments, with a DataCollector.

:class:`HedgeModel` (exported as ``hedgesim.HedgeModel``) is the core model
(:class:`hedgesim.core.HedgeModel`, an ensemble of replicates) built from a shipped
scenario's name and the seed's levers, each keyword with a default, so that Mesa's own
tools work on it: ``mesa.batch_run(hedgesim.HedgeModel, parameters={...})``, SolaraViz's
Reset, and Mesa's plot components, which read :attr:`HedgeModel.datacollector`. Its model
reporters summarise the ensemble at each step: the share of replicates in each outcome
and the medians of the main state.

The keywords avoid the name ``scenario``: Mesa 3.5's SolaraViz passes its own
``scenario=`` to a model that takes one (or takes ``**kwargs``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from .. import core
from ..core import OUTCOME_CODES, OUTCOMES_BY_SIDE, SIDE_CODES
from ..errors import InputError
from ..resources import resolve
from ..scenario import Scenario, apply_levers, load_scenario
from ..util import whole
from .runner import Chunk, _tabulate, check_size, drawn_rules

__all__ = ["REPORTERS", "HedgeModel", "base_scenario"]


@functools.lru_cache(maxsize=64)
def _load(path: str, mtime: float) -> Scenario:
    return load_scenario(path)


#: Replicates a model with ``record_steps`` may hold: its step log stays in memory, about
#: 170-400 KB per replicate over 120 months (issue 12), so at most some 400 MB here.
MAX_RECORDED = 1_000


def base_scenario(scenario_name: str | Path | Scenario) -> Scenario:
    """A shipped scenario by name (``"baseline"``), a scenario file, or a Scenario as it is.

    Parsed files are kept (keyed by path and modification time): a sweep of many models
    over one scenario reads it once.

    Raises:
        InputError: no such scenario, or it is invalid.
    """
    if isinstance(scenario_name, Scenario):
        return scenario_name
    path = resolve(scenario_name, field="scenario").resolve()
    return _load(str(path), path.stat().st_mtime)


def _share(outcome: str, side: str | None) -> Callable[[HedgeModel], float]:
    code = OUTCOME_CODES[outcome]
    side_code = SIDE_CODES[side] if side else None

    def share(model: HedgeModel) -> float:
        hit = model.outcome == code
        if side_code is not None:
            hit = hit & (model.side == side_code)
        return float(hit.mean()) if model.R else 0.0

    return share


def _median(read: Callable[[HedgeModel], np.ndarray]) -> Callable[[HedgeModel], float]:
    return lambda model: float(np.median(read(model))) if model.R else float("nan")


#: The DataCollector's model reporters: outcome shares (bandwagoning split by side, plus the
#: replicates still undecided) and medians over the replicates of the main state.
REPORTERS: dict[str, Callable[[HedgeModel], float]] = {
    **{f"share_{o.key}": _share(o.outcome, o.side or None) for o in OUTCOMES_BY_SIDE},
    "share_undecided": _share("undecided", None),
    "median_alignment": _median(lambda m: m.hedger.s["alignment"]),
    "median_autonomy": _median(lambda m: m.hedger.s["autonomy"]),
    "median_economy": _median(lambda m: m.hedger.s["economy"]),
    "median_regime_security": _median(lambda m: m.hedger.s["regime_security"]),
    "median_tension": _median(lambda m: m.g["tension"]),
    "median_patron_tolerance": _median(lambda m: m.patrons[0].s["tolerance"]),
    "median_patron_grievance": _median(lambda m: m.patrons[0].s["grievance"]),
}


def _seed(seed: Any, rng: Any) -> int | None:
    """One integer seed from Mesa's ``seed=`` or ``rng=`` (batch_run passes one of them)."""
    if seed is not None and rng is not None and seed != rng:
        raise InputError("give seed or rng, not both", field="rng")
    value = seed if seed is not None else rng
    if value is None:
        return None
    if isinstance(value, np.random.Generator):
        return int(value.integers(0, 2**63 - 1))
    if isinstance(value, np.random.SeedSequence):
        return int(value.generate_state(1, np.uint64)[0] >> np.uint64(1))
    number = whole(value, "seed")
    if not 0 <= number < 2**63:
        raise InputError(f"seed must be between 0 and 2**63-1, got {number}", field="seed")
    return number


class HedgeModel(core.HedgeModel):
    """The hedging model for Mesa users: keyword arguments, each with a default, and a DataCollector.

    ``HedgeModel()`` is the baseline scenario's ensemble. ``scenario_name`` names a
    shipped scenario (``"flank_buildup"``) or a YAML file; each lever
    (:data:`hedgesim.scenario.LEVERS`) left at None keeps the scenario's own value.
    ``replicates`` (default: the scenario's) replicates advance together, replicate
    ``first_replicate + i`` on the same random stream as in :func:`hedgesim.run`, so
    ``HedgeModel(replicates=1, first_replicate=7)`` steps replicate 7 of the ensemble alone.
    ``seed`` (or Mesa's ``rng``, an integer or a numpy Generator) replaces the scenario's seed.
    ``uncertainty`` (default: the scenario's) says what each replicate draws, as in
    :func:`hedgesim.run`; a lever given a value is that value in every replicate.

    Args:
        scenario_name: a shipped scenario's name, or a path to a scenario file.
        replicates: replicates in the ensemble (default: the scenario's).
        first_replicate: index of the first replicate.
        seed: the ensemble's seed (default: the scenario's).
        rng: Mesa's name for the seed; give one of seed and rng.
        uncertainty: ``none`` (point values), ``prior`` or ``posterior``; default the scenario's.
        record_steps: keep every step's state and every move, for :meth:`tables`.
        flank_posture: the security bloc's flank posture.
        coercion: the patron's coercion.
        oil_tax: share of the start subsidy the oil tax manoeuvre removes (0 = none).
        compensation: the patron compensates compliance (True) or only deeper integration (False).
        csbm: CSBM depth the hedger adds with each neighbour a month.
        host_talks: intensity of the hedger hosting talks each month.
        base_demand: the patron asks for an air base 8, 20 and 32 months in.

    Raises:
        InputError: an unknown scenario or an invalid argument.
    """

    def __init__(
        self,
        *,
        scenario_name: str | Path | Scenario = "baseline",
        replicates: int | None = None,
        first_replicate: int = 0,
        seed: int | None = None,
        rng: Any = None,
        uncertainty: str | None = None,
        record_steps: bool = False,
        flank_posture: float | None = None,
        coercion: float | None = None,
        oil_tax: float | None = None,
        compensation: bool | None = None,
        csbm: float | None = None,
        host_talks: float | None = None,
        base_demand: bool | None = None,
    ) -> None:
        levers = {
            "flank_posture": flank_posture,
            "coercion": coercion,
            "oil_tax": oil_tax,
            "compensation": compensation,
            "csbm": csbm,
            "host_talks": host_talks,
            "base_demand": base_demand,
        }
        sc = apply_levers(base_scenario(scenario_name), levers)
        n = sc.replicates if replicates is None else whole(replicates, "replicates")
        first = whole(first_replicate, "first_replicate")
        if first < 0:
            raise InputError(f"first_replicate must be 0 or more, got {first}", field="first_replicate")
        check_size(sc, n, "steps" if record_steps else "summary")
        if record_steps and n > MAX_RECORDED:
            raise InputError(
                f"record_steps keeps every month of every replicate in memory: at most {MAX_RECORDED:,} replicates, "
                f"got {n:,}; hedgesim.run(..., record='steps') streams any number of them to disk",
                field="record_steps",
            )
        chosen = _seed(seed, rng)
        sc = sc.model_copy(update={"replicates": n, "seed": sc.seed if chosen is None else chosen})
        ids = np.arange(first, first + n)
        # What each replicate draws, as hedgesim.simulate draws it, so replicate i is the same here.
        draws, rules, self._draw_table = drawn_rules(sc, ids, sc.seed, (), uncertainty)
        super().__init__(sc, rules, ids, record_steps=bool(record_steps), draws=draws)
        self.scenario_name = sc.name
        self.levers = levers
        self.datacollector = mesa.DataCollector(model_reporters=dict(REPORTERS))
        self.datacollector.collect(self)

    def step(self) -> None:
        """One month for every replicate, then the reporters.

        ``running`` turns False on the call after the horizon, which changes nothing:
        Mesa 3.3's ``batch_run`` reports the collection made before its last call, so
        its last row is then the final month, as on Mesa 3.5.
        """
        if self.t >= self.horizon:
            self.running = False
            self.release()
            return
        super().step()
        self.datacollector.collect(self)
        self.running = True

    def tables(self) -> Chunk:
        """The ensemble so far as tables, as :func:`hedgesim.simulate` returns them.

        ``runs`` has a row per replicate (one not yet decided has no outcome); ``steps``
        and ``moves`` are there when the model was built with ``record_steps=True``.
        """
        return _tabulate(self, self._draw_table)
