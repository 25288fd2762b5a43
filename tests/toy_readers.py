"""Toy readers for tests of the readers registry: defined at the top level of this test module, so
that the bounded child process (geo.corpus.bounded) can load them by name, as it would a plugin's.

`register_toys()` registers them (bounded, the default): ".hang" never returns, ".hog" allocates
64 MiB blocks without end, ".pid" returns the text followed by the process id it ran in.
Kept free of heavy imports: the child imports this module before it reads.
"""

from __future__ import annotations

import os
import time

from geo.corpus.readers import Reader, register_reader, unregister_reader

__all__ = ["TOYS", "read_hang", "read_hog", "read_pid", "register_toys", "unregister_toys"]


def read_hang(name: str, data: bytes) -> str:
    """A reader that never returns."""
    while True:
        time.sleep(0.05)


def read_hog(name: str, data: bytes) -> str:
    """A reader that allocates 64 MiB blocks (touched, so they are resident) without end."""
    blocks = []
    while True:
        blocks.append(bytearray(64 * 2**20))


def read_pid(name: str, data: bytes) -> str:
    """A reader that says which process it ran in."""
    return f"{data.decode()}\nread in process {os.getpid()}"


TOYS = {".hang": ("hanging toy", read_hang), ".hog": ("allocating toy", read_hog), ".pid": ("pid toy", read_pid)}


def register_toys() -> None:
    for ext, (label, fn) in TOYS.items():
        register_reader(Reader((ext,), label, fn))


def unregister_toys() -> None:
    for ext in TOYS:
        unregister_reader(ext)
