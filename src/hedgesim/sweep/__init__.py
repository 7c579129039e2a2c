"""Sweeps: many design points, many replicates each, on any executor, into an append-only store.

Components:

* :mod:`~hedgesim.sweep.spec`: the schema of sweep files.
* :mod:`~hedgesim.sweep.designs`: the designs (grid, lhs, random, sobol, morris), one module each.
* :mod:`~hedgesim.sweep.load`: :func:`load_sweep`, every point checked before anything runs.
* :mod:`~hedgesim.sweep.chunks`: chunks of work and what a worker does with one.
* :mod:`~hedgesim.sweep.executors`: in-process, process pool and Dask executors.
* :mod:`~hedgesim.sweep.drive`: tasks fed to an executor, a bounded number in flight, stopped cleanly.
* :mod:`~hedgesim.sweep.store`: the sweep folder (parts, failures, final tables).
* :mod:`~hedgesim.sweep.engine`: :func:`run_sweep`, the coordinator.
* :mod:`~hedgesim.sweep.results`: :class:`SweepResults`, a finished sweep read back.
"""

from .chunks import ChunkId, plan_chunks
from .designs import DESIGNS, Design, register_design
from .drive import Drive, drive, own_executor
from .engine import SweepInterrupted, SweepReport, run_sweep
from .executors import InlineExecutor, dask_executor, default_workers, process_pool
from .load import Sweep, is_sweep_file, load_sweep
from .results import SweepResults
from .spec import MAX_POINTS, MAX_RUNS, ParamSpec, SweepSpec
from .store import FORMAT, OUTCOME_KEYS, Store

__all__ = [
    "DESIGNS",
    "FORMAT",
    "MAX_POINTS",
    "MAX_RUNS",
    "OUTCOME_KEYS",
    "ChunkId",
    "Design",
    "Drive",
    "InlineExecutor",
    "ParamSpec",
    "Store",
    "Sweep",
    "SweepInterrupted",
    "SweepReport",
    "SweepResults",
    "SweepSpec",
    "dask_executor",
    "default_workers",
    "drive",
    "is_sweep_file",
    "load_sweep",
    "own_executor",
    "plan_chunks",
    "process_pool",
    "register_design",
    "run_sweep",
]
