"""Map furniture for geo.render.mapimage: scale bar, north arrow, non-overlapping labels.

Pure matplotlib on an axes whose data units are metres of a conformal projection centred on the
view (so a length measured along the bar is true at the map's centre).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrow, Rectangle
from matplotlib.transforms import Bbox


def nice_length(max_m: float) -> float:
    """The largest 1·2·5×10ⁿ metres not above `max_m`."""
    if max_m <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(max_m))
    return max(m * e for m in (1, 2, 5) if m * e <= max_m)


def scale_bar(ax: Axes, fontsize: float, unit_label: str = "km") -> float:
    """Draw a two-segment scale bar at the axes' lower left; returns its length in metres."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = nice_length((x1 - x0) * 0.22)
    left, base = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05
    h = (y1 - y0) * 0.012
    bg = Rectangle((left - (x1 - x0) * 0.015, base - h * 1.6), length + (x1 - x0) * 0.05, h * 6.2,
                   facecolor="white", edgecolor="none", alpha=0.8, zorder=20)
    ax.add_patch(bg)
    for i, color in enumerate(("#222222", "#ffffff")):
        ax.add_patch(Rectangle((left + i * length / 2, base), length / 2, h, facecolor=color,
                               edgecolor="#222222", linewidth=0.8, zorder=21))
    km = length / 1000
    text = f"{km:g} {unit_label}" if km >= 1 else f"{length:g} m"
    for x, s in ((left, "0"), (left + length, text)):
        ax.text(x, base + h * 1.6, s, ha="center" if s == "0" else "right", va="bottom", fontsize=fontsize,
                zorder=22)
    return length


def north_arrow(ax: Axes, fontsize: float, label: str = "N") -> None:
    """Draw a north arrow at the axes' upper right (the projection's north is up at the centre)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x = x1 - (x1 - x0) * 0.05
    y = y1 - (y1 - y0) * 0.17
    dy = (y1 - y0) * 0.08
    ax.add_patch(FancyArrow(x, y, 0, dy, width=(x1 - x0) * 0.008, head_width=(x1 - x0) * 0.025,
                            head_length=dy * 0.45, length_includes_head=True, color="#222222", zorder=22))
    ax.text(x, y + dy * 1.08, label, ha="center", va="bottom", fontsize=fontsize, fontweight="bold", zorder=22,
            path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])


def place_labels(
    ax: Axes,
    candidates: Sequence[tuple[str, float, float, float, str]],
    reserved: Sequence[Bbox] = (),
) -> list[str]:
    """Label (text, x, y, fontsize, weight) candidates in priority order, skipping any whose box would
    overlap a placed label or a reserved box, or leave the axes. Each text is placed at most once.
    Returns the texts placed."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken: list[Bbox] = list(reserved)
    placed: list[str] = []
    seen: set[str] = set()
    for text, x, y, size, weight in candidates:
        if text in seen:
            continue
        t = ax.text(x, y, text, fontsize=size, fontweight=weight, ha="center", va="center", zorder=30,
                    path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")], clip_on=True)
        box = t.get_window_extent(renderer).expanded(1.08, 1.15)
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        if not inside or any(box.overlaps(b) for b in taken):
            t.remove()
            continue
        taken.append(box)
        placed.append(text)
        seen.add(text)
    return placed
