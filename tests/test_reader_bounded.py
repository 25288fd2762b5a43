"""Readers registered from outside geo/corpus/readers run bounded too: in the child process of
geo.corpus.bounded, under the same wall-time and memory limits as the built-in ones.

The toy readers of tests/toy_readers.py are registered from a test module, the way a plugin would
register its own: one hangs, one allocates without end, one reads. This process plays the server:
the hanging and the allocating file are answered with their limit's message in time, and this
process's own memory does not grow. A reader the child cannot load by name (a lambda, a nested
function) is refused at registration with ReaderError. A caller killed mid-read leaves neither its
reader nor (after the next read) its temporary folder behind.
"""

from __future__ import annotations

import os
import resource
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import toy_readers

from geo import settings
from geo.corpus import read_bounded, read_bounded_report
from geo.corpus.bounded import TEMP_PREFIX
from geo.corpus.readers import Reader, register_reader, unregister_reader
from geo.errors import InputFileError, ReaderError

LIMIT_MEMORY = 300 * 2**20


@pytest.fixture()
def toys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(settings, "MAX_READER_MEMORY_BYTES", LIMIT_MEMORY)
    toy_readers.register_toys()
    yield
    toy_readers.unregister_toys()


def _self_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def test_a_registered_reader_runs_in_the_child(toys: None) -> None:
    text = read_bounded(("plan.pid", "规划".encode()))
    assert text.startswith("规划\nread in process ")
    assert int(text.rsplit(" ", 1)[1]) != os.getpid()


def test_a_hanging_registered_reader_is_stopped_at_the_time_limit(toys: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_READ_SECONDS", 8.0)
    t0 = time.perf_counter()
    with pytest.raises(InputFileError, match=r"^stuck\.hang: reading it took longer than the limit of 8 s "
                                             r"\(MAX_READ_SECONDS\); split the plan"):
        read_bounded(("stuck.hang", b"x"))
    assert 8.0 <= time.perf_counter() - t0 < 8.0 + 3


def test_an_allocating_registered_reader_is_stopped_at_the_memory_limit(toys: None) -> None:
    before = _self_rss()
    report = read_bounded_report("greedy.hog", b"x")
    assert report.text is None
    assert report.error == ("greedy.hog: reading it needs more than the memory limit of 300 MiB "
                            "(MAX_READER_MEMORY_BYTES); split the plan, or export it as text")
    assert report.seconds < settings.MAX_READ_SECONDS  # stopped by the cap, not by the clock
    assert 64 * 2**20 < report.peak_rss_bytes <= LIMIT_MEMORY  # the child did allocate, up to the cap
    assert _self_rss() - before < 64 * 2**20  # not in this process


def test_a_bounded_reader_the_child_cannot_load_is_refused_at_registration() -> None:
    with pytest.raises(ReaderError, match=r"reader of \.lam \(toy\) is bounded .*\.<locals>\.<lambda> is a lambda"):
        register_reader(Reader((".lam",), "toy", lambda name, data: data.decode()))

    def nested(name: str, data: bytes) -> str:
        return data.decode()

    with pytest.raises(ReaderError, match="nested"):
        register_reader(Reader((".nest",), "toy", nested))
    register_reader(Reader((".lam",), "toy", lambda name, data: data.decode(), bounded=False))  # trusted: allowed
    unregister_reader(".lam")


def test_a_reader_module_the_child_cannot_import_is_a_reader_error(toys: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent can import the module, the child cannot (not on its path): one clear ReaderError."""
    from geo.corpus.readers import ReaderSpec

    monkeypatch.setattr("geo.corpus.readers.reader_spec",
                        lambda reader: ReaderSpec("toy_readers", "read_pid", "/nonexistent", (), reader.label))
    with pytest.raises(ReaderError, match=r"reader of \.pid \(pid toy\) cannot be loaded in the bounded reader "
                                          r"process: toy_readers\.read_pid \(ModuleNotFoundError"):
        read_bounded(("plan.pid", b"x"))


def _readers_in(folder: Path) -> list[int]:
    """Pids of reader processes whose command line names `folder`."""
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(folder) in (proc / "cmdline").read_bytes().decode(errors="replace"):
                    out.append(int(proc.name))
            except OSError:
                pass
    return out


def test_a_killed_caller_leaves_no_reader_and_no_folder_behind(toys: None) -> None:
    """`geo add` SIGKILLed while its reader hangs: the reader dies with it (it would otherwise run
    with nobody enforcing the time limit), and the next read removes the dead caller's folder."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the caller, killed below
        try:
            read_bounded(("stuck.hang", b"x"))
        finally:
            os._exit(0)
    deadline = time.monotonic() + 30
    folders: list[Path] = []
    while not folders and time.monotonic() < deadline:
        folders = list(Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}{pid}-*"))
        time.sleep(0.05)
    assert len(folders) == 1
    while not _readers_in(folders[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    readers = _readers_in(folders[0])
    assert readers
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while _readers_in(folders[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _readers_in(folders[0]) == []
    assert folders[0].exists()  # nobody cleaned up after the killed caller …
    read_bounded(("plan.pid", b"x"))
    assert not folders[0].exists()  # … until the next read
