"""The sweep store under what users and machines do to it: damaged parts, a kill between the final
renames, a coordinator killed under its workers, two sweeps on one folder, and a resume with the
parameters listed in another order. Each failed on the code before its fix."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from hedgesim.errors import InputError
from hedgesim.sweep import run_sweep
from tests.integration.test_sweep import tables, write
from tests.paths import BASELINE

FILE = """
name: store
base: {base}
set: {{horizon: 12}}
parameters:
{params}
design: lhs
samples: 3
replicates: 20
seed: 5
chunk_size: 10
"""
PARAMS = ["  actors.NATO.state.posture: {range: [0.1, 0.9]}", "  parameters.incident_rate: {range: [0.01, 0.2]}"]


def sweep_file(folder: Path, name: str = "store.yaml", params: list[str] = PARAMS) -> Path:
    return write(folder / name, FILE.format(base=BASELINE, params="\n".join(params)))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    """A finished sweep (3 points x 2 chunks): its file, its folder and its tables."""
    tmp = tmp_path_factory.mktemp("ref")
    f = sweep_file(tmp)
    rep = run_sweep(f, out=tmp / "ref", workers=1, progress=False, echo=lambda m: None)
    assert rep.complete and rep.chunks_run == 6
    return f, rep.folder, tables(rep.folder)


def copy(folder: Path, dest: Path, drop: tuple[str, ...] = ()) -> Path:
    shutil.copytree(folder, dest)
    for name in drop:
        (dest / name).unlink()
    return dest


def resume(f: Path, out: Path) -> tuple[object, list[str]]:
    notes: list[str] = []
    rep = run_sweep(f, resume=out, workers=1, progress=False, echo=notes.append)
    return rep, notes


# --------------------------------------------------------------------------- damaged parts


def test_damaged_parts_are_found_and_run_again(reference: tuple[Path, Path, dict], tmp_path: Path) -> None:
    """A truncated, an empty, a garbage part, and one copied over another point's name."""
    f, ref, want = reference
    out = copy(ref, tmp_path / "out", drop=("runs.parquet", "summary.parquet"))
    parts = out / "parts"
    truncated = parts / "part-0000000-00000000.parquet"
    truncated.write_bytes(truncated.read_bytes()[:300])
    (parts / "part-0000000-00000010.parquet").write_bytes(b"")
    (parts / "part-0000001-00000000.parquet").write_bytes(b"PAR1" + b"\0" * 50)
    shutil.copy(parts / "part-0000002-00000010.parquet", parts / "part-0000001-00000010.parquet")
    rep, notes = resume(f, out)
    assert rep.complete and rep.chunks_run == 4, (rep, notes)
    assert len(notes) == 4 and all("moved to damaged/ and its chunk runs again" in n for n in notes), notes
    assert any("holds point 2-2, not the 1-1 its name says" in n for n in notes), notes
    assert tables(out) == want
    assert len(os.listdir(out / "damaged")) == 4


# --------------------------------------------------------------------------- a kill between the final renames


@pytest.mark.parametrize("missing", ["summary.parquet", "runs.parquet"])
def test_a_missing_final_table_is_rebuilt_on_resume(
    reference: tuple[Path, Path, dict], tmp_path: Path, missing: str
) -> None:
    """kill -9 between the renames left runs.parquet without summary.parquet; --resume then did nothing."""
    f, ref, want = reference
    out = copy(ref, tmp_path / "out", drop=(missing,))
    rep, _ = resume(f, out)
    assert rep.complete and rep.chunks_run == 0
    assert tables(out) == want


# --------------------------------------------------------------------------- the coordinator dies


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc")
def test_workers_exit_when_the_coordinator_is_killed(tmp_path: Path) -> None:
    """After kill -9 of a sweep, its workers lived on, blocked writing results (> a pipe's 64 KB) to it."""
    f = write(
        tmp_path / "big.yaml",
        f"base: {BASELINE}\nset: {{horizon: 24}}\nreplicates: 6000\nchunk_size: 2000\nseed: 1\n"
        "parameters:\n  actors.NATO.state.posture: {values: [0.2, 0.4, 0.6]}\n",
    )
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "hedgesim", "sweep", str(f), "--out", str(out), "--workers", "2", "--no-figures"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        workers |= _children(proc.pid)
        if (out / "parts").is_dir() and any((out / "parts").glob("part-*")):
            break
        time.sleep(0.05)
    assert proc.poll() is None and len(workers) >= 2, "the sweep must still be running, with its workers"
    os.kill(proc.pid, signal.SIGKILL)  # the coordinator only, as the OOM killer or a scheduler would
    proc.wait(timeout=30)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, f"{len(left)} worker(s) outlived the coordinator"


# --------------------------------------------------------------------------- two sweeps, one folder


_RACE: dict[str, object] = {}


def _meet_at_the_rename(event: str, args: tuple) -> None:
    """Audit hook: hold each rename onto the raced folder until both sweeps reach it (a no-op otherwise)."""
    if event == "os.rename" and _RACE and str(args[1]) == str(_RACE["final"]):
        _RACE["barrier"].wait(timeout=60)  # type: ignore[attr-defined]


sys.addaudithook(_meet_at_the_rename)


def test_two_sweeps_racing_for_one_folder_one_is_refused(tmp_path: Path) -> None:
    """Both pass the 'does it exist' checks, then both rename their assembled folder onto the name.

    The race is made certain, not likely: Python's audit event for os.rename holds each sweep at its
    rename until the other is there too. The loser got OSError (Directory not empty) before.
    """
    f = sweep_file(tmp_path)
    out = tmp_path / "out"
    outcome: dict[str, object] = {}

    def one(name: str) -> None:
        try:
            outcome[name] = run_sweep(f, out=out, workers=1, progress=False, echo=lambda m: None)
        except Exception as exc:  # what the loser gets is the point of the test
            outcome[name] = exc

    _RACE.update(final=out, barrier=threading.Barrier(2))
    try:
        threads = [threading.Thread(target=one, args=(n,)) for n in ("a", "b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    finally:
        _RACE.clear()
    errors = [v for v in outcome.values() if isinstance(v, Exception)]
    assert len(outcome) == 2 and len(errors) == 1, outcome
    assert isinstance(errors[0], InputError) and "already exists" in errors[0].message, repr(errors[0])
    assert pq.read_metadata(out / "runs.parquet").num_rows == 60
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "store.yaml"], "the loser left nothing behind"


# --------------------------------------------------------------------------- parameters in another order


def test_resume_with_the_parameters_in_another_order_is_the_same_sweep(
    reference: tuple[Path, Path, dict], tmp_path: Path
) -> None:
    """It printed a misleading note and wrote a summary with other bytes (an lhs design: order matters)."""
    _, ref, want = reference
    out = copy(ref, tmp_path / "out", drop=("runs.parquet", "summary.parquet"))
    for part in sorted((out / "parts").glob("part-*"))[:3]:
        part.unlink()
    swapped = sweep_file(tmp_path, "swapped.yaml", PARAMS[::-1])
    rep, notes = resume(swapped, out)
    assert rep.complete and rep.chunks_run == 3
    assert not notes, notes
    assert tables(out) == want
