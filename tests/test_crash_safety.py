"""`geo add` and `geo remove` killed at every write and at random moments, in a temporary copy of the repo.

The kill hook is geo.storage's (every write, rename, unlink, mkdir of a change goes through it):
the k-th operation SIGKILLs the process. The command runs in a forked copy of this test process
(`geo.cli.main`, imports and caches already warm, so one run costs ~2 s of CPU instead of ~10) and,
for two cases, as a real `python -m geo` process. After each kill the next command (geo.journal's
recovery, which every `geo` command runs first) must leave data/ and layers/ exactly as before or
exactly as after an uninterrupted run — whose layers/ equal a fresh build —, and no stray file
(staging folders, `.layers-*.tmp`, temporary files) anywhere under the root.

Kill points: every operation of the uninterrupted run. Random moments: PLAN_ATLAS_CRASH_RANDOM
(default 20) per command.

What one kill costs, and how it is kept small: the killed command's own work up to the kill (the
bounded reader's child imports only python-docx; the build's caches are warm), nothing else —
the work folder is put back as hard links of the start state (files are only ever replaced,
never edited in place: checked at the end, the start state's files must still hash as before), the
end state is compared by hashes against one snapshot of each of the two allowed states, and the
kills run in PLAN_ATLAS_CRASH_WORKERS (default 2) forked workers, each with its own work folder.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import test_upload_files
from test_upload_files import REPO, make_docx, snapshot

from geo import settings, storage
from geo.ingest import recover

template_root = test_upload_files.template_root
NOW = "20260101T000000"
RANDOM_RUNS = int(os.environ.get("PLAN_ATLAS_CRASH_RANDOM", "20"))
WORKERS = max(1, int(os.environ.get("PLAN_ATLAS_CRASH_WORKERS", "2")))
ALLOWED_EXTRA = {"build", "build/ingest.lock"}


def _reset(src: Path, dst: Path) -> None:
    """dst becomes a copy of src (a real copy: src may be changed afterwards)."""
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, symlinks=True)


def _relink(src: Path, dst: Path) -> None:
    """dst becomes src, data/ and layers/ as hard links: cheap, and safe as long as nothing edits
    their files in place (a change replaces files, never edits them; `Scenario.check_pristine`
    proves it afterwards). The rest is copied: build/ingest.lock must be a file of its own, as
    an flock is held on the file, not on the name."""
    shutil.rmtree(dst, ignore_errors=True)

    def link_or_copy(s: str, d: str) -> None:
        if Path(s).relative_to(src).parts[0] in ("data", "layers"):
            os.link(s, d)
        else:
            shutil.copy2(s, d)

    shutil.copytree(src, dst, symlinks=True, copy_function=link_or_copy)


def strays(root: Path) -> list[str]:
    """Files and folders under root that are neither data/, layers/ nor the build caches."""
    out = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if rel.split("/")[0] in ("data", "layers") and ".tmp" not in p.name:
            continue
        if rel in ALLOWED_EXTRA:
            continue
        out.append(rel)
    return out


def _fork_geo(root: Path, argv: list[str], kill_at: int = 0, ops_log: Path | None = None) -> int:
    """Start `python -m geo ARGV` on `root` as a fork of this process; the child's pid."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.environ["PLAN_ATLAS_NOW"] = NOW
            settings.ROOT = root  # every path of geo.settings, as PLAN_ATLAS_ROOT would set them
            settings.DATA_DIR = root / "data"
            settings.DOCS_DIR = root / "data" / "docs"
            settings.GAZETTEER_DIR = root / "data" / "gazetteer"
            settings.LAYERS_DIR = root / "layers"
            storage._count = 0
            storage._KILL_AT = kill_at
            storage._OPS_LOG = str(ops_log) if ops_log else ""
            from geo.cli import main

            code = main(argv)
        finally:
            os._exit(code)
    return pid


def _forked(root: Path, argv: list[str], kill_at: int = 0, ops_log: Path | None = None) -> int:
    """Run `python -m geo ARGV` as a fork of this process; its exit status (-9 when killed)."""
    _, status = os.waitpid(_fork_geo(root, argv, kill_at, ops_log), 0)
    return os.waitstatus_to_exitcode(status)


def _forked_killed_after(root: Path, argv: list[str], seconds: float) -> int:
    pid = _fork_geo(root, argv)
    time.sleep(seconds)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _ops(log: Path) -> list[tuple[int, str, str]]:
    rows = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    return [(int(n), op, path) for n, op, path in rows]


def in_workers(jobs: list[Any], run: Callable[[Path, Any], str], base: Path) -> list[str]:
    """run(work folder, job) for every job, in WORKERS forked processes (each with its own work
    folder), in job order; a job's failed assertion comes back as "FAILED: <message>"."""
    n = min(WORKERS, len(jobs))
    if n <= 1:
        return [_outcome(run, base / "work-0", job) for job in jobs]
    readers = []
    for w in range(n):
        r, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker
            code = 1
            try:
                os.close(r)
                mine = {i: _outcome(run, base / f"work-{w}", job) for i, job in enumerate(jobs) if i % n == w}
                with os.fdopen(wfd, "w", encoding="utf-8") as fh:
                    json.dump(mine, fh)
                code = 0
            finally:
                os._exit(code)
        os.close(wfd)
        readers.append((pid, r))
    results: dict[int, str] = {}
    for pid, r in readers:
        with os.fdopen(r, encoding="utf-8") as fh:
            text = fh.read()
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0 and text, f"worker {pid} failed"
        results.update({int(k): v for k, v in json.loads(text).items()})
    return [results[i] for i in range(len(jobs))]


def _outcome(run: Callable[[Path, Any], str], work: Path, job: Any) -> str:
    try:
        return run(work, job)
    except AssertionError as exc:
        return f"FAILED: {exc}"
    except Exception:  # noqa: BLE001 - reported to the parent, which fails the test with it
        return f"FAILED: {traceback.format_exc()}"


class Scenario:
    """A start state, the command, and the end state of the uninterrupted command."""

    def __init__(self, base: Path, before: Path, argv: list[str]) -> None:
        self.base, self.before, self.argv = base, before, argv
        self.work = base / "work"
        self.snap_before = snapshot(before)
        _reset(before, self.work)
        log = base / f"ops-{argv[0]}.log"
        t0 = time.perf_counter()
        assert _forked(self.work, argv, ops_log=log) == 0
        self.seconds = time.perf_counter() - t0
        self.ops = _ops(log)
        self.after = base / f"after-{argv[0]}"
        _reset(self.work, self.after)
        self.snap_after = snapshot(self.after)
        assert self.snap_after != self.snap_before
        assert strays(self.after) == []

    def check(self, label: str, run: Callable[[Path], int], work: Path | None = None) -> str:
        """Run (killed) in `work`, then the next command's recovery; the state must be before or after."""
        work = work or self.work
        _relink(self.before, work)
        run(work)
        recover(work)
        snap = snapshot(work)
        assert strays(work) == [], f"{label}: stray files {strays(work)}"
        if snap == self.snap_before:
            return "before"
        assert snap == self.snap_after, f"{label}: data/ and layers/ are neither as before nor as after: " + str(
            sorted(k for k in set(snap) | set(self.snap_after) if snap.get(k) != self.snap_after.get(k))[:8]
        )
        return "after"

    def check_pristine(self) -> None:
        """The start state still hashes as it did: no run edited a hard-linked file in place."""
        assert snapshot(self.before) == self.snap_before


@pytest.fixture(scope="module")
def scenarios(template_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scenario]:
    base = tmp_path_factory.mktemp("crash")
    plan = make_docx(base / "万州达州方案.docx")
    start = base / "start"
    _reset(template_root, start)
    shutil.rmtree(start / "build" / "txn", ignore_errors=True)
    # warm this process's caches (gazetteer, geometries, imports) so that every fork starts warm
    from geo.layers import load_inputs
    from geo.storage import cache_dir

    load_inputs(start / "data" / "docs", start / "data" / "gazetteer", cache_dir("build"))
    import docx  # noqa: F401
    import pdfplumber  # noqa: F401
    add = Scenario(base, start, ["add", "-q", str(plan)])
    from geo.corpus import load_corpus

    added = [d.id for d in load_corpus(add.after / "data" / "docs").documents
             if any(s.file.startswith("user-") for s in d.sources)]
    assert len(added) == 1
    remove = Scenario(base, add.after, ["remove", "-q", added[0]])
    assert remove.snap_after == add.snap_before  # add then remove is byte-identical
    return {"add": add, "remove": remove}


def test_uninterrupted_add_gives_layers_equal_to_a_fresh_build(scenarios: dict[str, Scenario], tmp_path: Path) -> None:
    from geo.layers import build_layers, load_inputs

    after = scenarios["add"].after
    fresh = tmp_path / "fresh"
    build_layers(fresh, progress=False, inputs=load_inputs(after / "data" / "docs", after / "data" / "gazetteer"))
    built = {p.name: p.read_bytes() for p in fresh.iterdir()}
    assert built == {p.name: p.read_bytes() for p in (after / "layers").iterdir()}


@pytest.mark.parametrize("command", ["add", "remove"])
def test_killed_at_every_write(scenarios: dict[str, Scenario], command: str) -> None:
    sc = scenarios[command]
    points = [n for n, _, _ in sc.ops]
    assert len(points) >= 20 and points == list(range(1, len(points) + 1))

    def killed_at(work: Path, k: int) -> str:
        return sc.check(f"{command} killed at op {k} {sc.ops[k - 1][1:]}",
                        lambda w: _forked(w, sc.argv, kill_at=k), work)

    outcomes = dict(zip(points, in_workers(points, killed_at, sc.base), strict=True))
    failed = {k: v for k, v in outcomes.items() if v.startswith("FAILED")}
    assert not failed, failed
    # before the journal is committed the change is rolled back, after it it is completed
    commit = next(n for n, op, path in sc.ops if op == "write" and path.endswith("/journal.json"))
    assert all(v == "before" for k, v in outcomes.items() if k <= commit), outcomes
    assert all(v == "after" for k, v in outcomes.items() if k > commit), outcomes
    sc.check_pristine()


@pytest.mark.parametrize("command", ["add", "remove"])
def test_killed_at_random_moments(scenarios: dict[str, Scenario], command: str) -> None:
    sc = scenarios[command]
    rng = random.Random(f"{command}-{RANDOM_RUNS}")
    moments = [rng.uniform(0.0, sc.seconds * 1.1) for _ in range(RANDOM_RUNS)]

    def killed_after(work: Path, job: tuple[int, float]) -> str:
        i, at = job
        return sc.check(f"{command} killed after {at:.2f} s (run {i})",
                        lambda w: _forked_killed_after(w, sc.argv, at), work)

    outcomes = in_workers(list(enumerate(moments)), killed_after, sc.base)
    assert len(outcomes) == RANDOM_RUNS
    assert set(outcomes) <= {"before", "after"}, [o for o in outcomes if o.startswith("FAILED")]
    sc.check_pristine()


def _cli(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PLAN_ATLAS_ROOT": str(root), "PYTHONPATH": str(REPO), "PLAN_ATLAS_NOW": NOW, **env}
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=REPO, env=full, capture_output=True,
                          text=True, timeout=300)


def _cli_all(runs: list[tuple[Path, list[str], dict[str, str]]]) -> list[subprocess.CompletedProcess[str]]:
    """`_cli` for several (root, args, env) at once: started together, then waited for."""
    procs = []
    for root, args, env in runs:
        full = {**os.environ, "PLAN_ATLAS_ROOT": str(root), "PYTHONPATH": str(REPO), "PLAN_ATLAS_NOW": NOW, **env}
        procs.append((args, subprocess.Popen([sys.executable, "-m", "geo", *args], cwd=REPO, env=full, text=True,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)))
    out = []
    for args, proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(args, proc.returncode, stdout, stderr))
    return out


def test_real_process_killed_then_next_command_says_so(scenarios: dict[str, Scenario]) -> None:
    """Two real `python -m geo add` processes (one killed just before the journal is committed,
    one just after), side by side in their own copies; then `geo docs` in each says what it did."""
    sc = scenarios["add"]
    commit = next(n for n, op, path in sc.ops if op == "write" and path.endswith("/journal.json"))
    cases = [(commit - 1, sc.snap_before, "rolled back"), (commit + 2, sc.snap_after, "completed")]
    works = [sc.base / f"real-{k}" for k, _, _ in cases]
    for work in works:
        _relink(sc.before, work)
    killed = _cli_all([(work, [*sc.argv], {"PLAN_ATLAS_KILL_AT": str(k)})
                       for work, (k, _, _) in zip(works, cases, strict=True)])
    assert [p.returncode for p in killed] == [-signal.SIGKILL] * 2, [p.stderr for p in killed]
    nxt = _cli_all([(work, ["docs"], {}) for work in works])
    for work, (_, state, word), run in zip(works, cases, nxt, strict=True):
        assert run.returncode == 0, run.stderr
        lines = [ln for ln in run.stderr.splitlines() if ln.startswith("recovered:")]
        assert len(lines) == 1 and word in lines[0], run.stderr
        assert snapshot(work) == state and strays(work) == []
    again = _cli(works[0], "docs")
    assert again.returncode == 0 and "recovered" not in again.stderr
    sc.check_pristine()


def test_killed_geo_build_leaves_no_stray_folder(scenarios: dict[str, Scenario]) -> None:
    """`geo build` killed between its two renames: layers/ is put back, nothing left in the root."""
    sc = scenarios["add"]
    _reset(sc.before, sc.work)
    log = sc.base / "ops-build.log"
    log.unlink(missing_ok=True)
    assert _forked(sc.work, ["build", "-q"], ops_log=log) == 0
    ops = _ops(log)
    swap = [n for n, op, path in ops if op == "rename" and ".layers-old-" in path]
    assert swap, ops
    for k in (swap[0], swap[0] + 1, ops[-1][0]):
        _reset(sc.before, sc.work)
        assert _forked(sc.work, ["build", "-q"], kill_at=k) == -signal.SIGKILL
        recover(sc.work)
        assert strays(sc.work) == [] and (sc.work / "layers" / "manifest.json").is_file()
        assert snapshot(sc.work) == sc.snap_before
