""".docx reader: python-docx — body paragraphs in document order (headings kept as their own lines)
and the text of every table, one line per row (cells separated by a tab, merged cells once).

Before python-docx sees the package, zip bombs are refused: the declared uncompressed size and
ratio (MAX_DOCX_UNCOMPRESSED_BYTES, MAX_DOCX_RATIO), every part streamed with the same cap, then the
body's paragraphs and characters counted while streaming word/document.xml (MAX_DOCX_PARAGRAPHS,
MAX_TEXT_CHARS). Runs in the bounded child process (geo.corpus.bounded).
"""

from __future__ import annotations

import io
import zipfile

from geo import settings
from geo.corpus.readers._common import clean, too_much_text
from geo.errors import InputFileError


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
                    raise too_much_text(name)
            el.clear()
            while el.getprevious() is not None:  # drop finished siblings: memory stays flat
                del el.getparent()[0]


def read_docx(name: str, data: bytes) -> str:
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
    text = clean("\n".join(lines))
    if not text.strip():
        raise InputFileError(f"{name}: the .docx file has no text (empty document, or only images)")
    return text
