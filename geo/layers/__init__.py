"""Stage 3, layers: documents, places, mentions and geometries → the committed layers/ folder.

build.py builds (incremental caches, atomic swap), validates and reads layers/; specs.py is the one
registry of layer kinds; geojson.py writes byte-stable RFC 7946 text; atlas.py writes atlas.sqlite
(the search index, with themes.py's theme of every clause from data/themes.csv). Public surface:
"""

from geo.layers._assemble import ADMIN_LAYERS, DEFAULT_VIEW, BuildInputs, assemble_session, excerpt
from geo.layers.atlas import ATLAS_FILE, date_bounds, write_atlas
from geo.layers.atlas import SCHEMA_VERSION as ATLAS_SCHEMA_VERSION
from geo.layers.build import (
    INDEX_FILE,
    MANIFEST_FILE,
    LayerSet,
    build_layers,
    input_checksums,
    layer_file,
    layers_older_than_data,
    load_inputs,
    read_layers,
    stale_inputs,
    validate_layers,
)
from geo.layers.geojson import dumps, feature_collection_text, rfc7946_problems
from geo.layers.themes import Theme, ThemeTable, load_themes, themes_path

__all__ = [
    "ADMIN_LAYERS",
    "ATLAS_FILE",
    "ATLAS_SCHEMA_VERSION",
    "DEFAULT_VIEW",
    "INDEX_FILE",
    "MANIFEST_FILE",
    "BuildInputs",
    "LayerSet",
    "Theme",
    "ThemeTable",
    "assemble_session",
    "build_layers",
    "date_bounds",
    "dumps",
    "excerpt",
    "feature_collection_text",
    "input_checksums",
    "layer_file",
    "load_inputs",
    "load_themes",
    "read_layers",
    "rfc7946_problems",
    "layers_older_than_data",
    "stale_inputs",
    "themes_path",
    "validate_layers",
    "write_atlas",
]
