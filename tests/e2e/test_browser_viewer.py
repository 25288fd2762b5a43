"""End to end: the real app (streamlit run app.py) in headless Debian chromium, with no internet.

Every request to a host other than localhost is aborted and recorded; the map must still draw.
Runs on the real layers/ (or on PLAN_ATLAS_ROOT's when set). One app process for the module.
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from geo.layers.build import read_layers
from geo.viewer.data import Catalog, default_layers_dir
from tests.support.browser import MAP_FRAME, ROOT, AppServer, offline_page, wait_map

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
POINTS = ".leaflet-pa-points-pane path.leaflet-interactive"
HIGHLIGHT = 'path[stroke="#d62728"], path[stroke="#ff7f0e"]'
GROUP_HIGHLIGHT = ".leaflet-overlay-pane :is(path[stroke='#d62728'], path[stroke='#ff7f0e'])"  # drawn by Python


@pytest.fixture()
def page(chromium: Any) -> Iterator[tuple[Any, list[str]]]:
    context, pg, blocked = offline_page(chromium)
    yield pg, blocked
    context.close()


def _wait_map(pg: Any, timeout: float = 30_000) -> Any:
    frame = wait_map(pg, timeout)  # every layer file fetched and drawn
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=timeout)
    return frame


def test_serves_page(app: AppServer) -> None:
    with urllib.request.urlopen(app.url, timeout=10) as r:
        assert r.status == 200
        assert b"<html" in r.read(2000).lower()


def test_map_click_panel_clause_places_permalink(app: AppServer, page: tuple[Any, list[str]]) -> None:
    pg, blocked = page
    pg.goto(app.url)
    frame = _wait_map(pg)
    counties = read_layers(default_layers_dir()).collections["admin_county"]["features"]
    # every county is drawn (as basemap or as a layer), and some features are clickable
    assert frame.locator(".leaflet-pa-admin_county-pane path").count() >= len(counties) > 0
    assert frame.locator("path.leaflet-interactive").count() > 10
    # offline: nothing was even attempted outside localhost (no CDN, no tiles on the vector basemap)
    assert blocked == []
    css = pg.evaluate(
        """() => Array.from(document.querySelectorAll('iframe')).map(f => {
             try { return Array.from(f.contentDocument.querySelectorAll('script[src],link[href]'))
                   .map(e => e.src || e.href); } catch (e) { return []; } }).flat()"""
    )
    assert css and all("/app/static/" in u or "/component/" in u for u in css), css

    # click a place on the map → its clauses in the panel
    # a point place not covered by another one, clicked with the mouse at its centre
    frame.locator(POINTS).first.wait_for(state="attached")
    xy = frame.locator("body").evaluate(
        """(b, sel) => {
             for (const p of document.querySelectorAll(sel)) {
               const r = p.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
               if (r.width > 0 && x > 60 && y > 60 && x < innerWidth - 10 && y < innerHeight - 40
                   && document.elementFromPoint(x, y) === p) return [x, y];
             }
             return null; }""",
        POINTS,
    )
    assert xy, "no uncovered point place in the initial view"
    box = pg.locator(MAP_FRAME).bounding_box()
    t0 = time.perf_counter()
    pg.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
    heading = pg.locator(".pa-place h3")
    heading.wait_for(timeout=10_000)
    pg.locator(".pa-clause").first.wait_for(timeout=10_000)
    elapsed = time.perf_counter() - t0
    name = heading.inner_text().strip()
    assert name
    assert pg.locator(".pa-clause mark:not(.pa-other)").count() >= 1
    # the address follows at the end of the same run (geo.viewer.app.sync_query_params), just after the panel
    pg.wait_for_function("() => new URLSearchParams(location.search).has('sel')", timeout=10_000)
    print(f"click → panel {elapsed:.2f} s for {name}")

    # "show its places" → the clause's places are highlighted on the map (no re-mount)
    pg.get_by_role("button", name="显示本条地点").first.click()
    pg.locator('[data-testid="pa-clause-places"]').wait_for(timeout=10_000)
    frame.locator(HIGHLIGHT).first.wait_for(state="attached", timeout=10_000)
    n_high = frame.locator(GROUP_HIGHLIGHT).count()
    assert n_high >= 1
    pg.wait_for_function("() => location.search.includes('clause=')", timeout=10_000)
    link = pg.url
    pg.wait_for_timeout(600)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "viewer-clause-places.png"))

    # the permalink reopens the same view in a fresh session
    pg2 = pg.context.new_page()
    pg2.goto(link)
    frame2 = _wait_map(pg2)
    pg2.locator(".pa-place h3").wait_for(timeout=15_000)
    assert pg2.locator(".pa-place h3").inner_text().strip() == name
    pg2.locator('[data-testid="pa-clause-places"]').wait_for(timeout=15_000)
    frame2.locator(HIGHLIGHT).first.wait_for(state="attached", timeout=15_000)
    assert frame2.locator(GROUP_HIGHLIGHT).count() == n_high
    pg2.close()
    assert blocked == []


def test_presenter_mode_hides_controls(app: AppServer, page: tuple[Any, list[str]]) -> None:
    """Presenter mode is its own full-window view (tests/e2e/test_presenter_browser.py tests it further)."""
    pg, blocked = page
    pg.goto(app.url + "?presenter=1")
    frame = pg.frame_locator('iframe[title="st.iframe"]')
    frame.locator('body[data-ready="1"]').wait_for(timeout=60_000)
    assert frame.locator("#pp-exit").is_visible()
    assert not pg.locator('[data-testid="stSidebar"]').is_visible()
    pg.screenshot(path=str(ARTIFACTS / "viewer-presenter.png"))
    assert blocked == []


def test_reader_mention_selects_the_place_on_the_map(app: AppServer, page: tuple[Any, list[str]]) -> None:
    pg, blocked = page
    catalog = Catalog.from_layerset(read_layers(default_layers_dir()))
    doc_id, place_id = next(
        (c["doc_id"], m[2]) for c in catalog.clauses.values() for m in c["mentions"] if m[2] in catalog.features
    )
    pg.goto(app.url + f"?view=reader&doc={doc_id}")
    link = pg.locator(f'.pa-reader a:has(mark[data-place="{place_id}"])').first
    link.wait_for(timeout=20_000)
    link.click()
    pg.wait_for_function(
        "(n) => Array.from(document.querySelectorAll('.pa-place h3')).some(h => h.innerText === n)",
        arg=catalog.places[place_id].name, timeout=20_000,
    )
    pg.wait_for_function("(id) => new URLSearchParams(location.search).get('sel') === id", arg=place_id,
                         timeout=10_000)
    frame = _wait_map(pg)
    frame.locator(HIGHLIGHT).first.wait_for(state="attached", timeout=10_000)
    assert blocked == []
