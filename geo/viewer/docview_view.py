"""The document view in Streamlit: the list of a chosen document's places above the clause panel,
their highlight on the map, the fit when the document is chosen, and the reader's button.

The logic (which places, grouped how, which box to fit) is geo.viewer.docview's; this module only
wires it to the session (geo.viewer.session) and the widgets.
"""

from __future__ import annotations

import streamlit as st

from geo.viewer import docview, mapview, panel
from geo.viewer import state as viewstate
from geo.viewer.data import Catalog, doc_title
from geo.viewer.i18n import label, t
from geo.viewer.session import set_state, state
from geo.viewer.state import ViewState

__all__ = ["FITTED_KEY", "highlight_ids", "prepare_map", "reader_button", "render", "show_on_map"]

FITTED_KEY = "docview_fitted"  # the document the map was last fitted to
_CACHE_KEY = "docview_cache"
ROOM = 0.25  # share of the box's size added at each side when a link opens on the document


def places_of(catalog: Catalog, doc_id: str) -> docview.DocumentPlaces:
    """The document's places (kept in the session: the clauses are read once per document)."""
    cached = st.session_state.get(_CACHE_KEY)
    if isinstance(cached, docview.DocumentPlaces) and cached.doc_id == doc_id:
        return cached
    view = docview.document_places(catalog, doc_id)
    st.session_state[_CACHE_KEY] = view
    return view


def prepare_map(catalog: Catalog, vs: ViewState) -> None:
    """When a document has just been chosen, fly the map to fit its places (a link that carries
    its own map position keeps it)."""
    doc = docview.chosen_document(vs)
    first = FITTED_KEY not in st.session_state
    if not first and doc == st.session_state[FITTED_KEY]:
        return
    st.session_state[FITTED_KEY] = doc
    if doc is None or (first and vs.center is not None):
        return
    box = places_of(catalog, doc).bbox
    if box is None:
        return
    if first and st.session_state.get("home_fit") is not None:  # a link to the document: its first view
        w, s, e, n = box  # the first view fits with room for the legend and the map's edges
        dx, dy = (e - w) * ROOM, (n - s) * ROOM
        st.session_state["home_fit"] = (w - dx, s - dy, e + dx, n + dy)
        return
    w, s, e, n = box
    st.session_state["fly"] = ([(s + n) / 2, (w + e) / 2], mapview.fit_zoom(box, *mapview.FIT_ROOM_PX))


def highlight_ids(catalog: Catalog, vs: ViewState, ids: list[str]) -> list[str]:
    """`ids` (selection, clause places) followed by the chosen document's places."""
    doc = docview.chosen_document(vs)
    if doc is None:
        return ids
    return list(dict.fromkeys([*ids, *places_of(catalog, doc).place_ids]))


def _select(key: str) -> None:
    pid = st.session_state.get(key)
    if pid:
        st.session_state["click_selected"] = None
        set_state(viewstate.select(state(), pid))


def render(catalog: Catalog, vs: ViewState) -> None:
    """The list of the chosen document's places (nothing when no single document is chosen)."""
    doc = docview.chosen_document(vs)
    if doc is None or doc not in catalog.documents:
        return
    lang = vs.lang
    view = places_of(catalog, doc)
    title = doc_title(catalog.documents[doc], lang) or doc
    with st.expander(t("doc_view_title", lang, title=title, count=view.count), expanded=vs.selected is None):
        st.markdown(panel.PANEL_CSS + docview.places_html(catalog, view, lang), unsafe_allow_html=True)
        key = f"docpick:{doc}"
        if st.session_state.get(key) not in (None, *view.place_ids):
            st.session_state[key] = None
        st.selectbox(t("doc_view_pick", lang), view.place_ids, index=None, key=key, on_change=_select, args=(key,),
                     placeholder=t("doc_view_pick", lang), label_visibility="collapsed",
                     format_func=lambda p: f"{catalog.places[p].title(lang)} · {label('kind', catalog.places[p].kind, lang)}")


def show_on_map(doc_id: str) -> None:
    """The reader's button: the map, with the documents filter set to this one document."""
    set_state(state().with_(view="map", docs=(doc_id,), selected=None, clause=None, center=None, zoom=None))
    st.session_state["w_view"] = "map"
    st.session_state["w_docs"] = [doc_id]


def reader_button(doc_id: str, lang: str) -> None:
    """"Show this document's places on the map" (in the reader)."""
    st.button(t("doc_view_on_map", lang), key=f"docmap:{doc_id}", on_click=show_on_map, args=(doc_id,))
