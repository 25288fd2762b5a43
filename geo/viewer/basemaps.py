"""The one registry of basemaps: the offline vector basemap and the online tile services.

Data: tile URL templates and attributions of the public services (nothing is fetched at build or
start; a browser with internet loads the tiles). The offline basemap ("vector") is the admin layers
of layers/ themselves, so the map draws fully without internet.

How to add a basemap: register a `Basemap` in this file (id, zh/en labels, tile URL, attribution,
GCJ-02 or not, key or not); the viewer's selector, permalinks and map read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BASEMAPS", "REGISTRY", "Basemap", "basemap_label", "register_basemap"]


@dataclass(frozen=True)
class Basemap:
    """A basemap. tiles == "" is the offline vector basemap (the admin layers)."""

    id: str
    label_zh: str
    label_en: str
    tiles: str = ""
    attribution: str = ""
    subdomains: str = "abc"
    gcj02: bool = False
    needs_key: bool = False
    max_zoom: int = 18
    overlay: str = ""  # a second (label) tile layer, e.g. Tianditu annotations

    @property
    def offline(self) -> bool:
        return not self.tiles


REGISTRY: dict[str, Basemap] = {}


def register_basemap(base: Basemap) -> Basemap:
    """Register a basemap (its id must be new); returns it."""
    if base.id in REGISTRY:
        raise ValueError(f"basemap {base.id!r} is already registered")
    REGISTRY[base.id] = base
    _refresh()
    return base


def basemap_label(basemap_id: str, lang: str) -> str:
    """The basemap's name in the interface language ("zh" or "en")."""
    base = REGISTRY[basemap_id]
    return base.label_en if lang == "en" else base.label_zh


# id → Basemap, or None for the offline vector basemap (what the map code draws tiles for).
BASEMAPS: dict[str, Basemap | None] = {}


def _refresh() -> None:
    BASEMAPS.clear()
    BASEMAPS.update({k: (None if b.offline else b) for k, b in REGISTRY.items()})


for _base in (
    Basemap("vector", "离线矢量底图（行政区划）", "Offline vector basemap (admin boundaries)"),
    Basemap(
        "osm",
        "OpenStreetMap",
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        subdomains="abc",
        max_zoom=19,
    ),
    Basemap(
        "carto",
        "CartoDB 浅色",
        "CartoDB Positron",
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        '&copy; OpenStreetMap contributors &copy; <a href="https://carto.com/attributions">CARTO</a>',
        subdomains="abcd",
        max_zoom=20,
    ),
    Basemap(
        "amap",
        "高德地图（GCJ-02）",
        "Gaode / AMap (GCJ-02)",
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "&copy; 高德地图 AutoNavi",
        subdomains="1234",
        gcj02=True,
    ),
    Basemap(
        "tianditu",
        "天地图",
        "Tianditu",
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
        "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
        "&copy; 天地图 Tianditu",
        subdomains="01234567",
        needs_key=True,
        overlay="https://t{s}.tianditu.gov.cn/cva_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=cva&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
    ),
):
    register_basemap(_base)
