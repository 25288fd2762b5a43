"""Presentation outputs built from layers/: thematic maps (专题图) and map images (PNG/PDF).

- `geo.render.classify`: quantile and natural-breaks (Fisher–Jenks) classes and their colours.
- `geo.render.thematic`: mentions per county/prefecture under a document/period/theme filter, the
  choropleth FeatureCollections for the exports, proportional symbols for points.
- `geo.render.mapimage`: a view rendered with geopandas + matplotlib to PNG (300 dpi) or PDF.

Reads only a `geo.layers.LayerSet`; imports nothing from the viewer (labels and colours can be passed in).
"""

from __future__ import annotations

from geo.render.classify import Classification, classify, jenks_breaks, quantile_breaks
from geo.render.thematic import (
    COLLECTION_NAMES,
    Choropleth,
    MentionFilter,
    choropleth,
    place_mentions,
    proportional_symbols,
    thematic_collections,
    thematic_index,
    theme_filter,
)

__all__ = [
    "COLLECTION_NAMES",
    "Choropleth",
    "Classification",
    "MentionFilter",
    "choropleth",
    "classify",
    "jenks_breaks",
    "place_mentions",
    "proportional_symbols",
    "quantile_breaks",
    "theme_filter",
    "thematic_collections",
    "thematic_index",
]
