"""The viewer's read-only view of layers/: places, documents and clauses, looked up by id.

`Catalog.from_layerset` is built once per process (the app caches it) from a `LayerSet`
(`collections`, `index`, `manifest`, as returned by `geo.layers.read_layers`). It joins each
place's index entry with its feature (pinyin, adcode, geometry source, bounding box) so the
panel, the search and the map never walk the GeoJSON again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.layers import LayerSet, read_layers


def default_layers_dir() -> Path:
    """layers/ under the project root (`PLAN_ATLAS_ROOT` honoured at call time, for tests)."""
    root = os.environ.get("PLAN_ATLAS_ROOT")
    if root:
        return Path(root) / "layers"
    return Path(__file__).resolve().parents[2] / "layers"


def load_layerset(layers_dir: Path) -> LayerSet:
    """Read layers/ with geo.layers.read_layers (the one reader)."""
    return read_layers(layers_dir)


def _coords(geom: dict[str, Any] | None) -> Iterator[tuple[float, float]]:
    if not geom:
        return
    t = geom.get("type")
    c = geom.get("coordinates")
    if t == "Point":
        yield (c[0], c[1])
    elif t in ("MultiPoint", "LineString"):
        for p in c:
            yield (p[0], p[1])
    elif t in ("MultiLineString", "Polygon"):
        for part in c:
            for p in part:
                yield (p[0], p[1])
    elif t == "MultiPolygon":
        for poly in c:
            for ring in poly[:1]:  # exterior rings are enough for a bounding box
                for p in ring:
                    yield (p[0], p[1])
    elif t == "GeometryCollection":
        for g in geom.get("geometries", []):
            yield from _coords(g)


def bbox(geom: dict[str, Any] | None) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a GeoJSON geometry, or None when it is empty."""
    xs: list[float] = []
    ys: list[float] = []
    for x, y in _coords(geom):
        xs.append(x)
        ys.append(y)
    if not xs:
        return None
    return (min(xs), min(ys), max(xs), max(ys))


def display_name(properties: Mapping[str, Any], lang: str) -> str:
    """A feature's name in `lang`: its English name (`name_en`) in English when it has one."""
    return str((lang == "en" and properties.get("name_en")) or properties.get("name") or "")


def doc_title(doc: Mapping[str, Any], lang: str) -> str:
    """A document's title in `lang`: its English title (`title_en`) in English when it has one."""
    return str((lang == "en" and doc.get("title_en")) or doc.get("title") or doc.get("id") or "")


@dataclass(frozen=True)
class PlaceInfo:
    """One place as the viewer shows it (index entry joined with its feature's properties)."""

    id: str
    name: str
    kind: str
    layer: str
    aliases: tuple[str, ...] = ()
    pinyin: str = ""
    name_en: str = ""
    adcode: str = ""
    precision: str = ""
    source: str = ""
    mention_count: int = 0
    doc_ids: tuple[str, ...] = ()
    clause_ids: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None

    def display_name(self, lang: str) -> str:
        """The name shown in `lang`: the English name in English (the Chinese one when there is none)."""
        return (self.name_en or self.name) if lang == "en" else self.name

    def title(self, lang: str) -> str:
        """The name for lists and headings: in English, the English name with the Chinese one the
        plans use after it ("Wanzhou District 万州区"); in Chinese, the Chinese name."""
        if lang == "en" and self.name_en and self.name_en != self.name:
            return f"{self.name_en} {self.name}"
        return self.name

    @property
    def center(self) -> tuple[float, float] | None:
        """(lat, lon) of the bounding-box centre, or None without geometry."""
        if self.bbox is None:
            return None
        w, s, e, n = self.bbox
        return ((s + n) / 2, (w + e) / 2)


@dataclass
class Catalog:
    """Places, documents and clauses by id; documents in date order."""

    places: dict[str, PlaceInfo]
    documents: dict[str, dict[str, Any]]
    clauses: dict[str, dict[str, Any]]
    clauses_by_doc: dict[str, list[str]]
    features: dict[str, dict[str, Any]] = field(repr=False, default_factory=dict)
    default_layers: tuple[str, ...] = ()  # manifest "default_view": layers shown by default
    attributions: tuple[str, ...] = ()  # manifest "attributions" texts (line-course sources: © OSM …)

    @classmethod
    def from_layerset(cls, layerset: Any) -> Catalog:
        """Build the catalog from a LayerSet (collections, index)."""
        index = layerset.index or {}
        features: dict[str, dict[str, Any]] = {}
        layer_of: dict[str, str] = {}
        for name, fc in (layerset.collections or {}).items():
            for f in fc.get("features", []):
                pid = f.get("id") or (f.get("properties") or {}).get("id")
                if pid:
                    features.setdefault(str(pid), f)
                    layer_of.setdefault(str(pid), name)
        places: dict[str, PlaceInfo] = {}
        entries: dict[str, dict[str, Any]] = dict(index.get("places") or {})
        for pid in features:
            entries.setdefault(pid, {})
        for pid, entry in entries.items():
            f = features.get(pid)
            props = dict((f or {}).get("properties") or {})
            merged = {**props, **{k: v for k, v in entry.items() if v not in (None, "")}}
            places[pid] = PlaceInfo(
                id=pid,
                name=str(merged.get("name") or pid),
                kind=str(merged.get("kind") or ""),
                layer=str(merged.get("layer") or layer_of.get(pid, "")),
                aliases=tuple(str(a) for a in merged.get("aliases") or ()),
                pinyin=str(props.get("name_pinyin") or ""),
                name_en=str(props.get("name_en") or ""),
                adcode=str(merged.get("adcode") or ""),
                precision=str(merged.get("precision") or ""),
                source=str(props.get("geometry_source") or merged.get("provenance") or ""),
                mention_count=int(merged.get("mention_count") or 0),
                doc_ids=tuple(merged.get("doc_ids") or ()),
                clause_ids=tuple(merged.get("clause_ids") or ()),
                bbox=bbox(f.get("geometry")) if f else None,
            )
        documents = {d["id"]: d for d in sorted(index.get("documents") or [], key=doc_sort_key)}
        clauses: dict[str, dict[str, Any]] = {}
        by_doc: dict[str, list[str]] = {d: [] for d in documents}
        for c in index.get("clauses") or []:
            clauses[c["id"]] = c
            by_doc.setdefault(c["doc_id"], []).append(c["id"])
        manifest = getattr(layerset, "manifest", None) or {}
        default_layers = tuple(manifest.get("default_view") or ())
        attributions = tuple(str(a.get("text", "")) for a in manifest.get("attributions") or ())
        return cls(places, documents, clauses, by_doc, features, default_layers, attributions)

    def kinds(self) -> list[str]:
        """Place kinds that have a feature on the map, most frequent first."""
        counts: dict[str, int] = {}
        for p in self.places.values():
            if p.bbox is not None:
                counts[p.kind] = counts.get(p.kind, 0) + 1
        return sorted(counts, key=lambda k: (-counts[k], k))

    def default_kinds(self) -> list[str]:
        """Kinds shown by default: those of the manifest's default_view layers (all when unset)."""
        kinds = self.kinds()
        if not self.default_layers:
            return kinds
        wanted = set(self.default_layers)
        chosen = {p.kind for p in self.places.values() if p.layer in wanted}
        return [k for k in kinds if k in chosen] or kinds

    def clause_place_ids(self, clause_id: str) -> list[str]:
        """Distinct place ids mentioned in a clause, in text order."""
        c = self.clauses.get(clause_id)
        if not c:
            return []
        return list(dict.fromkeys(m[2] for m in c.get("mentions") or []))

    def feature_collection(self, place_ids: Iterable[str]) -> dict[str, Any]:
        """A FeatureCollection of the given places' features (those that have one)."""
        feats = [self.features[p] for p in dict.fromkeys(place_ids) if p in self.features]
        return {"type": "FeatureCollection", "features": feats}


def doc_sort_key(doc: dict[str, Any]) -> tuple[str, str, str]:
    """Documents ordered by date (undated last), then title."""
    date = str(doc.get("date") or "")
    return (date or "9999", str(doc.get("title") or ""), str(doc.get("id") or ""))
