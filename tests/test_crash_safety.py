"""`geo add` and `geo remove` killed at every write and at random moments, in a temporary copy of the repo.

The kill hook is geo.storage's (every write, rename, unlink, mkdir of a change goes through it):
the k-th operation SIGKILLs the process. The command runs in a forked copy of this test process
(`geo.cli.main`, imports and caches already warm, so one run costs ~1–2 s instead of ~4 s) and,
for two cases, as a real `python -m geo` process. After each kill the next command (geo.journal's
recovery, which every `geo` command runs first) must leave data/ and layers/ exactly as before or
exactly as after an uninterrupted run — whose layers/ equal a fresh build —, and no stray file
(staging folders, `.layers-*.tmp`, temporary files) anywhere under the root.

Kill points: by default every operation except the middle ones of the run of layer files written
into the staging folder (first and last kept); PLAN_ATLAS_CRASH_ALL=1 uses every operation.
Random moments: PLAN_ATLAS_CRASH_RANDOM (default 20) per command.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import test_upload_files
from test_upload_files import REPO, make_docx, snapshot

from geo import settings, storage
from geo.ingest import recover

template_root = test_upload_files.template_root
NOW = "20260101T000000"
RANDOM_RUNS = int(os.environ.get("PLAN_ATLAS_CRASH_RANDOM", "20"))
ALL_POINTS = os.environ.get("PLAN_ATLAS_CRASH_ALL", "") not in ("", "0")
ALLOWED_EXTRA = {"build", "build/ingest.lock"}


def _reset(src: Path, dst: Path) -> None:
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, symlinks=True)


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


def kill_points(ops: list[tuple[int, str, str]]) -> list[int]:
    """Every operation, or (default) all but the middle ones of each run of staged layer files."""
    if ALL_POINTS:
        return [n for n, _, _ in ops]
    points = []
    for i, (n, _, path) in enumerate(ops):
        inner = ".layers-build-" in path
        prev_inner = i > 0 and ".layers-build-" in ops[i - 1][2]
        next_inner = i + 1 < len(ops) and ".layers-build-" in ops[i + 1][2]
        if inner and prev_inner and next_inner:
            continue
        points.append(n)
    return points


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

    def check(self, label: str, run: Callable[[], int]) -> str:
        """Run (killed), then the next command's recovery; the state must be before or after."""
        _reset(self.before, self.work)
        run()
        recover(self.work)
        snap = snapshot(self.work)
        assert strays(self.work) == [], f"{label}: stray files {strays(self.work)}"
        if snap == self.snap_before:
            return "before"
        assert snap == self.snap_after, f"{label}: data/ and layers/ are neither as before nor as after: " + str(
            sorted(k for k in set(snap) | set(self.snap_after) if snap.get(k) != self.snap_after.get(k))[:8]
        )
        return "after"


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
    points = kill_points(sc.ops)
    assert len(sc.ops) >= 20 and len(points) >= 20
    outcomes = {}
    for k in points:
        outcomes[k] = sc.check(f"{command} killed at op {k} {sc.ops[k - 1][1:]}",
                               lambda k=k: _forked(sc.work, sc.argv, kill_at=k))
    # before the journal is committed the change is rolled back, after it it is completed
    commit = next(n for n, op, path in sc.ops if op == "write" and path.endswith("/journal.json"))
    assert all(v == "before" for k, v in outcomes.items() if k <= commit), outcomes
    assert all(v == "after" for k, v in outcomes.items() if k > commit), outcomes


@pytest.mark.parametrize("command", ["add", "remove"])
def test_killed_at_random_moments(scenarios: dict[str, Scenario], command: str) -> None:
    sc = scenarios[command]
    rng = random.Random(f"{command}-{RANDOM_RUNS}")
    seen = set()
    for i in range(RANDOM_RUNS):
        at = rng.uniform(0.0, sc.seconds * 1.1)
        seen.add(sc.check(f"{command} killed after {at:.2f} s (run {i})",
                          lambda at=at: _forked_killed_after(sc.work, sc.argv, at)))
    assert seen <= {"before", "after"}


def _cli(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PLAN_ATLAS_ROOT": str(root), "PYTHONPATH": str(REPO), "PLAN_ATLAS_NOW": NOW, **env}
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=REPO, env=full, capture_output=True,
                          text=True, timeout=300)


def test_real_process_killed_then_next_command_says_so(scenarios: dict[str, Scenario]) -> None:
    sc = scenarios["add"]
    commit = next(n for n, op, path in sc.ops if op == "write" and path.endswith("/journal.json"))
    for k, state, word in ((commit - 1, sc.snap_before, "rolled back"), (commit + 2, sc.snap_after, "completed")):
        _reset(sc.before, sc.work)
        killed = _cli(sc.work, *sc.argv, PLAN_ATLAS_KILL_AT=str(k))
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        nxt = _cli(sc.work, "docs")
        assert nxt.returncode == 0, nxt.stderr
        lines = [ln for ln in nxt.stderr.splitlines() if ln.startswith("recovered:")]
        assert len(lines) == 1 and word in lines[0], nxt.stderr
        assert snapshot(sc.work) == state and strays(sc.work) == []
    again = _cli(sc.work, "docs")
    assert again.returncode == 0 and "recovered" not in again.stderr


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
