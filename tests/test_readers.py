"""geo.readers on real files made by the tests: .docx, text PDF, scanned PDF, GBK .txt, and bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from test_upload_files import (
    IMG,
    PLAN_TITLE,
    SCRIPT,
    UNKNOWN_PLACE,
    binary_junk,
    make_docx,
    make_gbk_txt,
    make_scanned_pdf,
    make_text_pdf,
    plan_text,
)

from geo import settings
from geo.corpus.load import parse_text
from geo.corpus.readers import read_document_file
from geo.errors import InputFileError


def test_docx_paragraphs_headings_and_table_rows_in_order(tmp_path: Path) -> None:
    text = read_document_file(make_docx(tmp_path / "plan.docx"))
    lines = text.splitlines()
    assert lines[:4] == [PLAN_TITLE, "一、总体要求", "（一）发展目标", lines[3]]
    assert "万州区、达州市与两江新区" in lines[3] and "成渝中线高铁" in lines[3]
    assert lines[-2:] == ["地区\t任务", "开州区\t建设开州至达州通道"]
    docs = parse_text(text, "plan.txt")
    assert [d.title for d in docs] == [PLAN_TITLE]
    paths = {c.path for c in docs[0].clauses}
    assert any(p and p[0].startswith("一、") for p in paths), paths


def test_docx_from_bytes_names_the_upload(tmp_path: Path) -> None:
    data = make_docx(tmp_path / "plan.docx").read_bytes()
    assert read_document_file(("我的规划.docx", data)) == read_document_file(tmp_path / "plan.docx")
    with pytest.raises(InputFileError, match=r"^我的规划\.docx: corrupt|^我的规划\.docx: not a valid"):
        read_document_file(("我的规划.docx", data[: len(data) // 2]))


def test_text_pdf_pages_and_radicals_folded(tmp_path: Path) -> None:
    text = read_document_file(make_text_pdf(tmp_path / "plan.pdf"))
    assert PLAN_TITLE in text
    for name in ("万州区", "达州市", "两江新区", "成渝中线高铁", UNKNOWN_PLACE):
        assert name in text
    # chromium's CJK fonts map 一/支/高 to Kangxi radicals (⼀ ⽀ ⾼); the reader folds them back
    assert "一、总体要求" in text and "（一）发展目标" in text
    assert not any("\u2e80" <= ch <= "\u2fdf" for ch in text)


def test_scanned_pdf_is_refused_without_pretend_ocr(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as err:
        read_document_file(make_scanned_pdf(tmp_path / "scan.pdf"))
    assert str(err.value) == (
        "scan.pdf: this PDF has no text layer (scanned?); OCR is not supported — export it as text or .docx"
    )


def test_gbk_and_bom_text(tmp_path: Path) -> None:
    assert read_document_file(make_gbk_txt(tmp_path / "gbk.txt")) == plan_text()
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + plan_text().encode("utf-8"))
    assert read_document_file(tmp_path / "bom.txt") == plan_text()


def test_html_and_script_stay_literal(tmp_path: Path) -> None:
    for path in (make_docx(tmp_path / "x.docx", html=True), tmp_path / "x.txt"):
        if path.suffix == ".txt":
            path.write_text(plan_text(html=True), encoding="utf-8")
        text = read_document_file(path)
        assert SCRIPT in text and IMG in text
        clause_text = " ".join(c.text for d in parse_text(text, "x.txt") for c in d.clauses)
        assert SCRIPT in clause_text and IMG in clause_text


@pytest.mark.parametrize("ext", [".txt", ".docx", ".pdf"])
def test_empty_files(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"empty{ext}"
    path.write_bytes(b"")
    with pytest.raises(InputFileError, match=rf"empty{ext}: file is empty"):
        read_document_file(path)


def test_whitespace_only_txt(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text(" \n\u3000\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="blank.txt: file is empty"):
        read_document_file(tmp_path / "blank.txt")


def test_oversize_file_states_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(settings.MAX_FILE_BYTES + 1)
    with pytest.raises(InputFileError) as err:
        read_document_file(path)
    msg = str(err.value)
    assert msg.startswith("huge.txt: file is 20.0 MiB, larger than the limit of 20 MiB")
    assert str(settings.MAX_FILE_BYTES) in msg
    with pytest.raises(InputFileError, match="larger than the limit of 20 MiB"):
        read_document_file(("up.docx", b"x" * (settings.MAX_FILE_BYTES + 1)))


@pytest.mark.parametrize("name", ["plan.doc", "plan.html", "plan.wps", "plan", "plan.txt.exe"])
def test_unsupported_extension(name: str) -> None:
    with pytest.raises(InputFileError, match=rf"^{name}: unsupported file type .*\.txt .*\.docx or \.pdf"):
        read_document_file((name, plan_text().encode("utf-8")))


def test_binary_junk_renamed_txt() -> None:
    with pytest.raises(InputFileError, match=r"^junk\.txt: not a text file"):
        read_document_file(("junk.txt", binary_junk()))
    with pytest.raises(InputFileError, match=r"^junk\.txt: not a text file"):
        read_document_file(("junk.txt", bytes(range(0x80, 0x100)) * 40))


def test_corrupt_docx_variants(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "plan.docx").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a word document")
    broken_xml = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(broken_xml, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<w:document><unclosed" if item.filename == "word/document.xml" else data)
    cases = {
        "junk.docx": binary_junk(),
        "truncated.docx": good[:2000],
        "zip.docx": buf.getvalue(),
        "xml.docx": broken_xml.getvalue(),
        "text.docx": plan_text().encode("utf-8"),
    }
    for name, data in cases.items():
        with pytest.raises(InputFileError, match=rf"^{name}: (corrupt|not a valid) \.docx"):
            read_document_file((name, data))


def test_corrupt_pdf_variants(tmp_path: Path) -> None:
    cases = {
        "junk.pdf": binary_junk(),
        "header.pdf": b"%PDF-1.7\n" + binary_junk(),
        "text.pdf": plan_text().encode("utf-8"),
    }
    for name, data in cases.items():
        with pytest.raises(InputFileError, match=rf"^{name}: (corrupt PDF|not a valid PDF)"):
            read_document_file((name, data))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_document_file(tmp_path / "nope.docx")


def test_a_reader_out_of_memory_is_not_called_a_corrupt_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfplumber re-raises what pdfminer raised as PdfminerException(e): a MemoryError inside (the
    bounded reader's memory cap) stays a MemoryError, which the bounded reader reports as the limit;
    any other error is still a corrupt file."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    from geo.corpus.readers.pdf import read_pdf

    data = make_text_pdf(tmp_path / "plan.pdf").read_bytes()

    def out_of_memory(*_a, **_k):
        raise PdfminerException(MemoryError())

    monkeypatch.setattr(pdfplumber, "open", out_of_memory)
    with pytest.raises(MemoryError):
        read_pdf("plan.pdf", data)

    def broken(*_a, **_k):
        raise PdfminerException(ValueError("bad xref"))

    monkeypatch.setattr(pdfplumber, "open", broken)
    with pytest.raises(InputFileError, match="corrupt PDF file"):
        read_pdf("plan.pdf", data)
