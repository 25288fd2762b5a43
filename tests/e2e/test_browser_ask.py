"""End to end, "ask the plans": search → the places of the matching clauses lit on the map, sized
by count → a result opens the reader at that clause. The real app on the real layers/, in
headless Debian chromium with every non-localhost request blocked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from geo.layers import read_layers
from geo.query import open_store, search
from geo.viewer.data import Catalog, default_layers_dir
from tests.support.browser import MAP_FRAME, ROOT, AppServer, offline_page

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture()
def page(chromium: Any) -> Iterator[tuple[Any, list[str]]]:
    context, pg, blocked = offline_page(chromium)
    yield pg, blocked
    context.close()


def test_search_lights_places_and_opens_the_reader_at_the_clause(app: AppServer, page: tuple[Any, list[str]]) -> None:
    pg, blocked = page
    result = search(open_store(), "氢能", limit=None)
    catalog = Catalog.from_layerset(read_layers(default_layers_dir()))
    lit = {pid for pid in result.place_counts if catalog.places.get(pid) and catalog.places[pid].center}
    assert result.total > 0 and lit

    pg.goto(app.url + "?view=ask")
    box = pg.get_by_role("textbox", name="检索条款全文")
    box.wait_for(timeout=30_000)
    box.fill("氢能")
    box.press("Enter")
    pg.locator('[data-testid="pa-ask-total"]').wait_for(timeout=30_000)
    assert pg.locator('[data-testid="pa-ask-total"]').inner_text().strip() == f"共 {result.total} 条条款"
    hits = pg.locator(".pa-hit")
    expect(hits).to_have_count(result.total, timeout=30_000)  # results stream in after the total
    assert hits.first.locator("mark").first.inner_text() == "氢能"

    # every place of the matching clauses is lit on the map, larger for more clauses
    frame = pg.frame_locator(MAP_FRAME).first
    expect(frame.locator("path.pa-hit")).to_have_count(len(lit), timeout=30_000)
    radii = frame.locator("path.pa-hit").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert max(radii) > min(radii)
    pg.screenshot(path=str(ARTIFACTS / "ask-search.png"))

    # a result opens the reader at that clause: marked and scrolled into view
    first = result.hits[0].clause["id"]
    pg.get_by_role("button", name="在文件中阅读").first.click()
    para = pg.locator(f'.pa-reader p[id="{first}"]')
    para.wait_for(timeout=30_000)
    pg.locator(f'.pa-reader p[id="{first}"][data-pa-focus="1"]').wait_for(timeout=15_000)
    assert "氢能" in para.inner_text()
    top = para.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < pg.viewport_size["height"]
    assert para.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 243, 176)"
    pg.wait_for_function("() => location.search.includes('view=reader') && location.search.includes('clause=')",
                         timeout=15_000)  # the address follows the view at the end of the rerun
    pg.screenshot(path=str(ARTIFACTS / "ask-reader.png"))
    assert blocked == []
