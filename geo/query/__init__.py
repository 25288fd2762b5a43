"""Ask the plans: clause search, themes, timeline and comparison over layers/atlas.sqlite.

Where the data comes from: layers/atlas.sqlite, written by the layer build (geo.query.writer,
called from geo.layers.build_layers) from the same index as layers/index.json plus the theme
keyword table data/themes.csv. Readers open it read-only through `AtlasStore`.
"""

from geo.query.store import AtlasStore, open_store
from geo.query.themes import ThemeTable, load_themes

__all__ = ["AtlasStore", "ThemeTable", "load_themes", "open_store"]
