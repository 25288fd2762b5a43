"""geo.viewer.presenter (what presenter mode shows) and geo.viewer.mapimage_view on the real layers/."""

from __future__ import annotations

import json
import re

import pytest
from shapely.geometry import Point, shape

from geo.layers import read_layers
from geo.viewer import mapimage_view, presenter
from geo.viewer.data import Catalog
from geo.viewer.state import ViewState

GANGYAO = "2020-chengyu-gangyao"


@pytest.fixture(scope="module")
def real() -> tuple:
    ls = read_layers()
    return ls, Catalog.from_layerset(ls)


def test_document_steps_are_its_clauses_with_places_in_order(real) -> None:
    ls, cat = real
    title, steps, doc = presenter.subject(cat, ViewState(docs=(GANGYAO,), presenter=True))
    assert doc == GANGYAO and title == cat.documents[GANGYAO]["title"]
    expected = [c["id"] for c in ls.index["clauses"] if c["doc_id"] == GANGYAO and c["mentions"]]
    assert steps == expected and len(steps) > 50


def test_selection_steps_are_the_places_clauses(real) -> None:
    _, cat = real
    title, steps, doc = presenter.subject(cat, ViewState(selected="composite:wandakai", docs=(GANGYAO,)))
    assert doc is None and title == "万达开川渝统筹发展示范区"
    assert steps and all(cat.clauses[c]["doc_id"] == GANGYAO for c in steps)
    assert all("composite:wandakai" in cat.clause_place_ids(c) for c in steps)


def test_payload_places_cities_legend_and_exit(real) -> None:
    ls, cat = real
    vs = ViewState(docs=("2023-wandakai-plan",), presenter=True, clause=None)
    data = presenter.payload(ls, cat, vs, {"admin_province": "/app/static/x.json"}, title="我的标题")
    assert data["title"] == "我的标题"
    for s in data["steps"]:
        assert s["places"] and all(p in data["places"] for p in s["places"])
        assert len(s["text"]) <= presenter.CAPTION_CHARS
    # every anchor lies on its place (inside a polygon, on a point or a line)
    feats = {f["id"]: f for fc in ls.collections.values() for f in fc["features"]}
    for pid, p in data["places"].items():
        lat, lon = p["at"]
        assert shape(feats[pid]["geometry"]).distance(Point(lon, lat)) < 0.01, pid
    cities = {c["name"]: c for c in data["cities"]}
    chongqing_seat = next(f for f in ls.collections["admin_county"]["features"] if f["properties"]["name"] == "渝中区")
    assert shape(chongqing_seat["geometry"]).contains(Point(cities["重庆"]["at"][1], cities["重庆"]["at"][0]))
    assert "成都" in cities
    assert {k["kind"] for k in data["legend"]} == {p["kind"] for p in data["places"].values()}
    assert "presenter" not in data["exit"] and "docs=2023-wandakai-plan" in data["exit"]
    fills = data["choropleth"]["fill"]
    assert len(fills) == len(ls.collections["admin_county"]["features"])


def test_page_html_cannot_be_closed_by_data(real) -> None:
    ls, cat = real
    data = presenter.payload(ls, cat, ViewState(docs=(GANGYAO,)), {}, title="</script><script>alert(1)</script>")
    html = presenter.page_html(data)
    assert "<script>alert(1)" not in html
    cfg = re.search(r"const CFG = (.*?);</script>", html, re.S).group(1)
    assert "<" not in cfg and json.loads(cfg)["title"] == "</script><script>alert(1)</script>"


def test_map_image_view_follows_the_app_state(real) -> None:
    _, cat = real
    vs = ViewState(docs=(GANGYAO,), selected="adm:510100", clause=f"{GANGYAO}/preface/p1")
    view = mapimage_view.image_view(cat, vs, "http://example.test:8501/?x=1")
    assert view.title.startswith(cat.documents[GANGYAO]["title"]) and view.title.endswith("成都市")
    assert view.filt.docs == frozenset({GANGYAO})
    assert view.selected[0] == "adm:510100" and set(cat.clause_place_ids(vs.clause)) <= set(view.selected)
    assert view.permalink.startswith("http://example.test:8501/?") and "sel=adm%3A510100" in view.permalink
