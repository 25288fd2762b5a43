"""Project paths and constants shared by every module.

Everything is relative to the repository root; `PLAN_ATLAS_ROOT` overrides the root
(tests use it to work on a copy of data/ and layers/ without touching the real ones).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT: Path = Path(os.environ.get("PLAN_ATLAS_ROOT", Path(__file__).resolve().parent.parent))
DATA_DIR: Path = ROOT / "data"
DOCS_DIR: Path = DATA_DIR / "docs"
GAZETTEER_DIR: Path = DATA_DIR / "gazetteer"
LAYERS_DIR: Path = ROOT / "layers"
STATIC_DIR: Path = ROOT / "static"

# Text files larger than this are refused by the readers with a clear message.
MAX_TEXT_BYTES: int = 64 * 1024 * 1024
# Uploaded files (app) and `geo add` inputs larger than this are refused.
MAX_UPLOAD_BYTES: int = 20 * 1024 * 1024

# Coordinate reference system at rest and in every export.
CRS_WGS84: str = "EPSG:4326"
# Equal-area CRS for areas (China Albers), used only for measurement.
CRS_EQUAL_AREA: str = (
    "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
)
