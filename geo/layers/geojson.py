"""Private helpers of geo.layers: RFC 7946 geometry normalisation, checks and byte-stable GeoJSON text.

Input geometries are WGS-84 shapely geometries from geo.geometry. Output coordinates are
rounded to 6 decimals (about 0.1 m), exterior rings are counter-clockwise and holes clockwise,
and the rounded geometry is checked valid (repaired with make_valid only when rounding broke it).
Rounding is a pure function of each coordinate, so borders shared by neighbouring polygons
stay shared after it.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.errors import LayersError

DECIMALS: int = 6
POLYGONAL = ("Polygon", "MultiPolygon")
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
_MAX_DECIMALS_RE = re.compile(r"\d\.\d{7,}")


def _round(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))


def _polygonal_part(geom: BaseGeometry) -> BaseGeometry:
    """The polygons of a make_valid result (which may add stray lines or points)."""
    if geom.geom_type in POLYGONAL:
        return geom
    polys = [g for g in getattr(geom, "geoms", []) if g.geom_type in POLYGONAL]
    parts: list[BaseGeometry] = []
    for p in polys:
        parts.extend(p.geoms if p.geom_type == "MultiPolygon" else [p])
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def normalize_geometry(geom: BaseGeometry, what: str) -> BaseGeometry:
    """Round to 6 decimals, orient (CCW exteriors), and make sure the result is valid and non-empty.

    `what` names the feature in error messages. Raises LayersError when no valid geometry remains.
    """
    if geom is None or geom.is_empty:
        raise LayersError(f"{what}: empty geometry")
    if geom.geom_type == "GeometryCollection":
        geom = _polygonal_part(geom)
        if geom.is_empty:
            raise LayersError(f"{what}: geometry collection without polygons")
    if geom.geom_type not in GEOMETRY_TYPES:
        raise LayersError(f"{what}: unsupported geometry type {geom.geom_type}")
    if geom.has_z:
        geom = shapely.force_2d(geom)
    out = _round(geom)
    if out.geom_type in POLYGONAL:
        out = shapely.orient_polygons(out, exterior_cw=False)
        if not out.is_valid:
            # rounding (or the source) made it invalid: repair, round again, re-check
            out = _polygonal_part(shapely.make_valid(shapely.set_precision(out, 10**-DECIMALS)))
            out = shapely.orient_polygons(_round(out), exterior_cw=False)
    if out.is_empty or not out.is_valid:
        reason = shapely.is_valid_reason(out) if not out.is_empty else "empty after rounding"
        raise LayersError(f"{what}: no valid geometry after rounding to {DECIMALS} decimals ({reason})")
    _check_lonlat(out, what)
    return out


def _check_lonlat(geom: BaseGeometry, what: str) -> None:
    xy = shapely.get_coordinates(geom)
    if len(xy) == 0:
        raise LayersError(f"{what}: geometry without coordinates")
    if not (np.isfinite(xy).all() and (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()):
        raise LayersError(f"{what}: coordinates out of lon/lat range (not WGS-84 degrees?)")


def geometry_json(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry object with plain lists (tuples → lists) so json output is stable."""

    def lists(x: Any) -> Any:
        if isinstance(x, (tuple, list)):
            return [lists(v) for v in x]
        if isinstance(x, float):
            return round(x, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
        return x

    m = mapping(geom)
    return {"type": m["type"], "coordinates": lists(m["coordinates"])}


def dumps(obj: Any) -> str:
    """Compact, key-sorted JSON (UTF-8 text, not ASCII-escaped): the one serialisation of layers/."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def feature_collection_text(name: str, features: list[dict[str, Any]]) -> str:
    """A FeatureCollection as text: one feature per line (diff-friendly), features in the given order."""
    head = '{"features":['
    if not features:
        return head + f'],"name":{dumps(name)},"type":"FeatureCollection"}}\n'
    body = ",\n".join(dumps(f) for f in features)
    return head + "\n" + body + f'\n],"name":{dumps(name)},"type":"FeatureCollection"}}\n'


def rfc7946_problems(fc: dict[str, Any], text: str | None = None) -> list[str]:
    """What breaks RFC 7946 (and our layer rules) in a parsed FeatureCollection; [] when none.

    Checks: no "crs" member, every feature has a string id equal to properties.id, a known
    geometry type, lon/lat in range, counter-clockwise exterior rings and clockwise holes,
    valid geometry, flat properties (no nested objects). With `text` (the file's text) also
    checks that no number has more than 6 decimals.
    """
    problems: list[str] = []
    if "crs" in fc:
        problems.append("FeatureCollection has a crs member")
    if text is not None and _MAX_DECIMALS_RE.search(text.replace('"', " ")) is not None:
        # only numbers matter; strings (names, excerpts) rarely hold digit.digit7 but skip them anyway
        for m in _numbers_with_many_decimals(fc):
            problems.append(f"coordinate with more than {DECIMALS} decimals: {m}")
            break
    seen: set[str] = set()
    for f in fc.get("features", []):
        fid = f.get("id")
        where = f"feature {fid!r}"
        if "crs" in f:
            problems.append(f"{where}: crs member")
        if not isinstance(fid, str) or fid != f.get("properties", {}).get("id"):
            problems.append(f"{where}: top-level id missing or not equal to properties.id")
        if fid in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(fid)
        for k, v in f.get("properties", {}).items():
            if isinstance(v, dict) or (isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v)):
                problems.append(f"{where}: property {k} is nested")
        g = f.get("geometry")
        if not g or g.get("type") not in GEOMETRY_TYPES:
            problems.append(f"{where}: missing or unsupported geometry")
            continue
        geom = shape(g)
        xy = shapely.get_coordinates(geom)
        if len(xy) == 0 or (np.abs(xy[:, 0]) > 180).any() or (np.abs(xy[:, 1]) > 90).any():
            problems.append(f"{where}: coordinates out of lon/lat range")
        if not geom.is_valid:
            problems.append(f"{where}: invalid geometry ({shapely.is_valid_reason(geom)})")
        polys = (
            list(geom.geoms)
            if geom.geom_type == "MultiPolygon"
            else [geom]
            if geom.geom_type == "Polygon"
            else []
        )
        for p in polys:
            if not p.exterior.is_ccw:
                problems.append(f"{where}: exterior ring is clockwise")
            if any(r.is_ccw for r in p.interiors):
                problems.append(f"{where}: hole is counter-clockwise")
    return problems


def _numbers_with_many_decimals(fc: dict[str, Any]) -> list[float]:
    bad: list[float] = []

    def walk(x: Any) -> None:
        if isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, float) and math.isfinite(x) and round(x, DECIMALS) != x:
            bad.append(x)

    for f in fc.get("features", []):
        walk((f.get("geometry") or {}).get("coordinates"))
    return bad
