"""Classed legends for thematic maps: quantiles and Fisher–Jenks natural breaks, and their colours.

Pure functions on a list of numbers (no data files). Zero is kept out of the classes: a unit the
plans never name gets its own legend entry ("0"), so that the many silent counties do not pull
the breaks down. `jenks_breaks` is the exact Fisher (1958) dynamic programme that mapclassify's
FisherJenks also solves (minimum total within-class sum of squares), written with numpy here so
the app does not need mapclassify's scipy/scikit-learn stack. Colours are ColorBrewer's YlOrRd
sequential ramp (hex strings, the same in the folium map and the matplotlib image).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from geo.errors import RenderError

METHODS: tuple[str, ...] = ("jenks", "quantiles")
MAX_CLASSES: int = 7
ZERO_COLOR: str = "#eeeeee"
# ColorBrewer YlOrRd, n = 3..7 (Cynthia Brewer, colorbrewer2.org; Apache-2.0 style licence).
_YLORRD: dict[int, tuple[str, ...]] = {
    1: ("#fd8d3c",),
    2: ("#feb24c", "#f03b20"),
    3: ("#ffeda0", "#feb24c", "#f03b20"),
    4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
    5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
    7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
}


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


@dataclass(frozen=True)
class Classification:
    """Classes of the positive values: class i (1-based) holds values in (breaks[i-2], breaks[i-1]].

    Class 0 is the value 0 (not named). `lows[i-1]` is the smallest value of class i, for labels.
    """

    method: str
    breaks: tuple[float, ...]
    lows: tuple[float, ...]

    @property
    def k(self) -> int:
        """Number of classes of positive values."""
        return len(self.breaks)

    def class_of(self, value: float) -> int:
        """0 for zero, else the 1-based class whose upper break is the first ≥ value."""
        if value <= 0:
            return 0
        for i, b in enumerate(self.breaks, 1):
            if value <= b + 1e-9:
                return i
        return self.k

    def color(self, cls: int) -> str:
        """The fill colour of a class (0: light grey)."""
        return ZERO_COLOR if cls == 0 else _YLORRD[self.k][cls - 1]

    def label(self, cls: int) -> str:
        """Legend text of a class: "0", "5", "3–12"."""
        if cls == 0:
            return "0"
        lo, hi = self.lows[cls - 1], self.breaks[cls - 1]
        return _fmt(hi) if lo == hi else f"{_fmt(lo)}–{_fmt(hi)}"

    def legend(self, with_zero: bool = True) -> list[tuple[str, str]]:
        """(label, colour) pairs, lowest class first."""
        start = 0 if with_zero else 1
        return [(self.label(c), self.color(c)) for c in range(start, self.k + 1)]


def jenks_breaks(values: Sequence[float], k: int) -> list[float]:
    """Upper bounds of the k classes that minimise the total within-class sum of squares (Fisher 1958).

    Exact, O(k·n²) with numpy over the sorted values; fewer classes when there are fewer distinct values.
    """
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    k = min(k, len(np.unique(x)))
    if n == 0 or k <= 0:
        return []
    if k == 1:
        return [float(x[-1])]
    s1 = np.concatenate(([0.0], np.cumsum(x)))
    s2 = np.concatenate(([0.0], np.cumsum(x * x)))

    def sse(i: np.ndarray, j: int) -> np.ndarray:  # cost of the class x[i:j] for each start i
        cnt = j - i
        tot = s1[j] - s1[i]
        return (s2[j] - s2[i]) - tot * tot / cnt

    inf = math.inf
    cost = np.full((k + 1, n + 1), inf)
    back = np.zeros((k + 1, n + 1), dtype=int)
    cost[0, 0] = 0.0
    for c in range(1, k + 1):
        for j in range(c, n + 1):
            i = np.arange(c - 1, j)
            tot = cost[c - 1, i] + sse(i, j)
            m = int(np.argmin(tot))
            cost[c, j] = tot[m]
            back[c, j] = i[m]
    ends: list[int] = []
    j = n
    for c in range(k, 0, -1):
        ends.append(j)
        j = back[c, j]
    return sorted({float(x[e - 1]) for e in ends})


def quantile_breaks(values: Sequence[float], k: int) -> list[float]:
    """Upper bounds at the k-quantiles of the values (ties merged, so possibly fewer classes)."""
    x = np.sort(np.asarray(values, dtype=float))
    if len(x) == 0 or k <= 0:
        return []
    qs = [float(np.quantile(x, q / k, method="inverted_cdf")) for q in range(1, k + 1)]
    return sorted(set(qs))


def classify(values: Sequence[float], method: str = "jenks", k: int = 5) -> Classification:
    """Classes of the positive values (zeros left to class 0) by `method` ("jenks" or "quantiles")."""
    if method not in METHODS:
        raise RenderError(f"unknown classification {method!r}: use one of {', '.join(METHODS)}")
    if not 1 <= k <= MAX_CLASSES:
        raise RenderError(f"number of classes must be between 1 and {MAX_CLASSES}, not {k}")
    pos = sorted(v for v in values if v > 0)
    breaks = jenks_breaks(pos, k) if method == "jenks" else quantile_breaks(pos, k)
    lows: list[float] = []
    prev = -math.inf
    for b in breaks:
        lows.append(min((v for v in pos if prev < v <= b), default=b))
        prev = b
    return Classification(method=method, breaks=tuple(breaks), lows=tuple(lows))
