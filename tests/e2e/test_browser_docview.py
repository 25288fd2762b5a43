"""End to end, the document view (issue 11, item 4): from the reader, "show this document's places on
the map" opens the map on the 万达开 plan without a page reload, highlights its places — the ten
prefectures and counties it names among them — and zooms to them. Real app, real layers/, Debian
chromium with every non-local request blocked; screenshots at 1400×900 and 1920×1080 kept."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from geo.layers.build import read_layers
from geo.viewer.data import default_layers_dir
from tests.support.browser import MAP_FRAME, ROOT, AppServer, offline_page, wait_map

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
WDK = "2023-wandakai-plan"
MAP_JS = "Object.values(window).find(v => v && v._leaflet_id && v.getBounds)"


def _bounds(frame: Any) -> list[float]:
    return frame.locator("body").evaluate(
        f"() => {{ const b = ({MAP_JS}).getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }}")


def _highlighted(frame: Any) -> list[str]:
    """Names of the features drawn in the highlight colours (red selection, orange the rest)."""
    return frame.locator("body").evaluate(
        f"""() => {{ const out = []; ({MAP_JS}).eachLayer(l => {{
              if (l.feature && l.options && ['#d62728', '#ff7f0e'].includes(l.options.color))
                out.push(l.feature.properties.name); }}); return out; }}""")


@pytest.mark.parametrize("size", [(1400, 900), (1920, 1080)])
def test_reader_to_document_view_highlights_and_zooms(app: AppServer, chromium: Any, size: tuple[int, int]) -> None:
    index = read_layers(default_layers_dir()).index
    places = index["places"]
    named = {m[2] for c in index["clauses"] if c["doc_id"] == WDK for m in c.get("mentions") or []}
    admin = {places[p]["name"] for p in named if places[p]["layer"] in ("admin_county", "admin_prefecture")}
    assert len(admin) == 10
    context, pg, blocked = offline_page(chromium, size)
    try:
        pg.goto(app.url)
        frame = wait_map(pg)
        pg.wait_for_timeout(500)
        before = _bounds(frame)
        pg.goto(app.url + f"?view=reader&doc={WDK}")
        assert pg.locator(MAP_FRAME).count() == 0  # the reader has no map
        pg.get_by_role("button", name="在地图上显示本文件的地点").click()
        pg.get_by_test_id("pa-docplaces").wait_for(timeout=60_000)
        frame = wait_map(pg)
        pg.wait_for_function(
            f"() => {{ const f = document.querySelector('{MAP_FRAME}'); const w = f && f.contentWindow;"
            " if (!w) return false; const m = Object.values(w).find(v => v && v._leaflet_id && v.getBounds);"
            " let n = 0; m && m.eachLayer(l => { if (l.feature && l.options && l.options.color === '#ff7f0e') n++; });"
            " return n >= 55; }", timeout=60_000)
        pg.wait_for_timeout(1200)  # the fly animation
        query = {k: v[-1] for k, v in parse_qs(urlparse(pg.url).query).items()}
        assert query.get("docs") == WDK and "view" not in query
        names = set(_highlighted(frame))
        assert admin <= names, admin - names
        w, s, e, n = _bounds(frame)
        # zoomed in from the first view, onto the 万达开 area (layers/ composite:wandakai, rounded inwards)
        assert (e - w) < (before[2] - before[0])
        assert w <= 106.7 and e >= 108.9 and s <= 30.3 and n >= 32.3, (w, s, e, n)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"docview-{size[0]}x{size[1]}.png"))
        assert blocked == []
    finally:
        context.close()
