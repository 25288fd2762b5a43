"""Benchmark of geo.render: choropleth computation/redraw and map-image export.

- choropleth, first: the spatial assignment of every place to the counties/prefectures
  (ThematicIndex, once per layers/) plus one county choropleth, in a fresh cache.
- choropleth redraw: a county choropleth under a new filter (document, theme) with the assignment
  cached, as the app redraws it when the presenter changes the filter. Target ≤ 1 s.
- PNG export of the default view: `render_map` of the economic-circle extent, all documents,
  A4 landscape at 300 dpi (3508 × 2480), encoded to PNG, in-process (layers/ already read). Target ≤ 5 s.
- PDF export (16:9 slide) of the 纲要 with its county choropleth, for comparison.
"""

from __future__ import annotations

import statistics
import time

from bench.timing import Row, median_seconds
from geo.layers import read_layers
from geo.render import thematic
from geo.render.mapimage import MapView, render_map

RUNS = 3


def run() -> list[Row]:
    layerset = read_layers()
    thematic._CACHE.clear()
    t0 = time.perf_counter()
    thematic.choropleth(layerset, "county")
    first = time.perf_counter() - t0
    docs = [d["id"] for d in layerset.index["documents"]]
    filters = iter(
        thematic.MentionFilter(docs=frozenset({d}), clause=thematic.theme_filter(th), label=th)
        for d in docs * 10
        for th in ("交通", "产业")
    )
    redraw = median_seconds(lambda: thematic.choropleth(layerset, "county", next(filters)), runs=9)
    cpu: list[float] = []

    def png_once() -> None:
        c0 = time.process_time()
        render_map(layerset, MapView(title="成渝地区双城经济圈"), "png", "a4")
        cpu.append(time.process_time() - c0)

    png = median_seconds(png_once, runs=RUNS)
    cpu_png = statistics.median(cpu[1:])
    gangyao = thematic.MentionFilter(docs=frozenset({"2020-chengyu-gangyao"}))
    pdf = median_seconds(
        lambda: render_map(layerset, MapView(title="纲要", filt=gangyao, thematic="county"), "pdf", "slide"),
        runs=RUNS,
    )
    return [
        Row("render", "choropleth first (place → unit assignment + counties)", first, "s", runs=1),
        Row("render", "choropleth redraw (county, new document/theme filter)", redraw, "s", target="≤ 1 s", runs=9),
        Row("render", "PNG export, default view (A4, 300 dpi)", png, "s", target="≤ 5 s", runs=RUNS,
            notes=[f"CPU time {cpu_png:.2f} s (wall time grows when the 2 cores are shared)"]),
        Row("render", "PDF export, 纲要 + county choropleth (slide)", pdf, "s", runs=RUNS),
    ]
