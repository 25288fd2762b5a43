"""geo.corpus on the real seed files: documents, merging, clause quality, ids, line ranges.

Expected values live in tests/data/expected_documents.tsv (read off the texts, not off this
code's output). The corpus is parsed once per session.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.corpus.load import Corpus, _load_uncached, corpus_files, load_corpus
from geo.errors import UnknownClauseError, UnknownDocumentError

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "data" / "docs"
EXPECTED = Path(__file__).parent / "data" / "expected_documents.tsv"
COMPILATION = "chengyu-compilation-2020-2023.txt"


def _expected() -> list[dict[str, str]]:
    rows = [ln.split("\t") for ln in EXPECTED.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    header, body = rows[0], rows[1:]
    return [dict(zip(header, r, strict=True)) for r in body]


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(DOCS)


@pytest.fixture(scope="session")
def raw() -> dict[str, list[str]]:
    return {p.name: p.read_text(encoding="utf-8-sig").split("\n") for p in DOCS.glob("*.txt")}


def _core(s: str) -> str:
    """Only CJK characters, letters and digits: what must survive any normalisation."""
    return "".join(re.findall(r"[\u4e00-\u9fffA-Za-z0-9]", s))


def test_distinct_documents_match_the_expected_table(corpus: Corpus) -> None:
    expected = _expected()
    assert len(expected) == 44
    assert sorted(d.id for d in corpus.documents) == sorted(r["id"] for r in expected)
    for row in expected:
        doc = corpus.document(row["id"])
        assert doc.title == row["title"], row["id"]
        assert doc.kind == row["kind"], row["id"]
        assert doc.date == row["date"], row["id"]
        assert doc.doc_no == row["doc_no"], row["id"]
        assert sorted({s.file for s in doc.sources}) == sorted(row["files"].split(";")), row["id"]


def test_every_file_and_duplicates(corpus: Corpus, raw: dict[str, list[str]]) -> None:
    files = {s.file for d in corpus.documents for s in d.sources}
    assert files == set(raw)
    merged = [d for d in corpus.documents if len(d.sources) > 1]
    assert len(merged) == 3
    for d in merged:
        assert d.sources[0].file == COMPILATION  # the compilation copy is the primary source
        assert all(c.file == COMPILATION for c in d.clauses)
    # 43 publications come from the compilation, once each
    assert sum(1 for d in corpus.documents if d.sources[0].file == COMPILATION) == 43
    for d in corpus.documents:
        for s in d.sources:
            assert 1 <= s.first <= s.last <= len(raw[s.file])


def test_compilation_documents_do_not_overlap(corpus: Corpus) -> None:
    spans = sorted((s.first, s.last) for d in corpus.documents for s in d.sources if s.file == COMPILATION)
    for (_a1, b1), (a2, _b2) in zip(spans, spans[1:], strict=False):
        assert b1 < a2


def test_order_is_by_date_then_id(corpus: Corpus) -> None:
    keys = [(d.date == "", d.date, d.id) for d in corpus.documents]
    assert keys == sorted(keys)


def test_metadata_of_some_documents(corpus: Corpus) -> None:
    assert corpus.document("2020-chengyu-gangyao").issuers == ("中共中央", "国务院")
    assert corpus.document("2023-chuannan-yuxi-integration-plan").issuers == ("四川省人民政府", "重庆市人民政府")
    finance = corpus.document("2021-western-finance-center-plan").issuers
    assert len(finance) == 8 and finance[0] == "中国人民银行" and finance[-1] == "四川省人民政府"
    assert corpus.document("2022-inland-opening-highland-plan").issuers == ("重庆市人民政府办公厅", "四川省人民政府办公厅")
    # the copy in 002 has no date; the merged document takes it from the compilation
    assert corpus.document("2021-fangguanfu-guiding-opinion").date == "2021-01-09"
    for d in corpus.documents:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", d.id)
        assert d.title and d.kind and d.clauses, d.id
        assert " " not in d.doc_no
        assert d.date == "" or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d.date)


def test_clause_text_is_clean(corpus: Corpus) -> None:
    clauses = list(corpus.clauses())
    assert len(clauses) > 1000
    for c in clauses:
        assert "\n" not in c.text and "\r" not in c.text, c.id
        assert len(c.text) >= 4, (c.id, c.text)  # no shredded fragments
        assert not re.search(r"(责任单位|牵头单位|配合单位)\s*[：:]", c.text), c.id
        assert "牵头负责）" not in c.text and "牵头负责)" not in c.text, c.id
        assert not re.match(r"第[一二三四五六七八九十]+[章节]", c.text), c.id  # no heading/目录 lines as text
        assert "重庆市人民政府文件" not in c.text and "- 8 -" not in c.text, c.id
        assert "此件公开发布" not in c.text, c.id


def test_no_page_number_remnants(corpus: Corpus, raw: dict[str, list[str]]) -> None:
    """A bare number after a page break (≥3 blank lines) must not be glued into any clause."""
    texts = [_core(c.text) for c in corpus.clauses()]
    found = 0
    for name, lines in raw.items():
        for i, ln in enumerate(lines):
            if not re.fullmatch(r"\s*(\d{1,4}|-\s*\d+\s*-)\s*", ln) or i < 3 or any(x.strip() for x in lines[i - 3:i]):
                continue
            prev = next((x for x in reversed(lines[:i]) if x.strip()), "")
            nxt = next((x for x in lines[i + 1:] if x.strip()), "")
            glued = _core(prev)[-3:] + _core(ln) + _core(nxt)[:3]
            found += 1
            assert not any(glued in t for t in texts), (name, i + 1, glued)
    assert found >= 20


def test_toc_is_not_body_text(corpus: Corpus, raw: dict[str, list[str]]) -> None:
    lines = raw[COMPILATION]
    start = next(i for i, x in enumerate(lines) if x.strip() == "目录") + 1
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "前言") + 1
    for c in corpus.document("2020-chengyu-gangyao").clauses:
        assert not (start <= c.lines[0] < end), c.id


def test_names_broken_across_lines_come_out_whole(corpus: Corpus) -> None:
    text = "\n".join(c.text for c in corpus.clauses())
    for name in ("嘉陵江为主轴", "大竹县", "善感乡", "武侯区", "天府—朝阳湖铁路", "白市驿", "开州浦里新区"):
        assert name in text, name
    assert "泸州" in text and "泸 州" not in text
    assert "川府发〔2023〕9号" in text or "〔 2023 〕" not in text


def _across_dropped_line(chunk: str, cores: list[str]) -> bool:
    """The chunk spans two source lines with furniture (a repeated table header, a caption) between."""
    for p in range(1, len(chunk)):
        for i, a in enumerate(cores):
            if a.endswith(chunk[:p]) and any(b.startswith(chunk[p:]) for b in cores[i + 2:]):
                return True
    return False


def test_clause_lines_hold_the_clause_text(corpus: Corpus, raw: dict[str, list[str]]) -> None:
    bad = []
    for d in corpus.documents:
        primary = d.sources[0]
        for c in d.clauses:
            assert c.file == primary.file and primary.first <= c.lines[0] <= c.lines[1] <= primary.last, c.id
            cores = [x for x in (_core(ln) for ln in raw[c.file][c.lines[0] - 1:c.lines[1]]) if x]
            src = "".join(cores)
            t = _core(c.text)
            chunks = [t[i:i + 6] for i in range(0, max(1, len(t) - 5), 6)]
            missing = [ch for ch in chunks if ch not in src and not _across_dropped_line(ch, cores)]
            if len(missing) > len(chunks) // 10:
                bad.append(c.id)
    assert not bad, bad[:10]


def test_responsibility_lists_become_agencies(corpus: Corpus, raw: dict[str, list[str]]) -> None:
    clauses = list(corpus.clauses())
    with_agencies = [c for c in clauses if c.agencies]
    # the compilation alone has ≈300 responsibility lists (some clauses carry two)
    assert len(with_agencies) >= 250
    for c in with_agencies:
        for a in c.agencies:
            assert a and "：" not in a and "、" not in a and "责任单位" not in a, (c.id, a)
    # P05 closes each clause with （…牵头负责）
    science = corpus.document("2023-western-science-city-opinion")
    assert sum(1 for c in science.clauses if c.agencies) >= 10
    assert any("科技部" in c.agencies for c in science.clauses)
    # a list split across lines (责任单|位：) is still recognised: no 责任单 remnant anywhere
    assert not any("责任单" in c.text and "责任单位要" not in c.text for c in clauses)


def test_heading_paths_and_ids(corpus: Corpus) -> None:
    c = corpus.clause("2020-chengyu-gangyao/3.2/p1")
    assert c.path[0].startswith("第三章") and c.path[1].startswith("第二节")
    assert corpus.clause("2020-chengyu-gangyao/preface/p1").text.startswith("党中央、国务院高度重视成渝地区发展")
    ids = [c.id for c in corpus.clauses()]
    assert len(ids) == len(set(ids))
    for cid in ids:
        assert re.fullmatch(r"[a-z0-9-]+/[a-z0-9.]+/p\d+", cid), cid
    labels = {c.label for c in corpus.clauses()}
    assert {"（一）", "——"} <= labels


def test_ids_are_stable_across_loads(corpus: Corpus) -> None:
    again = _load_uncached(corpus_files(DOCS))
    assert [c.id for c in again.clauses()] == [c.id for c in corpus.clauses()]
    assert [d.to_json() for d in again.documents] == [d.to_json() for d in corpus.documents]


def test_load_corpus_is_cached(corpus: Corpus) -> None:
    assert load_corpus(DOCS) is load_corpus(DOCS)


def test_unknown_ids(corpus: Corpus) -> None:
    with pytest.raises(UnknownDocumentError, match="2020-chengyu-gangyao"):
        corpus.document("2020-chengyu-gangya")
    with pytest.raises(UnknownClauseError, match="clauses 2020-chengyu-gangyao"):
        corpus.clause("2020-chengyu-gangyao/99/p1")


def test_tables_become_one_clause_per_row(corpus: Corpus) -> None:
    lists = [c for c in corpus.document("2022-fangguanfu-task-lists").clauses if "/table" in c.id]
    per_table: dict[str, list[str]] = {}
    for c in lists:
        per_table.setdefault(c.path[0], []).append(c.label)
    assert sorted(len(v) for v in per_table.values()) == [34, 44, 101]
    for labels in per_table.values():
        assert labels == [str(i) for i in range(1, len(labels) + 1)]
    assert "川渝通办事项清单（第三批）" in per_table
    port = [c for c in corpus.document("2022-port-logistics-plan").clauses if "/table" in c.id]
    assert [c.label for c in port] == [str(i) for i in range(1, 21)]
    shipping = [c for c in corpus.document("2022-upper-yangtze-shipping-center-plan").clauses if "/table" in c.id]
    assert any("长江干线朝天门至涪陵段航道整治工程" in c.text for c in shipping)
    for c in lists + port + shipping:
        assert "序号" not in c.text and "责任单位" not in c.text, c.id
