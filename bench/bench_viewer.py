"""Map viewer in a real browser: first paint, click → clause panel, bytes per rerun, server memory.

Drives the real app (app.py) and a plain streamlit-folium page on the same layers
(bench/baseline_app.py: folium.GeoJson of every layer + st_folium) in Debian's headless chromium
with every non-localhost request aborted (no internet), alternately, in the same run.

- first paint: navigation start → as many SVG paths and marker icons in the map's iframe as there
  are features in all layers, i.e. everything drawn (fresh browser context each time: nothing cached).
- click → panel: a real mouse click at a point place's position → the panel heading shows the
  clicked place (the baseline includes streamlit-folium's 250 ms debounce; the app's map element,
  geo.viewer.mapframe, reports a click at once).
- bytes per rerun: websocket bytes the server sent for one click (the whole rerun).
- memory: VmRSS of each streamlit process after the runs.
- floors (bench/floor_pages.py), each in a fresh browser context, alternating with the app: a two-line
  Streamlit page (navigation → its text) and a static Leaflet page drawing the app's published layer
  files (navigation → as many paths and markers as features). Target: first paint ≤ 1.5 × their sum.
- what is here: the same click → the "what is here" list shows the clicked spot's places.
- document view: in the reader, "show this document's places on the map" (万达开 plan) → its list of
  places in the panel and its places highlighted on the map.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import floor_pages
from bench.timing import Row
from geo.layers.build import read_layers
from geo.viewer.data import Catalog, default_layers_dir
from geo.viewer.i18n import t
from tests.support.browser import MAP_FRAME, ROOT, AppServer, launch_chromium, offline_page

ROUNDS = 3
# the map frame of the app (geo.viewer.mapframe) or of the plain streamlit-folium baseline
FRAMES = MAP_FRAME + ', iframe[title="streamlit_folium.st_folium"]'
CLICKS = 3

_COUNT_JS = """(n) => {
  const f = document.querySelector('""" + FRAMES + """');
  if (!f || !f.contentDocument) return false;
  return f.contentDocument.querySelectorAll('path, .leaflet-marker-icon').length >= n;
}"""

_HERE_JS = """() => { const e = document.querySelector('.st-key-pa_here'); return e ? e.innerText : ''; }"""
_HERE_CHANGED_JS = """(before) => { const e = document.querySelector('.st-key-pa_here');
  return !!e && e.innerText !== before && e.innerText.length > 0; }"""
_TEXT_JS = """(text) => document.body && document.body.innerText.includes(text)"""
_DOCVIEW_JS = """(n) => {
  if (!document.querySelector('[data-testid="pa-docplaces"]')) return false;
  const f = document.querySelector('""" + FRAMES + """');
  if (!f || !f.contentDocument) return false;
  return f.contentDocument.querySelectorAll('path[stroke="#ff7f0e"]').length >= n;
}"""
DOC = "2023-wandakai-plan"

_HEADINGS_JS = """() => JSON.stringify(Array.from(document.querySelectorAll('h3')).map(h => h.innerText.trim()))"""
_CHANGED_JS = """(before) => JSON.stringify(Array.from(document.querySelectorAll('h3')).map(h => h.innerText.trim()))
  !== before"""


def _targets(catalog: Catalog, layerset: Any, n: int) -> list[tuple[str, float, float]]:
    """n mentioned point places, well apart, inside the initial view (name, lat, lon)."""
    out: list[tuple[str, float, float]] = []
    for f in layerset.collections["points"]["features"]:
        g = f.get("geometry") or {}
        p = catalog.places.get(f.get("id"))
        if g.get("type") != "Point" or p is None or not p.clause_ids:
            continue
        lon, lat = g["coordinates"][:2]
        if not (28.5 < lat < 32.0 and 103.0 < lon < 108.0):
            continue
        if any(abs(lat - a) < 0.25 and abs(lon - b) < 0.25 for _, a, b in out):
            continue
        out.append((p.name, lat, lon))
        if len(out) == n:
            break
    return out


class _Probe:
    """Counts websocket bytes received by the page while `frames` is a list."""

    def __init__(self, page: Any) -> None:
        self.frames: list[int] | None = None
        page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))

    def _on_frame(self, payload: Any) -> None:
        if self.frames is not None:
            self.frames.append(len(payload) if payload is not None else 0)


def _first_paint(browser: Any, url: str, n_counties: int) -> tuple[float, Any, Any, list[str], _Probe]:
    context, page, blocked = offline_page(browser)
    probe = _Probe(page)
    page.goto(url, wait_until="commit")
    page.wait_for_function(_COUNT_JS, arg=n_counties, timeout=120_000, polling=50)
    ms = page.evaluate("() => performance.now()")
    return ms / 1000.0, context, page, blocked, probe


def _click_panel(page: Any, probe: _Probe, lat: float, lon: float, here_list: bool) -> tuple[float, int, float]:
    box = page.locator(FRAMES).bounding_box()
    frame = page.frame_locator(FRAMES)
    pt = frame.locator("body").evaluate(
        "(b, ll) => { const p = window.map.latLngToContainerPoint(ll);"
        " const r = window.map.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }",
        [lat, lon],
    )
    page.wait_for_timeout(300)
    before = page.evaluate(_HEADINGS_JS)
    here_before = page.evaluate(_HERE_JS)
    probe.frames = []
    t0 = time.perf_counter()
    page.mouse.click(box["x"] + pt[0], box["y"] + pt[1])
    # the panel heading changes to the clicked place (whichever feature is on top at that spot)
    page.wait_for_function(_CHANGED_JS, arg=before, timeout=60_000, polling=20)
    elapsed = time.perf_counter() - t0
    here = float("nan")
    if here_list:  # the "what is here" list of that spot (the app only; the baseline has none)
        page.wait_for_function(_HERE_CHANGED_JS, arg=here_before, timeout=60_000, polling=20)
        here = time.perf_counter() - t0
    page.wait_for_timeout(1500)  # let the rerun finish sending
    sent = sum(probe.frames)
    probe.frames = None
    return elapsed, sent, here


def _measure(browser: Any, server: AppServer, n_counties: int, targets: list[tuple[str, float, float]],
             res: dict[str, list[float]], ours: bool) -> None:
    paint, context, page, blocked, probe = _first_paint(browser, server.url, n_counties)
    res["paint"].append(paint)
    page.wait_for_timeout(1500)  # the load-time rerun (map reports its view) settles
    for _name, lat, lon in targets:
        t, b, here = _click_panel(page, probe, lat, lon, here_list=ours)
        res["click"].append(t)
        res["bytes"].append(float(b))
        if ours:
            res["here"].append(here)
    res["blocked"].append(float(len(blocked)))
    context.close()


def _streamlit_floor(browser: Any, url: str) -> float:
    context, page, _blocked = offline_page(browser)
    page.goto(url, wait_until="commit")
    page.wait_for_function(_TEXT_JS, arg=floor_pages.STREAMLIT_TEXT, timeout=120_000, polling=20)
    ms = page.evaluate("() => performance.now()")
    context.close()
    return ms / 1000.0


def _leaflet_floor(browser: Any, url: str, n_features: int) -> float:
    context, page, _blocked = offline_page(browser)
    page.goto(url, wait_until="commit")
    page.wait_for_function(
        "(n) => document.querySelectorAll('path, .leaflet-marker-icon').length >= n",
        arg=n_features, timeout=120_000, polling=20)
    ms = page.evaluate("() => performance.now()")
    context.close()
    return ms / 1000.0


def _document_view(browser: Any, url: str, n_highlighted: int) -> float:
    """Reader → "show this document's places on the map" → list and highlights drawn (seconds)."""
    context, page, _blocked = offline_page(browser)
    page.goto(f"{url}?view=reader&doc={DOC}")
    button = page.get_by_role("button", name=t("doc_view_on_map", "zh"))
    button.wait_for(timeout=120_000)
    page.wait_for_timeout(1000)
    t0 = time.perf_counter()
    button.click()
    page.wait_for_function(_DOCVIEW_JS, arg=n_highlighted, timeout=120_000, polling=20)
    elapsed = time.perf_counter() - t0
    context.close()
    return elapsed


def run() -> list[Row]:
    """Measure the viewer, the baseline and the floors; returns the table rows."""
    from playwright.sync_api import sync_playwright

    from geo.viewer.docview import document_places

    layerset = read_layers(default_layers_dir())
    catalog = Catalog.from_layerset(layerset)
    n_counties = sum(len(fc["features"]) for fc in layerset.collections.values())
    targets = _targets(catalog, layerset, CLICKS)
    if not targets:
        raise RuntimeError("no point place to click in the initial view")
    # the document's places with a geometry on the map, less a margin for places drawn as several parts
    n_doc = int(0.8 * sum(1 for p in document_places(catalog, DOC).place_ids if catalog.places[p].bbox))
    ours: dict[str, list[float]] = {"paint": [], "click": [], "bytes": [], "blocked": [], "here": [], "doc": []}
    base: dict[str, list[float]] = {"paint": [], "click": [], "bytes": [], "blocked": []}
    floors: dict[str, list[float]] = {"streamlit": [], "leaflet": []}
    with (
        tempfile.TemporaryDirectory() as tmp,
        AppServer(ROOT / "app.py") as app,
        AppServer(ROOT / "bench" / "baseline_app.py", env={"PA_STATIC_BASE": f"{app.url}app/static"}) as baseline,
        AppServer(floor_pages.write_streamlit_floor(Path(tmp))) as st_floor,
        floor_pages.leaflet_floor(layerset, ROOT / "static") as leaflet_url,
        sync_playwright() as p,
    ):
        browser = launch_chromium(p)
        # warm the servers (imports, caches): not counted
        for srv in (app, baseline):
            _, ctx, _, _, _ = _first_paint(browser, srv.url, n_counties)
            ctx.close()
        _streamlit_floor(browser, st_floor.url)
        _leaflet_floor(browser, leaflet_url, n_counties)
        _document_view(browser, app.url, n_doc)
        for _ in range(ROUNDS):
            _measure(browser, app, n_counties, targets, ours, ours=True)
            _measure(browser, baseline, n_counties, targets, base, ours=False)
            floors["streamlit"].append(_streamlit_floor(browser, st_floor.url))
            floors["leaflet"].append(_leaflet_floor(browser, leaflet_url, n_counties))
            ours["doc"].append(_document_view(browser, app.url, n_doc))
        rss_ours, rss_base = app.rss_bytes() / 1e6, baseline.rss_bytes() / 1e6
        browser.close()

    def med(xs: list[float]) -> float:
        return statistics.median(xs) if xs else float("nan")

    note = f"{n_counties} features in {len(layerset.collections)} layers"
    blocked = int(sum(ours["blocked"]) + sum(base["blocked"]))
    floor_sum = med(floors["streamlit"]) + med(floors["leaflet"])
    rows = [
        Row("viewer", "first map paint (all features drawn)", med(ours["paint"]), "s", med(base["paint"]),
            "plain streamlit-folium", f"≤ 1.5 × floors = {1.5 * floor_sum:.2f} s", runs=len(ours["paint"]),
            notes=[note, f"non-localhost requests attempted (aborted): {blocked}"]),
        Row("viewer", "floor: two-line Streamlit page (navigation → its text)", med(floors["streamlit"]), "s",
            runs=len(floors["streamlit"]), notes=["fresh browser context each run"]),
        Row("viewer", "floor: static Leaflet page, the app's layer files (all drawn)", med(floors["leaflet"]), "s",
            runs=len(floors["leaflet"]), notes=["static/leaflet + static/_layers served by http.server on localhost"]),
        Row("viewer", "click → clause panel", med(ours["click"]), "s", med(base["click"]),
            "plain streamlit-folium", "≤ 0.6 s", runs=len(ours["click"]),
            notes=["the app: geo.viewer.mapframe reports a click at once; the baseline: streamlit-folium "
                   "waits 250 ms (its debounce)"]),
        Row("viewer", "click → what is here list", med(ours["here"]), "s", target="≤ 0.6 s", runs=len(ours["here"]),
            notes=["same clicks"]),
        Row("viewer", "document view (reader button → places listed and highlighted)", med(ours["doc"]), "s",
            target="≤ 1 s", runs=len(ours["doc"]),
            notes=[f"{DOC}: ≥ {n_doc} highlighted paths; the map is mounted anew (the reader has none)"]),
        Row("viewer", "websocket bytes per click rerun", med(ours["bytes"]) / 1e3, "kB",
            med(base["bytes"]) / 1e3, "plain streamlit-folium", runs=len(ours["bytes"]),
            notes=["an unchanged map element is sent as a ForwardMsg cache reference (both apps); ours sends "
                   "the clause panel (the what-is-here list, clauses with marks, a page of 40), the baseline plain clause text"]),
        Row("viewer", "server memory (RSS)", rss_ours, "MB", rss_base, "plain streamlit-folium", runs=1),
    ]
    return rows
