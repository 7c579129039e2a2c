"""EMA Workbench interop: a hedgesim scenario as an EMA ``Model``, its uncertainties and levers as ``--set`` paths.

EMA's samplers, evaluators (sequential, multiprocessing), PRIM and feature scoring then
work on hedgesim: ``pip install 'hedgesim[ema]'`` (EMA Workbench 2.5 on Python 3.11, 3.x
on newer; this module covers both).

One experiment runs the scenario as an ensemble of ``replicates`` at the sampled values
and returns outcome shares (and, with ``curve``, the Kaplan-Meier curve of neutrality as
an array outcome). Every experiment uses the same seed, so replicate i draws the same
random stream at every design point: common random numbers, as in hedgesim's sweeps.

What EMA needs, and what is done for it here:

* parameter and outcome names should be identifiers: a parameter gets a short name
  (``NATO_posture``) and its path as ``variable_name``, so EMA calls the function with
  the path as keyword, exactly the overrides :func:`hedgesim.run` takes;
* model names must be alphanumeric in EMA 2.5 (``hedgesim``, not ``hedgesim_rep``);
* the function must pickle for the multiprocessing evaluator: a dataclass, not a closure;
* EMA 2.5 samples from numpy's global random state, 3.x takes a seed: :func:`run_experiments`
  seeds either way, so a design is reproducible.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .analysis import kaplan_meier, outcome_indicator
from .ensemble import run
from .errors import InputError
from .scenario import load_scenario, parse_scalar

#: Scalar outcomes of every experiment: shares of each outcome, and the median step of decided runs.
SHARE_KEYS = ("neutrality_kept", "bandwagoning", "bandwagoning_patron", "bandwagoning_bloc", "escalation")
EVALUATORS = ("sequential", "multiprocessing")


def _ema() -> Any:
    try:
        import ema_workbench
    except ImportError:
        raise InputError("EMA Workbench is not installed: pip install 'hedgesim[ema]'", field="ema") from None
    return ema_workbench


def identifier(path: str) -> str:
    """A short identifier for a parameter path: ``actors.NATO.state.posture`` -> ``NATO_posture``."""
    parts = path.split(".")
    name = f"{parts[1]}_{parts[-1]}" if parts[0] == "actors" and len(parts) >= 3 else parts[-1]
    name = re.sub(r"\W", "_", name)
    return "p_" + name if name[:1].isdigit() else name


def parse_parameters(specs: Sequence[str] | Mapping[str, Any]) -> dict[str, Any]:
    """Parameter specs by path: ``(lo, hi)`` ranges or ``{"values": [...]}`` choices.

    From the command line, ``PATH=LO:HI`` is a range (integers if both are) and
    ``PATH=a,b,c`` a set of values; from Python, a mapping of path to ``(lo, hi)``,
    ``{"range": [lo, hi]}`` or ``{"values": [...]}``.

    Raises:
        InputError: a spec that is none of these.
    """
    items = specs.items() if isinstance(specs, Mapping) else [_split(s) for s in specs]
    out: dict[str, Any] = {}
    for path, spec in items:
        if isinstance(spec, str):
            spec = _parse_text(path, spec)
        if isinstance(spec, Mapping) and "range" in spec:
            spec = tuple(spec["range"])
        if isinstance(spec, Mapping) and "values" in spec and len(spec["values"]) >= 1:
            out[path] = {"values": list(spec["values"])}
        elif isinstance(spec, tuple | list) and len(spec) == 2 and all(_number(v) for v in spec) and spec[0] < spec[1]:
            out[path] = tuple(spec)
        else:
            raise InputError(f"{path}: give a range (lo, hi) with lo < hi, or values", field=path)
    return out


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _split(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise InputError(f"{text!r} must be PATH=LO:HI, PATH=a,b,c or PATH=VALUE", field=text)
    path, spec = text.split("=", 1)
    return path.strip(), spec.strip()


def _parse_text(path: str, spec: str) -> Any:
    if ":" in spec:
        lo, hi = (parse_scalar(v.strip()) for v in spec.split(":", 1))
        return (lo, hi)
    return {"values": [parse_scalar(v.strip()) for v in spec.split(",")]}


def parse_fixed(fixed: Sequence[str] | Mapping[str, Any] | None) -> dict[str, Any]:
    """Overrides applied at every experiment, from ``PATH=VALUE`` strings (as ``--set``) or a mapping.

    Raises:
        InputError: a string without ``=``.
    """
    if fixed is None:
        return {}
    if isinstance(fixed, Mapping):
        return dict(fixed)
    out = {}
    for item in fixed:
        path, value = _split(item)
        out[path] = parse_scalar(value)
    return out


def _check_paths(scenario: Any, params: Mapping[str, Any], fixed: Mapping[str, Any]) -> None:
    """Load the scenario at every end of every range and every value, so a bad path fails before EMA runs."""
    for path, spec in params.items():
        for value in spec["values"] if isinstance(spec, Mapping) else spec:
            load_scenario(scenario, {**fixed, path: value})


@dataclass
class HedgesimFunction:
    """Picklable ``f(**overrides) -> dict``: one ensemble at the given override values, its outcome shares.

    A keyword ``seed`` (a ReplicatorModel's replication) replaces the seed.
    """

    scenario: Any
    replicates: int = 200
    seed: int | None = None
    fixed: Mapping[str, Any] = field(default_factory=dict)
    curve: bool = False

    def __call__(self, **kwargs: Any) -> dict[str, Any]:
        """Run one experiment: the ensemble at these override values (EMA passes them by path)."""
        seed = kwargs.pop("seed", self.seed)
        res = run(
            self.scenario, replicates=self.replicates, seed=seed, overrides={**self.fixed, **kwargs}, progress=False
        )
        runs = res.runs
        out: dict[str, Any] = {key: float(outcome_indicator(runs, key).mean()) for key in SHARE_KEYS}
        decided = runs.loc[runs["outcome"].astype(str) != "neutrality_kept", "outcome_step"]
        out["median_step"] = float(decided.median()) if len(decided) else float("nan")
        if self.curve:
            grid = np.arange(res.scenario.horizon + 1, dtype=float)
            km = kaplan_meier(
                runs["outcome_step"].to_numpy(), runs["outcome"].astype(str) != "neutrality_kept", grid=grid
            )
            out["neutral_curve"] = km["survival"].to_numpy()
        return out


def _parameters(spec: Mapping[str, Any]) -> list[Any]:
    ema = _ema()
    params = []
    for path, s in spec.items():
        name = identifier(path)
        if isinstance(s, Mapping):
            params.append(ema.CategoricalParameter(name, list(s["values"]), variable_name=path))
        elif all(isinstance(v, int) for v in s):
            params.append(ema.IntegerParameter(name, int(s[0]), int(s[1]), variable_name=path))
        else:
            params.append(ema.RealParameter(name, float(s[0]), float(s[1]), variable_name=path))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise InputError(f"two parameters get the same short name: {', '.join(names)}", field="parameters")
    return params


def build_model(
    scenario: Any,
    uncertainties: Sequence[str] | Mapping[str, Any],
    levers: Sequence[str] | Mapping[str, Any] = (),
    *,
    replicates: int = 200,
    seed: int | None = None,
    fixed: Sequence[str] | Mapping[str, Any] | None = None,
    curve: bool = False,
    name: str = "hedgesim",
) -> Any:
    """An EMA ``Model`` running ``scenario`` as an ensemble of ``replicates`` per experiment.

    ``uncertainties`` and ``levers``: see :func:`parse_parameters`. ``fixed``: overrides
    applied at every experiment (``PATH=VALUE`` strings or a mapping). Outcomes: the share
    of each outcome (``ScalarOutcome``, kind INFO), ``median_step`` and, with ``curve``,
    ``neutral_curve`` (``ArrayOutcome``).

    Raises:
        InputError: EMA Workbench missing, a bad spec, or a path the scenario does not have.
    """
    ema = _ema()
    unc, lev, fixed = parse_parameters(uncertainties), parse_parameters(levers), parse_fixed(fixed)
    _check_paths(scenario, {**unc, **lev}, fixed)
    model = ema.Model(name, function=HedgesimFunction(_portable(scenario), replicates, seed, fixed, curve))
    model.uncertainties = _parameters(unc)
    if lev:
        model.levers = _parameters(lev)
    outcomes = [ema.ScalarOutcome(k, kind=ema.ScalarOutcome.INFO) for k in (*SHARE_KEYS, "median_step")]
    if curve:
        outcomes.append(ema.ArrayOutcome("neutral_curve"))
    model.outcomes = outcomes
    return model


def build_replicator_model(
    scenario: Any,
    uncertainties: Sequence[str] | Mapping[str, Any],
    seeds: Sequence[int],
    *,
    replicates: int = 100,
    fixed: Sequence[str] | Mapping[str, Any] | None = None,
    name: str = "hedgesimrep",
) -> Any:
    """An EMA ``ReplicatorModel``: one replication is one ensemble under one of ``seeds``.

    Each share is the mean over replications (``ScalarOutcome`` with ``function=np.mean``,
    as EMA requires) and its values per seed are kept as ``<share>_by_seed``.

    Raises:
        InputError: EMA Workbench missing, a bad spec, or a path the scenario does not have.
    """
    ema = _ema()
    unc, fixed = parse_parameters(uncertainties), parse_fixed(fixed)
    _check_paths(scenario, unc, fixed)
    model = ema.ReplicatorModel(name, function=HedgesimFunction(_portable(scenario), replicates, None, fixed))
    model.replications = [{"seed": int(s)} for s in seeds]
    model.uncertainties = _parameters(unc)
    outcomes = []
    for k in SHARE_KEYS:
        outcomes.append(ema.ScalarOutcome(k, kind=ema.ScalarOutcome.INFO, function=np.mean))
        outcomes.append(ema.ArrayOutcome(f"{k}_by_seed", variable_name=k))
    model.outcomes = outcomes
    return model


def _portable(scenario: Any) -> Any:
    """A scenario the worker processes can load: a path as a string, anything else as it is."""
    return str(Path(scenario).resolve()) if isinstance(scenario, str | Path) else scenario


def run_experiments(
    model: Any,
    scenarios: int,
    policies: int = 0,
    *,
    seed: int = 20190222,
    evaluator: str = "sequential",
    n_processes: int | None = None,
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """EMA's ``perform_experiments`` with EMA's own evaluator, reproducible on EMA 2.5 and 3.x.

    Returns what EMA returns: the experiments (a DataFrame) and the outcomes (a dict of arrays).

    Raises:
        InputError: EMA Workbench missing, an unknown evaluator or a design size below 1.
    """
    ema = _ema()
    if evaluator not in EVALUATORS:
        raise InputError(f"unknown evaluator {evaluator!r} (known: {', '.join(EVALUATORS)})", field="evaluator")
    if scenarios < 1 or policies < 0:
        raise InputError("give at least one scenario (and no negative number of policies)", field="scenarios")
    kwargs: dict[str, Any] = {}
    if int(ema.__version__.split(".")[0]) >= 3:
        kwargs["uncertainty_sampling_kwargs"] = {"rng": seed}
        if policies:
            kwargs["lever_sampling_kwargs"] = {"rng": seed + 1}
    else:
        np.random.seed(seed)  # EMA 2.5's samplers draw from numpy's global state; nothing else here uses it
    ev = (
        ema.SequentialEvaluator(model)
        if evaluator == "sequential"
        else ema.MultiprocessingEvaluator(model, n_processes=n_processes)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with ev:
            return ema.perform_experiments(model, scenarios=scenarios, policies=policies, evaluator=ev, **kwargs)


def experiments_frame(model: Any, experiments: pd.DataFrame, outcomes: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """A row per experiment: the parameters under their paths and the scalar outcomes, like a sweep summary."""
    paths = {p.name: p.variable_name[0] for p in [*model.uncertainties, *model.levers]}
    df = experiments[[c for c in experiments.columns if c in paths]].rename(columns=paths).reset_index(drop=True)
    for k, v in outcomes.items():
        v = np.asarray(v)
        if v.ndim == 1:
            df[k] = v
    return df


def feature_scores(experiments: pd.DataFrame, outcomes: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """EMA's extra-trees feature scores of each varying share: which parameter matters, per outcome.

    Raises:
        InputError: EMA Workbench missing, fewer than two parameters (EMA's extra trees then
            sample no feature), or no share varies across the experiments.
    """
    _ema()
    from ema_workbench.analysis import feature_scoring

    x = experiments.drop(columns=[c for c in ("scenario", "policy", "model") if c in experiments.columns])
    if x.shape[1] < 2:
        raise InputError("feature scores need at least two parameters", field="uncertainties")
    y = {k: np.asarray(outcomes[k]) for k in SHARE_KEYS if k in outcomes and np.ptp(np.asarray(outcomes[k])) > 0}
    if not y:
        raise InputError("no outcome share varies across the experiments: nothing to score", field="outcomes")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return feature_scoring.get_feature_scores_all(x, y)
