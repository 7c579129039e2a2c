"""Benchmark: the dashboard's recomputation, from a control change to the new distribution drawn.

Two measurements, for ensembles of 500 and 2,000 replicates (target: 500 within 1 s on
a 2-core machine, issue 10):

* ``server``: in this process, what a control change costs the server: the ensemble run
  through ``hedgesim.run`` with the levers as overrides, its summary, and the page's HTML
  (``hedgesim.dashboard.summarise`` with its cache cleared, plus the renderers).
* ``browser``: the whole round trip in headless Chromium: ``hedgesim dashboard`` on a free
  port, the NATO flank posture slider moved by one key press, timed on the page's own
  clock from the key press until a MutationObserver sees the redrawn distribution for the
  new value (Playwright's polling would round up). Includes the page's 50 ms settle pause.
  Needs Playwright, ``hedgesim[dashboard]`` and a Chromium (``--chromium``, default
  /usr/bin/chromium); skipped with a note otherwise.

Each moves the slider to values not computed before, so no cached summary is used.

    python benchmarks/bench_dashboard.py                  # both, 6 moves per size
    python benchmarks/bench_dashboard.py --moves 10 --no-browser
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TARGET_SECONDS = 1.0  # 500 replicates, control change to new distribution drawn (issue 10)
SIZES = (500, 2000)
JS_WHEN_SHOWN = """([pattern, timeout]) => new Promise((resolve, reject) => {
  const ok = () => { const d = document.querySelector('.hs-dist');
    return d && d.dataset.stale === '0' && new RegExp(pattern).test(d.dataset.key); };
  if (ok()) return resolve(performance.now());
  const obs = new MutationObserver(() => { if (ok()) { obs.disconnect(); resolve(performance.now()); } });
  obs.observe(document.body, {subtree: true, childList: true, attributes: true});
  setTimeout(() => { obs.disconnect(); reject(new Error('not shown: ' + pattern)); }, timeout);
})"""


def _line(name: str, n: int, seconds: list[float]) -> str:
    med = statistics.median(seconds)
    verdict = f", {med / TARGET_SECONDS:.2f} x the 1 s target" if n == 500 else ""
    return (
        f"{name:8s} {n:>5,} replicates: median {med:.3f} s, min {min(seconds):.3f} s, max {max(seconds):.3f} s "
        f"over {len(seconds)} moves{verdict}"
    )


def bench_server(moves: int) -> list[str]:
    from hedgesim.dashboard import distribution_html, loss_html, make_settings, summarise

    summarise(make_settings("baseline", {"replicates": 500}))  # imports and first-run costs, not timed
    out = []
    for n in SIZES:
        times = []
        for k in range(moves):
            settings = make_settings("baseline", {"flank_posture": round(0.30 + 0.01 * k, 2), "replicates": n})
            summarise.cache_clear()
            t0 = time.perf_counter()
            summary = summarise(settings)
            distribution_html(summary)
            loss_html(summary)
            times.append(time.perf_counter() - t0)
        out.append(_line("server", n, times))
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_browser(moves: int, chromium: str) -> list[str]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return ["browser  skipped: Playwright is not installed"]
    from hedgesim.dashboard import missing_dependencies

    if missing_dependencies():
        return [f"browser  skipped: hedgesim[dashboard] is missing ({', '.join(missing_dependencies())})"]
    if not Path(chromium).exists():
        return [f"browser  skipped: no Chromium at {chromium}"]
    port = _free_port()
    log = tempfile.NamedTemporaryFile("w", suffix=".log", delete=False)
    server = subprocess.Popen(
        [sys.executable, "-m", "hedgesim", "dashboard", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    out = []
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    return [f"browser  failed: the dashboard did not start (log: {log.name})"]
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.goto(url)
            page.wait_for_selector(".hs-dist[data-stale='0']", timeout=120_000)
            slider = page.locator(".hs-control-flank_posture [role=slider]")
            for n in SIZES:
                if n != 500:
                    page.locator(".hs-control-replicates .v-select__slot").click()
                    page.locator(".menuable__content__active .v-list-item").filter(has_text=str(n)).first.click()
                    page.evaluate(JS_WHEN_SHOWN, [rf"replicates={n},", 60_000])
                times = []
                for _ in range(moves):
                    slider.focus()
                    before = float(slider.get_attribute("aria-valuenow"))
                    t0 = page.evaluate("performance.now()")
                    page.keyboard.press("ArrowRight")
                    target = f"{before + 0.01:.2f}".rstrip("0").rstrip(".")
                    shown = page.evaluate(JS_WHEN_SHOWN, [rf"flank_posture={target}\|replicates={n},", 60_000])
                    times.append((shown - t0) / 1000)
                out.append(_line("browser", n, times))
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--moves", type=int, default=6, help="slider moves timed per ensemble size")
    ap.add_argument("--no-browser", action="store_true", help="only the in-process measurement")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    a = ap.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    print(f"bench_dashboard: {os.cpu_count()} CPUs, load average {load}, Python {sys.version.split()[0]}")
    for line in bench_server(a.moves):
        print(line, flush=True)
    if not a.no_browser:
        for line in bench_browser(a.moves, a.chromium):
            print(line, flush=True)


if __name__ == "__main__":
    main()
