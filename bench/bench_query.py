"""Benchmark: the embedded index (layers/atlas.sqlite) and clause search at 1×, 10× and 100×.

Synthetic corpora are copies of the real documents under new ids and dates (copy k of a document
dated D is dated D + k days; its clauses and mentions are the originals'), built into an index
dict of the layers/index.json shape and written with geo.layers.write_atlas directly: a full
`geo build` at 100× (extraction and geometry of 4,400 documents) would take long and measure the
layer build, not the index. Per size: index write time, file size, search latency (median and
p95 over 50 fixed queries of every kind: 1–2 characters (instr scan), 3+ (trigram index), phrases,
AND, OR, exclusions, filters), timeline and compare once each, and the peak memory of a process
that answers one search from the store, beside one that loads the same index as JSON.

Viewer at each size (skipped with `PA_BENCH_VIEWER=0`): the real app on a copy
of layers/ whose atlas.sqlite is the synthetic one (the GeoJSON layers are the real ones: the copies
name the same places), in headless Chromium: first paint (all features drawn), click → clause
panel, and the server's memory (VmRSS) after those runs; the 1× figures are the baselines.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.timing import Row
from geo import settings
from geo.layers import write_atlas
from geo.query.compare import compare
from geo.query.search import Filters, search
from geo.query.store import AtlasStore
from geo.query.timeline import new_in_period

FACTORS: tuple[int, ...] = (1, 10, 100)

QUERIES: tuple[tuple[str, Filters], ...] = tuple(
    (q, Filters())
    for q in (
        "氢能", "港", "铁路", "机场", "天然气", "陆海新通道", "成渝地区双城经济圈", "中欧班列", "万州", "达州",
        "5G", "数据中心", "金融", "文化旅游", "生态", "乡村振兴", "营商环境", "科技创新", "实验室", "物流枢纽",
        '"西部陆海新通道"', '"长江上游生态屏障"', "氢能 OR 天然气", "港 | 机场", "铁路 万州", "高铁 -重庆",
        "成渝 -成都", "天然气 -成渝地区双城经济圈", "一带一路 开放", "旅游 OR 文化 巴蜀",
        "绿色 低碳", "碳达峰 碳中和", "养老 OR 医疗", "川渝通办", "氢", "江", "高速公路 OR 铁路 -规划",
        "自由贸易试验区", "综合保税区", "国际消费中心城市",
    )
) + (
    ("铁路", Filters(since="2022")),
    ("", Filters(themes=("交通",), since="2023")),
    ("能源", Filters(kinds=("方案",))),
    ("港", Filters(until="2021-12-31")),
    ("", Filters(themes=("能源",))),
    ("氢能", Filters(themes=("能源", "产业"))),
    ("开放", Filters(since="2022", until="2022-12-31")),
    ("科技", Filters(docs=("2023-western-science-city-opinion",))),
    ("物流", Filters(kinds=("规划", "方案"), since="2021")),
    ("成都", Filters(themes=("文化旅游",))),
)


def _shift(day: str, k: int) -> str:
    try:
        return (date.fromisoformat(day) + timedelta(days=k)).isoformat() if k else day
    except ValueError:
        return day  # "2023" or "": kept as they are


def synthetic_index(index: dict[str, Any], factor: int) -> dict[str, Any]:
    """`factor` copies of every document (copy 0 is the original) in the index.json shape."""
    docs, clauses = [], []
    by_doc: dict[str, list[dict]] = {}
    for c in index["clauses"]:
        by_doc.setdefault(c["doc_id"], []).append(c)
    for k in range(factor):
        for d in index["documents"]:
            new_id = d["id"] if k == 0 else f"{d['id']}~{k}"
            docs.append(dict(d, id=new_id, date=_shift(d["date"], k)))
            for c in by_doc.get(d["id"], []):
                clauses.append(dict(c, id=new_id + c["id"][len(d["id"]):], doc_id=new_id))
    return {"format_version": index["format_version"], "documents": docs, "clauses": clauses,
            "places": index["places"]}


# VmHWM (peak resident set of this process image): ru_maxrss would carry the parent's peak over
# fork+exec on Linux, and the benchmark process itself holds the synthetic index.
# Both modes import geo.query first (shapely & co. through geo.layers), so the figures differ by
# the data only.
_MEM_SCRIPT = """
import json, sys
from pathlib import Path
from geo.query import AtlasStore, search
if sys.argv[1] == "json":
    data = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
else:
    search(AtlasStore(sys.argv[2]), "铁路")
status = Path("/proc/self/status").read_text()
print(int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024)
"""


def _peak_mb(mode: str, path: Path) -> float:
    out = subprocess.run([sys.executable, "-c", _MEM_SCRIPT, mode, str(path)], check=True, capture_output=True,
                         text=True, cwd=settings.ROOT)
    return float(out.stdout.strip())


def _latencies(store: AtlasStore) -> list[float]:
    for q, f in QUERIES[:5]:  # warm the page cache like a running app
        search(store, q, f)
    times = []
    for q, f in QUERIES:
        t0 = time.perf_counter()
        search(store, q, f)
        times.append(time.perf_counter() - t0)
    return times


def _viewer(atlas: Path, tmp: Path, factor: int) -> tuple[float, float, float]:
    """(first paint s, click → panel s, server RSS MB) of the app on layers/ with this atlas."""
    from playwright.sync_api import sync_playwright

    from bench.bench_viewer import _click_panel, _first_paint, _targets
    from geo.layers import read_layers
    from geo.viewer.data import Catalog
    from tests.support.browser import ROOT, AppServer, launch_chromium

    root = tmp / f"root-{factor}"
    shutil.copytree(settings.LAYERS_DIR, root / "layers")
    (root / "layers" / "atlas.sqlite").unlink()
    os.link(atlas, root / "layers" / "atlas.sqlite")
    layerset = read_layers(root / "layers")
    n = sum(len(fc["features"]) for fc in layerset.collections.values())
    targets = _targets(Catalog.from_layerset(layerset), layerset, 2)
    paints, clicks = [], []
    with AppServer(ROOT / "app.py", env={"PLAN_ATLAS_ROOT": str(root)}) as app, sync_playwright() as p:
        browser = launch_chromium(p)
        _, ctx, *_ = _first_paint(browser, app.url, n)  # warm: imports, caches
        ctx.close()
        for _ in range(2):
            paint, ctx, page, _, probe = _first_paint(browser, app.url, n)
            paints.append(paint)
            page.wait_for_timeout(1500)
            for _name, lat, lon in targets:
                clicks.append(_click_panel(page, probe, lat, lon, here_list=False)[0])
            ctx.close()
        rss = app.rss_bytes() / 1e6
        browser.close()
    shutil.rmtree(root)
    return statistics.median(paints), statistics.median(clicks), rss


def run() -> list[Row]:
    """Rows per factor: write time, size, search median/p95, timeline, compare, reader memory."""
    index = json.loads((settings.LAYERS_DIR / "index.json").read_text(encoding="utf-8"))
    rows: list[Row] = []
    base: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for factor in FACTORS:
            data = synthetic_index(index, factor)
            path = Path(tmp) / f"atlas-{factor}.sqlite"
            t0 = time.perf_counter()
            entry = write_atlas(path, data)
            build = time.perf_counter() - t0
            store = AtlasStore(path)
            times = sorted(_latencies(store))
            med = statistics.median(times)
            p95 = times[int(0.95 * (len(times) - 1))]
            t0 = time.perf_counter()
            new_in_period(store, "2021-12-31", "2022-12-31")
            t_timeline = time.perf_counter() - t0
            t0 = time.perf_counter()
            compare(store, "2020-chengyu-gangyao", "2023-wandakai-plan")
            t_compare = time.perf_counter() - t0
            json_path = Path(tmp) / f"index-{factor}.json"
            json_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            mem_store, mem_json = _peak_mb("store", path), _peak_mb("json", json_path)
            json_path.unlink()
            store.close()
            label = f"{factor}× ({len(data['documents'])} docs, {len(data['clauses'])} clauses)"
            viewer = _viewer(path, Path(tmp), factor) if os.environ.get("PA_BENCH_VIEWER", "1") != "0" else None
            if factor == 1:
                base = {"med": med, "p95": p95, "mem": mem_store}
                if viewer:
                    base |= {"paint": viewer[0], "click": viewer[1], "rss": viewer[2]}
            rows += [
                Row("query", f"index write {label}", build, "s", runs=1,
                    notes=[f"{entry['mentions']} mentions, {entry['clause_themes']} clause themes"]),
                Row("query", f"index size {factor}×", entry["bytes"] / 1e6, "MB", runs=1),
                Row("query", f"search median, 50 queries, {factor}×", med, "s", baseline=base["med"],
                    baseline_what="1× median", target="≤ 0.3 s at 100×" if factor == 100 else "", runs=len(times)),
                Row("query", f"search p95, 50 queries, {factor}×", p95, "s", baseline=base["p95"],
                    baseline_what="1× p95", target="≤ 0.3 s at 100×" if factor == 100 else "", runs=len(times),
                    notes=[f"slowest: {times[-1]:.3f} s"]),
                Row("query", f"timeline new_in_period {factor}×", t_timeline, "s", runs=1),
                Row("query", f"compare two documents {factor}×", t_compare, "s", runs=1),
                Row("query", f"reader peak memory, store + 1 search, {factor}×", mem_store, "MB",
                    baseline=mem_json, baseline_what="json.load of the same index", runs=1),
            ]
            if viewer:
                rows += [
                    Row("query", f"viewer first paint {factor}×", viewer[0], "s", baseline=base["paint"],
                        baseline_what="1×", target="≤ 1.2× of 1×" if factor > 1 else "", runs=2),
                    Row("query", f"viewer click → panel {factor}×", viewer[1], "s", baseline=base["click"],
                        baseline_what="1×", target="≤ 1.2× of 1×" if factor > 1 else "", runs=4),
                    Row("query", f"viewer server memory after start {factor}×", viewer[2], "MB",
                        baseline=base["rss"], baseline_what="1×", target="≤ 1.5× of 1×" if factor > 1 else "",
                        runs=1),
                ]
    return rows
