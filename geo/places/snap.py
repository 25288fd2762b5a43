"""Stations and ports moved onto the network they belong to, when it lies within a few kilometres.

Stations (kind `station`) snap to the nearest vertex of scgraph-data's OSM world railway graph
(© OpenStreetMap contributors, ODbL; see geo.places.routing), ports (kind `port`) to the nearest
point of a real river course built by geo.places.courses (1:4M hydrography or WDBII). Only
places whose gazetteer precision is "approximate point" move, and only within `SNAP_POINT_KM`;
everything else (zones, sites, hubs, points too far from a network) keeps its approximate point,
which the map draws hollow. Results are cached with the courses (same fingerprint).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.ops import nearest_points

from geo.places import courses, routing

SNAP_POINT_KM = 3.0
PRECISION_STATION = "snapped to the OSM rail network"
PRECISION_PORT = "snapped to the river course"
SNAP_PRECISIONS: tuple[str, ...] = (PRECISION_STATION, PRECISION_PORT)
SNAP_KINDS: frozenset[str] = frozenset({"station", "port"})
# Inland "ports" (dry ports, rail ports, airport economic zones) are not on a river.
NOT_RIVER_PORTS: tuple[str, ...] = ("无水港", "陆港", "铁路港", "空港")


@dataclass(frozen=True)
class Snapped:
    """A point moved onto a network: its new lon/lat, how far it moved, its new precision and source."""

    lon: float
    lat: float
    moved_km: float
    precision: str
    geometry_source: str

    @property
    def geometry(self) -> shapely.Point:
        return shapely.Point(self.lon, self.lat)


def _station(point: tuple[float, float], src: courses.Sources) -> dict[str, Any] | None:
    net = src.network("rail")
    v, d = net.nearest(point)
    if d > SNAP_POINT_KM:
        return None
    lon, lat = (round(float(c), 6) for c in net.lonlat[v])
    return {"lon": lon, "lat": lat, "moved_km": round(d, 3), "precision": PRECISION_STATION,
            "geometry_source": f"approximate point snapped to the nearest vertex of the {courses.source_label('rail')} "
                               f"({d:.1f} km)"}


def _port(point: tuple[float, float], rivers: dict[str, courses.Course]) -> dict[str, Any] | None:
    if not rivers:
        return None
    ids = sorted(rivers)
    p = shapely.Point(point)
    lines = [rivers[pid].geometry for pid in ids]
    i = int(np.argmin(shapely.distance(np.asarray(lines, dtype=object), p)))  # nearest course (degrees)
    near = nearest_points(lines[i], p)[0]
    d = float(routing.haversine_km(np.asarray(point), np.asarray((near.x, near.y))))
    if d > SNAP_POINT_KM:
        return None
    pid, c = ids[i], rivers[ids[i]]
    return {"lon": round(near.x, 6), "lat": round(near.y, 6), "moved_km": round(d, 3), "precision": PRECISION_PORT,
            "geometry_source": f"approximate point moved onto the course of {pid} ({c.precision}; {d:.1f} km)"}


def snap_points(
    points: dict[str, tuple[str, tuple[float, float]]],
    found: dict[str, courses.Course],
    cache_dir: Path | None,
) -> dict[str, Snapped]:
    """place id → Snapped for the `points` (id → (kind, approximate lon/lat)) that lie within
    SNAP_POINT_KM of their network; `found` are the courses (rivers with a real course serve ports)."""
    rivers = {pid: c for pid, c in found.items() if c.method in (courses.NAMED, courses.FOLLOWED)}
    river_key = courses.JsonCache.key(sorted((pid, c.coords) for pid, c in rivers.items()))
    cache = courses.JsonCache(cache_dir, "snaps", courses.fingerprint())
    out: dict[str, Snapped] = {}
    for pid in sorted(points):
        kind, pt = points[pid]
        if kind not in SNAP_KINDS:
            continue
        key = cache.key(pid, kind, pt, river_key if kind == "port" else None)
        hit = cache.get(key, lambda kind=kind, pt=pt: {
            "snapped": _station(pt, courses.SOURCES) if kind == "station" else _port(pt, rivers)})
        if hit["snapped"] is not None:
            out[pid] = Snapped(**hit["snapped"])
    cache.save()
    return out


def approximate_points(places: dict[str, Any], point_of: Any) -> dict[str, tuple[str, tuple[float, float]]]:
    """The `snap_points` input: stations and ports drawn as points with precision "approximate point"."""
    out: dict[str, tuple[str, tuple[float, float]]] = {}
    for pid in sorted(places):
        p = places[pid]
        inland = p.kind == "port" and any(w in name for name in (p.name, *p.aliases) for w in NOT_RIVER_PORTS)
        if p.layer == "points" and p.kind in SNAP_KINDS and p.precision == "approximate point" and not inland:
            g = point_of(p)
            if g is not None and g.geom_type == "Point":
                out[pid] = (p.kind, (round(g.x, 6), round(g.y, 6)))
    return out
