"""The review queue in the app: place-like strings the gazetteer does not know, and the planner's decisions.

Composition only (Streamlit); the logic is geo.places.review (decisions in data/gazetteer/planner.csv,
validated, atomic) and geo.layers.build_layers (the rebuild after a decision). Shown in the upload
view (the uploaded plan's unknown strings, `UploadResult.unresolved`) and in the reader view (the
document's queue over the clause texts of layers/index.json, `geo.places.review.queue_for_texts`). Everyone sees the queue; only an editor
(`geo.viewer.auth.is_editor`) gets the form, and nothing is written until "confirm" is pressed.
A new point takes its lon/lat from the last click on the map (`note_map_click`, WGS-84) or from
the two number fields. All strings come from geo.viewer.i18n; names are shown with st.text (never HTML).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from geo.errors import PlanAtlasError
from geo.models import PRECISIONS
from geo.places import KINDS, load_gazetteer
from geo.places.gazetteer import ADMIN_KINDS
from geo.places.review import planner_rows, resolve_as_alias, resolve_as_area, resolve_as_point, undo
from geo.viewer.auth import is_editor
from geo.viewer.i18n import label, t

__all__ = ["document_queue", "note_map_click", "render_review_queue", "wants_map_clicks"]

CLICK_KEY = "review:map_click"
ACTIONS = ("point", "alias", "area")
DEFAULT_POINT = (104.50, 30.20)  # between 成都 and 重庆, until the map is clicked


def wants_map_clicks() -> bool:
    """Whether the map should report plain clicks (an editor may be placing a point)."""
    return is_editor()


def note_map_click(value: Mapping[str, Any] | None) -> None:
    """Keep the last plain map click (st_folium's `last_clicked`, WGS-84 lat/lng) for a new point."""
    click = value.get("last_clicked") if value else None
    if isinstance(click, Mapping) and "lat" in click and "lng" in click:
        point = (round(float(click["lng"]), 6), round(float(click["lat"]), 6))
        if st.session_state.get(CLICK_KEY) != point:
            st.session_state[CLICK_KEY] = point
            st.rerun()  # the whole page: the form takes the point before its fields are drawn


@st.cache_data(show_spinner=False, max_entries=8)
def document_queue(texts: tuple[tuple[str, str], ...], fingerprint: str) -> list[str]:
    """The review queue of one document's (clause id, text) pairs as the reader shows them (cached
    per gazetteer fingerprint)."""
    from geo.places.review import queue_for_texts

    return [r.surface for r in queue_for_texts(texts)]


def _rebuild() -> None:
    from geo.layers import build_layers

    build_layers(progress=False, cache_dir=True)
    st.cache_data.clear()
    st.cache_resource.clear()


def _decide(action: str, surface: str, lang: str, key: str) -> dict[str, str]:
    ss = st.session_state
    common = {"who": ss.get(f"{key}:who", ""), "why": ss.get(f"{key}:why", "")}
    if action == "alias":
        return resolve_as_alias(surface, ss[f"{key}:alias_of"], **common)
    kind, precision, note = ss[f"{key}:kind"], ss[f"{key}:precision"], ss.get(f"{key}:note", "")
    if action == "point":
        lon, lat = ss.get("review:lon", DEFAULT_POINT[0]), ss.get("review:lat", DEFAULT_POINT[1])
        return resolve_as_point(surface, lon, lat, kind=kind, precision=precision, note=note, **common)
    return resolve_as_area(surface, ss.get(f"{key}:members") or [], kind=kind, precision=precision, note=note,
                           **common)


def _form(unknown: Sequence[str], lang: str, key: str, on_change: Callable[[], None] | None) -> None:
    gaz = load_gazetteer()
    surface = st.selectbox(t("rv_pick", lang), list(unknown), key=f"{key}:surface")
    action = st.radio(t("rv_action", lang), ACTIONS, key=f"{key}:action", horizontal=True,
                      format_func=lambda a: t(f"rv_act_{a}", lang))
    if action == "point":
        st.caption(t("rv_click_hint", lang))
        c1, c2 = st.columns(2)
        click = st.session_state.get(CLICK_KEY)
        if click and st.session_state.get("review:click_used") != click:
            st.session_state["review:click_used"] = click
            st.session_state["review:lon"], st.session_state["review:lat"] = click
        st.session_state.setdefault("review:lon", DEFAULT_POINT[0])
        st.session_state.setdefault("review:lat", DEFAULT_POINT[1])
        c1.number_input(t("rv_lon", lang), min_value=-180.0, max_value=180.0, format="%.6f", key="review:lon")
        c2.number_input(t("rv_lat", lang), min_value=-90.0, max_value=90.0, format="%.6f", key="review:lat")
    elif action == "alias":
        ids = sorted(gaz.places, key=lambda i: (gaz.places[i].kind not in ADMIN_KINDS, gaz.places[i].name))
        st.selectbox(t("rv_alias_of", lang), ids, key=f"{key}:alias_of",
                     format_func=lambda i: f"{gaz.places[i].name} ({i})")
    else:
        units = [p.id for p in gaz.places.values() if p.kind in ADMIN_KINDS and p.adcode[:2] in ("50", "51")]
        st.multiselect(t("rv_members", lang), units, key=f"{key}:members",
                       format_func=lambda i: gaz.places[i].name)
    if action != "alias":
        kinds = sorted(set(KINDS) - ADMIN_KINDS)
        c1, c2 = st.columns(2)
        c1.selectbox(t("rv_kind", lang), kinds, index=kinds.index("zone"), key=f"{key}:kind",
                     format_func=lambda k: f"{label('kind', k, lang)} ({k})")
        c2.selectbox(t("rv_precision", lang), PRECISIONS, key=f"{key}:precision",
                     index=PRECISIONS.index("approximate point" if action == "point" else "schematic"),
                     format_func=lambda p: label("precision", p, lang))
        st.text_input(t("rv_note", lang), key=f"{key}:note")
    c1, c2 = st.columns(2)
    c1.text_input(t("rv_who", lang), key=f"{key}:who")
    c2.text_input(t("rv_why", lang), key=f"{key}:why")
    if st.button(t("rv_confirm", lang), key=f"{key}:confirm", type="primary"):
        try:
            row = _decide(action, surface, lang, key)
            with st.spinner(t("rv_rebuilding", lang)):
                _rebuild()
        except PlanAtlasError as exc:
            st.error(str(exc))
            return
        st.session_state[f"{key}:flash"] = t("rv_saved", lang, name=row["name"], id=row["id"])
        if on_change:
            on_change()
        st.rerun()


def _decisions(lang: str, key: str, on_change: Callable[[], None] | None) -> None:
    rows = planner_rows()
    if not rows:
        return
    st.markdown(f"**{t('rv_decisions', lang)}**")
    for r in reversed(rows):
        what = r["alias_of"] or r["recipe"]
        c1, c2 = st.columns([5, 1])
        c1.text(f"{r['name']} — {what} — {r['who']}, {r['when']}: {r['why']}")
        if is_editor() and c2.button(t("rv_undo", lang), key=f"{key}:undo:{r['id']}"):
            try:
                undo(r["id"])
                with st.spinner(t("rv_rebuilding", lang)):
                    _rebuild()
            except PlanAtlasError as exc:
                st.error(str(exc))
                return
            st.session_state[f"{key}:flash"] = t("rv_undone", lang, name=r["name"])
            if on_change:
                on_change()
            st.rerun()


def render_review_queue(
    unknown: Sequence[str],
    *,
    lang: str = "zh",
    key: str = "review",
    session_features: Sequence[Mapping[str, Any]] = (),
    on_change: Callable[[], None] | None = None,
) -> None:
    """The queue of `unknown` strings, the decision form (editors only) and the decisions with undo.

    session_features: the uploaded plan's session-layer features; planner places among them are
    listed with their clause excerpt (what the map now shows). on_change: called after a write
    (e.g. to drop the cached analysis of the upload so that it is redone with the new gazetteer).
    """
    st.markdown(f"**{t('rv_title', lang, count=len(unknown))}**")
    flash = st.session_state.pop(f"{key}:flash", None)
    if flash:
        st.success(flash)
    mine = {r["id"] for r in planner_rows() if not r["alias_of"]}
    for f in session_features:
        props = f.get("properties") or {}
        if props.get("id") in mine:
            st.text(t("rv_on_map", lang, name=props.get("name", ""), excerpt=props.get("excerpt", "")))
    if unknown:
        st.text("、".join(unknown))
    else:
        st.caption(t("rv_none", lang))
    if not is_editor():
        if unknown:
            st.caption(t("rv_readonly", lang))
    elif unknown:
        _form(unknown, lang, key, on_change)
    _decisions(lang, key, on_change)
