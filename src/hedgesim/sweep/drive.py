"""Feeding tasks to an executor with a bounded number in flight, and stopping cleanly.

Sweeps and calibrations both hand many independent tasks to a ``concurrent.futures``
executor (inline, a process pool, Dask). Submitting them all at once would hold every
pending task and result in memory; this keeps at most ``limit()`` in flight, hands each
result to ``collect`` as it finishes (the caller stores it at once), and on Ctrl-C or
SIGTERM cancels what has not started, keeps what finished and reports the interruption.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from .executors import InlineExecutor, default_workers, process_pool

T = TypeVar("T")


@dataclass
class Drive:
    """How a drive ended: interrupted, or with a broken executor (and the tasks never submitted)."""

    interrupted: bool = False
    broken: str | None = None


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a scheduler's kill) stops the coordinator like Ctrl-C, so finished work is kept."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def own_executor(executor: Executor | None, workers: int | None) -> tuple[Executor, int, bool]:
    """The executor to use, its worker count, and whether we made it (and so shut it down).

    By default a spawned process pool of ``workers`` processes, in-process when ``workers == 1``.
    """
    n = workers or default_workers()
    if executor is None:
        return (InlineExecutor() if n == 1 else process_pool(n)), n, True
    if workers is None:
        n = getattr(executor, "_max_workers", None) or default_workers()
    return executor, n, False


def drive(
    tasks: Iterable[T],
    fn: Callable[[T], Any],
    collect: Callable[[T, Future], None],
    executor: Executor,
    limit: Callable[[], int],
    own: bool,
) -> Drive:
    """Run ``fn(task)`` for every task on ``executor``, at most ``limit()`` at a time.

    ``collect(task, future)`` is called in this process as each finishes, in completion
    order; it decides what a failure means. On KeyboardInterrupt the pending tasks are
    cancelled (and our own executor shut down), finished ones are still collected, and
    the outcome says so; a broken process pool stops submission and is reported.
    """
    out = Drive()
    pending: dict[Future, T] = {}
    todo = iter(tasks)
    with sigterm_as_interrupt():
        try:
            exhausted = False
            while True:
                cap = max(1, limit())
                while not exhausted and out.broken is None and len(pending) < cap:
                    task = next(todo, None)
                    if task is None:
                        exhausted = True
                        break
                    try:
                        fut = executor.submit(fn, task)
                    except BrokenProcessPool as exc:
                        out.broken = f"{type(exc).__name__}: {exc}"
                        break
                    pending[fut] = task
                if not pending:
                    break
                finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for fut in finished:
                    task = pending.pop(fut)
                    exc = None if fut.cancelled() else fut.exception()
                    if isinstance(exc, BrokenProcessPool):
                        out.broken = f"{type(exc).__name__}: {exc}"
                    collect(task, fut)
        except KeyboardInterrupt:
            out.interrupted = True
            for fut in pending:
                fut.cancel()
            if own:
                executor.shutdown(wait=True, cancel_futures=True)
            for fut, task in list(pending.items()):  # keep what finished while we stopped
                if fut.done() and not fut.cancelled():
                    collect(task, fut)
        finally:
            if own and not out.interrupted:
                executor.shutdown(wait=True, cancel_futures=True)
    return out
