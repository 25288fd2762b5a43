"""geo.render.classify and geo.render.thematic on the real layers/ (the committed build of data/)."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from shapely.geometry import shape

from geo.errors import RenderError
from geo.layers import read_layers, rfc7946_problems
from geo.render import (
    MentionFilter,
    choropleth,
    classify,
    jenks_breaks,
    place_mentions,
    proportional_symbols,
    quantile_breaks,
    thematic_collections,
    thematic_index,
)


@pytest.fixture(scope="module")
def layerset():
    return read_layers()


def _sse(groups: list[list[float]]) -> float:
    return sum(sum((v - sum(g) / len(g)) ** 2 for v in g) for g in groups if g)


def _groups(x: list[float], breaks: list[float]) -> list[list[float]]:
    out, lo = [], float("-inf")
    for b in breaks:
        out.append([v for v in x if lo < v <= b])
        lo = b
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_jenks_is_the_exhaustive_optimum(seed: int) -> None:
    rnd = random.Random(seed)
    x = sorted(rnd.choice([1, 2, 3, 5, 8, 13, 21, 40, 41, 90]) + rnd.random() for _ in range(11))
    best = min(
        _sse(_groups(x, [x[i - 1] for i in cut] + [x[-1]]))
        for cut in itertools.combinations(range(1, len(x)), 3)
    )
    got = jenks_breaks(x, 4)
    assert len(got) == 4 and got[-1] == x[-1]
    assert _sse(_groups(x, got)) == pytest.approx(best)


def test_quantiles_split_evenly_and_classes_cover_values() -> None:
    x = list(range(1, 101))
    assert quantile_breaks(x, 4) == [25, 50, 75, 100]
    cls = classify([0, 0, *x], "quantiles", 4)
    assert [cls.class_of(v) for v in (0, 1, 25, 26, 100)] == [0, 1, 1, 2, 4]
    assert cls.legend()[0][0] == "0" and cls.label(2) == "26–50"
    with pytest.raises(RenderError, match="unknown classification"):
        classify(x, "equal")


def test_own_mentions_match_the_layers_mention_count(layerset) -> None:
    for level, layer in (("county", "admin_county"), ("prefecture", "admin_prefecture")):
        ch = choropleth(layerset, level)
        built = {f["id"]: f["properties"]["mention_count"] for f in layerset.collections[layer]["features"]}
        got = {f["id"]: f["properties"]["mentions_own"] for f in ch.collection["features"] if f["id"] in built}
        assert got == built


def test_points_and_areas_inside_a_county_count_toward_it(layerset) -> None:
    """Independent containment in WGS-84: a county's inside count is the mentions of the points (all
    parts of a multipoint) and of the areas (95 % of the surface) lying in it."""
    counties = [(f["id"], shape(f["geometry"])) for f in layerset.collections["admin_county"]["features"]]
    expected: dict[str, int] = {}
    for f in layerset.collections["points"]["features"]:
        parts = list(getattr(shape(f["geometry"]), "geoms", [shape(f["geometry"])]))
        homes = {next((cid for cid, poly in counties if poly.intersects(pt)), None) for pt in parts}
        if len(homes) == 1 and None not in homes:
            (cid,) = homes
            expected[cid] = expected.get(cid, 0) + f["properties"]["mention_count"]
    for f in layerset.collections["regions"]["features"]:
        area = shape(f["geometry"])
        for cid, poly in counties:
            if poly.intersects(area) and poly.intersection(area).area >= 0.95 * area.area:
                expected[cid] = expected.get(cid, 0) + f["properties"]["mention_count"]
    got = {f["id"]: f["properties"]["mentions_inside"] for f in choropleth(layerset, "county").collection["features"]}
    assert sum(expected.values()) > 500
    assert {c: n for c, n in got.items() if n} == expected


def test_counties_and_inner_areas_roll_up_to_their_prefecture(layerset) -> None:
    pref = {f["properties"]["name"]: f["properties"] for f in choropleth(layerset, "prefecture").collection["features"]}
    county = choropleth(layerset, "county").collection["features"]
    chengdu_counties = sum(f["properties"]["mentions"] for f in county if f["properties"]["adcode"].startswith("5101"))
    assert pref["成都市"]["mentions_inside"] >= chengdu_counties > 0
    # 直辖市 are prefecture-level units; 重庆中心城区 lies within 重庆 and counts there, 渝广 (重庆+广安) does not
    cq = pref["重庆市"]
    counts = place_mentions(layerset)
    assert cq["mentions_inside"] >= counts["composite:chongqing-core"] + sum(
        f["properties"]["mentions"] for f in county if f["properties"]["adcode"].startswith("50")
    )
    share = choropleth(layerset, "prefecture", composites="share").counts
    assert share["adm:511600"].shared > 0  # 广安 gets its part of 渝广, 重庆市's 川渝 …


def test_document_and_period_filters_partition_the_counts(layerset) -> None:
    total = {f["id"]: f["properties"]["mentions"] for f in choropleth(layerset).collection["features"]}
    docs = [d["id"] for d in layerset.index["documents"]]
    summed = dict.fromkeys(total, 0)
    for d in docs:
        for f in choropleth(layerset, filt=MentionFilter(docs=frozenset({d}))).collection["features"]:
            summed[f["id"]] += f["properties"]["mentions"]
    assert summed == total
    early = choropleth(layerset, filt=MentionFilter(until="2022")).counts
    late = choropleth(layerset, filt=MentionFilter(since="2023-01-01")).counts
    undated = {d["id"] for d in layerset.index["documents"] if not d.get("date")}
    if not undated:
        assert all(early[u].total + late[u].total == total[u] for u in total)
    assert any(late[u].total for u in total) and any(early[u].total for u in total)
    late_docs = {d for c in late.values() for d in c.doc_ids}
    dates = {d["id"]: d["date"] for d in layerset.index["documents"]}
    assert late_docs and all(dates[d] >= "2023" for d in late_docs)


def test_a_composite_is_shared_over_its_members_only_when_asked(layerset) -> None:
    only = MentionFilter(clause=lambda c: any(m[2] == "composite:wandakai" for m in c["mentions"]))
    assert all(c.shared == 0 for c in choropleth(layerset, "county", only).counts.values())
    with_share = choropleth(layerset, "county", only, composites="share").counts
    assert sum(c.shared for c in with_share.values()) > 0
    shares = thematic_index(layerset).shared["county"]["composite:wandakai"]
    assert sum(shares.values()) == pytest.approx(1.0, abs=0.02)
    names = {f["id"]: f["properties"]["name"] for f in layerset.collections["admin_county"]["features"]}
    dazhou = {f["id"] for f in layerset.collections["admin_county"]["features"] if f["properties"]["adcode"].startswith("5117")}
    big = {u for u, s in shares.items() if s >= 0.01}
    assert {names[u] for u in big} >= {"万州区", "开州区", "宣汉县"}
    assert big <= dazhou | {u for u in names if names[u] in ("万州区", "开州区")}


def test_collections_are_valid_geojson_with_consistent_classes(layerset) -> None:
    fcs = thematic_collections(layerset, method="quantiles", k=5)
    assert set(fcs) == {"choropleth_county", "choropleth_prefecture"}
    for name, fc in fcs.items():
        assert rfc7946_problems(json.loads(json.dumps(fc))) == [], name
        feats = fc["features"]
        for f in feats:
            p = f["properties"]
            assert p["mentions"] == pytest.approx(p["mentions_own"] + p["mentions_inside"] + p["mentions_shared"])
            assert (p["class"] == 0) == (p["mentions"] == 0)
        by_class: dict[int, list[float]] = {}
        for f in feats:
            by_class.setdefault(f["properties"]["class"], []).append(f["properties"]["mentions"])
        ordered = [by_class[k] for k in sorted(by_class)]
        assert all(max(a) < min(b) for a, b in itertools.pairwise(ordered))


def test_proportional_symbols_area_follows_mentions(layerset) -> None:
    fc = proportional_symbols(layerset, MentionFilter(docs=frozenset({"2023-wandakai-plan"})))
    feats = fc["features"]
    assert feats and all(f["geometry"]["type"] in ("Point", "MultiPoint") for f in feats)
    wdk = {c["id"] for c in layerset.index["clauses"] if c["doc_id"] == "2023-wandakai-plan"}
    assert all(set(f["properties"]["clause_ids"]) & wdk for f in feats)
    big = [f for f in feats if f["properties"]["radius"] > 3.0]
    for a, b in itertools.pairwise(big):
        ra, rb = a["properties"]["radius"], b["properties"]["radius"]
        assert ra**2 / rb**2 == pytest.approx(a["properties"]["mentions"] / b["properties"]["mentions"], rel=0.02)


def test_theme_filter_uses_the_clause_themes_of_the_atlas() -> None:
    from geo.query.layerset import open_layerset
    from geo.render import theme_filter

    clauses = list(open_layerset().index["clauses"])  # streamed from layers/atlas.sqlite, with `themes`
    assert clauses and all("themes" in c for c in clauses)
    transport = theme_filter("交通")
    kept = [c for c in clauses if transport(c)]
    assert kept and all("交通" in c["themes"] for c in kept)
    assert len(kept) == sum("交通" in c["themes"] for c in clauses)
    # the themes, not the words: some clauses mention 交通 without being on it, or the other way round
    word = [c for c in clauses if "交通" in " ".join(c["path"]) + c["text"]]
    assert {c["id"] for c in word} != {c["id"] for c in kept}
    # a record without `themes` (an index.json of another build) falls back to the text
    assert transport({"path": ["交通"], "text": ""}) and not transport({"path": ["产业"], "text": "工厂"})
    assert not transport({"path": ["交通"], "text": "", "themes": ["产业"]})
