"""`hedgesim dashboard` checks everything before it starts: scenario, port, and the optional extra."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from hedgesim.dashboard import EXTRA, missing_dependencies, solara_environment


def _cli(*args: str, block: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh interpreter, optionally one where a module cannot be imported."""
    prelude = f"import sys; sys.modules[{block!r}] = None\n" if block else ""
    code = "import sys\n" + prelude + "from hedgesim.cli import main\nmain(sys.argv[1:], prog_name='hedgesim')\n"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


def test_without_the_extra_one_line_names_it() -> None:
    done = _cli("dashboard", "--port", "0", block="solara")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("hedgesim: error: dashboard: the dashboard needs the optional dependencies")
    assert "missing: solara" in done.stderr and f"pip install '{EXTRA}'" in done.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("dashboard", "nowhere"), "no shipped scenario, case or sweep has that name"),
        (("dashboard", "--port", "70000"), "--port: port must be from 0 to 65535"),
        (("dashboard", "--host", "192.0.2.1"), "cannot listen on 192.0.2.1"),  # TEST-NET: not this machine
    ],
)
def test_bad_arguments_are_refused_before_anything_starts(args: tuple[str, ...], words: str) -> None:
    done = _cli(*args)
    assert done.returncode == 2 and words in done.stderr and done.stderr.count("\n") == 1, done.stderr


def test_a_port_in_use_is_refused() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _cli("dashboard", "--port", str(port))
    assert done.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in done.stderr


def test_the_server_is_set_up_for_no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOLARA_ASSETS_CDN", raising=False)
    env = solara_environment("baseline")
    assert env["SOLARA_APP"] == "hedgesim.dashboard.app"
    assert env["SOLARA_ASSETS_CDN"].startswith("http://127.0.0.1:")  # a miss fails here, never fetched outside
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"


def test_this_environment_has_the_extra() -> None:
    pytest.importorskip("solara", reason=f"{EXTRA} is not installed here")
    assert missing_dependencies() == []
