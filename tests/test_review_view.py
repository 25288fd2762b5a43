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


def _map_page() -> None:
    """The upload view's order in one run: request renewed, form, the map's group, then the map's value."""
    import folium
    import streamlit as st

    from geo.viewer import review_view

    review_view.begin_map_run()
    review_view.render_review_queue(["紫云新城"], lang="zh", key="m", map_clicks=True)
    fmap = folium.Map()
    review_view.map_group("zh").add_to(fmap)
    st.session_state["group_html"] = fmap.get_root().render()
    if review_view.note_map_click(st.session_state.get("map_value")):
        st.rerun()


def _fields(at: AppTest) -> tuple[float, float, float]:
    lon = [n for n in at.number_input if n.label == "经度（WGS-84）"]
    lat = [n for n in at.number_input if n.label == "纬度（WGS-84）"]
    assert len(lon) == len(lat) == 1
    return lon[0].value, lat[0].value, lon[0].proto.default


def test_the_point_field_takes_only_a_click_made_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAN_ATLAS_EDITOR", "1")
    at = AppTest.from_function(_map_page, default_timeout=120)
    # a click the map returned before the form asked (no stamp: made earlier, e.g. in the map view)
    at.session_state["map_value"] = {"last_clicked": {"lat": 30.0, "lng": -180.0}, "zoom": 7}
    at.run()
    assert not at.exception, at.exception
    assert _fields(at) == (104.5, 30.2, 104.5)  # the default, shown as the field's own default too
    token = at.session_state["review:arm"]["token"]
    assert f'window.__paArm = "{token}"' in at.session_state["group_html"]

    # stamped with the request's token but at -180: refused with a message, nothing selected or moved
    at.session_state["map_value"] = {"last_clicked": {"lat": 30.0, "lng": -180.0, "arm": token, "n": 1}}
    at.run()
    assert _fields(at)[:2] == (104.5, 30.2)
    assert any("不在中国范围内" in w.value for w in at.warning)

    # a real click for this request: the fields show it (and a re-mount would show it: it is their default)
    at.session_state["map_value"] = {"last_clicked": {"lat": 30.4098766, "lng": 104.4512346, "arm": token, "n": 2}}
    at.run()
    assert _fields(at) == (104.451235, 30.409877, 104.451235)
    assert not at.warning
    assert "[104.451235, 30.409877]" in at.session_state["group_html"]  # the pending point on the map

    # typed coordinates stay when the same click is returned again on a rerun
    [n for n in at.number_input if n.label == "经度（WGS-84）"][0].set_value(104.3).run()
    at.run()
    assert _fields(at)[:2] == (104.3, 30.409877)

    # the form stops asking (alias): the request lapses, the map is disarmed, a click with the old token is stale
    at.radio(key="m:action").set_value("alias").run()
    assert "review:arm" not in at.session_state
    assert 'window.__paArm = ""' in at.session_state["group_html"]
    at.session_state["map_value"] = {"last_clicked": {"lat": 30.5, "lng": 104.6, "arm": token, "n": 3}}
    at.radio(key="m:action").set_value("point").run()
    assert at.session_state["review:arm"]["token"] != token  # a new request
    assert _fields(at)[:2] == (104.5, 30.2)
