"""Steps and moves streamed to Parquet chunk by chunk: the same frames as the whole run at once, compact on disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import hedgesim
from hedgesim.ensemble import simulate
from hedgesim.ensemble.stream import STEP_CHUNK_BYTES, read_frame, steps_chunk_size

H = 30


@pytest.fixture(scope="module")
def scenario() -> hedgesim.Scenario:
    return hedgesim.load_scenario("baseline", {"horizon": H, "replicates": 90})


def whole_run(sc: hedgesim.Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The run tabulated at once in memory, sorted as a run's tables are (the pre-streaming result)."""
    chunk = simulate(sc, np.arange(sc.replicates), record="steps")
    key = ["replicate", "step"]
    steps = chunk.steps.sort_values(key, kind="stable", ignore_index=True)
    moves = chunk.moves.sort_values(key, kind="stable", ignore_index=True)
    return steps, moves


@pytest.mark.parametrize("chunk_size", [7, 90])
def test_streamed_tables_equal_the_whole_run_exactly(scenario: hedgesim.Scenario, chunk_size: int) -> None:
    steps, moves = whole_run(scenario)
    res = hedgesim.run(scenario, record="steps", chunk_size=chunk_size)
    pd.testing.assert_frame_equal(res.steps, steps, check_exact=True)
    pd.testing.assert_frame_equal(res.moves, moves, check_exact=True)
    assert res.steps.dtypes.to_dict() == steps.dtypes.to_dict()


def test_files_are_compact_and_partial_reads_work(scenario: hedgesim.Scenario, tmp_path: Path) -> None:
    res = hedgesim.run(scenario, record="steps", chunk_size=40)
    out = res.save(tmp_path / "run")
    schema = pq.read_schema(out / "steps.parquet")
    assert schema.field("step").type == pa.int16() and schema.field("replicate").type == pa.int32()
    assert pq.read_schema(out / "moves.parquet").field("source").type == pa.string()
    part = res.read_steps(["tension"], replicates=[3, 50])
    assert list(part.columns) == ["step", "replicate", "tension"] and set(part["replicate"]) == {3, 50}
    full = res.steps
    expect = full[full["replicate"].isin([3, 50])].reset_index(drop=True)[["step", "replicate", "tension"]]
    pd.testing.assert_frame_equal(part, expect, check_exact=True)
    moved = res.read_moves(replicates=[3])
    assert set(moved["replicate"]) <= {3} and isinstance(moved["move"].dtype, pd.CategoricalDtype)
    loaded = hedgesim.Results.load(out)
    pd.testing.assert_frame_equal(loaded.moves, res.moves, check_exact=True)
    assert loaded.manifest["rows"] == {"runs": 90, "steps": 90 * (H + 1), "moves": len(res.moves)}
    with pytest.raises(hedgesim.InputError, match="no column 'nope'"):
        read_frame(out / "steps.parquet", ["nope"])


def test_chunks_shrink_so_a_chunk_of_steps_stays_small() -> None:
    assert steps_chunk_size(50, 120, 10_000) * 121 * 50 * 8 <= STEP_CHUNK_BYTES
    assert steps_chunk_size(50, 12_000, 10_000) >= 1
    assert steps_chunk_size(3, 10, 25) == 25


def test_the_spool_goes_with_the_results(scenario: hedgesim.Scenario) -> None:
    import gc

    res = hedgesim.run(scenario, record="steps")
    spool = res._files["steps"].parent
    assert spool.is_dir() and spool.name.startswith(".hedgesim-steps-")
    del res
    gc.collect()
    assert not spool.exists()
