"""The curated tables in data/gazetteer/ against real geometry: points, composites, lines."""

from __future__ import annotations

from collections import Counter

import pytest
import shapely

from geo.places.gazetteer import load_gazetteer
from geo.places.geometry import admin_geometry, area_km2, place_geometry


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def curated(gaz, layer: str | None = None):
    return [p for p in gaz.places.values() if not p.id.startswith("adm:") and (layer is None or p.layer == layer)]


def test_every_kind_family_is_present(gaz) -> None:
    kinds = Counter(p.kind for p in curated(gaz))
    for kind in ("new_area", "zone", "platform", "airport", "port", "hub", "station", "railway", "highway",
                 "corridor", "axis", "river", "mountain", "lake", "site", "town", "country", "bloc",
                 "region", "composite", "metropolitan_area"):
        assert kinds[kind] > 0, kind


def test_seats_lie_in_their_unit(gaz) -> None:
    bad = [pid for pid, xy in gaz.seats.items() if not admin_geometry(gaz.get(pid).adcode).covers(shapely.Point(xy))]
    assert not bad


def test_curated_points_lie_in_their_admin_unit(gaz) -> None:
    bad = []
    for pid, adm in gaz.in_admin.items():
        geom = place_geometry(pid, gaz)
        if not place_geometry(adm, gaz).covers(geom):
            bad.append((pid, adm))
    assert not bad
    points = [p for p in curated(gaz, "points") if place_geometry(p, gaz).geom_type == "Point"]
    with_admin = [p for p in points if p.id in gaz.in_admin]
    assert len(with_admin) >= 0.9 * len(points)


def test_recipes_build_the_right_geometry_type(gaz) -> None:
    for p in curated(gaz):
        geom = place_geometry(p, gaz)
        assert geom.is_valid and not geom.is_empty, p.id
        if p.layer == "lines":
            assert geom.geom_type == "LineString", p.id
        elif p.layer == "points":
            assert geom.geom_type in ("Point", "MultiPoint"), p.id
        else:
            assert geom.geom_type in ("Polygon", "MultiPolygon"), p.id


# Areas stated by the defining text (km²) and how close the union of whole members must be.
TEXT_AREAS = {
    "composite:wandakai": (24_100, 0.03),  # 003 L6473-6479: 2.41 万平方公里
    "composite:chengxuanwan": (11_628, 0.03),  # 003 L19078-19082
    "composite:heguangchang": (10_107, 0.03),  # 003 L18798-18802
    "composite:ziyang-dazu": (7_183, 0.03),  # 003 L18520-18522
    "composite:chuannan-yuxi": (46_600, 0.03),  # 004 L28-36: 4.66 万平方公里
}


@pytest.mark.parametrize("pid", sorted(TEXT_AREAS))
def test_composite_area_matches_the_text(gaz, pid: str) -> None:
    expected, tol = TEXT_AREAS[pid]
    got = area_km2(place_geometry(pid, gaz))
    assert abs(got / expected - 1) < tol, (pid, got, expected)


def test_economic_circle_is_about_185000_km2_and_overstated_only_by_partial_units(gaz) -> None:
    p = gaz.get("composite:chengyu-circle")
    assert set(gaz.partial_members[p.id]) == {"adm:500154", "adm:500235"}
    whole = area_km2(place_geometry(p, gaz))
    partial = sum(area_km2(admin_geometry(m[4:])) for m in gaz.partial_members[p.id])
    assert 185_000 * 0.95 < whole - partial < 185_000 < whole < 185_000 * 1.05
    # exclusions respected
    members = set(p.members)
    assert not members & {"adm:510727", "adm:510726", "adm:511781", "adm:511825", "adm:511827", "adm:510700"}


@pytest.mark.parametrize(
    "pid", ["metro:chongqing", "metro:chengdu", "composite:chuanyu", "composite:wandakai", "composite:chongqing-core"]
)
def test_composite_equals_union_of_members(gaz, pid: str) -> None:
    p = gaz.get(pid)
    geom = place_geometry(p, gaz)
    parts = [place_geometry(m, gaz) for m in p.members]
    assert abs(area_km2(geom) - sum(area_km2(g) for g in parts)) < 0.001 * area_km2(geom)  # members tile it
    for g in parts:
        assert area_km2(g.difference(geom)) < 0.01


def test_members_defined_by_text(gaz) -> None:
    assert len(gaz.get("metro:chongqing").members) == 22  # 21 districts + 广安市
    assert "adm:511600" in gaz.get("metro:chongqing").members
    assert set(gaz.get("composite:wandakai").members) == {"adm:500101", "adm:511700", "adm:500154"}
    assert set(gaz.get("composite:chengxuanwan").members) == {"adm:500229", "adm:511722", "adm:511781"}
    assert len(gaz.get("composite:chengyu-circle").members) == 27 + 2 + 12 + 7 + 6 + 6


def test_lines_end_in_their_end_nodes(gaz) -> None:
    for p in curated(gaz, "lines"):
        line = place_geometry(p, gaz)
        nodes = p.recipe.split(":", 1)[1].split("|")
        for node, xy in ((nodes[0], line.coords[0]), (nodes[-1], line.coords[-1])):
            if node.startswith("@"):
                continue
            target = place_geometry(node, gaz)
            assert target.distance(shapely.Point(xy)) < 0.01, (p.id, node)


def test_railway_end_points_sit_in_their_cities(gaz) -> None:
    line = place_geometry("railway:chengdawan-hsr", gaz)
    assert admin_geometry("510100").covers(shapely.Point(line.coords[0]))
    assert admin_geometry("500101").covers(shapely.Point(line.coords[-1]))
    yukun = place_geometry("railway:yukun-hsr", gaz)
    assert admin_geometry("500000").covers(shapely.Point(yukun.coords[0]))
    assert admin_geometry("530100").covers(shapely.Point(yukun.coords[-1]))


def test_rivers_pass_through_riverside_cities(gaz) -> None:
    yangtze = place_geometry("river:changjiang", gaz)
    for adcode in ("511500", "510500", "500103", "500101", "420500"):
        assert yangtze.intersects(admin_geometry(adcode)), adcode


def test_planning_names_resolve(gaz) -> None:
    for name, pid in [
        ("川南渝西", "composite:chuannan-yuxi"), ("万达开", "composite:wandakai"), ("成德眉资", "metro:chengdu"),
        ("重庆都市圈", "metro:chongqing"), ("江北国际机场", "airport:ckg"), ("果园港", "port:guoyuan"),
        ("成渝中线高铁", "railway:chengyu-middle-hsr"), ("西部陆海新通道", "corridor:new-western-land-sea"),
        ("嘉陵江", "river:jialingjiang"), ("大足石刻", "site:dazu-rock-carvings"), ("两江新区", "new_area:liangjiang"),
        ("西部（重庆）科学城", "zone:west-science-city-chongqing"), ("西部(重庆)科学城", "zone:west-science-city-chongqing"),
        ("峨眉山－乐山大佛", "site:emei-leshan"), ("东盟", "bloc:asean"), ("长三角", "region:yrd"),
    ]:
        assert gaz.resolve(name).id == pid, name
    assert not gaz.lookup("一带一路")  # a policy initiative, not a place (README decision)
    assert not gaz.lookup("中心城区")  # generic
