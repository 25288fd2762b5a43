"""End to end (headless Debian chromium, offline, 1920×1080): the thematic map on the main map, and the
presenter's edited title in the permalink (issue 13).

- The sidebar's 专题图 → 各区县提及次数: the county polygons are filled in the classes' colours, the
  map's legend lists the classes, proportional symbols are drawn, and the map is not re-mounted
  (its Leaflet container is the same element); the theme 交通 changes the fills and the legend's
  title, same map element; 不显示 takes it all away. Screenshot in tests/artifacts/.
- Presenter mode covers the whole page (nothing of the page beneath shows through); a title typed into the heading goes into the page address (ptitle); opening that
  address again shows the title.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.support.browser import ROOT, AppServer, offline_page, wait_map

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
DOC = "2020-chengyu-gangyao"
FILLS = """() => Array.from(document.querySelectorAll('.leaflet-pa-admin_county-pane path'))
  .map(p => [p.getAttribute('fill'), p.getAttribute('fill-opacity')])"""
LEGEND = """() => Array.from(document.querySelectorAll('.pa-thematic-legend .pa-th-row .pa-th-sw'))
  .map(s => [getComputedStyle(s).backgroundColor, s.nextElementSibling.textContent])"""


def _rgb(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))


def _choose(pg: Any, label: str, option: str) -> None:
    box = pg.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has=pg.get_by_text(label, exact=True))
    box.click()
    pg.get_by_role("option", name=option).click()


def test_thematic_map_on_the_main_map(app: AppServer, chromium: Any) -> None:
    context, pg, blocked = offline_page(chromium, viewport=(1920, 1080))
    try:
        pg.goto(f"{app.url}?docs={DOC}")
        wait_map(pg)
        frame = next(f for f in pg.frames if f.query_selector(".leaflet-container"))
        frame.evaluate("() => document.querySelector('.leaflet-container').dataset.mark = 'first'")
        plain = {f for f, _ in frame.evaluate(FILLS)}
        _choose(pg, "专题图", "各区县提及次数")
        frame.wait_for_function(
            "() => document.querySelector('.leaflet-container').dataset.paThematic === 'admin_county'",
            timeout=60_000)
        legend = frame.evaluate(LEGEND)
        assert len(legend) >= 3 and legend[0][1] == "0"  # the classes, lowest first
        fills = frame.evaluate(FILLS)
        class_colours = {c for c, _ in legend}
        used = {_rgb(f) for f, _ in fills if f and f.startswith("#")}
        assert len(fills) >= 200  # every county of the circle's provinces
        assert len(used & class_colours) >= 3 and used <= class_colours  # filled in the classes' colours
        assert used != {_rgb(f) for f in plain if f and f.startswith("#")}
        assert frame.locator(".pa-thematic-legend").is_visible()
        assert frame.locator(".leaflet-pa-thematic-pane path").count() >= 10  # proportional symbols
        assert frame.evaluate("() => document.querySelector('.leaflet-container').dataset.mark") == "first"
        # the address follows at the end of the rerun
        pg.wait_for_function("() => location.search.includes('thematic=county')", timeout=30_000)
        pg.screenshot(path=str(ARTIFACTS / "thematic-county-1080p.png"))
        # a theme: only its clauses count; the fills change, the legend names it, the map stays
        title = frame.locator(".pa-thematic-legend .pa-th-title")
        assert "交通" not in title.inner_text()
        _choose(pg, "专题图主题", "交通")
        frame.wait_for_function(
            "() => (document.querySelector('.pa-thematic-legend .pa-th-title') || {}).textContent"
            " === '各区县提及次数 · 主题：交通'", timeout=60_000)
        themed = frame.evaluate(FILLS)
        assert len(themed) == len(fills) and themed != fills
        assert {_rgb(f) for f, _ in themed if f and f.startswith("#")} <= {c for c, _ in frame.evaluate(LEGEND)}
        assert frame.evaluate("() => document.querySelector('.leaflet-container').dataset.mark") == "first"
        pg.wait_for_function("() => location.search.includes('ttheme=')", timeout=30_000)
        pg.screenshot(path=str(ARTIFACTS / "thematic-county-transport-1080p.png"))
        _choose(pg, "专题图", "不显示")
        frame.wait_for_function(
            "() => document.querySelector('.leaflet-container').dataset.paThematic === ''", timeout=60_000)
        assert frame.locator(".pa-thematic-legend").count() == 0
        assert frame.locator(".leaflet-pa-thematic-pane path").count() == 0
        assert not {_rgb(f) for f, _ in frame.evaluate(FILLS) if f and f.startswith("#")} & (class_colours - {
            "rgb(238, 238, 238)", "rgb(255, 255, 255)"})
        assert frame.evaluate("() => document.querySelector('.leaflet-container').dataset.mark") == "first"
        assert blocked == []
    finally:
        context.close()


def _presenter_frame(pg: Any) -> Any:
    for _ in range(240):
        frame = next((f for f in pg.frames if f.url == "about:srcdoc" and f.query_selector("#pp")), None)
        if frame and frame.query_selector('body[data-ready="1"]'):
            return frame
        pg.wait_for_timeout(250)
    raise AssertionError("presenter view did not load")


def test_presenter_title_goes_into_the_permalink(app: AppServer, chromium: Any) -> None:
    context, pg, blocked = offline_page(chromium, viewport=(1920, 1080))
    try:
        pg.goto(f"{app.url}?presenter=1&docs={DOC}")
        frame = _presenter_frame(pg)
        # the page beneath is hidden, not removed (its map keeps its size): nothing of it shows through
        on_top = pg.evaluate("""() => [[60, 200], [150, 600], [960, 540], [1900, 1060]].map(
          ([x, y]) => (document.elementFromPoint(x, y) || {}).title)""")
        assert on_top == ["st.iframe"] * 4
        assert not pg.locator('[data-testid="stSidebar"]').is_visible()
        title = frame.locator("#pp-title")
        title.click()
        pg.keyboard.press("Control+A")
        pg.keyboard.type("双城经济圈 <b>交通</b> 专题")
        pg.keyboard.press("Enter")
        pg.wait_for_function("() => location.search.includes('ptitle=')", timeout=10_000)
        link = pg.url
        assert parse_qs(urlparse(link).query)["ptitle"] == ["双城经济圈 <b>交通</b> 专题"]
        assert parse_qs(urlparse(link).query)["presenter"] == ["1"]
        pg.screenshot(path=str(ARTIFACTS / "presenter-title-edited.png"))
        other = context.new_page()
        other.goto(link)
        again = _presenter_frame(other)
        assert again.locator("#pp-title").inner_text() == "双城经济圈 <b>交通</b> 专题"
        assert again.locator("#pp-title b").count() == 0  # text, not markup
        assert blocked == []
    finally:
        context.close()
