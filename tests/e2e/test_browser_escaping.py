"""End to end: hostile text from documents and the gazetteer shows literally and never runs.

The app runs on the synthetic fixture (geo._viewfixture), whose document contains <script> and
<img onerror>, and whose gazetteer has a place named "<img src=x onerror=alert(9)>站". Any
alert() would open a dialog; none may. One app process for the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import MAP_FRAME, ROOT, AppServer, offline_page, wait_map
from tests.support.fixture import HOSTILE_NAME, write_fixture_layers

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    root = Path(tmp_path_factory.mktemp("hostile"))
    write_fixture_layers(root / "layers")
    with AppServer(ROOT / "app.py", env={"PLAN_ATLAS_ROOT": str(root)}) as server:
        yield server


def test_hostile_texts_render_literally(app: AppServer, chromium: Any) -> None:
    context, pg, blocked = offline_page(chromium)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        pg.goto(app.url + "?sel=airport:tfu")
        frame = wait_map(pg, 30_000)
        pg.locator(".pa-clause").first.wait_for(timeout=15_000)
        panel = pg.locator(".pa-clause").all_inner_texts()
        assert any('<script>alert("x")</script>' in t for t in panel), panel
        assert any("<img src=x onerror=alert(1)>" in t for t in panel), panel
        assert "<img src=x onerror=alert(2)>" in pg.locator(".pa-place").inner_text()  # an alias
        assert pg.locator(".pa-clause img, .pa-place img, .pa-clause script").count() == 0

        # a place whose name is markup: its hover tooltip (built in the browser) and, once clicked,
        # its panel heading and selection label (built in Python) are text
        pg.goto(app.url + "?sel=airport:tfu&lat=30.0&lon=105.2&z=9")
        frame = wait_map(pg, 30_000)
        pg.locator(".pa-place h3").wait_for(timeout=15_000)
        pg.wait_for_timeout(500)
        box = pg.locator(MAP_FRAME).bounding_box()
        xy = frame.locator("body").evaluate(
            "() => { const p = window.map.latLngToContainerPoint([30.0, 105.2]);"
            " const r = window.map.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }"
        )
        pg.mouse.move(box["x"] + xy[0], box["y"] + xy[1])
        pg.wait_for_timeout(400)
        tips = frame.locator(".leaflet-tooltip").all_inner_texts()
        assert any(HOSTILE_NAME in t for t in tips), tips
        pg.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
        pg.wait_for_function(
            "(n) => Array.from(document.querySelectorAll('.pa-place h3')).some(h => h.innerText === n)",
            arg=HOSTILE_NAME, timeout=15_000,
        )
        assert frame.locator(".leaflet-tooltip img").count() == 0
        # selected by a link (not a click), it gets a label from the Python highlight group
        pg.goto(app.url + "?sel=site:evil&lat=30.0&lon=105.2&z=9")
        frame.locator(".leaflet-tooltip.pa-label").first.wait_for(timeout=20_000)
        labels = frame.locator(".leaflet-tooltip.pa-label").all_inner_texts()
        assert HOSTILE_NAME in labels, labels
        assert frame.locator(".leaflet-tooltip img").count() == 0

        # the reader shows the hostile document literally
        pg.goto(app.url + "?view=reader&doc=evil-2023")
        pg.locator(".pa-reader").wait_for(timeout=15_000)
        text = pg.locator(".pa-reader").inner_text()
        assert '恶意<script>alert("t")</script>方案' in text and "<i>某机关</i>" in text
        assert HOSTILE_NAME in text
        assert pg.locator(".pa-reader img, .pa-reader script, .pa-reader i").count() == 0
        pg.wait_for_timeout(500)
        assert dialogs == []
        assert blocked == []
    finally:
        context.close()
