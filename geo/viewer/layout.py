"""Whole-screen layout of the viewer: the map fills the viewport, the clause panel beside it.

Streamlit gives an element a fixed pixel height; the screen does not. So the page gets one style
sheet (`page_css`) that sizes the map's iframe and the panel from the viewport with CSS
`calc(100vh - …)`, and the map script (geo.viewer.mapview) makes Leaflet fill its iframe and
follow its size. Below `NARROW_PX` Streamlit stacks the columns, and the panel flows below the
map. The first view fits the economic circle (`HOME_PLACE`'s bounding box) instead of a fixed zoom.
Data: none (constants and CSS).
"""

from __future__ import annotations

from geo.viewer.data import Catalog
from geo.viewer.mapframe import MAP_FRAME

__all__ = ["COLUMNS", "HOME_PLACE", "MAP_HEIGHT", "PANEL_KEY", "home_bounds", "page_css"]

# map : panel widths (Streamlit columns); the map gets about 62 % of the main area
COLUMNS: tuple[int, int] = (5, 3)
# the pixel height handed to st_map (its first frame); CSS then sizes the frame from the viewport
MAP_HEIGHT: int = 640
PRESENTER_HEIGHT: int = 860
PANEL_KEY: str = "pa_panel"  # st.container(key=...) → CSS class st-key-pa_panel
NARROW_PX: int = 640  # Streamlit stacks columns below this width
# what the first view shows: the Chengdu–Chongqing economic circle
HOME_PLACE: str = "composite:chengyu-circle"

_MAP_FRAME = MAP_FRAME  # the map's iframe (geo.viewer.mapframe)
# room above the map: Streamlit's top bar (made 2.75rem high) and the one-line title (2.2rem)
_ABOVE = "5.1rem"
_BELOW = "1rem"


def page_css() -> str:
    """The page's style sheet (a <style> block for st.markdown)."""
    return (
        "<style>"
        ".block-container{padding:2.9rem 1.2rem 0 1.2rem!important;max-width:100%!important}"
        "[data-testid=stHeader]{height:2.75rem;min-height:2.75rem;background:transparent}"
        ".pa-title{display:flex;align-items:baseline;gap:1rem;margin:0 0 .3rem 0;white-space:nowrap;overflow:hidden}"
        ".pa-title h3{margin:0;padding:0;font-size:1.35rem}"
        ".pa-title span{color:#666;font-size:.85rem;overflow:hidden;text-overflow:ellipsis}"
        f"{_MAP_FRAME}{{height:calc(100vh - {_ABOVE} - {_BELOW})!important;min-height:360px}}"
        # the panel (a keyed container of no fixed height) scrolls within the viewport
        f".st-key-{PANEL_KEY}{{height:calc(100vh - {_ABOVE} - {_BELOW} - 1.8rem)!important;min-height:300px;"
        "flex:0 0 auto!important;overflow-y:auto!important;overflow-x:hidden;flex-wrap:nowrap}"
        f"@media (max-width:{NARROW_PX}px){{"
        f"{_MAP_FRAME}{{height:70vh!important}}"
        f".st-key-{PANEL_KEY}{{height:auto!important;overflow:visible}}"
        ".pa-title{white-space:normal}}"
        "</style>"
    )


def home_bounds(catalog: Catalog) -> tuple[float, float, float, float] | None:
    """(w, s, e, n) the first view fits: the economic circle (None when it is not in layers/)."""
    place = catalog.places.get(HOME_PLACE)
    return place.bbox if place is not None else None
