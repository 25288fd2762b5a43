"""Project paths and constants shared by every module.

Everything is relative to the project root (the checkout, or the working directory for an installed
package); `PLAN_ATLAS_ROOT` overrides the root
(tests use it to work on a copy of data/ and layers/ without touching the real ones).
"""

from __future__ import annotations

import os
from pathlib import Path


def _default_root() -> Path:
    """The checkout holding geo/ when it has data/ (a source tree), else the working directory (an
    installed package, `pip install .`, run inside a project folder)."""
    source = Path(__file__).resolve().parent.parent
    return source if (source / "data").is_dir() else Path.cwd()


ROOT: Path = Path(os.environ.get("PLAN_ATLAS_ROOT") or _default_root())
DATA_DIR: Path = ROOT / "data"
DOCS_DIR: Path = DATA_DIR / "docs"
GAZETTEER_DIR: Path = DATA_DIR / "gazetteer"
LAYERS_DIR: Path = ROOT / "layers"
STATIC_DIR: Path = ROOT / "static"

# -- limits on input files (README "Limits"; every message that refuses a file names its limit) --
# The one size limit: an upload, a `geo add` input and a data/docs/*.txt file larger than this is
# refused before anything is read or copied (also the app's server.maxUploadSize, in MiB).
MAX_FILE_BYTES: int = 20 * 1024 * 1024
MAX_UPLOAD_BYTES: int = MAX_FILE_BYTES  # the same limit, by its older name
# Text extracted from one .docx or .pdf: at most this many characters (UTF-8 stays under the size limit).
MAX_TEXT_CHARS: int = 5_000_000
# .docx: the zip's parts may hold at most this many bytes uncompressed in all (declared sizes are
# checked first, then every part is streamed with this cap) ...
MAX_DOCX_UNCOMPRESSED_BYTES: int = 64 * 1024 * 1024
# ... and no part larger than 1 MiB may be compressed more than this ratio (zip bombs) ...
MAX_DOCX_RATIO: int = 100
# ... and the body at most this many paragraphs.
MAX_DOCX_PARAGRAPHS: int = 200_000
# .pdf: at most this many pages.
MAX_PDF_PAGES: int = 1_000
# A reader (in its child process) is stopped after this many seconds of wall time ...
MAX_READ_SECONDS: float = 25.0
# ... and may use at most this much memory (address space, resource.RLIMIT_AS).
MAX_READER_MEMORY_BYTES: int = 600 * 1024 * 1024

# Coordinate reference system at rest and in every export.
CRS_WGS84: str = "EPSG:4326"
# Equal-area CRS for areas (China Albers), used only for measurement.
CRS_EQUAL_AREA: str = (
    "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
)


def cache_root() -> Path | None:
    """The one cache root: `PLAN_ATLAS_CACHE` if set ("off", "0" or "none" disable caching), else
    ~/.cache/plan-atlas. Read at call time, so tests can switch it. Caches are keyed by their inputs,
    so one root serves every checkout and every PLAN_ATLAS_ROOT."""
    root = os.environ.get("PLAN_ATLAS_CACHE", "")
    if root.lower() in ("off", "0", "none"):
        return None
    return Path(root) if root else Path.home() / ".cache" / "plan-atlas"
