"""The readers: a registry of document formats, and the one dispatch from a file to its text.

A `Reader` names its extensions, a label, its `read(name, data) -> str` function and whether it
must run in the bounded child process (geo.corpus.bounded: memory cap, timeout) for untrusted
input. The built-in readers: .txt (readers/txt.py, in process), .docx (readers/docx.py) and .pdf
(readers/pdf.py), both bounded. `register_reader` adds one (a few lines, see the README);
`supported_extensions()` is what the upload view and the CLI accept.

A bounded reader, built-in or registered from any module, runs in the child process, which loads
its function by name (`reader_spec`: module, qualified name, the folder its top package is in):
`register_reader` refuses, with ReaderError, a bounded reader whose function cannot be loaded that
way (a lambda, a nested function, one defined in a script run as __main__).

`read_input_bytes(path)` refuses symlinks into system paths, special files and files over the one
size limit (settings.MAX_FILE_BYTES) before reading anything. `read_document_bytes(name, data)` /
`read_document_file(path or (name, data))` return the text or raise one InputFileError naming the
file (unsupported, empty, oversize, over a reader limit, corrupt, encrypted, no text layer). HTML
or script in the text is returned literally: escaping it is the viewer's job.
"""

from __future__ import annotations

import importlib
import sys
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
from geo.errors import InputFileError, ReaderError

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "SYSTEM_PATHS",
    "Reader",
    "ReaderSpec",
    "limit_text",
    "read_document_bytes",
    "read_document_file",
    "read_input_bytes",
    "reader_for",
    "reader_spec",
    "register_reader",
    "supported_extensions",
    "unregister_reader",
]

Source = Path | str | tuple[str, bytes]


@dataclass(frozen=True)
class Reader:
    """One document format: extensions (".docx"), a label for people, the read function, whether
    untrusted input must be read in the bounded child process, and the modules that child imports
    before it caps its memory (the reader's libraries; the read function's module always is)."""

    extensions: tuple[str, ...]
    label: str
    read: Callable[[str, bytes], str]
    bounded: bool = True
    preload: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReaderSpec:
    """What the bounded child needs to load a reader: the read function's module and qualified
    name, the folder to put on its sys.path ("" when the module is importable anyway), the
    modules to import before the memory cap, and the label."""

    module: str
    qualname: str
    path: str
    preload: tuple[str, ...]
    label: str


_REGISTRY: dict[str, Reader] = {}


def _describe(reader: Reader) -> str:
    return f"the reader of {', '.join(reader.extensions)} ({reader.label})"


def reader_spec(reader: Reader) -> ReaderSpec:
    """How the bounded child process loads `reader`'s function by name; ReaderError when it cannot.

    The function must be a module-level name of an importable module (not a lambda, a nested
    function, or a function of a script run as __main__ — Streamlit runs the app that way).
    """
    fn = reader.read
    module = getattr(fn, "__module__", None) or ""
    qualname = getattr(fn, "__qualname__", None) or ""
    why = ""
    if not module or not qualname:
        why = "it has no module and name (a callable object)"
    elif "<" in qualname:
        why = f"{qualname} is a lambda or a nested function"
    elif module == "__main__":
        why = "it is defined in the script run as __main__"
    mod = sys.modules.get(module)
    if not why:
        try:
            mod = mod or importlib.import_module(module)
        except ImportError as exc:
            why = f"its module {module} cannot be imported ({exc})"
    if not why:
        obj: object = mod
        for part in qualname.split("."):
            obj = getattr(obj, part, None)
        if obj is not fn:
            why = f"{module}.{qualname} does not name it"
    if why:
        raise ReaderError(
            f"{_describe(reader)} is bounded (read in a child process with a memory cap and a timeout), "
            f"but the child cannot load its function by name: {why}. Define the function at the top level "
            "of an importable module and register that, or register the reader with bounded=False if "
            "untrusted files of that type are safe to read inside the server"
        )
    file = getattr(mod, "__file__", None)
    path = ""
    if file:  # the folder holding the module's top package, as this process found it
        here = Path(file).resolve().parent
        depth = module.count(".") + (1 if Path(file).name == "__init__.py" else 0)
        path = str(here.parents[depth - 1] if depth else here)
    return ReaderSpec(module, qualname, path, tuple(reader.preload), reader.label)


def register_reader(reader: Reader) -> Reader:
    """Add a reader (its extensions, lower case with the dot); a later one replaces an earlier one.

    A bounded reader whose function the child process cannot load by name is refused with
    ReaderError (see `reader_spec`).
    """
    if reader.bounded:
        reader_spec(reader)
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
register_reader(Reader((".docx",), "Word 2007+ (.docx)", _read_docx, preload=("docx", "geo.corpus.readers.docx")))
register_reader(Reader((".pdf",), "PDF with a text layer", _read_pdf,
                       preload=("pdfplumber", "pypdfium2", "geo.corpus.readers.pdf")))

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
