"""The app without a browser (streamlit.testing AppTest), streamlit_folium.st_folium patched.

The patched st_folium records its arguments (the folium map, the highlight group, center/zoom)
and returns what the browser would after a click. Real-corpus tests run on layers/; the escaping
tests on the synthetic fixture, whose document contains <script> and <img onerror>.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from streamlit.testing.v1 import AppTest

from geo.layers.build import read_layers
from geo.viewer.data import Catalog, default_layers_dir
from geo.viewer.state import from_query_params
from tests.support.fixture import write_fixture_layers

APP = str(Path(__file__).resolve().parent.parent / "app.py")


class FakeMap:
    """Stands in for streamlit_folium.st_folium."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.value: dict[str, Any] | None = None

    def __call__(self, fig: Any, **kw: Any) -> dict[str, Any] | None:
        self.calls.append({"fig": fig, **kw})
        return self.value

    def click(self, place_id: str, lat: float = 30.0, lng: float = 104.0) -> None:
        self.value = {
            "last_active_drawing": {"type": "Feature", "properties": {"id": place_id}, "geometry": None},
            "last_object_clicked": {"lat": lat, "lng": lng},
            "center": {"lat": 30.1, "lng": 105.3},
            "zoom": 7,
        }

    @property
    def last(self) -> dict[str, Any]:
        return self.calls[-1]

    def config(self) -> dict[str, Any]:
        html = self.last["fig"].get_root().render()
        return json.loads(re.search(r"var cfg = (\{.*?\});\n", html).group(1))

    def highlighted_names(self) -> list[str]:
        groups = self.last["feature_group_to_add"]
        group = groups[0] if isinstance(groups, list) else groups  # the selection comes first
        out = []
        for gj in group._children.values():
            if hasattr(gj, "data"):  # GeoJson children (the group also holds a small script element)
                out += [f["properties"]["name"] for f in gj.data["features"]]
        return out


@pytest.fixture()
def fake() -> Iterator[FakeMap]:
    fm = FakeMap()
    with patch("streamlit_folium.st_folium", fm):
        yield fm


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.from_layerset(read_layers(default_layers_dir()))


@pytest.fixture()
def fixture_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_fixture_layers(tmp_path / "layers")
    monkeypatch.setenv("PLAN_ATLAS_ROOT", str(tmp_path))
    return tmp_path


def _run(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def _md(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _busiest(catalog: Catalog) -> str:
    """The most-mentioned place that has a feature (and a clause with at least two places)."""
    ranked = sorted((p for p in catalog.places.values() if p.bbox and p.clause_ids),
                    key=lambda p: (-p.mention_count, p.id))
    return ranked[0].id


# --- real corpus -----------------------------------------------------------------------------------


def test_first_view_offline_map_and_empty_panel(fake: FakeMap) -> None:
    at = _run()
    assert fake.calls, "the map was not drawn"
    kw = fake.last
    assert set(kw["returned_objects"]) >= {"last_active_drawing"}
    html = kw["fig"].get_root().render()
    assert "/app/static/leaflet/leaflet.js" in html and "cdn" not in html.lower()
    assert len(html) < 30_000  # geometry is fetched from /app/static, not embedded
    assert any("点击地图上的要素" in i.value for i in at.info)


def test_click_shows_clauses_of_the_place(fake: FakeMap, catalog: Catalog) -> None:
    pid = _busiest(catalog)
    place = catalog.places[pid]
    fake.click(pid)
    at = _run()
    md = _md(at)
    assert f"<h3>{place.name}</h3>" in md
    assert '<div class="pa-clause">' in md and f'<mark data-place="{pid}">' in md
    assert at.query_params["sel"] == pid
    # a clicked place is highlighted by the map itself: the Python highlight group stays as it was,
    # so the map element is not re-sent (a search selection is drawn by the group: see below)
    at.run()
    assert place.name not in fake.highlighted_names()
    # panel documents come in date order
    titles = re.findall(r'<div class="pa-doc">', md)
    assert titles


def test_show_its_places_highlights_all_places_of_the_clause(fake: FakeMap, catalog: Catalog) -> None:
    pid = _busiest(catalog)
    fake.click(pid)
    at = _run()
    first = next(b for b in at.button if b.label == "显示本条地点")
    clause_id = first.key.removeprefix("cp:")
    first.click().run()
    assert not at.exception
    expected = [catalog.places[i].name for i in catalog.clause_place_ids(clause_id) if i in catalog.features]
    names = fake.highlighted_names()
    assert set(expected) <= set(names) and len(expected) >= 1
    assert at.query_params["clause"] == clause_id
    assert "pa-clause-places" in _md(at)


def test_document_filter_reaches_map_and_panel(fake: FakeMap, catalog: Catalog) -> None:
    pid = _busiest(catalog)
    doc_id = catalog.places[pid].doc_ids[0]
    fake.click(pid)
    at = _run()
    at.multiselect(key="w_docs").set_value([doc_id]).run()
    assert not at.exception
    assert fake.config()["docs"] == [doc_id]
    assert at.query_params["docs"] == doc_id
    md = _md(at)
    assert md.count('<div class="pa-doc">') == 1
    title = catalog.documents[doc_id]["title"]
    assert title.replace("<", "&lt;") in md


def test_kind_toggle_reaches_map(fake: FakeMap, catalog: Catalog) -> None:
    at = _run()
    kinds = catalog.kinds()
    at.multiselect(key="w_kinds").set_value(kinds[:1]).run()
    assert fake.config()["kinds"] == kinds[:1]
    assert at.query_params["layers"] == kinds[0]


def test_search_flies_to_and_selects(fake: FakeMap, catalog: Catalog) -> None:
    pid = _busiest(catalog)
    place = catalog.places[pid]
    at = _run()
    at.text_input(key="w_search").input(place.name).run()
    hit = at.button(key=f"hit:{pid}")
    hit.click().run()
    assert not at.exception
    assert at.query_params["sel"] == pid
    assert f"<h3>{place.name}</h3>" in _md(at)
    center = fake.last["center"]
    assert center is not None and abs(center[0] - place.center[0]) < 1e-6
    assert fake.last["zoom"] >= 4
    assert place.name in fake.highlighted_names()


def test_permalink_reopens_the_view(fake: FakeMap, catalog: Catalog) -> None:
    pid = _busiest(catalog)
    clause_id = catalog.places[pid].clause_ids[0]
    doc_id = catalog.clauses[clause_id]["doc_id"]
    params = {"sel": pid, "clause": clause_id, "docs": doc_id, "lat": "30.5", "lon": "104.2", "z": "9",
              "basemap": "carto", "lang": "en"}
    at = _run(params)
    assert from_query_params(dict(at.query_params)) == from_query_params(params)  # URL unchanged
    assert f"<h3>{catalog.places[pid].name}</h3>" in _md(at)
    assert fake.last["center"] == [30.5, 104.2] and fake.last["zoom"] == 9
    assert fake.config()["docs"] == [doc_id]
    assert "cartocdn" in fake.last["fig"].get_root().render()
    assert any(b.label == "Show its places" for b in at.button)
    assert catalog.places[pid].name in fake.highlighted_names()


def test_presenter_mode_is_a_view_of_its_own(fake: FakeMap) -> None:
    at = _run({"presenter": "1", "docs": "2020-chengyu-gangyao"})
    # geo.viewer.presenter draws its own map over the page; the page's map beneath is the normal one
    assert '"zoomControl": false' not in fake.last["fig"].get_root().render()
    assert fake.config()["labelIds"] == []
    md = _md(at)
    assert "stSidebar" in md and 'iframe[title="st.iframe"]' in md  # chrome hidden, frame fills the window


def test_reader_links_select_on_the_map(fake: FakeMap, catalog: Catalog) -> None:
    doc_id = next(d for d, cl in catalog.clauses_by_doc.items()
                  if any(catalog.clauses[c]["mentions"] for c in cl))
    at = _run({"view": "reader", "doc": doc_id})
    md = _md(at)
    assert '<div class="pa-reader">' in md
    link = re.search(r'<a href="(\?[^"]+)" target="_self"><mark', md).group(1)
    params = dict(p.split("=", 1) for p in link[1:].replace("&amp;", "&").split("&"))
    assert "sel" in params and "view" not in params and params.get("doc") == doc_id


# --- escaping (synthetic hostile document) ----------------------------------------------------------


def test_hostile_texts_are_shown_literally(fake: FakeMap, fixture_root: Path) -> None:
    at = _run({"sel": "airport:tfu"})
    md = _md(at)
    assert "<script" not in md.replace("<style>", "") and "<img" not in md
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "&lt;img src=x onerror=alert(2)&gt;" in md  # an alias from the gazetteer
    html = fake.last["feature_group_to_add"]
    assert html is not None
    at = _run({"view": "reader", "doc": "evil-2023"})
    md = _md(at)
    assert "<script" not in md and "<img" not in md and "<i>" not in md
    assert "恶意&lt;script&gt;" in md


def test_basemaps_gaode_shifts_display_data_and_tianditu_needs_a_key(
    fake: FakeMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    at = _run()
    assert "天地图" not in at.selectbox(key="w_basemap").options  # hidden without a key
    assert any("TIANDITU_KEY" in c.value for c in at.caption)  # with a hint
    at.selectbox(key="w_basemap").set_value("amap").run()
    html = fake.last["fig"].get_root().render()
    assert "autonavi" in html and "-gcj02.json" in html
    assert at.query_params["basemap"] == "amap"
    monkeypatch.setenv("TIANDITU_KEY", "k-test")
    at = _run({"basemap": "tianditu"})
    assert "天地图" in at.selectbox(key="w_basemap").options
    assert "tk=k-test" in fake.last["fig"].get_root().render()


def test_downloads_and_their_exports(fake: FakeMap, catalog: Catalog) -> None:
    from geo.export import export_bytes
    from geo.viewer.app import visible_place_ids
    from geo.viewer.state import ViewState

    at = _run()
    labels = [b.label for b in at.get("download_button")]
    assert any("GeoPackage" in x for x in labels) and any("CSV" in x for x in labels)
    assert sum("GeoJSON" in x for x in labels) >= 6  # each layer + the current filter
    doc_id = next(iter(catalog.documents))
    ids = visible_place_ids(catalog, ViewState(docs=(doc_id,)))
    assert ids and all(doc_id in catalog.places[i].doc_ids for i in ids)
    fc = json.loads(export_bytes(read_layers(default_layers_dir()), "geojson", place_ids=ids))
    assert {f["id"] for f in fc["features"]} == set(ids)


def test_uploaded_plan_is_drawn_as_a_session_layer(fake: FakeMap) -> None:
    from types import SimpleNamespace

    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "x:1", "properties": {"id": "x:1", "name": "<b>新地点</b>"},
         "geometry": {"type": "Point", "coordinates": [104.0, 30.6]}}]}
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["upload:result"] = (("plan.txt", "sha"), SimpleNamespace(feature_collection=fc))
    at.run()
    assert not at.exception
    groups = fake.last["feature_group_to_add"]
    assert len(groups) == 2
    m = fake.last["fig"]
    groups[1].add_to(m)
    html = m.get_root().render()
    assert "&lt;b&gt;新地点&lt;/b&gt;" in html and "<b>新地点" not in html
    at = _run({"view": "upload"})
    assert at.get("file_uploader")


def test_every_kind_on_the_map_has_a_label_in_both_languages(catalog: Catalog) -> None:
    from geo.viewer.i18n import STRINGS

    missing = [(lang, k) for k in catalog.kinds() for lang in ("zh", "en") if f"kind:{k}" not in STRINGS[lang]]
    assert not missing, missing


def test_missing_offline_assets_are_reported(fake: FakeMap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.viewer.app as viewapp

    monkeypatch.setattr(viewapp, "STATIC_DIR", tmp_path)
    at = _run()
    assert any("python -m geo assets" in e.value for e in at.error)


def test_layers_rebuild_is_picked_up_without_restart(fixture_root: Path, fake: FakeMap) -> None:
    import os

    at = _run({"sel": "site:evil"})
    assert "<h3>" in _md(at)
    index = fixture_root / "layers" / "index.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    data["places"]["site:evil"]["name"] = "重建后的名字"
    index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    manifest = fixture_root / "layers" / "manifest.json"
    os.utime(manifest, ns=(manifest.stat().st_atime_ns, manifest.stat().st_mtime_ns + 10**9))
    at = _run({"sel": "site:evil"})
    assert "<h3>重建后的名字</h3>" in _md(at)


def test_tianditu_key_from_secrets(fake: FakeMap, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["TIANDITU_KEY"] = "s-key"
    at.query_params["basemap"] = "tianditu"
    at.run()
    assert not at.exception
    assert "天地图" in at.selectbox(key="w_basemap").options
    assert "tk=s-key" in fake.last["fig"].get_root().render()
