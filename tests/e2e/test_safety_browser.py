"""End to end, issue 16: the real app (streamlit run app.py) on a temporary copy of data/ and layers/.

- A zip bomb uploaded in one session while a second session clicks places on the map: the reader
  runs in a bounded child process (at a lower CPU priority), the bomb is answered with its limit, and
  every one of the other session's clicks is answered (clause panel shown) within 1 s — or, when the
  machine is so loaded that the same clicks without an upload take longer, within 1.25× the slowest
  of those; the server's RSS stays put and its CPU time is printed for both phases.
- Without the editor sign-in there is no way to write into data/: an uploaded plan is analysed,
  but no "保存到语料库" button exists, and data/ and layers/ are byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hostile_files import docx_many_paragraphs
from tests.support.browser import MAP_FRAME, ROOT, AppServer, offline_page, wait_map

pytestmark = pytest.mark.browser
POINTS = ".leaflet-pa-points-pane path.leaflet-interactive"


def _snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for top in ("data", "layers") for p in sorted((root / top).rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("safety-root")
    for name in ("data", "layers"):
        shutil.copytree(ROOT / name, root / name)
    return root


@pytest.fixture(scope="module")
def app(root: Path) -> Iterator[AppServer]:
    env = {"PLAN_ATLAS_ROOT": str(root), "PLAN_ATLAS_EDITOR_PASSWORD": ""}  # no editor configured
    with AppServer(ROOT / "app.py", env=env) as server:
        yield server


def _plan_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("万州区达州市协同发展安全测试方案", level=0)
    d.add_heading("一、总体要求", level=1)
    d.add_paragraph("推动万州区、达州市与两江新区协同发展，加快建设成渝中线高铁。")
    d.save(str(path))
    return path


def _cpu_seconds(app: AppServer) -> float:
    """CPU time (user + system) the streamlit server process has used so far."""
    assert app.proc is not None
    fields = Path(f"/proc/{app.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _upload(pg: Any, app: AppServer, path: Path) -> None:
    if "view=upload" not in pg.url:
        pg.goto(app.url + "?view=upload")
    file_input = pg.locator('[data-testid="stFileUploader"] input[type="file"]')
    file_input.wait_for(state="attached", timeout=60_000)
    file_input.set_input_files(str(path))


def _point_targets(pg: Any) -> list[list[float]]:
    frame = wait_map(pg, 60_000)
    frame.locator(POINTS).first.wait_for(state="attached", timeout=60_000)
    return frame.locator("body").evaluate(
        """(b, sel) => {
             const out = [];
             for (const p of document.querySelectorAll(sel)) {
               const r = p.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
               if (r.width > 0 && x > 60 && y > 60 && x < innerWidth - 10 && y < innerHeight - 40
                   && document.elementFromPoint(x, y) === p) out.push([x, y]);
               if (out.length >= 6) break;
             }
             return out; }""",
        POINTS,
    )


def test_zip_bomb_in_one_session_while_another_clicks(app: AppServer, chromium: Any, tmp_path: Path) -> None:
    base = _plan_docx(tmp_path / "base.docx")
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(docx_many_paragraphs(base, 10_000_000))
    ctx_a, pg_a, _ = offline_page(chromium)
    ctx_b, pg_b, blocked = offline_page(chromium)
    try:
        pg_b.goto(app.url)
        targets = _point_targets(pg_b)
        assert len(targets) >= 2, targets
        box = pg_b.locator(MAP_FRAME).bounding_box()
        heading = pg_b.locator(".pa-place h3")

        def clicks(n: int, offset: int) -> list[float]:
            times = []
            for i in range(n):
                x, y = targets[(i + offset) % len(targets)]
                previous = heading.first.inner_text() if heading.count() else ""
                t0 = time.perf_counter()
                pg_b.mouse.click(box["x"] + x, box["y"] + y)
                pg_b.wait_for_function(
                    "prev => { const h = document.querySelector('.pa-place h3');"
                    " return h && h.innerText.trim() && h.innerText !== prev; }",
                    arg=previous, timeout=10_000)
                times.append(time.perf_counter() - t0)
            return times

        # session A opens the upload view and its page is drawn (its first paint is not the bomb)
        pg_a.goto(app.url + "?view=upload")
        wait_map(pg_a, 60_000)
        cpu0 = _cpu_seconds(app)
        quiet = clicks(6, 0)  # the same clicks with no upload going on: what this machine gives now
        cpu1 = _cpu_seconds(app)
        rss_before = app.rss_bytes()
        _upload(pg_a, app, bomb)
        times = clicks(6, 1)
        cpu2 = _cpu_seconds(app)
        # the alert says in the interface language that the file cannot be read; the reader's own message
        # (naming the file and the limit) is shown beneath it
        pg_a.locator('[data-testid="stAlert"]').first.wait_for(timeout=30_000)
        error = pg_a.get_by_text("MAX_DOCX", exact=False)
        error.first.wait_for(timeout=30_000)
        message = error.first.inner_text()
        assert "bomb.docx" in message, message
        rss_after = app.rss_bytes()
        print(f"clicks during the bomb: {[round(t, 2) for t in times]} s, without: {[round(t, 2) for t in quiet]} s; "
              f"server RSS {rss_before / 1e6:.0f} → {rss_after / 1e6:.0f} MB; server CPU {cpu1 - cpu0:.2f} s for the "
              f"quiet clicks, {cpu2 - cpu1:.2f} s for the upload and the clicks beside it")
        # every click keeps answering within 1 s — or, on a machine so loaded that the same clicks without
        # any upload take longer (this shared 2-core box: up to 1.2 s), within the slowest of those plus a
        # quarter for that load's noise (seen: ±0.3 s between runs of the same click)
        assert max(times) <= max(1.0, 1.25 * max(quiet)), (times, quiet)
        assert rss_after - rss_before < 200e6
        assert blocked == []
    finally:
        ctx_a.close()
        ctx_b.close()


def test_without_sign_in_nothing_writes_into_data(app: AppServer, root: Path, chromium: Any,
                                                  tmp_path: Path) -> None:
    before = _snapshot(root)
    ctx, pg, _ = offline_page(chromium)
    try:
        _upload(pg, app, _plan_docx(tmp_path / "plan.docx"))
        pg.locator('[data-testid="stTable"]').wait_for(timeout=60_000)
        assert pg.get_by_text("只有登录的编辑可以保存到语料库").count() >= 1
        buttons = [b.strip() for b in pg.locator("button").all_inner_texts()]
        assert not [b for b in buttons if "保存" in b or "Keep" in b or "删除" in b or "Remove" in b], buttons
        assert pg.locator('input[type="password"]').count() == 0  # no editor configured: no sign-in form
    finally:
        ctx.close()
    assert _snapshot(root) == before
