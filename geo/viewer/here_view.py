"""The "what is here / 这里有什么" list of the clause panel (Streamlit; logic in geo.viewer.here).

After a click on the map the panel lists every place at that spot — the most specific first, as
the click chose it — each a button that selects that place instead (the list stays while the
selection is one of its entries). State: `st.session_state["here"]` = {"at": (lat, lon, zoom),
"ids": [...]}, written by `remember_click` when a click arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from geo.viewer.data import Catalog
from geo.viewer.here import HereIndex, what_is_here
from geo.viewer.i18n import label, t

__all__ = ["HERE_KEY", "remember_click", "render_here"]

HERE_KEY = "here"


def remember_click(index: HereIndex, value: dict[str, Any]) -> None:
    """Record what is at a map click (st_map's value: last_object_clicked, zoom)."""
    at = value.get("last_object_clicked") or {}
    try:
        lat, lon = float(at["lat"]), float(at["lng"])
    except (KeyError, TypeError, ValueError):
        st.session_state.pop(HERE_KEY, None)
        return
    z = value.get("zoom")
    zoom = float(z) if isinstance(z, int | float) and not isinstance(z, bool) else 8.0
    st.session_state[HERE_KEY] = {"at": (lat, lon, zoom), "ids": what_is_here(index, lat, lon, zoom)}


def render_here(catalog: Catalog, selected: str | None, lang: str, on_select: Callable[[str], None]) -> None:
    """The list, when the selection came from a click (or from this list)."""
    here = st.session_state.get(HERE_KEY)
    ids = [i for i in (here or {}).get("ids", []) if i in catalog.places]
    if not ids or selected not in ids:
        return
    with st.expander(t("what_here", lang, count=len(ids)), expanded=True), \
            st.container(height=min(44 * len(ids) + 8, 190), border=False, key="pa_here"):
        for pid in ids:
            p = catalog.places[pid]
            st.button(f"{p.title(lang)} · {label('kind', p.kind, lang)}", key=f"here:{pid}", on_click=on_select,
                      args=(pid,), type="primary" if pid == selected else "secondary", width="stretch")
