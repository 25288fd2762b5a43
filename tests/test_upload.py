"""geo.upload (in-memory analysis, session layer, keep) and geo.upload_view through Streamlit's AppTest.

Real files made by the tests (test_upload_files). Nothing may be written to the real data/ or
layers/ by analysing; keeping goes to a temporary copy (plan_root).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import test_upload_files
from streamlit.testing.v1 import AppTest
from test_upload_files import (
    IMG,
    PLAN_PLACES,
    PLAN_TITLE,
    REPO,
    SCRIPT,
    UNKNOWN_PLACE,
    binary_junk,
    make_docx,
    plan_text,
    snapshot,
)

from geo.errors import InputFileError
from geo.ingest.upload import analyse_upload, keep_upload
from geo.layers.build import read_layers
from geo.layers.geojson import rfc7946_problems

template_root = test_upload_files.template_root
plan_root = test_upload_files.plan_root

CONTRACT_PROPERTIES = {
    "id", "name", "name_pinyin", "name_en", "kind", "layer", "aliases", "adcode", "precision",
    "geometry_source", "mention_count", "doc_ids", "clause_ids", "excerpt",
}


def test_analyse_docx_session_layer(tmp_path: Path) -> None:
    real_before = snapshot(REPO)
    data = make_docx(tmp_path / "p.docx", html=True).read_bytes()

    result = analyse_upload("规划.docx", data)

    assert [d.title for d in result.documents] == [PLAN_TITLE]
    fc = result.feature_collection
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    by_id = {f["id"]: f for f in fc["features"]}
    assert set(PLAN_PLACES) <= set(by_id), sorted(by_id)
    assert by_id["adm:500101"]["properties"]["layer"] == "admin_county"
    assert by_id["railway:chengyu-middle-hsr"]["geometry"]["type"] in ("LineString", "MultiLineString")
    clauses = {c.id: c for c in result.clauses}
    doc_id = result.documents[0].id
    for f in fc["features"]:
        props = f["properties"]
        # lines also carry status keys (geo.places.status; empty in a session layer)
        extra = {"status", "status_source"} if props["layer"] == "lines" else set()
        assert set(props) == CONTRACT_PROPERTIES | extra and props["id"] == f["id"]
        assert props["doc_ids"] == [doc_id] and props["mention_count"] >= 1
        for cid in props["clause_ids"]:
            assert any(m.place_id == f["id"] for m in result.mentions[cid]), (cid, f["id"])
            assert clauses[cid].doc_id == doc_id
    text = result.to_geojson_bytes().decode("utf-8")
    assert rfc7946_problems(json.loads(text), text) == []
    assert json.loads(text)["features"] == fc["features"]
    # index-shaped view of the upload, for the viewer's clause panel
    assert [c["id"] for c in result.index["clauses"]] == list(clauses)
    assert set(result.index["places"]) == set(by_id) | set(result.unmapped)
    # unresolved place-like strings, and HTML kept as literal text
    assert UNKNOWN_PLACE in result.unresolved
    assert all(p not in result.unresolved for p in PLAN_PLACES.values())
    all_text = " ".join(c.text for c in result.clauses)
    assert SCRIPT in all_text and IMG in all_text
    assert result.download_name().endswith(".geojson")
    assert snapshot(REPO) == real_before  # nothing written


def test_geometries_match_the_layers(template_root: Path, tmp_path: Path) -> None:
    layerset = read_layers(template_root / "layers")
    data = make_docx(tmp_path / "p.docx").read_bytes()
    with_layers = analyse_upload("p.docx", data, layerset=layerset)
    alone = analyse_upload("p.docx", data)
    for f in with_layers.feature_collection["features"]:
        drawn = layerset.feature(f["id"])
        if drawn is not None:
            assert f["geometry"] == drawn["geometry"], f["id"]
            for key in ("precision", "geometry_source", "status", "status_source"):  # and what describes it
                assert f["properties"].get(key) == drawn["properties"].get(key), (f["id"], key)
    assert [f["id"] for f in alone.feature_collection["features"]] == [
        f["id"] for f in with_layers.feature_collection["features"]
    ]


def test_bad_uploads_raise_input_file_error() -> None:
    with pytest.raises(InputFileError, match=r"^x\.txt: not a text file"):
        analyse_upload("x.txt", binary_junk())
    with pytest.raises(InputFileError, match=r"^x\.pdf: not a valid PDF"):
        analyse_upload("x.pdf", b"hello")
    with pytest.raises(InputFileError, match=r"^x\.odt: unsupported file type"):
        analyse_upload("x.odt", b"hello")


def test_keep_upload_adds_through_geo_add(plan_root: Path, tmp_path: Path) -> None:
    result = analyse_upload("gbk.txt", plan_text().encode("gbk"))
    docs = keep_upload(result, plan_root)
    assert [d.title for d in docs] == [PLAN_TITLE]
    ls = read_layers(plan_root / "layers")
    assert docs[0].id in {d["id"] for d in ls.documents}
    before = snapshot(plan_root)
    with pytest.raises(InputFileError, match="already in the corpus"):
        keep_upload(result, plan_root)
    assert snapshot(plan_root) == before


APP = textwrap.dedent(
    """
    import os
    from pathlib import Path
    from geo.layers.build import read_layers
    from geo.viewer.auth import render_sign_in
    from geo.viewer.upload_view import render_upload_panel

    render_sign_in("en")
    root = Path(os.environ["PLAN_ATLAS_TEST_ROOT"])
    result = render_upload_panel(read_layers(root / "layers"), root=root)
    if result is not None:
        import streamlit as st
        st.caption(f"session features: {len(result.feature_collection['features'])}")
    """
)


def test_panel_in_apptest(plan_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAN_ATLAS_TEST_ROOT", str(plan_root))
    monkeypatch.setenv("PLAN_ATLAS_EDITOR_PASSWORD", "s3cret-editor")
    at = AppTest.from_string(APP, default_timeout=120)
    at.run()
    assert not at.exception
    uploader = at.file_uploader[0]
    assert uploader.allowed_type == [".txt", ".docx", ".pdf"] or set(uploader.allowed_type) >= {"txt", "docx", "pdf"}
    assert "20 MiB" in uploader.label

    # a bad file: an error, no crash, nothing listed
    uploader.set_value(("junk.txt", binary_junk(), "text/plain"))
    at.run()
    assert not at.exception
    # said in the interface language, the reader's English detail below it
    assert [e.value for e in at.error] == ["无法读取该文件：请检查文件类型、大小，以及 PDF 是否带文字层。"]
    assert any(c.value.startswith("技术细节（英文）：junk.txt: not a text file") for c in at.caption)
    assert not at.table

    # a real .docx with HTML in it: places listed, HTML shown as text
    data = make_docx(tmp_path / "p.docx", html=True).read_bytes()
    at.file_uploader[0].set_value(("p.docx", data, "application/octet-stream"))
    at.run()
    assert not at.exception and not at.error
    table = at.table[0].value
    names = list(table.iloc[:, 0])
    assert set(PLAN_PLACES.values()) <= set(names), names
    assert any(UNKNOWN_PLACE in t.value for t in at.text)
    assert any(c.value.startswith("session features: ") for c in at.caption)

    # a viewer (not signed in) cannot keep it; a wrong password does not help
    before = snapshot(plan_root)
    assert not [b for b in at.button if "保存到语料库" in b.label]
    assert any("只有登录的编辑可以保存到语料库" in i.value for i in at.info)
    at.text_input[0].input("wrong")
    [b for b in at.button if b.label == "Sign in"][0].click()
    at.run()
    assert any(e.value == "Wrong password." for e in at.error)
    assert not [b for b in at.button if "保存到语料库" in b.label]
    assert snapshot(plan_root) == before

    # an editor signs in: keep puts the document into the (temporary) corpus and rebuilds layers/
    at.text_input[0].input("s3cret-editor")
    [b for b in at.button if b.label == "Sign in"][0].click()
    at.run()
    assert not at.exception
    keep = [b for b in at.button if "保存到语料库" in b.label]
    assert keep, [b.label for b in at.button]
    keep[0].click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    kept = [s.value for s in at.success if s.value.startswith("已保存到语料库（")]
    assert kept and not [b for b in at.button if "保存到语料库" in b.label]  # no second keep
    kept_id = kept[0].split("（", 1)[1].split("）")[0]
    assert kept_id in {d["id"] for d in read_layers(plan_root / "layers").documents}
    assert list((plan_root / "data" / "docs" / "originals").glob("*.docx"))
    assert PLAN_TITLE in {d["title"] for d in read_layers(plan_root / "layers").documents}


def test_a_failed_upload_is_not_read_again_on_every_rerun(
    plan_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.viewer.upload_view as upload_view

    reads: list[str] = []

    def counted(name: str, data: bytes, **kw: object) -> object:
        reads.append(name)
        return analyse_upload(name, data, **kw)

    monkeypatch.setattr(upload_view, "analyse_upload", counted)
    monkeypatch.setenv("PLAN_ATLAS_TEST_ROOT", str(plan_root))
    at = AppTest.from_string(APP, default_timeout=120)
    at.run()
    at.file_uploader[0].set_value(("junk.txt", binary_junk(), "text/plain"))
    at.run()
    error = [e.value for e in at.error]
    assert error and reads == ["junk.txt"]
    at.run()  # a rerun with the same file in the uploader (a map click, a language switch)
    at.run()
    assert [e.value for e in at.error] == error and reads == ["junk.txt"]  # the error again, not a new read
    # another file is read; the bad one, added again after it, is read again (a retry)
    good = make_docx(tmp_path / "p.docx").read_bytes()
    at.file_uploader[0].set_value(("p.docx", good, "application/octet-stream"))
    at.run()
    assert not at.error and reads == ["junk.txt", "p.docx"]
    at.run()
    assert reads == ["junk.txt", "p.docx"]  # a good upload was already kept for the session
    at.file_uploader[0].set_value(None)
    at.run()
    at.file_uploader[0].set_value(("junk.txt", binary_junk(), "text/plain"))
    at.run()
    assert [e.value for e in at.error] == error and reads == ["junk.txt", "p.docx", "junk.txt"]


def test_a_line_with_a_real_course_keeps_its_precision_and_status_in_the_session_layer() -> None:
    """An uploaded plan naming 成渝高铁 draws it on the course of layers/ (routed on OSM rails, existing),
    and says so: not the gazetteer's schematic line without a status."""
    from geo.viewer.data import default_layers_dir

    layerset = read_layers(default_layers_dir())
    data = "三、交通\n加快成渝高铁提质改造，推进成渝中线高铁建设。\n".encode()
    feats = {f["id"]: f for f in analyse_upload("p.txt", data, layerset=layerset).feature_collection["features"]}
    hsr, drawn = feats["railway:chengyu-hsr"]["properties"], layerset.feature("railway:chengyu-hsr")["properties"]
    assert (hsr["precision"], hsr["status"]) == (drawn["precision"], drawn["status"]) == (
        "routed on the OSM rail network", "existing")
    assert hsr["geometry_source"] == drawn["geometry_source"] and hsr["status_source"] == drawn["status_source"]
    alone = {f["id"]: f for f in analyse_upload("p.txt", data).feature_collection["features"]}
    assert alone["railway:chengyu-hsr"]["properties"]["precision"] == "schematic"  # no layers: the recipe's line
