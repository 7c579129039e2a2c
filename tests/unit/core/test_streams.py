"""Per-replicate streams built at once are numpy's own ``SeedSequence`` streams, bit for bit.

Replicate ``i``'s numbers must not depend on how replicates are batched, and on a
scenario's seed alone; :mod:`hedgesim.core.streams` reproduces numpy's ``SeedSequence``
hash for many replicates at once, so every case here is compared with numpy's own
construction, word by word and draw by draw.
"""

from __future__ import annotations

import gc

import numpy as np
import pytest

from hedgesim.core.streams import seed_words, streams

SEEDS = [0, 1, 7, 20140101, 2**31, 2**32 - 1]
KEYS = [(), (3,), (0, 5), (1, 2, 3), (2**32 - 1, 0)]
IDS = np.array([0, 1, 2, 99, 12_345, 2**31, 2**32 - 1])


def numpy_stream(seed: int, key: tuple[int, ...]) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("prefix", KEYS)
@pytest.mark.parametrize("suffix", [(), (0x5EED,), (2**31 + 5, 9)])
def test_streams_match_numpy_seedsequence(seed: int, prefix: tuple[int, ...], suffix: tuple[int, ...]) -> None:
    gens = streams(seed, prefix, IDS, suffix)
    assert len(gens) == len(IDS)
    for i, g in zip(IDS, gens, strict=True):
        ref = numpy_stream(seed, (*prefix, int(i), *suffix))
        np.testing.assert_array_equal(g.random(64), ref.random(64))
        np.testing.assert_array_equal(g.integers(0, 2**63, 8), ref.integers(0, 2**63, 8))


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_words_are_what_seedsequence_hands_pcg64(seed: int) -> None:
    keys = np.array([[0, 0], [1, 2], [2**32 - 1, 7], [123_456, 2**31]], dtype=np.uint64)
    words = seed_words(seed, keys)
    for row, key in zip(words, keys, strict=True):
        ref = np.random.SeedSequence(seed, spawn_key=tuple(int(k) for k in key)).generate_state(4, np.uint64)
        np.testing.assert_array_equal(row, ref)


@pytest.mark.parametrize(
    ("seed", "prefix", "ids"),
    [
        (2**32, (), np.arange(3)),  # a seed of two words
        (5, (2**40,), np.arange(3)),  # a key element of two words
        (5, (), np.array([0, 2**33])),  # a replicate id of two words
    ],
)
def test_keys_beyond_32_bits_fall_back_to_numpy(seed: int, prefix: tuple[int, ...], ids: np.ndarray) -> None:
    for i, g in zip(ids, streams(seed, prefix, ids), strict=True):
        np.testing.assert_array_equal(g.random(16), numpy_stream(seed, (*prefix, int(i))).random(16))


def test_chunking_does_not_change_a_replicate() -> None:
    whole = [g.random(32) for g in streams(11, (4,), np.arange(100))]
    parts = [g.random(32) for g in streams(11, (4,), np.arange(60, 100))]
    for a, b in zip(whole[60:], parts, strict=True):
        np.testing.assert_array_equal(a, b)


def test_no_replicates_and_the_collector_is_restored() -> None:
    assert streams(3, (), np.array([], dtype=np.int64)) == []
    gc.disable()
    try:
        streams(3, (), np.arange(5))
        assert not gc.isenabled(), "a disabled collector must stay disabled"
    finally:
        gc.enable()
    streams(3, (), np.arange(5))
    assert gc.isenabled()
