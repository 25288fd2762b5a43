"""Shared pieces of the readers: limits as messages, text clean-up, the checked read of an input file.

Every limit comes from geo.settings and is named in the message that refuses a file.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

from geo import settings
from geo.errors import InputFileError

_RADICALS_RE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def limit_text(max_bytes: int | None = None) -> str:
    """The size limit as people read it, e.g. "20 MiB"."""
    limit = settings.MAX_FILE_BYTES if max_bytes is None else max_bytes
    return f"{limit / 1024 / 1024:g} MiB"


def too_large(name: str, size: int, limit: int) -> InputFileError:
    return InputFileError(
        f"{name}: file is {size / 1024 / 1024:.1f} MiB, larger than the limit of {limit_text(limit)} "
        f"({limit} bytes, MAX_FILE_BYTES); split the plan or remove images and annexes"
    )


def fold_radicals(text: str) -> str:
    return _RADICALS_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("", text)


def too_much_text(name: str) -> InputFileError:
    return InputFileError(
        f"{name}: holds more than {settings.MAX_TEXT_CHARS:,} characters of text, the limit "
        "(MAX_TEXT_CHARS); split the plan"
    )


# Symlinks may point into these only if they are the project's own folders (never /etc/passwd).
SYSTEM_PATHS: tuple[str, ...] = ("/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/run", "/var/run",
                                 "/usr", "/bin", "/sbin", "/lib", "/lib64", "/var/lib", "/var/log")


def read_input_bytes(source: Path | str, max_bytes: int | None = None) -> bytes:
    """The bytes of an input file, with the checks made before anything is read or copied.

    Refused with InputFileError: a missing file; anything but a regular file (folder, FIFO,
    device, socket); a symlink unless it resolves to a regular file outside system paths
    (SYSTEM_PATHS); a file larger than `max_bytes` (default settings.MAX_FILE_BYTES).
    """
    path = Path(source)
    limit = settings.MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        st = path.lstat()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from None
    if stat.S_ISLNK(st.st_mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise InputFileError(f"{path.name}: a symbolic link to a missing file; refused") from None
        if any(str(target) == p or str(target).startswith(p + "/") for p in SYSTEM_PATHS):
            raise InputFileError(
                f"{path.name}: a symbolic link to the system file {target}; refused (give the plan file itself)"
            )
        st = target.stat()
        path_to_read = target
    else:
        path_to_read = path
    if not stat.S_ISREG(st.st_mode):
        raise InputFileError(
            f"{path.name}: not a regular file (a folder, pipe, device or socket); refused"
        )
    if st.st_size > limit:
        raise too_large(path.name, st.st_size, limit)
    try:
        fd = os.open(path_to_read, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped after the check
            raise InputFileError(f"{path.name}: not a regular file; refused")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise too_large(path.name, len(data), limit)
    return data
