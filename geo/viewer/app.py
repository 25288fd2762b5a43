"""Streamlit pieces of the viewer (sidebar, map fragment, reader, downloads) and their composition.

The logic they call lives beside them: geo.viewer.state (view state, permalinks), mapview (the map
script) with pick (which feature a click means) and legend (families, colours, legend), layout
(whole-screen CSS), panel_view / panel (the clause panel), here / here_view ("what is here"),
dossier (an area and the places inside it), provenance (where a geometry comes from), i18n.
State lives in `st.session_state["vs"]` (geo.viewer.session), seeded once per session from the
URL's query parameters and written back to them after every run, so the address bar is always
the permalink of what is on screen; browser Back/Forward (a rerun with an older address) restores
the view that address holds.
"""

from __future__ import annotations

import dataclasses
import os
from html import escape
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from geo.errors import PlanAtlasError
from geo.viewer import (
    ask,
    basemaps,
    docview_view,
    here_view,
    highlight,
    layout,
    mapframe,
    mapview,
    memory,
    navlinks,
    panel,
    panel_view,
    review_view,
    thematic_view,
    upload_map,
)
from geo.viewer import state as viewstate
from geo.viewer.data import Catalog, default_layers_dir, load_layerset
from geo.viewer.downloads import download_section, warm_wanted
from geo.viewer.here import HereIndex
from geo.viewer.i18n import LANGS, label, normalize_lang, t
from geo.viewer.session import set_state, state
from geo.viewer.state import ViewState
from geo.viewer.store_catalog import load_catalog, store_layerset

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
MAP_KEY = "atlas_map"
UPLOAD_KEY = "upload"
RETURNED = ["last_active_drawing", "last_object_clicked", "center", "zoom"]


# --- data (cached per process; never the folium Map) --------------------------------------------


def layers_stamp(layers_dir: str) -> int:
    """Changes when layers/ is rebuilt (manifest.json's mtime), so the caches below reload."""
    try:
        return (Path(layers_dir) / "manifest.json").stat().st_mtime_ns
    except OSError:
        return 0


@st.cache_resource(show_spinner=False, max_entries=2)
def _load_data(layers_dir: str, stamp: int) -> tuple[Any, Catalog, list[viewstate.SearchEntry]]:
    layerset, catalog = load_catalog(Path(layers_dir))  # atlas.sqlite when built, else index.json
    loaded = layerset, catalog, viewstate.build_search_index(catalog)
    memory.freeze_loaded()  # long-lived from here: Streamlit's full GC after each run skips it
    return loaded


@st.cache_resource(show_spinner=False, max_entries=1)
def _full_layerset(layers_dir: str, stamp: int) -> Any:
    full = store_layerset(Path(layers_dir)) or load_layerset(Path(layers_dir))
    memory.freeze_loaded()
    return full


def full_layerset(layers_dir: str) -> Any:
    """layers/ with an index for the exports: atlas.sqlite behind index.json's shape (StoreIndex),
    or index.json itself for folders without the atlas."""
    return _full_layerset(layers_dir, layers_stamp(layers_dir))


def load_data(layers_dir: str) -> tuple[Any, Catalog, list[viewstate.SearchEntry]]:
    """The LayerSet, its Catalog and the search index (read once per process and build of layers/)."""
    return _load_data(layers_dir, layers_stamp(layers_dir))


@st.cache_resource(show_spinner=False, max_entries=4)
def _layer_urls(layers_dir: str, gcj02: bool, stamp: int) -> dict[str, str]:
    layerset, _, _ = _load_data(layers_dir, stamp)
    return mapview.publish_layers(layerset, STATIC_DIR, gcj02=gcj02)


def layer_urls(layers_dir: str, gcj02: bool) -> dict[str, str]:
    """URLs of the published display files (written once per build of layers/)."""
    return _layer_urls(layers_dir, gcj02, layers_stamp(layers_dir))


@st.cache_resource(show_spinner=False, max_entries=2)
def _here_index(layers_dir: str, stamp: int) -> HereIndex:
    _, catalog, _ = _load_data(layers_dir, stamp)
    return HereIndex.build(catalog)


def here_index(layers_dir: str) -> HereIndex:
    """The spatial index of "what is here" (built once per process and build of layers/)."""
    return _here_index(layers_dir, layers_stamp(layers_dir))


def assets_missing() -> bool:
    """True when static/ has no Leaflet (run `make setup` or `python -m geo assets`)."""
    return not (STATIC_DIR / "leaflet" / "leaflet.js").is_file()


def tianditu_key() -> str:
    """The Tianditu key from TIANDITU_KEY (environment) or st.secrets, or ""."""
    key = os.environ.get("TIANDITU_KEY", "")
    if not key:
        try:
            key = str(st.secrets.get("TIANDITU_KEY", ""))
        except StreamlitSecretNotFoundError:  # no secrets.toml
            key = ""
    return key.strip()


# --- state ----------------------------------------------------------------------------------------


def fly_to_place(catalog: Catalog, place_id: str) -> None:
    p = catalog.places.get(place_id)
    if p is not None and p.center is not None:
        zoom = mapview.fit_zoom(p.bbox)
        st.session_state["fly"] = ([p.center[0], p.center[1]], zoom)


SEEN_ADDRESSES = 64  # how many of the addresses a session wrote it remembers (see init_state)


def history_navigation() -> bool:
    """True when this run is the browser's Back or Forward: Streamlit marks the rerun it asks for on
    popstate (ScriptRunContext.is_history_navigation)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return bool(getattr(get_script_run_ctx(), "is_history_navigation", False))


def _seen(address: dict[str, str]) -> None:
    """Remember an address (what it shows, not the map's position) this session opened or wrote."""
    seen = st.session_state.setdefault("qp_seen", [])
    shown = viewstate.without_position(address)
    if shown not in seen:
        seen.append(shown)
        del seen[:-SEEN_ADDRESSES]


def init_state(catalog: Catalog) -> None:
    """Seed the session from the URL once. Later runs keep their own state — unless the address
    changed under them: browser Back/Forward (Streamlit reruns with that history entry's query and
    marks the run, `history_navigation`) restores the view the address holds. A run that carries an
    older address this session wrote, without that mark, is not navigation (see the comment below)."""
    url = st.query_params.to_dict()
    if "vs" in st.session_state:
        written = st.session_state.get("qp_written")
        # map moves write the position asynchronously, so a rerun may carry an older one: only a
        # change of what is shown (selection, clause, filters, layers, view…) counts as navigation
        shown = viewstate.without_position(url)
        if written is not None and shown != viewstate.without_position(written):
            # a change of what is shown: Back or Forward, which Streamlit marks; or an address this session
            # never wrote. An address it wrote before, in a run that is not a history navigation, is a
            # rerun asked for before the browser applied the latest address: it carries an older one,
            # and restoring that would undo what the user just did
            if history_navigation() or shown not in st.session_state.get("qp_seen", []):
                restore_view(catalog, viewstate.from_query_params(url, catalog))
                st.session_state["qp_written"] = url
                _seen(url)
        title = viewstate.clean_title(url.get("ptitle"))  # typed in presenter mode (kept in the address)
        if title != state().title:
            set_state(state().with_(title=title))
        return
    _seen(url)
    vs = viewstate.from_query_params(url, catalog)
    st.session_state["home"] = (vs.center or viewstate.DEFAULT_CENTER, vs.zoom or viewstate.DEFAULT_ZOOM)
    # a link without a view opens on the whole economic circle, fitted to the screen
    st.session_state["home_fit"] = layout.home_bounds(catalog) if vs.center is None and not vs.selected else None
    restore_view(catalog, vs)


def restore_view(catalog: Catalog, vs: ViewState) -> None:
    """Make `vs` the current view: state, widgets, and the map flies to its view or selection."""
    set_state(vs)
    st.session_state["click_selected"] = None
    if vs.center is not None:
        st.session_state["fly"] = ([vs.center[0], vs.center[1]], vs.zoom or viewstate.DEFAULT_ZOOM)
    elif vs.selected:
        fly_to_place(catalog, vs.selected)
    st.session_state["w_lang"] = vs.lang
    st.session_state.update(viewstate.widget_values(vs, catalog))


def on_lang_change() -> None:
    """The language radio's callback: re-seed the other widgets from the view state.

    Streamlit keeps a selectbox's or multiselect's value as its *formatted* label; after the labels
    change language the old ones match no option, so the layers would empty and the basemap become
    a label. The view state holds the real values: they are written back before the widgets draw.
    """
    _, catalog, _ = load_data(str(default_layers_dir()))
    st.session_state.update(viewstate.widget_values(state(), catalog))


def sync_query_params() -> None:
    """Write the current view to the address bar (the permalink). A change of what is shown is a new
    browser history entry (Streamlit pushes it); a move of the map alone is not: the map keeps the
    address's position current in place (geo.viewer.mapview), so Back steps through views, not pans."""
    wanted = viewstate.to_query_params(state())
    current = st.query_params.to_dict()
    # Compared with what this session last wrote, when it wrote anything: a rerun can carry an older
    # address than the browser now shows (a map move's fragment rerun asked for before the browser
    # applied the previous push). Pushing again from it would add a second history entry for the same
    # view, which could land after a Back and put the view the user left back in the address.
    written = st.session_state.get("qp_written")
    base = written if written is not None else current
    # the presenter title is compared with the address, which holds it as it is typed (and a title the
    # address holds uncleaned, e.g. in a hand-edited link, is replaced)
    if (viewstate.without_position(base) != viewstate.without_position(wanted)
            or current.get("ptitle") != wanted.get("ptitle")):
        st.query_params.from_dict(wanted)  # Streamlit adds a browser history entry
        _seen(wanted)
    st.session_state["qp_written"] = wanted


def on_map_change() -> None:
    """The map's callback (geo.viewer.mapframe.st_map): a click selects, a move records the view (for the permalink)."""
    apply_map_value(st.session_state.get(MAP_KEY))


def apply_map_value(value: Any) -> bool:
    """Apply what the map returned (idempotent: the same click is applied once). A click the review
    form takes as its new point selects nothing; returns True when it took one."""
    if not value:
        return False
    vs = state()
    base = basemaps.BASEMAPS.get(vs.basemap)
    took = review_view.note_map_click(value, gcj02=bool(base and base.gcj02))
    pid = viewstate.clicked_place_id(value)
    token = repr((pid, value.get("last_object_clicked")))
    if pid and token != st.session_state.get("last_click"):
        st.session_state["last_click"] = token
        if not took:
            st.session_state["click_selected"] = pid
            vs = viewstate.select(vs, pid)
            here_view.remember_click(here_index(str(default_layers_dir())), value)
    center, zoom = viewstate.returned_view(value)
    if center is not None:
        vs = vs.with_(center=center, zoom=zoom if zoom is not None else vs.zoom)
    set_state(vs)
    return took


def select_place(place_id: str, fly: bool = True) -> None:
    st.session_state["click_selected"] = None
    set_state(viewstate.select(state(), place_id))
    if fly:
        _, catalog, _ = load_data(str(default_layers_dir()))
        fly_to_place(catalog, place_id)


def open_clause_in_reader(clause_id: str, doc_id: str) -> None:
    """A search result's button (geo.viewer.ask): the reader, at that clause."""
    set_state(state().with_(view="reader", reader_doc=doc_id, clause=clause_id))
    st.session_state["w_view"] = "reader"
    st.session_state["w_doc"] = doc_id


# --- sidebar --------------------------------------------------------------------------------------


def sidebar(catalog: Catalog, search_index: list[viewstate.SearchEntry], layers_dir: str) -> None:
    """The controls (their values are applied at the start of the next run by apply_widgets)."""
    ss = st.session_state
    lang = ss.get("w_lang", "zh")
    with st.sidebar:
        st.radio(t("language", lang), LANGS, key="w_lang", horizontal=True, on_change=on_lang_change,
                 format_func=lambda x: {"zh": "中文", "en": "English"}[x])
        lang = ss["w_lang"]
        st.radio(t("view", lang), viewstate.VIEWS, key="w_view", horizontal=True,
                 format_func=lambda v: t(f"view_{v}", lang))
        q = st.text_input(t("search", lang), key="w_search")
        if q:
            hits = viewstate.search_places(search_index, q, limit=8)
            if not hits:
                st.caption(t("no_results", lang))
            for pid in hits:
                p = catalog.places[pid]
                st.button(f"{p.title(lang)} · {label('kind', p.kind, lang)}", key=f"hit:{pid}",
                          on_click=select_place, args=(pid,), width="stretch")
        key = tianditu_key()
        options = [b for b, base in basemaps.REGISTRY.items() if not base.needs_key or key]
        if ss.get("w_basemap") not in options:
            ss["w_basemap"] = "vector"
        st.selectbox(t("basemap", lang), options, key="w_basemap",
                     format_func=lambda b: basemaps.basemap_label(b, lang))
        if ss["w_basemap"] != "vector":
            st.caption(t("online_hint", lang))
        kinds = catalog.kinds()
        st.multiselect(t("layers", lang), kinds, key="w_kinds", format_func=lambda k: label("kind", k, lang))
        docs_in_groups = [d["id"] for _, group in viewstate.documents_grouped(catalog) for d in group]
        st.multiselect(t("documents", lang), docs_in_groups, key="w_docs", help=t("documents_help", lang),
                       placeholder=t("all_documents", lang),
                       format_func=lambda d: panel.doc_option(catalog.documents[d], lang))
        st.selectbox(t("thematic_map", lang), thematic_view.OPTIONS, key="w_thematic", help=t("thematic_help", lang),
                     format_func=lambda o: thematic_view.option_label(o, lang))
        if ss.get("w_thematic", "off") != "off":
            thematic_view.sidebar_controls(catalog.documents, lang)
        st.toggle(t("presenter", lang), key="w_presenter")
        downloads(catalog, layers_dir, lang)
        with st.expander(t("map_image", lang)):
            from geo.viewer import mapimage_view

            mapimage_view.downloads(full_layerset(layers_dir), catalog, state())
        # the app's own links navigate inside the session; the reader's "jump back" (geo.viewer.navlinks)
        st.html(navlinks.install_html(lang), unsafe_allow_javascript=True)


def apply_widgets(catalog: Catalog) -> ViewState:
    """The view state with the sidebar widgets' current values (read before they are drawn,
    so the map can be sent to the browser first)."""
    ss = st.session_state
    vs = viewstate.apply_widget_values(state(), catalog, {k: ss.get(k) for k in viewstate.WIDGET_KEYS})
    set_state(vs)
    return vs


def downloads(catalog: Catalog, layers_dir: str, lang: str) -> None:
    """Download buttons (geo.viewer.downloads): each export layer, every format, filter, selection."""
    # the exports read LayerSet.index: here atlas.sqlite in index.json's shape (StoreIndex)
    layerset = full_layerset(layers_dir)
    vs = state()
    download_section(layerset, lang, filter_ids=visible_place_ids(catalog, vs),
                     selection_ids=vs.highlighted(catalog) or None, warm_files=warm_wanted(len(catalog.clauses)))


def visible_place_ids(catalog: Catalog, vs: ViewState) -> list[str]:
    """Places shown under the current kind and document filters."""
    kinds = set(vs.kinds if vs.kinds is not None else catalog.default_kinds())
    docs = None if vs.docs is None else set(vs.docs)
    out = []
    for p in catalog.places.values():
        if p.bbox is None or p.kind not in kinds:
            continue
        if docs is not None and not docs.intersection(p.doc_ids):
            continue
        out.append(p.id)
    return out


# --- map + panel (one fragment: a click reruns only this) ----------------------------------------


def map_spec(catalog: Catalog, vs: ViewState, layers_dir: str) -> mapview.MapSpec:
    home_center, home_zoom = st.session_state["home"]
    base = basemaps.BASEMAPS.get(vs.basemap)
    return mapview.MapSpec(
        layer_urls=layer_urls(layers_dir, bool(base and base.gcj02)),
        kinds=vs.kinds if vs.kinds is not None else tuple(catalog.default_kinds()),
        docs=vs.docs,
        basemap=vs.basemap,
        tianditu_key=tianditu_key() if vs.basemap == "tianditu" else "",
        center=tuple(home_center),
        zoom=int(home_zoom),
        kind_labels=tuple((k, label("kind", k, vs.lang)) for k in catalog.kinds()),
        fit=st.session_state.get("home_fit"),
        lang=vs.lang,
        attribution=" · ".join(catalog.attributions),
    )


def draw_map(catalog: Catalog, vs: ViewState, layers_dir: str, height: int) -> None:
    # the document view: its places highlighted, fitted once. Before the spec: a first fit changes
    # the spec's `fit`, and a spec that changes on the next run re-mounts the map
    docview_view.prepare_map(catalog, vs)
    spec = dataclasses.replace(map_spec(catalog, vs, layers_dir), address=True)
    fmap = mapview.build_map(spec)
    base = basemaps.BASEMAPS.get(vs.basemap)
    ids = docview_view.highlight_ids(catalog, vs, vs.highlighted(catalog))
    # a selection made by clicking the map is highlighted by the map itself (no re-send of the map)
    by_click = vs.selected is not None and st.session_state.get("click_selected") == vs.selected
    if by_click and not vs.clause:
        ids = [i for i in ids if i != vs.selected]
    group = highlight.highlight_group(
        (catalog.features[i] for i in ids if i in catalog.features),
        selected=vs.selected, gcj02=bool(base and base.gcj02), clear_click=not by_click, lang=vs.lang,
    )
    groups = [group]
    upload = uploaded_layer()
    if upload is not None and upload.get("features"):
        groups.append(highlight.session_group(upload, gcj02=bool(base and base.gcj02), lang=vs.lang))
    groups.append(review_view.map_group(vs.lang, gcj02=bool(base and base.gcj02)))  # the form's click request
    groups.append(thematic_group(vs, layers_dir, bool(base and base.gcj02)))  # last: its script only
    upload_map.fly_on_new_upload(st.session_state, UPLOAD_KEY)  # a new upload: fit its places
    fly = st.session_state.get("fly")
    value = mapframe.st_map(
        fmap,
        key=MAP_KEY,
        height=height,
        title=t("map_frame_title", vs.lang),
        returned_objects=RETURNED + (["last_clicked"] if vs.view == "upload" and review_view.wants_map_clicks()
                                     else []),
        feature_group_to_add=groups,
        center=fly[0] if fly else None,
        zoom=fly[1] if fly else None,
        on_change=on_map_change,
    )
    if apply_map_value(value):  # a point the form (drawn above, earlier in this run) has to show
        st.rerun()


def thematic_group(vs: ViewState, layers_dir: str, gcj02: bool) -> Any:
    """The thematic map's group (geo.viewer.thematic_view), sent also when off so the map clears it."""
    if vs.thematic is None:
        return thematic_view.group(None)
    shift = mapview.gcj02_shift() if gcj02 else None
    return thematic_view.group(thematic_view.payload(full_layerset(layers_dir), vs.thematic, vs.docs, vs.lang, shift,
                                                     vs.thematic_theme, vs.thematic_since, vs.thematic_until))


def uploaded_layer() -> dict[str, Any] | None:
    """The session layer of the plan uploaded in this session (geo.upload_view keeps it), if any."""
    cached = st.session_state.get(f"{UPLOAD_KEY}:result")
    result = cached[1] if isinstance(cached, tuple) and len(cached) == 2 else None
    fc = getattr(result, "feature_collection", None)
    return fc if isinstance(fc, dict) else None


def upload_view(layers_dir: str) -> None:
    """The upload panel of geo.upload_view (bring your own plan); its places are drawn on the map."""
    from geo.viewer.upload_view import render_upload_panel

    layerset, _, _ = load_data(layers_dir)
    result = render_upload_panel(layerset, key=UPLOAD_KEY, lang=state().lang)
    if result is not None:  # the review queue of the uploaded plan (geo.viewer.review_view)
        review_view.render_review_queue(
            result.unresolved, lang=state().lang, key="review-upload",
            session_features=result.feature_collection.get("features", []),
            on_change=lambda: st.session_state.pop(f"{UPLOAD_KEY}:result", None), map_clicks=True,
        )


def uploaded_clauses(place_id: str) -> None:
    """In the upload view's panel: the uploaded plan's own clauses about the selected place."""
    found = upload_map.upload_of(st.session_state, UPLOAD_KEY)
    html = upload_map.upload_clauses_html(found[1], place_id, state().lang) if found else ""
    if html:
        st.markdown(html, unsafe_allow_html=True)


def reader(catalog: Catalog, vs: ViewState) -> None:
    lang = vs.lang
    docs = list(catalog.documents)
    if not docs:
        return
    if st.session_state.get("w_doc") not in catalog.documents:
        st.session_state["w_doc"] = vs.reader_doc if vs.reader_doc in catalog.documents else docs[0]
    st.selectbox(t("reader_pick", lang), docs, key="w_doc",
                 format_func=lambda d: panel.doc_label(catalog.documents[d], lang))
    doc_id = st.session_state["w_doc"]
    if vs.reader_doc != doc_id:
        set_state(vs.with_(reader_doc=doc_id))
    st.caption(t("reader_hint", lang))
    docview_view.reader_button(doc_id, lang)
    base = state()

    def href(pid: str) -> str:
        return panel.permalink(viewstate.to_query_params(
            base.with_(selected=pid, clause=None, view="map", center=None, zoom=None, reader_doc=doc_id)))

    st.markdown(panel.PANEL_CSS + panel.reader_html(catalog, doc_id, href, [vs.selected] if vs.selected else [],
                                                    lang), unsafe_allow_html=True)
    from geo.places import load_gazetteer

    texts = tuple((cid, str(catalog.clauses[cid].get("text") or "")) for cid in catalog.clauses_by_doc.get(doc_id, []))
    review_view.render_review_queue(review_view.document_queue(texts, load_gazetteer().fingerprint),
                                    lang=lang, key="review-reader")
    if vs.clause and catalog.clauses.get(vs.clause, {}).get("doc_id") == doc_id:
        ask.focus_clause(vs.clause)  # opened from a search result


@st.fragment
def map_and_panel(layers_dir: str, upload: bool = False) -> None:
    """The map and the clause panel. A map click or a panel button reruns only this fragment.
    `upload`: the upload panel heads the right column (the map stays in view beside it)."""
    _, catalog, _ = load_data(layers_dir)
    # presenter mode is a view of its own drawn over this page (geo.viewer.presenter): the map beneath
    # stays as it is, so leaving presenter mode shows it at once
    vs = state().with_(presenter=False)
    review_view.begin_map_run()  # the review form (upload panel) renews its request for a click, or it lapses
    left, right = st.columns(list(layout.COLUMNS), gap="small")
    with right:
        link_slot = st.empty()
        box = st.container(border=False, key=layout.PANEL_KEY)
    extra = None
    if upload:  # analysed before the map is drawn, so the map shows (and fits) the upload at once
        with box, st.expander(t("view_upload", vs.lang), expanded=not state().selected):
            upload_view(layers_dir)
        extra = uploaded_clauses
    with left:
        draw_map(catalog, vs, layers_dir, height=layout.MAP_HEIGHT)
    link = panel.permalink(viewstate.to_query_params(state()))
    link_slot.markdown(f'<div class="pa-permalink"><a href="{escape(link)}" target="_self" '
                       f'data-testid="pa-permalink">{escape(t("permalink", vs.lang))}</a></div>',
                       unsafe_allow_html=True)
    with box:
        docview_view.render(catalog, state())
        panel_view.clause_panel(catalog, state(), here_index(layers_dir), extra)
    sync_query_params()


def main() -> None:
    """The whole page (called by app.py)."""
    st.set_page_config(page_title="成渝规划地图 Plan Atlas", layout="wide")
    from geo.viewer.auth import render_sign_in, show_error_details
    from geo.viewer.integrity import startup_checks

    lang = st.session_state["vs"].lang if "vs" in st.session_state else "zh"
    startup_checks(lang)  # finish an interrupted geo add/remove; warn when layers/ is older than data/
    layers_dir = str(default_layers_dir())
    try:
        _, catalog, search_index = load_data(layers_dir)
    except PlanAtlasError as exc:  # say what to do, no traceback (details in development mode only)
        lang = normalize_lang(st.query_params.get("lang"))
        st.error(t("layers_missing", lang))
        if show_error_details():
            st.caption(t("error_details", lang, detail=exc))
        st.stop()
    if assets_missing():
        st.error(t("assets_missing", normalize_lang(st.query_params.get("lang"))))
    init_state(catalog)
    key = tianditu_key()
    if st.session_state.get("w_basemap") == "tianditu" and not key:
        st.session_state["w_basemap"] = "vector"
    vs = apply_widgets(catalog)
    # the map first: the browser starts loading it before the sidebar's widgets
    if vs.view == "reader":
        header(vs)
        reader(catalog, state())
    elif vs.view == "ask":
        header(vs)
        base = basemaps.BASEMAPS.get(vs.basemap)
        ask.render(layers_dir, catalog, vs.lang, map_spec(catalog, vs, layers_dir), bool(base and base.gcj02),
                   open_clause_in_reader)
    elif vs.view == "upload":
        header(vs)
        map_and_panel(layers_dir, upload=True)
    else:
        header(vs)
        map_and_panel(layers_dir)
    sidebar(catalog, search_index, layers_dir)
    render_sign_in(vs.lang)
    if vs.presenter:  # a view of its own over the page, last so that the page's elements keep their places
        from geo.viewer import presenter

        presenter.render(full_layerset(layers_dir), catalog, vs, layer_urls(layers_dir, False))
    sync_query_params()


def header(vs: ViewState) -> None:
    """One line: the title and the subtitle beside it (the map gets the rest of the screen)."""
    st.markdown(layout.page_css() + f'<div class="pa-title"><h3>{escape(t("app_title", vs.lang))}</h3>'
                f'<span>{escape(t("app_subtitle", vs.lang))}</span></div>', unsafe_allow_html=True)
