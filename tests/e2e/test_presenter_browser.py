"""End to end: presenter mode (geo.viewer.presenter) in the real app, headless Debian chromium, offline.

For the 纲要 and the 万达开 plan at 1920×1080: the view fills the viewport; title and legend are
visible; no two label boxes overlap and every label lies inside the map; arrow keys change the
caption and the highlighted places; Esc leaves the mode. Also the title/legend/exit control at
1366×768 and 3840×2160. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import MAP_FRAME, ROOT, AppServer, offline_page

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS = {"2020-chengyu-gangyao": "成渝地区双城经济圈建设规划纲要", "2023-wandakai-plan": "万达开"}
BOXES = """() => {
  const m = document.getElementById('pp-map').getBoundingClientRect();
  return {map: [m.left, m.top, m.right, m.bottom],
          labels: Array.from(document.querySelectorAll('.pp-label')).map(e => {
            const r = e.getBoundingClientRect();
            return {text: e.textContent, pid: e.dataset.pid, hl: e.classList.contains('pp-hl'),
                    box: [r.left, r.top, r.right, r.bottom]}; })};
}"""


def _open(chromium: Any, url: str, size: tuple[int, int]) -> tuple[Any, Any, Any, list[str]]:
    context, pg, blocked = offline_page(chromium, viewport=size)
    pg.goto(url)
    frame = None
    for _ in range(240):
        frame = next((f for f in pg.frames if f.url == "about:srcdoc" and f.query_selector("#pp")), None)
        if frame and frame.query_selector('body[data-ready="1"]'):
            break
        pg.wait_for_timeout(250)
    assert frame is not None and frame.query_selector('body[data-ready="1"]'), "presenter view did not load"
    return context, pg, frame, blocked


def _visible(pg: Any, frame: Any, selector: str, size: tuple[int, int]) -> dict:
    box = frame.locator(selector).bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0, selector
    assert box["x"] >= 0 and box["y"] >= 0, selector
    assert box["x"] + box["width"] <= size[0] + 1 and box["y"] + box["height"] <= size[1] + 1, (selector, box)
    return box


def _check_labels(frame: Any, minimum: int) -> list[dict]:
    data = frame.evaluate(BOXES)
    ml, mt, mr, mb = data["map"]
    labels = data["labels"]
    assert len(labels) >= minimum
    for lb in labels:
        x0, y0, x1, y1 = lb["box"]
        assert ml <= x0 and mt <= y0 and x1 <= mr and y1 <= mb, lb
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            (a0, a1, a2, a3), (b0, b1, b2, b3) = a["box"], b["box"]
            assert not (a0 < b2 and b0 < a2 and a1 < b3 and b1 < a3), (a["text"], b["text"])
    texts = [lb["text"] for lb in labels]
    assert len(texts) == len(set(texts)), "a place labelled twice"
    return labels


def _step_state(frame: Any) -> tuple[str, str, list[str]]:
    return frame.evaluate(
        """() => [document.getElementById('pp-caption').textContent, document.body.dataset.step,
                  CFG.steps.length ? CFG.steps[+document.body.dataset.step].places : []]"""
    )


@pytest.mark.parametrize("doc", list(DOCS))
def test_presenter_1080p(app: AppServer, chromium: Any, doc: str) -> None:
    size = (1920, 1080)
    context, pg, frame, blocked = _open(chromium, f"{app.url}?presenter=1&docs={doc}", size)
    try:
        # full viewport: the component frame covers the window
        iframe = pg.locator('iframe[title="st.iframe"]').bounding_box()
        assert iframe == {"x": 0, "y": 0, "width": size[0], "height": size[1]}
        _visible(pg, frame, "#pp-title", size)
        assert DOCS[doc] in frame.locator("#pp-title").inner_text()
        _visible(pg, frame, "#pp-legend", size)
        assert frame.locator("#pp-legend .pp-leg-kind").count() >= 3
        _visible(pg, frame, "#pp-exit", size)
        _visible(pg, frame, "#pp-caption", size)
        labels = _check_labels(frame, minimum=8)
        assert any(lb["text"] == "成都" for lb in labels) or doc != "2020-chengyu-gangyao"
        pg.screenshot(path=str(ARTIFACTS / f"presenter-{doc}-1080p-0.png"))

        first = _step_state(frame)
        seen_places = {tuple(first[2])}
        state = first
        for _ in range(6):  # arrows step through the clauses, each highlighting its places
            pg.keyboard.press("ArrowRight")
            new = _step_state(frame)
            assert new[0] != state[0] and int(new[1]) == int(state[1]) + 1
            hl = {lb["pid"] for lb in _check_labels(frame, minimum=3) if lb["hl"]}
            assert hl <= set(new[2])  # only the current clause's places are highlighted
            seen_places.add(tuple(new[2]))
            state = new
        assert len(seen_places) >= 2, "the highlighted places never changed"
        hl_labels = [lb for lb in _check_labels(frame, minimum=3) if lb["hl"]]
        assert hl_labels, "the current clause's places are not labelled"
        pg.screenshot(path=str(ARTIFACTS / f"presenter-{doc}-1080p-6.png"))
        pg.keyboard.press("t")  # the county choropleth and its classes in the legend
        assert frame.locator("#pp-legend .pp-leg-class").count() >= 2
        _check_labels(frame, minimum=3)
        pg.screenshot(path=str(ARTIFACTS / f"presenter-{doc}-1080p-thematic.png"))
        pg.keyboard.press("t")
        assert frame.locator("#pp-legend .pp-leg-class").count() == 0
        pg.keyboard.press("ArrowLeft")
        assert int(_step_state(frame)[1]) == int(state[1]) - 1

        pg.evaluate("window.__paMark = 'same page'")
        pg.keyboard.press("Escape")
        pp = pg.locator('iframe[title="st.iframe"]')
        pp.wait_for(state="hidden", timeout=5_000)  # the page beneath shows at once
        pg.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=60_000)
        assert pg.locator('[data-testid="stSidebar"]').is_visible()
        pg.wait_for_function("() => !location.search.includes('presenter')", timeout=20_000)
        pp.wait_for(state="detached", timeout=30_000)  # and the app's rerun drops presenter mode
        assert doc in pg.url  # the view's documents are kept
        assert pg.evaluate("window.__paMark") == "same page"  # left in the session: no page load
        assert blocked == []
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1366, 768), (3840, 2160)])
def test_presenter_other_screens(app: AppServer, chromium: Any, size: tuple[int, int]) -> None:
    doc = "2020-chengyu-gangyao"
    context, pg, frame, _ = _open(chromium, f"{app.url}?presenter=1&docs={doc}", size)
    try:
        for sel in ("#pp-title", "#pp-legend", "#pp-exit", "#pp-caption", "#pp-map"):
            _visible(pg, frame, sel, size)
        _check_labels(frame, minimum=5)
        pg.screenshot(path=str(ARTIFACTS / f"presenter-{doc}-{size[0]}x{size[1]}.png"))
        pg.evaluate("window.__paMark = 'same page'")
        frame.locator("#pp-exit").click()  # the visible exit control
        pg.locator('iframe[title="st.iframe"]').wait_for(state="detached", timeout=30_000)
        pg.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=60_000)
        assert pg.evaluate("window.__paMark") == "same page"  # no page load
    finally:
        context.close()


def test_map_image_download_from_the_sidebar(app: AppServer, chromium: Any, tmp_path: Any) -> None:
    import io

    from PIL import Image

    context, pg, blocked = offline_page(chromium, viewport=(1500, 950))
    try:
        pg.goto(f"{app.url}?docs=2023-wandakai-plan")
        pg.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=60_000)
        sidebar = pg.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("地图图片（当前视图）").first.click()
        with pg.expect_download(timeout=120_000) as dl:
            sidebar.get_by_role("button", name="PNG（300 dpi，A4 横向）").click()
        path = tmp_path / "map.png"
        dl.value.save_as(path)
        im = Image.open(io.BytesIO(path.read_bytes()))
        assert im.size == (3508, 2480) and round(im.info["dpi"][0]) == 300
        im.convert("RGB").resize((877, 620)).save(ARTIFACTS / "map-image-download.png")
        assert blocked == []
    finally:
        context.close()
