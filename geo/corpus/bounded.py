"""Run the document readers (geo.corpus.readers) in a child process with a memory cap and a timeout.

Untrusted files (uploads, `geo add` inputs) are read here, so that nothing a reader does — a zip
bomb, a 3,000-page PDF, a parser that loops — can take the CLI or the app server with it. The
child is `python -m geo.corpus.bounded IN OUT NAME`: it imports the reader libraries, caps its
own address space with resource.setrlimit(RLIMIT_AS, settings.MAX_READER_MEMORY_BYTES), reads IN
(the file's bytes), and writes OUT (JSON: {"text": …} or {"error": …}). The parent
kills it after settings.MAX_READ_SECONDS. Every outcome is the text or one InputFileError saying
which limit was hit; `read_bounded_report` also gives the child's peak RSS (VmHWM, polled) and time.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from geo import settings
from geo.errors import InputFileError

__all__ = ["BoundedRead", "read_bounded", "read_bounded_report"]

_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


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
    """Read (name, data) in a child process; never raises for the file's sake (see `error`)."""
    timeout = settings.MAX_READ_SECONDS if timeout is None else timeout
    memory = settings.MAX_READER_MEMORY_BYTES if memory is None else memory
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="plan-atlas-reader-") as tmp:
        src, out = Path(tmp) / "input", Path(tmp) / "output.json"
        src.write_bytes(data)
        env = dict(os.environ, PYTHONPATH=_PACKAGE_PARENT, PLAN_ATLAS_READER_MEMORY=str(memory))
        env.pop("PLAN_ATLAS_KILL_AT", None)  # the crash tests' hook counts the parent's writes only
        proc = subprocess.Popen(
            [sys.executable, "-m", "geo.corpus.bounded", str(src), str(out), name],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        timed_out = False
        peak = 0
        while True:
            peak = max(peak, _vm_hwm(proc.pid))
            pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
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
    return BoundedRead(result.get("text"), result.get("error"), peak, seconds)


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
    run in this process; .docx and .pdf go to the child.
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


def _child(argv: list[str]) -> int:
    src, out, name = argv
    memory = int(os.environ.get("PLAN_ATLAS_READER_MEMORY", settings.MAX_READER_MEMORY_BYTES))
    # the libraries first (a fixed cost), then the cap, then the file
    import docx  # noqa: F401
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    from geo.corpus.readers import read_document_bytes

    data = Path(src).read_bytes()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        text = read_document_bytes(name, data)
        result = {"text": text}
    except InputFileError as exc:
        result = {"error": str(exc)}
    except MemoryError:
        result = {"error": (
            f"{name}: reading it needs more than the memory limit of {_limit_mib(memory)} "
            "(MAX_READER_MEMORY_BYTES); split the plan, or export it as text")}
    except RecursionError:
        result = {"error": f"{name}: the file is nested too deeply to read; it is probably corrupt"}
    except Exception as exc:  # any other reader failure is the file's: one line, no traceback
        result = {"error": f"{name}: the file cannot be read ({type(exc).__name__}); re-save it, or export it as text"}
    tmp = Path(out).with_name("output.json.part")
    tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out)
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
