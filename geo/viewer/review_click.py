"""Which map click may become the review form's new point, and the map side of asking for one (no Streamlit).

A planner resolving an unknown name as a new point clicks the map. geo.viewer.mapframe.st_map returns the last plain
click as `last_clicked` on every rerun, long after it was made (and a click made before the form was
shown, or in an earlier map frame, is returned too), so "the map returned a click" does not mean
"the planner clicked here for this form". The form therefore *arms* the map with a fresh token:
`arm_group` is a feature group (st_map re-sends feature groups without re-mounting the map) whose
script sets the token in the map frame and stamps every later click with the token current there
when it was made (`arm`) and a per-frame click number (`n`), on the very LatLng object st_map
returns. `take_click` accepts a click only when it carries the current token (made after the form
asked, while the map showed the request), is not the click already taken (the same click returned
again by a rerun), and is a finite WGS-84 position inside `CHINA_BBOX` (the gazetteer's box,
geo.export.plan). On a GCJ-02 basemap (Gaode) the map is drawn shifted, so a click is a GCJ-02
position: it is brought back to WGS-84 (geo.places.geometry.gcj02_to_wgs84) and the pending point
is drawn shifted. Data: none (the click comes from the browser).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from html import escape
from typing import Any, Literal

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.export.plan import CHINA_BBOX
from geo.places.geometry import gcj02_to_wgs84, wgs84_to_gcj02

__all__ = ["CHINA_BBOX", "PENDING_CLASS", "ClickVerdict", "arm_group", "click_identity", "in_china", "take_click"]

ClickVerdict = Literal["point", "none", "stale", "taken", "invalid", "outside"]
PENDING_COLOR = "#111111"  # the point the form would write (not a place yet): black ring, white centre
PENDING_CLASS = "pa-pending-point"  # its SVG path's class (what a test or a script can find)


def in_china(lon: float, lat: float) -> bool:
    """True when (lon, lat) is a finite WGS-84 position inside CHINA_BBOX."""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return False
    x0, y0, x1, y1 = CHINA_BBOX
    return x0 <= lon <= x1 and y0 <= lat <= y1


def click_identity(click: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """What tells one click from another: its token, per-frame number and position (as returned)."""
    return (str(click.get("arm", "")), str(click.get("n", "")), repr(click.get("lng")), repr(click.get("lat")))


def take_click(
    value: Mapping[str, Any] | None, token: str, taken: tuple[str, str, str, str] | None, gcj02: bool = False
) -> tuple[ClickVerdict, tuple[float, float] | None]:
    """Judge st_map's returned `value` for the form armed with `token` ("" when no form asks).

    Returns (verdict, WGS-84 (lon, lat) rounded to 6 decimals when the verdict is "point"; `gcj02`:
    the map is drawn in GCJ-02, so is the click). Verdicts:
    "none" no click; "stale" made while no form asked, or for another request (wrong or missing
    token; never a point); "taken" the click already judged (`taken` = its `click_identity`);
    "invalid" not a finite number; "outside" outside CHINA_BBOX; "point" a new point.
    """
    click = value.get("last_clicked") if isinstance(value, Mapping) else None
    if not isinstance(click, Mapping):
        return "none", None
    if not token or click.get("arm") != token:
        return "stale", None
    if taken is not None and click_identity(click) == taken:
        return "taken", None
    try:
        lon, lat = float(click["lng"]), float(click["lat"])
    except (KeyError, TypeError, ValueError):
        return "invalid", None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return "invalid", None
    if gcj02 and in_china(lon, lat):  # the shift is only defined (and only applied) inside China
        x, y = gcj02_to_wgs84(lon, lat)
        lon, lat = float(x), float(y)
    if not in_china(lon, lat):
        return "outside", None
    return "point", (round(lon, 6), round(lat, 6))


def _js(value: Any) -> str:
    """JSON safe inside a <script> element (and never a JS template literal)."""
    return json.dumps(value, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _ArmClicks(MacroElement):
    """Sets the map frame's click token, stamps each click's LatLng with it (hooked once per map),
    and draws the pending point (not interactive: a click on it is a click on the map beneath)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var m = window.map, group = {{ this._parent.get_name() }};
  window.__paArm = {{ this.token }};
  var pt = {{ this.point }};
  if (pt) {
    var mk = L.circleMarker([pt[1], pt[0]], {radius: 8, color: {{ this.color }}, weight: 3, fill: true,
      fillColor: "#ffffff", fillOpacity: 0.9, interactive: false, className: {{ this.css_class }}});
    if ({{ this.tip }}) {
      mk.bindTooltip({{ this.tip }}, {permanent: true, direction: "right", offset: [10, 0], className: "pa-label"});
    }
    mk.addTo(group);
  }
  if (!m || m.__paArmHooked) { return; }
  m.__paArmHooked = true;
  window.__paClickN = 0;
  m.on("click", function (e) {
    if (e.latlng) { e.latlng.arm = window.__paArm || ""; e.latlng.n = ++window.__paClickN; }
  });
})();
{% endmacro %}"""
    )

    def __init__(self, token: str, point: tuple[float, float] | None, tooltip: str) -> None:
        super().__init__()
        self._name = "ArmClicks"
        self.token = _js(str(token))
        self.point = _js([float(point[0]), float(point[1])] if point is not None else None)
        self.tip = _js(escape(tooltip))  # Leaflet tooltips are HTML: the text is escaped
        self.color = _js(PENDING_COLOR)
        self.css_class = _js(PENDING_CLASS)


def arm_group(
    token: str, point: tuple[float, float] | None = None, tooltip: str = "", gcj02: bool = False
) -> folium.FeatureGroup:
    """The feature group that arms the map with `token` ("" disarms) and marks the pending `point`
    (WGS-84 lon, lat; drawn only while armed, shifted on a GCJ-02 map) with `tooltip` (plain text,
    escaped here).

    Always pass it to st_map, also disarmed: a map frame keeps the last token it was given.
    """
    group = folium.FeatureGroup(name="review")
    if token and point is not None and gcj02:
        x, y = wgs84_to_gcj02(point[0], point[1])
        point = (float(x), float(y))
    _ArmClicks(token, point if token else None, tooltip).add_to(group)
    return group
