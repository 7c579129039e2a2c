"""A worker whose coordinator is already gone when it starts exits at once (it must not wait for a parent
that is not the coordinator)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

CODE = """
import os, sys, time
from hedgesim.sweep.executors import worker_init
worker_init(int(sys.argv[1]))
time.sleep(30)
"""


def test_an_orphan_at_start_exits_with_status_3() -> None:
    gone = 2**22 + 7  # not this process's pid: as if the coordinator had died before the worker started
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", CODE, str(gone)], timeout=25, check=False)
    assert proc.returncode == 3
    assert time.monotonic() - t0 < 20


def test_a_worker_of_a_living_coordinator_keeps_running() -> None:
    proc = subprocess.Popen([sys.executable, "-c", CODE, str(os.getpid())])
    try:
        time.sleep(3)
        assert proc.poll() is None, "the watcher must not stop a worker whose coordinator lives"
    finally:
        proc.kill()
        proc.wait(timeout=10)
