"""The CJK font of the map images: Debian's fonts-noto-cjk (Noto Sans CJK), loaded explicitly.

Data: the font files the Debian package installs (scripts/install-system-deps.sh installs it).
matplotlib is given the file itself (`font_manager.addfont`), so it never falls back to a font
without the glyphs and no system font configuration is needed. matplotlib reads only the first
face of a .ttc collection ("Noto Sans CJK JP", whose hanzi take Japanese forms in places), so the
Simplified Chinese face ("Noto Sans CJK SC") is copied once out of the collection with fontTools
into the cache (geo.storage.cache_dir("fonts"), about 16 MB, under a second) and that file is used.
"""

from __future__ import annotations

import io
import os
import tempfile
from functools import cache
from pathlib import Path

from geo.errors import RenderError
from geo.storage import atomic_write_bytes, cache_dir

SC_FAMILY = "Noto Sans CJK SC"

CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
BOLD_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Bold.ttc",
)


def _first(paths: tuple[str, ...]) -> Path | None:
    override = os.environ.get("PLAN_ATLAS_CJK_FONT")
    for p in ((override,) if override else ()) + paths:
        if p and Path(p).is_file():
            return Path(p)
    return None


@cache
def sc_face(path: Path) -> Path:
    """The Simplified Chinese face of a .ttc collection as its own font file (cached); `path` itself
    when it is not a collection or has no SC face."""
    if path.suffix.lower() != ".ttc":
        return path
    st = path.stat()
    folder = cache_dir("fonts") or Path(tempfile.gettempdir()) / "plan-atlas-fonts"
    out = folder / f"{path.stem}-SC-{st.st_size}-{int(st.st_mtime)}.otf"
    if out.is_file():
        return out
    from fontTools.ttLib import TTCollection

    for face in TTCollection(str(path), lazy=True).fonts:
        if face["name"].getDebugName(1) == SC_FAMILY:
            buf = io.BytesIO()
            face.save(buf)
            return atomic_write_bytes(out, buf.getvalue(), durable=False)
    return path


def cjk_font_path(bold: bool = False) -> Path:
    """The Noto Sans CJK file, Simplified Chinese face (bold falls back to regular); RenderError when
    fonts-noto-cjk is missing."""
    path = (_first(BOLD_CANDIDATES) if bold else None) or _first(CANDIDATES)
    if path is None:
        raise RenderError(
            "no CJK font for the map image: install Debian's fonts-noto-cjk "
            "(`bash scripts/install-system-deps.sh`) or set PLAN_ATLAS_CJK_FONT to a Noto Sans CJK file"
        )
    return sc_face(path)


@cache
def cjk_family() -> str:
    """Register the CJK font (regular and bold) with matplotlib; returns its family name."""
    from matplotlib import font_manager

    regular = cjk_font_path()
    font_manager.fontManager.addfont(str(regular))
    bold = cjk_font_path(bold=True)
    if bold != regular:
        font_manager.fontManager.addfont(str(bold))
    return font_manager.FontProperties(fname=str(regular)).get_name()
