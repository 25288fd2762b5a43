"""End to end, the upload view of the real app (issue 11, item 8): after a plan is uploaded, the map is
in view beside the upload panel (not below the fold), fitted to the uploaded places, which are drawn
in the session colour; a click on an uploaded place shows the plan's own clause beside the corpus
clauses. Debian chromium, every non-local request blocked; screenshots at 1400×900 and 1920×1080."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo.viewer import mapview
from tests.support.browser import MAP_FRAME, ROOT, AppServer, offline_page

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
PLAN = "第一章 总体要求\n一、发展目标\n支持宜宾港建设，推动万州区与达州市协同发展。\n"
MAP_JS = "Object.values(window).find(v => v && v._leaflet_id && v.getBounds)"


@pytest.mark.parametrize("size", [(1400, 900), (1920, 1080)])
def test_upload_result_map_in_view_fitted_and_clickable(app: AppServer, chromium: Any, tmp_path: Path,
                                                         size: tuple[int, int]) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    context, pg, blocked = offline_page(chromium, size)
    try:
        pg.goto(app.url + "?view=upload")
        file_input = pg.locator('[data-testid="stFileUploader"] input[type="file"]')
        file_input.wait_for(state="attached", timeout=60_000)
        file_input.set_input_files(str(plan))
        frame = pg.frame_locator(MAP_FRAME)
        pg.wait_for_function(
            f"() => {{ const f = document.querySelector('{MAP_FRAME}'); const w = f && f.contentWindow;"
            " if (!w) return false; const m = Object.values(w).find(v => v && v._leaflet_id && v.getBounds);"
            f" let n = 0; m && m.eachLayer(l => {{ if (l.feature && l.options && l.options.color === '{mapview.SESSION_COLOR}') n++; }});"
            " return n >= 3; }", timeout=60_000)
        pg.wait_for_timeout(1500)  # the fly animation
        box = pg.locator(MAP_FRAME).bounding_box()
        assert box["y"] < 200 and box["y"] + box["height"] <= size[1] + 2, box  # in view, not below the fold
        w, s, e, n = frame.locator("body").evaluate(
            f"() => {{ const b = ({MAP_JS}).getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }}")
        # 宜宾港 (104.6, 28.8) … 达州市, 万州区 (108.4, 30.8): all in view, and zoomed in from the whole of China
        assert w <= 104.6 and e >= 108.4 and s <= 28.8 and n >= 31.0 and (e - w) < 15, (w, s, e, n)
        # click the uploaded 宜宾港
        xy = frame.locator("body").evaluate(
            f"""() => {{ const m = {MAP_JS}; let p = null;
                 m.eachLayer(l => {{ if (!p && l.feature && l.feature.id === 'port:yibin' && l.getLatLng
                                        && l.options.color === '{mapview.SESSION_COLOR}')
                                       p = m.latLngToContainerPoint(l.getLatLng()); }});
                 return p && [p.x, p.y]; }}""")
        assert xy is not None
        pg.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
        own = pg.get_by_test_id("pa-upload-clauses")
        own.wait_for(timeout=60_000)
        assert "支持宜宾港建设" in own.inner_text()
        # the plan's clause and the corpus clauses (drawn below it, later in the same rerun)
        pg.wait_for_function("() => document.querySelectorAll('.pa-clause').length >= 2", timeout=60_000)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"upload-view-{size[0]}x{size[1]}.png"))
        assert blocked == []
    finally:
        context.close()
