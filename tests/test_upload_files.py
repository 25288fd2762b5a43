"""Real plan files for the readers/ingest/upload tests, made by the tests, and a temporary data root.

- make_docx: a short plan written with python-docx (title, headings 一、/（一）, a table, and
  optionally HTML/script text that must stay literal);
- make_text_pdf: the same plan printed to PDF by Debian's chromium (headless --print-to-pdf);
  tests that need it skip when chromium is missing;
- make_scanned_pdf: a PDF whose only page content is an image (pypdfium2), i.e. no text layer;
- make_gbk_txt, corrupt files, binary junk;
- plan_root: a temporary copy of data/ with built layers/ (built once per session, incremental
  cache included), so that no test touches the real data/ or layers/.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PLAN_TITLE = "万州区达州市协同发展试点实施方案"
PLAN_PLACES = {
    "adm:500101": "万州区",
    "adm:511700": "达州市",
    "new_area:liangjiang": "两江新区",
    "railway:chengyu-middle-hsr": "成渝中线高铁",
}
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
UNKNOWN_PLACE = "紫云港"  # a port the gazetteer does not know


def plan_lines(title: str = PLAN_TITLE, html: bool = False) -> list[tuple[str, str]]:
    """(style, text) lines of the test plan; style is "title", "h1", "h2" or "p"."""
    extra = f"会议纪要中的示例代码{SCRIPT}与{IMG}原样保留。" if html else ""
    return [
        ("title", title),
        ("h1", "一、总体要求"),
        ("h2", "（一）发展目标"),
        ("p", f"推动万州区、达州市与两江新区协同发展，加快建设成渝中线高铁，提升{UNKNOWN_PLACE}功能。{extra}"),
        ("h1", "二、重点任务"),
        ("h2", "（一）交通互联"),
        ("p", "完善万州新田港集疏运体系，推动开州区与达州市通道建设。"),
    ]


def make_docx(path: Path, title: str = PLAN_TITLE, html: bool = False) -> Path:
    import docx

    d = docx.Document()
    for style, text in plan_lines(title, html):
        if style == "title":
            d.add_heading(text, level=0)
        elif style == "h1":
            d.add_heading(text, level=1)
        elif style == "h2":
            d.add_heading(text, level=2)
        else:
            d.add_paragraph(text)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "地区"
    table.cell(0, 1).text = "任务"
    table.cell(1, 0).text = "开州区"
    table.cell(1, 1).text = "建设开州至达州通道"
    d.save(str(path))
    return path


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def make_text_pdf(path: Path, title: str = PLAN_TITLE) -> Path:
    """Print the plan (as HTML) to PDF with headless chromium; skips the test without chromium."""
    exe = chromium()
    if exe is None:
        pytest.skip("Debian's chromium is not installed (make system-deps); needed to make a text PDF")
    body = "".join(
        f"<h1>{t}</h1>" if s == "title" else f"<p>{t}</p>" for s, t in plan_lines(title)
    )
    html = path.with_suffix(".html")
    html.write_text(f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>', encoding="utf-8")
    subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--no-pdf-header-footer",
         f"--user-data-dir={path.parent / 'chromium-profile'}", f"--print-to-pdf={path}", html.as_uri()],
        check=True, capture_output=True, timeout=60,
    )
    assert path.stat().st_size > 0
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A one-page PDF holding only an image (what a scanner produces): no text layer."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    bitmap = pdfium.PdfBitmap.new_native(200, 100, pdfium.raw.FPDFBitmap_BGR)
    bitmap.fill_rect((30, 30, 30, 255), 0, 0, 200, 100)
    bitmap.fill_rect((250, 250, 250, 255), 10, 10, 80, 40)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(400, 200).translate(50, 500))
    page.insert_obj(image)
    page.gen_content()
    buf = io.BytesIO()
    pdf.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def plan_text(title: str = PLAN_TITLE, html: bool = False) -> str:
    return "\n".join(t for _, t in plan_lines(title, html)) + "\n"


def make_gbk_txt(path: Path, title: str = PLAN_TITLE) -> Path:
    path.write_bytes(plan_text(title).encode("gbk"))
    return path


def binary_junk() -> bytes:
    return bytes(range(256)) * 16 + b"\x00\x01\x02\xff" * 64


def snapshot(root: Path) -> dict[str, str]:
    """relative path → sha256 of every file, and "<dir>/" for every folder, under data/ and layers/."""
    out: dict[str, str] = {}
    for top in ("data", "layers"):
        base = root / top
        for p in sorted(base.rglob("*")):
            rel = p.relative_to(root).as_posix()
            out[rel + "/" if p.is_dir() else rel] = "" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="session")
def template_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/ copied from the repository, with layers/ built for it (incremental cache under the cache root)."""
    from geo.layers.build import input_checksums, read_layers

    root = tmp_path_factory.mktemp("plan-atlas-root")
    shutil.copytree(REPO / "data", root / "data")
    for name in ("layers",):
        src = REPO / name
        if src.is_dir() and any(src.iterdir()):
            shutil.copytree(src, root / name)
    fresh = False
    if (root / "layers" / "manifest.json").is_file():
        recorded = read_layers(root / "layers").manifest.get("inputs", {})
        fresh = recorded == input_checksums(root / "data" / "docs", root / "data" / "gazetteer")
    if not fresh:
        from geo.ingest.add import rebuild_layers

        rebuild_layers(root)
    return root


@pytest.fixture()
def plan_root(template_root: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the template root for one test."""
    root = tmp_path / "root"
    root.mkdir()
    for name in ("data", "layers", "build"):
        if (template_root / name).is_dir():
            shutil.copytree(template_root / name, root / name)
    yield root


def test_made_docx_has_the_plan(tmp_path: Path) -> None:
    import docx

    d = docx.Document(str(make_docx(tmp_path / "p.docx")))
    texts = [p.text for p in d.paragraphs]
    assert texts[:3] == [PLAN_TITLE, "一、总体要求", "（一）发展目标"]
    assert d.tables[0].cell(1, 0).text == "开州区"


def test_scanned_pdf_has_an_image_and_no_text(tmp_path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(make_scanned_pdf(tmp_path / "scan.pdf")) as pdf:
        assert len(pdf.pages) == 1 and len(pdf.pages[0].images) == 1
        assert not (pdf.pages[0].extract_text() or "").strip()
