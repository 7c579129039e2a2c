"""sweep.drive: the one loop that feeds sweeps' and calibrations' tasks to an executor."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from hedgesim.sweep import InlineExecutor
from hedgesim.sweep.drive import drive, own_executor


def square(x: int) -> int:
    return x * x


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x


def test_every_task_is_collected_once_with_its_result() -> None:
    got: dict[int, int] = {}
    out = drive(range(10), square, lambda t, f: got.__setitem__(t, f.result()), InlineExecutor(), lambda: 2, False)
    assert not out.interrupted and out.broken is None
    assert got == {i: i * i for i in range(10)}


def test_no_more_than_the_limit_is_in_flight() -> None:
    """A thread pool of 4 with a limit of 2: tasks wait on a gate, so in flight is what was submitted."""
    gate = threading.Event()
    running, peak = [0], [0]
    lock = threading.Lock()

    def slow(x: int) -> int:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        gate.wait(0.05)
        with lock:
            running[0] -= 1
        return x

    seen: list[int] = []
    with ThreadPoolExecutor(4) as ex:
        drive(range(12), slow, lambda t, f: seen.append(f.result()), ex, lambda: 2, False)
    assert sorted(seen) == list(range(12)) and peak[0] <= 2


def test_a_failing_task_is_handed_to_collect_and_the_rest_go_on() -> None:
    errors: list[str] = []
    ok: list[int] = []

    def collect(t: int, f: Future) -> None:
        if f.exception() is not None:
            errors.append(f"{t}: {f.exception()}")
        else:
            ok.append(f.result())

    drive(range(6), fail_on_three, collect, InlineExecutor(), lambda: 3, False)
    assert errors == ["3: three"] and sorted(ok) == [0, 1, 2, 4, 5]


def test_an_interrupt_stops_submission_and_keeps_what_finished() -> None:
    kept: list[int] = []

    def collect(t: int, f: Future) -> None:
        kept.append(f.result())
        if t == 4:
            raise KeyboardInterrupt  # as Ctrl-C arriving while the coordinator stores a result

    out = drive(range(100), square, collect, InlineExecutor(), lambda: 1, False)
    assert out.interrupted
    assert kept == [0, 1, 4, 9, 16]  # nothing after the interrupt was submitted


def test_own_executor_is_inline_for_one_worker_and_reports_a_given_pool() -> None:
    ex, n, own = own_executor(None, 1)
    assert isinstance(ex, InlineExecutor) and n == 1 and own
    with ThreadPoolExecutor(3) as pool:
        ex, n, own = own_executor(pool, None)
        assert ex is pool and n == 3 and not own


@pytest.mark.parametrize("limit", [0, -5])
def test_a_limit_below_one_still_makes_progress(limit: int) -> None:
    got: list[int] = []
    drive(range(3), square, lambda t, f: got.append(f.result()), InlineExecutor(), lambda: limit, False)
    assert sorted(got) == [0, 1, 4]
