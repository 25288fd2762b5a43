"""The map-image download buttons of the app: PNG (300 dpi, A4) and PDF (A4, 16:9 slide) of the view.

Data: the LayerSet and Catalog the app holds and the current ViewState (document filter, selection,
clause); drawn by geo.render.mapimage with the viewer's kind names and colours, the permalink of
the view printed on the image. The bytes are made only when a button is clicked (deferred data).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from geo.palette import kind_color
from geo.render.mapimage import MapStyle, MapView, render_map
from geo.render.thematic import MentionFilter
from geo.viewer import panel
from geo.viewer import state as viewstate
from geo.viewer.data import Catalog, doc_title
from geo.viewer.i18n import label, t
from geo.viewer.state import ViewState

FORMATS: tuple[tuple[str, str, str, str], ...] = (  # (i18n key, format, size, MIME type)
    ("map_image_png", "png", "a4", "image/png"),
    ("map_image_pdf", "pdf", "a4", "application/pdf"),
    ("map_image_slide", "pdf", "slide", "application/pdf"),
)


def image_view(catalog: Catalog, vs: ViewState, base_url: str = "") -> MapView:
    """The MapView of what the app shows: its documents, selection and clause's places, its permalink."""
    docs = vs.docs or ()
    title = (doc_title(catalog.documents[docs[0]], vs.lang) or docs[0] if len(docs) == 1 and docs[0] in catalog.documents
             else t("app_title", vs.lang))
    if vs.selected and vs.selected in catalog.places:
        title = f"{title} · {catalog.places[vs.selected].display_name(vs.lang)}"
    link = panel.permalink(viewstate.to_query_params(vs.with_(presenter=False)))
    return MapView(title=title, filt=MentionFilter(docs=frozenset(docs) if docs else None),
                   selected=tuple(vs.highlighted(catalog)), permalink=base_url.split("?")[0] + link, lang=vs.lang)


def image_bytes(layerset: Any, view: MapView, fmt: str, size: str) -> Callable[[], bytes]:
    """A deferred producer of the image's bytes (for st.download_button's data)."""
    style = MapStyle(kind_label=lambda k: label("kind", k, view.lang), kind_color=kind_color)
    return lambda: render_map(layerset, view, fmt, size, style)


def downloads(layerset: Any, catalog: Catalog, vs: ViewState) -> None:
    """The three download buttons (the app's hook, inside its downloads expander)."""
    import streamlit as st

    base = str(getattr(st.context, "url", "") or "")
    view = image_view(catalog, vs, base)
    st.caption(t("map_image", vs.lang))
    for key, fmt, size, mime in FORMATS:
        st.download_button(t(key, vs.lang), data=image_bytes(layerset, view, fmt, size),
                           file_name=f"plan-atlas-{size}.{fmt}", mime=mime, key=f"dl:img:{fmt}:{size}",
                           on_click="ignore")
