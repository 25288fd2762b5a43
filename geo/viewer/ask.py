"""The "ask the plans" view: clause search, theme filter, timeline and comparison of two documents.

Where the data comes from: layers/atlas.sqlite through geo.query (AtlasStore: search, themes,
timeline, compare; nothing of index.json is loaded here) and the viewer's Catalog for place
names and map positions. geo.viewer.app composes it with one hook (`render`) and gives it the
map's MapSpec and a callback that opens a clause in the reader; `focus_clause` is the reader's
hook that marks and scrolls to that clause.

Pure HTML builders (`hit_html`, `clause_html`, `place_list_html`) escape every text; the
Streamlit functions only lay them out. Every string goes through geo.viewer.i18n.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from html import escape
from pathlib import Path
from typing import Any

import folium
import streamlit as st

from geo.errors import PlanAtlasError
from geo.query import (
    AtlasStore,
    Filters,
    Hit,
    atlas_path,
    compare,
    new_in_period,
    search,
    side_by_side,
    timeline_dates,
)
from geo.viewer import mapframe, mapview
from geo.viewer.data import doc_title
from geo.viewer.i18n import label, t

__all__ = [
    "ASK_MAP_KEY",
    "HIT_COLOR",
    "NEW_COLOR",
    "OLD_COLOR",
    "circles_group",
    "clause_html",
    "focus_clause",
    "focus_clause_html",
    "focus_script",
    "hit_html",
    "marked",
    "place_list_html",
    "render",
    "store_for",
]

ASK_MAP_KEY = "ask_map"
HIT_COLOR = "#e4572e"  # places of matching clauses
OLD_COLOR = "#5d6d7e"  # timeline: named before the period
NEW_COLOR = "#ff9f1c"  # timeline: new in the period
ONLY_A_COLOR, ONLY_B_COLOR, BOTH_COLOR = "#2e86ab", "#c0392b", "#76b041"
MAX_HITS = 50
ASK_CSS = (
    "<style>.pa-hit{border-left:3px solid #e4572e;padding:.2rem .6rem;margin:.3rem 0;font-size:.92rem}"
    ".pa-hit mark{background:#ffd166;padding:0 1px}.pa-hit .pa-meta{color:#666;font-size:.8rem}"
    ".pa-theme{display:inline-block;background:#eef;border-radius:8px;padding:0 6px;margin-right:3px;"
    "font-size:.75rem}.pa-side{font-size:.9rem;border-top:1px solid #ddd;padding:.3rem 0}"
    ".pa-side mark{background:#ffd166}</style>"
)


@st.cache_resource(show_spinner=False, max_entries=2)
def store_for(layers_dir: str) -> AtlasStore:
    """One read-only store per process and layers folder (it reopens itself after a rebuild)."""
    return AtlasStore(atlas_path(Path(layers_dir)))


# -- pure HTML ------------------------------------------------------------------------------------


def marked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` escaped, with each [start, end) span wrapped in <mark>."""
    out, pos = [], 0
    for s, e in sorted(spans):
        if s < pos:
            continue
        out += [escape(text[pos:s]), "<mark>", escape(text[s:e]), "</mark>"]
        pos = e
    out.append(escape(text[pos:]))
    return "".join(out)


def hit_html(hit: Hit, lang: str) -> str:
    """One search result: document, date, heading path, themes, text with the hits marked."""
    c, d = hit.clause, hit.document
    meta = " · ".join(
        escape(str(x)) for x in (doc_title(d, lang) or c["doc_id"], d.get("date") or t("no_date", lang), " › ".join(c["path"])) if x
    )
    themes = "".join(f'<span class="pa-theme">{escape(label("theme", th, lang))}</span>' for th in c["themes"])
    return (
        f'<div class="pa-hit" data-clause="{escape(c["id"])}"><div class="pa-meta">{meta}</div>'
        f"<div>{themes}</div><div>{marked(c['text'], hit.spans)}</div></div>"
    )


def clause_html(clause: Mapping[str, Any], place_id: str, lang: str) -> str:
    """A clause for the side-by-side comparison, the mentions of `place_id` marked."""
    spans = [(s, e) for s, e, pid in clause.get("mentions", []) if pid == place_id]
    head = escape(" › ".join(clause.get("path") or []) or clause["id"])
    return f'<div class="pa-side"><div class="pa-meta">{head}</div>{marked(clause["text"], spans)}</div>'


def place_list_html(ids: Iterable[str], names: Mapping[str, str], counts: Mapping[str, int] | None = None) -> str:
    """Place names (escaped), with their clause counts when given, separated by 、."""
    items = [escape(names.get(i, i)) + (f" {counts[i]}" if counts and i in counts else "") for i in ids]
    return "、".join(items)


def focus_clause_html(clause_id: str) -> str:
    """CSS marking the reader's paragraph of `clause_id` (its id attribute), escaped for CSS."""
    css_id = clause_id.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'<style>.pa-reader p[id="{escape(css_id)}"]{{background:#fff3b0;outline:2px solid #f0b400;'
        "scroll-margin-top:120px}</style>"
    )


# -- map ------------------------------------------------------------------------------------------


def circles_group(
    counts: Mapping[str, int], centers: Mapping[str, tuple[float, float]], names: Mapping[str, str],
    color: str | Callable[[str], str], css_class: str, gcj02: bool = False, max_places: int = 400,
) -> folium.FeatureGroup:
    """A circle per place (at its centre, WGS-84; shifted to GCJ-02 for Gaode tiles), sized by its
    count of clauses; tooltips escaped. At most `max_places`, the largest counts first."""
    shift = mapview.gcj02_shift() if gcj02 else None
    group = folium.FeatureGroup(name=css_class)
    top = max(counts.values(), default=1)
    for pid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:max_places]:
        if pid not in centers:
            continue
        lat, lon = centers[pid]
        if shift is not None:
            lon, lat = shift(lon, lat)
        col = color(pid) if callable(color) else color
        folium.CircleMarker(
            [lat, lon], radius=4 + 14 * math.sqrt(n / top), color=col, weight=1.5, fill=True,
            fill_color=col, fill_opacity=0.55, class_name=css_class,
            tooltip=escape(f"{names.get(pid, pid)} · {n}"),
        ).add_to(group)
    return group


def _map(spec: mapview.MapSpec, group: folium.FeatureGroup, key: str) -> None:
    mapframe.st_map(
        mapview.build_map(spec), key=key, height=520, returned_objects=[], title=t("map_frame_title", spec.lang),
        feature_group_to_add=[group],
    )


# -- the view -------------------------------------------------------------------------------------


def render(
    layers_dir: str, catalog: Any, lang: str, spec: mapview.MapSpec, gcj02: bool,
    open_clause: Callable[[str, str], None],
) -> None:
    """The view: three tabs (search, timeline, compare) over layers/atlas.sqlite."""
    try:
        store = store_for(layers_dir)
        themes = store.themes()
    except PlanAtlasError as exc:
        st.error(f"{t('ask_missing', lang)} ({exc})")
        return
    st.markdown(ASK_CSS, unsafe_allow_html=True)
    names = {pid: p.display_name(lang) for pid, p in catalog.places.items()}
    centers = {pid: p.center for pid, p in catalog.places.items() if p.center is not None}
    tab_search, tab_time, tab_compare = st.tabs([t("ask_tab_search", lang), t("ask_tab_timeline", lang),
                                                  t("ask_tab_compare", lang)])
    with tab_search:
        _search_tab(store, catalog, themes, names, centers, lang, spec, gcj02, open_clause)
    with tab_time:
        _timeline_tab(store, themes, names, centers, lang, spec, gcj02)
    with tab_compare:
        _compare_tab(store, catalog, names, centers, lang, spec, gcj02)


def _search_tab(store: AtlasStore, catalog: Any, themes: list[str], names: dict, centers: dict, lang: str,
                spec: mapview.MapSpec, gcj02: bool, open_clause: Callable[[str, str], None]) -> None:
    q = st.text_input(t("ask_query", lang), key="ask_q", help=t("ask_query_help", lang),
                      placeholder=t("ask_query_placeholder", lang))
    cols = st.columns(3)
    chosen_themes = cols[0].multiselect(t("ask_themes", lang), themes, key="ask_themes",
                                        format_func=lambda x: label("theme", x, lang))
    docs = list(catalog.documents)
    chosen_docs = cols[1].multiselect(t("documents", lang), docs, key="ask_docs",
                                      placeholder=t("all_documents", lang),
                                      format_func=lambda d: doc_title(catalog.documents[d], lang) or d)
    dates = timeline_dates(store)
    span = cols[2].select_slider(t("ask_dates", lang), options=dates, value=(dates[0], dates[-1]),
                                 key="ask_span") if len(dates) > 1 else None
    filters = Filters(docs=tuple(chosen_docs), themes=tuple(chosen_themes))
    if span and (span[0] != dates[0] or span[1] != dates[-1]):
        filters = Filters(docs=filters.docs, themes=filters.themes, since=span[0], until=span[1])
    if not q.strip() and filters.is_empty():
        st.caption(t("ask_hint", lang))
        return
    try:
        result = search(store, q, filters, limit=MAX_HITS)
    except PlanAtlasError as exc:
        st.warning(str(exc))
        return
    left, right = st.columns([3, 2], gap="medium")
    with left:
        group = circles_group(result.place_counts, centers, names, HIT_COLOR, "pa-hit", gcj02)
        _map(spec, group, ASK_MAP_KEY)
        top = list(result.place_counts)[:20]
        st.markdown(f'<div class="pa-meta" data-testid="pa-ask-places">{escape(t("ask_places", lang))}'
                    f'{escape(t("colon", lang))}{place_list_html(top, names, result.place_counts)}</div>',
                    unsafe_allow_html=True)
    with right, st.container(height=560, border=False):
        st.markdown(f'<div data-testid="pa-ask-total">{escape(t("ask_total", lang, count=result.total))}</div>',
                    unsafe_allow_html=True)
        for i, hit in enumerate(result.hits):
            st.markdown(hit_html(hit, lang), unsafe_allow_html=True)
            st.button(t("ask_open", lang), key=f"ask_open:{i}:{hit.clause['id']}", on_click=open_clause,
                      args=(hit.clause["id"], hit.clause["doc_id"]))
        if result.total > len(result.hits):
            st.caption(t("more_clauses", lang, count=result.total - len(result.hits)))


def _timeline_tab(store: AtlasStore, themes: list[str], names: dict, centers: dict, lang: str,
                  spec: mapview.MapSpec, gcj02: bool) -> None:
    dates = timeline_dates(store)
    if len(dates) < 2:
        st.caption(t("ask_no_dates", lang))
        return
    start, end = st.select_slider(t("ask_period", lang), options=dates, value=(dates[0], dates[-1]),
                                  key="ask_period", help=t("ask_period_help", lang))
    chosen = st.multiselect(t("ask_themes", lang), themes, key="ask_time_themes",
                            format_func=lambda x: label("theme", x, lang))
    period = new_in_period(store, start, end, tuple(chosen))
    counts = {**period.before, **period.new}
    group = circles_group(counts, centers, names, lambda pid: NEW_COLOR if pid in period.new else OLD_COLOR,
                          "pa-time", gcj02)
    _map(spec, group, "ask_time_map")
    st.markdown(
        f'<div class="pa-meta" data-testid="pa-time-new"><b>{escape(t("ask_new", lang, start=start, end=end))}</b>'
        f'{escape(t("colon", lang))}{place_list_html(sorted(period.new, key=lambda p: names.get(p, p)), names)}</div>',
        unsafe_allow_html=True,
    )
    st.caption(t("ask_timeline_note", lang, count=len(counts)))


def _compare_tab(store: AtlasStore, catalog: Any, names: dict, centers: dict, lang: str,
                 spec: mapview.MapSpec, gcj02: bool) -> None:
    docs = list(catalog.documents)
    if len(docs) < 2:
        return
    fmt = lambda d: doc_title(catalog.documents[d], lang) or d  # noqa: E731
    a_col, b_col = st.columns(2)
    a = a_col.selectbox(t("ask_doc_a", lang), docs, key="ask_a", format_func=fmt)
    b = b_col.selectbox(t("ask_doc_b", lang), docs, index=1, key="ask_b", format_func=fmt)
    cmp = compare(store, a, b)
    kind = {**{p: "a" for p in cmp.only_a}, **{p: "b" for p in cmp.only_b}, **{p: "both" for p in cmp.both}}
    colors = {"a": ONLY_A_COLOR, "b": ONLY_B_COLOR, "both": BOTH_COLOR}
    counts = {p: cmp.counts_a.get(p, 0) + cmp.counts_b.get(p, 0) for p in kind}
    _map(spec, circles_group(counts, centers, names, lambda p: colors[kind[p]], "pa-cmp", gcj02), "ask_cmp_map")
    for key, ids in (("ask_both", cmp.both), ("ask_only_a", cmp.only_a), ("ask_only_b", cmp.only_b)):
        st.markdown(f'<div class="pa-meta" data-testid="pa-{key}"><b>{escape(t(key, lang, count=len(ids)))}</b>'
                    f'{escape(t("colon", lang))}{place_list_html(ids, names)}</div>', unsafe_allow_html=True)
    pick = st.selectbox(t("ask_pick_place", lang), [None, *cmp.both, *cmp.only_a, *cmp.only_b], key="ask_cmp_place",
                        format_func=lambda p: t("ask_none", lang) if p is None else names.get(p, p))
    if pick:
        left, right = side_by_side(store, pick, cmp.a, cmp.b)
        ca, cb = st.columns(2)
        for col, doc, clauses in ((ca, cmp.a, left), (cb, cmp.b, right)):
            col.markdown(f"**{escape(fmt(doc))}**")
            col.markdown("".join(clause_html(c, pick, lang) for c in clauses) or escape(t("no_clauses", lang)),
                         unsafe_allow_html=True)


def focus_script(clause_id: str) -> str:
    """The script that marks the paragraph `clause_id` (data-pa-focus) and scrolls it into view,
    retrying for 5 s while the reader renders. It runs in the page itself (st.html with its script
    allowed), in a function of its own so that a later focus does not redeclare its names. Its text
    holds no "<": the sanitizer st.html applies drops a script whose text holds one, so the id's <, >
    and & are JSON escapes and the retry test is written 50>n++."""
    target = json.dumps(clause_id).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        "(()=>{const id=" + target + ";let n=0;const go=()=>{const el=document.getElementById(id);"
        "if(el){el.scrollIntoView({block:'center'});el.setAttribute('data-pa-focus','1');}"
        "else if(50>n++){setTimeout(go,100);}};go();})();"
    )


def focus_clause(clause_id: str | None) -> None:
    """The reader's hook: mark the paragraph of `clause_id` and scroll it into view."""
    if not clause_id:
        return
    st.markdown(focus_clause_html(clause_id), unsafe_allow_html=True)
    st.html("<script>" + focus_script(clause_id) + "</script>", unsafe_allow_javascript=True)
