"""Stage 3, layers: documents, places, mentions and geometries → the committed layers/ folder.

build.py builds (incremental caches, atomic swap), validates and reads layers/; specs.py is the one
registry of layer kinds; geojson.py writes byte-stable RFC 7946 text. Public surface:
"""

from geo.layers._assemble import ADMIN_LAYERS, DEFAULT_VIEW, BuildInputs, assemble_session, excerpt
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

__all__ = [
    "ADMIN_LAYERS",
    "DEFAULT_VIEW",
    "INDEX_FILE",
    "MANIFEST_FILE",
    "BuildInputs",
    "LayerSet",
    "assemble_session",
    "build_layers",
    "dumps",
    "excerpt",
    "feature_collection_text",
    "input_checksums",
    "layer_file",
    "load_inputs",
    "read_layers",
    "rfc7946_problems",
    "layers_older_than_data",
    "stale_inputs",
    "validate_layers",
]
