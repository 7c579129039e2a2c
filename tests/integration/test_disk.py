"""The disk: recorded steps refused in bytes when they cannot fit, and a full disk is one line with nothing left.

A small tmpfs is mounted for the real thing where this process may mount one (root on
Linux); the limit on a file's size (RLIMIT_FSIZE) gives the same error from a real file
system everywhere else.
"""

from __future__ import annotations

import gc
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hedgesim.ensemble import Results

RUN = ["run", "baseline", "--set", "horizon=60"]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs, unmounted afterwards; skipped where mounting is not allowed."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        gc.collect()  # a writer that failed on the full disk may hold its file until collected
        if subprocess.run(["umount", str(mnt)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mnt)], check=True)  # detached now, freed when the last file closes


def test_steps_the_disk_cannot_hold_are_refused_in_bytes_before_running(small_disk: Path, cli: Callable) -> None:
    """150,000 replicates used to be accepted by a row count, run for minutes and die of memory."""
    result = cli([*RUN, "-n", "150000", "--record", "steps", "--out", small_disk / "big"])
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert line.startswith("hedgesim: error: record: recording steps of 150,000 replicates x 60 steps needs about ")
    assert f"on the disk of {small_disk / 'big'}, which has " in line and " MB free" in line
    assert os.listdir(small_disk) == [], "no spool or partial folder may be left"
    fits = cli([*RUN, "-n", "60", "--record", "steps", "--out", small_disk / "small", "--no-figures"])
    assert fits.exit_code == 0, fits.output
    assert Results.load(small_disk / "small").steps is not None
    assert sorted(os.listdir(small_disk)) == ["small"]


def test_a_full_disk_is_one_line_and_leaves_nothing(small_disk: Path, cli: Callable) -> None:
    """The figures do not fit on a 4 MB disk filled by someone else but for 32 KB: a 40-line traceback before."""
    (small_disk / "ballast").write_bytes(b"\0" * (4 * 2**20 - 32 * 2**10))
    result = cli([*RUN, "-n", "20", "--out", small_disk / "run"])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"hedgesim: error: {small_disk / 'run'}: the disk is full"), lines
    assert sorted(os.listdir(small_disk)) == ["ballast"]


def _limited(limit: int) -> Callable[[], None]:
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def test_a_file_size_limit_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    """The same through RLIMIT_FSIZE: steps.parquet cannot grow past 200 KB."""
    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "hedgesim", *RUN, "-n", "400", "--record", "steps", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        preexec_fn=_limited(200 * 2**10),
    )
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "the disk is full (or a size limit was reached) while recording steps" in lines[0]
    assert sorted(os.listdir(tmp_path)) == [], os.listdir(tmp_path)


def test_a_sweep_on_a_full_disk_says_how_to_resume(small_disk: Path, tmp_path: Path, cli: Callable) -> None:
    """Parts fill the disk part way: one line saying how to resume, no half-written part; it resumes."""
    from tests.integration.test_sweep import tables

    spec = tmp_path / "sweep.yaml"
    spec.write_text(
        "base: baseline\nset: {horizon: 12}\nparameters:\n  actors.NATO.state.posture: {range: [0.1, 0.9], levels: 8}\n"
        "replicates: 40\nchunk_size: 10\nseed: 2\n"
    )
    reference = cli(["sweep", spec, "--out", tmp_path / "reference", "--workers", "1", "--no-figures"])
    assert reference.exit_code == 0, reference.output
    ballast = small_disk / "ballast"
    ballast.write_bytes(b"\0" * (4 * 2**20 - 160 * 2**10))
    out = small_disk / "sweep"
    result = cli(["sweep", spec, "--out", out, "--workers", "1", "--no-figures"])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"hedgesim: error: {out}: the disk is full"), lines
    assert f"resume with: hedgesim sweep {spec} --resume {out}" in lines[0]
    assert not [p for p in (out / "parts").iterdir() if p.name.startswith(".")], "a half-written part was left"
    assert 0 < len(list((out / "parts").glob("part-*"))) < 32
    ballast.unlink()
    resumed = cli(["sweep", spec, "--resume", out, "--workers", "1", "--no-figures"])
    assert resumed.exit_code == 0, resumed.output
    assert tables(out) == tables(tmp_path / "reference")
