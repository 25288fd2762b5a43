"""The breadth tables (data/gazetteer/breadth_*.csv, made by scripts/gazetteer_breadth.py; issue 15).

The names the issue lists as misses on unseen plans are found and resolve to places of the right
kind; every breadth row names its source; no breadth row takes a surface form another table
already uses; the national highway numbers do not fire inside 国道 numbers (G210).
"""

from __future__ import annotations

import csv

import pytest

from geo import settings
from geo.places import Extractor, load_gazetteer

BREADTH = sorted(settings.GAZETTEER_DIR.glob("breadth_*.csv"))


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(load_gazetteer())


@pytest.mark.parametrize(
    "name, kind",
    [
        ("焦柳铁路", "railway"), ("湘桂铁路", "railway"), ("黔桂铁路", "railway"), ("湛江港", "port"),
        ("洋浦港", "port"), ("青藏高原", "region"), ("云贵高原", "region"), ("安宁河谷", "region"),
        ("东北亚", "bloc"), ("简州新城", "zone"), ("渝东新城", "zone"), ("亚欧通道", "corridor"),
        ("成绵广高速", "highway"),
    ],
)
def test_names_from_unseen_plans_are_found(ex: Extractor, name: str, kind: str) -> None:
    text = f"规划提出，加快推进{name}建设。"
    ms = ex.extract(text)
    assert [(m.start, m.end) for m in ms] == [(9, 9 + len(name))], ms
    assert ex.place(ms[0].place_id).kind == kind


def test_breadth_rows_name_their_source() -> None:
    assert {p.name for p in BREADTH} >= {"breadth_airports.csv", "breadth_rivers.csv", "breadth_lines.csv"}
    gaz = load_gazetteer()
    for path in BREADTH:
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                assert row["provenance"], (path.name, row["id"])
                if path.name == "breadth_airports.csv":
                    assert row["recipe"] == f"airport:{row['id'].split(':')[1].upper()}"
                    assert row["provenance"].startswith("airportsdata:")
                if path.name == "breadth_rivers.csv":
                    assert "1:4M hydrography" in row["provenance"]
                assert gaz.sources[row["id"]].startswith(path.name)


def test_breadth_rows_take_no_surface_form_of_another_table() -> None:
    gaz = load_gazetteer()
    breadth = {pid for pid, src in gaz.sources.items() if src.startswith("breadth_")}
    assert len(breadth) > 300
    for surface, ids in gaz.names().items():
        if any(i in breadth for i in ids):
            assert all(i in breadth for i in ids), (surface, ids)


def test_highway_numbers_do_not_fire_inside_national_road_numbers(ex: Extractor) -> None:
    assert ex.extract("实现毗邻地区G210等11个普通国道出口路提质改造") == []
    ms = ex.extract("加快G4京港澳高速扩容")
    assert [m.surface for m in ms] == ["G4京港澳高速"]


def test_a_basin_links_to_its_river(ex: Extractor) -> None:
    ms = ex.extract("推进嘉陵江流域、汉江流域综合治理")
    assert [(m.surface, m.place_id) for m in ms][0] == ("嘉陵江流域", "river:jialingjiang")
    assert ex.place(ms[1].place_id).name == "汉江"
