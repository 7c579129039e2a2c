"""Feedback: -q/-v on every command, a progress bar on long runs only where someone can see it,
and a clean fallback in a notebook without ipywidgets."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path

import click
import pytest

from hedgesim.cli import main

# 20,000 replicates x 100 steps = 2,000,000 replicate-steps: just long enough for the default bar.
LONG = ["run", "baseline", "-n", "20000", "--set", "horizon=100", "--no-figures"]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_takes_quiet_and_verbose(name: str, cli: Callable) -> None:
    options = {opt for param in main.commands[name].params for opt in getattr(param, "opts", [])}
    assert {"-q", "--quiet", "-v", "--verbose"} <= options
    assert cli([name, "--help"]).exit_code == 0


def test_quiet_prints_only_the_results_path_and_verbose_says_more(tmp_path: Path, cli: Callable) -> None:
    args = ["run", "baseline", "-n", "10", "--set", "horizon=40", "--no-figures"]
    quiet = cli([*args, "-q", "--out", tmp_path / "q"])
    assert quiet.exit_code == 0 and quiet.stdout == f"results: {tmp_path / 'q'}\n" and quiet.stderr == ""
    normal = cli([*args, "--out", tmp_path / "n"])
    assert "neutrality_kept" in normal.stdout and normal.stderr == ""
    verbose = cli(["-v", *args, "--out", tmp_path / "v"])
    assert "simulated in" in verbose.stderr and "10 replicates x 40 steps" in verbose.stderr
    assert cli(["validate", "-q", "baseline"]).stdout == ""
    assert isinstance(main, click.Group)


def _in_a_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run hedgesim with stdout and stderr on a pseudo-terminal; return its exit status and what it drew."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty is 0 columns wide
    proc = subprocess.Popen(
        [sys.executable, "-m", "hedgesim", *args], stdout=follower, stderr=follower, stdin=subprocess.DEVNULL, cwd=cwd
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 300)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(timeout=60), b"".join(chunks).decode(errors="replace")


@pytest.mark.slow
def test_a_progress_bar_on_long_runs_in_a_terminal_only(tmp_path: Path) -> None:
    status, drawn = _in_a_terminal([*LONG, "--out", str(tmp_path / "tty")], tmp_path)
    assert status == 0 and "run/s" in drawn and "100%" in drawn, drawn[-500:]
    piped = subprocess.run(
        [sys.executable, "-m", "hedgesim", *LONG, "--out", str(tmp_path / "pipe")],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert piped.returncode == 0 and piped.stderr == "", piped.stderr[-500:]


def test_a_notebook_without_ipywidgets_gets_a_text_bar_and_no_warning(tmp_path: Path) -> None:
    """tqdm.auto warned 'IProgress not found' in a kernel without ipywidgets (Mesa imports it too)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    widgets = subprocess.run([sys.executable, "-c", "import ipywidgets"], capture_output=True).returncode == 0
    spec = tmp_path / "kernels" / "hedgesim-progress"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "p", "language": "python"}))
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import hedgesim\nres = hedgesim.run('baseline', replicates=30, progress=True)"),
        nbformat.v4.new_code_cell("print(len(res.runs))"),
    ]
    os.environ["JUPYTER_PATH"] = str(tmp_path)
    try:
        nbclient.NotebookClient(nb, timeout=300, kernel_name="hedgesim-progress").execute()
    finally:
        del os.environ["JUPYTER_PATH"]
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "IProgress" not in stderr and "Warning" not in stderr, stderr
    assert not [o for o in outputs if o.get("output_type") == "error"]
    if not widgets:
        assert "30/30" in stderr, stderr  # the text bar, drawn to the cell's stderr
