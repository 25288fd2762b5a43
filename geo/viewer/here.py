""""What is here": every place whose geometry contains or touches a point of the map.

Answers the question a click asks, independently of what is drawn or on top: the county, its
prefecture and province, the composites, metropolitan areas and zones the point lies in, and the
lines and points within a few screen pixels (the pixel tolerance turned into degrees at the map's
zoom). Ranked like a click (geo.viewer.pick): points, then lines (nearest first), then areas
(smallest first), so the first entry is the most specific place.

Data: the features of layers/ (catalog.features, WGS-84), in a shapely STRtree built once per
catalog (cached by the app with the catalog).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from geo.viewer.data import Catalog
from geo.viewer.pick import PICK_TOLERANCE_PX

__all__ = ["HereIndex", "degrees_per_pixel", "what_is_here"]


def degrees_per_pixel(zoom: float, lat: float) -> float:
    """The size of one screen pixel in degrees (Web Mercator) at `zoom` and latitude `lat`."""
    return 360.0 / (256.0 * 2.0 ** zoom) * max(math.cos(math.radians(lat)), 0.2)


@dataclass
class HereIndex:
    """The places with a geometry, in an STRtree."""

    ids: list[str]
    geoms: list[Any]
    kinds: list[str] = field(default_factory=list)  # "point" | "line" | "area" per geometry
    tree: Any = None

    @classmethod
    def build(cls, catalog: Catalog) -> HereIndex:
        from shapely import STRtree
        from shapely.geometry import shape

        ids, geoms, kinds = [], [], []
        for pid, f in catalog.features.items():
            g = f.get("geometry")
            if not g:
                continue
            geom = shape(g)
            if geom.is_empty:
                continue
            gt = geom.geom_type
            ids.append(pid)
            geoms.append(geom)
            kinds.append("point" if "Point" in gt else "line" if "Line" in gt else "area")
        return cls(ids, geoms, kinds, STRtree(geoms))


def what_is_here(index: HereIndex, lat: float, lon: float, zoom: float = 8,
                 tolerance_px: float = PICK_TOLERANCE_PX) -> list[str]:
    """Place ids at (lat, lon): areas containing it, lines and points within `tolerance_px` at
    `zoom`; points first, then lines (nearest first), then areas (smallest first)."""
    from shapely.geometry import Point

    pt = Point(lon, lat)
    tol = tolerance_px * degrees_per_pixel(zoom, lat)
    ranked: list[tuple[int, float, str]] = []
    for i in index.tree.query(pt.buffer(tol)):
        geom, kind, pid = index.geoms[i], index.kinds[i], index.ids[i]
        if kind == "area":
            if geom.covers(pt):
                ranked.append((2, geom.area, pid))
            continue
        d = geom.distance(pt)
        if d <= tol:
            ranked.append((0 if kind == "point" else 1, d, pid))
    ranked.sort()
    return [pid for _, _, pid in ranked]
