"""Benchmark of the GIS downloads: GeoPackage export time and size, on the committed layers/.

- GeoPackage of every layer, in process (`geo.export.export_bytes(layerset, "gpkg")`, layers/ read
  once, imports warm: what the app's download button costs), against a plain GeoPackage of the same
  features in the same run (one pyogrio table per layers/ layer, no styles, metadata, join table or
  geometry split: what the export wrote before issue 14).
- The whole command, `python -m geo export --format gpkg` (imports and reading layers/ included).
- Sizes of the GeoPackage and of the GeoJSON zip.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from bench.timing import PYTHON, Row, command_seconds, paired_seconds

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def _plain_gpkg(layerset) -> bytes:  # the baseline: one table per layers/ layer, nothing else
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import shape

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plain.gpkg"
        for name, fc in layerset.collections.items():
            feats = fc["features"]
            records = [{k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                        for k, v in f["properties"].items()} for f in feats]
            gdf = gpd.GeoDataFrame(records, geometry=[shape(f["geometry"]) for f in feats], crs="EPSG:4326")
            pyogrio.write_dataframe(gdf, path, layer=name, driver="GPKG", append=path.exists())
        return path.read_bytes()


def run() -> list[Row]:
    from geo.export import export_bytes
    from geo.layers import read_layers

    ls = read_layers()
    value, base, ratio = paired_seconds(lambda: export_bytes(ls, "gpkg"), lambda: _plain_gpkg(ls), runs=RUNS)
    gpkg = export_bytes(ls, "gpkg")
    zipped = export_bytes(ls, "geojson-zip")
    with tempfile.TemporaryDirectory() as tmp:
        cli = command_seconds([PYTHON, "-m", "geo", "export", "--format", "gpkg", "-o", str(Path(tmp) / "a.gpkg")],
                              runs=3, cwd=ROOT)
    return [
        Row("export", "GeoPackage of every layer (in process, warm)", value, "s", baseline=base,
            baseline_what="plain GeoPackage, one table per layers/ layer", target="≤ 3 s", runs=RUNS,
            notes=[f"median of pairwise ratios {ratio:.2f}; styles, metadata, place_clauses and the "
                   "geometry split are the difference"]),
        Row("export", "python -m geo export --format gpkg (whole process)", cli, "s", runs=3),
        Row("export", "GeoPackage size (every layer)", len(gpkg) / 1e6, "MB"),
        Row("export", "GeoJSON zip size (every layer)", len(zipped) / 1e6, "MB"),
    ]
