"""End to end: upload a .docx through the real file input in headless Debian chromium, see its places.

Runs tests/e2e/upload_app.py (only the upload panel) with `streamlit run` on a temporary copy of
data/ (PLAN_ATLAS_ROOT; no layers/, so geometries come from geo.geometry); every request to a
host other than localhost is aborted and must not be needed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import ROOT, AppServer, offline_page

pytestmark = pytest.mark.browser

TITLE = "万州区达州市协同发展浏览器测试方案"
PLACES = ("万州区", "达州市", "两江新区", "成渝中线高铁")
SCRIPT = "<script>alert(1)</script>"


def _docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading(TITLE, level=0)
    d.add_heading("一、总体要求", level=1)
    d.add_heading("（一）发展目标", level=2)
    d.add_paragraph(f"推动万州区、达州市与两江新区协同发展，加快建设成渝中线高铁，提升紫云港功能。{SCRIPT}")
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    root = tmp_path_factory.mktemp("upload-root")
    shutil.copytree(ROOT / "data", root / "data")
    env = {"PLAN_ATLAS_ROOT": str(root), "PLAN_ATLAS_EDITOR_PASSWORD": "e2e-editor"}
    with AppServer(Path(__file__).with_name("upload_app.py"), env=env) as server:
        yield server


def test_upload_docx_lists_its_places(app: AppServer, chromium: Any, tmp_path: Path) -> None:
    context, pg, blocked = offline_page(chromium)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        pg.goto(app.url)
        file_input = pg.locator('[data-testid="stFileUploader"] input[type="file"]')
        file_input.wait_for(state="attached", timeout=60_000)
        assert "20 MiB" in pg.locator('[data-testid="stFileUploader"]').inner_text()
        file_input.set_input_files(str(_docx(tmp_path / "plan.docx")))
        table = pg.locator('[data-testid="stTable"]')
        table.wait_for(timeout=60_000)
        listed = table.inner_text()
        for name in PLACES:
            assert name in listed, listed
        body = pg.locator("body").inner_text()
        assert "紫云港" in body  # unresolved, shown as text
        assert "session layer:" in body
        keep = pg.get_by_role("button", name="保存到语料库")
        assert keep.count() == 0  # a viewer: no way to write into data/
        assert "只有登录的编辑可以保存到语料库" in body
        pg.get_by_text("编辑登录").click()  # the editor signs in (sidebar)
        pg.locator('input[type="password"]').fill("e2e-editor")
        pg.get_by_role("button", name="登录").click()
        keep.wait_for(timeout=60_000)
        assert keep.count() == 1
        assert dialogs == []  # no script from the document ran
        assert blocked == [], blocked
    finally:
        context.close()
