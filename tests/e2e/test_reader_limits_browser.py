"""End to end: readers registered by another module (tests/toy_readers.py, registered from the app
script tests/e2e/toy_reader_app.py) run bounded in the real app: a file whose reader hangs and one
whose reader allocates without end are answered in the browser with the limit's message (wall time,
memory) in time, and the server survives both — same process, memory unchanged, still serving.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import ROOT, AppServer, offline_page

pytestmark = pytest.mark.browser
READ_SECONDS = 6.0


@pytest.fixture(scope="module")
def app() -> Iterator[AppServer]:
    env = {"PLAN_ATLAS_TEST_READ_SECONDS": str(READ_SECONDS), "PLAN_ATLAS_EDITOR_PASSWORD": ""}
    with AppServer(ROOT / "tests" / "e2e" / "toy_reader_app.py", env=env) as server:
        yield server


def _answer(pg: Any, app: AppServer, path: Path, expect: str) -> tuple[str, float, int]:
    """Upload `path`; the message containing `expect`, seconds until it showed, server RSS before."""
    pg.goto(app.url)
    file_input = pg.locator('[data-testid="stFileUploader"] input[type="file"]')
    file_input.wait_for(state="attached", timeout=60_000)
    rss_before = app.rss_bytes()
    t0 = time.perf_counter()
    file_input.set_input_files(str(path))
    message = pg.get_by_text(expect, exact=False)
    message.first.wait_for(timeout=60_000)
    return message.first.inner_text(), time.perf_counter() - t0, rss_before


@pytest.mark.parametrize(("ext", "expect", "limit"), [
    (".hang", "MAX_READ_SECONDS", f"limit of {READ_SECONDS:g} s"),
    (".hog", "MAX_READER_MEMORY_BYTES", "memory limit of 300 MiB"),
])
def test_a_registered_reader_over_its_limit_is_answered_and_the_server_survives(
        app: AppServer, chromium: Any, tmp_path: Path, ext: str, expect: str, limit: str) -> None:
    plan = tmp_path / f"plan{ext}"
    plan.write_text("万州区达州市协同发展方案", encoding="utf-8")
    ctx, pg, blocked = offline_page(chromium)
    try:
        pid = app.proc.pid if app.proc else 0
        message, seconds, rss_before = _answer(pg, app, plan, expect)
        print(f"{ext}: answered in {seconds:.1f} s; server RSS {rss_before / 1e6:.0f} → {app.rss_bytes() / 1e6:.0f} MB")
        assert f"plan{ext}" in message and limit in message, message
        # in time: the limit itself plus the upload and the page's rerun (a loaded 2-core machine)
        assert seconds < READ_SECONDS + 15, seconds
        assert app.proc is not None and app.proc.poll() is None and app.proc.pid == pid
        assert app.rss_bytes() - rss_before < 100e6  # the allocation happened elsewhere
        pg.reload()  # still serving
        pg.locator('[data-testid="stFileUploader"]').wait_for(timeout=60_000)
        assert blocked == []
    finally:
        ctx.close()
