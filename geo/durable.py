"""Durable file operations: atomic writes, fsync'd renames and removals, in one place.

Every write that `geo add`, `geo remove` and `geo build` make to data/, layers/ and their staging
folders goes through these functions, so that
- a file is replaced atomically (temporary file beside it, fsync, rename, fsync of the folder);
- crash tests can stop the process at any one of them: with the environment variable
  PLAN_ATLAS_KILL_AT=k the k-th operation (counted from 1 in this process) SIGKILLs the process
  before it runs; with PLAN_ATLAS_OPS_LOG=path every operation appends one line "n<TAB>op<TAB>path"
  to that file (how the crash test learns how many kill points a command has).
Temporary names hold the writer's pid (`pid_of_temp`), so a later process can tell a leftover of a
dead writer from a file that a live one is still writing.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
from pathlib import Path

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "fsync_dir",
    "link_tree",
    "make_dir",
    "pid_alive",
    "pid_of_temp",
    "remove_file",
    "remove_tree",
    "rename",
    "write_new_file",
]

_KILL_AT = int(os.environ.get("PLAN_ATLAS_KILL_AT", "0") or 0)
_OPS_LOG = os.environ.get("PLAN_ATLAS_OPS_LOG", "")
_count = 0
_TEMP_PID_RE = re.compile(r"[.-](\d+)\.tmp$")


def _op(kind: str, path: Path | str) -> None:
    """Count one file-system operation; the fault-injection hook of the crash tests."""
    global _count
    _count += 1
    if _OPS_LOG:
        with open(_OPS_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{_count}\t{kind}\t{path}\n")
    if _KILL_AT and _count == _KILL_AT:
        os.kill(os.getpid(), signal.SIGKILL)


def fsync_dir(path: Path | str) -> None:
    """Make a folder's entries (renames, new files) durable."""
    fd = os.open(str(path), os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_new_file(path: Path | str, data: bytes) -> None:
    """Write a file that nobody reads yet (inside a staging folder): write, fsync, mode 0644."""
    path = Path(path)
    _op("write", path)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o644)


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Replace `path` by `data` atomically and durably (readers see the old or the new bytes)."""
    path = Path(path)
    tmp = _temp_name(path)
    try:
        write_new_file(tmp, data)
        rename(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_text(path: Path | str, text: str) -> None:
    """`atomic_write_bytes` of UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"))


def rename(src: Path | str, dst: Path | str) -> None:
    """os.rename (atomic on one file system), then fsync of the destination's folder."""
    _op("rename", dst)
    os.rename(src, dst)
    fsync_dir(Path(dst).parent)
    if Path(src).parent != Path(dst).parent:
        fsync_dir(Path(src).parent)


def remove_file(path: Path | str) -> None:
    """Delete a file if it exists."""
    _op("unlink", path)
    Path(path).unlink(missing_ok=True)


def make_dir(path: Path | str) -> None:
    """mkdir -p."""
    _op("mkdir", path)
    Path(path).mkdir(parents=True, exist_ok=True)


def remove_tree(path: Path | str) -> None:
    """rm -rf (a staging or leftover folder)."""
    _op("rmtree", path)
    shutil.rmtree(path, ignore_errors=True)


def link_tree(src: Path | str, dst: Path | str) -> None:
    """Copy a folder as hard links (cheap; safe because files are only ever replaced, never edited)."""
    _op("link", dst)

    def link(s: str, d: str) -> None:
        try:
            os.link(s, d)
        except OSError:  # another file system, or links not allowed
            shutil.copy2(s, d)

    shutil.copytree(src, dst, copy_function=link)


def pid_of_temp(name: str) -> int | None:
    """The writer's pid in a temporary name made here ("….<pid>.tmp" or "…-<pid>.tmp")."""
    m = _TEMP_PID_RE.search(name)
    return int(m.group(1)) if m else None


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (on this machine)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
