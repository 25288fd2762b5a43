"""The thematic layers (geo.render.thematic) in the GeoPackage and GeoJSON-zip exports (`--thematic`)."""

from __future__ import annotations

import io
import json
import zipfile

import pyogrio
import pytest

from geo.cli import main
from geo.export import export_bytes
from geo.layers import read_layers, rfc7946_problems
from geo.render import MentionFilter, choropleth

WDK = "2023-wandakai-plan"


@pytest.fixture(scope="module")
def layerset():
    return read_layers()


def test_gpkg_has_the_choropleth_tables_of_the_document(layerset, tmp_path) -> None:
    path = tmp_path / "t.gpkg"
    path.write_bytes(export_bytes(layerset, "gpkg", doc_id=WDK, thematic=True))
    names = {n for n, _ in pyogrio.list_layers(path)}
    assert {"choropleth_county", "choropleth_prefecture"} <= names
    expected = choropleth(layerset, "county", MentionFilter(docs=frozenset({WDK}))).counts
    df = pyogrio.read_dataframe(path, layer="choropleth_county")
    assert len(df) == len(layerset.collections["admin_county"]["features"])
    got = dict(zip(df["id"], df["mentions"], strict=True))
    assert got == pytest.approx({u: c.total for u, c in expected.items()})
    assert set(df.geom_type) == {"MultiPolygon"} and df.crs.to_epsg() == 4326
    assert (df["fill"].str.match(r"^#[0-9a-f]{6}$")).all()
    # without the flag, no thematic table
    plain = tmp_path / "p.gpkg"
    plain.write_bytes(export_bytes(layerset, "gpkg", doc_id=WDK))
    assert not {n for n, _ in pyogrio.list_layers(plain)} & {"choropleth_county", "choropleth_prefecture"}


def test_geojson_zip_has_valid_choropleth_files(tmp_path) -> None:
    out = tmp_path / "t.zip"
    assert main(["export", "--format", "geojson-zip", "--thematic", "-o", str(out)]) == 0
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as zf:
        for name in ("choropleth_county", "choropleth_prefecture"):
            fc = json.loads(zf.read(f"{name}.geojson"))
            assert rfc7946_problems(fc) == [], name
            assert fc["features"] and all(f["geometry"]["type"] == "MultiPolygon" for f in fc["features"])
            assert sum(f["properties"]["mentions"] for f in fc["features"]) > 100
        assert "choropleth_county.geojson" in zf.read("README.txt").decode()
