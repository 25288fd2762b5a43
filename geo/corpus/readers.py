"""Read a user's plan file (.txt, .docx or .pdf) into plain text, or refuse it with a clear message.

Where the text comes from, by extension:
- .txt: `geo.corpus.read_text` (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030; refuses
  binary data);
- .docx: python-docx — body paragraphs in document order (headings kept as their own lines) and
  the text of every table, one line per row (cells separated by a tab, merged cells once);
- .pdf: pdfplumber — the text layer of every page in order. A PDF without a text layer (a scan)
  is refused: OCR is not supported. Kangxi radicals and CJK compatibility ideographs that many
  PDF writers emit instead of ordinary characters (⼀ for 一, ⾼ for 高) are folded back (NFKC on
  those code points only, so full-width punctuation such as （一） is kept).

Bounded work (limits in geo.settings and the README, each named in its message): one size limit
(MAX_FILE_BYTES) checked before anything is read; .docx declared and streamed uncompressed size,
compression ratio and paragraphs; PDF pages (counted by pdfium first); extracted characters.
Wall time and memory are bounded by running these readers in a child process: geo.corpus.bounded.

`read_input_bytes(path)` refuses symlinks into system paths, special files and oversize files
before reading. `read_document_file(path)` or `read_document_file((name, data))` returns the
text. Every problem (missing, empty, oversize, unsupported extension, corrupt or encrypted
.docx/.pdf, binary junk named .txt) raises `geo.errors.InputFileError` naming the file. HTML or
script in the text is returned literally: escaping it is the viewer's job.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from geo import settings
from geo.errors import InputFileError

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "limit_text",
    "read_document_bytes",
    "read_document_file",
    "read_input_bytes",
]

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".docx", ".pdf")
# Kangxi radicals, CJK radicals supplement, CJK compatibility ideographs (+ supplement).
_RADICALS_RE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Source = Path | str | tuple[str, bytes]


def limit_text(max_bytes: int | None = None) -> str:
    """The size limit as people read it, e.g. "20 MiB"."""
    limit = settings.MAX_FILE_BYTES if max_bytes is None else max_bytes
    return f"{limit / 1024 / 1024:g} MiB"


def _too_large(name: str, size: int, limit: int) -> InputFileError:
    return InputFileError(
        f"{name}: file is {size / 1024 / 1024:.1f} MiB, larger than the limit of {limit_text(limit)} "
        f"({limit} bytes, MAX_FILE_BYTES); split the plan or remove images and annexes"
    )


def _fold_radicals(text: str) -> str:
    return _RADICALS_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("", text)


def _read_txt(name: str, data: bytes) -> str:
    from geo.corpus.load import read_text

    with tempfile.TemporaryDirectory(prefix="plan-atlas-read-") as tmp:
        path = Path(tmp) / "upload.txt"
        path.write_bytes(data)
        try:
            return read_text(path, max_bytes=max(len(data), 1))
        except InputFileError as exc:
            raise InputFileError(str(exc).replace(str(path), name)) from None


def _docx_table_lines(table: object) -> list[str]:
    lines: list[str] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is repeated once per grid column
                continue
            seen.add(id(cell._tc))
            value = " ".join(cell.text.split())
            if value:
                cells.append(value)
        if cells:
            lines.append("\t".join(cells))
    return lines


def _check_docx_package(name: str, data: bytes) -> None:
    """Refuse zip bombs before python-docx sees the package: the declared sizes first (total and
    ratio), then every part streamed with the same cap (a part may lie about its size); then the
    body's paragraphs and characters counted while streaming word/document.xml."""
    cap, ratio = settings.MAX_DOCX_UNCOMPRESSED_BYTES, settings.MAX_DOCX_RATIO

    def bomb(what: str) -> InputFileError:
        return InputFileError(
            f"{name}: the .docx {what}; a plan's .docx holds far less — re-save it in Word or "
            "LibreOffice without embedded media, or export it as text"
        )

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        declared = sum(i.file_size for i in infos)
        if declared > cap:
            raise bomb(
                f"unpacks to {declared / 2**20:.0f} MiB, more than the limit of {cap / 2**20:g} MiB "
                "(MAX_DOCX_UNCOMPRESSED_BYTES)"
            )
        for info in infos:
            if info.file_size > 2**20 and info.file_size > ratio * max(info.compress_size, 1):
                raise bomb(
                    f"part {info.filename} is compressed {info.file_size // max(info.compress_size, 1)}:1, "
                    f"more than the limit of {ratio}:1 (MAX_DOCX_RATIO)"
                )
        total = 0
        for info in infos:
            with zf.open(info) as fh:
                while chunk := fh.read(1 << 20):
                    total += len(chunk)
                    if total > cap:
                        raise bomb(
                            f"unpacks to more than the limit of {cap / 2**20:g} MiB (MAX_DOCX_UNCOMPRESSED_BYTES)"
                        )
        if "word/document.xml" in zf.namelist():
            _count_docx_body(name, zf)


def _count_docx_body(name: str, zf: zipfile.ZipFile) -> None:
    """Stream word/document.xml (no tree kept): paragraphs and characters within their limits."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    paragraphs = chars = 0
    with zf.open("word/document.xml") as fh:
        parser = etree.iterparse(fh, events=("end",), tag=(f"{w}p", f"{w}t"), resolve_entities=False,
                                 no_network=True, huge_tree=False)
        for _, el in parser:
            if el.tag == f"{w}p":
                paragraphs += 1
                if paragraphs > settings.MAX_DOCX_PARAGRAPHS:
                    raise InputFileError(
                        f"{name}: the .docx has more than {settings.MAX_DOCX_PARAGRAPHS:,} paragraphs, the "
                        "limit (MAX_DOCX_PARAGRAPHS); split the plan"
                    )
            else:
                chars += len(el.text or "")
                if chars > settings.MAX_TEXT_CHARS:
                    raise _too_much_text(name)
            el.clear()
            while el.getprevious() is not None:  # drop finished siblings: memory stays flat
                del el.getparent()[0]


def _too_much_text(name: str) -> InputFileError:
    return InputFileError(
        f"{name}: holds more than {settings.MAX_TEXT_CHARS:,} characters of text, the limit "
        "(MAX_TEXT_CHARS); split the plan"
    )


def _read_docx(name: str, data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputFileError(
            f"{name}: not a valid .docx file (it is not a Word 2007+ zip package; corrupt, or an old "
            ".doc renamed?) — open it in Word or LibreOffice and save it as .docx, or export it as text"
        )
    try:
        _check_docx_package(name, data)
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        body = document.element.body
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, document).text)
            elif tag == "tbl":
                lines.extend(_docx_table_lines(Table(child, document)))
    except InputFileError:
        raise
    except MemoryError:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputFileError(
            f"{name}: corrupt .docx file ({type(exc).__name__}: {exc}) — re-save it in Word or "
            "LibreOffice, or export it as text"
        ) from None
    except Exception as exc:  # lxml parse errors and other damage inside the package
        raise InputFileError(
            f"{name}: corrupt .docx file ({type(exc).__name__}) — re-save it in Word or LibreOffice, "
            "or export it as text"
        ) from None
    text = _clean("\n".join(lines))
    if not text.strip():
        raise InputFileError(f"{name}: the .docx file has no text (empty document, or only images)")
    return text


def _encrypted(name: str) -> InputFileError:
    return InputFileError(
        f"{name}: the PDF is encrypted (password-protected; the empty password does not open it) — "
        "remove the protection, or export it as text or .docx"
    )


def _pdf_page_count(name: str, data: bytes) -> int:
    """Pages of the PDF (pdfium, which tries the empty password); encrypted or corrupt refused."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _encrypted(name) from None
        raise InputFileError(
            f"{name}: corrupt PDF file ({exc}) — re-export it, or export it as text or .docx"
        ) from None
    try:
        return len(pdf)
    finally:
        pdf.close()


def _read_pdf(name: str, data: bytes) -> str:
    import pdfplumber

    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise InputFileError(f"{name}: not a valid PDF file (no %PDF header; corrupt or renamed?)")
    n_pages = _pdf_page_count(name, data)
    if n_pages > settings.MAX_PDF_PAGES:
        raise InputFileError(
            f"{name}: the PDF has {n_pages:,} pages, more than the limit of {settings.MAX_PDF_PAGES:,} "
            "(MAX_PDF_PAGES); split the plan or leave out its annexes"
        )
    # pdfminer logs a warning per odd font descriptor; they are not the user's concern
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[str] = []
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data), password="") as pdf:
            for page in pdf.pages:
                text = page.extract_text() or ""
                chars += len(text)
                if chars > settings.MAX_TEXT_CHARS:
                    raise _too_much_text(name)
                pages.append(text)
                page.close()
    except (InputFileError, MemoryError):
        raise
    except Exception as exc:  # pdfminer raises many types (PDFSyntaxError, PSEOF, encryption …)
        kind = type(exc).__name__
        if "Password" in kind or "Encrypt" in kind:
            raise _encrypted(name) from None
        raise InputFileError(
            f"{name}: corrupt PDF file ({kind}) — re-export it, or export it as text or .docx"
        ) from None
    if not any(p.strip() for p in pages):
        raise InputFileError(
            f"{name}: this PDF has no text layer (scanned?); OCR is not supported — export it as "
            "text or .docx"
        )
    return _clean(_fold_radicals("\n".join(pages)))


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
    if ext not in SUPPORTED_EXTENSIONS:
        shown = ext or "no extension"
        raise InputFileError(
            f"{name}: unsupported file type ({shown}); add a .txt (UTF-8, UTF-16 with BOM or GB18030), "
            ".docx or .pdf plan (.doc, .wps and scanned images: save or export them as .docx or text first)"
        )
    if len(data) > limit:
        raise _too_large(name, len(data), limit)
    if not data.strip():
        raise InputFileError(f"{name}: file is empty (no text to read)")
    if ext == ".txt":
        text = _read_txt(name, data)
    elif ext == ".docx":
        text = _read_docx(name, data)
    else:
        text = _read_pdf(name, data)
    if ext != ".txt" and len(text) > settings.MAX_TEXT_CHARS:  # a .txt is bounded by its size
        raise _too_much_text(name)
    return text


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
        raise _too_large(path.name, st.st_size, limit)
    try:
        fd = os.open(path_to_read, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped after the check
            raise InputFileError(f"{path.name}: not a regular file; refused")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise _too_large(path.name, len(data), limit)
    return data


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
