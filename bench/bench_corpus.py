"""Benchmark: loading the corpus (uncached) at 1×, 4× and 16× its size.

The 4×/16× corpora are the seed files copied under distinct names into a temporary folder
(identical copies merge into the same documents, so parsing work scales with the bytes while
the result stays small). Rows report seconds and seconds per MB; the 4×/16× loads alternate with
1× loads (bench.timing.paired_seconds) whose median is the baseline, so ratio ≈ 4 / ≈ 16 means
linear growth even on a machine shared with other work.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bench.timing import Row, median_seconds, paired_seconds
from geo import settings
from geo.corpus.load import _load_uncached, corpus_files


def _copies(src: tuple[Path, ...], factor: int, into: Path) -> tuple[Path, ...]:
    for n in range(factor):
        for p in src:
            shutil.copyfile(p, into / f"{p.stem}-copy{n}{p.suffix}")
    return corpus_files(into)


def run() -> list[Row]:
    """Rows: 1× load time (target < 1 s), s/MB, and 4×/16× against the 1× baseline."""
    src = corpus_files(settings.DOCS_DIR)
    mb = sum(p.stat().st_size for p in src) / 1e6
    base = median_seconds(lambda: _load_uncached(src), runs=5, warmup=1)
    corpus = _load_uncached(src)
    n_clauses = sum(len(d.clauses) for d in corpus.documents)
    rows = [
        Row("corpus", f"load_corpus uncached, 1× ({mb:.2f} MB, {len(src)} files)", base, "s", target="< 1 s",
            runs=5, notes=[f"{len(corpus.documents)} documents, {n_clauses} clauses"]),
        Row("corpus", "load time per MB, 1×", base / mb, "s/MB", runs=5),
    ]
    for factor, runs in ((4, 3), (16, 2)):
        with tempfile.TemporaryDirectory() as tmp:
            paths = _copies(src, factor, Path(tmp))
            # alternate with the 1× load so that load from other processes hits both alike
            t, t1, _ = paired_seconds(lambda paths=paths: _load_uncached(paths), lambda: _load_uncached(src),
                                      runs=runs, warmup=0)
        rows.append(Row("corpus", f"load_corpus uncached, {factor}× ({mb * factor:.1f} MB)", t, "s",
                        baseline=t1, baseline_what="1× load (paired)", target=f"ratio ≈ {factor} (linear)",
                        runs=runs))
        rows.append(Row("corpus", f"load time per MB, {factor}×", t / (mb * factor), "s/MB",
                        baseline=t1 / mb, baseline_what="1× s/MB (paired)", target="ratio ≈ 1", runs=runs))
    return rows
