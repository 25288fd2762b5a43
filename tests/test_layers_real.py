"""geo.layers on the real corpus and gazetteer: one fresh build per session into a temporary
folder (never the committed layers/), checked for freshness against layers/, RFC 7946, shared
borders, provenance, coverage of 四川/重庆 admin units, size budgets, and readable exports."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from shapely.geometry import shape

from geo import settings
from geo.export import export_bytes
from geo.layers.build import ADMIN_LAYERS, read_layers, stale_inputs, validate_layers
from geo.layers.geojson import rfc7946_problems
from geo.models import LAYERS
from geo.places import geometry
from tests.support.layers_common import real_build

MB = 1_000_000


@pytest.fixture(scope="module")
def fresh() -> Path:
    return real_build()


def _counties(ls, prefix: str) -> dict[str, shapely.Geometry]:
    return {
        f["id"]: shape(f["geometry"])
        for f in ls.collections["admin_county"]["features"]
        if f["properties"]["adcode"].startswith(prefix)
    }


def test_committed_layers_are_the_build_of_committed_data(fresh: Path) -> None:
    committed = settings.LAYERS_DIR
    assert (committed / "manifest.json").is_file(), "layers/ is not built: run `make build` and commit it"
    assert stale_inputs(committed) == [], "data/ changed since layers/ was built: run `make build`"
    names = sorted(p.name for p in fresh.iterdir())
    assert sorted(p.name for p in committed.iterdir()) == names
    for name in names:
        assert (committed / name).read_bytes() == (fresh / name).read_bytes(), (
            f"layers/{name} differs from a fresh build: run `make build` and commit layers/"
        )


def test_valid_and_rfc7946(fresh: Path) -> None:
    assert validate_layers(fresh) == []
    for name in LAYERS:
        text = (fresh / f"{name}.geojson").read_text(encoding="utf-8")
        fc = json.loads(text)
        assert "crs" not in fc
        assert rfc7946_problems(fc, text) == []
        assert not re.search(r"[\[,]-?\d+\.\d{7,}", text)


def test_every_layer_reads_with_pyogrio_and_geopandas(fresh: Path) -> None:
    for name in LAYERS:
        path = fresh / f"{name}.geojson"
        n = len(json.loads(path.read_text(encoding="utf-8"))["features"])
        assert pyogrio.read_info(path)["features"] == n
        if n:
            gdf = gpd.read_file(path)
            assert gdf.crs.to_epsg() == 4326 and len(gdf) == n
            assert gdf.geometry.is_valid.all()
            b = gdf.total_bounds
            assert -180 <= b[0] <= b[2] <= 180 and -90 <= b[1] <= b[3] <= 90


def test_admin_units_of_the_circle(fresh: Path) -> None:
    ls = read_layers(fresh)
    assert len(_counties(ls, "51")) == 183 and len(_counties(ls, "50")) == 38
    assert len(ls.collections["admin_province"]["features"]) == 34
    prefs = {f["properties"]["adcode"] for f in ls.collections["admin_prefecture"]["features"]}
    assert {a for a in prefs if a.startswith("51")} >= {"510100", "510300", "511300", "513400"}
    for f in ls.collections["admin_prefecture"]["features"]:  # elsewhere only when mentioned
        if not f["properties"]["adcode"].startswith(("51", "50")):
            assert f["properties"]["mention_count"] > 0, f["id"]


@pytest.mark.parametrize("prefix, adcode", [("51", "510000"), ("50", "500000")])
def test_county_borders_stay_shared(fresh: Path, prefix: str, adcode: str) -> None:
    ls = read_layers(fresh)
    counties = _counties(ls, prefix)
    assert shapely.coverage_is_valid(list(counties.values()))  # borders shared exactly, no overlaps
    union = shapely.coverage_union_all(list(counties.values()))
    province = geometry.admin_geometry(adcode)
    # no slivers: the simplified counties still tile the province (its enclaves are its only holes)
    assert geometry.area_km2(union) == pytest.approx(geometry.area_km2(province), rel=0.002)
    assert sum(g.area for g in counties.values()) == pytest.approx(union.area, rel=1e-6)

    def holes(g: shapely.Geometry) -> list[shapely.LinearRing]:
        return [r for p in getattr(g, "geoms", [g]) for r in p.interiors]

    assert len(holes(union)) == len(holes(province))
    # neighbours meet along a line
    tree = shapely.STRtree(list(counties.values()))
    geoms = list(counties.values())
    pairs = tree.query(geoms, predicate="touches")
    assert pairs.shape[1] > len(geoms)
    for i, j in pairs.T[:200]:
        if i < j:
            assert geoms[i].intersection(geoms[j]).area < 1e-9


def test_prefecture_and_province_borders_stay_shared(fresh: Path) -> None:
    ls = read_layers(fresh)
    for layer in ("admin_prefecture", "admin_province"):
        geoms = [shape(f["geometry"]) for f in ls.collections[layer]["features"]]
        assert shapely.coverage_is_valid(geoms), layer


def test_no_sliver_holes_in_regions(fresh: Path) -> None:
    ls = read_layers(fresh)
    for f in ls.collections["regions"]["features"]:
        g = shape(f["geometry"])
        for p in getattr(g, "geoms", [g]):
            assert all(shapely.Polygon(r).area >= 0.0005 for r in p.interiors), f["id"]


def test_provenance_of_every_non_admin_feature(fresh: Path) -> None:
    ls = read_layers(fresh)
    clauses = {c["id"]: c for c in ls.index["clauses"]}
    docs = {d["id"] for d in ls.documents}
    checked = 0
    for name in LAYERS:
        for f in ls.collections[name]["features"]:
            props = f["properties"]
            if name not in ADMIN_LAYERS:
                assert props["clause_ids"] and props["mention_count"] >= len(props["clause_ids"]), f["id"]
            assert set(props["doc_ids"]) <= docs
            for cid in props["clause_ids"]:
                clause = clauses[cid]
                assert clause["doc_id"] in props["doc_ids"]
                spans = [(s, e) for s, e, pid in clause["mentions"] if pid == f["id"]]
                assert spans, (f["id"], cid)
                for s, e in spans:
                    surface = clause["text"][s:e]
                    assert surface and surface in clause["text"]
                checked += 1
            if props["clause_ids"]:
                first = clauses[props["clause_ids"][0]]
                s, e, _ = next(m for m in first["mentions"] if m[2] == f["id"])
                assert first["text"][s:e] in props["excerpt"]
    assert checked > 100


def test_mentioned_places_have_features(fresh: Path) -> None:
    ls = read_layers(fresh)
    featured = {f["id"] for f in ls.features()}
    unmapped = set(ls.manifest["unmapped"])
    for pid, place in ls.places.items():
        if place["mention_count"]:
            assert pid in featured or pid in unmapped, pid
    assert len(unmapped) <= 0.05 * len(featured)


def test_size_budgets(fresh: Path) -> None:
    m = read_layers(fresh).manifest
    total = sum(p.stat().st_size for p in fresh.iterdir())
    assert total < 15 * MB
    view = m["default_view"]
    assert set(view) <= set(LAYERS) and "points" in view
    view_bytes = sum((fresh / f"{name}.geojson").stat().st_size for name in view)
    assert view_bytes == m["default_view_bytes"] < 1.5 * MB


def test_exports_of_the_real_layers(tmp_path: Path, fresh: Path) -> None:
    ls = read_layers(fresh)
    counties = {f["id"] for f in ls.collections["admin_county"]["features"]}
    per_doc: dict[str, set[str]] = {}
    for c in ls.index["clauses"]:
        per_doc.setdefault(c["doc_id"], set()).update(m[2] for m in c["mentions"] if m[2] in counties)
    doc = max(sorted(per_doc), key=lambda d: len(per_doc[d]))  # the document naming most counties
    gpkg = tmp_path / "doc.gpkg"
    gpkg.write_bytes(export_bytes(ls, "gpkg", doc_id=doc))
    tables = dict(pyogrio.list_layers(gpkg).tolist())
    assert "admin_county" in tables
    df = pyogrio.read_dataframe(gpkg, layer="admin_county")
    assert all(doc == d for ids in df["doc_ids"] for d in json.loads(ids))
    kml = ET.fromstring(export_bytes(ls, "kml"))
    assert len(kml.findall(".//{http://www.opengis.net/kml/2.2}Placemark")) == len(ls.features())
    lines = export_bytes(ls, "csv", doc_id=doc).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("clause_id,doc_id,place_id") and len(lines) > 10


def test_mention_cache_matches_extract_corpus(tmp_path: Path) -> None:
    """The incremental path extracts clause by clause and reuses results by clause text: it must
    give exactly what geo.extract.extract_corpus gives (cold cache, then warm cache)."""
    from geo.corpus.load import load_corpus
    from geo.layers.build import _extract_cached, input_checksums
    from geo.places.extract import extract_corpus
    from geo.places.gazetteer import load_gazetteer

    corpus, gaz = load_corpus(), load_gazetteer()
    expected = {cid: list(ms) for cid, ms in extract_corpus(corpus, gaz).items()}
    gsha = input_checksums()["gazetteer_sha256"]
    assert _extract_cached(corpus, gaz, tmp_path, gsha) == expected  # cold
    assert len(list(tmp_path.glob("mentions-*.json"))) == 1
    assert _extract_cached(corpus, gaz, tmp_path, gsha) == expected  # warm


def test_cli_build_with_bad_gazetteer_keeps_previous_layers(tmp_path: Path) -> None:
    """`python -m geo build` on a copy of data/ with a malformed gazetteer row: exit 1 with the
    file named, and the previous layers/ untouched (nothing half-written beside it)."""
    import os
    import shutil
    import subprocess
    import sys

    root = tmp_path / "root"
    shutil.copytree(settings.DATA_DIR, root / "data")
    shutil.copytree(settings.LAYERS_DIR, root / "layers")
    before = {p.name: p.read_bytes() for p in (root / "layers").iterdir()}
    with (root / "data" / "gazetteer" / "outside.csv").open("a", encoding="utf-8") as fh:
        fh.write("BAD ID,坏地方,country,regions,,point:999,exact boundary,,,,test,\n")
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "build", "-q"],
        cwd=Path(__file__).resolve().parent.parent,
        env=dict(os.environ, PLAN_ATLAS_ROOT=str(root)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert "outside.csv" in proc.stderr and "Traceback" not in proc.stderr
    assert {p.name: p.read_bytes() for p in (root / "layers").iterdir()} == before
    assert sorted(p.name for p in root.iterdir()) == ["data", "layers"]
