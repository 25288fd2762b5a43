"""The selection highlight and an uploaded plan's session layer, drawn over the main map as folium
feature groups passed to st_map's `feature_group_to_add` (changing them does not re-mount the map).

Where the data comes from: the features of the layers (geo.layers, through the viewer's Catalog)
and an upload's session FeatureCollection (geo.ingest.upload), slimmed for display by
geo.viewer.mapview.display_feature. Names are HTML-escaped (`tooltip_text`); a selected area's or
line's name is placed at a point well inside it (`label_point`, shapely's polylabel).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.viewer.data import display_name
from geo.viewer.mapview import HIGHLIGHT_COLOR, SESSION_COLOR, display_feature, gcj02_shift

__all__ = ["highlight_group", "label_point", "point_parts", "session_group", "tooltip_text"]


class _ClearClientSelection(MacroElement):
    """Removes the browser-side click highlight when the highlight group is (re)drawn."""

    _template = Template(
        "{% macro script(this, kwargs) %}if (window.__paClearSel) { window.__paClearSel(); }{% endmacro %}"
    )


def point_parts(feature: dict[str, Any]) -> list[dict[str, Any]]:
    """A MultiPoint feature as one Point feature per part (folium's marker and tooltip code calls
    getElement() on each layer, which a MultiPoint's layer group does not have); others as they are."""
    geom = feature.get("geometry") or {}
    if geom.get("type") != "MultiPoint":
        return [feature]
    return [{**feature, "geometry": {"type": "Point", "coordinates": c}} for c in geom.get("coordinates") or []]


_PARTS: dict[tuple[int, bool, str], tuple[Mapping[str, Any], list[dict[str, Any]]]] = {}


def _highlight_parts(
    f: Mapping[str, Any], fn: Callable[[float, float], tuple[float, float]] | None, gcj02: bool, lang: str = "zh"
) -> list[dict[str, Any]]:
    """A feature's slim point parts for the highlight, with its escaped name in `lang` as `label` (tooltip HTML).
    Kept per feature object (the catalog's features live as long as their build of layers/; the cache
    holds the object, so its id cannot be reused while the entry exists): a document highlights ~200
    places on every rerun."""
    key = (id(f), gcj02, lang)
    hit = _PARTS.get(key)
    if hit is not None and hit[0] is f:
        return hit[1]
    slim = display_feature(f, fn)
    parts: list[dict[str, Any]] = []
    if slim["geometry"] is not None:
        slim["properties"]["label"] = tooltip_text(display_name(f.get("properties") or {}, lang))
        parts = point_parts(slim)
    if len(_PARTS) >= 8192:
        _PARTS.clear()
    _PARTS[key] = (f, parts)
    return parts


def tooltip_text(name: Any) -> str:
    """A name as tooltip HTML: escaped, and safe inside the JavaScript template literal in which
    folium's Tooltip writes its text (a backtick or `${` in a name would end it)."""
    return escape(str(name or "")).replace("`", "&#96;").replace("$", "&#36;")


def highlight_group(
    features: Iterable[Mapping[str, Any]],
    selected: str | None = None,
    gcj02: bool = False,
    clear_click: bool = True,
    lang: str = "zh",
) -> folium.FeatureGroup:
    """The selection highlight: the given features drawn on top, names as (escaped) tooltips.

    Passed to st_map as `feature_group_to_add`, so changing it does not re-mount the map.
    The selected place's name is a permanent label. A place selected by a click on the
    map is highlighted in the browser at once; `clear_click` (a selection made elsewhere) removes
    that highlight when this group is drawn.
    """
    fn = gcj02_shift() if gcj02 else None
    group = folium.FeatureGroup(name="selection")
    if clear_click:
        _ClearClientSelection().add_to(group)
    # two GeoJson layers, not one per place: a document highlights ~200 places, and rendering a folium
    # element per place took seconds on every rerun; the selected place comes last (drawn on top)
    others: list[dict[str, Any]] = []
    chosen: list[dict[str, Any]] = []
    for f in features:
        # shallow copies: folium may give features of a layer new top-level ids (multipoint parts)
        parts = [dict(p) for p in _highlight_parts(f, fn, gcj02, lang)]
        if parts and parts[0]["properties"]["id"] == selected:
            chosen.extend(parts)
        else:
            others.extend(parts)
    for feats, is_sel in ((others, False), (chosen, True)):
        if not feats:
            continue
        style = {
            "color": HIGHLIGHT_COLOR if is_sel else "#ff7f0e",
            "weight": 4 if is_sel else 3,
            "fillColor": "#ffd166",
            "fillOpacity": 0.3 if is_sel else 0.06,  # many areas at once (a document) stay readable
            "opacity": 0.95,
        }
        gj = folium.GeoJson(
            {"type": "FeatureCollection", "features": feats},
            style_function=lambda _f, s=style: s,
            marker=folium.CircleMarker(radius=7, color=style["color"], weight=3,
                                       fill=True, fill_color="#ffd166", fill_opacity=0.9),
        )
        inside = label_point(feats[0]["geometry"]) if is_sel and len(feats) == 1 else None
        if is_sel and inside is None:  # a point (its parts): a permanent label beside it
            folium.Tooltip(feats[0]["properties"]["label"], permanent=True, class_name="pa-label",
                           sticky=False).add_to(gj)
        elif not is_sel:  # each place's own (escaped) name on hover
            folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=False, class_name="pa-label").add_to(gj)
        gj.add_to(group)
        if inside is not None:  # an area's or a line's name: at a point well inside it, not on its edge
            anchor = folium.CircleMarker(location=[inside[1], inside[0]], radius=0, opacity=0, fill_opacity=0,
                                         interactive=False)
            folium.Tooltip(feats[0]["properties"]["label"], permanent=True, direction="center",
                           class_name="pa-label").add_to(anchor)
            anchor.add_to(group)
    return group


def label_point(geometry: Mapping[str, Any] | None) -> tuple[float, float] | None:
    """(lon, lat) where an area's or a line's label goes: the pole of inaccessibility of its largest
    polygon (shapely's polylabel), or a line's middle; None for points (their tooltip sits beside them)."""
    from shapely.geometry import shape
    from shapely.ops import polylabel

    if not geometry or str(geometry.get("type", "")).endswith("Point"):
        return None
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError):
        return None
    if geom.is_empty:
        return None
    parts = list(getattr(geom, "geoms", [geom]))
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        largest = max(parts, key=lambda g: g.area)
        pt = polylabel(largest, tolerance=max(largest.length / 2000, 1e-4))
    elif geom.geom_type in ("LineString", "MultiLineString"):
        longest = max(parts, key=lambda g: g.length)
        pt = longest.interpolate(0.5, normalized=True)
    else:
        pt = geom.representative_point()
    return round(pt.x, 6), round(pt.y, 6)


def session_group(feature_collection: Mapping[str, Any], gcj02: bool = False, lang: str = "zh") -> folium.FeatureGroup:
    """An uploaded plan's session layer (geo.upload), drawn in purple with escaped tooltips."""
    fn = gcj02_shift() if gcj02 else None
    group = folium.FeatureGroup(name="upload")
    style = {"color": SESSION_COLOR, "weight": 2.5, "fillColor": SESSION_COLOR, "fillOpacity": 0.12,
             "opacity": 0.9, "dashArray": "2 4"}
    for f in feature_collection.get("features", []):
        slim = display_feature(f, fn)
        if slim["geometry"] is None:
            continue
        gj = folium.GeoJson(
            {"type": "FeatureCollection", "features": point_parts(slim)},
            style_function=lambda _f, s=style: s,
            marker=folium.CircleMarker(radius=6, color=SESSION_COLOR, weight=2, fill=True,
                                       fill_color=SESSION_COLOR, fill_opacity=0.7),
        )
        folium.Tooltip(tooltip_text(display_name(f.get("properties") or {}, lang)), class_name="pa-tip").add_to(gj)
        gj.add_to(group)
    return group
