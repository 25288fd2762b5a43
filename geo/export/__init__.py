"""Stage 4b, export: layers/ → GeoJSON, GeoPackage, CSV and KML downloads (whole or a subset by
document, kind or place). Public surface:
"""

from geo.export.writers import (
    FORMATS,
    export_bytes,
    export_file,
    mention_rows,
    select_features,
    suggested_filename,
)

__all__ = ["FORMATS", "export_bytes", "export_file", "mention_rows", "select_features", "suggested_filename"]
