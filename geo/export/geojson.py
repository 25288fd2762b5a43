"""GeoJSON exports: one FeatureCollection ("geojson"), or a zip with one file per export layer
("geojson-zip", one geometry type per file, for GIS programs; with `thematic` also the choropleth
layers choropleth_county / choropleth_prefecture of geo.render.thematic).

Where the data comes from: a `Selection` (geo.export.select) of layers/; RFC 7946 text (WGS-84, no
`crs`) written with the same byte-stable serializer as layers/ itself.
"""

from __future__ import annotations

import io
import zipfile

from geo.export.plan import BY_NAME
from geo.export.provenance import data_date
from geo.export.registry import Format, register
from geo.export.select import Selection
from geo.layers import dumps


def _collection(name: str, features: list[dict]) -> str:
    body = ",\n".join(dumps(f) for f in features)
    return '{"features":[\n' + body + f'\n],"name":{dumps(name)},"type":"FeatureCollection"}}\n'


def write_geojson(sel: Selection) -> bytes:
    """One FeatureCollection with every selected feature (export layers in order, ids sorted).
    A selection of one export layer has one geometry type; a mixed one mixes (use geojson-zip)."""
    by_layer = sel.by_layer
    name = next(iter(by_layer)) if len(by_layer) == 1 else "plan-atlas"
    return _collection(name, [f for feats in by_layer.values() for f in feats]).encode("utf-8")


def write_geojson_zip(sel: Selection) -> bytes:
    """A zip: <layer>.geojson per non-empty export layer (one geometry type each) and README.txt."""
    stamp = tuple(int(x) for x in data_date(sel.layerset).split("-")) + (0, 0, 0)
    buf = io.BytesIO()
    readme = ["Plan Atlas 成渝规划地图 — GeoJSON (RFC 7946, WGS-84), one geometry type per file.", ""]
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, feats in sel.by_layer.items():
            info = zipfile.ZipInfo(f"{name}.geojson", date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, _collection(name, feats).encode("utf-8"))
            gtype = sel.geometry_types[name]
            readme.append(f"{name}.geojson: {BY_NAME[name].title}; {len(feats)} features, {gtype}")
        for name, feats in sel.thematic_layers.items():  # --thematic: choropleth layers (geo.render)
            info = zipfile.ZipInfo(f"{name}.geojson", date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, _collection(name, feats).encode("utf-8"))
            readme.append(f"{name}.geojson: mentions per unit (thematic map); {len(feats)} features, MultiPolygon")
        readme += ["", "List properties (aliases, doc_ids, clause_ids) are JSON arrays."]
        info = zipfile.ZipInfo("README.txt", date_time=stamp)  # type: ignore[arg-type]
        zf.writestr(info, "\n".join(readme) + "\n")
    return buf.getvalue()


GEOJSON = register(Format(
    "geojson", ".geojson", "application/geo+json", "format:geojson", write_geojson,
    description="one RFC 7946 FeatureCollection", text=True, whole=False))
GEOJSON_ZIP = register(Format(
    "geojson-zip", ".zip", "application/zip", "format:geojson-zip", write_geojson_zip,
    description="a zip with one GeoJSON file per layer (one geometry type each)"))
