"""The readers: a registry of document formats, and the one dispatch from a file to its text.

A `Reader` names its extensions, a label, its `read(name, data) -> str` function and whether it
must run in the bounded child process (geo.corpus.bounded: memory cap, timeout) for untrusted
input. The built-in readers: .txt (readers/txt.py, in process), .docx (readers/docx.py) and .pdf
(readers/pdf.py), both bounded. `register_reader` adds one (a few lines, see the README);
`supported_extensions()` is what the upload view and the CLI accept.

`read_input_bytes(path)` refuses symlinks into system paths, special files and files over the one
size limit (settings.MAX_FILE_BYTES) before reading anything. `read_document_bytes(name, data)` /
`read_document_file(path or (name, data))` return the text or raise one InputFileError naming the
file (unsupported, empty, oversize, over a reader limit, corrupt, encrypted, no text layer). HTML
or script in the text is returned literally: escaping it is the viewer's job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geo import settings
from geo.corpus.readers._common import (
    SYSTEM_PATHS,
    limit_text,
    read_input_bytes,
    too_large,
    too_much_text,
)
from geo.errors import InputFileError

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "SYSTEM_PATHS",
    "Reader",
    "limit_text",
    "read_document_bytes",
    "read_document_file",
    "read_input_bytes",
    "reader_for",
    "register_reader",
    "supported_extensions",
    "unregister_reader",
]

Source = Path | str | tuple[str, bytes]


@dataclass(frozen=True)
class Reader:
    """One document format: extensions (".docx"), a label for people, the read function, and
    whether untrusted input must be read in the bounded child process."""

    extensions: tuple[str, ...]
    label: str
    read: Callable[[str, bytes], str]
    bounded: bool = True


_REGISTRY: dict[str, Reader] = {}


def register_reader(reader: Reader) -> Reader:
    """Add a reader (its extensions, lower case with the dot); a later one replaces an earlier one."""
    for ext in reader.extensions:
        _REGISTRY[ext.lower()] = reader
    return reader


def unregister_reader(extension: str) -> None:
    """Remove the reader of an extension (tests registering a toy reader clean up with it)."""
    _REGISTRY.pop(extension.lower(), None)


def supported_extensions() -> tuple[str, ...]:
    """Every registered extension, in registration order (".txt", ".docx", ".pdf", …)."""
    return tuple(_REGISTRY)


def reader_for(name: str) -> Reader | None:
    """The reader of a file name's extension, or None."""
    return _REGISTRY.get(Path(name).suffix.lower())


def _read_txt(name: str, data: bytes) -> str:
    from geo.corpus.readers.txt import read_txt

    return read_txt(name, data)


def _read_docx(name: str, data: bytes) -> str:
    from geo.corpus.readers.docx import read_docx

    return read_docx(name, data)


def _read_pdf(name: str, data: bytes) -> str:
    from geo.corpus.readers.pdf import read_pdf

    return read_pdf(name, data)


register_reader(Reader((".txt",), "text (UTF-8, UTF-16 with BOM, GB18030)", _read_txt, bounded=False))
register_reader(Reader((".docx",), "Word 2007+ (.docx)", _read_docx))
register_reader(Reader((".pdf",), "PDF with a text layer", _read_pdf))

# the built-in extensions (use supported_extensions() to include registered ones)
SUPPORTED_EXTENSIONS: tuple[str, ...] = supported_extensions()


def _kinds() -> str:
    """".txt (UTF-8, UTF-16 with BOM or GB18030), .docx or .pdf" from the registry."""
    names = [ext + (" (UTF-8, UTF-16 with BOM or GB18030)" if ext == ".txt" else "") for ext in supported_extensions()]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def read_document_bytes(name: str, data: bytes, max_bytes: int | None = None) -> str:
    """The text of a document given as its file name (for the extension) and bytes, in this process.

    Raises InputFileError naming `name` for unsupported extensions, empty data, data larger than
    `max_bytes` (default settings.MAX_FILE_BYTES), files over a reader limit (settings) and files
    that cannot be read. For untrusted input use `geo.corpus.read_bounded` (a child process with
    a memory cap and a timeout) instead.
    """
    limit = settings.MAX_FILE_BYTES if max_bytes is None else max_bytes
    name = Path(str(name)).name or "upload"
    ext = Path(name).suffix.lower()
    reader = _REGISTRY.get(ext)
    if reader is None:
        shown = ext or "no extension"
        raise InputFileError(
            f"{name}: unsupported file type ({shown}); add a {_kinds()} plan "
            "(.doc, .wps and scanned images: save or export them as .docx or text first)"
        )
    if len(data) > limit:
        raise too_large(name, len(data), limit)
    if not data.strip():
        raise InputFileError(f"{name}: file is empty (no text to read)")
    text = reader.read(name, data)
    if ext != ".txt" and len(text) > settings.MAX_TEXT_CHARS:  # a .txt is bounded by its size
        raise too_much_text(name)
    return text


def read_document_file(source: Source, max_bytes: int | None = None) -> str:
    """The text of a plan file (a path, or a (file name, bytes) pair), read in this process.

    Raises InputFileError (naming the file) when it is missing, not a regular file, empty,
    larger than `max_bytes` (default settings.MAX_FILE_BYTES), of an unsupported type, over a
    reader limit, corrupt, encrypted, or a PDF without text.
    """
    if isinstance(source, tuple):
        name, data = source
        return read_document_bytes(name, bytes(data), max_bytes)
    path = Path(source)
    return read_document_bytes(path.name, read_input_bytes(path, max_bytes), max_bytes)
