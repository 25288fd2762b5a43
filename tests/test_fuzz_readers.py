"""Hypothesis fuzzing of the readers and the corpus parser: every input ends in a document or one
clear InputFileError, never a traceback, a hang or unbounded memory.

Inputs: random bytes under each extension; real .docx and .pdf files (made by the tests) with
bytes flipped, inserted or cut; random Unicode text in UTF-8, UTF-16 and GB18030; random plan
titles, with and without a closing "（2021—2035年）". The number of examples per property is
PLAN_ATLAS_FUZZ_EXAMPLES (default 40, bounded for `make test`; e.g. 2000 for a long run).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hostile_files import pdf_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_upload_files import make_docx, plan_text

from geo.corpus import parse_text, read_bounded_report, read_document_bytes, read_text
from geo.errors import InputFileError

EXAMPLES = int(os.environ.get("PLAN_ATLAS_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_BASE: dict[str, bytes] = {}


def base_files() -> dict[str, bytes]:
    if not _BASE:
        with tempfile.TemporaryDirectory() as tmp:
            _BASE[".docx"] = make_docx(Path(tmp) / "plan.docx").read_bytes()
        _BASE[".pdf"] = pdf_bytes(3, text="Plan of Wanzhou and Dazhou")
        _BASE[".txt"] = plan_text().encode("utf-8")
    return _BASE


def _read_or_refuse(name: str, data: bytes) -> str | None:
    """The reader's text, or None after one InputFileError naming the file on one line."""
    try:
        text = read_document_bytes(name, data)
    except InputFileError as exc:
        msg = str(exc)
        assert msg.startswith(f"{name}: ") and "\n" not in msg and "Traceback" not in msg, msg
        return None
    assert isinstance(text, str)
    return text


@FUZZ
@given(ext=st.sampled_from([".txt", ".docx", ".pdf"]), data=st.binary(max_size=4096))
def test_random_bytes(ext: str, data: bytes) -> None:
    _read_or_refuse(f"random{ext}", data)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    ext = draw(st.sampled_from([".docx", ".pdf", ".txt"]))
    data = bytearray(base_files()[ext])
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "insert", "cut", "truncate"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[pos] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "cut":
            del data[pos:pos + draw(st.integers(1, 256))]
        else:
            del data[pos:]
    return f"mutated{ext}", bytes(data)


@FUZZ
@given(sample=mutated())
def test_mutated_real_files(sample: tuple[str, bytes]) -> None:
    name, data = sample
    text = _read_or_refuse(name, data)
    if text is not None:
        parse_text(text, "mutated.txt")


@settings(max_examples=max(3, EXAMPLES // 10), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(sample=mutated())
def test_mutated_files_in_the_bounded_child(sample: tuple[str, bytes]) -> None:
    name, data = sample
    report = read_bounded_report(name, data)
    assert (report.text is None) != (report.error is None)
    if report.error is not None:
        assert report.error.startswith(f"{name}: ") and "\n" not in report.error
    assert report.seconds < 30 and report.peak_rss_bytes < 600 * 10**6


@FUZZ
@given(text=st.text(max_size=2000), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_random_unicode_text_files(text: str, encoding: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return  # not representable in GB18030 (lone surrogates)
    path = tmp_path_factory.mktemp("fuzz") / "plan.txt"
    path.write_bytes(data)
    try:
        got = read_text(path)
    except InputFileError as exc:
        assert "\n" not in str(exc)
        return
    docs = parse_text(got, "plan.txt")
    ids = [c.id for d in docs for c in d.clauses]
    assert len(ids) == len(set(ids))


@FUZZ
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=3000))
def test_random_unicode_parse(text: str) -> None:
    docs = parse_text(text, "random.txt")
    for doc in docs:
        assert doc.id and all(c.id.startswith(doc.id + "/") for c in doc.clauses)


_PLACE_CHARS = "成渝重庆四川达州万州市区县省城乡国土空间总体发展协同一体化双城经济圈"


@FUZZ
@given(
    stem=st.text(alphabet=_PLACE_CHARS, min_size=2, max_size=16),
    kind=st.sampled_from(["规划", "方案", "实施方案", "总体规划", "行动计划", "纲要"]),
    note=st.sampled_from(["", "（2021—2035年）", "（2021-2025年）", "（试行）", "（征求意见稿）"]),
)
def test_random_titles_are_parsed_whole(stem: str, kind: str, note: str) -> None:
    title = stem + kind + note
    text = f"{title}\n第一章 总则\n第一条 推动成渝地区双城经济圈建设，制定本{kind}。\n"
    (doc,) = parse_text(text, "t.txt")
    assert doc.title == title
