"""geo.corpus on new and bad inputs: generic heading schemes, encodings, empty/binary/huge files, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo import settings
from geo.corpus import load as corpus_mod
from geo.corpus.load import load_corpus, parse_text, read_text
from geo.errors import InputFileError

ROOT = Path(__file__).resolve().parent.parent

NEW_PLAN = """某某县人民政府
关于印发某某县产业发展规划的通知
某府发〔 2024 〕3 号

各乡镇人民政府，县级各部门：
现将《某某县产业发展规划》印发给你们，请认真贯彻执行。

某某县人民政府
2024 年 3 月 5 日

某某县产业发展规划

第一章 总体要求
第一节 指导思想
坚持新发展理念，推动高质量发展。
第二节 发展目标
一、经济目标
（一）产业规模。到 2025 年，规模以上工业产值达到 18． 5 亿元。（责任单位：县经信局、县发改委）
1．加快园区建设。推进嘉陵江沿岸园区扩区。
(1) 完善基础设施。（县住建局、县交通局牵头负责）
第二章 保障措施
加强组织领导，建立工作专班。
"""


def test_parse_text_on_a_new_plan() -> None:
    docs = parse_text(NEW_PLAN, "mine.txt")
    assert len(docs) == 1
    d = docs[0]
    assert (d.title, d.kind, d.date, d.doc_no) == ("某某县产业发展规划", "规划", "2024-03-05", "某府发〔2024〕3号")
    assert d.issuers == ("某某县人民政府",)
    by_id = {c.id: c for c in d.clauses}
    assert by_id[f"{d.id}/1.1/p1"].text == "坚持新发展理念，推动高质量发展。"
    item = by_id[f"{d.id}/1.2.1.1/p1"]
    assert item.label == "（一）"
    assert item.text == "产业规模。到2025年，规模以上工业产值达到18.5亿元。"
    assert item.agencies == ("县经信局", "县发改委")
    assert item.path == ("第一章 总体要求", "第二节 发展目标", "一、经济目标")
    assert by_id[f"{d.id}/1.2.1.1.1/p1"].label == "1．"
    sub = by_id[f"{d.id}/1.2.1.1.1.1/p1"]
    assert sub.label == "（1）" and sub.agencies == ("县住建局", "县交通局") and sub.text == "完善基础设施。"
    assert by_id[f"{d.id}/2/p1"].text == "加强组织领导，建立工作专班。"
    assert any(c.id == f"{d.id}/notice/p1" and c.text.startswith("现将《某某县产业发展规划》") for c in d.clauses)
    for c in d.clauses:
        assert "某府发" not in c.text and "2024年3月5日" not in c.text


def test_wrapped_layout_with_page_break() -> None:
    text = (
        "成渝示范区建设方案\n\n"
        "一、总体要求\n\n"
        "推动成渝地区双城经济圈建设，打造高质量发展的重要增长极，沿嘉\n\n\n\n"
        "12\n"
        " 陵江发展生态经济带，支持大竹县和善感乡协同发展，推动各项任务落地见效，\n\n"
        "形成合力。\n\n"
        "二、保障措施\n\n"
        "加强组织领导。\n"
    )
    d = parse_text(text, "wrapped.txt")[0]
    assert d.title == "成渝示范区建设方案" and d.kind == "方案"
    texts = [c.text for c in d.clauses]
    assert any("沿嘉陵江发展生态经济带" in t and "12" not in t for t in texts), texts
    assert "加强组织领导。" in texts


def test_read_text_encodings(tmp_path: Path) -> None:
    s = "关于印发成渝地区双城经济圈规划的通知\n重庆、四川。\n"
    (tmp_path / "gbk.txt").write_bytes(s.encode("gbk"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + s.encode("utf-8"))
    (tmp_path / "gb18030.txt").write_bytes("𠀀 成渝\n".encode("gb18030"))
    assert read_text(tmp_path / "gbk.txt") == s
    assert read_text(tmp_path / "bom.txt") == s
    assert read_text(tmp_path / "gb18030.txt") == "𠀀 成渝\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\r\n\t \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "not a text file"),
        (bytes(range(1, 9)) * 200, "not a text file"),
        (b"\xff\xfe\xfd\x80\x81" * 50, "not a text file"),
    ],
)
def test_read_text_refuses_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=message) as exc:
        read_text(path)
    assert "bad.txt" in str(exc.value)


def test_read_text_missing_and_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_text(tmp_path / "nope.txt")
    big = tmp_path / "big.txt"
    big.write_text("成渝" * 1000, encoding="utf-8")
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 1000)
    with pytest.raises(InputFileError, match=r"limit of .*1000 bytes"):
        read_text(big)


def _write_50mb(path: Path) -> None:
    line = ("推动成渝地区双城经济圈建设，打造高质量发展重要增长极。" * 3 + "\n").encode("utf-8")
    with path.open("wb") as f:
        f.write(line * (50 * 1024 * 1024 // len(line) + 1))


def test_50mb_file_gets_a_clear_error(tmp_path: Path) -> None:
    _write_50mb(tmp_path / "huge.txt")
    with pytest.raises(InputFileError, match=r"huge\.txt.*limit of 20 MiB"):
        load_corpus(tmp_path)
    assert corpus_mod.MAX_PLAN_BYTES < 50 * 1024 * 1024


def _cli(args: list[str], root: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if root is not None:
        env["PLAN_ATLAS_ROOT"] = str(root)
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _assert_clean_error(r: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert r.returncode == 1, r.stderr
    assert r.stderr.startswith("error:") and "Traceback" not in r.stderr, r.stderr
    for n in needles:
        assert n in r.stderr, r.stderr


def test_cli_on_new_and_bad_files(tmp_path: Path) -> None:
    docs = tmp_path / "data" / "docs"
    docs.mkdir(parents=True)
    (docs / "plan.txt").write_bytes(NEW_PLAN.encode("gbk"))
    r = _cli(["docs", "--json"], root=tmp_path)
    assert r.returncode == 0, r.stderr
    listed = json.loads(r.stdout)
    assert [d["title"] for d in listed] == ["某某县产业发展规划"]
    r = _cli(["clauses", listed[0]["id"], "--json", "--docs-dir", str(docs)])
    assert r.returncode == 0 and any(c["agencies"] == ["县经信局", "县发改委"] for c in json.loads(r.stdout))

    (docs / "empty.txt").write_bytes(b"")
    _assert_clean_error(_cli(["docs"], root=tmp_path), "empty.txt", "empty")
    (docs / "empty.txt").write_bytes(b"\x00\x01binary\x00" * 100)
    _assert_clean_error(_cli(["docs"], root=tmp_path), "empty.txt", "not a text file")
    (docs / "empty.txt").unlink()
    _write_50mb(docs / "huge.txt")
    _assert_clean_error(_cli(["docs"], root=tmp_path), "huge.txt", "limit")


def test_cli_on_the_corpus() -> None:
    r = _cli(["show", "2020-chengyu-gangyao/3.2/p1"])
    assert r.returncode == 0, r.stderr
    assert "第三章" in r.stdout and "chengyu-compilation-2020-2023.txt lines" in r.stdout
    _assert_clean_error(_cli(["clauses", "no-such-doc"]), "no-such-doc", "python -m geo docs")
    _assert_clean_error(_cli(["show", "2020-chengyu-gangyao/9/p9"]), "unknown clause")


def test_heading_glued_after_a_sentence_and_bracketed_agencies() -> None:
    text = (
        "某某示范区建设方案\n"
        "一、主要任务\n"
        "（一）建设园区。推进园区建设。〔责任单位：市发展改革委；省发展改革委等〕二、保障措施\n"
        "（二）加强领导。建立工作机制。\n"
    )
    d = parse_text(text, "glued.txt")[0]
    first, second = d.clauses
    assert first.text == "建设园区。推进园区建设。" and first.agencies == ("市发展改革委", "省发展改革委")
    assert second.path == ("二、保障措施",) and second.id.endswith("/2.2/p1")
