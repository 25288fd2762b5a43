"""The viewer's catalog from layers/atlas.sqlite (geo.viewer.store_catalog) equals the one from
index.json on the real layers/; the panel and reader give the same HTML, and the downloads the same
bytes, from either."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.export import FORMATS, export_bytes
from geo.layers import read_layers
from geo.viewer import panel
from geo.viewer.data import Catalog, default_layers_dir
from geo.viewer.store_catalog import LazyClauses, StoreIndex, load_catalog, store_layerset


def test_store_catalog_equals_the_index_catalog() -> None:
    layers = default_layers_dir()
    old = Catalog.from_layerset(read_layers(layers))
    layerset, new = load_catalog(layers)
    assert layerset.index == {}  # index.json was not read
    assert isinstance(new.clauses, LazyClauses)
    assert new.places == old.places and new.documents == old.documents
    assert new.default_layers == old.default_layers and new.features.keys() == old.features.keys()
    for doc in old.documents:
        assert new.clauses_by_doc[doc] == old.clauses_by_doc[doc]
    for cid, c in old.clauses.items():
        assert {k: v for k, v in new.clauses[cid].items() if k != "themes"} == c
    assert "no/such/clause" not in new.clauses and new.clauses.get("no/such/clause") is None
    assert len(new.clauses) == len(old.clauses)


def test_panel_and_reader_html_are_the_same_from_either_catalog() -> None:
    layers = default_layers_dir()
    old = Catalog.from_layerset(read_layers(layers))
    _, new = load_catalog(layers)
    for pid in ("adm:500101", "adm:510100", "composite:chengyu-circle"):
        assert panel.clauses_for_place(new, pid) == [
            (d, [dict(c, themes=new.clauses[c["id"]]["themes"]) for c in cl]) for d, cl in panel.clauses_for_place(old, pid)
        ]
    href = lambda pid: f"?sel={pid}"  # noqa: E731
    for doc in ("2020-chengyu-gangyao", "2023-wandakai-plan"):
        assert panel.reader_html(new, doc, href) == panel.reader_html(old, doc, href)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("subset", [{}, {"doc_id": "2023-wandakai-plan"}, {"kind": "railway"}])
def test_exports_from_the_store_equal_exports_from_index_json(fmt: str, subset: dict) -> None:
    """The viewer's downloads export from atlas.sqlite (StoreIndex): the same bytes as from index.json."""
    layers = default_layers_dir()
    from_store = store_layerset(layers)
    assert from_store is not None and isinstance(from_store.index, StoreIndex)
    assert export_bytes(from_store, fmt, **subset) == export_bytes(read_layers(layers), fmt, **subset)


def test_cli_export_and_map_read_the_store_not_index_json(tmp_path: Path) -> None:
    """`geo export` and `geo map` query atlas.sqlite: they work on a layers folder whose index.json is
    gone, and give the same export bytes as from index.json."""
    import shutil

    from geo.cli.main import main

    layers = default_layers_dir()
    copy = tmp_path / "layers"
    shutil.copytree(layers, copy)
    (copy / "index.json").unlink()
    out = tmp_path / "wdk.geojson"
    assert main(["export", "--format", "geojson", "--doc", "2023-wandakai-plan", "--layers", str(copy),
                 "-o", str(out)]) == 0
    assert out.read_bytes() == export_bytes(read_layers(layers), "geojson", doc_id="2023-wandakai-plan")
    png = tmp_path / "wdk.png"
    assert main(["map", "--doc", "2023-wandakai-plan", "--format", "png", "--layers", str(copy),
                 "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_clause_count_is_queried_once_per_open_store() -> None:
    """The download section asks `len(catalog.clauses)` on every full rerun: one COUNT(*) per store."""
    _, catalog = load_catalog(default_layers_dir())
    clauses = catalog.clauses
    assert isinstance(clauses, LazyClauses)
    calls: list[str] = []
    rows = clauses.store.rows

    def counting(sql: str, *args, **kw):
        calls.append(sql)
        return rows(sql, *args, **kw)

    clauses.store.rows = counting  # type: ignore[method-assign]
    n = len(clauses)
    assert n == len(Catalog.from_layerset(read_layers(default_layers_dir())).clauses)
    assert len(clauses) == n and len(clauses) == n
    assert sum("COUNT(*)" in s for s in calls) == 1
