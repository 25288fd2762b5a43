"""geo.mapview: offline assets only, basemaps, published display files, escaping, highlight group."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import folium
import pytest

from geo.layers.build import read_layers
from geo.viewer import highlight, mapview
from tests.support.fixture import write_fixture_layers


@pytest.fixture(scope="module")
def layerset(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return read_layers(write_fixture_layers(Path(tmp_path_factory.mktemp("fx")) / "layers"))


@pytest.fixture(scope="module")
def urls(layerset: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return mapview.publish_layers(layerset, Path(tmp_path_factory.mktemp("static")))


def _html(m: folium.Map) -> str:
    return m.get_root().render()


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'<script[^>]+src="([^"]+)"', html) + re.findall(r'<link[^>]+href="([^"]+)"', html)


def test_only_local_leaflet_no_cdn(urls: dict[str, str]) -> None:
    m = mapview.build_map(mapview.MapSpec(layer_urls=urls))
    html = _html(m)
    assets = _asset_urls(html)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert scripts == ["/app/static/leaflet/leaflet.js"]
    assert "/app/static/leaflet/leaflet.css" in assets
    # the layer files are preloaded with Leaflet (the map script's fetch takes the preloaded response)
    preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="fetch" crossorigin="anonymous">', html)
    assert preloads and set(preloads) == set(urls.values())
    assert set(assets) == {"/app/static/leaflet/leaflet.js", "/app/static/leaflet/leaflet.css", *urls.values()}
    assert not re.search(r"https?://", html.replace("https://leafletjs.com", "")), "a remote URL in the map"
    for bad in ("bootstrap", "font-awesome", "fontawesome", "awesome-markers", "jquery", "cdn"):
        assert bad not in html.lower()
    # class defaults untouched (st_folium reads the per-map ones)
    assert folium.Map.default_js[0][1].startswith("https://")


def test_basemaps(urls: dict[str, str]) -> None:
    assert "tile.openstreetmap.org" in _html(mapview.build_map(mapview.MapSpec(layer_urls=urls, basemap="osm")))
    assert "cartocdn" in _html(mapview.build_map(mapview.MapSpec(layer_urls=urls, basemap="carto")))
    assert "autonavi" in _html(mapview.build_map(mapview.MapSpec(layer_urls=urls, basemap="amap")))
    no_key = _html(mapview.build_map(mapview.MapSpec(layer_urls=urls, basemap="tianditu")))
    assert "tianditu" not in no_key  # hidden without a key: the vector basemap still draws
    keyed = _html(mapview.build_map(mapview.MapSpec(layer_urls=urls, basemap="tianditu", tianditu_key="K123")))
    assert "tk=K123" in keyed and "cva_w" in keyed


def test_layers_are_fetched_not_embedded(urls: dict[str, str], layerset: Any) -> None:
    html = _html(mapview.build_map(mapview.MapSpec(layer_urls=urls)))
    assert all(u in html for u in urls.values())
    assert "锦江区" not in html  # the geometry and names are not in the script
    assert len(html) < 30_000  # the map script (styles, legend, click picking, thematic restyling), no data


def test_config_is_script_safe(urls: dict[str, str]) -> None:
    spec = mapview.MapSpec(layer_urls=urls, docs=("</script><script>alert(1)//",), kinds=("county",),
                           kind_labels=(("county", "<b>县</b>"),))
    html = _html(mapview.build_map(spec))
    assert "</script><script>alert" not in html and "<b>县" not in html
    cfg = json.loads(re.search(r"var cfg = (\{.*?\});\n", html).group(1))
    assert cfg["docs"] == ["</script><script>alert(1)//"] and cfg["kinds"] == ["county"]
    assert cfg["labels"] == {"county": "<b>县</b>"}
    assert "esc(nm(p))" in html and "esc(label(p.kind))" in html  # tooltips are escaped in the browser
    assert cfg["lang"] == "zh"  # names in the page's language (nm: name_en in English)
    en = json.loads(re.search(r"var cfg = (\{.*?\});\n", _html(mapview.build_map(
        mapview.MapSpec(layer_urls=urls, lang="en")))).group(1))
    assert en["lang"] == "en"


def test_published_files_are_slim_and_cached(layerset: Any, tmp_path: Path) -> None:
    urls = mapview.publish_layers(layerset, tmp_path)
    assert set(urls) == set(mapview.DRAW_ORDER)
    assert all(u.startswith("/app/static/_layers/") for u in urls.values())
    path = tmp_path / urls["points"].removeprefix("/app/static/")
    fc = json.loads(path.read_text(encoding="utf-8"))
    props = fc["features"][0]["properties"]
    assert set(props) == {"id", "name", "name_en", "kind", "layer", "precision", "n", "d"}  # precision: drawn by style
    assert props["id"] == "airport:tfu" and props["n"] == 2 and props["d"] == ["plan-2021", "evil-2023"]
    mtime = path.stat().st_mtime_ns
    assert mapview.publish_layers(layerset, tmp_path) == urls
    assert path.stat().st_mtime_ns == mtime  # written once


def test_gcj02_display_shift(layerset: Any, tmp_path: Path) -> None:
    w = mapview.publish_layers(layerset, tmp_path)
    g = mapview.publish_layers(layerset, tmp_path, gcj02=True)
    assert w["points"] != g["points"]

    def point(url: str) -> list[float]:
        fc = json.loads((tmp_path / url.removeprefix("/app/static/")).read_text(encoding="utf-8"))
        return fc["features"][0]["geometry"]["coordinates"]

    (x0, y0), (x1, y1) = point(w["points"]), point(g["points"])
    assert 0.001 < x1 - x0 < 0.01 and -0.01 < y1 - y0 < 0.01  # a few hundred metres, display only
    assert layerset.collections["points"]["features"][0]["geometry"]["coordinates"] == [104.44, 30.31]


def test_highlight_group_escapes_names(layerset: Any) -> None:
    feat = json.loads(json.dumps(layerset.collections["points"]["features"][0]))
    feat["properties"]["name"] = "<img src=x onerror=alert(3)>"
    m = mapview.build_map(mapview.MapSpec(layer_urls={}))
    group = highlight.highlight_group([feat], selected="airport:tfu")
    group.add_to(m)
    html = _html(m)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(3)&gt;" in html
    assert '"permanent": true' in html


def test_fit_zoom() -> None:
    assert mapview.fit_zoom(None) == 7
    assert mapview.fit_zoom((104.4, 30.3, 104.4, 30.3)) == 10  # a point: its surroundings stay visible
    assert mapview.fit_zoom((102.0, 28.0, 110.0, 32.5)) in (6, 7)  # the whole circle
    assert mapview.fit_zoom((103.5, 30.2, 104.5, 31.0)) in (8, 9)  # a prefecture
    assert mapview.fit_zoom((104.0, 30.5, 104.2, 30.7)) == 10  # a county


def test_kind_colors_are_stable() -> None:
    assert mapview.kind_color("railway") == mapview.kind_color("highway")  # one hue per family
    assert mapview.kind_color("railway") != mapview.kind_color("zone")
    assert mapview.kind_color("something-new") == mapview.kind_color("something-new")


def test_click_highlight_in_the_browser_and_its_clearing(layerset: Any) -> None:
    html = _html(mapview.build_map(mapview.MapSpec(layer_urls={})))
    assert 'active.on("click", onPick(active))' in html and "window.__paClearSel = function" in html
    feat = layerset.collections["points"]["features"][0]

    def group_js(clear: bool) -> str:
        m = mapview.build_map(mapview.MapSpec(layer_urls={}))
        highlight.highlight_group([feat], clear_click=clear).add_to(m)
        return _html(m)

    assert "window.__paClearSel();" in group_js(True)
    assert "if (window.__paClearSel)" not in group_js(False)


def test_precision_reaches_the_map_and_approximate_points_are_hollow() -> None:
    """The published display features carry each point's precision and each line's dash flag, as the
    real layers have them, and the map script draws approximate points as rings (no fill)."""
    real = read_layers()
    points = [mapview.display_feature(f) for f in real.collections["points"]["features"]]
    precisions = {f["properties"]["precision"] for f in points}
    assert "approximate point" in precisions and precisions - {"approximate point"}  # both kinds occur
    lines = [(f, mapview.display_feature(f)) for f in real.collections["lines"]["features"]]
    assert {d["properties"].get("s") for f, d in lines if f["properties"]["precision"] == "schematic"} == {1}
    routed = [d for f, d in lines if f["properties"]["precision"].startswith("routed on")
              and f["properties"].get("status") == "existing"]
    assert routed and all("s" not in d["properties"] for d in routed)  # real courses solid
    html = _html(mapview.build_map(mapview.MapSpec(layer_urls={})))
    assert 'p.precision === "approximate point"' in html and "out.fillOpacity = 0" in html


def test_a_selected_area_is_labelled_at_a_point_well_inside_it() -> None:
    """宜宾市's selection label sits inside its boundary (the real layers), away from the edge; a point
    keeps its tooltip beside it; the label is permanent and escaped."""
    from shapely.geometry import Point, shape

    real = read_layers(Path(__file__).resolve().parents[1] / "layers")
    feature = next(f for f in real.collections["admin_prefecture"]["features"] if f["id"] == "adm:511500")
    lon, lat = highlight.label_point(feature["geometry"])
    area = shape(feature["geometry"])
    assert area.contains(Point(lon, lat))
    assert area.boundary.distance(Point(lon, lat)) > 0.1  # degrees: well inside, not on an edge
    assert highlight.label_point({"type": "Point", "coordinates": [104.6, 28.8]}) is None
    group = highlight.highlight_group([feature], selected="adm:511500")
    html = folium.Map().add_child(group).get_root().render()
    assert html.count('"permanent": true') == 1 and "宜宾市" in html


def test_highlight_group_is_the_same_on_every_rerun(layerset: Any) -> None:
    """The highlight's parts are kept per feature between reruns; rendering (folium may renumber the
    features of a layer) must not change what the next rerun draws."""
    feats = [json.loads(json.dumps(f)) for f in layerset.collections["points"]["features"][:2]]
    feats[0]["geometry"] = {"type": "MultiPoint", "coordinates": [[104.1, 30.6], [104.2, 30.7]]}
    sel = feats[0]["id"]
    for _ in range(2):
        m = mapview.build_map(mapview.MapSpec(layer_urls={}))
        group = highlight.highlight_group(feats, selected=sel)
        group.add_to(m)
        html = _html(m)
        layers = [c for c in group._children.values() if hasattr(c, "data")]
        assert [len(c.data["features"]) for c in layers] == [1, 2]  # the others, then the selection on top
        assert {f["properties"]["id"] for f in layers[-1].data["features"]} == {sel}
        assert html.count('"permanent": true') == 1


def test_tooltip_names_cannot_end_folium_template_literal() -> None:
    """folium writes a Tooltip's text into a JS template literal: a backtick or ${ in a name is
    written as an entity, so the name shows literally and no script runs."""
    hostile = {"type": "Feature", "id": "x:1", "properties": {"id": "x:1", "name": "a`+alert(1)+`${alert(2)}<b>"},
               "geometry": {"type": "Point", "coordinates": [104.0, 30.6]}}
    for group in (highlight.highlight_group([hostile], selected="x:1"),
                  highlight.session_group({"type": "FeatureCollection", "features": [hostile]})):
        html = folium.Map().add_child(group).get_root().render()
        literals = re.findall(r"bindTooltip\(\s*`(.*?)`", html, re.S)
        assert literals and all("a&#96;+alert(1)+&#96;&#36;{alert(2)}&lt;b&gt;" in t for t in literals), literals
