"""The app without a browser (streamlit.testing AppTest), streamlit_folium.st_folium patched.

The patched st_folium records its arguments (the folium map, the highlight group, center/zoom)
and returns what the browser would after a click. Real-corpus tests run on layers/; the escaping
tests on the synthetic fixture, whose document contains <script> and <img onerror>.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from geo.layers.build import read_layers
from geo.viewer.data import Catalog, default_layers_dir
from geo.viewer.state import from_query_params
from tests.support.apptest import APP, FakeMap, markdown_text, run_app
from tests.support.fixture import write_fixture_layers


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.from_layerset(read_layers(default_layers_dir()))


@pytest.fixture()
def fixture_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_fixture_layers(tmp_path / "layers")
    monkeypatch.setenv("PLAN_ATLAS_ROOT", str(tmp_path))
    return tmp_path


def _busiest(catalog: Catalog) -> str:
    """The most-mentioned place that has a feature (and a clause with at least two places)."""
    ranked = sorted((p for p in catalog.places.values() if p.bbox and p.clause_ids),
                    key=lambda p: (-p.mention_count, p.id))
    return ranked[0].id


# --- real corpus -----------------------------------------------------------------------------------


def test_first_view_offline_map_and_empty_panel(fake: FakeMap) -> None:
    at = run_app()
    assert fake.calls, "the map was not drawn"
    kw = fake.last
    assert set(kw["returned_objects"]) >= {"last_active_drawing"}
    html = kw["fig"].get_root().render()
    assert "/app/static/leaflet/leaflet.js" in html and "cdn" not in html.lower()
    assert len(html) < 40_000  # geometry is fetched from /app/static, not embedded (the script: picking, legend)
    assert any("点击地图上的要素" in i.value for i in at.info)


def test_click_shows_clauses_of_the_place(fake: FakeMap, catalog: Catalog) -> None:
    pid = _busiest(catalog)
    place = catalog.places[pid]
    fake.click(pid)
    at = run_app()
    md = markdown_text(at)
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
    at = run_app()
    first = next(b for b in at.button if b.label == "显示本条地点")
    clause_id = first.key.removeprefix("cp:")
    first.click().run()
    assert not at.exception
    expected = [catalog.places[i].name for i in catalog.clause_place_ids(clause_id) if i in catalog.features]
    names = fake.highlighted_names()
    assert set(expected) <= set(names) and len(expected) >= 1
    assert at.query_params["clause"] == clause_id
    assert "pa-clause-places" in markdown_text(at)


def test_document_filter_reaches_map_and_panel(fake: FakeMap, catalog: Catalog) -> None:
    pid = _busiest(catalog)
    doc_id = catalog.places[pid].doc_ids[0]
    fake.click(pid)
    at = run_app()
    at.multiselect(key="w_docs").set_value([doc_id]).run()
    assert not at.exception
    assert fake.config()["docs"] == [doc_id]
    assert at.query_params["docs"] == doc_id
    md = markdown_text(at)
    assert md.count('<div class="pa-doc">') == 1
    title = catalog.documents[doc_id]["title"]
    assert title.replace("<", "&lt;") in md


def test_kind_toggle_reaches_map(fake: FakeMap, catalog: Catalog) -> None:
    at = run_app()
    kinds = catalog.kinds()
    at.multiselect(key="w_kinds").set_value(kinds[:1]).run()
    assert fake.config()["kinds"] == kinds[:1]
    assert at.query_params["layers"] == kinds[0]


def test_search_flies_to_and_selects(fake: FakeMap, catalog: Catalog) -> None:
    pid = _busiest(catalog)
    place = catalog.places[pid]
    at = run_app()
    at.text_input(key="w_search").input(place.name).run()
    hit = at.button(key=f"hit:{pid}")
    hit.click().run()
    assert not at.exception
    assert at.query_params["sel"] == pid
    assert f"<h3>{place.name}</h3>" in markdown_text(at)
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
    at = run_app(params)
    assert from_query_params(dict(at.query_params)) == from_query_params(params)  # URL unchanged
    p = catalog.places[pid]  # the English view: the English name, the Chinese one beside it
    assert f"<h3>{p.name_en} <span class=\"pa-meta\" lang=\"zh\">{p.name}</span></h3>" in markdown_text(at)
    assert fake.last["center"] == [30.5, 104.2] and fake.last["zoom"] == 9
    assert fake.config()["docs"] == [doc_id]
    assert "cartocdn" in fake.last["fig"].get_root().render()
    assert any(b.label == "Show its places" for b in at.button)
    assert catalog.places[pid].name in fake.highlighted_names()


def test_presenter_mode_is_a_view_of_its_own(fake: FakeMap) -> None:
    at = run_app({"presenter": "1", "docs": "2020-chengyu-gangyao"})
    # geo.viewer.presenter draws its own map over the page; the page's map beneath is the normal one
    assert '"zoomControl": false' not in fake.last["fig"].get_root().render()
    md = markdown_text(at)
    assert "stSidebar" in md and 'iframe[title="st.iframe"]' in md  # chrome hidden, frame fills the window


def test_reader_links_select_on_the_map(fake: FakeMap, catalog: Catalog) -> None:
    doc_id = next(d for d, cl in catalog.clauses_by_doc.items()
                  if any(catalog.clauses[c]["mentions"] for c in cl))
    at = run_app({"view": "reader", "doc": doc_id})
    md = markdown_text(at)
    assert '<div class="pa-reader">' in md
    link = re.search(r'<a href="(\?[^"]+)" target="_self"><mark', md).group(1)
    params = dict(p.split("=", 1) for p in link[1:].replace("&amp;", "&").split("&"))
    assert "sel" in params and "view" not in params and params.get("doc") == doc_id


# --- escaping (synthetic hostile document) ----------------------------------------------------------


def test_hostile_texts_are_shown_literally(fake: FakeMap, fixture_root: Path) -> None:
    at = run_app({"sel": "airport:tfu"})
    md = markdown_text(at)
    assert "<script" not in md.replace("<style>", "") and "<img" not in md
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "&lt;img src=x onerror=alert(2)&gt;" in md  # an alias from the gazetteer
    html = fake.last["feature_group_to_add"]
    assert html is not None
    at = run_app({"view": "reader", "doc": "evil-2023"})
    md = markdown_text(at)
    assert "<script" not in md and "<img" not in md and "<i>" not in md
    assert "恶意&lt;script&gt;" in md


def test_basemaps_gaode_shifts_display_data_and_tianditu_needs_a_key(
    fake: FakeMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    at = run_app()
    assert "天地图" not in at.selectbox(key="w_basemap").options  # hidden without a key
    # the key is a deployer's business: said in the README, never in the interface
    assert not any("TIANDITU_KEY" in c.value for c in at.caption)
    assert "TIANDITU_KEY" in (Path(APP).parent / "README.md").read_text(encoding="utf-8")
    at.selectbox(key="w_basemap").set_value("amap").run()
    html = fake.last["fig"].get_root().render()
    assert "autonavi" in html and "-gcj02.json" in html
    assert at.query_params["basemap"] == "amap"
    monkeypatch.setenv("TIANDITU_KEY", "k-test")
    at = run_app({"basemap": "tianditu"})
    assert "天地图" in at.selectbox(key="w_basemap").options
    assert "tk=k-test" in fake.last["fig"].get_root().render()


def test_downloads_and_their_exports(fake: FakeMap, catalog: Catalog) -> None:
    from geo.export import export_bytes
    from geo.viewer.app import visible_place_ids
    from geo.viewer.state import ViewState

    at = run_app()
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
    groups = {g.layer_name: g for g in fake.last["feature_group_to_add"]}
    assert list(groups) == ["selection", "upload", "review", "thematic"]  # the review form's group: no request here
    m = fake.last["fig"]
    groups["upload"].add_to(m)
    html = m.get_root().render()
    assert "&lt;b&gt;新地点&lt;/b&gt;" in html and "<b>新地点" not in html
    at = run_app({"view": "upload"})
    assert at.get("file_uploader")


def test_every_kind_on_the_map_has_a_label_in_both_languages(catalog: Catalog) -> None:
    from geo.viewer.i18n import STRINGS

    missing = [(lang, k) for k in catalog.kinds() for lang in ("zh", "en") if f"kind:{k}" not in STRINGS[lang]]
    assert not missing, missing


def test_missing_offline_assets_are_reported(fake: FakeMap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.viewer.app as viewapp

    monkeypatch.setattr(viewapp, "STATIC_DIR", tmp_path)
    at = run_app()
    assert any("python -m geo assets" in e.value for e in at.error)


def test_layers_rebuild_is_picked_up_without_restart(fixture_root: Path, fake: FakeMap) -> None:
    import os

    at = run_app({"sel": "site:evil"})
    assert "<h3>" in markdown_text(at)
    index = fixture_root / "layers" / "index.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    data["places"]["site:evil"]["name"] = "重建后的名字"
    index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    manifest = fixture_root / "layers" / "manifest.json"
    os.utime(manifest, ns=(manifest.stat().st_atime_ns, manifest.stat().st_mtime_ns + 10**9))
    at = run_app({"sel": "site:evil"})
    assert "<h3>重建后的名字</h3>" in markdown_text(at)


def test_tianditu_key_from_secrets(fake: FakeMap, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["TIANDITU_KEY"] = "s-key"
    at.query_params["basemap"] = "tianditu"
    at.run()
    assert not at.exception
    assert "天地图" in at.selectbox(key="w_basemap").options
    assert "tk=s-key" in fake.last["fig"].get_root().render()


# --- issue 11: language, provenance, pagination, internal strings ------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_language_switch_keeps_layers_filters_and_selection(fake: FakeMap, catalog: Catalog, lang: str) -> None:
    pid = _busiest(catalog)
    doc_id = catalog.places[pid].doc_ids[0]
    kinds = catalog.kinds()[:3]
    params = {"sel": pid, "docs": doc_id, "layers": ",".join(kinds), "basemap": "carto"}
    if lang == "en":
        params["lang"] = "en"
    at = run_app(params)
    other = "zh" if lang == "en" else "en"
    for target in (other, lang):
        at.radio(key="w_lang").set_value(target).run()
        assert not at.exception
        q = dict(at.query_params)
        assert q.get("sel") == pid and q.get("docs") == doc_id and q.get("basemap") == "carto", q
        assert q.get("layers") == ",".join(kinds), q
        assert fake.config()["kinds"] == kinds and fake.config()["docs"] == [doc_id]
        p = catalog.places[pid]  # the heading follows the language
        heading = f"<h3>{p.name}</h3>" if target == "zh" else f"<h3>{p.name_en} <span"
        assert heading in markdown_text(at)
        assert at.selectbox(key="w_basemap").value == "carto"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_provenance_is_a_document_and_clause_not_a_file(fake: FakeMap, catalog: Catalog, lang: str) -> None:
    pid = next(p.id for p in catalog.places.values() if p.source.startswith("text: ") and p.clause_ids)
    at = run_app({"sel": pid, "lang": lang})
    md = markdown_text(at)
    prov = re.search(r'data-testid="pa-provenance">(.*?)</div>', md).group(1)
    assert ".txt" not in md and " L" not in prov
    file = re.match(r"text: (\S+)", catalog.places[pid].source).group(1)
    titles = [str(d["title"] if lang == "zh" else d["title_en"]) for d in catalog.documents.values()
              if any(s.get("file") == file for s in d.get("sources") or [])]  # the title in the language
    assert any(title in prov for title in titles), prov
    assert ("几何来源：依据《" if lang == "zh" else "Geometry source: From “") in prov


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_clause_limit_load_more(fake: FakeMap, catalog: Catalog, lang: str) -> None:
    pid = next(p.id for p in catalog.places.values() if p.name == "宜宾市")
    total = len(catalog.places[pid].clause_ids)
    assert total > 40
    at = run_app({"sel": pid, "lang": lang})
    assert markdown_text(at).count('<div class="pa-clause">') == 40
    more = at.button(key=f"more:{pid}")
    assert more.label == ("再显示 {} 条" if lang == "zh" else "Show {} more").format(min(40, total - 40))
    more.click().run()
    assert not at.exception
    assert markdown_text(at).count('<div class="pa-clause">') == total
    assert not [b for b in at.button if b.key == f"more:{pid}"]
    shown = ("共 {t} 条，已显示 {t} 条" if lang == "zh" else "{t} of {t} shown").format(t=total)
    assert any(c.value == shown for c in at.caption)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_upload_table_and_errors_speak_the_interface_language(lang: str) -> None:
    from types import SimpleNamespace

    from geo.errors import InputFileError
    from geo.viewer.i18n import STRINGS
    from geo.viewer.upload_view import error_message, places_rows

    result = SimpleNamespace(places=[{"name": "宜宾港", "kind": "port", "layer": "points", "mention_count": 2,
                                      "precision": "approximate point"}])
    row = places_rows(result, lang)[0]
    assert list(row.values()) == ["宜宾港", STRINGS[lang]["kind:port"], STRINGS[lang]["layer:points"], 2,
                                  STRINGS[lang]["prec:approximate point"]]
    assert not {"port", "points", "approximate point"} & {str(v) for v in row.values()}
    assert error_message(InputFileError("x.txt: not a text file"), lang) == STRINGS[lang]["err_input"]


def test_deploy_button_hidden() -> None:
    import tomllib

    config = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] in ("viewer", "minimal")


def test_first_view_fits_the_circle_and_a_link_keeps_its_view(fake: FakeMap, catalog: Catalog) -> None:
    at = run_app()
    w, s, e, n = catalog.places["composite:chengyu-circle"].bbox
    assert fake.config()["fit"] == [[s, w], [n, e]]
    html = fake.last["fig"].get_root().render()
    assert "path.leaflet-interactive:focus{outline:none}" in html  # no black focus rectangle
    assert "calc(100vh" in markdown_text(at) and "st-key-pa_panel" in markdown_text(at)  # sized from the viewport
    run_app({"lat": "30.5", "lon": "104.2", "z": "9"})
    assert fake.config()["fit"] is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_what_is_here_after_a_click_in_wanzhou(fake: FakeMap, catalog: Catalog, lang: str) -> None:
    from shapely.geometry import shape

    wanzhou = next(p.id for p in catalog.places.values() if p.name == "万州区")
    at_pt = shape(catalog.features[wanzhou]["geometry"]).representative_point()
    at = run_app({"lang": lang} if lang == "en" else None)
    fake.click(wanzhou, lat=at_pt.y, lng=at_pt.x)
    at.run()
    assert not at.exception
    title = ("这里有什么（" if lang == "zh" else "What is here (")
    exp = [e for e in at.expander if e.label.startswith(title)]
    assert exp, [e.label for e in at.expander]
    buttons = [b for b in at.button if b.key and b.key.startswith("here:")]
    names = [catalog.places[b.key.removeprefix("here:")].name for b in buttons]
    for b, name in zip(buttons, names, strict=True):  # in English: "Wanzhou District 万州区 · County"
        place = catalog.places[b.key.removeprefix("here:")]
        assert b.label.split(" · ")[0] == (name if lang == "zh" else f"{place.name_en} {name}"), b.label
    for name in ("万州区", "重庆市", "万达开川渝统筹发展示范区", "成渝地区双城经济圈"):
        assert name in names, names
    assert names.index("万州区") < names.index("重庆市") < names.index("成渝地区双城经济圈")  # specific first
    # an entry selects that place; the list stays
    at.button(key="here:composite:wandakai").click().run()
    assert at.query_params["sel"] == "composite:wandakai"
    assert ("<h3>万达开川渝统筹发展示范区</h3>" if lang == "zh" else "万达开川渝统筹发展示范区</span></h3>") in markdown_text(at)
    assert [b for b in at.button if b.key == "here:adm:500000"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_yibin_dossier_includes_its_port_and_new_area(fake: FakeMap, catalog: Catalog, lang: str) -> None:
    yibin = next(p.id for p in catalog.places.values() if p.name == "宜宾市")
    own = len(catalog.places[yibin].clause_ids)
    at = run_app({"sel": yibin, "lang": lang})
    toggle = at.toggle(key=f"dossier:{yibin}")
    assert toggle.label.startswith("包括区域内的" if lang == "zh" else "Include the")
    toggle.set_value(True).run()
    assert not at.exception
    more = [b for b in at.button if b.key == f"more:{yibin}"]
    while more:  # every page
        more[0].click().run()
        more = [b for b in at.button if b.key == f"more:{yibin}"]
    md = markdown_text(at)
    # a section for 宜宾港 with its count; 三江新区 named (and marked) in the dossier
    head = "宜宾港" if lang == "zh" else "Yibin Port 宜宾港"
    assert re.search(rf'<div class="pa-sec" data-place="port:yibin"><b>{head}</b>.*?(\d+)', md)
    assert '<mark data-place="new_area:sanjiang">' in md
    total = md.count('<div class="pa-clause">')
    assert total > own  # more than the city's own clauses
    shown = ("共 {t} 条，已显示 {t} 条" if lang == "zh" else "{t} of {t} shown").format(t=total)
    assert any(c.value == shown for c in at.caption)
    clause_ids = [b.key for b in at.button if b.key and b.key.startswith("cp:")]
    assert len(clause_ids) == len(set(clause_ids)) == total


def test_an_address_changed_by_back_restores_that_view(
    fake: FakeMap, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.viewer.app as viewer_app

    at = run_app({"sel": "adm:511500"})
    at.text_input(key="w_search").input("宜宾港").run()
    at.button(key="hit:port:yibin").click().run()
    assert at.query_params["sel"] == "port:yibin"
    # the browser goes back: Streamlit reruns with the older query string, marked as a history navigation
    monkeypatch.setattr(viewer_app, "history_navigation", lambda: True)
    at.query_params.clear()
    at.query_params["sel"] = "adm:511500"
    at.run()
    assert not at.exception
    assert "<h3>宜宾市</h3>" in markdown_text(at) and at.query_params["sel"] == "adm:511500"
    assert "宜宾市" in fake.highlighted_names()
    # a rerun without navigation keeps the session's own view
    monkeypatch.setattr(viewer_app, "history_navigation", lambda: False)
    at.run()
    assert at.query_params["sel"] == "adm:511500"


def test_a_rerun_carrying_an_older_address_is_not_a_navigation(
    fake: FakeMap, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A rerun can be asked for before the browser applied the address the last run wrote (a widget
    # changed, or the map reported its move, in between): it carries the address before. That is not
    # Back: the view stays, and the older address is not written again (a second history entry for the
    # view, which could land after a real Back and put the view the user left back in the address).
    import geo.viewer.app as viewer_app

    monkeypatch.setattr(viewer_app, "history_navigation", lambda: False)
    at = run_app({"sel": "adm:511500"})
    at.text_input(key="w_search").input("宜宾港").run()
    at.button(key="hit:port:yibin").click().run()
    assert at.query_params["sel"] == "port:yibin"
    at.query_params.clear()
    at.query_params["sel"] = "adm:511500"  # the address before, carried by a late rerun
    at.run()
    assert not at.exception
    assert "<h3>宜宾港</h3>" in markdown_text(at)  # the user's selection stays
    assert at.query_params["sel"] == "adm:511500"  # nothing written: the browser already shows 宜宾港
    # an address this session never wrote is followed even without the mark (a link's own address)
    at.query_params.clear()
    at.query_params["sel"] = "adm:510100"
    at.run()
    assert "<h3>成都市</h3>" in markdown_text(at) and at.query_params["sel"] == "adm:510100"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_show_its_places_fits_the_map_and_names_the_document(fake: FakeMap, catalog: Catalog, lang: str) -> None:
    pid = _busiest(catalog)
    at = run_app({"sel": pid, "lang": lang})
    first = next(b for b in at.button if b.key and b.key.startswith("cp:"))
    clause_id = first.key.removeprefix("cp:")
    first.click().run()
    assert not at.exception
    head = re.search(r'data-testid="pa-clause-places">(.*?)</div>', markdown_text(at)).group(1)
    doc = catalog.documents[catalog.clauses[clause_id]["doc_id"]]
    title = doc["title"] if lang == "zh" else doc["title_en"]  # the document's title in the language
    assert title in head and clause_id not in head
    boxes = [catalog.places[i].bbox for i in catalog.clause_place_ids(clause_id) if catalog.places[i].bbox]
    lat = (min(b[1] for b in boxes) + max(b[3] for b in boxes)) / 2
    lon = (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2
    assert fake.last["center"] == [lat, lon]  # the map flies to fit all of the clause's places


def test_streamlit_config_parses() -> None:
    """.streamlit/config.toml is valid TOML (a repeated table makes Streamlit ignore the whole file:
    no localhost binding, no hidden Deploy button)."""
    import tomllib

    cfg = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["server"]["address"] == "127.0.0.1" and cfg["client"]["toolbarMode"] == "viewer"


def _presenter_cfg(at: AppTest) -> dict[str, Any]:
    srcdoc = at.get("iframe")[0].proto.srcdoc
    return json.loads(re.search(r"const CFG = (\{.*?\});</script>", srcdoc).group(1))


def test_presenter_title_is_kept_in_the_permalink(fake: FakeMap) -> None:
    doc = "2020-chengyu-gangyao"
    at = run_app({"presenter": "1", "docs": doc, "ptitle": "我的<b>标题</b>\n第二行"})
    assert at.query_params["ptitle"] == "我的<b>标题</b> 第二行"  # cleaned, kept in the address
    srcdoc = at.get("iframe")[0].proto.srcdoc
    assert "<b>标题" not in srcdoc  # in the page's JSON as \u003cb\u003e, set as text by presenter.js
    assert _presenter_cfg(at)["title"] == "我的<b>标题</b> 第二行"
    assert "ptitle=" in markdown_text(at)  # the page's permalink carries it
    # presenter.js writes the edited title into the address in place; the next run takes it from there
    at.query_params["ptitle"] = "成渝 · 交通"
    at.run()
    assert not at.exception and _presenter_cfg(at)["title"] == "成渝 · 交通"
    assert at.query_params["ptitle"] == "成渝 · 交通" and at.query_params["presenter"] == "1"
    # the edit is no navigation: switching presenter mode off still works (and keeps the title)
    at.toggle(key="w_presenter").set_value(False).run()
    assert not at.exception and "presenter" not in at.query_params and not at.get("iframe")
    assert at.query_params["ptitle"] == "成渝 · 交通"
    at.toggle(key="w_presenter").set_value(True).run()
    assert _presenter_cfg(at)["title"] == "成渝 · 交通"


def _thematic_data(fake: FakeMap) -> Any:
    groups = fake.last["feature_group_to_add"]
    assert groups[-1].layer_name == "thematic"
    m = fake.last["fig"]
    groups[-1].add_to(m)
    html = m.get_root().render()
    return json.loads(re.search(r"window\.__paThematicWant = (.*?);if", html).group(1))


def test_thematic_map_from_the_sidebar(fake: FakeMap) -> None:
    at = run_app({"docs": "2020-chengyu-gangyao"})
    assert _thematic_data(fake) is None
    config = fake.config()
    at.selectbox(key="w_thematic").set_value("county").run()
    assert not at.exception and at.query_params["thematic"] == "county"
    data = _thematic_data(fake)
    assert data["layer"] == "admin_county" and len(data["classes"]) >= 3 and data["symbols"]
    assert fake.config() == config  # the map script is unchanged: the map is not re-mounted
    at.selectbox(key="w_thematic").set_value("prefecture").run()
    assert _thematic_data(fake)["layer"] == "admin_prefecture"
    at.selectbox(key="w_thematic").set_value("off").run()
    assert _thematic_data(fake) is None and "thematic" not in at.query_params


def test_thematic_theme_and_period_from_the_sidebar(fake: FakeMap) -> None:
    at = run_app({"thematic": "county"})
    assert not at.exception
    every = _thematic_data(fake)
    config = fake.config()
    at.selectbox(key="w_ttheme").set_value("交通").run()
    assert not at.exception and at.query_params["ttheme"] == "交通"
    transport = _thematic_data(fake)
    assert transport["fill"] != every["fill"] and "交通" in transport["title"]
    assert fake.config() == config  # only the thematic group changed: the map is not re-mounted
    lo, hi = at.select_slider(key="w_tperiod").value
    assert lo < hi
    at.select_slider(key="w_tperiod").set_value((hi, hi)).run()
    assert not at.exception and at.query_params["tsince"] == at.query_params["tuntil"] == str(hi)
    dated = _thematic_data(fake)
    assert dated["fill"] != transport["fill"] and f"{hi}年" in dated["title"]
    assert fake.config() == config
    at.selectbox(key="w_thematic").set_value("off").run()
    assert _thematic_data(fake) is None
