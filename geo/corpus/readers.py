"""Read a user's plan file (.txt, .docx or .pdf) into plain text, or refuse it with a clear message.

Where the text comes from, by extension:
- .txt: `geo.corpus.read_text` (UTF-8 with or without BOM, else GB18030; refuses binary data);
- .docx: python-docx — body paragraphs in document order (headings kept as their own lines) and
  the text of every table, one line per row (cells separated by a tab, merged cells once);
- .pdf: pdfplumber — the text layer of every page in order. A PDF without a text layer (a scan)
  is refused: OCR is not supported. Kangxi radicals and CJK compatibility ideographs that many
  PDF writers emit instead of ordinary characters (⼀ for 一, ⾼ for 高) are folded back (NFKC on
  those code points only, so full-width punctuation such as （一） is kept).

`read_document_file(path)` or `read_document_file((name, data))` returns the text. Every problem
(missing, empty or oversize file — limit `geo.settings.MAX_UPLOAD_BYTES` —, unsupported
extension, corrupt or encrypted .docx/.pdf, binary junk named .txt) raises
`geo.errors.InputFileError` naming the file. HTML or script in the text is returned literally:
escaping it is the viewer's job.
"""

from __future__ import annotations

import io
import logging
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from geo import settings
from geo.errors import InputFileError

__all__ = ["SUPPORTED_EXTENSIONS", "read_document_bytes", "read_document_file", "limit_text"]

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".docx", ".pdf")
# Kangxi radicals, CJK radicals supplement, CJK compatibility ideographs (+ supplement).
_RADICALS_RE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Source = Path | str | tuple[str, bytes]


def limit_text(max_bytes: int | None = None) -> str:
    """The upload limit as people read it, e.g. "20 MB"."""
    limit = settings.MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    return f"{limit / 1024 / 1024:g} MB"


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
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        body = document.element.body
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, document).text)
            elif tag == "tbl":
                lines.extend(_docx_table_lines(Table(child, document)))
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


def _read_pdf(name: str, data: bytes) -> str:
    import pdfplumber

    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise InputFileError(f"{name}: not a valid PDF file (no %PDF header; corrupt or renamed?)")
    # pdfminer logs a warning per odd font descriptor; they are not the user's concern
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
    except Exception as exc:  # pdfminer raises many types (PDFSyntaxError, PSEOF, encryption …)
        kind = type(exc).__name__
        if "Password" in kind or "Encrypt" in kind:
            raise InputFileError(
                f"{name}: the PDF is encrypted or password-protected; remove the protection or "
                "export it as text or .docx"
            ) from None
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
    """The text of a document given as its file name (for the extension) and bytes.

    Raises InputFileError naming `name` for unsupported extensions, empty data, data larger than
    `max_bytes` (default settings.MAX_UPLOAD_BYTES) and files that cannot be read.
    """
    limit = settings.MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    name = Path(str(name)).name or "upload"
    ext = Path(name).suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        shown = ext or "no extension"
        raise InputFileError(
            f"{name}: unsupported file type ({shown}); add a .txt (UTF-8 or GB18030), .docx or .pdf "
            "plan (.doc, .wps and scanned images: save or export them as .docx or text first)"
        )
    if len(data) > limit:
        raise InputFileError(
            f"{name}: file is {len(data) / 1024 / 1024:.1f} MB, larger than the limit of "
            f"{limit_text(limit)} ({limit} bytes); split the plan or remove images and annexes"
        )
    if not data.strip():
        raise InputFileError(f"{name}: file is empty (no text to read)")
    if ext == ".txt":
        text = _read_txt(name, data)
    elif ext == ".docx":
        text = _read_docx(name, data)
    else:
        text = _read_pdf(name, data)
    if len(text.encode("utf-8")) > settings.MAX_TEXT_BYTES:
        raise InputFileError(
            f"{name}: its text is larger than the limit of {settings.MAX_TEXT_BYTES / 1e6:.0f} MB; "
            "split the plan"
        )
    return text


def read_document_file(source: Source, max_bytes: int | None = None) -> str:
    """The text of a plan file: a path, or a (file name, bytes) pair (an upload).

    Raises InputFileError (naming the file) when it is missing, empty, larger than `max_bytes`
    (default settings.MAX_UPLOAD_BYTES), of an unsupported type, corrupt, or a PDF without text.
    """
    if isinstance(source, tuple):
        name, data = source
        return read_document_bytes(name, bytes(data), max_bytes)
    path = Path(source)
    limit = settings.MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if not path.is_file():
        raise InputFileError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > limit:
        raise InputFileError(
            f"{path.name}: file is {size / 1024 / 1024:.1f} MB, larger than the limit of "
            f"{limit_text(limit)} ({limit} bytes); split the plan or remove images and annexes"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from None
    return read_document_bytes(path.name, data, max_bytes)
