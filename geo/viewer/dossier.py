"""Area dossier: what the plans say about an area *and the places inside it*, in one view.

For an admin unit or a composite region, the places inside it are found from the geometry of
layers/ (the spatial index of geo.viewer.here): points whose location lies in the area, lines
that run mostly (≥ 80 % of their length) inside it, and smaller areas that lie mostly (≥ 80 %
of their area) inside it. Their clauses are gathered per place — the area itself first, then the
places inside by number of clauses — each clause listed once, under the first place it names,
so "what do the plans say about 宜宾?" is one list with counts: the city, its districts and
counties, its port, new area, zones and sites.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from geo.viewer.data import Catalog
from geo.viewer.here import HereIndex
from geo.viewer.panel import clauses_for_place

__all__ = ["DossierSection", "dossier", "places_inside"]

INSIDE_SHARE: float = 0.8


@dataclass(frozen=True)
class DossierSection:
    """The clauses of one place of the dossier, grouped by document (date order)."""

    place_id: str
    groups: list[tuple[dict[str, Any], list[dict[str, Any]]]]

    @property
    def count(self) -> int:
        return sum(len(c) for _, c in self.groups)


def places_inside(index: HereIndex, area_id: str) -> list[str]:
    """Ids of the places inside the area `area_id` (empty when it is not an area)."""
    pos = {pid: i for i, pid in enumerate(index.ids)}
    if area_id not in pos or index.kinds[pos[area_id]] != "area":
        return []
    area = index.geoms[pos[area_id]]
    # admin boundaries are simplified for display: a little slack at the edge
    zone = area.buffer(0.005)
    out = []
    for i in index.tree.query(area):
        pid, geom, kind = index.ids[i], index.geoms[i], index.kinds[i]
        if pid == area_id:
            continue
        if kind == "point":
            inside = zone.covers(geom.representative_point()) if geom.geom_type == "Point" else \
                geom.intersection(zone).area >= 0 and zone.covers(geom.centroid)
        elif kind == "line":
            inside = geom.length > 0 and geom.intersection(zone).length >= INSIDE_SHARE * geom.length
        else:
            inside = geom.area < area.area and geom.intersection(zone).area >= INSIDE_SHARE * geom.area
        if inside:
            out.append(pid)
    return sorted(out)


def dossier(catalog: Catalog, index: HereIndex, area_id: str, doc_ids: Iterable[str] | None = None
            ) -> list[DossierSection]:
    """The area's own clauses, then those of each place inside it (most clauses first); each clause
    once, under the first place that names it; places without clauses left out."""
    allowed = None if doc_ids is None else list(doc_ids)
    seen: set[str] = set()
    sections: list[DossierSection] = []

    def section(pid: str) -> DossierSection:
        groups = []
        for doc, clauses in clauses_for_place(catalog, pid, allowed):
            fresh = [c for c in clauses if c["id"] not in seen]
            if fresh:
                groups.append((doc, fresh))
        return DossierSection(pid, groups)

    own = section(area_id)
    seen.update(c["id"] for _, cl in own.groups for c in cl)
    sections.append(own)
    inside = [pid for pid in places_inside(index, area_id) if pid in catalog.places]
    inside.sort(key=lambda p: (-len(catalog.places[p].clause_ids), p))
    for pid in inside:
        s = section(pid)
        if s.count:
            seen.update(c["id"] for _, cl in s.groups for c in cl)
            sections.append(s)
    return sections
