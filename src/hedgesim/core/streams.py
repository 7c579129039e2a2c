"""Per-replicate random streams, seeded for thousands of replicates at once.

Replicate ``i`` reads ``PCG64(SeedSequence(seed, spawn_key=(*prefix, i, *suffix)))``, which
is what makes its numbers the same however the ensemble is chunked. Built one
replicate at a time, the ``SeedSequence`` alone costs about 10 us, a tenth of a second
for 10,000 replicates and more than the model's first steps. :func:`seed_words` computes
the words every one of those ``SeedSequence`` objects would hand to ``PCG64``, for all
replicates at once, in numpy: the same hash (numpy's ``SeedSequence``, after
M. E. O'Neill's ``seed_seq_fe``) on ``uint32`` arrays, whose constants depend only on the
position of a word, never on its value. :func:`streams` then builds each ``PCG64`` from
its precomputed words, so the numbers drawn are bit-identical to the one-at-a-time
construction (``tests/unit/core/test_streams.py`` checks this against numpy).

Keys whose words do not fit the fast path (a seed or key element beyond 32 bits, a
negative one) are built by numpy's own ``SeedSequence``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from numpy.random.bit_generator import ISeedSequence

_POOL = 4
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_MASK = 0xFFFFFFFF


def _hash_constants(init: int, mult: int) -> Iterator[np.uint32]:
    """The hash constant used at each hash in turn (it advances by ``mult`` each time)."""
    h = init
    while True:
        yield np.uint32(h)
        h = (h * mult) & _MASK


def _hashmix(value: np.ndarray, const: np.uint32, mult: int) -> np.ndarray:
    value = value ^ const
    value = value * np.uint32((int(const) * mult) & _MASK)
    return value ^ (value >> np.uint32(16))


def _mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    result = np.uint32(_MIX_L) * x - np.uint32(_MIX_R) * y
    return result ^ (result >> np.uint32(16))


def seed_words(seed: int, keys: np.ndarray) -> np.ndarray:
    """The 4 ``uint64`` words ``SeedSequence(seed, spawn_key=tuple(row)).generate_state(4, uint64)`` gives, per row.

    ``seed`` is below 2**32 and every key element in ``[0, 2**32)``; ``keys`` is a 2-D
    integer array, one spawn key per row.
    """
    keys = np.asarray(keys, dtype=np.uint64)
    n, width = keys.shape
    # The entropy words: the seed's one word, zero-padded to the pool size when a spawn key follows.
    run = [np.full(n, seed, dtype=np.uint32)]
    if width:
        run += [np.zeros(n, dtype=np.uint32)] * (_POOL - 1)
    entropy = run + [keys[:, j].astype(np.uint32) for j in range(width)]
    # mix_entropy: the hash constant advances once per hashmix, in a fixed order.
    consts = _hash_constants(_INIT_A, _MULT_A)
    zero = np.zeros(n, dtype=np.uint32)
    with np.errstate(over="ignore"):
        pool = [_hashmix(entropy[i] if i < len(entropy) else zero, next(consts), _MULT_A) for i in range(_POOL)]
        for src in range(_POOL):
            for dst in range(_POOL):
                if src != dst:
                    pool[dst] = _mix(pool[dst], _hashmix(pool[src], next(consts), _MULT_A))
        for src in range(_POOL, len(entropy)):
            for dst in range(_POOL):
                pool[dst] = _mix(pool[dst], _hashmix(entropy[src], next(consts), _MULT_A))
        # generate_state(8 uint32 words): cycle through the pool with the second hash.
        out = np.empty((n, 8), dtype=np.uint32)
        for i, const in zip(range(8), _hash_constants(_INIT_B, _MULT_B), strict=False):
            out[:, i] = _hashmix(pool[i % _POOL], const, _MULT_B)
    return out.astype("<u4", copy=False).view("<u8").astype(np.uint64)


class _Words(ISeedSequence):
    """A seed source that hands ``PCG64`` words computed beforehand (by :func:`seed_words`)."""

    __slots__ = ("words",)

    def __init__(self, words: np.ndarray) -> None:
        self.words = words

    def generate_state(self, n_words: int, dtype: type = np.uint32) -> np.ndarray:
        if n_words != 4 or np.dtype(dtype) != np.uint64:
            raise ValueError("precomputed seed words serve PCG64 only (4 uint64 words)")
        return self.words


def streams(seed: int, prefix: Sequence[int], ids: np.ndarray, suffix: Sequence[int] = ()) -> list[np.random.Generator]:
    """One ``Generator`` per id, on ``PCG64(SeedSequence(seed, spawn_key=(*prefix, id, *suffix)))``."""
    ids = np.asarray(ids, dtype=np.int64)
    key_parts = [int(k) for k in (*prefix, *suffix)]
    fast = (
        0 <= seed <= _MASK
        and all(0 <= k <= _MASK for k in key_parts)
        and (ids.size == 0 or (int(ids.min()) >= 0 and int(ids.max()) <= _MASK))
    )
    if not fast:
        with _no_cyclic_gc():
            return [
                np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(*prefix, int(i), *suffix))))
                for i in ids
            ]
    n = len(ids)
    columns = [np.full(n, k, dtype=np.uint64) for k in prefix]
    columns += [ids.astype(np.uint64)] + [np.full(n, k, dtype=np.uint64) for k in suffix]
    words = seed_words(int(seed), np.stack(columns, axis=1))
    with _no_cyclic_gc():
        return [np.random.Generator(np.random.PCG64(_Words(row))) for row in words]


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cycle collector while thousands of acyclic objects are made.

    Each 700 allocations start a collection, and some of them scan the whole heap (pandas,
    scipy and the scenario included): up to 0.1 s for 10,000 streams, for objects that
    hold no reference cycles. The collector's previous state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
