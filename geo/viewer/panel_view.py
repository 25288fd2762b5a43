"""The clause panel beside the map (Streamlit; its HTML is geo.viewer.panel's, escaped there).

Shows, for the selected place: the "what is here" list of the last click (geo.viewer.here_view),
the place's name, kind, precision and provenance (geo.viewer.provenance), and the clauses that
mention it, by document in date order, a page at a time ("load more": no limit). For an area —
an admin unit or a composite region — a toggle widens the list to the area dossier
(geo.viewer.dossier): the clauses about the places inside it, grouped by the place they name,
with counts. A clause's "show its places" highlights them on the map.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import streamlit as st

from geo.viewer import dossier as dossier_mod
from geo.viewer import here_view, mapview, panel, provenance
from geo.viewer import state as viewstate
from geo.viewer.data import Catalog, PlaceInfo, doc_title
from geo.viewer.here import HereIndex
from geo.viewer.i18n import label, t
from geo.viewer.session import set_state, state
from geo.viewer.state import ViewState

__all__ = ["PAGE_CLAUSES", "clause_panel", "clear_clause", "select_here", "show_clause", "show_more"]

PAGE_CLAUSES = 40  # clauses per page of the panel (load more adds a page)


def select_here(place_id: str) -> None:
    """An entry of the "what is here" list: select it (the map stays where it is)."""
    st.session_state["click_selected"] = None
    set_state(viewstate.select(state(), place_id))


def show_clause(clause_id: str, catalog: Catalog | None = None) -> None:
    """"Show its places": highlight the clause's places, and fit the map to them."""
    set_state(state().with_(clause=clause_id))
    if catalog is not None:
        box = places_bbox(catalog, catalog.clause_place_ids(clause_id))
        if box is not None:
            w, s, e, n = box
            st.session_state["fly"] = ([(s + n) / 2, (w + e) / 2], mapview.fit_zoom(box))


def places_bbox(catalog: Catalog, place_ids: list[str]) -> tuple[float, float, float, float] | None:
    """The bounding box (w, s, e, n) of the places that have a geometry (None: none has)."""
    boxes = [b for b in (catalog.places[i].bbox for i in place_ids if i in catalog.places) if b is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def clear_clause() -> None:
    set_state(state().with_(clause=None))


def show_more(limit_key: str, limit: int) -> None:
    """The "load more" button: the panel shows `limit` clauses of the place from now on."""
    st.session_state[limit_key] = limit


def _clause_highlight(catalog: Catalog, vs: ViewState) -> None:
    lang = vs.lang
    c = catalog.clauses[str(vs.clause)]
    ids = catalog.clause_place_ids(c["id"])
    names = ("、" if lang == "zh" else ", ").join(
        escape(catalog.places[i].display_name(lang)) for i in ids if i in catalog.places)
    doc = catalog.documents.get(c.get("doc_id", ""), {})
    path = " › ".join(str(x) for x in [*(c.get("path") or []), c.get("label") or ""] if x)
    head = t("clause_places", lang, title=doc_title(doc, lang) or c.get("doc_id", ""), path=f" › {path}" if path else "",
             count=len(ids))
    st.markdown(
        f'<div class="pa-meta" data-testid="pa-clause-places">{escape(head)}{escape(t("colon", lang))}{names}</div>',
        unsafe_allow_html=True,
    )
    st.button(t("clear_clause", lang), key="clear_clause", on_click=clear_clause)


def _sections(catalog: Catalog, index: HereIndex, place: PlaceInfo, docs: list[str] | None,
              wide: bool) -> list[tuple[str, list[tuple[dict[str, Any], list[dict[str, Any]]]]]]:
    if wide:
        return [(s.place_id, s.groups) for s in dossier_mod.dossier(catalog, index, place.id, docs)]
    return [(place.id, panel.clauses_for_place(catalog, place.id, docs))]


def clause_panel(catalog: Catalog, vs: ViewState, index: HereIndex,
                 extra: Callable[[str], None] | None = None) -> None:
    """The whole panel for the current view; `extra(place_id)` draws more about the selected place
    below its header (the uploaded plan's own clauses, geo.viewer.upload_map)."""
    lang = vs.lang
    st.markdown(panel.PANEL_CSS, unsafe_allow_html=True)
    if vs.clause and vs.clause in catalog.clauses:
        _clause_highlight(catalog, vs)
    if not vs.selected or vs.selected not in catalog.places:
        st.info(t("panel_empty", lang))
        return
    here_view.render_here(catalog, vs.selected, lang, select_here)
    place = catalog.places[vs.selected]
    st.markdown(panel.place_header_html(place, lang, provenance.describe(place.source, catalog, lang)),
                unsafe_allow_html=True)
    if extra is not None:
        extra(place.id)
    docs = viewstate.visible_docs(vs, catalog) if vs.docs is not None else None
    inside = dossier_mod.places_inside(index, place.id)
    wide = bool(inside) and st.toggle(t("dossier_toggle", lang, count=len(inside)), key=f"dossier:{place.id}",
                                      help=t("dossier_help", lang))
    sections = [(pid, g) for pid, g in _sections(catalog, index, place, docs, wide) if g]
    if not sections:
        st.caption(t("no_clauses", lang))
        return
    st.markdown(f"**{escape(t('clauses_mentioning', lang))}**")
    marks = [place.id, *inside] if wide else [place.id]
    total = sum(len(cl) for _, g in sections for _, cl in g)
    limit_key = f"limit:{place.id}:{int(wide)}"
    limit = int(st.session_state.get(limit_key, PAGE_CLAUSES))
    left = limit
    for pid, groups in sections:
        if left <= 0:
            break
        if wide:
            p = catalog.places[pid]
            n = sum(len(cl) for _, cl in groups)
            st.markdown(f'<div class="pa-sec" data-place="{escape(pid)}"><b>{escape(p.title(lang))}</b> '
                        f'<span class="pa-meta">{escape(label("kind", p.kind, lang))} · '
                        f'{escape(t("dossier_count", lang, count=n))}</span></div>', unsafe_allow_html=True)
        page = panel.first_clauses(groups, left)
        for doc, clauses in page:
            st.markdown(panel.doc_heading_html(doc, lang), unsafe_allow_html=True)
            for c in clauses:
                st.markdown(panel.clause_html(c, marks, lang), unsafe_allow_html=True)
                st.button(t("show_places", lang), key=f"cp:{c['id']}", on_click=show_clause,
                          args=(c["id"], catalog))
        left -= sum(len(cl) for _, cl in page)
    shown = min(limit, total)
    st.caption(t("clauses_shown", lang, shown=shown, total=total))
    if total > shown:
        st.button(t("load_more", lang, count=min(PAGE_CLAUSES, total - shown)), key=f"more:{place.id}",
                  on_click=show_more, args=(limit_key, limit + PAGE_CLAUSES))
