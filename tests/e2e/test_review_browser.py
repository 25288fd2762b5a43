"""End to end (issue 15): the review queue in the real app, in headless Debian chromium, offline.

Upload a plan naming 简州新城 on a temporary copy of data/ and layers/ (PLAN_ATLAS_ROOT) whose
gazetteer does not know it (breadth_planning.csv left out), take a point by clicking the map, resolve
the name as a new point (typed coordinates), see it drawn
in the session layer with its clause, then undo. The server runs with PLAN_ATLAS_EDITOR=1 (the
editor stub of geo.viewer.auth). The real data/ and layers/ are never written.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geo.viewer.mapview import SESSION_COLOR
from tests.support.browser import MAP_FRAME, ROOT, AppServer, offline_page

pytestmark = pytest.mark.browser

NAME = "简州新城"
CLAUSE = f"加快建设{NAME}，推动简阳与成都东部新区协同发展。"
MARKERS = f'path[stroke="{SESSION_COLOR}"]'
SLOW = 240_000  # a decision rebuilds layers/ (on a loaded 2-core machine)


def _docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("简州新城建设浏览器测试方案", level=0)
    d.add_heading("一、总体要求", level=1)
    d.add_paragraph(CLAUSE)
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, Path]]:
    root = tmp_path_factory.mktemp("review-root")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("breadth_planning.csv", "planner.csv"))
    shutil.copytree(ROOT / "layers", root / "layers")
    (root / "static").symlink_to(ROOT / "static")
    env = {"PLAN_ATLAS_ROOT": str(root), "PLAN_ATLAS_EDITOR": "1"}
    with AppServer(ROOT / "app.py", env=env) as server:
        yield server, root


def _planner(root: Path) -> list[dict[str, str]]:
    path = root / "data" / "gazetteer" / "planner.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.xfail(
    reason="since the upload panel moved beside the map (issue 11), the review form sometimes takes a stale map "
    "click (longitude -180) or loses its inputs on a rerun; open bug, see the closing note",
    strict=False,
)
def test_upload_resolve_as_point_see_it_then_undo(app: tuple[AppServer, Path], chromium: Any, tmp_path: Path) -> None:
    server, root = app
    context, pg, blocked = offline_page(chromium)
    try:
        pg.goto(server.url + "?view=upload")
        file_input = pg.locator('[data-testid="stFileUploader"] input[type="file"]')
        file_input.wait_for(state="attached", timeout=90_000)
        file_input.set_input_files(str(_docx(tmp_path / "plan.docx")))
        pg.get_by_text("待确认地名", exact=False).first.wait_for(timeout=90_000)
        assert pg.get_by_label("待确认的地名").count() == 1  # the queue's picker (editor)
        frame = pg.frame_locator(MAP_FRAME)
        frame.locator(MARKERS).first.wait_for(state="attached", timeout=90_000)
        before = frame.locator(MARKERS).count()

        lon = pg.get_by_label("经度（WGS-84）")
        assert lon.input_value() == "104.500000"  # the default, until the map is clicked
        leaflet = frame.locator(".leaflet-container")
        leaflet.scroll_into_view_if_needed()
        box = leaflet.bounding_box()
        leaflet.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.7})  # a point on the map
        pg.wait_for_function(
            "() => { const e = [...document.querySelectorAll('input')].find(i => i.getAttribute('aria-label')"
            " === '经度（WGS-84）'); return e && e.value !== '104.500000'; }",
            timeout=90_000,
        )
        pg.get_by_label("经度（WGS-84）").fill("104.450000")
        pg.get_by_label("纬度（WGS-84）").fill("30.410000")
        pg.get_by_label("确认人").fill("浏览器测试")
        pg.get_by_label("依据 / 理由").fill("e2e")
        pg.get_by_label("依据 / 理由").press("Enter")
        pg.get_by_role("button", name="确认写入地名表").click()

        pg.get_by_text(f"已上图：{NAME}", exact=False).wait_for(timeout=SLOW)
        shown = pg.get_by_text(f"已上图：{NAME}", exact=False).inner_text()
        assert "加快建设" in shown  # its clause
        rows = _planner(root)
        assert [(r["name"], r["recipe"], r["who"], r["why"]) for r in rows] == [
            (NAME, "point:104.450000,30.410000", "浏览器测试", "e2e")
        ]
        frame.locator(MARKERS).nth(before).wait_for(state="attached", timeout=60_000)
        assert frame.locator(MARKERS).count() == before + 1  # drawn on the map

        pg.get_by_role("button", name="撤销").first.click()
        pg.get_by_text(f"已撤销：{NAME}", exact=False).wait_for(timeout=SLOW)
        assert _planner(root) == []
        pg.get_by_text(f"已上图：{NAME}", exact=False).wait_for(state="detached", timeout=60_000)
        assert blocked == [], blocked
    finally:
        pg.screenshot(path=str(ROOT / "tests" / "artifacts" / "review-queue.png"))
        context.close()
