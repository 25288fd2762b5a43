"""The review form's stale-click guard (geo.viewer.review_click.take_click) on clicks written for the test.

st_folium returns the last plain click on every rerun; only a click stamped by the map frame with
the token of the form's current request, not judged before, at a finite position inside China's box,
may become a new point. The -180 longitude is the value the form once showed without any click.
"""

from __future__ import annotations

import math

import folium

from geo.viewer.review_click import CHINA_BBOX, PENDING_CLASS, arm_group, click_identity, in_china, take_click

TOKEN = "3f9a0c1b2d4e5f60"


def _click(lng: float, lat: float, arm: str | None = TOKEN, n: int = 1) -> dict[str, object]:
    click: dict[str, object] = {"lat": lat, "lng": lng, "n": n}
    if arm is not None:
        click["arm"] = arm
    return {"last_clicked": click, "zoom": 9}


def test_a_new_click_made_for_the_request_is_the_point() -> None:
    assert take_click(_click(104.4512345678, 30.4098765432), TOKEN, None) == ("point", (104.451235, 30.409877))


def test_no_click_is_no_point() -> None:
    assert take_click(None, TOKEN, None) == ("none", None)
    assert take_click({"last_clicked": None, "zoom": 7}, TOKEN, None) == ("none", None)
    assert take_click({"zoom": 7}, TOKEN, None) == ("none", None)


def test_a_click_made_before_the_form_asked_is_stale() -> None:
    assert take_click(_click(104.45, 30.41, arm=None), TOKEN, None) == ("stale", None)  # no stamp at all
    assert take_click(_click(104.45, 30.41, arm=""), TOKEN, None) == ("stale", None)  # map not armed
    assert take_click(_click(104.45, 30.41, arm="0000000000000000"), TOKEN, None) == ("stale", None)  # older request
    assert take_click(_click(104.45, 30.41), "", None) == ("stale", None)  # no form asks


def test_the_same_click_returned_again_is_taken_once() -> None:
    value = _click(104.45, 30.41)
    taken = click_identity(value["last_clicked"])  # type: ignore[arg-type]
    assert take_click(value, TOKEN, taken) == ("taken", None)
    # the same place clicked again (a circle marker gives its own centre) is a new click: another number
    assert take_click(_click(104.45, 30.41, n=2), TOKEN, taken) == ("point", (104.45, 30.41))


def test_positions_outside_china_or_not_numbers_are_never_points() -> None:
    assert take_click(_click(-180.0, 30.2), TOKEN, None) == ("outside", None)
    assert take_click(_click(104.45, -90.0), TOKEN, None) == ("outside", None)
    assert take_click(_click(30.41, 104.45), TOKEN, None) == ("outside", None)  # lon/lat swapped
    assert take_click(_click(math.nan, 30.41), TOKEN, None) == ("invalid", None)
    assert take_click(_click(104.45, math.inf), TOKEN, None) == ("invalid", None)
    assert take_click({"last_clicked": {"lat": "x", "lng": 104.0, "arm": TOKEN}}, TOKEN, None) == ("invalid", None)
    assert take_click({"last_clicked": {"lng": 104.0, "arm": TOKEN}}, TOKEN, None) == ("invalid", None)
    x0, y0, x1, y1 = CHINA_BBOX
    assert in_china(x0, y0) and in_china(x1, y1) and not in_china(x0 - 0.001, y0)


def test_a_click_on_a_gcj02_basemap_is_brought_back_to_wgs84() -> None:
    from geo.places.geometry import wgs84_to_gcj02

    x, y = wgs84_to_gcj02(104.45, 30.41)  # where the place is drawn on a Gaode map (about 500 m off)
    assert abs(float(x) - 104.45) > 1e-3
    assert take_click(_click(float(x), float(y)), TOKEN, None, gcj02=True) == ("point", (104.45, 30.41))
    assert take_click(_click(-180.0, 30.2), TOKEN, None, gcj02=True) == ("outside", None)
    m = folium.Map()
    arm_group(TOKEN, (104.45, 30.41), "x", gcj02=True).add_to(m)
    assert f"[{float(x)}, {float(y)}]" in m.get_root().render()  # the pending point drawn shifted too


def test_the_arm_group_carries_the_token_and_the_pending_point_escaped() -> None:
    m = folium.Map()
    arm_group(TOKEN, (104.45, 30.41), "新地点：`${x}`<b>").add_to(m)
    html = m.get_root().render()
    assert f'window.__paArm = "{TOKEN}"' in html
    assert "[104.45, 30.41]" in html and PENDING_CLASS in html
    assert "<b>" not in html and "\\u0026lt;b\\u0026gt;" in html  # the tooltip text escaped as HTML, in JSON
    off = folium.Map()
    arm_group("", (104.45, 30.41), "x").add_to(off)
    html = off.get_root().render()
    assert 'window.__paArm = ""' in html and "var pt = null" in html  # disarmed: no pending point
