"""Benchmark of `geo add` / `geo remove`: a typical plan added to the corpus, layers rebuilt incrementally.

Works on a temporary copy of data/ (PLAN_ATLAS_ROOT-style root), never the real data/ or layers/.
The typical document: the compilation's plan whose text is closest to 30 KB, written out as a new
.txt file with a changed title and 文号 (so it is not a duplicate of the compilation's copy).

Figures (medians):
- add, in-process (the app's "keep this document" path: validate, parse, then under the lock stage
  the new data/docs and build the new layers/ beside the old ones, fsync, commit the journal and
  switch both in — geo.ingest.journal; incremental rebuild with the build cache warm), target < 3 s;
- remove, in-process (the same document again, same journal);
- recovery of an add killed right after its journal was committed (what the next `geo`
  command does first), in-process;
- a .docx read in the bounded child process (geo.corpus.bounded: python start-up, imports, memory cap),
  and a zip bomb answered there, with the child's peak RSS;
- `python -m geo add` as a whole process (imports included);
- baseline, in the same run: a full rebuild of the same corpus (`python -m geo build --no-cache`
  with geo.geometry's disk cache off, PLAN_ATLAS_CACHE=off), i.e. what an add would cost without
  the incremental caches.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.timing import PYTHON, Row

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
TARGET_BYTES = 30_000
COMPILATION = "chengyu-compilation-2020-2023.txt"


def typical_document(docs_dir: Path) -> tuple[str, str]:
    """(title, text) of the compilation plan closest to 30 KB, retitled and with a new 文号."""
    from geo.corpus.load import load_corpus

    corpus = load_corpus(docs_dir)
    lines = (docs_dir / COMPILATION).read_text(encoding="utf-8").splitlines()
    best = None
    for doc in corpus.documents:
        for src in doc.sources:
            if src.file != COMPILATION:
                continue
            text = "\n".join(lines[src.first - 1 : src.last])
            size = len(text.encode("utf-8"))
            if best is None or abs(size - TARGET_BYTES) < abs(best[0] - TARGET_BYTES):
                best = (size, doc, text)
    assert best is not None, "the compilation has no documents"
    _, doc, text = best
    title = doc.title + "（基准测试修订稿）"
    # the title may be wrapped over lines (PDF-extracted text): match it across whitespace
    text = re.sub(r"\s*".join(map(re.escape, doc.title)), title, text)
    if doc.doc_no:
        text = text.replace(doc.doc_no, "")
    text = f"{title}\n{text}\n"
    return title, text


def _process_seconds(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t0


def run() -> list[Row]:
    from geo.ingest.add import add_documents_report, rebuild_layers, remove_document_report

    with tempfile.TemporaryDirectory(prefix="plan-atlas-bench-ingest-") as tmp:
        work = Path(tmp) / "root"
        shutil.copytree(ROOT / "data", work / "data")
        rebuild_layers(work)  # primes layers/ and the build cache (the state of a working install)
        title, text = typical_document(work / "data" / "docs")
        plan = Path(tmp) / "typical-plan.txt"
        plan.write_text(text, encoding="utf-8")
        size_kb = plan.stat().st_size / 1000

        env = dict(os.environ, PLAN_ATLAS_ROOT=str(work), PYTHONPATH=str(ROOT))
        full_env = dict(env, PLAN_ATLAS_CACHE="off")
        adds, builds, removes, fulls, clis = [], [], [], [], []
        n_docs = 0
        for _ in range(RUNS):
            added = add_documents_report([plan], work)
            adds.append(added.seconds)
            builds.append(added.build_seconds)
            n_docs = len(added.documents)
            fulls.append(
                _process_seconds(
                    [PYTHON, "-m", "geo", "build", "-q", "--no-cache", "--out", str(Path(tmp) / "full")], full_env
                )
            )
            removes.append(remove_document_report(added.documents[0].id, work).seconds)
        for _ in range(RUNS):
            clis.append(_process_seconds([PYTHON, "-m", "geo", "add", "-q", str(plan)], env))
            out = subprocess.run(
                [PYTHON, "-m", "geo", "docs", "--json"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
            ).stdout
            import json

            doc_id = next(d["id"] for d in json.loads(out) if d["title"] == title)
            subprocess.run([PYTHON, "-m", "geo", "remove", "-q", doc_id], cwd=ROOT, env=env, check=True,
                           capture_output=True)

        recoveries = [_killed_add_recovery(work, plan, tmp) for _ in range(RUNS)]
    read_s, read_rss, bomb_s, bomb_rss = _bounded_reads()

    full = statistics.median(fulls)
    note = f"{size_kb:.0f} KB plan ({n_docs} document) from the compilation, retitled; runs={RUNS}"
    return [
        Row("ingest", "add a plan (in-process: parse, write, incremental rebuild)", statistics.median(adds), "s",
            baseline=full, baseline_what="full rebuild, no caches (geo build --no-cache)", target="< 3 s",
            runs=RUNS, notes=[note, f"of which layers rebuild {statistics.median(builds):.2f} s"]),
        Row("ingest", "remove it again (in-process, incremental rebuild)", statistics.median(removes), "s",
            baseline=full, baseline_what="full rebuild, no caches (geo build --no-cache)", target="< 3 s",
            runs=RUNS),
        Row("ingest", "python -m geo add (whole process, imports included)", statistics.median(clis), "s",
            baseline=full, baseline_what="full rebuild, no caches (geo build --no-cache)", runs=RUNS),
        Row("ingest", "recover an add killed after its journal commit (next command)",
            statistics.median(recoveries), "s", baseline=statistics.median(adds),
            baseline_what="the add itself", runs=RUNS),
        Row("ingest", "read a .docx in the bounded child process", read_s, "s", target="< 30 s, < 600 MB",
            runs=RUNS, notes=[f"child peak RSS {read_rss / 1e6:.0f} MB"]),
        Row("ingest", "answer a 1 GiB zip bomb (.docx) in the bounded child", bomb_s, "s",
            target="< 30 s, < 600 MB", runs=RUNS, notes=[f"child peak RSS {bomb_rss / 1e6:.0f} MB"]),
    ]


def _killed_add_recovery(work: Path, plan: Path, tmp: str) -> float:
    """Kill `python -m geo add` right after its journal is committed; time the recovery."""
    from geo.corpus import load_corpus
    from geo.ingest import recover, remove_document_report

    log = Path(tmp) / "ops.log"
    log.unlink(missing_ok=True)
    env = dict(os.environ, PLAN_ATLAS_ROOT=str(work), PYTHONPATH=str(ROOT), PLAN_ATLAS_OPS_LOG=str(log))
    subprocess.run([PYTHON, "-m", "geo", "add", "-q", str(plan)], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    ops = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    commit = next(int(n) for n, op, path in ops if op == "write" and path.endswith("/journal.json"))
    added = [d.id for d in load_corpus(work / "data" / "docs").documents
             if any(s.file.startswith("user-") for s in d.sources)]
    remove_document_report(added[0], work)
    env = dict(env, PLAN_ATLAS_KILL_AT=str(commit + 1))
    env.pop("PLAN_ATLAS_OPS_LOG")
    proc = subprocess.run([PYTHON, "-m", "geo", "add", "-q", str(plan)], cwd=ROOT, env=env, capture_output=True)
    assert proc.returncode < 0, proc.stderr
    t0 = time.perf_counter()
    note = recover(work)
    seconds = time.perf_counter() - t0
    assert note and "completed" in note, note
    added = [d.id for d in load_corpus(work / "data" / "docs").documents
             if any(s.file.startswith("user-") for s in d.sources)]
    remove_document_report(added[0], work)
    return seconds


def _bounded_reads() -> tuple[float, int, float, int]:
    """(seconds, peak RSS) of a bounded .docx read and of a zip bomb answered, medians of RUNS."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from hostile_files import docx_one_huge_part
    from test_upload_files import make_docx

    from geo.corpus import read_bounded_report

    with tempfile.TemporaryDirectory() as tmp:
        docx = make_docx(Path(tmp) / "plan.docx").read_bytes()
        bomb = docx_one_huge_part(Path(tmp) / "plan.docx")
    reads = [read_bounded_report("plan.docx", docx) for _ in range(RUNS)]
    bombs = [read_bounded_report("bomb.docx", bomb) for _ in range(RUNS)]
    assert all(r.text for r in reads) and all(r.error for r in bombs)
    return (statistics.median(r.seconds for r in reads), max(r.peak_rss_bytes for r in reads),
            statistics.median(r.seconds for r in bombs), max(r.peak_rss_bytes for r in bombs))


if __name__ == "__main__":
    for row in run():
        print(row)
