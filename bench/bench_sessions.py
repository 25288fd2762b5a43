"""Map viewer under concurrent sessions: click → clause panel with 1, 5 and 10 sessions at once, server RSS.

One app server (app.py) on the committed layers/; N headless chromium contexts (Debian's chromium,
every non-localhost request aborted) load the map; then each of them clicks a point place, the
clicks dispatched one right after the other so that the server reruns N sessions at once, and each
session's time is from its own click to its panel heading showing a place. Rounds: the clicks
are repeated on 3 targets. The server's VmRSS is read after each N, and its CPU time (user + system,
/proc) over the clicks of each N, per click: the server's own cost, which a click's latency under N
sessions cannot be less than N times over on one core (the script runs hold Python's GIL). The
browsers run on the same two cores, so part of the latency at 10 sessions is theirs.
Baseline: the single-session figure (N = 1) of the same run.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.bench_viewer import _CHANGED_JS, _HEADINGS_JS, _targets
from bench.timing import Row
from geo.layers import read_layers
from geo.viewer.data import Catalog, default_layers_dir
from tests.support.browser import MAP_FRAME, ROOT, AppServer, launch_chromium, offline_page, wait_map

SESSIONS = (1, 5, 10)
TARGETS = 3


def _open(browser: Any, url: str) -> tuple[Any, Any]:
    context, page, _ = offline_page(browser)
    page.goto(url)
    wait_map(page, 120_000)
    page.wait_for_timeout(1500)
    return context, page


def _screen_xy(page: Any, lat: float, lon: float) -> tuple[float, float]:
    box = page.locator(MAP_FRAME).bounding_box()
    pt = page.frame_locator(MAP_FRAME).locator("body").evaluate(
        "(b, ll) => { const p = window.map.latLngToContainerPoint(ll);"
        " const r = window.map.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }",
        [lat, lon],
    )
    return box["x"] + pt[0], box["y"] + pt[1]


def _concurrent_clicks(pages: list[Any], lat: float, lon: float) -> list[float]:
    points = [_screen_xy(p, lat, lon) for p in pages]
    before = [p.evaluate(_HEADINGS_JS) for p in pages]
    starts = []
    for page, (x, y) in zip(pages, points, strict=True):
        starts.append(time.perf_counter())
        page.mouse.click(x, y)
    times = []
    for page, prev, t0 in zip(pages, before, starts, strict=True):
        page.wait_for_function(_CHANGED_JS, arg=prev, timeout=120_000, polling=20)
        times.append(time.perf_counter() - t0)
    return times


def run() -> list[Row]:
    from playwright.sync_api import sync_playwright

    layerset = read_layers(default_layers_dir())
    catalog = Catalog.from_layerset(layerset)
    targets = [(lat, lon) for _, lat, lon in _targets(catalog, layerset, TARGETS)]
    results: dict[int, tuple[list[float], float, float]] = {}
    with AppServer(ROOT / "app.py") as app, sync_playwright() as p:
        browser = launch_chromium(p)
        ctx, _ = _open(browser, app.url)  # warm the server: not counted
        ctx.close()
        for n in SESSIONS:
            opened = [_open(browser, app.url) for _ in range(n)]
            pages = [pg for _, pg in opened]
            times: list[float] = []
            cpu0 = app.cpu_seconds()
            for lat, lon in targets:
                times += _concurrent_clicks(pages, lat, lon)
            results[n] = (times, app.rss_bytes() / 1e6, (app.cpu_seconds() - cpu0) / len(times))
            for ctx, _ in opened:
                ctx.close()
        browser.close()
    single = statistics.median(results[1][0])
    rows = []
    for n, (times, rss, cpu) in results.items():
        rows.append(Row("viewer", f"click → panel, {n} concurrent session(s)", statistics.median(times), "s",
                        baseline=single, baseline_what="one session", target="≤ 1 s",
                        runs=len(times), notes=[f"slowest {max(times):.2f} s; server RSS {rss:.0f} MB;"
                                                f" server CPU {cpu * 1000:.0f} ms per click"]))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
