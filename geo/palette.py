"""Display colours of place kinds, one table for the map (geo.viewer.mapview) and the exports (geo.export).

Where the data comes from: a fixed palette chosen for the viewer; a kind without its own colour
gets one of the palette's by a hash of its name (stable across runs). Pure, no imports of the viewer.
"""

from __future__ import annotations

import hashlib

PALETTE: tuple[str, ...] = (
    "#e4572e", "#2e86ab", "#76b041", "#9c27b0", "#ff9f1c", "#17bebb", "#c0392b", "#5d6d7e", "#8e6c8a",
)
KIND_COLORS: dict[str, str] = {
    "province": "#5d6d7e",
    "prefecture": "#2e86ab",
    "county": "#17bebb",
    "composite": "#e4572e",
    "metro": "#ff9f1c",
    "zone": "#9c27b0",
    "airport": "#c0392b",
    "railway": "#8e44ad",
    "highway": "#d35400",
    "corridor": "#e67e22",
    "axis": "#e4572e",
    "river": "#2980b9",
}


def kind_color(kind: str) -> str:
    """The display colour ("#rrggbb") of a kind."""
    if kind in KIND_COLORS:
        return KIND_COLORS[kind]
    return PALETTE[int(hashlib.md5(kind.encode()).hexdigest(), 16) % len(PALETTE)]
