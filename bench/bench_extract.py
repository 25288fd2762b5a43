"""Benchmark: place extraction throughput on the whole corpus, side by side with jieba's POS tagger.

Text: every clause text of geo.corpus.load_corpus() (the text geo.extract sees in a build).
Figures: MB/s (UTF-8 bytes) of `Extractor.extract` over all clauses, and of jieba.posseg
(keeping words tagged `ns`, the baseline of DESIGN.md §3) over the same texts in the same run,
run alternately (bench.timing.paired_seconds). Building the Extractor is timed separately.
"""

from __future__ import annotations

from bench.timing import Row, median_seconds, paired_seconds
from geo.corpus.load import load_corpus
from geo.places.extract import Extractor
from geo.places.gazetteer import load_gazetteer


def run() -> list[Row]:
    """Rows: extractor build time, extraction MB/s (target ≥ 2 MB/s) against jieba.posseg ns."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    texts = [c.text for c in load_corpus().clauses()]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    gaz = load_gazetteer()
    build = median_seconds(lambda: Extractor(gaz), runs=3, warmup=1)
    ex = Extractor(gaz)

    def ours() -> int:
        return sum(len(ex.extract(t)) for t in texts)

    def theirs() -> int:
        return sum(1 for t in texts for w in pseg.cut(t) if w.flag == "ns")

    n_ours, n_jieba = ours(), theirs()
    t_ours, t_jieba, _ = paired_seconds(ours, theirs, runs=3, warmup=0)
    return [
        Row(
            "extract",
            "Extractor build (gazetteer names → trie regex)",
            build,
            "s",
            runs=3,
            notes=[f"{len(ex.index)} surface forms"],
        ),
        Row(
            "extract",
            f"extraction throughput, whole corpus ({mb:.2f} MB, {len(texts)} clauses)",
            mb / t_ours,
            "MB/s",
            baseline=mb / t_jieba,
            baseline_what="jieba.posseg (ns)",
            target="≥ 2 MB/s",
            runs=3,
            notes=[f"{n_ours} mentions vs {n_jieba} jieba ns words"],
        ),
    ]
