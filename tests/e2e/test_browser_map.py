"""End to end (issue 11): what a planner sees in Chromium — language switch, clicks, legend, layout.

The real app (streamlit run app.py) in headless Debian chromium with every non-local request
aborted. Screenshots go to tests/artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from geo.layers.build import read_layers
from geo.viewer.data import Catalog, default_layers_dir
from tests.support.browser import MAP_FRAME, ROOT, AppServer, offline_page, wait_idle, wait_map

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.from_layerset(read_layers(default_layers_dir()))


def _page(chromium: Any, size: tuple[int, int] = (1400, 900)) -> tuple[Any, Any, list[str]]:
    return offline_page(chromium, size)


def _wait_map(pg: Any, timeout: float = 60_000) -> Any:
    return wait_map(pg, timeout)


def _query(pg: Any) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(pg.url).query, keep_blank_values=True).items()}


def test_language_switch_keeps_layers_and_selection(app: AppServer, chromium: Any, catalog: Catalog) -> None:
    context, pg, blocked = _page(chromium)
    try:
        pid = next(p.id for p in catalog.places.values() if p.name == "宜宾市")
        pg.goto(app.url + f"?sel={pid}")
        _wait_map(pg)
        pg.locator(".pa-place h3").wait_for(timeout=30_000)
        before = _query(pg)
        def layer_tags() -> list[str]:
            text = pg.locator('[data-testid="stMultiSelect"]').first.inner_text()
            return [x for x in text.splitlines()[1:] if x.strip()]

        drawn = layer_tags()
        assert len(drawn) > 5
        for lang, label in (("en", "English"), ("zh", "中文")):
            pg.get_by_text(label, exact=True).click()
            pg.wait_for_function("(l) => (new URLSearchParams(location.search).get('lang') || 'zh') === l",
                                 arg=lang, timeout=20_000)
            pg.wait_for_timeout(1500)  # let the rerun settle (the URL is written at its end)
            q = _query(pg)
            assert "layers" not in q and "view" not in q and "basemap" not in q, q
            assert q.get("sel") == before.get("sel") == pid
            # the heading and the map's city labels in the language: "Yibin 宜宾市", Chengdu
            assert pg.locator(".pa-place h3").inner_text().strip() == ("宜宾市" if lang == "zh" else "Yibin 宜宾市")
            tags = layer_tags()
            assert len(tags) == len(drawn), tags  # every layer still chosen, in the new language
            assert ("Railway" in tags) == (lang == "en") and ("铁路" in tags) == (lang == "zh")
            frame = _wait_map(pg)
            assert frame.locator(".leaflet-pa-points-pane path").count() > 50  # layers still drawn
            frame.locator(".pa-city").first.wait_for(state="attached", timeout=10_000)
            cities = frame.locator(".pa-city").all_inner_texts()
            assert ("Chengdu" in cities) == (lang == "en") and ("成都市" in cities) == (lang == "zh"), cities
        assert blocked == []
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1366, 768), (1400, 900), (1920, 1080), (600, 900)])
def test_map_fills_the_viewport_with_the_panel_beside_it(
    app: AppServer, chromium: Any, catalog: Catalog, size: tuple[int, int]
) -> None:
    width, height = size
    context, pg, blocked = _page(chromium, size)
    try:
        pg.goto(app.url + "?sel=adm:511500")
        frame = _wait_map(pg)
        pg.locator(".pa-place h3").wait_for(timeout=30_000)
        pg.wait_for_timeout(800)
        box = pg.locator(MAP_FRAME).bounding_box()
        leaflet = frame.locator(".leaflet-container").bounding_box()
        panel = pg.locator(".st-key-pa_panel").bounding_box()
        assert abs(leaflet["height"] - box["height"]) < 2  # Leaflet fills its frame
        if width >= 1000:
            # the map runs to the bottom of the screen (no blank band), the panel beside it
            assert height - 40 <= box["y"] + box["height"] <= height, box
            assert box["height"] >= height - 110
            assert panel["x"] >= box["x"] + box["width"] and panel["y"] < box["y"] + 60
            assert panel["y"] + panel["height"] <= height + 1  # scrolls inside the screen
            assert box["width"] >= 0.55 * (width - 300)
        else:  # narrow: the panel stacks below the map
            assert panel["y"] >= box["y"] + box["height"]
            assert box["width"] >= width - 60
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"viewer-{width}x{height}.png"))
        assert blocked == []
    finally:
        context.close()


def test_first_view_fits_the_economic_circle(app: AppServer, chromium: Any, catalog: Catalog) -> None:
    context, pg, blocked = _page(chromium, (1920, 1080))
    try:
        pg.goto(app.url)
        frame = _wait_map(pg)
        pg.wait_for_timeout(500)
        w, s, e, n = catalog.places["composite:chengyu-circle"].bbox
        bounds = frame.locator("body").evaluate(
            """() => { const m = Object.values(window).find(v => v && v._leaflet_id && v.getBounds);
                       const b = m.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }""")
        assert bounds[0] <= w and bounds[1] <= s and bounds[2] >= e and bounds[3] >= n, bounds
        # a fit, not a fixed zoom: under 4× the circle's width (whole zoom levels, a screen of another shape)
        assert (bounds[2] - bounds[0]) < 4 * (e - w)
        assert blocked == []
    finally:
        context.close()


def _shapes() -> dict[str, tuple[str, Any]]:
    """place id → (layer, shapely geometry) from layers/ (independent of the map script)."""
    from shapely.geometry import shape

    out: dict[str, tuple[str, Any]] = {}
    for name, fc in read_layers(default_layers_dir()).collections.items():
        for f in fc["features"]:
            if f.get("geometry"):
                out[str(f.get("id") or f["properties"]["id"])] = (name, shape(f["geometry"]))
    return out


FINE = ("points", "lines")


def _click_grid(pg: Any, frame: Any, n: int = 6) -> list[dict[str, Any]]:
    """Mouse clicks on an n×n grid over the map: the selected id (from the URL), the ids the map
    ranked, the SVG elements the browser hit-tests there, the click's (lon, lat), the ids drawn."""
    box = pg.locator(MAP_FRAME).bounding_box()
    drawn = set(frame.locator("body").evaluate(
        "() => Array.from(document.querySelectorAll('[data-pa-id]')).map(e => e.getAttribute('data-pa-id'))"))
    out = []
    for i in range(n):
        for j in range(n):
            x = 70 + (box["width"] - 140) * (i + 0.5) / n
            y = 70 + (box["height"] - 140) * (j + 0.5) / n
            dom, lonlat = frame.locator("body").evaluate(
                """(b, xy) => {
                     window.__paHere = [];  // this click's candidates only
                     if (document.elementFromPoint(xy[0], xy[1]).closest('.leaflet-control')) return [[], null];
                     const m = Object.values(window).find(v => v && v._leaflet_id && v.containerPointToLatLng);
                     const ll = m.containerPointToLatLng(xy);
                     return [Array.from(new Set(document.elementsFromPoint(xy[0], xy[1])
                       .map(e => e.getAttribute && e.getAttribute('data-pa-id')).filter(Boolean))), [ll.lng, ll.lat]]; }""",
                [x, y])
            if lonlat is None:  # the legend or a map control is there
                continue
            pg.mouse.click(box["x"] + x, box["y"] + y)
            here = frame.locator("body").evaluate("() => window.__paHere")
            if not here:
                continue
            pg.wait_for_function("(id) => new URLSearchParams(location.search).get('sel') === id",
                                 arg=here[0], timeout=15_000)
            out.append({"sel": here[0], "here": here, "dom": dom, "at": lonlat, "drawn": drawn})
    return out


def _check_choices(clicks: list[dict[str, Any]], shapes: dict[str, tuple[str, Any]]) -> None:
    from shapely.geometry import Point

    for c in clicks:
        sel, dom = c["sel"], c["dom"]
        layer = shapes[sel][0]
        if any(shapes.get(i, ("",))[0] in FINE for i in dom):  # a point or line under the cursor beats areas
            assert layer in FINE, (sel, dom)
        pt = Point(*c["at"])
        if layer in FINE:
            continue
        # an area is chosen only where it is (the display geometry is simplified: ~1 km of slack)
        assert shapes[sel][1].distance(pt) < 0.01, (sel, c["at"])
        containing = [i for i in c["drawn"] if i in shapes and shapes[i][0] not in FINE and shapes[i][1].contains(pt)]
        if not containing:
            continue
        smallest = min(containing, key=lambda i: shapes[i][1].area)
        if shapes[smallest][1].boundary.distance(pt) < 0.01:  # on a border: either side is right
            continue
        assert shapes[sel][1].area <= shapes[smallest][1].area * 1.05, (sel, smallest)
        if len(containing) > 1:  # never the largest area when there is a smaller one
            assert sel != max(containing, key=lambda i: shapes[i][1].area), (sel, containing)


def test_click_grid_selects_points_lines_and_small_areas(app: AppServer, chromium: Any, catalog: Catalog) -> None:
    context, pg, blocked = _page(chromium)
    try:
        shapes = _shapes()
        pg.goto(app.url)
        frame = _wait_map(pg)
        pg.wait_for_timeout(800)
        clicks = _click_grid(pg, frame)
        assert len(clicks) >= 25
        _check_choices(clicks, shapes)
        layers = {shapes[c["sel"]][0] for c in clicks}
        assert {"points", "lines"} <= layers, layers  # the fine features are reachable
        winners = [c["sel"] for c in clicks]
        assert "region:yangtze-economic-belt" not in winners
        assert max(winners.count(w) for w in winners) <= len(winners) // 3  # no area swallows the map
        assert blocked == []
    finally:
        context.close()


def test_counties_are_clickable_when_their_layer_is_on(app: AppServer, chromium: Any, catalog: Catalog) -> None:
    context, pg, blocked = _page(chromium)
    try:
        shapes = _shapes()
        kinds = [*catalog.default_kinds(), "county"]
        pg.goto(app.url + "?layers=" + ",".join(dict.fromkeys(kinds)) + "&lat=30.0&lon=105.5&z=8")
        frame = _wait_map(pg)
        pg.wait_for_timeout(800)
        clicks = _click_grid(pg, frame)
        _check_choices(clicks, shapes)
        counties = [c["sel"] for c in clicks if shapes[c["sel"]][0] == "admin_county"]
        area_clicks = [c["sel"] for c in clicks if shapes[c["sel"]][0] not in FINE]
        assert area_clicks and len(counties) >= 0.6 * len(area_clicks), (counties, area_clicks)
        pg.screenshot(path=str(ARTIFACTS / "viewer-counties-click.png"))
        assert blocked == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_legend_lists_every_kind_drawn(app: AppServer, chromium: Any, catalog: Catalog, lang: str) -> None:
    from geo.viewer.i18n import STRINGS

    context, pg, blocked = _page(chromium, (1920, 1080))
    try:
        pg.goto(app.url + ("?lang=en" if lang == "en" else ""))
        frame = _wait_map(pg)
        legend = frame.locator(".pa-legend")
        legend.locator(".pa-lg-row").first.wait_for(timeout=10_000)
        drawn_ids = set(frame.locator("body").evaluate(
            "() => Array.from(document.querySelectorAll('[data-pa-id]')).map(e => e.getAttribute('data-pa-id'))"))
        drawn = {catalog.places[i].kind for i in drawn_ids if i in catalog.places}
        listed = set(legend.locator("[data-kind]").evaluate_all("els => els.map(e => e.getAttribute('data-kind'))"))
        assert listed == drawn and len(drawn) > 10
        text = legend.inner_text()
        for k in drawn:  # each under its label, in the interface language
            assert STRINGS[lang][f"kind:{k}"] in text
        assert STRINGS[lang]["legend"] in text and STRINGS[lang]["prec:schematic"] in text
        # collapsible
        legend.locator("summary").click()
        assert not legend.locator(".pa-lg-row").first.is_visible()
        legend.locator("summary").click()
        assert legend.locator(".pa-lg-row").first.is_visible()
        pg.screenshot(path=str(ARTIFACTS / f"viewer-legend-{lang}-1920x1080.png"))
        assert blocked == []
    finally:
        context.close()


def test_what_is_here_in_wanzhou_and_the_yibin_dossier(app: AppServer, chromium: Any, catalog: Catalog) -> None:
    from shapely.geometry import shape

    context, pg, blocked = _page(chromium, (1920, 1080))
    try:
        wanzhou = next(p.id for p in catalog.places.values() if p.name == "万州区")
        pt = shape(catalog.features[wanzhou]["geometry"]).representative_point()
        pg.goto(app.url + f"?lat={pt.y:.5f}&lon={pt.x:.5f}&z=9")
        frame = _wait_map(pg)
        pg.wait_for_timeout(800)
        xy = frame.locator("body").evaluate(
            """(b, ll) => { const m = Object.values(window).find(v => v && v._leaflet_id && v.latLngToContainerPoint);
                            const p = m.latLngToContainerPoint(ll); return [p.x, p.y]; }""", [pt.y, pt.x])
        box = pg.locator(MAP_FRAME).bounding_box()
        pg.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
        here = pg.locator(".st-key-pa_here")
        here.wait_for(timeout=15_000)
        pg.wait_for_function("() => (document.querySelector('.st-key-pa_here') || {}).innerText"
                             " && document.querySelector('.st-key-pa_here').innerText.includes('万州区')",
                             timeout=15_000)  # the list fills in after its container appears
        names = here.inner_text()
        for name in ("万州区", "重庆市", "万达开川渝统筹发展示范区", "成渝地区双城经济圈"):
            assert name in names, names
        # an entry selects that place
        pg.locator(".st-key-pa_here button", has_text="万达开川渝统筹发展示范区").click()
        pg.wait_for_function("() => new URLSearchParams(location.search).get('sel') === 'composite:wandakai'",
                             timeout=15_000)
        pg.screenshot(path=str(ARTIFACTS / "viewer-what-is-here-1920x1080.png"))

        # the 宜宾 dossier: its port and new area in one list
        pg.goto(app.url + "?sel=adm:511500")
        _wait_map(pg)
        pg.locator(".pa-place h3").wait_for(timeout=30_000)
        pg.get_by_text("包括区域内的", exact=False).click()
        pg.locator(".pa-sec").first.wait_for(timeout=15_000)
        for _ in range(20):  # "load more" until every clause is listed
            more = pg.get_by_role("button", name=re.compile("^再显示"))
            try:
                more.wait_for(state="visible", timeout=3_000)
            except PlaywrightTimeout:
                break  # no button: all listed
            n = pg.locator(".pa-clause").count()
            try:
                more.click(timeout=10_000)
            except PlaywrightTimeout:
                continue  # the button of a rerun that was still finishing: it went away with that rerun
            pg.wait_for_function("(n) => document.querySelectorAll('.pa-clause').length > n", arg=n, timeout=15_000)
        assert pg.get_by_role("button", name=re.compile("^再显示")).count() == 0
        assert pg.locator('.pa-sec[data-place="port:yibin"]').count() == 1
        assert pg.locator('.pa-clause mark[data-place="new_area:sanjiang"]').count() >= 1
        assert blocked == []
    finally:
        context.close()


def test_back_returns_to_the_previous_selection(app: AppServer, chromium: Any, catalog: Catalog) -> None:
    context, pg, blocked = _page(chromium)
    try:
        pg.goto(app.url + "?sel=adm:511500")
        _wait_map(pg)
        heading = pg.locator(".pa-place h3")
        heading.wait_for(timeout=30_000)
        assert heading.inner_text().strip() == "宜宾市"
        wait_idle(pg)  # typed during the page's first runs, the text could be redrawn away before Enter
        pg.locator('[data-testid="stSidebar"] input[type="text"]').first.fill("宜宾港")
        pg.locator('[data-testid="stSidebar"] input[type="text"]').first.press("Enter")
        pg.get_by_role("button", name=re.compile("^宜宾港")).first.click()
        pg.wait_for_function("() => new URLSearchParams(location.search).get('sel') === 'port:yibin'", timeout=20_000)
        pg.wait_for_function("() => document.querySelector('.pa-place h3')?.innerText.trim() === '宜宾港'",
                             timeout=20_000)
        pg.go_back()
        pg.wait_for_function("() => document.querySelector('.pa-place h3')?.innerText.trim() === '宜宾市'",
                             timeout=20_000)
        pg.wait_for_timeout(1000)
        assert _query(pg).get("sel") == "adm:511500"
        # Forward: the map's moves replace the address's position in place (no history entry of their
        # own), so the later selection is still ahead
        pg.go_forward()
        pg.wait_for_function("() => document.querySelector('.pa-place h3')?.innerText.trim() === '宜宾港'",
                             timeout=20_000)
        assert _query(pg).get("sel") == "port:yibin"
        assert blocked == []
    finally:
        context.close()


@pytest.mark.parametrize("zoom", [None, "8"])
def test_city_labels_never_overlap(app: AppServer, chromium: Any, catalog: Catalog, zoom: str | None) -> None:
    context, pg, blocked = _page(chromium, (1920, 1080))
    try:
        pg.goto(app.url + (f"?lat=30.2&lon=105.0&z={zoom}" if zoom else ""))
        frame = _wait_map(pg)
        pg.wait_for_timeout(800)
        boxes = frame.locator("body").evaluate(
            """() => Array.from(document.querySelectorAll('.pa-city'))
                 .filter(e => getComputedStyle(e).visibility !== 'hidden')
                 .map(e => { const r = e.getBoundingClientRect();
                             return [e.textContent, r.left, r.top, r.right, r.bottom]; })""")
        names = [b[0] for b in boxes]
        assert len(boxes) >= 8, names  # the cities are named
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2], (a, b)
        if zoom is None:
            assert "成都市" in names and "重庆市" in names
        assert blocked == []
    finally:
        context.close()


def test_a_selected_city_is_labelled_once(app: AppServer, chromium: Any) -> None:
    """The selection's own label names 宜宾市; the city label beneath it steps aside (never twice),
    and the other city labels keep clear of the selection's label."""
    context, pg, blocked = _page(chromium, (1920, 1080))
    try:
        pg.goto(app.url + "?sel=adm:511500")
        frame = _wait_map(pg)
        pg.locator(".pa-place h3").wait_for(timeout=30_000)
        frame.locator(".leaflet-tooltip.pa-label", has_text="宜宾市").wait_for(timeout=30_000)
        pg.wait_for_timeout(3000)  # the fly to the selection, then the labels' layout
        boxes = frame.locator("body").evaluate(
            """() => Array.from(document.querySelectorAll('.pa-city, .leaflet-tooltip.pa-label'))
                 .filter(e => getComputedStyle(e).visibility !== 'hidden')
                 .map(e => { const r = e.getBoundingClientRect();
                             return [e.textContent.trim(), r.left, r.top, r.right, r.bottom]; })""")
        names = [b[0] for b in boxes]
        assert names.count("宜宾市") == 1, names
        assert len(boxes) >= 4, names  # neighbouring cities are still named
        # the selection's label is in the map and clear of the legend
        legend, mapbox = frame.locator("body").evaluate(
            """() => ['.pa-legend', '.leaflet-container'].map(s => {
                 const r = document.querySelector(s).getBoundingClientRect();
                 return [r.left, r.top, r.right, r.bottom]; })""")
        x0, y0, x1, y1 = next(b[1:] for b in boxes if b[0] == "宜宾市")
        assert mapbox[0] <= x0 and x1 <= mapbox[2] and mapbox[1] <= y0 and y1 <= mapbox[3], (x0, y0, mapbox)
        assert x1 <= legend[0] or y0 >= legend[3], (x0, y0, x1, y1, legend)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2], (a, b)
        pg.screenshot(path=str(ARTIFACTS / "viewer-selected-city-1920x1080.png"))
        assert blocked == []
    finally:
        context.close()
