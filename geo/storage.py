"""Files on disk: the one atomic-write helper and the one cache root.

Every file the project writes (layers/, data/ through `geo add`, caches, published map data,
exports) goes through `atomic_write_bytes`/`atomic_write_text`: the bytes are written to a
temporary file beside the target (unique per process and thread), flushed and fsynced, then renamed
over the target, so a reader sees the old file or the new one, never a part. Caches live under
`cache_dir(name)`, rooted at `settings.cache_root()` (`PLAN_ATLAS_CACHE`; "off" disables them).

The other file operations of a crash-safe change (geo.ingest.journal, geo.layers' swap) are here
too — `write_new_file` (inside a staging folder), `rename`, `remove_file`, `make_dir`,
`remove_tree`, `link_tree` —, so that crash tests can stop the process at any one of them: with
PLAN_ATLAS_KILL_AT=k the k-th operation (counted from 1 in this process; durable atomic writes
count, cache writes do not)
SIGKILLs the process before it runs; with PLAN_ATLAS_OPS_LOG=path every operation appends
"n<TAB>op<TAB>path" to that file. Temporary names hold the writer's pid (`pid_of_temp`), so a
later process can tell a dead writer's leftover from a file a live one is still writing.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import threading
from pathlib import Path

from geo import settings

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "cache_dir",
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
_TEMP_PID_RE = re.compile(r"[.-](\d+)(?:\.\d+)?\.tmp$")


def _op(kind: str, path: Path | str) -> None:
    """Count one file-system operation; the fault-injection hook of the crash tests."""
    global _count
    _count += 1
    if _OPS_LOG:
        with open(_OPS_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{_count}\t{kind}\t{path}\n")
    if _KILL_AT and _count == _KILL_AT:
        os.kill(os.getpid(), signal.SIGKILL)


def fsync_dir(folder: Path) -> None:
    """fsync a directory so a rename inside it survives a power cut (no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path | str, data: bytes, *, mode: int = 0o644, durable: bool = True) -> Path:
    """Write `data` to `path` atomically (temporary file beside it, fsync, rename); returns the path.

    The parent folder is created. `durable=False` skips the fsyncs (caches, published display data).
    """
    target = Path(path)
    if durable:  # caches (durable=False) are not part of a change: not counted, never killed at
        _op("write", target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    if durable:
        fsync_dir(target.parent)
    return target


def atomic_write_text(path: Path | str, text: str, *, mode: int = 0o644, durable: bool = True) -> Path:
    """`atomic_write_bytes` of `text` encoded as UTF-8."""
    return atomic_write_bytes(path, text.encode("utf-8"), mode=mode, durable=durable)


def cache_dir(name: str) -> Path | None:
    """The cache folder `name` under the one cache root, or None when caching is off."""
    root = settings.cache_root()
    return None if root is None else root / name


def write_new_file(path: Path | str, data: bytes) -> None:
    """Write a file that nobody reads yet (inside a staging folder): write, fsync, mode 0644."""
    path = Path(path)
    _op("write", path)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o644)


def rename(src: Path | str, dst: Path | str) -> None:
    """os.rename (atomic on one file system), then fsync of the folders involved."""
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
    """The writer's pid in a temporary name made here ("….<pid>.tmp", "….<pid>.<thread>.tmp",
    "…-<pid>.tmp")."""
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
