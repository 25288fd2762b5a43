"""geo.ingest and `python -m geo add/remove` on a temporary copy of data/ and layers/ (PLAN_ATLAS_ROOT).

Real files made by the tests (test_upload_files); the real data/ and layers/ are never touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import test_upload_files
from test_upload_files import (
    PLAN_PLACES,
    PLAN_TITLE,
    REPO,
    binary_junk,
    make_docx,
    make_gbk_txt,
    make_text_pdf,
    snapshot,
)

import geo.layers.build
from geo.corpus.load import load_corpus
from geo.errors import InputFileError, LayersError, UnknownDocumentError
from geo.ingest.add import ADDED_MARKER, add_documents, remove_document, user_files
from geo.layers.build import read_layers, validate_layers

# fixtures: a temporary copy of data/ and layers/ per test (built once per session)
template_root = test_upload_files.template_root
plan_root = test_upload_files.plan_root


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLAN_ATLAS_ROOT": str(root), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=180
    )


def test_add_docx_then_remove_is_byte_identical(plan_root: Path, tmp_path: Path) -> None:
    before = snapshot(plan_root)
    old_ids = [d.id for d in load_corpus(plan_root / "data" / "docs").documents]
    docx_path = make_docx(tmp_path / "万州达州方案.docx")

    docs = add_documents([docx_path], plan_root)

    assert [d.title for d in docs] == [PLAN_TITLE]
    doc = docs[0]
    docs_dir = plan_root / "data" / "docs"
    (txt,) = [p for p in docs_dir.glob("user-*.txt")]
    assert doc.sources[0].file == txt.name
    (orig,) = list((docs_dir / "originals").iterdir())
    assert orig.read_bytes() == docx_path.read_bytes() and orig.suffix == ".docx"
    rows = user_files(plan_root)
    assert rows[txt.name]["original_name"] == "万州达州方案.docx"
    assert rows[txt.name]["contents"].startswith(ADDED_MARKER) and PLAN_TITLE in rows[txt.name]["contents"]
    # the corpus keeps every earlier id; the layers show the new document and its places
    assert [d.id for d in load_corpus(docs_dir).documents if d.id != doc.id] == old_ids
    ls = read_layers(plan_root / "layers")
    assert doc.id in {d["id"] for d in ls.documents}
    for pid in PLAN_PLACES:
        feature = ls.feature(pid)
        assert feature is not None and doc.id in feature["properties"]["doc_ids"], pid
    assert validate_layers(plan_root / "layers") == []
    assert snapshot(plan_root) != before

    removed = remove_document(doc.id, plan_root)

    assert [d.id for d in removed] == [doc.id]
    assert snapshot(plan_root) == before


def test_bad_file_in_a_batch_changes_nothing(plan_root: Path, tmp_path: Path) -> None:
    before = snapshot(plan_root)
    good = make_docx(tmp_path / "good.docx")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + binary_junk())
    with pytest.raises(InputFileError, match=r"^bad\.pdf: corrupt PDF"):
        add_documents([good, bad], plan_root)
    junk = tmp_path / "junk.txt"
    junk.write_bytes(binary_junk())
    with pytest.raises(InputFileError, match=r"^junk\.txt: not a text file"):
        add_documents([good, junk], plan_root)
    with pytest.raises(InputFileError, match="no files given"):
        add_documents([], plan_root)
    assert snapshot(plan_root) == before


def test_build_failure_rolls_back(plan_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(plan_root)

    def broken_assemble(*args: object, **kwargs: object) -> dict:
        raise RuntimeError("simulated failure while assembling layers")

    monkeypatch.setattr(geo.layers.build, "assemble", broken_assemble)
    with pytest.raises(LayersError, match="simulated failure.*nothing was added — data/docs and layers/ are unchanged"):
        add_documents([make_docx(tmp_path / "p.docx")], plan_root)
    assert snapshot(plan_root) == before


def test_duplicates_are_refused(plan_root: Path, tmp_path: Path) -> None:
    docs_dir = plan_root / "data" / "docs"
    before = snapshot(plan_root)
    # a copy of an embedded file under another name
    copy = tmp_path / "copy.txt"
    copy.write_bytes((docs_dir / "fangguanfu-guiding-opinion-2021.txt").read_bytes())
    with pytest.raises(InputFileError, match=r"copy\.txt: already in the corpus \(same content as data/docs/"):
        add_documents([copy], plan_root)
    # the same document (same title) twice in one batch, in two formats
    gbk = make_gbk_txt(tmp_path / "gbk.txt")
    docx_path = make_docx(tmp_path / "p.docx")
    with pytest.raises(InputFileError, match=f"p.docx: 《{PLAN_TITLE}》 is already in the corpus as"):
        add_documents([gbk, docx_path], plan_root)
    assert snapshot(plan_root) == before


def test_duplicate_add_and_failed_remove_change_nothing(
    plan_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docx_path = make_docx(tmp_path / "p.docx")
    (doc,) = add_documents([docx_path], plan_root)
    after_add = snapshot(plan_root)
    with pytest.raises(InputFileError, match="p.docx: already in the corpus"):
        add_documents([docx_path], plan_root)
    assert snapshot(plan_root) == after_add

    def broken_build(*args: object, **kwargs: object) -> dict:
        raise LayersError("simulated build failure")

    monkeypatch.setattr(geo.layers, "build_layers", broken_build)
    with pytest.raises(LayersError, match="simulated build failure; nothing was removed"):
        remove_document(doc.id, plan_root)
    assert snapshot(plan_root) == after_add


def test_remove_refuses_embedded_and_unknown(plan_root: Path) -> None:
    with pytest.raises(UnknownDocumentError, match="part of the embedded corpus.*only added documents can be removed"):
        remove_document("2021-fangguanfu-guiding-opinion", plan_root)
    with pytest.raises(UnknownDocumentError, match="unknown document id"):
        remove_document("no-such-document", plan_root)


def test_cli_add_gbk_and_pdf_then_remove(plan_root: Path, tmp_path: Path) -> None:
    gbk = make_gbk_txt(tmp_path / "gbk-plan.txt", title="达州市万州区通道建设工作要点")
    pdf = make_text_pdf(tmp_path / "pdf-plan.pdf", title="两江新区成渝中线高铁沿线规划方案")
    run = _cli(plan_root, "add", "-q", str(gbk), str(pdf))
    assert run.returncode == 0, run.stderr
    added = [line.split("\t") for line in run.stdout.splitlines()]
    assert [a[1] for a in added] == ["达州市万州区通道建设工作要点", "两江新区成渝中线高铁沿线规划方案"]
    assert "layers rebuilt in" in run.stderr
    docs = json.loads(_cli(plan_root, "docs", "--json").stdout)
    ids = {d["id"] for d in docs}
    new_ids = [a[0].removeprefix("added ") for a in added]
    assert set(new_ids) <= ids
    # the GBK file is kept as it was; the PDF's text is stored as UTF-8 next to its original
    docs_dir = plan_root / "data" / "docs"
    assert gbk.read_bytes() in {p.read_bytes() for p in docs_dir.glob("user-*.txt")}
    assert [p.read_bytes() for p in (docs_dir / "originals").iterdir()] == [pdf.read_bytes()]

    again = _cli(plan_root, "add", "-q", str(gbk))
    assert again.returncode == 1 and "already in the corpus" in again.stderr and "Traceback" not in again.stderr
    embedded = _cli(plan_root, "remove", "-q", "2021-fangguanfu-guiding-opinion")
    assert embedded.returncode == 1 and "embedded corpus" in embedded.stderr

    run = _cli(plan_root, "remove", "-q", new_ids[1])
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"removed {new_ids[1]}\t")
    ids = {d["id"] for d in json.loads(_cli(plan_root, "docs", "--json").stdout)}
    assert new_ids[0] in ids and new_ids[1] not in ids
    assert not (docs_dir / "originals").exists()
    assert len(list(docs_dir.glob("user-*.txt"))) == 1


def test_cli_add_bad_file_message(plan_root: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    run = _cli(plan_root, "add", "-q", str(empty))
    assert run.returncode == 1
    assert run.stderr.strip() == "error: empty.docx: file is empty (no text to read)"


def test_an_add_parses_each_file_once(plan_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus is parsed once per ingest: the duplicate checks, the staged corpus (hard links of the
    same files) and the build reuse the parse of each file; the new plan is parsed once too."""
    import geo.corpus.load as corpus_load

    corpus_load._parse_cached.cache_clear()
    corpus_load._load_cached.cache_clear()
    parsed: list[int] = []
    real = corpus_load.prepare_lines

    def counting(text: str) -> object:
        parsed.append(len(text))
        return real(text)

    monkeypatch.setattr(corpus_load, "prepare_lines", counting)
    files = len(list((plan_root / "data" / "docs").glob("*.txt")))
    add_documents([make_gbk_txt(tmp_path / "plan.txt")], plan_root)
    assert len(parsed) == files + 1
