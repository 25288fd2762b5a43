"""The review queue's app panel (geo.viewer.review_view) in Streamlit's AppTest: everyone sees the
queue, only an editor (geo.viewer.auth.is_editor; stub: PLAN_ATLAS_EDITOR=1) gets the form, and the
form writes nothing until "confirm" is pressed (decisions themselves: tests/test_review.py,
tests/e2e/test_review_browser.py); this test never presses confirm, so the real data/ is not written (checked).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo import settings


def _page() -> None:
    from geo.viewer.review_view import render_review_queue

    render_review_queue(["紫云新城", "清溪河流域"], lang="zh", key="t")


def _run(monkeypatch: pytest.MonkeyPatch, editor: bool) -> AppTest:
    if editor:
        monkeypatch.setenv("PLAN_ATLAS_EDITOR", "1")
    else:
        monkeypatch.delenv("PLAN_ATLAS_EDITOR", raising=False)
    at = AppTest.from_function(_page, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_readers_see_the_queue_but_no_form(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _run(monkeypatch, editor=False)
    assert "紫云新城、清溪河流域" in [t.value for t in at.text]
    assert any("编辑" in c.value for c in at.caption)
    assert not [b for b in at.button if b.label == "确认写入地名表"]


def test_editors_get_the_form_and_nothing_is_written_before_confirm(monkeypatch: pytest.MonkeyPatch) -> None:
    planner = settings.GAZETTEER_DIR / "planner.csv"
    existed = planner.exists()
    at = _run(monkeypatch, editor=True)
    assert [b.label for b in at.button if b.label == "确认写入地名表"] == ["确认写入地名表"]
    assert at.selectbox(key="t:surface").options == ["紫云新城", "清溪河流域"]
    at.radio(key="t:action").set_value("area").run()
    assert at.multiselect(key="t:members")  # member units to choose
    at.radio(key="t:action").set_value("alias").run()
    assert "成都市 (adm:510100)" in at.selectbox(key="t:alias_of").options
    assert planner.exists() == existed  # nothing written without confirm
