"""Real courses in the committed layers/ (issue 10): routed railways and highways pass their nodes
and keep a plausible length, rivers stay inside their basin's provinces, nothing schematic is
labelled as surveyed or routed, statuses cite real clauses, attributions are in the manifest.

The node checks rebuild the route nodes the way geo.places.courses does (the rail/road vertex
of scgraph-data nearest each gazetteer node) and measure the committed geometry against them."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from geo.layers import read_layers
from geo.models import COURSE_PRECISIONS
from geo.places import courses, geometry, load_gazetteer, routing, status

ROUTED = {courses.PRECISION_RAIL: "rail", courses.PRECISION_ROAD: "road"}
RIVER_PRECISIONS = {courses.PRECISION_SURVEYED, courses.PRECISION_WDB}


@pytest.fixture(scope="module")
def lines() -> list[dict]:
    return read_layers().collections["lines"]["features"]


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def _nodes(gaz, pid: str) -> list[tuple[float, float]]:
    return list(geometry.place_geometry(gaz.get(pid), gaz).coords)


def _coords(f: dict) -> list[tuple[float, float]]:
    g = shape(f["geometry"])
    assert g.geom_type == "LineString", f["id"]
    return list(g.coords)


def test_routed_lines_pass_each_node_and_keep_a_plausible_length(lines: list[dict], gaz) -> None:
    nets = {k: routing.scgraph_network(k, courses.NETWORK_BBOX) for k in ("rail", "road")}
    routed = [f for f in lines if f["properties"]["precision"] in ROUTED]
    assert {f["properties"]["kind"] for f in routed} == {"railway", "highway"}
    for f in routed:
        kind = ROUTED[f["properties"]["precision"]]
        assert f["id"] in courses.IN_SERVICE and f["properties"]["status"] == status.EXISTING, f["id"]
        coords = _coords(f)
        nodes = _nodes(gaz, f["id"])
        route_nodes = [tuple(nets[kind].lonlat[nets[kind].nearest(n)[0]]) for n in nodes]
        for n, r in zip(nodes, route_nodes, strict=True):  # the vertex standing for a city or station
            assert float(routing.haversine_km(np.asarray(n), np.asarray(r))) <= courses.SNAP_KM[kind], f["id"]
        chk = routing.check_route(coords, route_nodes)
        assert max(chk.node_km) <= 3.0, (f["id"], chk.node_km)
        assert 1.0 <= chk.ratio <= 1.6, (f["id"], chk.ratio)
        assert "scgraph-data==" in f["properties"]["geometry_source"]


def test_every_river_lies_inside_its_basin_provinces(lines: list[dict]) -> None:
    rivers = [f for f in lines if f["properties"]["precision"] in RIVER_PRECISIONS]
    assert len(rivers) >= 10
    for f in rivers:
        spec = courses.RIVERS[f["id"]]
        basin = shapely.union_all([geometry.admin_geometry(f"{p}0000") for p in spec.basin])
        course = shape(f["geometry"])
        outside = course.difference(basin.buffer(0.03))  # ≈ 3 km: 1:4M accuracy and border rivers
        assert outside.length <= 0.01 * course.length, (f["id"], round(outside.length / course.length, 3))


def test_nothing_schematic_is_labelled_surveyed_or_routed(lines: list[dict], gaz) -> None:
    seen = set()
    for f in lines:
        props = f["properties"]
        prec = props["precision"]
        is_line = gaz.get(f["id"]).recipe.startswith("line:")
        schematic_line = shapely.LineString(_nodes(gaz, f["id"])) if is_line else None
        same = schematic_line is not None and shape(f["geometry"]).equals_exact(schematic_line, 1e-6)
        if prec in COURSE_PRECISIONS:
            seen.add(prec)
            assert not same, f"{f['id']} is labelled {prec!r} but is the schematic line"
            assert len(_coords(f)) > len(schematic_line.coords), f["id"]
            assert "==" in props["geometry_source"], f["id"]  # dataset and version named
        else:
            assert prec == "schematic" or "surveyed" not in prec and "routed" not in prec, f["id"]
            if schematic_line is not None:
                assert same, f"{f['id']} ({prec}) is not its schematic line"
    assert seen == set(COURSE_PRECISIONS)


def test_status_of_railways_and_highways_cites_its_source(lines: list[dict]) -> None:
    ls = read_layers()
    clauses = {c["id"]: c for c in ls.index["clauses"]}
    counted = {s: 0 for s in status.STATUSES}
    for f in lines:
        props = f["properties"]
        if props["kind"] not in status.STATUS_KINDS:
            assert props["status"] == "" and props["status_source"] == "", f["id"]
            continue
        assert props["status"] in status.STATUSES, f["id"]
        counted[props["status"]] += 1
        if props["status"] != status.EXISTING:  # not on the ground: drawn schematic (dashed)
            assert props["precision"] == "schematic", f["id"]
        cid, sep, quote = props["status_source"].partition(": ")
        if cid in clauses:
            assert quote in clauses[cid]["text"], f["id"]
            assert any(m[2] == f["id"] for m in clauses[cid]["mentions"]), f["id"]
            assert any(w in quote for w, st in status.WORDING if st == props["status"]), f["id"]
        else:
            assert cid.startswith(("in service", "gazetteer provenance", "no status wording")), f["id"]
    assert all(counted.values()), counted


def test_manifest_carries_attributions_and_sources(lines: list[dict]) -> None:
    m = read_layers().manifest
    texts = " ".join(a["text"] for a in m["attributions"])
    assert "© OpenStreetMap contributors" in texts
    assert any(a["licence"].startswith("ODbL") for a in m["attributions"])
    for src in m["geometry_sources"]:
        assert src["version"] and src["licence"] and src["package"], src
    built = {courses.NAMED: 0, courses.FOLLOWED: 0, courses.ROUTED: 0}
    for f in lines:
        prec = f["properties"]["precision"]
        if prec == courses.PRECISION_SURVEYED:
            built[courses.NAMED] += 1
        elif prec == courses.PRECISION_WDB:
            built[courses.FOLLOWED] += 1
        elif prec in ROUTED:
            built[courses.ROUTED] += 1
    assert all(v > 0 for v in built.values()), built


def test_hydrography_is_not_shifted() -> None:
    """The 1:4M hydrography has no .prj: it must sit on the WGS-84 WDBII rivers as it is, and a
    GCJ-02 reading (the usual trap with Chinese data) must not fit them better."""
    from geo.places import hydro
    from geo.places.geometry import gcj02_to_wgs84

    bbox = (103.5, 28.0, 111.5, 32.5)
    wdb = shapely.MultiLineString(hydro.wdb_rivers(bbox))
    pts = np.concatenate([np.array(line) for n in ("长江", "嘉陵江", "乌江", "岷江") for line in hydro.hyd_river((n,))])
    inside = (pts[:, 0] > bbox[0]) & (pts[:, 0] < bbox[2]) & (pts[:, 1] > bbox[1]) & (pts[:, 1] < bbox[3])
    pts = pts[inside]

    def median_km(p: np.ndarray) -> float:
        d = shapely.distance(shapely.points(p), wdb) * 111.0
        return float(np.median(d[d < 5]))

    as_is = median_km(pts)
    x, y = gcj02_to_wgs84(pts[:, 0], pts[:, 1])
    assert as_is < 1.0
    assert median_km(np.column_stack([x, y])) > as_is - 0.1


def test_snapped_stations_and_ports_sit_on_their_network(lines: list[dict], gaz) -> None:
    from geo.models import SNAP_PRECISIONS
    from geo.places import snap

    points = read_layers().collections["points"]["features"]
    rivers = shapely.union_all([shape(f["geometry"]) for f in lines if f["properties"]["precision"] in RIVER_PRECISIONS])
    rail = routing.scgraph_network("rail", courses.NETWORK_BBOX)
    moved = {p: 0 for p in SNAP_PRECISIONS}
    for f in points:
        props = f["properties"]
        if props["precision"] not in SNAP_PRECISIONS:
            if props["kind"] not in snap.SNAP_KINDS:
                assert "snapped" not in props["geometry_source"], f["id"]  # zones, sites, hubs keep theirs
            continue
        moved[props["precision"]] += 1
        assert props["kind"] in snap.SNAP_KINDS and gaz.get(f["id"]).precision == "approximate point", f["id"]
        pt = shape(f["geometry"])
        before = geometry.place_geometry(gaz.get(f["id"]), gaz)
        assert float(routing.haversine_km(np.asarray(pt.coords[0]), np.asarray(before.coords[0]))) <= 3.0, f["id"]
        if props["precision"] == snap.PRECISION_PORT:
            assert not any(w in props["name"] for w in snap.NOT_RIVER_PORTS), f["id"]
            assert rivers.distance(pt) < 0.001, f["id"]  # on a drawn river course
        else:
            assert rail.nearest(pt.coords[0])[1] < 0.05, f["id"]  # on a rail vertex
    assert all(moved.values()), moved


def test_exports_carry_the_osm_attribution() -> None:
    from geo.export import export_bytes

    ls = read_layers()
    for fmt in ("geojson", "kml"):
        data = export_bytes(ls, fmt, kind="railway").decode("utf-8")
        assert "© OpenStreetMap contributors" in data and "ODbL" in data, fmt


def test_map_draws_real_courses_solid_and_credits_their_sources(lines: list[dict]) -> None:
    from geo.viewer import mapview

    for f in lines:
        props = f["properties"]
        dashed = mapview.display_feature(f)["properties"].get("s") == 1
        real = props["precision"] in COURSE_PRECISIONS and props["status"] in ("", status.EXISTING)
        assert dashed != real, f["id"]
    m = read_layers().manifest
    spec = mapview.MapSpec(layer_urls={"lines": "/x/lines.json"},
                           attribution=" · ".join(a["text"] for a in m["attributions"]))
    html = mapview.build_map(spec).get_root().render()
    assert "\\u00a9 OpenStreetMap contributors" in html  # JSON-escaped inside the script


def test_scgraph_networks_read_from_source_equal_the_imported_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    """routing reads scgraph-data's generated modules as text (fast); the network it cuts must be
    the one the import gives, vertex for vertex and edge for edge (rail: the smaller module)."""
    fast = routing.scgraph_network("rail", courses.NETWORK_BBOX)
    monkeypatch.setattr(routing, "_scgraph_source", lambda modname: None)  # the import path
    slow = routing.scgraph_network("rail", courses.NETWORK_BBOX)
    assert len(fast.lonlat) > 10_000 and fast.graph.nnz > 10_000
    assert fast.lonlat.tobytes() == slow.lonlat.tobytes()
    for part in ("indptr", "indices", "data"):
        assert getattr(fast.graph, part).tobytes() == getattr(slow.graph, part).tobytes(), part
