"""The CJK font of the map images: Debian's fonts-noto-cjk (Noto Sans CJK), loaded explicitly.

Data: the font files the Debian package installs (scripts/install-system-deps.sh installs it).
matplotlib is given the file itself (`font_manager.addfont`), so it never falls back to a font
without the glyphs and no system font configuration is needed. The .ttc collection's first face
("Noto Sans CJK JP") is the one matplotlib reads; it covers every hanzi of the corpus (a few take
their Japanese form).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from geo.errors import RenderError

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


def cjk_font_path(bold: bool = False) -> Path:
    """The Noto Sans CJK file (bold falls back to regular); RenderError when fonts-noto-cjk is missing."""
    path = (_first(BOLD_CANDIDATES) if bold else None) or _first(CANDIDATES)
    if path is None:
        raise RenderError(
            "no CJK font for the map image: install Debian's fonts-noto-cjk "
            "(`bash scripts/install-system-deps.sh`) or set PLAN_ATLAS_CJK_FONT to a Noto Sans CJK file"
        )
    return path


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
