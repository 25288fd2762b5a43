"""Thematic maps (专题图): how much the plans say about each county and prefecture.

Data: a `geo.layers.LayerSet` (layers/ as built): the clauses of index.json with their mentions,
and the WGS-84 features of admin_county, admin_prefecture, admin_province, points and regions.

What a unit's count is (`MentionFilter` picks the clauses: document set, period of the documents'
dates, and any clause predicate, e.g. a theme from geo.query):
- a mention of the unit itself ("own"), plus
- mentions of places inside it ("inside"): a point (or all parts of a multipoint) lying in the unit; a county inside
  a prefecture (by adcode, 直辖市 counted as prefecture-level units); an area (zone, composite …)
  of which at least 95 % of the surface lies in the unit (5 % for the simplified borders: 渝西 is
  96.6 % inside 重庆 though all its members are, 渝广 = 重庆+广安 is 91 % and not inside).
- Composites and other areas that span several units (川渝, 成渝地区双城经济圈, 万达开, 长江经济带 …)
  multipoints whose parts lie in several units, and lines (railways, corridors …): by default they count toward no unit (`composites="exclude"`).
  They say something about the whole area, not about each member: 川渝 alone has 368 mentions and
  the 经济圈 812, which would add the same number to every county and drown the differences the map
  is for. With `composites="share"` each such mention is split over the units by the share of the
  area's surface each holds (areal weighting in an equal-area projection; a multipoint by its parts), so its total weight
  stays 1 over the units it covers (万州区 gets 14 % of a 万达开 mention; the Sichuan counties get
  only their small share of 长江经济带). Lines stay excluded in both modes.

The spatial assignment of places to units is done once per layers/ (cached by its checksums);
counting under a filter is then a pass over the clauses' mentions.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from geo.errors import RenderError
from geo.render.classify import Classification, classify

LEVELS: tuple[str, ...] = ("county", "prefecture")
COMPOSITE_MODES: tuple[str, ...] = ("exclude", "share")
MUNICIPALITIES: frozenset[str] = frozenset({"110000", "120000", "310000", "500000"})
INSIDE_SHARE: float = 0.95  # an area "lies within" a unit when this share of its surface does (borders are simplified)
EQUAL_AREA = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m +no_defs"
COLLECTION_NAMES: dict[str, str] = {"county": "choropleth_county", "prefecture": "choropleth_prefecture"}

ClauseFilter = Callable[[Mapping[str, Any]], bool]


def _date_bounds(d: str) -> tuple[str, str]:
    """The first and last day a (possibly partial) ISO date stands for: "2023" → 2023-01-01…2023-12-31."""
    d = (d or "").strip()
    parts = d.split("-")
    lo = "-".join(parts + ["01"] * (3 - len(parts)))
    hi = "-".join(parts + (["12", "31"] if len(parts) == 1 else ["31"] if len(parts) == 2 else []))
    return lo, hi


@dataclass(frozen=True)
class MentionFilter:
    """Which clauses count: `docs` (None = all), `since`/`until` (ISO dates, partial allowed, on the
    documents' dates; a document dated "2023" is in any period overlapping that year), and `clause`
    (a predicate on the index.json clause record, e.g. a theme; None = all). `label` names it in legends.
    """

    docs: frozenset[str] | None = None
    since: str | None = None
    until: str | None = None
    clause: ClauseFilter | None = field(default=None, compare=False)
    label: str = ""

    def doc_ok(self, doc: Mapping[str, Any]) -> bool:
        """Whether a document (index.json record) is in the document set and the period."""
        if self.docs is not None and doc.get("id") not in self.docs:
            return False
        if self.since or self.until:
            date = str(doc.get("date") or "")
            if not date:
                return False
            lo, hi = _date_bounds(date)
            if self.since and hi < _date_bounds(self.since)[0]:
                return False
            if self.until and lo > _date_bounds(self.until)[1]:
                return False
        return True


@dataclass(frozen=True)
class Unit:
    """A county or prefecture-level unit of the choropleth."""

    id: str
    name: str
    adcode: str
    feature: dict[str, Any] = field(repr=False, compare=False)
    name_en: str = ""


@dataclass
class ThematicIndex:
    """Places assigned to units, per level: place id → {unit id: weight}, for own, inside and shared."""

    units: dict[str, list[Unit]]
    weights: dict[str, dict[str, dict[str, float]]]  # level → place → unit → weight
    shared: dict[str, dict[str, dict[str, float]]]  # level → spanning area → unit → areal share
    clauses: list[dict[str, Any]]
    documents: dict[str, dict[str, Any]]

    @classmethod
    def from_layerset(cls, layerset: Any) -> ThematicIndex:
        """Assign every point, area and admin unit of the layers to the counties and prefectures."""
        cols = layerset.collections
        feats = {n: (cols.get(n) or {}).get("features") or [] for n in cols}
        counties = [_unit(f) for f in feats.get("admin_county", [])]
        prefs = [_unit(f) for f in feats.get("admin_prefecture", [])]
        prefs += [_unit(f) for f in feats.get("admin_province", []) if _props(f).get("adcode") in MUNICIPALITIES]
        units = {"county": counties, "prefecture": prefs}
        by_adcode = {u.adcode: u.id for u in prefs}
        weights: dict[str, dict[str, dict[str, float]]] = {lv: {} for lv in LEVELS}
        shared: dict[str, dict[str, dict[str, float]]] = {lv: {} for lv in LEVELS}
        for u in counties:  # a county counts toward itself and its prefecture (or 直辖市)
            weights["county"][u.id] = {u.id: 1.0}
            parent = by_adcode.get(u.adcode[:4] + "00") or by_adcode.get(u.adcode[:2] + "0000")
            if parent:
                weights["prefecture"][u.id] = {parent: 1.0}
        for u in prefs:
            weights["prefecture"][u.id] = {u.id: 1.0}
        to_ea = Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)
        for lv in LEVELS:
            geoms = [_equal_area(shape(u.feature["geometry"]), to_ea) for u in units[lv]]
            tree = shapely.STRtree(geoms)
            areas = [g.area for g in geoms]
            ids = [u.id for u in units[lv]]
            for f in feats.get("points", []):
                share = _point_shares(_equal_area(shape(f["geometry"]), to_ea), tree, ids)
                if len(share) == 1:
                    weights[lv][_pid(f)] = {next(iter(share)): 1.0}
                elif share:
                    shared[lv][_pid(f)] = share
            for f in feats.get("regions", []):
                area = _equal_area(shape(f["geometry"]), to_ea)
                share = _areal_shares(area, tree, geoms, areas, ids)
                inside = [u for u, s in share.items() if s >= INSIDE_SHARE]
                if inside:
                    weights[lv][_pid(f)] = {inside[0]: 1.0}
                elif share:
                    shared[lv][_pid(f)] = share
        index = layerset.index or {}
        documents = {d["id"]: d for d in index.get("documents") or []}
        return cls(units, weights, shared, list(index.get("clauses") or []), documents)

    def counts(self, level: str, filt: MentionFilter | None = None, composites: str = "exclude") -> dict[str, UnitCount]:
        """Per unit of `level`: mentions (own, inside, shared), clauses and documents, under `filt`."""
        if level not in LEVELS:
            raise RenderError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
        if composites not in COMPOSITE_MODES:
            raise RenderError(f"unknown composites mode {composites!r}: use one of {', '.join(COMPOSITE_MODES)}")
        filt = filt or MentionFilter()
        out = {u.id: UnitCount() for u in self.units[level]}
        weights, shared = self.weights[level], self.shared[level] if composites == "share" else {}
        doc_ok = {d: filt.doc_ok(rec) for d, rec in self.documents.items()}
        for c in self.clauses:
            if not doc_ok.get(c.get("doc_id"), False) or (filt.clause is not None and not filt.clause(c)):
                continue
            for m in c.get("mentions") or ():
                pid = m[2]
                for uid, w in (weights.get(pid) or shared.get(pid) or {}).items():
                    cnt = out[uid]
                    if pid == uid:
                        cnt.own += w
                    elif pid in weights:
                        cnt.inside += w
                    else:
                        cnt.shared += w
                    cnt.clause_ids.add(c["id"])
                    cnt.doc_ids.add(c["doc_id"])
        return out


@dataclass
class UnitCount:
    """What the plans say about one unit under a filter."""

    own: float = 0.0
    inside: float = 0.0
    shared: float = 0.0
    clause_ids: set[str] = field(default_factory=set)
    doc_ids: set[str] = field(default_factory=set)

    @property
    def total(self) -> float:
        """Own + inside + shared mentions (the choropleth's value)."""
        return self.own + self.inside + self.shared


def _props(f: Mapping[str, Any]) -> dict[str, Any]:
    return dict(f.get("properties") or {})


def _pid(f: Mapping[str, Any]) -> str:
    return str(f.get("id") or _props(f).get("id"))


def _unit(f: dict[str, Any]) -> Unit:
    p = _props(f)
    return Unit(id=_pid(f), name=str(p.get("name") or ""), adcode=str(p.get("adcode") or ""), feature=f,
                name_en=str(p.get("name_en") or ""))


def _equal_area(geom: Any, to_ea: Transformer) -> Any:
    return shapely.transform(geom, lambda xy: _xy(to_ea, xy))


def _xy(to_ea: Transformer, xy: Any) -> Any:
    x, y = to_ea.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def _point_shares(geom: Any, tree: Any, ids: list[str]) -> dict[str, float]:
    """Unit id → share of the parts of a (Multi)Point in that unit (a part on a border goes to the first)."""
    parts = list(getattr(geom, "geoms", [geom]))
    out: dict[str, float] = {}
    for pt in parts:
        hits = tree.query(pt, predicate="intersects")
        if len(hits):
            uid = ids[int(min(hits))]
            out[uid] = out.get(uid, 0.0) + 1.0 / len(parts)
    return out


def _areal_shares(area: Any, tree: Any, geoms: list[Any], areas: list[float], ids: list[str]) -> dict[str, float]:
    """Unit id → share of the area's surface in that unit (shares below 0.1 % dropped)."""
    total = area.area
    if total <= 0:
        return {}
    shapely.prepare(area)
    out: dict[str, float] = {}
    for i in sorted(int(h) for h in tree.query(area, predicate="intersects")):
        inter = areas[i] if area.contains(geoms[i]) else area.intersection(geoms[i]).area
        s = inter / total
        if s >= 0.001:
            out[ids[i]] = s
    return out


_CACHE: dict[str, ThematicIndex] = {}


def thematic_index(layerset: Any) -> ThematicIndex:
    """The ThematicIndex of a LayerSet, cached by the manifest's checksums (or the object when it has none)."""
    man = getattr(layerset, "manifest", None) or {}
    sums = [str((man.get("index") or {}).get("sha256") or "")]
    sums += [str(v.get("sha256") or "") for _, v in sorted((man.get("layers") or {}).items())]
    index = getattr(layerset, "index", None) or {}
    if not index.get("clauses"):
        raise RenderError(
            "thematic maps count the clauses' mentions, and this layer set has no clause index: read layers/ "
            "with geo.layers.read_layers (or the viewer's full layer set), not the map-only catalogue"
        )
    # the same build read two ways (index.json, atlas.sqlite) gives the same counts; the kind is kept apart anyway
    sums.append(type(index).__name__)
    key = "|".join(sums) if any(sums[:-1]) else f"obj:{id(layerset)}"
    if key not in _CACHE:
        if len(_CACHE) > 4:
            _CACHE.clear()
        _CACHE[key] = ThematicIndex.from_layerset(layerset)
    return _CACHE[key]


@dataclass(frozen=True)
class Choropleth:
    """A classed choropleth: the counts per unit, their classification and the FeatureCollection."""

    level: str
    counts: dict[str, UnitCount]
    classification: Classification
    collection: dict[str, Any]


def choropleth(
    layerset: Any,
    level: str = "county",
    filt: MentionFilter | None = None,
    *,
    method: str = "jenks",
    k: int = 5,
    composites: str = "exclude",
) -> Choropleth:
    """The choropleth of `level` under `filt`: an RFC 7946 FeatureCollection (WGS-84), one feature per
    unit with flat properties id, name, name_en, adcode, level, mentions, mentions_own, mentions_inside,
    mentions_shared, clause_count, doc_count, class, class_label, fill, method, filter."""
    idx = thematic_index(layerset)
    counts = idx.counts(level, filt, composites)
    cls = classify([c.total for c in counts.values()], method, k)
    features = []
    for u in idx.units[level]:
        c = counts[u.id]
        n = cls.class_of(c.total)
        props = {
            "id": u.id,
            "name": u.name,
            "name_en": u.name_en,
            "adcode": u.adcode,
            "level": level,
            "mentions": _num(c.total),
            "mentions_own": _num(c.own),
            "mentions_inside": _num(c.inside),
            "mentions_shared": _num(c.shared),
            "clause_count": len(c.clause_ids),
            "doc_count": len(c.doc_ids),
            "class": n,
            "class_label": cls.label(n),
            "fill": cls.color(n),
            "method": cls.method,
            "filter": (filt.label if filt else "") or "",
        }
        features.append({"type": "Feature", "id": u.id, "properties": props, "geometry": u.feature["geometry"]})
    return Choropleth(level, counts, cls, {"type": "FeatureCollection", "features": features})


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else round(v, 3)


def thematic_collections(
    layerset: Any,
    filt: MentionFilter | None = None,
    *,
    method: str = "jenks",
    k: int = 5,
    composites: str = "exclude",
) -> dict[str, dict[str, Any]]:
    """The thematic layers for the exports: {"choropleth_county": FC, "choropleth_prefecture": FC}."""
    return {
        COLLECTION_NAMES[lv]: choropleth(layerset, lv, filt, method=method, k=k, composites=composites).collection
        for lv in LEVELS
    }


def place_mentions(layerset: Any, filt: MentionFilter | None = None) -> dict[str, int]:
    """Place id → number of mentions in the clauses `filt` keeps."""
    idx = thematic_index(layerset)
    filt = filt or MentionFilter()
    doc_ok = {d: filt.doc_ok(rec) for d, rec in idx.documents.items()}
    out: dict[str, int] = defaultdict(int)
    for c in idx.clauses:
        if doc_ok.get(c.get("doc_id"), False) and (filt.clause is None or filt.clause(c)):
            for m in c.get("mentions") or ():
                out[m[2]] += 1
    return dict(out)


def proportional_symbols(
    layerset: Any, filt: MentionFilter | None = None, *, max_radius: float = 24.0, min_radius: float = 3.0
) -> dict[str, Any]:
    """Point places named under `filt`, each with `mentions` and `radius` (px, area ∝ mentions), largest
    first so small symbols draw on top. RFC 7946 FeatureCollection (WGS-84)."""
    counts = place_mentions(layerset, filt)
    points = (layerset.collections.get("points") or {}).get("features") or []
    named = [(f, counts[_pid(f)]) for f in points if counts.get(_pid(f))]
    top = max((n for _, n in named), default=1)
    feats = []
    for f, n in sorted(named, key=lambda fn: (-fn[1], _pid(fn[0]))):
        r = max(min_radius, max_radius * math.sqrt(n / top))
        props = {**_props(f), "mentions": n, "radius": round(r, 2)}
        feats.append({"type": "Feature", "id": _pid(f), "properties": props, "geometry": f["geometry"]})
    return {"type": "FeatureCollection", "features": feats}


def text_filter(words: Iterable[str]) -> ClauseFilter:
    """A clause predicate: the heading path or text contains one of `words` (`theme_filter`'s
    fallback for clause records without `themes`)."""
    ws = tuple(w for w in words if w)

    def ok(c: Mapping[str, Any]) -> bool:
        hay = " ".join(c.get("path") or ()) + " " + str(c.get("text") or "")
        return any(w in hay for w in ws)

    return ok


def theme_filter(theme: str) -> ClauseFilter:
    """The clause predicate of a theme: the clause record's `themes` (the themes layers/atlas.sqlite
    assigned it with data/themes.csv, geo.layers.themes; geo.query's StoreIndex streams them) when the
    record carries that field, else (an index.json without themes) its heading path or text contains
    the theme's name."""
    text = text_filter([theme])

    def ok(c: Mapping[str, Any]) -> bool:
        themes = c.get("themes")
        if themes is not None:
            return theme in themes
        return text(c)

    return ok
