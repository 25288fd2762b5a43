"""End to end, navigation inside the session (issue 11, item 6): the reader's place links and the
permalink change the view without reloading the page (a marker set on the page's window survives),
the map's moves follow in the address without history entries of their own, Back returns to the
reader (Forward to the map again), and the reader offers to jump back to the paragraph the link was in.
Real app and layers/, Debian chromium with every non-local request blocked."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.support.browser import MAP_FRAME, ROOT, AppServer, offline_page, wait_map

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
WDK = "2023-wandakai-plan"


def _query(pg: Any) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(pg.url).query).items()}


def test_reader_link_permalink_back_and_jump_back(app: AppServer, chromium: Any) -> None:
    context, pg, blocked = offline_page(chromium, (1400, 900))
    try:
        pg.goto(app.url + f"?view=reader&doc={WDK}")
        links = pg.locator(".pa-reader p[id] a[href] mark")
        links.first.wait_for(timeout=60_000)
        pg.wait_for_function("() => window.__paNav === true", timeout=30_000)
        pg.evaluate("window.__paMark = 'same page'")
        link = links.nth(20)
        para_id = link.evaluate("e => e.closest('p[id]').id")
        link.scroll_into_view_if_needed()
        link.click()
        pg.locator(MAP_FRAME).wait_for(timeout=60_000)
        pg.wait_for_function("() => new URLSearchParams(location.search).get('sel')", timeout=30_000)
        q = _query(pg)
        assert "view" not in q and q["sel"]
        pg.get_by_role("heading", level=3).first.wait_for(timeout=30_000)
        assert pg.evaluate("window.__paMark") == "same page"  # no reload: the session and page stay
        # the permalink, too
        pg.get_by_test_id("pa-permalink").click()
        pg.wait_for_timeout(1500)
        assert pg.evaluate("window.__paMark") == "same page"
        selected = _query(pg)["sel"]
        # the map's moves (its fly to the place, a pan) follow in the address, with no history entry
        # of their own: Back steps through views, not pans
        length = pg.evaluate("history.length")
        box = pg.locator(MAP_FRAME).bounding_box()
        assert box is not None
        lat = _query(pg).get("lat")
        pg.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
        pg.mouse.down()
        pg.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.3, steps=8)
        pg.mouse.up()
        pg.wait_for_function("(lat) => new URLSearchParams(location.search).get('lat') !== lat", arg=lat,
                             timeout=30_000)
        pg.wait_for_timeout(1500)
        assert pg.evaluate("history.length") == length
        # Back to the reader: the permalink's entry first, then the reader's
        presses = 0
        while _query(pg).get("view") != "reader" and presses < 2:
            pg.go_back()
            presses += 1
            pg.wait_for_timeout(1500)
        assert _query(pg).get("view") == "reader", (presses, pg.url)
        button = pg.get_by_test_id("pa-reader-back")
        button.wait_for(timeout=60_000)
        assert button.inner_text() == "回到刚才阅读的位置"
        button.click()
        pg.wait_for_timeout(500)
        para = pg.locator(f'.pa-reader p[id="{para_id}"]')
        assert para.get_attribute("data-pa-focus") == "1"
        box = para.bounding_box()
        assert box is not None and 0 <= box["y"] <= 900 - box["height"] / 2
        assert pg.evaluate("window.__paMark") == "same page"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "reader-jump-back-1400x900.png"))
        # and Forward: the map again, on the place the link chose
        pg.go_forward()
        pg.wait_for_function("() => new URLSearchParams(location.search).get('view') !== 'reader'", timeout=30_000)
        assert _query(pg)["sel"] == selected
        wait_map(pg)
        pg.locator(".pa-place h3").wait_for(timeout=30_000)  # the place's panel beside the map
        assert pg.locator(".pa-reader").count() == 0
        assert pg.evaluate("window.__paMark") == "same page"
        assert blocked == []
    finally:
        context.close()
