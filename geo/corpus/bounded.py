"""Run the document readers (geo.corpus.readers) in a child process with a memory cap and a timeout.

Untrusted files (uploads, `geo add` inputs) are read here, so that nothing a reader does — a zip
bomb, a 3,000-page PDF, a parser that loops — can take the CLI or the app server with it. The
child is `python -m geo.corpus.bounded IN OUT NAME`: it loads the extension's reader by name
(geo.corpus.readers.reader_spec, in PLAN_ATLAS_READER_SPEC: built-in or registered from any
importable module) and that reader's libraries, caps its own address space with
resource.setrlimit(RLIMIT_AS, settings.MAX_READER_MEMORY_BYTES), reads IN (the file's bytes), and
writes OUT (JSON: {"text": …} or {"error": …}, and its peak RSS). It runs at a lower CPU priority
than its parent (the server's other sessions go first). The parent waits on a pidfd (no busy loop)
and kills it after settings.MAX_READ_SECONDS. Every outcome is the text or one InputFileError
saying which limit was hit (ReaderError when the reader itself cannot be loaded);
`read_bounded_report` also gives the child's peak RSS (VmHWM) and time.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from geo import settings
from geo.errors import InputFileError, ReaderError

__all__ = ["BoundedRead", "read_bounded", "read_bounded_report"]

_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent.parent)
# the child's CPU priority below its parent's (os.setpriority): see _lower_priority
READER_NICENESS: int = 10
# the temporary folder of one read: "<prefix><parent pid>-<random>" in the system's temporary folder
TEMP_PREFIX: str = "plan-atlas-reader-"
# how often the parent samples the child's peak RSS while it waits (the child reports its own at the end)
PEAK_SAMPLE_SECONDS: float = 0.1


@dataclass(frozen=True)
class BoundedRead:
    """What one bounded read gave: the text or the error message, and what it cost."""

    text: str | None
    error: str | None
    peak_rss_bytes: int
    seconds: float


def _limit_mib(n: int) -> str:
    return f"{n / 2**20:g} MiB"


def read_bounded_report(
    name: str, data: bytes, *, timeout: float | None = None, memory: int | None = None
) -> BoundedRead:
    """Read (name, data) in a child process; never raises for the file's sake (see `error`).

    Raises ReaderError when the extension's reader cannot be loaded in the child (`reader_spec`).
    """
    from geo.corpus.readers import reader_for, reader_spec

    timeout = settings.MAX_READ_SECONDS if timeout is None else timeout
    memory = settings.MAX_READER_MEMORY_BYTES if memory is None else memory
    reader = reader_for(name)
    spec = asdict(reader_spec(reader)) if reader is not None else None
    t0 = time.perf_counter()
    _remove_orphaned_dirs()
    with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-") as tmp:
        src, out = Path(tmp) / "input", Path(tmp) / "output.json"
        src.write_bytes(data)
        paths = [_PACKAGE_PARENT] + ([spec["path"]] if spec and spec["path"] else [])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(dict.fromkeys(paths)),
                   PLAN_ATLAS_READER_MEMORY=str(memory), PLAN_ATLAS_READER_SPEC=json.dumps(spec),
                   PLAN_ATLAS_READER_PARENT=str(os.getpid()))
        env.pop("PLAN_ATLAS_KILL_AT", None)  # the crash tests' hook counts the parent's writes only
        proc = subprocess.Popen(
            [sys.executable, "-m", "geo.corpus.bounded", str(src), str(out), name],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
            process_group=0,  # its own group (killed as one), in this session: see _lower_priority
        )
        _lower_priority(proc.pid)
        status, peak, timed_out = _wait(proc.pid, timeout)
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        seconds = time.perf_counter() - t0
        if timed_out:
            return BoundedRead(None, (
                f"{name}: reading it took longer than the limit of {timeout:g} s (MAX_READ_SECONDS); "
                "split the plan, or export it as text"), peak, seconds)
        try:
            result = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            code = proc.returncode
            why = f"signal {-code}" if code < 0 else f"exit status {code}"
            if "MemoryError" in stderr or code == -signal.SIGKILL:
                return BoundedRead(None, (
                    f"{name}: reading it needs more than the memory limit of {_limit_mib(memory)} "
                    "(MAX_READER_MEMORY_BYTES); split the plan, or export it as text"), peak, seconds)
            return BoundedRead(None, (
                f"{name}: the reader stopped ({why}); the file is probably corrupt — re-save it, or "
                "export it as text"), peak, seconds)
    if result.get("reader_error"):
        raise ReaderError(result["reader_error"])
    peak = max(peak, int(result.get("peak_rss_bytes", 0)))
    return BoundedRead(result.get("text"), result.get("error"), peak, seconds)


def _lower_priority(pid: int) -> None:
    """Give the child a lower CPU priority (nice +READER_NICENESS) than its parent: the server's
    threads answering other sessions go first on a small machine; the reader still gets every
    idle cycle. The child stays in its parent's session: with the kernel's autogroup scheduling a
    new session (setsid) would be a group of its own, with as large a CPU share as the whole server."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + READER_NICENESS))
    except OSError:  # already gone, or not allowed: the limits still hold
        pass


def _wait(pid: int, timeout: float) -> tuple[int, int, bool]:
    """Wait for the child without holding the GIL in a busy loop: (wait status, peak RSS seen, timed out).

    Blocks on a pidfd (woken when the child exits), waking every PEAK_SAMPLE_SECONDS to sample its
    peak RSS; kills the child's process group at the deadline.
    """
    deadline = time.monotonic() + timeout
    peak = 0
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfd (old kernel): poll
        pidfd = -1
    try:
        while True:
            peak = max(peak, _vm_hwm(pid))
            done, status, _ = os.wait4(pid, os.WNOHANG)
            if done:
                return status, peak, False
            left = deadline - time.monotonic()
            if left <= 0:
                os.killpg(pid, signal.SIGKILL)
                _, status, _ = os.wait4(pid, 0)
                return status, peak, True
            step = min(left, PEAK_SAMPLE_SECONDS)
            if pidfd >= 0:
                select.select([pidfd], [], [], step)
            else:
                time.sleep(min(step, 0.02))
    finally:
        if pidfd >= 0:
            os.close(pidfd)


def _remove_orphaned_dirs() -> None:
    """Remove the temporary folders of reads whose parent was killed (a SIGKILLed `geo add` cannot
    clean up; its child dies with it, see `_die_with_parent`)."""
    from geo.storage import pid_alive

    for folder in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*-*"):
        pid = folder.name[len(TEMP_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _die_with_parent() -> None:
    """In the child: be SIGKILLed when the parent dies (Linux PR_SET_PDEATHSIG), so a killed `geo add`
    or server leaves no reader behind — without it nobody enforces the wall-time limit."""
    parent = int(os.environ.get("PLAN_ATLAS_READER_PARENT", "0") or 0)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        pass
    if parent and os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _vm_hwm(pid: int) -> int:
    """Peak RSS (VmHWM) of a running process in bytes, 0 when it is gone. Read from /proc while the
    child runs: its rusage would count the pages of this (forking) process too."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def read_bounded(source: tuple[str, bytes]) -> str:
    """The text of (file name, bytes), read in a bounded child process; InputFileError otherwise.

    Readers registered with bounded=False (.txt: its size is checked first and decoding is linear)
    run in this process; every bounded reader (.docx, .pdf, and registered ones) runs in the child.
    """
    from geo.corpus.readers import read_document_bytes, reader_for

    name, data = source
    reader = reader_for(name)
    if reader is None or not reader.bounded or len(data) > settings.MAX_FILE_BYTES or not data.strip():
        return read_document_bytes(name, data)  # refused at once, or a reader safe to run here
    report = read_bounded_report(name, data)
    if report.error is not None or report.text is None:
        raise InputFileError(report.error or f"{name}: the reader gave no text")
    return report.text


def _load_reader(name: str, spec: dict | None) -> None:
    """In the child: import the reader's libraries and function (by name) and register it."""
    from geo.corpus.readers import Reader, register_reader

    if spec is None:  # no reader for the extension: read_document_bytes names the supported types
        return
    for module in spec["preload"]:
        importlib.import_module(module)
    try:
        obj: object = importlib.import_module(spec["module"])
        for part in spec["qualname"].split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise ReaderError(
            f"the reader of {Path(name).suffix.lower()} ({spec['label']}) cannot be loaded in the bounded reader "
            f"process: {spec['module']}.{spec['qualname']} ({type(exc).__name__}: {exc}); make its module "
            "importable (installed, or in the app's folder)"
        ) from exc
    register_reader(Reader((Path(name).suffix.lower(),), spec["label"], obj, bounded=False))  # type: ignore[arg-type]


def _child(argv: list[str]) -> int:
    _die_with_parent()
    src, out, name = argv
    memory = int(os.environ.get("PLAN_ATLAS_READER_MEMORY", settings.MAX_READER_MEMORY_BYTES))
    spec = json.loads(os.environ.get("PLAN_ATLAS_READER_SPEC", "null") or "null")
    result: dict[str, object]
    try:
        # the reader's libraries first (a fixed cost), then the cap, then the file
        _load_reader(name, spec)
    except ReaderError as exc:
        result = {"reader_error": str(exc)}
    else:
        from geo.corpus.readers import read_document_bytes

        data = Path(src).read_bytes()
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        try:
            result = {"text": read_document_bytes(name, data)}
        except InputFileError as exc:
            result = {"error": str(exc)}
        except MemoryError:
            result = {"error": (
                f"{name}: reading it needs more than the memory limit of {_limit_mib(memory)} "
                "(MAX_READER_MEMORY_BYTES); split the plan, or export it as text")}
        except RecursionError:
            result = {"error": f"{name}: the file is nested too deeply to read; it is probably corrupt"}
        except Exception as exc:  # any other reader failure is the file's: one line, no traceback
            result = {"error": (f"{name}: the file cannot be read ({type(exc).__name__}); re-save it, "
                                "or export it as text")}
    result["peak_rss_bytes"] = _vm_hwm(os.getpid())
    tmp = Path(out).with_name("output.json.part")
    tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out)
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
