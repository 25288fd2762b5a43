"""The review queue in the app: place-like strings the gazetteer does not know, and the planner's decisions.

Composition only (Streamlit); the logic is geo.places.review (decisions in data/gazetteer/planner.csv,
validated, atomic) and geo.layers.build_layers (the rebuild after a decision). Shown in the upload
view (the uploaded plan's unknown strings, `UploadResult.unresolved`) and in the reader view (the
document's queue over the clause texts of layers/index.json, `geo.places.review.queue_for_texts`). Everyone sees the queue; only an editor
(`geo.viewer.auth.is_editor`) gets the form, and nothing is written until "confirm" is pressed.
A new point takes its lon/lat from a click on the map or from the two number fields (WGS-84, inside
China's box). Only a click made after the form asked for one counts: while the form shows "point" (in
the upload view, beside the map) it arms the map with a token (`begin_map_run`, `map_group`: the
map frame stamps each click with it, geo.viewer.review_click) and `note_map_click` takes a click only
with that token, once, inside China; such a click places the point and selects nothing. The point is
kept under "<key>:point" (not in the number fields' widget state: a field's shown value falls back to
its default when the page re-mounts it, so the default is the point itself) and a new click gives the
fields new keys. All strings come from geo.viewer.i18n; names are shown with st.text (never HTML).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import folium
import streamlit as st

from geo.errors import PlanAtlasError
from geo.models import PRECISIONS
from geo.places import KINDS, load_gazetteer
from geo.places.gazetteer import ADMIN_KINDS
from geo.places.review import planner_rows, resolve_as_alias, resolve_as_area, resolve_as_point, undo
from geo.viewer.auth import is_editor
from geo.viewer.i18n import label, t
from geo.viewer.review_click import CHINA_BBOX, arm_group, click_identity, take_click

__all__ = ["begin_map_run", "document_queue", "map_group", "note_map_click", "render_review_queue",
           "wants_map_clicks"]

ARM_KEY = "review:arm"  # the armed request: {"form", "surface", "token", "taken", "live"}
ACTIONS = ("point", "alias", "area")
DEFAULT_POINT = (104.50, 30.20)  # between 成都 and 重庆, until the map is clicked


def wants_map_clicks() -> bool:
    """Whether the map should report plain clicks (an editor may be placing a point). Constant for
    a view, so that st_map reports every click and none is first seen later, out of its time."""
    return is_editor()


def begin_map_run() -> None:
    """Call in each run of the map view before the form: the form renews its request (or it lapses)."""
    arm = st.session_state.get(ARM_KEY)
    if isinstance(arm, dict):
        arm["live"] = False


def _arm(key: str, surface: str) -> dict[str, Any]:
    """The form `key` asks for a click for `surface`: keep its request, or make one (a new token)."""
    arm = st.session_state.get(ARM_KEY)
    if not (isinstance(arm, dict) and arm.get("form") == key and arm.get("surface") == surface):
        arm = {"form": key, "surface": surface, "token": secrets.token_hex(8), "taken": None}
        st.session_state[f"{key}:point"] = DEFAULT_POINT
        st.session_state[f"{key}:point_n"] = st.session_state.get(f"{key}:point_n", 0) + 1
    arm["live"] = True
    st.session_state[ARM_KEY] = arm
    return arm


def map_group(lang: str = "zh", gcj02: bool = False) -> folium.FeatureGroup:
    """The map's review group (after the form, same run): the click token and the pending point;
    without a live request it disarms the map (a map frame keeps the last token it was given)."""
    arm = st.session_state.get(ARM_KEY)
    if isinstance(arm, dict) and not arm.get("live"):
        st.session_state.pop(ARM_KEY, None)
        arm = None
    if not isinstance(arm, dict):
        return arm_group("")
    point = st.session_state.get(f"{arm['form']}:point")
    return arm_group(arm["token"], point, t("rv_pending", lang, name=arm["surface"]), gcj02=gcj02)


def note_map_click(value: Mapping[str, Any] | None, gcj02: bool = False) -> bool:
    """Take st_map's `last_clicked` as the armed form's point if it may be one (see the module
    docstring; `gcj02`: the map is drawn on a GCJ-02 basemap). True when the click was the form's
    (a new point, or one outside China, which is refused with a message): the map should not also
    select what lies under it."""
    arm = st.session_state.get(ARM_KEY)
    token = str(arm.get("token", "")) if isinstance(arm, dict) else ""
    verdict, point = take_click(value, token, arm.get("taken") if isinstance(arm, dict) else None, gcj02)
    if verdict not in ("point", "outside", "invalid") or not isinstance(arm, dict):
        return False
    arm["taken"] = click_identity(value["last_clicked"])  # type: ignore[index]
    form = arm["form"]
    if point is None:
        st.session_state[f"{form}:click_refused"] = True
        return True
    st.session_state[f"{form}:point"] = point
    st.session_state[f"{form}:point_n"] = st.session_state.get(f"{form}:point_n", 0) + 1  # new fields
    st.session_state.pop(f"{form}:click_refused", None)
    return True


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


def _decide(action: str, surface: str, key: str, point: tuple[float, float]) -> dict[str, str]:
    ss = st.session_state
    common = {"who": ss.get(f"{key}:who", ""), "why": ss.get(f"{key}:why", "")}
    if action == "alias":
        return resolve_as_alias(surface, ss[f"{key}:alias_of"], **common)
    kind, precision, note = ss[f"{key}:kind"], ss[f"{key}:precision"], ss.get(f"{key}:note", "")
    if action == "point":
        return resolve_as_point(surface, point[0], point[1], kind=kind, precision=precision, note=note, **common)
    return resolve_as_area(surface, ss.get(f"{key}:members") or [], kind=kind, precision=precision, note=note,
                           **common)


def _point_fields(key: str, lang: str, map_clicks: bool) -> tuple[float, float]:
    """The lon/lat fields of a new point, showing "<key>:point" (the last click or what was typed)."""
    ss = st.session_state
    point = ss.get(f"{key}:point") or DEFAULT_POINT
    n = ss.get(f"{key}:point_n", 0)
    if map_clicks:
        st.caption(t("rv_click_hint", lang))
        if ss.get(f"{key}:click_refused"):
            x0, y0, x1, y1 = CHINA_BBOX
            st.warning(t("rv_click_outside", lang, w=x0, e=x1, s=y0, n=y1))
    x0, y0, x1, y1 = CHINA_BBOX
    c1, c2 = st.columns(2)
    lon = c1.number_input(t("rv_lon", lang), min_value=x0, max_value=x1, value=float(point[0]), format="%.6f",
                          key=f"{key}:lon:{n}")
    lat = c2.number_input(t("rv_lat", lang), min_value=y0, max_value=y1, value=float(point[1]), format="%.6f",
                          key=f"{key}:lat:{n}")
    ss[f"{key}:point"] = (float(lon), float(lat))
    return float(lon), float(lat)


def _form(unknown: Sequence[str], lang: str, key: str, on_change: Callable[[], None] | None,
          map_clicks: bool) -> None:
    gaz = load_gazetteer()
    surface = st.selectbox(t("rv_pick", lang), list(unknown), key=f"{key}:surface")
    action = st.radio(t("rv_action", lang), ACTIONS, key=f"{key}:action", horizontal=True,
                      format_func=lambda a: t(f"rv_act_{a}", lang))
    point = DEFAULT_POINT
    if action == "point":
        if map_clicks:
            _arm(key, str(surface))
        point = _point_fields(key, lang, map_clicks)
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
            row = _decide(action, surface, key, point)
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
    map_clicks: bool = False,
) -> None:
    """The queue of `unknown` strings, the decision form (editors only) and the decisions with undo.

    session_features: the uploaded plan's session-layer features; planner places among them are
    listed with their clause excerpt (what the map now shows). on_change: called after a write
    (e.g. to drop the cached analysis of the upload so that it is redone with the new gazetteer).
    map_clicks: the map beside the form takes a new point's click (the caller then calls
    `begin_map_run` before and `map_group` / `note_map_click` after this, in the same run).
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
        _form(unknown, lang, key, on_change, map_clicks)
    _decisions(lang, key, on_change)
