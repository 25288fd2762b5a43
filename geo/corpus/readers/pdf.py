""".pdf reader: pdfplumber — the text layer of every page in order.

The pages are counted by pdfium first (MAX_PDF_PAGES), which also tries the empty password: an
encrypted PDF is named as such. A PDF without a text layer (a scan) is refused: OCR is not
supported. Kangxi radicals and CJK compatibility ideographs that many PDF writers emit instead of
ordinary characters (⼀ for 一, ⾼ for 高) are folded back (NFKC on those code points only, so
full-width punctuation such as （一） is kept). Runs in the bounded child process.
"""

from __future__ import annotations

import io
import logging

from geo import settings
from geo.corpus.readers._common import clean, fold_radicals, too_much_text
from geo.errors import InputFileError


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


def _out_of_memory(exc: BaseException) -> bool:
    """Whether `exc` is, or wraps, a MemoryError: pdfplumber re-raises pdfminer's errors as
    PdfminerException(e), without a cause; a reader out of its memory cap is not a corrupt file."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        e = todo.pop()
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        if isinstance(e, MemoryError):
            return True
        seen.add(id(e))
        todo += [e.__cause__, e.__context__, *e.args]
    return False


def read_pdf(name: str, data: bytes) -> str:
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
                    raise too_much_text(name)
                pages.append(text)
                page.close()
    except (InputFileError, MemoryError):
        raise
    except Exception as exc:  # pdfminer raises many types (PDFSyntaxError, PSEOF, encryption …)
        if _out_of_memory(exc):  # pdfplumber wraps whatever pdfminer raised, a MemoryError too
            raise MemoryError(str(exc)) from exc
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
    return clean(fold_radicals("\n".join(pages)))
