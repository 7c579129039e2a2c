"""Running scenarios: ensembles in chunks, each replicate on its own random stream.

Chunks exist only to bound memory; because replicate i always draws from
``SeedSequence(seed, spawn_key=(*prefix, i))``, any chunking gives the same numbers.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..core import MOVES, OUTCOME_CODES, OUTCOME_NAMES, ROLE_VARS, ROUTE_KEYS, SIDE_CODES, SIDE_KEYS, Draws, HedgeModel
from ..errors import InputError
from ..rules import Rule, build_rule
from ..scenario import MAX_REPLICATES, Scenario, load_scenario
from ..util import whole
from .progress import progress_bar
from .results import Results
from .stream import (
    COMPRESSION,
    StepWriter,
    check_room,
    frame_to_table,
    out_of_space,
    release_memory,
    spool_folder,
    steps_chunk_size,
)
from .uncertainty import plan

Record = Literal["summary", "steps"]
DEFAULT_CHUNK = 10_000
#: Replicates x steps from which a run shows a progress bar by default (a few seconds of work).
LONG_RUN = 2_000_000
_OUTCOME_NAMES = {v: k for k, v in OUTCOME_CODES.items() if k != "undecided"}  # undecided (mid-run): missing
_SIDE_NAMES = {v: k for k, v in SIDE_CODES.items()}


@dataclass
class Chunk:
    """What one ensemble returns: a row per replicate, and optionally steps and moves."""

    runs: pd.DataFrame
    steps: pd.DataFrame | None = None
    moves: pd.DataFrame | None = None


def simulate(
    scenario: Scenario,
    replicate_ids: Sequence[int] | np.ndarray,
    *,
    seed: int | None = None,
    spawn_prefix: tuple[int, ...] = (),
    record: Record = "summary",
    uncertainty: str | None = None,
    theta: Mapping[str, np.ndarray] | None = None,
) -> Chunk:
    """Run one ensemble over the given replicate indices and tabulate it.

    ``uncertainty`` (default: the scenario's) says whether each replicate draws its own
    parameters and uncertain facts (``prior``), picks a vector of the shipped posterior
    (``posterior``), or all run the point values (``none``). ``theta`` fixes, per replicate,
    the values of some drawn parameters (by their ``draw.`` column), as calibration needs.
    """
    seed = scenario.seed if seed is None else int(seed)
    draws, rules, table = drawn_rules(scenario, replicate_ids, seed, spawn_prefix, uncertainty, theta)
    model = HedgeModel(
        scenario,
        rules,
        replicate_ids,
        seed=seed,
        spawn_prefix=spawn_prefix,
        record_steps=record == "steps",
        draws=draws,
    )
    try:
        model.run()
        return _tabulate(model, table)
    finally:
        model.release(keep_state=False)  # tabulated: its arrays go now, not when the cycle collector runs


def drawn_rules(
    scenario: Scenario,
    replicate_ids: Sequence[int] | np.ndarray,
    seed: int,
    spawn_prefix: tuple[int, ...] = (),
    uncertainty: str | None = None,
    theta: Mapping[str, np.ndarray] | None = None,
) -> tuple[Draws, dict[str, Rule], dict[str, np.ndarray]]:
    """What each replicate draws before it runs, and the rules carrying their drawn parameters.

    The one place a model's inputs are drawn (:func:`simulate`, the Mesa-native model and the
    benchmarks build on it), so replicate *i* is the same wherever it runs. Returns the
    model's :class:`Draws`, the rules, and the draws as ``draw.`` columns.
    """
    mode = scenario.uncertainty if uncertainty is None else uncertainty
    draws, rule_values, table = plan(scenario, mode).draw(replicate_ids, seed, spawn_prefix, theta=theta)
    rules = {name: rule.with_values(rule_values.get(name, {})) for name, rule in build_rules(scenario).items()}
    return draws, rules, table


def build_rules(scenario: Scenario) -> dict[str, Rule]:
    """Each actor's decision rule, built from the scenario's rule specs (the model never builds rules)."""
    return {
        name: build_rule(spec.role, spec.rule.name if spec.rule else None, spec.rule.params if spec.rule else {})
        for name, spec in scenario.actors.items()
    }


def origins(scenario: Scenario) -> list[str]:
    """Every origin a move can have in this scenario: the rules, each event and each trigger by label."""
    out = ["rule"]
    for kind, items in (("event", scenario.events), ("trigger", scenario.triggers)):
        for it in items:
            name = f"{kind}:{it.label}" if it.label else kind
            if name not in out:
                out.append(name)
    return out


def _tabulate(model: HedgeModel, draws: dict[str, np.ndarray] | None = None) -> Chunk:
    ids = model.replicate_ids
    cols: dict[str, Any] = {
        "replicate": ids,
        "outcome": pd.Categorical([_OUTCOME_NAMES.get(c) for c in model.outcome], categories=list(OUTCOME_NAMES)),
        "side": pd.Categorical([_SIDE_NAMES[c] for c in model.side], categories=list(SIDE_KEYS)),
        "route": pd.Categorical([ROUTE_KEYS[c] for c in model.route], categories=list(ROUTE_KEYS)),
        "outcome_step": model.outcome_step,
        "tension": model.g["tension"],
    }
    for actor in model.actors.values():
        for var, arr in actor.s.items():
            cols[f"{actor.name}.{var}"] = arr
    for kind in MOVES:
        cols[f"n_{kind}"] = model.move_counts[kind]
    cols.update(draws or {})
    runs = pd.DataFrame(cols)
    steps = moves = None
    if model.record_steps:
        T = len(model.step_log)
        keys = list(dict.fromkeys(k for row in model.step_log for k in row))  # reasons appear from step 1
        blank = np.full(model.R, np.nan)
        steps = pd.DataFrame(
            {
                "step": np.repeat(np.arange(T), model.R),
                "replicate": np.tile(ids, T),
                **{k: np.concatenate([row.get(k, blank) for row in model.step_log]) for k in keys},
            }
        )
        log = model.move_log
        names = ("step", "replicate", "source", "target", "move", "intensity", "origin", "why")
        if log:

            def column(j: int) -> np.ndarray:
                return np.concatenate([np.full(len(e[1]), e[j], dtype=object) for e in log])

            moves = pd.DataFrame(
                {
                    "step": np.concatenate([np.full(len(e[1]), e[0]) for e in log]),
                    "replicate": np.concatenate([e[1] for e in log]),
                    "source": column(2),
                    "target": column(3),
                    "move": column(4),
                    "intensity": np.concatenate([e[5] for e in log]),
                    "origin": column(6),
                    "why": column(7),
                }
            ).sort_values(["replicate", "step"], kind="stable", ignore_index=True)
        else:
            moves = pd.DataFrame(columns=list(names))
        # Fixed categories, so tables from different chunks concatenate to the same frame.
        actors = list(model.actors)
        cats = {"source": actors, "target": ["", *actors], "move": list(MOVES), "origin": origins(model.scenario_spec)}
        for col, values in cats.items():
            moves[col] = pd.Categorical(moves[col], categories=values)
        moves["why"] = moves["why"].astype(str)
    return Chunk(runs, steps, moves)


def check_size(scenario: Scenario, replicates: int, record: str) -> None:
    """Refuse sizes that cannot finish, before anything runs (room on disk for steps: :func:`check_steps_room`)."""
    if not 1 <= replicates <= MAX_REPLICATES:
        raise InputError(f"replicates must be between 1 and {MAX_REPLICATES:,}, got {replicates:,}", field="replicates")
    if record not in ("summary", "steps"):
        raise InputError(f"record must be 'summary' or 'steps', got {record!r}", field="record")


#: The pilot that measures the bytes a recorded replicate-step takes on disk (about 0.2 s of work; the
#: estimate comes out some 15% above what full chunks take, and a margin of 10% is added on top).
PILOT_REPLICATES, PILOT_STEPS, PILOT_MARGIN = 128, 24, 1.1


def _pilot_bytes(scenario: Scenario, seed: int) -> float:
    """Bytes per replicate-step of the streamed steps and moves, measured on a small pilot run."""
    pilot = scenario.model_copy(update={"horizon": min(scenario.horizon, PILOT_STEPS)})
    chunk = simulate(pilot, np.arange(PILOT_REPLICATES), seed=seed, record="steps")
    size = 0
    for df in (chunk.steps, chunk.moves):
        if df is not None and len(df):
            sink = pa.BufferOutputStream()
            pq.write_table(frame_to_table(df), sink, compression=COMPRESSION)
            size += sink.getvalue().size
    return size / (PILOT_REPLICATES * (pilot.horizon + 1))


def check_steps_room(
    scenario: Scenario, replicates: int, folder: Path, seed: int | None = None, where: str | None = None
) -> int:
    """Refuse, before running, steps the disk under ``folder`` cannot hold; return the estimated bytes.

    Raises:
        InputError: the estimate (from a pilot of a few replicates) exceeds the free space.
    """
    per_step = _pilot_bytes(scenario, scenario.seed if seed is None else seed)
    need = int(PILOT_MARGIN * per_step * replicates * (scenario.horizon + 1))
    what = f"recording steps of {replicates:,} replicates x {scenario.horizon} steps"
    check_room(need, folder, what, where)
    return need


def run(
    scenario: Scenario | str | Path | Mapping[str, Any],
    *,
    replicates: int | None = None,
    seed: int | None = None,
    record: Record = "summary",
    overrides: Sequence[str] | Mapping[str, Any] = (),
    chunk_size: int = DEFAULT_CHUNK,
    progress: bool | None = None,
    uncertainty: str | None = None,
    spool: str | Path | None = None,
) -> Results:
    """Run a scenario as an ensemble and return its :class:`Results`.

    ``replicates`` and ``seed`` default to the scenario's own. Replicate i is the
    same whatever ``chunk_size``: chunking only bounds memory. ``uncertainty``
    (``none``, ``prior`` or ``posterior``; default the scenario's) says what each
    replicate draws; the shares are then predictive probabilities over that uncertainty.
    With ``record="steps"`` the steps and moves stream to Parquet as chunks finish (memory
    stays bounded), in a private folder beside ``spool`` (default: the system's temporary
    folder) that lives as long as the results; :meth:`Results.save` links them into the
    run folder.

    Raises:
        InputError: the scenario (file, dict or overrides) or an argument is invalid, or
            the disk cannot hold the steps (refused before running, in bytes).
    """
    sc = scenario if isinstance(scenario, Scenario) and not overrides else load_scenario(scenario, overrides)
    n = sc.replicates if replicates is None else whole(replicates, "replicates")
    seed = sc.seed if seed is None else whole(seed, "seed")
    if not 0 <= seed < 2**63:
        raise InputError(f"seed must be between 0 and 2**63-1, got {seed}", field="seed")
    if whole(chunk_size, "chunk_size") < 1:
        raise InputError(f"chunk_size must be a positive integer, got {chunk_size!r}", field="chunk_size")
    check_size(sc, n, record)
    mode = sc.uncertainty if uncertainty is None else uncertainty
    plan(sc, mode)  # refuse a bad mode before anything runs
    sc = sc.model_copy(update={"replicates": n, "seed": seed, "uncertainty": mode})
    writer: StepWriter | None = None
    if record == "steps":
        folder = spool_folder(spool)
        where = str(spool) if spool is not None else f"the temporary folder {folder.parent}"
        try:
            check_steps_room(sc, n, folder, seed, where)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        writer = StepWriter(folder)
        columns = 2 + sum(len(ROLE_VARS[a.role]) for a in sc.actors.values())
        chunk_size = steps_chunk_size(columns, sc.horizon, chunk_size)
    t0 = time.perf_counter()
    runs: list[pd.DataFrame] = []
    show = progress if progress is not None else (n * sc.horizon >= LONG_RUN and None)
    try:
        with progress_bar(n, enabled=show, unit="run", leave=False, desc=sc.name) as bar:
            for start in range(0, n, chunk_size):
                ids = np.arange(start, min(n, start + chunk_size))
                chunk = simulate(sc, ids, seed=seed, record=record)
                runs.append(chunk.runs)
                if writer is not None:
                    with out_of_space(spool or writer.folder, "recording steps"):
                        writer.write(chunk.steps, chunk.moves)
                    done = start + len(ids)
                    if done < n:  # the pilot's estimate, replaced by what the chunks really take
                        written = writer.bytes
                        check_room(
                            written * n // done - written, writer.folder, f"recording steps of {n:,} replicates", where
                        )
                    del chunk
                    release_memory()
                bar.update(len(ids))
        if writer is not None:
            with out_of_space(spool or writer.folder, "recording steps"):
                writer.close()
    except BaseException:
        if writer is not None:
            writer.close()
            shutil.rmtree(writer.folder, ignore_errors=True)
        raise
    elapsed = time.perf_counter() - t0
    table = pd.concat(runs, ignore_index=True)
    if writer is None:
        return Results(sc, table, timings={"simulate_seconds": elapsed})
    return Results.streamed(sc, table, writer.folder, timings={"simulate_seconds": elapsed})
