"""What the layer build takes from geo.places.courses and geo.places.status, in one object.

`line_courses(gazetteer, documents, mentions, cache_dir)` computes (or reads from the build
cache) the course of every line place of the gazetteer, the status of every railway and
highway and the snapped position of stations and ports (geo.places.snap), and returns a
`CourseLayer`: geometries that replace the schematic lines and approximate points, the feature
properties that change (precision, geometry_source, status, status_source) and the manifest's
`attributions` and `geometry_sources` (dataset, version, licence, what it feeds).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely

from geo.models import Document, Mention
from geo.places import courses as _courses
from geo.places import snap as _snap
from geo.places import status as _status

LICENCES: dict[str, str] = {
    "hyd": "BSD-3-Clause (package); data: National Geomatics Center of China 1:4M public data",
    "wdb": "LGPL-3.0 (GSHHG/WDBII)",
    "rail": "MIT (package); data © OpenStreetMap contributors, ODbL 1.0",
    "road": "MIT (package); data © OpenStreetMap contributors, ODbL 1.0",
}
FEEDS: dict[str, str] = {
    "hyd": "rivers with a name in the 1:4M data (method named)",
    "wdb": "rivers the 1:4M data lack by name (method network-followed)",
    "rail": "existing railways (method routed)",
    "road": "existing highways (method routed)",
}


@dataclass
class CourseLayer:
    """Courses and statuses of the line places, ready for geo.layers."""

    fingerprint: str
    courses: dict[str, _courses.Course]
    snapped: dict[str, _snap.Snapped] = field(default_factory=dict)
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)

    def geometry(self, place_id: str) -> shapely.geometry.base.BaseGeometry | None:
        """The course geometry of a line place whose course is not schematic, or the snapped point
        of a station or port; else None (the gazetteer's geometry stands)."""
        if place_id in self.snapped:
            return self.snapped[place_id].geometry
        c = self.courses.get(place_id)
        if c is None or c.method == _courses.SCHEMATIC:
            return None
        return c.geometry


def line_courses(
    gazetteer: Any,
    documents: Sequence[Document],
    mentions: dict[str, list[Mention]],
    cache_dir: Path | None,
) -> CourseLayer:
    """Courses (cached in `cache_dir`, None: computed afresh) and statuses of every line place."""
    from geo.places import geometry

    places = gazetteer.places
    lines = _courses.line_places(places, lambda p: list(geometry.place_geometry(p, gazetteer).coords))
    found = _courses.build_courses(lines, Path(cache_dir) if cache_dir else None)
    overrides: dict[str, dict[str, Any]] = {}
    for pid, course in found.items():
        props = _courses.feature_overrides(course, places[pid].provenance)
        st = _status.line_status(places[pid], documents, mentions, _courses.IN_SERVICE)
        if st is not None:
            props.update({"status": st.status, "status_source": st.source})
        overrides[pid] = props
    points = _snap.approximate_points(places, lambda p: geometry.place_geometry(p, gazetteer))
    snapped = _snap.snap_points(points, found, Path(cache_dir) if cache_dir else None)
    for pid, sp in snapped.items():
        overrides[pid] = {"precision": sp.precision, "geometry_source": sp.geometry_source}
    versions = _courses.source_versions()
    manifest = {
        "attributions": [dict(a) for a in _courses.ATTRIBUTIONS],
        "geometry_sources": [
            {
                "dataset": _courses.DATASET[k],
                "package": _courses.DIST[k],
                "version": versions.get(k, ""),
                "licence": LICENCES[k],
                "feeds": FEEDS[k],
            }
            for k in ("hyd", "wdb", "rail", "road")
        ],
        "courses": {
            m: sum(1 for c in found.values() if c.method == m)
            for m in (_courses.NAMED, _courses.FOLLOWED, _courses.ROUTED, _courses.SCHEMATIC)
        },
        "snapped_points": {prec: sum(1 for sp in snapped.values() if sp.precision == prec)
                           for prec in _snap.SNAP_PRECISIONS},
    }
    return CourseLayer(_courses.fingerprint(), found, snapped, overrides, manifest)
