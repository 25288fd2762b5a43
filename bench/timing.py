"""Timing helpers for the benchmarks: medians over repeated runs, A/B pairs run alternately.

A `Row` is one line of the `make bench` table: a figure, its median, and (when there is one)
the baseline measured in the same run, with the ratio of the medians of the pairs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass
class Row:
    """One benchmark figure. `value`/`baseline` are medians in `unit`; `ratio` = value / baseline."""

    area: str
    what: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_what: str = ""
    target: str = ""
    runs: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline


def median_seconds(fn: Callable[[], object], runs: int = 5, warmup: int = 1) -> float:
    """Median wall time of `fn()` over `runs` calls after `warmup` uncounted calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def paired_seconds(
    fn_a: Callable[[], object], fn_b: Callable[[], object], runs: int = 5, warmup: int = 1
) -> tuple[float, float, float]:
    """Run A and B alternately; returns (median A, median B, median of the pairwise ratios A/B)."""
    for _ in range(warmup):
        fn_a()
        fn_b()
    a_times, b_times, ratios = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn_a()
        ta = time.perf_counter() - t0
        t0 = time.perf_counter()
        fn_b()
        tb = time.perf_counter() - t0
        a_times.append(ta)
        b_times.append(tb)
        ratios.append(ta / tb if tb else float("inf"))
    return statistics.median(a_times), statistics.median(b_times), statistics.median(ratios)


def command_seconds(argv: Sequence[str], runs: int = 5, warmup: int = 1, **kwargs) -> float:
    """Median wall time of a whole process (`argv`), output discarded; raises if it fails."""

    def once() -> None:
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)

    return median_seconds(once, runs=runs, warmup=warmup)


PYTHON = sys.executable
