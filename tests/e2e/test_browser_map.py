"""End to end (issue 11): what a planner sees in Chromium — language switch, clicks, legend, layout.

The real app (streamlit run app.py) in headless Debian chromium with every non-local request
aborted. Screenshots go to tests/artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from geo.layers.build import read_layers
from geo.viewer.data import Catalog, default_layers_dir
from tests.support.browser import MAP_FRAME, ROOT, AppServer, offline_page

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def app() -> Iterator[AppServer]:
    with AppServer(ROOT / "app.py") as server:
        yield server


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.from_layerset(read_layers(default_layers_dir()))


def _page(chromium: Any, size: tuple[int, int] = (1400, 900)) -> tuple[Any, Any, list[str]]:
    return offline_page(chromium, size)


def _wait_map(pg: Any, timeout: float = 60_000) -> Any:
    frame = pg.frame_locator(MAP_FRAME)
    frame.locator('.leaflet-container[data-pa-loaded="6"]').wait_for(timeout=timeout)
    return frame


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
            assert pg.locator(".pa-place h3").inner_text().strip() == "宜宾市"
            tags = layer_tags()
            assert len(tags) == len(drawn), tags  # every layer still chosen, in the new language
            assert ("Railway" in tags) == (lang == "en") and ("铁路" in tags) == (lang == "zh")
            frame = _wait_map(pg)
            assert frame.locator(".leaflet-pa-points-pane path").count() > 50  # layers still drawn
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
