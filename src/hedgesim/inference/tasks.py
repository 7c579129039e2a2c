"""One unit of calibration work: a case run on a block of parameter vectors.

A block of ``m`` vectors and ``K`` replicates per vector is one vectorized ensemble of
``m * K`` replicates: replicate ``j * K + k`` runs vector ``j`` (its global index). Each
replicate draws its nuisance quantities (facts, private types) and its dynamics from its
own stream, ``SeedSequence(seed, spawn_key=(CALIBRATION_KEY, stage, case_key, j * K + k))``,
so a block's counts do not depend on the block size, the executor or the other cases. A
parameter the vectors do not fix is drawn per replicate from its prior, as in any run.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import OUTCOME_NAMES
from ..ensemble import simulate
from ..scenario import Scenario

#: First element of every calibration replicate's spawn key: apart from ensembles and sweeps.
CALIBRATION_KEY = 0xCA11B
#: Second element of the spawn key: the screening runs and the calibration runs are apart.
STAGE_KEYS: dict[str, int] = {"screen": 1, "calibrate": 2, "refine": 3}
#: Count columns of a part, one per outcome, in the registry's order.
COUNT_COLUMNS: tuple[str, ...] = tuple(f"n_{o}" for o in OUTCOME_NAMES)


def case_key(name: str) -> int:
    """A stable integer for a case's name: adding or removing a case leaves the others' streams alone."""
    return zlib.crc32(name.encode("utf-8"))


@dataclass(frozen=True)
class BlockTask:
    """What a worker needs: the stage, the case, the vectors of the block, the replicates per vector, the seed."""

    stage: str
    case: str
    scenario: Scenario
    theta_ids: np.ndarray  # global indices of the block's vectors
    values: dict[str, np.ndarray]  # draw column -> one value per vector of the block
    replicates: int
    seed: int


@dataclass(frozen=True)
class BlockResult:
    """A finished block (Parquet bytes of its counts) or the error that stopped it."""

    stage: str
    case: str
    first: int
    data: bytes | None = None
    error: str | None = None


def run_block(task: BlockTask) -> BlockResult:
    """Run one case on one block of vectors and count its outcomes per vector.

    Module-level so process pools and Dask can pickle it. A failure is returned, not
    raised, so the coordinator records it and the other blocks carry on.
    """
    first = int(task.theta_ids[0])
    try:
        K = task.replicates
        ids = (task.theta_ids[:, None] * K + np.arange(K)[None, :]).ravel()
        theta = {col: np.repeat(np.asarray(v, dtype=float), K) for col, v in task.values.items()}
        chunk = simulate(
            task.scenario,
            ids,
            seed=task.seed,
            spawn_prefix=(CALIBRATION_KEY, STAGE_KEYS[task.stage], case_key(task.case)),
            record="summary",
            uncertainty="prior",
            theta=theta,
        )
        codes = pd.Categorical(chunk.runs["outcome"], categories=list(OUTCOME_NAMES)).codes.reshape(-1, K)
        counts = {col: (codes == i).sum(axis=1).astype(np.int32) for i, col in enumerate(COUNT_COLUMNS)}
        frame = pd.DataFrame({"theta_id": task.theta_ids.astype(np.int64), **counts})
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        return BlockResult(task.stage, task.case, first, data=buf.getvalue())
    except Exception as exc:
        return BlockResult(task.stage, task.case, first, error=f"{type(exc).__name__}: {exc}")
