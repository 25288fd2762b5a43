"""The layers of an export: one geometry type each, regional layers inside China, places abroad apart.

Where the data comes from: the features of layers/ (a `geo.layers.LayerSet`). layers/ itself is not
changed (the viewer draws it as it is); this plan is applied to every export:

- every layer kind of geo/specs.py (admin_province, admin_prefecture, admin_county, regions, points,
  lines) keeps its name;
- countries and blocs (kinds in `WORLD_KINDS`) and every feature that lies mostly outside China or
  whose extent leaves `CHINA_BBOX` (foreign cities, Europe-bound rail corridors) go to world_areas /
  world_lines / world_points, so the regional layers have regional extents. "China" is the union of
  the admin_province layer (every province-level unit), widened by `COAST_MARGIN` degrees for ports
  and islands dropped by simplification; a feature is inside when at least half of it (area, length
  or points) is;
- a layer whose features mix single and multi parts (Polygon + MultiPolygon, Point + MultiPoint) is
  promoted to the multi type. The type of an export layer is fixed by the whole layers/ build, not by
  the selection, so a subset has the same schema as the whole export.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from geo.errors import LayersError
from geo.specs import LAYER_SPECS, admin_layers

# The box the gazetteer checks curated coordinates against (lon 73–136, lat 3–54): "inside China".
CHINA_BBOX: tuple[float, float, float, float] = (73.0, 3.0, 136.0, 54.0)
# Degrees added around the provinces' union (coastal ports, small islands, simplified borders).
COAST_MARGIN: float = 0.3
# Kinds that are outside China by definition (a country or a group of countries).
WORLD_KINDS: frozenset[str] = frozenset({"country", "bloc"})
_FAMILIES: dict[str, str] = {
    "Point": "point", "MultiPoint": "point",
    "LineString": "line", "MultiLineString": "line",
    "Polygon": "polygon", "MultiPolygon": "polygon",
}


@dataclass(frozen=True)
class ExportLayer:
    """A layer of the exports (a GeoPackage table, a GeoJSON file in a zip, a KML folder).

    name: table / file stem. sources: the layers/ layers its features come from. family: point, line
    or polygon. label_key: i18n key of its human label ("铁路、公路、河流与走廊（线）").
    title: English title (GeoPackage identifier). regional: its extent must stay inside CHINA_BBOX.
    admin: an administrative layer (never split).
    """

    name: str
    sources: tuple[str, ...]
    family: str
    label_key: str
    title: str
    regional: bool = True
    admin: bool = False


# English titles of the layers (a layer kind registered without one is titled by its name).
TITLES: dict[str, str] = {
    "admin_province": "Provinces (polygons)",
    "admin_prefecture": "Prefectures (polygons)",
    "admin_county": "Counties of Sichuan and Chongqing (polygons)",
    "regions": "Regions, composite areas and zones in China (polygons)",
    "lines": "Railways, highways, rivers, corridors and axes (lines)",
    "points": "Zones, ports, airports, hubs, sites and towns (points)",
    "world_areas": "Countries and blocs (polygons)",
    "world_lines": "International corridors (lines)",
    "world_points": "Places outside China (points)",
}
# The export layer of places abroad, per geometry family.
WORLD_LAYERS: dict[str, str] = {"polygon": "world_areas", "line": "world_lines", "point": "world_points"}


def _export_layers() -> tuple[ExportLayer, ...]:
    """One export layer per registered layer kind (geo/specs.py), then one per family for places abroad."""
    regional = [
        ExportLayer(s.name, (s.name,), s.geometry, f"export_layer:{s.name}", TITLES.get(s.name, s.name),
                    admin=s.admin)
        for s in LAYER_SPECS.values()
    ]
    world = [
        ExportLayer(name, tuple(s.name for s in LAYER_SPECS.values() if s.geometry == family and not s.admin),
                    family, f"export_layer:{name}", TITLES[name], regional=False)
        for family, name in WORLD_LAYERS.items()
        if any(s.geometry == family and not s.admin for s in LAYER_SPECS.values())
    ]
    return (*regional, *world)


EXPORT_LAYERS: tuple[ExportLayer, ...] = _export_layers()
BY_NAME: dict[str, ExportLayer] = {layer.name: layer for layer in EXPORT_LAYERS}
_ADMIN_SOURCES = frozenset(admin_layers())


def export_layer(name: str) -> ExportLayer:
    """The export layer called `name`; LayersError naming the export layers otherwise."""
    if name not in BY_NAME:
        raise LayersError(f"unknown export layer {name!r}; export layers: {', '.join(BY_NAME)}")
    return BY_NAME[name]


def geometry_family(geom_type: str) -> str:
    """point, line or polygon for a GeoJSON geometry type; LayersError for anything else."""
    if geom_type not in _FAMILIES:
        raise LayersError(f"cannot export geometry type {geom_type!r} (points, lines and polygons only)")
    return _FAMILIES[geom_type]


def _bounds(coords: Any, acc: list[float]) -> None:
    if coords and isinstance(coords[0], int | float):
        x, y = float(coords[0]), float(coords[1])
        acc[0], acc[1] = min(acc[0], x), min(acc[1], y)
        acc[2], acc[3] = max(acc[2], x), max(acc[3], y)
        return
    for c in coords:
        _bounds(c, acc)


def geometry_bounds(geom: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a GeoJSON geometry."""
    acc = [float("inf"), float("inf"), float("-inf"), float("-inf")]
    _bounds(geom["coordinates"], acc)
    return acc[0], acc[1], acc[2], acc[3]


def inside_china(bounds: tuple[float, float, float, float]) -> bool:
    """True when a bounding box lies inside CHINA_BBOX."""
    x0, y0, x1, y1 = CHINA_BBOX
    return x0 <= bounds[0] and y0 <= bounds[1] and bounds[2] <= x1 and bounds[3] <= y1


class Router:
    """Assigns features of layers/ to export layers (see the module docstring)."""

    def __init__(self, collections: Mapping[str, Mapping[str, Any]]) -> None:
        import shapely
        from shapely.geometry import box, shape

        provinces = [shape(f["geometry"]) for f in collections.get("admin_province", {}).get("features", [])]
        self.china = shapely.union_all(provinces).buffer(COAST_MARGIN) if provinces else box(*CHINA_BBOX)
        shapely.prepare(self.china)
        self._shape = shape

    def is_abroad(self, feature: Mapping[str, Any]) -> bool:
        """True for countries, blocs and features mostly outside China or beyond CHINA_BBOX."""
        if feature["properties"].get("kind") in WORLD_KINDS:
            return True
        if not inside_china(geometry_bounds(feature["geometry"])):
            return True
        geom = self._shape(feature["geometry"])
        if self.china.contains(geom):
            return False
        part = geom.intersection(self.china)
        if geom.area > 0:
            return part.area < 0.5 * geom.area
        if geom.length > 0:
            return part.length < 0.5 * geom.length
        return True  # a point (or points) outside China

    def route(self, source: str, feature: Mapping[str, Any]) -> str:
        """The export layer of a feature of layers/ layer `source`."""
        family = geometry_family(feature["geometry"]["type"])
        if source not in _ADMIN_SOURCES and self.is_abroad(feature):
            target = WORLD_LAYERS[family]
        else:
            target = source
        layer = BY_NAME.get(target)
        if layer is None or layer.family != family:
            raise LayersError(
                f"feature {feature.get('id')!r} of layer {source!r} is a {feature['geometry']['type']}; "
                f"{source} holds {layer.family if layer else 'no'} geometries (rebuild layers/ with `make build`)"
            )
        return target


def unified_type(types: Iterable[str]) -> str:
    """The one geometry type for a set of types: itself, or Multi* when single and multi parts mix."""
    found = set(types)
    if len(found) == 1:
        return found.pop()
    bases = {t.removeprefix("Multi") for t in found}
    if len(bases) != 1:
        raise LayersError(f"cannot put {', '.join(sorted(found))} in one layer")
    return "Multi" + bases.pop()


def promote(geom: Mapping[str, Any], target: str) -> dict[str, Any]:
    """A geometry as `target` type: unchanged, or a single part wrapped as a one-part Multi*."""
    if geom["type"] == target:
        return dict(geom)
    if target == "Multi" + geom["type"]:
        return {"type": target, "coordinates": [geom["coordinates"]]}
    raise LayersError(f"cannot write a {geom['type']} into a {target} layer")


@dataclass(frozen=True)
class LayerPlan:
    """The plan of one layers/ build: where each feature goes and each export layer's geometry type."""

    router: Router
    types: dict[str, str]  # export layer → geometry type
    assignment: dict[tuple[str, str], str]  # (layers/ layer, feature id) → export layer


def layers_key(collections: Mapping[str, Any], manifest: Mapping[str, Any]) -> str:
    """A short key of a layers/ build (its manifest checksums; the content when there are none)."""
    entries = {k: v.get("sha256") for k, v in sorted(manifest.get("layers", {}).items())}
    if not entries or not all(entries.values()):
        return hashlib.sha256(json.dumps(collections, sort_keys=True).encode()).hexdigest()[:16]
    entries["index"] = manifest.get("index", {}).get("sha256")
    return hashlib.sha256(json.dumps(entries).encode()).hexdigest()[:16]


_PLANS: OrderedDict[str, LayerPlan] = OrderedDict()
_PLANS_LOCK = threading.Lock()


def layer_plan(collections: Mapping[str, Mapping[str, Any]], key: str) -> LayerPlan:
    """The LayerPlan of a layers/ build, computed once per `key` (see layers_key)."""
    with _PLANS_LOCK:
        if key in _PLANS:
            _PLANS.move_to_end(key)
            return _PLANS[key]
    router = Router(collections)
    assignment = {(source, f["id"]): router.route(source, f)
                  for source, fc in collections.items() for f in fc["features"]}
    found: dict[str, set[str]] = {}
    for source, fc in collections.items():
        for f in fc["features"]:
            found.setdefault(assignment[(source, f["id"])], set()).add(f["geometry"]["type"])
    types = {name: unified_type(found[name]) for name in BY_NAME if name in found}
    plan = LayerPlan(router, types, assignment)
    with _PLANS_LOCK:
        _PLANS[key] = plan
        while len(_PLANS) > 4:
            _PLANS.popitem(last=False)
    return plan
