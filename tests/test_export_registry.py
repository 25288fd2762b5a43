"""The export format registry: a toy format registered in a few lines shows up in the CLI
(`geo export --help` choices, `--format toy`) and in the app's download list; the download list
names every download for people (zh and en), with file names, MIME types and sizes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.cli import main
from geo.errors import LayersError
from geo.export import FORMATS, Format, Selection, download_list, register, unregister
from geo.layers import LayerSet, build_layers, read_layers
from geo.viewer.i18n import t
from tests.support.layers_common import synthetic_inputs


@pytest.fixture(scope="module")
def layers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("registry") / "layers"
    build_layers(out, progress=False, inputs=synthetic_inputs())
    return out


@pytest.fixture(scope="module")
def ls(layers_dir: Path) -> LayerSet:
    return read_layers(layers_dir)


def _ids_per_line(sel: Selection) -> bytes:  # the toy writer: one place id per line
    return "".join(f["id"] + "\n" for feats in sel.by_layer.values() for f in feats).encode()


@pytest.fixture
def toy() -> Iterator[Format]:
    fmt = register(Format("toy", ".toy", "text/plain", "format:toy", _ids_per_line, text=True,
                          description="place ids, one per line"))
    yield fmt
    unregister("toy")


def test_a_registered_format_is_in_the_cli(toy: Format, tmp_path: Path, layers_dir: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    help_text = capsys.readouterr().out
    assert "{geojson,geojson-zip,gpkg,csv,kml,toy}" in help_text and "place ids, one per line" in help_text
    out = tmp_path / "ids.toy"
    assert main(["export", "--layers", str(layers_dir), "--format", "toy", "--kind", "county", "-o", str(out)]) == 0
    ids = out.read_text().split()
    counties = read_layers(layers_dir).collections["admin_county"]["features"]
    assert ids == sorted(f["id"] for f in counties)


def test_a_registered_format_is_in_the_download_list(toy: Format, ls: LayerSet) -> None:
    items = {d.key: d for d in download_list(ls, lambda k, **kw: t(k, "en", **kw))}
    item = items["all:toy"]
    assert (item.filename, item.mime) == ("plan-atlas.toy", "text/plain")
    assert sorted(item.data().decode().split()) == sorted(f["id"] for f in ls.features())
    unregister("toy")
    assert "all:toy" not in {d.key for d in download_list(ls, lambda k, **kw: t(k, "en", **kw))}


def test_registry_rejects_duplicates_and_unknown_names(ls: LayerSet) -> None:
    with pytest.raises(LayersError, match="already registered"):
        register(Format("gpkg", ".gpkg", "x/y", "format:gpkg", _ids_per_line))
    assert FORMATS["gpkg"].writer is not _ids_per_line
    assert main(["export", "--format", "toy", "-o", "-"]) == 1  # not registered (any more)


def test_downloads_are_named_for_people(ls: LayerSet) -> None:
    zh = download_list(ls, lambda k, **kw: t(k, "zh", **kw), filter_ids=["adm:510100", "airport:ctu"],
                       selection_ids=["airport:ctu"])
    labels = {d.key: d.label for d in zh}
    assert labels["all:gpkg"] == "全部图层 GeoPackage（QGIS）"
    assert labels["layer:lines"] == "铁路、公路、河流与走廊（线） GeoJSON"
    assert labels["all:csv"] == "地点提及表 CSV"
    assert not any("_" in label for label in labels.values())  # no internal names
    en = {d.key: d.label for d in download_list(ls, lambda k, **kw: t(k, "en", **kw))}
    assert en["all:gpkg"] == "All layers GeoPackage (QGIS)"
    items = {d.key: d for d in zh}
    # a filter spanning two layers is a zip (one file per layer); one place is a plain GeoJSON
    assert items["filter"].filename.endswith(".zip") and items["filter"].mime == "application/zip"
    sel = items["selection"]
    assert sel.filename.endswith(".geojson")
    assert [f["id"] for f in json.loads(sel.data())["features"]] == ["airport:ctu"]
    for d in zh:
        assert d.size == len(d.data()) > 0
    # every export layer with features has its own GeoJSON, each of one geometry type
    for d in zh:
        if d.key.startswith("layer:"):
            types = {f["geometry"]["type"] for f in json.loads(d.data())["features"]}
            assert len(types) == 1, (d.key, types)


def test_warm_makes_the_files_in_the_background(ls: LayerSet) -> None:
    from geo.export.downloads import warm

    items = download_list(ls, lambda k, **kw: t(k, "en", **kw), filter_ids=["adm:510100", "airport:ctu"])
    thread = warm(items)
    if thread is not None:  # (None: an earlier test already made every file)
        thread.join(timeout=120)
    sizes = [d.size_if_ready for d in items]
    assert all(s is not None and s > 0 for s in sizes)
    assert sizes == [len(d.data()) for d in items]
    assert warm(items) is None  # nothing left to make


def test_made_files_are_kept_within_a_byte_budget(ls: LayerSet, monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-process cache of made files stays within CACHE_BYTES (oldest out first); a file larger
    than half the budget is made on every request and never kept."""
    from geo.export import downloads as dl

    items = download_list(ls, lambda k, **kw: t(k, "en", **kw))
    sizes = {d.key: len(d.data()) for d in items}
    small = sorted(sizes.values())[len(sizes) // 2]
    monkeypatch.setattr(dl, "CACHE_BYTES", 3 * small)
    monkeypatch.setattr(dl, "_CACHE", type(dl._CACHE)())
    for d in items:
        assert d.data()  # made (and kept only while it fits)
        assert sum(len(v) for v in dl._CACHE.values()) <= 3 * small
    big = max(items, key=lambda d: sizes[d.key])
    assert sizes[big.key] > 1.5 * small and big.size_if_ready is None  # too large to keep


def test_background_files_only_for_a_corpus_of_ordinary_size() -> None:
    from geo.viewer.data import Catalog, default_layers_dir
    from geo.viewer.downloads import WARM_MAX_CLAUSES, warm_wanted

    real = Catalog.from_layerset(read_layers(default_layers_dir()))
    assert warm_wanted(len(real.clauses))  # the embedded corpus: files ready before a click
    assert not warm_wanted(100 * len(real.clauses)) and 100 * len(real.clauses) > WARM_MAX_CLAUSES
