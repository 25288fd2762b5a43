"""geo.viewstate: permalinks ↔ query params, click reading, search, document grouping."""

from __future__ import annotations

from geo.viewer.data import Catalog
from geo.viewer.state import (
    ViewState,
    build_search_index,
    clicked_place_id,
    documents_grouped,
    fold_latin,
    from_query_params,
    returned_view,
    search_places,
    select,
    to_query_params,
    visible_docs,
)


def test_default_view_has_empty_permalink() -> None:
    assert to_query_params(ViewState()) == {}
    assert from_query_params({}) == ViewState()


def test_permalink_round_trip(catalog: Catalog) -> None:
    vs = ViewState(
        selected="adm:510100", clause="plan-2021/1/p1", docs=("plan-2021",), kinds=("county", "airport"),
        basemap="carto", center=(30.12345, 104.5), zoom=9, presenter=True, lang="en", view="reader",
        reader_doc="evil-2023",
    )
    q = to_query_params(vs)
    assert q["sel"] == "adm:510100" and q["docs"] == "plan-2021" and q["layers"] == "county,airport"
    assert from_query_params(q, catalog) == vs


def test_unknown_or_bad_values_are_dropped(catalog: Catalog) -> None:
    vs = from_query_params(
        {"sel": "adm:999999", "clause": "nope", "docs": "plan-2021,ghost", "basemap": "bing",
         "lat": "nan", "lon": "104", "z": "99", "lang": "fr", "view": "x", "doc": "ghost", "presenter": "0"},
        catalog,
    )
    assert vs.selected is None and vs.clause is None and vs.docs == ("plan-2021",)
    assert vs.basemap == "vector" and vs.center is None and vs.zoom == 19
    assert vs.lang == "zh" and vs.view == "map" and vs.reader_doc is None and not vs.presenter
    assert from_query_params({"docs": "ghost"}, catalog).docs is None  # nothing left → all documents


def test_list_valued_params_take_the_last() -> None:
    assert from_query_params({"sel": ["a", "b"]}).selected == "b"


def test_clicked_place_id_and_view() -> None:
    ret = {"last_active_drawing": {"type": "Feature", "properties": {"id": "adm:510104", "name": "锦江区"}},
           "center": {"lat": 30.5, "lng": 104.1}, "zoom": 10}
    assert clicked_place_id(ret) == "adm:510104"
    assert clicked_place_id({"last_active_drawing": {"id": "x:1", "properties": {}}}) == "x:1"
    assert clicked_place_id({"last_active_drawing": None}) is None
    assert clicked_place_id(None) is None
    assert returned_view(ret) == ((30.5, 104.1), 10)
    assert returned_view({"center": "junk", "zoom": True}) == (None, None)


def test_select_clears_clause_and_highlight_lists_clause_places(catalog: Catalog) -> None:
    vs = ViewState(selected="adm:510104", clause="plan-2021/1/p2")
    assert vs.highlighted(catalog) == ["adm:510104", "adm:510107", "airport:tfu", "railway:chengyu-zhongxian"]
    assert select(vs, "airport:tfu").clause is None
    assert ViewState(selected="composite:chengyu", clause="plan-2021/1/p2").highlighted(catalog)[0] == (
        "composite:chengyu"
    )


def test_search_by_name_alias_pinyin_initials(catalog: Catalog) -> None:
    idx = build_search_index(catalog)
    assert search_places(idx, "成都市")[0] == "adm:510100"
    assert search_places(idx, "蓉") == ["adm:510100"]  # alias
    assert search_places(idx, "ChengDu")[0] == "adm:510100"  # pinyin, case-insensitive
    assert search_places(idx, "cd")[0] == "adm:510100"  # initials
    assert search_places(idx, "wuhou") == ["adm:510107"]
    assert search_places(idx, "机场") == ["airport:tfu"]
    assert search_places(idx, "  ") == []
    assert search_places(idx, "不存在的地方") == []


def test_fold_latin() -> None:
    assert fold_latin("Chéngdū Shì") == "chengdushi"


def test_documents_grouped_by_kind_in_date_order(catalog: Catalog) -> None:
    groups = documents_grouped(catalog)
    assert [k for k, _ in groups] == ["纲要", "方案"]
    assert list(catalog.documents) == ["plan-2021", "evil-2023"]  # date order
    assert visible_docs(ViewState(docs=("evil-2023",)), catalog) == ["evil-2023"]
    assert visible_docs(ViewState(), catalog) == ["plan-2021", "evil-2023"]
