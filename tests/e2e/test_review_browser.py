"""End to end (issue 15): the review queue in the real app, in headless Debian chromium, offline.

Upload a plan naming 简州新城 on a temporary copy of data/ and layers/ (PLAN_ATLAS_ROOT) whose
gazetteer does not know it (breadth_planning.csv left out), resolve the name as a new point by
clicking the map where it is, see the new point drawn at the clicked place in the session layer with
its clause, then undo: the point and its line are gone and data/ is as before. Before the click the
form shows its default point (no stale click, no -180); the click is checked against the position
Leaflet gives that pixel. The server runs with PLAN_ATLAS_EDITOR=1 (the editor stub of
geo.viewer.auth). The real data/ and layers/ are never written.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geo.viewer.mapview import SESSION_COLOR
from geo.viewer.review_click import PENDING_CLASS
from tests.support.browser import ROOT, AppServer, offline_page, wait_map

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


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# a spot of the map with no circle marker within 30 px (a click on a small marker reports the
# marker's own centre), away from the controls and the legend: [x, y] in container pixels
_CLEAR_SPOT_JS = """() => {
  const m = window.map, size = m.getSize(), pts = [];
  m.eachLayer(l => { if (l instanceof L.CircleMarker && m.hasLayer(l)) pts.push(m.latLngToContainerPoint(l.getLatLng())); });
  for (let fy = 0.55; fy <= 0.85; fy += 0.05) for (let fx = 0.2; fx <= 0.6; fx += 0.04) {
    const x = Math.round(size.x * fx), y = Math.round(size.y * fy);
    if (pts.every(p => Math.hypot(p.x - x, p.y - y) > 30)) return [x, y];
  }
  return null;
}"""


# the point's two fields once the page has settled (a rerun shows replaced fields faded until it
# ends): [lon, lat] as shown when there is one of each and `lon` is not `not_lon`, else null
_POINT_JS = """(notLon) => {
  const f = l => [...document.querySelectorAll('input')].filter(i => i.getAttribute('aria-label') === l);
  const lon = f('经度（WGS-84）'), lat = f('纬度（WGS-84）');
  if (lon.length !== 1 || lat.length !== 1 || lon[0].value === notLon) return null;
  return [lon[0].value, lat[0].value];
}"""


def _point_fields(pg: Any, not_lon: str | None = None) -> tuple[str, str]:
    return tuple(pg.wait_for_function(_POINT_JS, arg=not_lon, timeout=90_000).json_value())


_PIXEL_JS = "(p) => { const c = window.map.latLngToContainerPoint([p[1], p[0]]); return [c.x, c.y]; }"  # lon, lat


def _map_js(frame: Any, script: str, arg: Any = None) -> Any:
    return frame.locator(".leaflet-container").evaluate(f"(el, arg) => ({script})(arg)", arg)


def _centres(frame: Any, selector: str) -> list[tuple[float, float]]:
    """Centres of the matching SVG elements, in the map container's pixels."""
    return [tuple(c) for c in frame.locator(".leaflet-container").evaluate(
        "(el, sel) => { const r0 = el.getBoundingClientRect(); return [...el.querySelectorAll(sel)].map(p => {"
        " const r = p.getBoundingClientRect(); return [r.x + r.width / 2 - r0.x, r.y + r.height / 2 - r0.y]; }); }",
        selector)]


def _near(points: list[tuple[float, float]], x: float, y: float, px: float = 2.0) -> bool:
    return any(abs(a - x) <= px and abs(b - y) <= px for a, b in points)


def test_upload_resolve_as_point_see_it_then_undo(app: tuple[AppServer, Path], chromium: Any, tmp_path: Path) -> None:
    server, root = app
    data_before = _digest(root / "data")
    context, pg, blocked = offline_page(chromium)
    try:
        pg.goto(server.url + "?view=upload")
        file_input = pg.locator('[data-testid="stFileUploader"] input[type="file"]')
        file_input.wait_for(state="attached", timeout=90_000)
        file_input.set_input_files(str(_docx(tmp_path / "plan.docx")))
        pg.get_by_text("待确认地名", exact=False).first.wait_for(timeout=90_000)
        pg.get_by_label("待确认的地名").wait_for(timeout=90_000)  # the queue's picker (editor): one
        frame = wait_map(pg, timeout=90_000)
        frame.locator(MARKERS).first.wait_for(state="attached", timeout=90_000)
        before = frame.locator(MARKERS).count()

        assert _point_fields(pg) == ("104.500000", "30.200000")  # the default: no click yet
        leaflet = frame.locator(".leaflet-container")
        leaflet.scroll_into_view_if_needed()
        spot = _map_js(frame, _CLEAR_SPOT_JS)
        assert spot is not None, "no spot of the map clear of point markers"
        x, y = spot
        leaflet.click(position={"x": x, "y": y})  # the planner clicks the map where the new place is
        shown = _point_fields(pg, not_lon="104.500000")
        lon, lat = float(shown[0]), float(shown[1])
        taken = _map_js(frame, _PIXEL_JS, [lon, lat])
        assert _near([tuple(taken)], x, y), (taken, spot)  # the clicked place (within 2 px: sub-pixel offsets)
        frame.locator(f"path.{PENDING_CLASS}").wait_for(state="attached", timeout=30_000)
        assert _near(_centres(frame, f"path.{PENDING_CLASS}"), x, y)  # the pending point, where clicked

        pg.get_by_label("确认人").fill("浏览器测试")
        pg.get_by_label("依据 / 理由").fill("e2e")
        pg.get_by_label("依据 / 理由").press("Enter")
        assert _point_fields(pg) == shown  # kept through the reruns of the text fields
        pg.get_by_role("button", name="确认写入地名表").click()

        pg.get_by_text(f"已上图：{NAME}", exact=False).wait_for(timeout=SLOW)
        shown = pg.get_by_text(f"已上图：{NAME}", exact=False).inner_text()
        assert CLAUSE[:-1] in shown  # its clause, beside the map
        rows = _planner(root)
        assert [(r["name"], r["recipe"], r["who"], r["why"]) for r in rows] == [
            (NAME, f"point:{lon:.6f},{lat:.6f}", "浏览器测试", "e2e")
        ]
        frame = wait_map(pg, timeout=SLOW)  # the map reads the rebuilt layers/
        frame.locator(MARKERS).nth(before).wait_for(state="attached", timeout=60_000)
        assert frame.locator(MARKERS).count() == before + 1  # drawn on the map …
        px = _map_js(frame, _PIXEL_JS, [lon, lat])
        assert _near(_centres(frame, MARKERS), *px)  # … at the clicked place
        assert frame.locator(f"path.{PENDING_CLASS}").count() == 0  # no longer pending

        pg.get_by_role("button", name="撤销").first.click()
        pg.get_by_text(f"已撤销：{NAME}", exact=False).wait_for(timeout=SLOW)
        assert _planner(root) == []
        pg.get_by_text(f"已上图：{NAME}", exact=False).wait_for(state="detached", timeout=60_000)
        frame = wait_map(pg, timeout=SLOW)
        pg.wait_for_function(
            "([sel, n]) => { const f = document.querySelector('iframe[data-pa-map]');"
            " return f && f.contentDocument && f.contentDocument.querySelectorAll(sel).length === n; }",
            arg=[MARKERS, before], timeout=60_000,
        )
        px = _map_js(frame, _PIXEL_JS, [lon, lat])
        assert not _near(_centres(frame, MARKERS), *px)  # gone from the map
        after = _digest(root / "data")
        planner = "gazetteer/planner.csv"
        assert {k: v for k, v in after.items() if k != planner} == data_before  # data/ as before …
        assert planner not in data_before and _planner(root) == []  # … but for the planner table, now empty
        assert blocked == [], blocked
    finally:
        pg.screenshot(path=str(ROOT / "tests" / "artifacts" / "review-queue.png"))
        context.close()
