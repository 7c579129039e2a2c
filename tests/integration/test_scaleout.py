"""Sweeps across process boundaries: a multi-process Dask LocalCluster, and a scheduler and workers
started as processes of their own (as on a cluster), each giving the serial run's tables byte for byte."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hedgesim.sweep import load_sweep, run_sweep
from tests.integration.test_sweep import tables, tiny_sweep

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    tmp = tmp_path_factory.mktemp("ref")
    f = tiny_sweep(tmp)
    rep = run_sweep(load_sweep(f), out=tmp / "serial", workers=1, progress=False, echo=lambda m: None)
    assert rep.complete
    return f, tables(rep.folder)


def test_a_multi_process_local_cluster_gives_the_same_tables(
    reference: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    """Tasks and results are pickled across processes (processes=True), unlike a threaded LocalCluster."""
    f, want = reference
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc,
        distributed.Client(lc) as client,
    ):
        pids = set(client.run(lambda: __import__("os").getpid()).values())
        assert len(pids) == 2 and not pids & {__import__("os").getpid()}, "workers must be other processes"
        rep = run_sweep(f, out=tmp_path / "dask", executor=client.get_executor(pure=False), progress=False)
    assert rep.complete and tables(rep.folder) == want


def _dask(*args: str) -> list[str]:
    exe = Path(sys.executable).parent / "dask"
    if not exe.exists():
        pytest.skip("the dask command line is not installed beside this Python")
    return [str(exe), *args]


@pytest.fixture
def separate_cluster(tmp_path: Path) -> Iterator[str]:
    """`dask scheduler` and `dask worker` (2 processes) started as processes of their own on 127.0.0.1."""
    info = tmp_path / "scheduler.json"
    procs = [
        subprocess.Popen(
            _dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(info)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    ]
    try:
        deadline = time.monotonic() + 120
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        worker = ["worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"]
        procs.append(
            subprocess.Popen(
                _dask(*worker), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
        )
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:  # each in its own session: the worker command's nannies and workers go with it
        for proc in reversed(procs):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def test_a_scheduler_started_as_its_own_process_gives_the_same_tables(
    reference: tuple[Path, dict[str, bytes]], tmp_path: Path, separate_cluster: str
) -> None:
    """The coordinator is a third process: `hedgesim sweep --scheduler tcp://127.0.0.1:PORT`."""
    f, want = reference
    out = tmp_path / "remote"
    args = ["sweep", str(f), "--scheduler", separate_cluster, "--out", str(out), "--no-figures"]
    proc = subprocess.run(
        [sys.executable, "-m", "hedgesim", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert tables(out) == want
