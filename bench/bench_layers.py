"""Benchmark of `python -m geo build`: full build, and rebuild after one document changed.

Each figure is the median wall time of a whole process (imports included), as `make build`
runs it, on a copy of data/ in a temporary folder (PLAN_ATLAS_ROOT), so the real layers/ and
the user's cache root are never touched (PLAN_ATLAS_CACHE points into the copy).

- full build: `python -m geo build --no-cache` (every clause extracted, every geometry built).
- rebuild after one document changed: a paragraph is appended to one plan file; the incremental
  build (`python -m geo build`, reusing the build cache primed by a build of the unchanged data: only
  the changed clauses are extracted, only changed geometries rebuilt) is run alternately with a
  full build of the same changed data, and the two outputs are checked byte-identical.
"""

from __future__ import annotations

import json
import os
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


def _build(root: Path, *args: str) -> float:
    env = dict(os.environ, PLAN_ATLAS_ROOT=str(root), PLAN_ATLAS_CACHE=str(root / "cache"))
    t0 = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "geo", "build", "-q", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return time.perf_counter() - t0


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run() -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="plan-atlas-bench-layers-") as tmp:
        work = Path(tmp) / "root"
        shutil.copytree(ROOT / "data", work / "data")
        full_times = [_build(work, "--no-cache", "--out", str(work / "full")) for _ in range(RUNS)]
        manifest = json.loads((work / "full" / "manifest.json").read_text(encoding="utf-8"))
        rows.append(
            Row(
                "layers",
                "full build (python -m geo build --no-cache)",
                statistics.median(full_times),
                "s",
                target="< 20 s",
                runs=RUNS,
                notes=[
                    "features: " + ", ".join(f"{k} {v['features']}" for k, v in manifest["layers"].items())
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

        # prime the cache with the unchanged data, then change one document
        _build(work, "--out", str(work / "layers"))
        primed = Path(tmp) / "primed-cache"
        shutil.copytree(work / "cache" / "build", primed)
        with (work / "data" / "docs" / CHANGED_FILE).open("a", encoding="utf-8") as fh:
            fh.write(APPENDED)
        inc_times, base_times, ratios = [], [], []
        for _ in range(RUNS):
            shutil.rmtree(work / "cache" / "build")
            shutil.copytree(primed, work / "cache" / "build")
            ti = _build(work, "--out", str(work / "incremental"))
            tf = _build(work, "--no-cache", "--out", str(work / "changed-full"))
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
