"""geo.layers on a small synthetic world (fast): contents, RFC 7946, shared borders, determinism,
atomicity, provenance and the reader's errors. The real corpus is tested in test_layers_real.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from shapely.geometry import shape

import geo.layers._assemble as layers_build
import geo.places.latin as latin
from geo.errors import LayersError
from geo.layers.build import build_layers, read_layers, validate_layers
from geo.layers.geojson import rfc7946_problems
from geo.models import LAYERS, Mention
from tests.support.layers_common import admin_geometry, synthetic_inputs

PROPERTY_KEYS = {
    "id",
    "name",
    "name_pinyin",
    "name_en",
    "kind",
    "layer",
    "aliases",
    "adcode",
    "precision",
    "geometry_source",
    "mention_count",
    "doc_ids",
    "clause_ids",
    "excerpt",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "layers"
    build_layers(out, progress=False, inputs=synthetic_inputs())
    return out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_files_and_counts(built: Path) -> None:
    names = {p.name for p in built.iterdir()}
    assert names == {f"{n}.geojson" for n in LAYERS} | {"index.json", "atlas.sqlite", "manifest.json"}
    ls = read_layers(built, verify=True)
    ids = {name: sorted(f["id"] for f in fc["features"]) for name, fc in ls.collections.items()}
    assert ids["admin_province"] == ["adm:110000", "adm:500000", "adm:510000"]  # every province
    # home prefectures, plus 武汉市 (mentioned); 黄石市 (elsewhere, not mentioned) is left out
    assert ids["admin_prefecture"] == ["adm:420100", "adm:500100", "adm:510100", "adm:510300"]
    assert len(ids["admin_county"]) == 6
    assert ids["regions"] == ["composite:chengyu"]
    assert ids["points"] == ["airport:ctu"]  # zone:quiet is not mentioned
    assert ids["lines"] == ["railway:chengyu"]
    assert ls.manifest["unmapped"] == ["site:nowhere"]  # mentioned, but no geometry
    for name, meta in ls.manifest["layers"].items():
        assert meta["features"] == len(ls.collections[name]["features"])
        assert meta["bytes"] == (built / meta["file"]).stat().st_size
    assert ls.manifest["default_view"] and set(ls.manifest["default_view"]) <= set(LAYERS)
    assert validate_layers(built) == []


def test_properties_are_flat_and_complete(built: Path) -> None:
    ls = read_layers(built)
    for f in ls.features():
        props = f["properties"]
        # lines also carry the status of railways and highways (geo.places.status; "" for others)
        assert set(props) == PROPERTY_KEYS | ({"status", "status_source"} if props["layer"] == "lines" else set())
        assert f["id"] == props["id"]
        for key in ("aliases", "doc_ids", "clause_ids"):
            assert isinstance(props[key], list) and all(isinstance(x, str) for x in props[key])
        assert not any(isinstance(v, dict) for v in props.values())
    chengdu = ls.feature("adm:510100")["properties"]
    assert chengdu["name_pinyin"] == "cheng du shi"
    assert chengdu["mention_count"] == 2
    # documents ordered by date: doc-b (2022) before doc-a (2023), and the excerpt is from doc-b
    assert chengdu["doc_ids"] == ["doc-b", "doc-a"]
    assert chengdu["clause_ids"] == ["doc-b/1/p1", "doc-a/1/p1"]
    assert "成都市牵头" in chengdu["excerpt"]
    assert ls.feature("adm:510000")["properties"]["mention_count"] == 0  # context only
    assert [d["id"] for d in ls.documents] == ["doc-b", "doc-a"]


def test_rfc7946(built: Path) -> None:
    for name in LAYERS:
        text = (built / f"{name}.geojson").read_text(encoding="utf-8")
        fc = json.loads(text)
        assert "crs" not in fc
        assert rfc7946_problems(fc, text) == []
        assert not re.search(r"[\[,]-?\d+\.\d{7,}", text), "more than 6 decimals"
        for f in fc["features"]:
            g = shape(f["geometry"])
            assert g.is_valid
            polys = getattr(g, "geoms", [g]) if g.geom_type.endswith("Polygon") else []
            for p in polys:
                assert p.exterior.is_ccw
                assert not any(r.is_ccw for r in p.interiors)


def test_rfc_checker_catches_problems() -> None:
    cw = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    fc = {
        "type": "FeatureCollection",
        "crs": {"type": "name"},
        "features": [{"type": "Feature", "id": "x", "properties": {"id": "x"}, "geometry": cw}],
    }
    problems = rfc7946_problems(fc, json.dumps({"c": 1.12345678}))
    assert any("crs" in p for p in problems)
    assert any("clockwise" in p for p in problems)


def test_every_layer_reads_with_pyogrio_and_geopandas(built: Path) -> None:
    for name in LAYERS:
        path = built / f"{name}.geojson"
        info = pyogrio.read_info(path)
        assert info["features"] == len(json.loads(path.read_text(encoding="utf-8"))["features"])
        gdf = gpd.read_file(path)
        assert gdf.crs.to_epsg() == 4326
        assert {"id", "name", "clause_ids"} <= set(gdf.columns)


def test_shared_borders_kept(built: Path) -> None:
    ls = read_layers(built)
    counties = {f["id"]: shape(f["geometry"]) for f in ls.collections["admin_county"]["features"]}
    sichuan = [g for k, g in counties.items() if k.startswith("adm:51")]
    union = shapely.union_all(sichuan)
    raw = admin_geometry("510000")
    assert union.geom_type == "Polygon" and len(union.interiors) == 0  # no sliver gaps
    assert union.area == pytest.approx(raw.area, rel=0.01)
    assert sum(g.area for g in sichuan) == pytest.approx(union.area, rel=1e-9)  # no overlaps
    a, b = counties["adm:510102"], counties["adm:510103"]
    shared = a.intersection(b)
    assert shared.length > 0.1 and shared.area == 0  # a shared line, not a gap or an overlap


def test_provenance_links_point_at_mentions(built: Path) -> None:
    ls = read_layers(built)
    clauses = {c["id"]: c for c in ls.index["clauses"]}
    for name in ("regions", "points", "lines"):
        for f in ls.collections[name]["features"]:
            props = f["properties"]
            assert props["clause_ids"], f["id"]
            forms = {props["name"], *props["aliases"]}
            for cid in props["clause_ids"]:
                spans = [(s, e) for s, e, pid in clauses[cid]["mentions"] if pid == f["id"]]
                assert spans
                assert all(clauses[cid]["text"][s:e] in forms for s, e in spans)
    assert ls.places["composite:chengyu"]["mention_count"] == 2  # 成渝地区 and 川渝


def test_deterministic(tmp_path: Path, built: Path) -> None:
    again = tmp_path / "layers"
    build_layers(again, progress=False, inputs=synthetic_inputs())
    assert _snapshot(again) == _snapshot(built)


def test_failed_build_leaves_previous_layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "layers"
    build_layers(out, progress=False, inputs=synthetic_inputs())
    before = _snapshot(out)

    def boom(self, places, geoms):  # fail mid-way, after some layers were assembled
        if places and places[0].layer == "regions":
            raise RuntimeError("simulated crash")
        return original(self, places, geoms)

    original = layers_build._Assembler.features
    monkeypatch.setattr(layers_build._Assembler, "features", boom)
    with pytest.raises(LayersError, match="simulated crash"):
        build_layers(out, progress=False, inputs=synthetic_inputs())
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["layers"]  # no temporary folder left


def test_bad_inputs_leave_previous_layers(tmp_path: Path) -> None:
    out = tmp_path / "layers"
    build_layers(out, progress=False, inputs=synthetic_inputs())
    before = _snapshot(out)
    bad = synthetic_inputs()
    bad.mentions["doc-a/1/p1"].append(Mention(0, 2, "推动", "place:not-in-gazetteer"))
    with pytest.raises(LayersError, match="not in the gazetteer"):
        build_layers(out, progress=False, inputs=bad)
    off = synthetic_inputs()
    off.mentions["doc-a/1/p1"].append(Mention(0, 3, "成都市", "adm:510100"))  # wrong offsets
    with pytest.raises(LayersError, match="does not match the clause text"):
        build_layers(out, progress=False, inputs=off)
    assert _snapshot(out) == before


def test_swap_keeps_permissions(built: Path) -> None:
    assert built.stat().st_mode & 0o755 == 0o755


def test_read_layers_errors(tmp_path: Path, built: Path) -> None:
    with pytest.raises(LayersError, match="make build"):
        read_layers(tmp_path / "missing")
    copy = tmp_path / "copy"
    copy.mkdir()
    for p in built.iterdir():
        (copy / p.name).write_bytes(p.read_bytes())
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = 99
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(LayersError, match="format_version 99"):
        read_layers(copy)
    manifest["format_version"] = 1
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (copy / "points.geojson").write_text('{"type":"FeatureCollection","features":[]}', encoding="utf-8")
    read_layers(copy)  # parses …
    with pytest.raises(LayersError, match="does not match manifest"):
        read_layers(copy, verify=True)  # … but the checksum says it was edited
    (copy / "lines.geojson").unlink()
    with pytest.raises(LayersError, match="missing"):
        read_layers(copy)


def test_incremental_cache_gives_the_same_bytes(tmp_path: Path, built: Path) -> None:
    cache = tmp_path / "cache"
    first = synthetic_inputs()
    build_layers(tmp_path / "a", progress=False, inputs=first, cache_dir=cache)
    assert first.cache is not None and first.cache.hits == 0
    assert len(list(cache.glob("geometry-*.json"))) == 1
    second = synthetic_inputs()
    second.mentions["doc-a/1/p3"] = []  # one document changed: 武汉市 no longer mentioned
    build_layers(tmp_path / "b", progress=False, inputs=second, cache_dir=cache)
    assert second.cache is not None and second.cache.hits > 0
    fresh = synthetic_inputs()
    fresh.mentions["doc-a/1/p3"] = []
    build_layers(tmp_path / "c", progress=False, inputs=fresh)  # no cache
    assert _snapshot(tmp_path / "b") == _snapshot(tmp_path / "c")
    assert "adm:420100" not in (tmp_path / "b" / "admin_prefecture.geojson").read_text(encoding="utf-8")
    third = synthetic_inputs()
    build_layers(tmp_path / "d", progress=False, inputs=third, cache_dir=cache)
    assert (
        third.cache is not None and third.cache.hits > 0 and third.cache.misses == 2
    )  # prefectures, site:nowhere
    assert _snapshot(tmp_path / "d") == _snapshot(built)
    # the cache keeps only what the last build used (it does not grow with every variant)
    assert (
        set(json.loads(next(cache.glob("geometry-*.json")).read_text(encoding="utf-8"))) == third.cache.used
    )


@pytest.mark.parametrize(
    "name, expected",
    [
        ("成都市", "cheng du shi"),
        ("丰都县", "feng du xian"),
        ("长宁县", "chang ning xian"),
        ("什邡市", "shi fang shi"),
        ("重庆市", "chong qing shi"),
        ("G93成渝环线高速", "G93 cheng yu huan xian gao su"),
    ],
)
def test_name_pinyin(name: str, expected: str) -> None:
    assert latin.pinyin(name) == expected
