"""geo.viewstate: permalinks ↔ query params, click reading, search, document grouping."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.viewer.data import Catalog
from geo.viewer.state import (
    TITLE_CHARS,
    ViewState,
    apply_widget_values,
    build_search_index,
    clean_title,
    clicked_place_id,
    documents_grouped,
    fold_latin,
    from_query_params,
    returned_view,
    search_places,
    select,
    to_query_params,
    visible_docs,
    widget_values,
)


def test_default_view_has_empty_permalink() -> None:
    assert to_query_params(ViewState()) == {}
    assert from_query_params({}) == ViewState()


def test_permalink_round_trip(catalog: Catalog) -> None:
    vs = ViewState(
        selected="adm:510100", clause="plan-2021/1/p1", docs=("plan-2021",), kinds=("county", "airport"),
        basemap="carto", center=(30.12345, 104.5), zoom=9, presenter=True, lang="en", view="reader",
        reader_doc="evil-2023", thematic="prefecture", title="万达开 · 交通",
    )
    q = to_query_params(vs)
    assert q["thematic"] == "prefecture" and q["ptitle"] == "万达开 · 交通"
    assert q["sel"] == "adm:510100" and q["docs"] == "plan-2021" and q["layers"] == "county,airport"
    assert from_query_params(q, catalog) == vs


def test_unknown_or_bad_values_are_dropped(catalog: Catalog) -> None:
    vs = from_query_params(
        {"sel": "adm:999999", "clause": "nope", "docs": "plan-2021,ghost", "basemap": "bing",
         "lat": "nan", "lon": "104", "z": "99", "lang": "fr", "view": "x", "doc": "ghost", "presenter": "0",
         "thematic": "province"},
        catalog,
    )
    assert vs.selected is None and vs.clause is None and vs.docs == ("plan-2021",)
    assert vs.basemap == "vector" and vs.center is None and vs.zoom == 19
    assert vs.lang == "zh" and vs.view == "map" and vs.reader_doc is None and not vs.presenter
    assert vs.thematic is None
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


def test_stale_widget_labels_never_empty_the_map(catalog: Catalog) -> None:
    """After a language switch Streamlit may hand back the other language's labels: ignored."""
    from geo.viewer.state import apply_widget_values, widget_values

    vs = ViewState(kinds=tuple(catalog.kinds()[:2]), basemap="carto", selected="adm:510100")
    values = {**widget_values(vs, catalog), "w_lang": "en"}
    assert apply_widget_values(vs, catalog, values) == vs.with_(lang="en")
    stale = {**values, "w_kinds": ["机场", "铁路"], "w_basemap": "离线矢量底图（行政区划）", "w_view": "地图"}
    assert apply_widget_values(vs, catalog, stale) == vs.with_(lang="en")
    cleared = {**values, "w_kinds": []}  # the user removing every layer is still a choice
    assert apply_widget_values(vs, catalog, cleared).kinds == ()


def test_presenter_title_is_cleaned_and_limited() -> None:
    hostile = "第一行\n第二行\x00\t<script>alert(1)</script>  " + "长" * 500
    vs = from_query_params({"presenter": "1", "ptitle": hostile})
    assert "\n" not in vs.title and "\x00" not in vs.title and "\t" not in vs.title
    assert vs.title.startswith("第一行 第二行 <script>") and len(vs.title) == TITLE_CHARS
    assert clean_title("  a \r\n b ") == "a b" and clean_title(None) == ""
    assert to_query_params(ViewState(title="x" * 999))["ptitle"] == "x" * TITLE_CHARS
    assert "ptitle" not in to_query_params(ViewState(title=""))


def test_thematic_widget(catalog: Catalog) -> None:
    vs = apply_widget_values(ViewState(), catalog, {"w_thematic": "county"})
    assert vs.thematic == "county" and to_query_params(vs)["thematic"] == "county"
    assert apply_widget_values(vs, catalog, {"w_thematic": "off"}).thematic is None
    assert apply_widget_values(vs, catalog, {"w_thematic": "各区县提及次数"}).thematic == "county"  # a stale label
    assert apply_widget_values(vs, catalog, {}).thematic == "county"


def test_thematic_theme_and_period_round_trip(catalog: Catalog) -> None:
    vs = ViewState(thematic="county", thematic_theme="交通", thematic_since=2021, thematic_until=2023)
    q = to_query_params(vs)
    assert (q["ttheme"], q["tsince"], q["tuntil"]) == ("交通", "2021", "2023")
    assert from_query_params(q, catalog) == vs
    assert from_query_params(q) == vs
    bad = from_query_params({"thematic": "county", "ttheme": "不存在", "tsince": "1999", "tuntil": "20x3"}, catalog)
    assert bad.thematic_theme == "" and bad.thematic_since is None and bad.thematic_until is None
    assert from_query_params({"tsince": "2023", "tuntil": "2021"}, catalog).thematic_since == 2021  # swapped
    assert "ttheme" not in to_query_params(ViewState(thematic="county"))
    assert to_query_params(ViewState(thematic_theme="交通", thematic_since=2021)) == {}  # no thematic map: no theme


def test_thematic_theme_and_period_widgets(catalog: Catalog) -> None:
    vs = ViewState(thematic="county")
    assert widget_values(vs, catalog)["w_tperiod"] == (2021, 2023)  # the fixture documents' years
    vs = apply_widget_values(vs, catalog, {"w_thematic": "county", "w_ttheme": "交通", "w_tperiod": (2023, 2023)})
    assert (vs.thematic_theme, vs.thematic_since, vs.thematic_until) == ("交通", 2023, 2023)
    assert widget_values(vs, catalog)["w_tperiod"] == (2023, 2023)
    whole = apply_widget_values(vs, catalog, {"w_thematic": "county", "w_ttheme": "", "w_tperiod": (2021, 2023)})
    assert (whole.thematic_theme, whole.thematic_since, whole.thematic_until) == ("", None, None)
    stale = apply_widget_values(vs, catalog, {"w_ttheme": "Transport", "w_tperiod": (1990, 2023)})
    assert (stale.thematic_theme, stale.thematic_since) == ("交通", 2023)  # a stale label keeps the view's own


def test_a_missing_theme_table_drops_the_theme_not_the_view(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The viewer runs from layers/ alone: without data/themes.csv an address's theme is dropped and
    the rest of the view kept (it used to raise ThemesError and stop the app)."""
    from geo import settings
    from geo.viewer import state as viewstate

    monkeypatch.setattr(settings, "DATA_DIR", tmp_path / "data")
    viewstate.thematic_themes.cache_clear()
    try:
        vs = viewstate.from_query_params({"sel": "airport:tfu", "thematic": "county", "ttheme": "交通"})
        assert vs.selected == "airport:tfu" and vs.thematic == "county" and vs.thematic_theme == ""
    finally:
        viewstate.thematic_themes.cache_clear()
