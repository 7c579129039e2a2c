"""Executors a sweep runs on: in-process, a local process pool, or a Dask cluster.

Any ``concurrent.futures.Executor`` works (a Dask ``client.get_executor()`` is one);
results do not depend on which, nor on the number of workers.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from typing import Any

from ..errors import InputError


def worker_init(coordinator: int | None = None) -> None:
    """Workers leave Ctrl-C to the coordinator, which cancels and shuts them down cleanly.

    They also exit when the coordinator dies (``kill -9``): a worker blocked writing its
    result to the dead coordinator's pipe would otherwise live on forever, holding the
    caller's terminal or output open. ``coordinator`` is the pid that started the pool:
    a worker still importing when the coordinator died is already an orphan when this
    runs, and must not take its new parent for the coordinator.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_parent(parent=coordinator)


def watch_parent(every: float = 0.5, parent: int | None = None) -> threading.Thread:
    """Exit this process as soon as ``parent`` (default: its parent now) is no longer its parent."""
    parent = os.getppid() if parent is None else parent

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(3)
            time.sleep(every)

    thread = threading.Thread(target=watch, name="hedgesim-parent-watch", daemon=True)
    thread.start()
    return thread


class InlineExecutor(Executor):
    """Runs each task in the calling process when submitted: the serial executor (``--workers 1``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        """Run ``fn`` now and return a finished future holding its result or exception."""
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except Exception as exc:
            fut.set_exception(exc)
        return fut


def default_workers() -> int:
    """The number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def process_pool(workers: int) -> Executor:
    """A local process pool. Spawned, not forked: Mesa sets spawn anyway, and fork is unsafe with threads."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=worker_init,
        initargs=(os.getpid(),),
    )


@contextlib.contextmanager
def dask_executor(
    scheduler: str | None = None, local: int | None = None, connect_timeout: float = 10.0
) -> Iterator[tuple[Executor, Callable[[], int]]]:
    """A Dask executor and a function giving its current thread count.

    ``scheduler``: address of a running cluster (e.g. one from dask-jobqueue);
    ``local``: start a LocalCluster of that many single-threaded worker processes.
    """
    field_ = "--scheduler" if scheduler else "--dask-local"
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("Dask is not installed: pip install 'hedgesim[dask]'", field=field_) from None
    cluster = None
    if scheduler:
        if not re.match(r"^[a-z+]+://", scheduler):
            raise InputError(f"scheduler address {scheduler!r} must look like tcp://host:8786", field=field_)
        try:
            client = Client(scheduler, timeout=connect_timeout)
        except Exception as exc:  # OSError/TimeoutError from distributed, anything from a bad address
            raise InputError(
                f"cannot reach the Dask scheduler at {scheduler} within {connect_timeout:g} s "
                f"({type(exc).__name__}: {exc})",
                field=field_,
            ) from None
    else:
        if local is None or local < 1:
            raise InputError(f"--dask-local needs a positive number of workers, got {local}", field=field_)
        import logging

        cluster = LocalCluster(
            n_workers=local, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.WARNING
        )
        client = Client(cluster)
    try:
        yield client.get_executor(pure=False), lambda: sum(client.nthreads().values())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
