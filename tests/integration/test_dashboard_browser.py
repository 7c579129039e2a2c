"""`hedgesim dashboard` in a real browser: headless Chromium driven by Playwright, with no internet.

Starts the dashboard on a free 127.0.0.1 port from another working directory, and checks
that the page loads with no console error and no request leaving 127.0.0.1 (every other
request is aborted and recorded), that moving a control changes the shown distribution,
that stepping the story replicate advances its story, that a bad value typed into the page
is refused with a message, and that a second browser session has its own state.

Uses the system's Chromium (``apt-get install chromium`` on Debian; another path through
``HEDGESIM_CHROMIUM``), never ``playwright install``. Skips, saying why, where there is no
browser, no Playwright or no ``hedgesim[dashboard]``. Screenshots go to
``HEDGESIM_SCREENSHOTS`` when set (the README's come from ``docs/images``), else to a
temporary folder. No timing is asserted: latencies are measured by
benchmarks/bench_dashboard.py.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from hedgesim.dashboard import EXTRA, missing_dependencies

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("HEDGESIM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL = {"127.0.0.1"}


def _skip_reason() -> str | None:
    if missing_dependencies():
        return f"needs {EXTRA} (missing: {', '.join(missing_dependencies())})"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs Playwright (pip install playwright; it drives the system's Chromium)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set HEDGESIM_CHROMIUM)"
    return None


if (_reason := _skip_reason()) is not None:
    pytest.skip(_reason, allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard, started as a user would, from a folder with no scenarios in it."""
    port = _free_port()
    where = tmp_path_factory.mktemp("elsewhere")
    log = (where / "server.log").open("w")
    cmd = [sys.executable, "-m", "hedgesim", "dashboard", "baseline", "--port", str(port)]
    proc = subprocess.Popen(
        cmd, cwd=where, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 180  # start-up imports Solara and warms the first ensemble
        while True:
            assert proc.poll() is None, f"the dashboard exited: {(where / 'server.log').read_text()}"
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                assert time.monotonic() < deadline, f"no answer on {url}: {(where / 'server.log').read_text()}"
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        text = (where / "server.log").read_text()
        assert "Could not load URL" not in text, f"the server tried to fetch an asset from outside: {text}"
        assert "Traceback" not in text, text


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)  # a fresh temporary profile
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("HEDGESIM_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Session:
    """A browser page whose requests leaving 127.0.0.1 are aborted and recorded, with its console errors."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1100})
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []

        def route(r) -> None:
            if r.request.url.startswith("data:") or urlparse(r.request.url).hostname in LOCAL:
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page: Page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.on(
            "websocket", lambda ws: None if urlparse(ws.url).hostname in LOCAL else self.outside.append(ws.url)
        )
        self.page.goto(url)
        self.page.wait_for_selector(".hs-dist[data-stale='0']", timeout=120_000)
        self.page.wait_for_selector(".hs-story", timeout=60_000)

    def key(self) -> str:
        return self.page.get_attribute(".hs-dist", "data-key") or ""

    def wait_shown(self, pattern: str) -> None:
        """Wait until the distribution drawn (not stale) has a key matching ``pattern``."""
        self.page.wait_for_function(
            "p => { const d = document.querySelector('.hs-dist');"
            " return d && d.dataset.stale === '0' && new RegExp(p).test(d.dataset.key); }",
            arg=pattern,
            timeout=60_000,
        )

    def shares(self) -> dict[str, str]:
        return {
            r.get_attribute("data-outcome"): r.get_attribute("data-share") for r in self.page.locator(".hs-row").all()
        }

    def slider(self, key: str) -> float:
        return float(self.page.get_attribute(f".hs-control-{key} [role=slider]", "aria-valuenow"))

    def select(self, css: str, text: str) -> None:
        self.page.locator(f"{css} .v-select__slot").click()
        self.page.locator(".menuable__content__active .v-list-item").filter(
            has_text=re.compile(f"^{re.escape(text)}$")
        ).first.click()

    def assert_clean(self) -> None:
        assert self.outside == [], f"requests left 127.0.0.1: {self.outside}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.failed == [], f"failed responses: {self.failed}"


def test_dashboard_in_a_browser(server: str, browser: Browser, shots: Path) -> None:
    s = Session(browser, server)
    try:
        _use_the_page(s, server, browser, shots)
    except Exception:
        s.page.screenshot(path=str(shots / "failure.png"), full_page=True, animations="disabled")
        raise
    s.assert_clean()
    s.context.close()


def _use_the_page(s: Session, server: str, browser: Browser, shots: Path) -> None:
    assert s.key() == "baseline||replicates=500,uncertainty=posterior"  # the scenario itself: no lever moved
    assert s.slider("flank_posture") == 0.25
    assert s.page.locator(".hs-loss-curve").count() == 1
    s.page.screenshot(path=str(shots / "dashboard.png"), full_page=True, animations="disabled")

    # Moving a control changes the distribution: NATO's posture 0.25 -> 0.55 (PageUp is a tenth of the range).
    before = s.shares()
    s.page.locator(".hs-control-flank_posture [role=slider]").focus()
    for _ in range(3):
        s.page.keyboard.press("PageUp")
    s.wait_shown(r"^baseline\|flank_posture=0\.55\|replicates=500,uncertainty=posterior$")
    assert s.shares() != before
    assert float(s.shares()["neutrality_kept"]) < float(before["neutrality_kept"])
    s.page.screenshot(path=str(shots / "dashboard_flank.png"), full_page=True, animations="disabled")

    # Stepping the story replicate advances its story, month by month.
    step = s.page.get_by_role("button", name="Step")
    for month in range(1, 6):
        step.click()
        s.page.wait_for_selector(f".hs-story[data-steps='{month}']", timeout=30_000)
    assert s.page.locator(".hs-story-row").count() == 5
    assert s.page.inner_text(".hs-story-head").startswith("Month 5 of 120 (2019-05)")
    assert "Belarus" in s.page.inner_text(".hs-story")

    # The story of a replicate that lost neutrality, stepped to its outcome.
    s.page.locator(".hs-lost").click()
    s.page.wait_for_selector(".hs-story[data-steps='0']:not([data-replicate='0'])", timeout=30_000)
    s.page.wait_for_selector(".hs-lost")  # now offering the next replicate that lost neutrality
    s.page.get_by_role("button", name="▶").click()  # SolaraViz's own Play (and Pause) toggle
    s.page.wait_for_selector(".hs-decided", timeout=120_000)
    s.page.get_by_role("button", name="❚❚").click()
    s.page.get_by_role("button", name="▶").wait_for()
    s.page.screenshot(path=str(shots / "dashboard_story.png"), full_page=True, animations="disabled")

    # A value the page cannot use is refused with a message, and what is shown stays.
    shown = s.key()
    field = s.page.locator(".hs-replicate input")
    field.fill("5000")
    field.press("Enter")
    s.page.wait_for_selector(".hs-problem", timeout=30_000)
    assert "replicate: must be a whole number from 0 to 499" in s.page.inner_text(".hs-problem")
    assert s.key() == shown

    # Another scenario brings its own lever values.
    s.select(".hs-scenario", "flank_buildup")
    s.wait_shown(r"^flank_buildup\|\|replicates=500,uncertainty=posterior$")
    assert s.slider("flank_posture") == 0.78

    # A second browser session starts from the defaults and moves nothing in the first.
    other = Session(browser, server)
    assert other.key() == "baseline||replicates=500,uncertainty=posterior"
    assert other.page.get_attribute(".hs-story", "data-steps") == "0"
    other.page.locator(".hs-control-flank_posture [role=slider]").focus()
    other.page.keyboard.press("PageDown")
    other.wait_shown(r"^baseline\|flank_posture=0\.15\|replicates=500,uncertainty=posterior$")
    assert s.key() == "flank_buildup||replicates=500,uncertainty=posterior"
    other.assert_clean()
    other.context.close()
