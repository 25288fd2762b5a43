"""GeoPackage export for QGIS and GDAL: GeoPackage 1.3, one table per export layer (one geometry
type each, EPSG:4326, R-tree spatial index), QGIS `layer_styles` (QML and SLD in the app's colours),
provenance in `gpkg_metadata`, and the attributes table `place_clauses` for joins.

Where the data comes from: a `Selection` (geo.export.select) of layers/; styles from
geo.export.style, provenance from geo.export.provenance. Written with pyogrio (GDAL) into a
temporary folder, then read back as bytes.

Version: GDAL ≥ 3.10 writes GeoPackage 1.4 by default, which GDAL 3.6 (Debian 12, QGIS LTR builds on
it) reports as "may only be partially supported"; VERSION=1.3 is read without warnings by both.
GeoPackage has no list type: aliases, doc_ids and clause_ids are JSON text ('["a","b"]'), and
`place_clauses(place_id, clause_id, doc_id)` holds the clause links as rows (join on `id`). With
`thematic`, the tables choropleth_county and choropleth_prefecture hold geo.render.thematic's
mentions per unit (class, class_label and fill colour per feature).
The file is deterministic: the timestamps GDAL writes are the data's date (OGR_CURRENT_DATE).
"""

from __future__ import annotations

import json
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geo.export.plan import BY_NAME
from geo.export.provenance import data_date, dataset_provenance
from geo.export.registry import Format, register
from geo.export.select import Selection
from geo.export.style import qml, sld
from geo.settings import CRS_WGS84

GPKG_VERSION: str = "1.3"
GEOMETRY_COLUMN: str = "geom"
LINKS_TABLE: str = "place_clauses"
STYLES_TABLE: str = "layer_styles"
# OGR_CURRENT_DATE is a process-wide GDAL setting: one GeoPackage is written at a time.
_WRITE_LOCK = threading.Lock()


def _flat(v: Any) -> Any:
    return json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v


def clause_links(sel: Selection) -> list[tuple[str, str, str]]:
    """(place_id, clause_id, doc_id) for every exported feature's clause_ids, sorted."""
    doc_of = {c["id"]: c["doc_id"] for c in sel.layerset.index.get("clauses", [])}
    rows = {
        (f["id"], cid, doc_of.get(cid, cid.split("/", 1)[0]))
        for feats in sel.by_layer.values()
        for f in feats
        for cid in f["properties"].get("clause_ids", [])
    }
    return sorted(rows)


def _write_layers(sel: Selection, path: Path, stamp: str) -> None:
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    from shapely.geometry import shape

    docs = {d for feats in sel.by_layer.values() for f in feats for d in f["properties"].get("doc_ids", [])}
    filtered = sel.doc_id or sel.kind or sel.place_ids is not None
    meta = dataset_provenance(sel.layerset, docs if sel.doc_id else None, sel.describe() if filtered else "")
    first = True
    for name, feats in sel.by_layer.items():
        layer = BY_NAME[name]
        gtype = sel.geometry_types[name]
        records = [{k: _flat(v) for k, v in f["properties"].items()} for f in feats]
        gdf = gpd.GeoDataFrame(records, geometry=[shape(f["geometry"]) for f in feats], crs=CRS_WGS84)
        pyogrio.write_dataframe(
            gdf, path, layer=name, driver="GPKG", geometry_type=gtype, append=not first,
            dataset_options={"VERSION": GPKG_VERSION} if first else None,
            dataset_metadata={k: str(v) for k, v in meta.items()} if first else None,
            layer_metadata={"source": ", ".join(f"layers/{src}.geojson" for src in layer.sources),
                            "features": str(len(feats)), "geometry_type": gtype, "date": stamp[:10]},
            layer_options={"IDENTIFIER": layer.title, "DESCRIPTION": f"{layer.title}; {gtype}, WGS-84",
                           "GEOMETRY_NAME": GEOMETRY_COLUMN, "SPATIAL_INDEX": "YES"},
        )
        first = False
    for name, feats in sel.thematic_layers.items():  # --thematic: choropleth layers (geo.render)
        gdf = gpd.GeoDataFrame([f["properties"] for f in feats], geometry=[shape(f["geometry"]) for f in feats],
                               crs=CRS_WGS84)
        title = f"Mentions per {name.removeprefix('choropleth_')} (thematic map)"
        pyogrio.write_dataframe(
            gdf, path, layer=name, driver="GPKG", geometry_type="MultiPolygon", append=True,
            layer_metadata={"source": "geo.render.thematic over layers/index.json", "features": str(len(feats)),
                            "geometry_type": "MultiPolygon", "date": stamp[:10]},
            layer_options={"IDENTIFIER": title, "DESCRIPTION": f"{title}; fill = class colour; WGS-84",
                           "GEOMETRY_NAME": GEOMETRY_COLUMN, "SPATIAL_INDEX": "YES"},
        )
    links = pd.DataFrame(clause_links(sel), columns=["place_id", "clause_id", "doc_id"])
    pyogrio.write_dataframe(
        links, path, layer=LINKS_TABLE, driver="GPKG", append=True,
        layer_options={"IDENTIFIER": "Place–clause links",
                       "DESCRIPTION": "one row per (place, clause): join place_id to the layers' id"},
    )
    when = datetime.fromisoformat(stamp).replace(tzinfo=UTC)
    styles = pd.DataFrame(
        [
            {"f_table_catalog": "", "f_table_schema": "", "f_table_name": name,
             "f_geometry_column": GEOMETRY_COLUMN, "styleName": name,
             "styleQML": qml(name, {f["properties"].get("kind", "") for f in feats}),
             "styleSLD": sld(name, {f["properties"].get("kind", "") for f in feats}),
             "useAsDefault": True, "description": f"Plan Atlas: {BY_NAME[name].title}, as in the app",
             "owner": "", "ui": None, "update_time": when}
            for name, feats in sel.by_layer.items()
        ]
    )
    pyogrio.write_dataframe(
        styles, path, layer=STYLES_TABLE, driver="GPKG", append=True,
        layer_options={"FID": "id", "DESCRIPTION": "QGIS layer styles (QML and SLD)"},
    )


def write_gpkg(sel: Selection) -> bytes:
    """The GeoPackage's bytes (see the module docstring)."""
    import pyogrio

    sel.by_layer  # noqa: B018  (raises "nothing to export" before any file is made)
    stamp = f"{data_date(sel.layerset)}T00:00:00"
    with _WRITE_LOCK, tempfile.TemporaryDirectory(prefix="plan-atlas-export-") as tmp:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": f"{stamp}.000Z"})
        try:
            path = Path(tmp) / "plan-atlas.gpkg"
            _write_layers(sel, path, stamp)
            return path.read_bytes()
        finally:
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


GPKG = register(Format(
    "gpkg", ".gpkg", "application/geopackage+sqlite3", "format:gpkg", write_gpkg,
    description="GeoPackage 1.3 for QGIS: a table per layer, styles, metadata, place_clauses"))
