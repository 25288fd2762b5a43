"""geo.viewer.mapframe: the map page and the feature-group scripts the map element sends.

The element re-mounts the map when the page text changes and re-runs the groups when their text
changes, so both must be the same text for the same map on every rerun (folium names elements
with random ids). The browser behaviour (clicks, groups, moves) is tested in tests/e2e.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from geo.layers.build import read_layers
from geo.viewer import highlight, mapframe, mapview
from tests.support.fixture import write_fixture_layers


@pytest.fixture(scope="module")
def layerset(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return read_layers(write_fixture_layers(Path(tmp_path_factory.mktemp("fx")) / "layers"))


@pytest.fixture(scope="module")
def spec(layerset: Any, tmp_path_factory: pytest.TempPathFactory) -> mapview.MapSpec:
    return mapview.MapSpec(layer_urls=mapview.publish_layers(layerset, Path(tmp_path_factory.mktemp("static"))))


def _features(layerset: Any, n: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for fc in layerset.collections.values():
        out += [f for f in fc["features"] if f.get("geometry")]
    return out[:n]


def test_same_map_same_page_on_every_rerun(spec: mapview.MapSpec) -> None:
    a = mapframe.map_page(mapview.build_map(spec))
    b = mapframe.map_page(mapview.build_map(spec))
    assert a == b
    assert not re.search(r"_[0-9a-f]{32}(?![0-9a-f])", a), "a random folium element name left in the page"
    # the Leaflet map is the page's global `map_pa`, on the element of that id
    assert f'id="{mapframe.MAP_VAR}"' in a and f"var {mapframe.MAP_VAR} = L.map(" in a


def test_a_different_map_gives_a_different_page(spec: mapview.MapSpec) -> None:
    import dataclasses

    other = dataclasses.replace(spec, kinds=("city",))
    assert mapframe.map_page(mapview.build_map(spec)) != mapframe.map_page(mapview.build_map(other))


def test_group_script_is_stable_and_replaces_the_last_groups(spec: mapview.MapSpec, layerset: Any) -> None:
    feats = _features(layerset, 3)

    def script(fs: list[dict[str, Any]]) -> str:
        fmap = mapview.build_map(spec)
        mapframe.map_page(fmap)
        return mapframe.group_script([highlight.highlight_group(fs)], fmap)

    first = script(feats)
    assert first == script(feats)
    assert first != script(feats[:1])
    assert not re.search(r"_[0-9a-f]{32}(?![0-9a-f])", first)
    # added to the live map and listed, so that the next set of groups removes it
    assert f"{mapframe.MAP_VAR}.addLayer(feature_group_pa_group_0)" in first
    assert "window.__paGroups.push(feature_group_pa_group_0)" in first
    # the features themselves are in the script (JSON, non-ASCII escaped)
    name = str(feats[0]["properties"]["name"])
    assert json.dumps(name)[1:-1] in first


def test_the_page_loads_only_local_assets(spec: mapview.MapSpec) -> None:
    page = mapframe.map_page(mapview.build_map(spec))
    srcs = re.findall(r'<script[^>]+src="([^"]+)"', page) + re.findall(r'<link[^>]+href="([^"]+)"', page)
    assert srcs and all(s.startswith("/app/static/") for s in srcs)
