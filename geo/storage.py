"""Files on disk: the one atomic-write helper and the one cache root.

Every file the project writes (layers/, data/ through `geo add`, caches, published map data,
exports) goes through `atomic_write_bytes`/`atomic_write_text`: the bytes are written to a
temporary file beside the target (unique per process and thread), flushed and fsynced, then renamed
over the target, so a reader sees the old file or the new one, never a part. Caches live under
`cache_dir(name)`, rooted at `settings.cache_root()` (`PLAN_ATLAS_CACHE`; "off" disables them).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from geo import settings

__all__ = ["atomic_write_bytes", "atomic_write_text", "cache_dir", "fsync_dir"]


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
