"""geo.viewer.thematic_view: the main map's thematic map (choropleth classes, symbols, the script group)
on the real layers/ (the viewer's full layer set: atlas.sqlite's clauses behind index.json's shape)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import folium
import pytest

from geo.layers import read_layers
from geo.render import MentionFilter, choropleth, proportional_symbols
from geo.viewer import mapview, thematic_view
from geo.viewer.data import default_layers_dir
from geo.viewer.store_catalog import store_layerset

GANGYAO = "2020-chengyu-gangyao"


@pytest.fixture(scope="module")
def layerset() -> Any:
    return store_layerset(Path(default_layers_dir())) or read_layers()


def _data(html: str) -> Any:
    return json.loads(re.search(r"window\.__paThematicWant = (.*?);if", html).group(1))


def test_county_payload_matches_the_choropleth(layerset: Any) -> None:
    data = thematic_view.payload(layerset, "county", (GANGYAO,), "zh")
    ch = choropleth(layerset, "county", MentionFilter(docs=frozenset({GANGYAO})))
    assert data["layer"] == "admin_county"
    county_ids = {f["id"] for f in layerset.collections["admin_county"]["features"]}
    assert set(data["fill"]) == county_ids  # every county polygon the map holds gets a class
    for f in ch.collection["features"]:
        assert data["colors"][data["fill"][f["id"]]] == f["properties"]["fill"]
    assert [tuple(c) for c in data["classes"]] == ch.classification.legend()
    assert len(data["classes"]) >= 3 and data["classes"][0][0] == "0"
    assert len(set(data["fill"].values())) == len(data["classes"])  # every class is used
    assert data["title"] == "各区县提及次数"


def test_document_filter_changes_the_counts(layerset: Any) -> None:
    one = thematic_view.payload(layerset, "prefecture", (GANGYAO,), "en")
    every = thematic_view.payload(layerset, "prefecture", None, "en")
    assert one["layer"] == "admin_prefecture" and one["title"] == "Mentions per prefecture"
    assert one["fill"] != every["fill"] or one["classes"] != every["classes"]


def test_symbols_are_the_point_places_by_mentions(layerset: Any) -> None:
    data = thematic_view.payload(layerset, "county", (GANGYAO,), "zh")
    ps = proportional_symbols(layerset, MentionFilter(docs=frozenset({GANGYAO})))["features"]
    assert data["symbols"] and len(data["symbols"]) == len(ps)
    radii = [s[2] for s in data["symbols"]]
    assert radii == sorted(radii, reverse=True)  # largest first: small ones draw on top
    names = {f["properties"]["name"] for f in ps}
    for lat, lon, _, name, n in data["symbols"]:
        assert name in names and n >= 1
        assert 20 < lat < 35 and 100 < lon < 112  # in and around the economic circle (WGS-84)


def test_gcj02_shifts_only_the_symbols(layerset: Any) -> None:
    w = thematic_view.payload(layerset, "county", (GANGYAO,), "zh")
    g = thematic_view.payload(layerset, "county", (GANGYAO,), "zh", mapview.gcj02_shift())
    assert g["fill"] == w["fill"]
    dlat, dlon = g["symbols"][0][0] - w["symbols"][0][0], g["symbols"][0][1] - w["symbols"][0][1]
    assert 0 < abs(dlat) + abs(dlon) < 0.02


def test_group_is_a_script_safe_for_any_name() -> None:
    data = {"layer": "admin_county", "fill": {"adm:1": 1}, "colors": ["#eee", "#f00"],
            "classes": [["0", "#eee"], ["1", "#f00"]], "title": "</script><script>alert(1)</script>",
            "symbols": [[30.0, 104.0, 5.0, "<img src=x onerror=alert(2)>", 3]], "symbolsLabel": "&", "method": "jenks",
            "symbolColor": "#00f"}
    m = mapview.build_map(mapview.MapSpec(layer_urls={}))
    thematic_view.group(data).add_to(m)
    html = m.get_root().render()
    assert "</script><script>alert" not in html and "<img src=x" not in html
    assert _data(html) == data
    # the map script writes every text with esc(): the legend and nothing else of the payload as HTML
    assert "esc(them.title)" in html and "esc(c[0])" in html and "esc(them.symbolsLabel)" in html


def test_off_sends_null_and_the_map_script_does_not_change(layerset: Any) -> None:
    m = folium.Map(tiles=None)
    thematic_view.group(None).add_to(m)
    assert _data(m.get_root().render()) is None
    # the thematic map is not part of the map spec: switching it re-mounts nothing
    assert "thematic" not in {f.name for f in mapview.MapSpec.__dataclass_fields__.values()}


def test_unknown_level_is_refused(layerset: Any) -> None:
    with pytest.raises(ValueError, match="county, prefecture"):
        thematic_view.payload(layerset, "province", None, "zh")


def test_a_theme_counts_only_its_clauses(layerset: Any) -> None:
    from geo.render import thematic_index

    idx = thematic_index(layerset)
    every = idx.counts("county", thematic_view.mention_filter(None))
    transport = idx.counts("county", thematic_view.mention_filter(None, "交通"))
    assert all(transport[u].total <= every[u].total for u in every)
    assert any(transport[u].total < every[u].total for u in every)
    assert any(transport[u].total for u in every)
    themed = {c["id"] for c in layerset.index["clauses"] if "交通" in (c.get("themes") or ())}
    assert set().union(*(c.clause_ids for c in transport.values())) <= themed
    a = thematic_view.payload(layerset, "county", None, "en")
    b = thematic_view.payload(layerset, "county", None, "en", theme="交通")
    assert a["fill"] != b["fill"]
    assert b["title"] == "Mentions per county · theme: Transport"
    assert thematic_view.payload(layerset, "county", None, "zh", theme="交通")["title"] == "各区县提及次数 · 主题：交通"


def test_a_period_counts_only_the_documents_dated_in_it(layerset: Any) -> None:
    from geo.render import thematic_index

    years = thematic_view.document_years(layerset.index["documents"])
    assert len(years) >= 2
    y = years[1]
    counts = thematic_index(layerset).counts("county", thematic_view.mention_filter(None, since=y, until=y))
    dates = {d["id"]: str(d.get("date") or "") for d in layerset.index["documents"]}
    docs = set().union(*(c.doc_ids for c in counts.values()))
    assert docs and all(dates[d].startswith(str(y)) for d in docs)
    data = thematic_view.payload(layerset, "county", None, "zh", since=y, until=y)
    assert data["fill"] != thematic_view.payload(layerset, "county", None, "zh")["fill"]
    assert data["title"] == f"各区县提及次数 · {y}年"
    assert thematic_view.title("county", "en", "交通", years[0], y).endswith(f"theme: Transport · {years[0]}–{y}")


def test_theme_choices_are_the_themes_of_the_table() -> None:
    from geo.layers import load_themes

    assert thematic_view.theme_options() == ("",) + tuple(load_themes().names)
    assert thematic_view.theme_label("", "en") == "All themes" and thematic_view.theme_label("交通", "zh") == "交通"
    assert thematic_view.theme_label("交通", "en") == "Transport"


def test_open_periods_are_named() -> None:
    assert thematic_view.period_label(2021, None, "zh") == "2021年起"
    assert thematic_view.period_label(None, 2022, "en") == "up to 2022"
    assert thematic_view.period_label(2021, 2023, "zh") == "2021–2023年"
    assert thematic_view.period_label(None, None, "en") == ""
