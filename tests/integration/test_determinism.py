"""Determinism: replicate i is the same bits whether it runs alone, in a batch, or in any chunking."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hedgesim
from hedgesim.scenario import Scenario
from tests.paths import BASELINE as BASELINE_PATH

BASELINE = BASELINE_PATH
H = 24  # short horizon: determinism does not need long runs

_SC: Scenario | None = None


def scenario() -> Scenario:
    """The baseline cut to 24 steps, loaded once."""
    global _SC
    if _SC is None:
        _SC = hedgesim.load_scenario(BASELINE, {"horizon": H})
    return _SC


def moves_of(moves: pd.DataFrame, ids: np.ndarray | list[int]) -> pd.DataFrame:
    """The move log rows of some replicates, comparable across runs (values, not category sets)."""
    sub = moves[moves["replicate"].isin(list(ids))].reset_index(drop=True)
    return sub.astype({c: str for c in ("source", "target", "move")})


def test_same_seed_gives_identical_runs() -> None:
    a = hedgesim.run(scenario(), replicates=32, record="steps")
    b = hedgesim.run(scenario(), replicates=32, record="steps")
    pd.testing.assert_frame_equal(a.runs, b.runs, check_exact=True)
    pd.testing.assert_frame_equal(a.steps, b.steps, check_exact=True)
    pd.testing.assert_frame_equal(a.moves, b.moves, check_exact=True)


def test_same_seed_gives_identical_parquet_bytes(tmp_path: Path) -> None:
    """Two separate runs saved to two folders: runs.parquet (and steps, moves) byte for byte equal."""
    for name in ("first", "second"):
        res = hedgesim.run(scenario(), replicates=32, record="steps")
        res.save(tmp_path / name)
    for file in ("runs.parquet", "steps.parquet", "moves.parquet"):
        first, second = (tmp_path / name / file for name in ("first", "second"))
        assert first.read_bytes() == second.read_bytes(), file


def test_first_16_of_64_equal_a_16_replicate_run() -> None:
    big = hedgesim.run(scenario(), replicates=64, record="steps")
    small = hedgesim.run(scenario(), replicates=16, record="steps")
    pd.testing.assert_frame_equal(big.runs.iloc[:16].reset_index(drop=True), small.runs, check_exact=True)
    assert big.steps is not None and small.steps is not None and big.moves is not None and small.moves is not None
    pd.testing.assert_frame_equal(
        big.steps[big.steps["replicate"] < 16].reset_index(drop=True), small.steps, check_exact=True
    )
    pd.testing.assert_frame_equal(moves_of(big.moves, range(16)), moves_of(small.moves, range(16)), check_exact=True)


@functools.cache
def chunked_run(chunk_size: int) -> hedgesim.Results:
    """64 replicates with steps, in chunks of ``chunk_size`` (cached: two tests read each)."""
    return hedgesim.run(scenario(), replicates=64, record="steps", chunk_size=chunk_size)


@pytest.mark.parametrize("chunk_size", [1, 7])
def test_any_chunking_gives_identical_results(chunk_size: int) -> None:
    """Chunks of 1 and 7 against one chunk of 64: runs, steps and moves identical, dtypes included."""
    whole, chunked = chunked_run(64), chunked_run(chunk_size)
    pd.testing.assert_frame_equal(whole.runs, chunked.runs, check_exact=True)
    pd.testing.assert_frame_equal(whole.steps, chunked.steps, check_exact=True)
    pd.testing.assert_frame_equal(whole.moves, chunked.moves, check_exact=True)


@pytest.mark.parametrize("chunk_size", [1, 7])
def test_any_chunking_gives_identical_values(chunk_size: int) -> None:
    """The values alone (category sets aside), so a dtype slip is told apart from a different simulation."""
    whole, chunked = chunked_run(64), chunked_run(chunk_size)
    assert whole.moves is not None and chunked.moves is not None
    pd.testing.assert_frame_equal(moves_of(whole.moves, range(64)), moves_of(chunked.moves, range(64)))


@pytest.mark.parametrize("i", [0, 5, 63])
def test_one_replicate_alone_equals_its_row_in_a_batch(i: int) -> None:
    """R = 1 is the same code path: replicate i run alone equals row i of a 64-replicate batch."""
    batch = hedgesim.simulate(scenario(), np.arange(64), record="steps")
    alone = hedgesim.simulate(scenario(), [i], record="steps")
    pd.testing.assert_frame_equal(batch.runs.iloc[[i]].reset_index(drop=True), alone.runs, check_exact=True)
    assert batch.steps is not None and alone.steps is not None and batch.moves is not None and alone.moves is not None
    pd.testing.assert_frame_equal(
        batch.steps[batch.steps["replicate"] == i].reset_index(drop=True), alone.steps, check_exact=True
    )
    pd.testing.assert_frame_equal(moves_of(batch.moves, [i]), moves_of(alone.moves, [i]), check_exact=True)


@settings(max_examples=10, deadline=None)
@given(ids=st.lists(st.integers(0, 199), min_size=1, max_size=12, unique=True))
def test_any_subset_of_replicates_matches_the_batch(ids: list[int]) -> None:
    """Whatever replicates are run together, in whatever order, each comes out as in the full batch."""
    batch = _batch_200()
    sub = hedgesim.simulate(scenario(), ids).runs
    expected = batch.set_index("replicate").loc[ids].reset_index()
    pd.testing.assert_frame_equal(expected, sub, check_exact=True)


_BATCH: pd.DataFrame | None = None


def _batch_200() -> pd.DataFrame:
    global _BATCH
    if _BATCH is None:
        _BATCH = hedgesim.simulate(scenario(), np.arange(200)).runs
    return _BATCH


def test_different_seeds_differ() -> None:
    a = hedgesim.run(scenario(), replicates=32, seed=1)
    b = hedgesim.run(scenario(), replicates=32, seed=2)
    c = hedgesim.run(scenario(), replicates=32, seed=1)
    pd.testing.assert_frame_equal(a.runs, c.runs, check_exact=True)
    # The hedger's choices are random, so different streams must give different alignments.
    assert not np.array_equal(a.runs["Belarus.alignment"], b.runs["Belarus.alignment"])
    assert (a.runs["n_lean_bloc"] != b.runs["n_lean_bloc"]).any()


def test_replicates_within_a_run_differ() -> None:
    """Each replicate has its own stream: they are not copies of one another."""
    runs = hedgesim.run(scenario(), replicates=32).runs
    assert runs["Belarus.alignment"].nunique() > 1
    assert runs[["n_lean_patron", "n_hedge", "n_lean_bloc"]].drop_duplicates().shape[0] > 1


def test_seed_from_scenario_and_argument_agree() -> None:
    """run(seed=s) equals a scenario whose seed is s: one seed, one stream family."""
    a = hedgesim.run(scenario(), replicates=16, seed=12345).runs
    b = hedgesim.run(scenario(), replicates=16, overrides={"seed": 12345}).runs
    pd.testing.assert_frame_equal(a, b, check_exact=True)


@pytest.mark.slow
def test_full_size_chunking_is_invisible() -> None:
    """The baseline as shipped (120 steps), 3000 replicates: one chunk vs chunks of 1000 and 777."""
    sc = hedgesim.load_scenario(BASELINE)
    whole = hedgesim.run(sc, replicates=3000, chunk_size=10_000).runs
    for chunk in (1000, 777):
        pd.testing.assert_frame_equal(whole, hedgesim.run(sc, replicates=3000, chunk_size=chunk).runs, check_exact=True)


@pytest.mark.parametrize("mode", ["none", "prior", "posterior"])
def test_chunking_is_invisible_under_every_uncertainty(mode: str) -> None:
    """Each replicate's drawn parameters, facts and types come from its own stream: chunks of 5 give the
    same runs, draws included, as one chunk of 40, whatever the uncertainty."""
    whole = hedgesim.run(scenario(), replicates=40, uncertainty=mode, chunk_size=40, progress=False).runs
    chunked = hedgesim.run(scenario(), replicates=40, uncertainty=mode, chunk_size=5, progress=False).runs
    pd.testing.assert_frame_equal(whole, chunked, check_exact=True)
    drawn = [c for c in whole.columns if c.startswith("draw.")]
    assert bool(drawn) == (mode != "none"), f"draw columns under {mode}: {drawn[:3]}"
    if drawn:
        assert whole[drawn].nunique().max() > 1, "replicates should draw different values"
