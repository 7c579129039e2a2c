"""Serving the dashboard: check the optional dependencies, set Solara up for offline use, run uvicorn.

``hedgesim dashboard`` runs Solara's documented embedding route (its Starlette app under
uvicorn, with ``SOLARA_APP`` naming :mod:`hedgesim.dashboard.app`) in this process. The
front-end assets come from the ``solara-assets`` package in this environment (or a folder
named by ``SOLARA_ASSETS_PROXY_CACHE_DIR``) and are served by the dashboard itself;
``SOLARA_ASSETS_CDN`` points at a closed local port, so an asset missing from that folder
fails at once on this machine instead of being fetched from a public CDN. Telemetry is off.
Solara reads these settings when first imported, so they are set before any Solara import.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import socket
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

from ..ensemble import base_scenario
from ..errors import InputError

__all__ = ["EXTRA", "assets_folder", "missing_dependencies", "serve", "solara_environment"]

#: The optional extra that installs what the dashboard needs.
EXTRA = "hedgesim[dashboard]"
#: Modules the dashboard imports beyond hedgesim's own dependencies.
_MODULES = ("solara", "uvicorn", "starlette", "ipyvuetify", "ipyvue", "reacton", "altair")
#: Front-end assets the page asks for (``solara-assets`` ships them for the pinned Solara).
_ASSETS = ("requirejs@2.3.6", "font-awesome@4.5.0", "@widgetti/solara-vuetify-app@10.1.1")


def assets_folder() -> Path:
    """Where the server finds the front-end assets (Solara's proxy cache folder)."""
    named = os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR")
    return Path(named) if named else Path(sys.prefix) / "share" / "solara" / "cdn"


def missing_dependencies() -> list[str]:
    """What is missing or wrong for the dashboard, in words (empty when it can run); imports nothing."""
    missing = []
    for name in _MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    for name in ("ipyvuetify", "ipyvue"):
        try:
            if int(importlib.metadata.version(name).split(".")[0]) >= 3:
                missing.append(f"{name}<3 (SolaraViz's grid is Vue 2)")
        except importlib.metadata.PackageNotFoundError:
            pass
    folder = assets_folder()
    if not missing and not all((folder / asset).is_dir() for asset in _ASSETS):
        missing.append(f"the front-end assets (solara-assets) under {folder}")
    return missing


def solara_environment(scenario: str) -> dict[str, str]:
    """The environment the server runs with: the app, offline assets, no telemetry, the first scenario."""
    return {
        "SOLARA_APP": "hedgesim.dashboard.app",
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
        "SOLARA_ASSETS_CDN": os.environ.get("SOLARA_ASSETS_CDN", "http://127.0.0.1:9/npm/"),
        "SOLARA_CHECK_HOOKS": "off",  # Mesa's own ComponentsView trips Solara's hook checker
        "HEDGESIM_DASHBOARD_SCENARIO": scenario,
    }


def _port(host: str, port: int) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise InputError(f"port must be from 0 to 65535 (0: any free port), got {port!r}", field="--port")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port))
            return int(probe.getsockname()[1])
    except OSError as exc:
        raise InputError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} (choose another --port or --host)", field="--port"
        ) from None


def serve(
    scenario: str | Path = "baseline",
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    echo: Callable[[str], object] = print,
) -> None:
    """Serve the dashboard on ``http://host:port/`` until interrupted, opening on ``scenario``.

    ``scenario`` is a shipped scenario's name or a scenario file. Everything is checked
    before the server starts.

    Raises:
        InputError: a bad scenario, host or port, or the ``hedgesim[dashboard]`` extra is missing.
    """
    base_scenario(scenario)  # a bad scenario is reported before anything starts
    chosen = _port(host, port)
    os.environ.update(solara_environment(str(scenario)))
    missing = missing_dependencies()
    if missing:
        raise InputError(
            f"the dashboard needs the optional dependencies of {EXTRA} (missing: {', '.join(missing)}); "
            f"install them with: pip install '{EXTRA}'",
            field="dashboard",
        )
    import uvicorn

    # Served over plain http on a local address, Solara falls back to samesite=lax cookies and says so on every page.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    echo(f"hedgesim dashboard on http://{host}:{chosen}/ (press Ctrl+C to stop)")
    uvicorn.run("solara.server.starlette:app", host=host, port=chosen, workers=1, log_level="warning")
