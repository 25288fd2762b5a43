"""geo.export and `python -m geo export` on a small synthetic build (fast): every format opens,
subsets by document and kind narrow features and their clause links, bad requests fail clearly."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyogrio
import pytest

from geo.cli.main import main
from geo.errors import LayersError, UnknownDocumentError, UnknownPlaceError
from geo.export import FORMATS, Selection, export_bytes, export_file, mention_rows, select_features
from geo.layers import LayerSet, build_layers, read_layers
from geo.places import RULE_CONFIDENCE
from tests.support.layers_common import synthetic_inputs

KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture(scope="module")
def layers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "layers"
    build_layers(out, progress=False, inputs=synthetic_inputs())
    return out


@pytest.fixture(scope="module")
def ls(layers_dir: Path) -> LayerSet:
    return read_layers(layers_dir)


def test_geojson_whole(ls: LayerSet) -> None:
    fc = json.loads(export_bytes(ls, "geojson"))
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    assert len(fc["features"]) == sum(m["features"] for m in ls.manifest["layers"].values())


def test_geojson_by_document_narrows_links(ls: LayerSet) -> None:
    fc = json.loads(export_bytes(ls, "geojson", doc_id="doc-b"))
    ids = sorted(f["id"] for f in fc["features"])
    assert ids == ["adm:510100", "adm:510302", "composite:chengyu"]
    chengdu = next(f for f in fc["features"] if f["id"] == "adm:510100")["properties"]
    assert chengdu["doc_ids"] == ["doc-b"] and chengdu["clause_ids"] == ["doc-b/1/p1"]
    assert chengdu["mention_count"] == 1
    # the whole export still has both documents' links
    assert ls.feature("adm:510100")["properties"]["doc_ids"] == ["doc-b", "doc-a"]


def test_kind_and_place_subsets(ls: LayerSet) -> None:
    sel = select_features(ls, kind="county")
    assert [f["id"] for fs in sel.values() for f in fs] == sorted(
        f["id"] for f in ls.collections["admin_county"]["features"]
    )
    sel = select_features(ls, doc_id="doc-a", kind="county")
    assert [f["id"] for fs in sel.values() for f in fs] == ["adm:510102", "adm:510103"]
    sel = select_features(ls, place_ids=["airport:ctu"])
    assert [f["id"] for fs in sel.values() for f in fs] == ["airport:ctu"]


def test_gpkg_one_table_per_layer(tmp_path: Path, ls: LayerSet) -> None:
    path = tmp_path / "all.gpkg"
    path.write_bytes(export_bytes(ls, "gpkg"))
    tables = dict(pyogrio.list_layers(path).tolist())
    assert {n for n, g in tables.items() if g} == {name for name, m in ls.manifest["layers"].items() if m["features"]}
    assert {n for n, g in tables.items() if not g} == {"place_clauses", "layer_styles"}  # attribute tables
    counties = pyogrio.read_dataframe(path, layer="admin_county")
    assert counties.crs.to_epsg() == 4326
    assert len(counties) == ls.manifest["layers"]["admin_county"]["features"]
    pts = pyogrio.read_dataframe(path, layer="points")
    assert json.loads(pts.loc[0, "clause_ids"]) == ["doc-a/1/p2"]  # lists as JSON text
    assert pts.loc[0, "id"] == "airport:ctu"


def test_csv_of_mentions(ls: LayerSet) -> None:
    data = export_bytes(ls, "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, for spreadsheet programs
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows and list(rows[0]) == [
        "clause_id",
        "doc_id",
        "place_id",
        "name",
        "name_en",
        "kind",
        "layer",
        "surface",
        "start",
        "end",
        "confidence",
        "rule",
        "excerpt",
    ]
    assert len(rows) == ls.manifest["index"]["mentions"]
    clauses = {c["id"]: c for c in ls.index["clauses"]}
    english = {f["id"]: f["properties"]["name_en"] for f in ls.features()}
    assert "Chengdushi" in english.values()  # synthetic inputs: no English table, pinyin only
    for r in rows:
        assert r["name_en"] == english.get(r["place_id"], "")
        assert clauses[r["clause_id"]]["text"][int(r["start"]) : int(r["end"])] == r["surface"]
        assert r["surface"] in r["excerpt"]
        assert r["rule"] in RULE_CONFIDENCE and float(r["confidence"]) == RULE_CONFIDENCE[r["rule"]]
    assert {r["doc_id"] for r in mention_rows(ls, doc_id="doc-b")} == {"doc-b"}


def test_kml_parses_with_placemarks(ls: LayerSet) -> None:
    root = ET.fromstring(export_bytes(ls, "kml"))
    placemarks = root.findall(f".//{KML}Placemark")
    assert len(placemarks) == sum(m["features"] for m in ls.manifest["layers"].values())
    names = {pm.findtext(f"{KML}name") for pm in placemarks}
    assert {"成都市", "双流国际机场", "成渝铁路"} <= names
    airport = next(pm for pm in placemarks if pm.findtext(f"{KML}name") == "双流国际机场")
    assert airport.findtext(f".//{KML}Point/{KML}coordinates") == "103.947,30.578"
    data = {d.get("name"): d.findtext(f"{KML}value") for d in airport.iter(f"{KML}Data")}
    assert json.loads(data["clause_ids"]) == ["doc-a/1/p2"]


def test_kml_escapes_markup(ls: LayerSet) -> None:
    props = ls.feature("airport:ctu")["properties"]
    saved = props["excerpt"]
    props["excerpt"] = 'A & B <script>alert("x")</script>'
    try:
        data = export_bytes(ls, "kml", place_ids=["airport:ctu"])
    finally:
        props["excerpt"] = saved
    assert b"<script>" not in data and b"&lt;script&gt;" in data
    assert "<script>" in ET.fromstring(data).findtext(f".//{KML}description")  # text, not markup


def test_bad_requests(ls: LayerSet) -> None:
    with pytest.raises(UnknownDocumentError, match="unknown document"):
        export_bytes(ls, "geojson", doc_id="no-such-doc")
    with pytest.raises(LayersError, match="unknown kind"):
        export_bytes(ls, "geojson", kind="volcano")
    with pytest.raises(LayersError, match="unknown export format"):
        export_bytes(ls, "shp")
    with pytest.raises(UnknownPlaceError):
        export_bytes(ls, "geojson", place_ids=["nowhere:x"])
    with pytest.raises(LayersError, match="nothing to export"):
        export_bytes(ls, "geojson", doc_id="doc-b", kind="airport")


def test_export_file(tmp_path: Path, ls: LayerSet) -> None:
    for fmt in FORMATS:
        path = export_file(ls, fmt, tmp_path / f"out.{fmt}")
        assert path.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"out.{f}" for f in FORMATS)


def test_cli(tmp_path: Path, layers_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "doc-a.kml"
    assert (
        main(["export", "--layers", str(layers_dir), "--format", "kml", "--doc", "doc-a", "-o", str(out)])
        == 0
    )
    assert ET.parse(out).getroot().findall(f".//{KML}Placemark")
    assert (
        main(["export", "--layers", str(layers_dir), "--format", "geojson", "--doc", "nope", "-o", "-"]) == 1
    )
    assert "unknown document" in capsys.readouterr().err
    assert (
        main(["export", "--layers", str(layers_dir), "--format", "csv", "--kind", "volcano", "-o", "-"]) == 1
    )
    assert "unknown kind" in capsys.readouterr().err
    assert main(["export", "--layers", str(tmp_path / "none"), "--format", "csv", "-o", "-"]) == 1
    assert "make build" in capsys.readouterr().err
    assert main(["export", "--layers", str(layers_dir), "--format", "shp", "-o", "-"]) == 1
    assert "unknown export format 'shp'" in capsys.readouterr().err


def test_exports_are_deterministic(ls: LayerSet) -> None:
    for fmt in ("gpkg", "geojson-zip", "kml"):
        assert export_bytes(ls, fmt) == export_bytes(ls, fmt), fmt


def test_export_layers_one_geometry_type_each(ls: LayerSet) -> None:
    sel = Selection(ls)
    for name, feats in sel.by_layer.items():
        assert {f["geometry"]["type"] for f in feats} == {sel.geometry_types[name]}, name
    # a subset keeps the schema of the whole export (the type is fixed by layers/, not the selection)
    one = Selection(ls, place_ids=("airport:ctu",))
    assert one.geometry_types == sel.geometry_types


def test_layer_subsets_of_features_and_mentions(ls: LayerSet) -> None:
    points = {f["id"] for f in ls.collections["points"]["features"]}
    sel = Selection(ls, layers=("points",))
    assert list(sel.by_layer) == ["points"] and {f["id"] for f in sel.by_layer["points"]} == points
    assert sel.mentions and {r["place_id"] for r in sel.mentions} <= points
    with pytest.raises(LayersError, match="unknown export layer"):
        Selection(ls, layers=("volcanoes",))


def test_csv_rule_and_confidence_on_the_real_layers() -> None:
    rows = mention_rows(read_layers(), doc_id="2023-wandakai-plan")
    rules = {r["rule"] for r in rows}
    assert {"exact name", "generated short form"} <= rules
    short = next(r for r in rows if r["rule"] == "generated short form")
    assert short["confidence"] < 1.0 and short["surface"] != short["name"]
