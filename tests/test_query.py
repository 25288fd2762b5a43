"""geo.query on the real corpus: search, themes, timeline, compare and the embedded index.

The ground truth is always a plain Python scan of layers/index.json (the same build's other file,
which a layers test checks is the build of the committed data/); layers/atlas.sqlite is the file
under test.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from geo import settings
from geo.errors import LayersError, PlanAtlasError, QueryError, UnknownDocumentError
from geo.layers import date_bounds, load_themes, write_atlas
from geo.query import open_store
from geo.query.compare import compare, side_by_side
from geo.query.search import Filters, parse_query, search
from geo.query.store import AtlasStore
from geo.query.themes_eval import (
    PART_LINES,
    agreement,
    agreement_report,
    evaluate_themes,
    sample_path,
    second_sample_path,
)
from geo.query.timeline import new_in_period, places_up_to

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index() -> dict:
    return json.loads((settings.LAYERS_DIR / "index.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def store() -> AtlasStore:
    return open_store()


def _scan(index: dict, pred) -> list[str]:
    return [c["id"] for c in index["clauses"] if pred(c["text"])]


def _ids(result) -> list[str]:
    return [h.clause["id"] for h in result.hits]


# -- search ---------------------------------------------------------------------------------------


def test_hydrogen_finds_every_clause_that_contains_it(store: AtlasStore, index: dict) -> None:
    expected = _scan(index, lambda t: "氢能" in t)
    result = search(store, "氢能", limit=None)
    assert expected and _ids(result) == expected and result.total == len(expected)
    assert result.method == "fts5-short"  # two characters: vocabulary + text tails, not the phrase index
    for h in result.hits:
        assert h.spans and all(h.clause["text"][s:e] == "氢能" for s, e in h.spans)
        assert len(h.spans) == h.clause["text"].count("氢能")


@pytest.mark.parametrize("term", ["陆海新通道", "成渝地区双城经济圈", "天然气", "港", "5G"])
def test_single_terms_equal_a_python_scan(store: AtlasStore, index: dict, term: str) -> None:
    result = search(store, term, limit=None)
    assert _ids(result) == _scan(index, lambda t: term in t)
    assert result.method == ("fts5" if len(term) >= 3 else "fts5-short")


def test_short_terms_anywhere_in_the_text_equal_a_python_scan(store: AtlasStore, index: dict) -> None:
    """1–2 character words: every occurrence, also in a text's last two characters (where no
    trigram starts with them) and in texts shorter than a trigram."""
    import random

    rng = random.Random(7)
    texts = [c["text"] for c in index["clauses"]]
    terms = {t[-1] for t in texts[:40]} | {t[-2:] for t in texts[:40]}
    for text in rng.sample(texts, 40):
        i = rng.randrange(len(text) - 1)
        terms |= {text[i], text[i : i + 2]}
    for term in sorted(terms - {" ", '"', "“", "-", "|"}):
        if term.strip() != term or term.startswith("-") or '"' in term or "“" in term or term == "OR":
            continue
        got = _ids(search(store, f'"{term}"', limit=None))
        assert got == _scan(index, lambda t, term=term: term.lower() in t.lower()), term


def test_ascii_letters_ignore_case(store: AtlasStore, index: dict) -> None:
    expected = _scan(index, lambda t: "ipv6" in t.lower())
    assert expected
    assert _ids(search(store, "ipv6", limit=None)) == _ids(search(store, "IPV6", limit=None)) == expected
    assert _ids(search(store, "5g", limit=None)) == _scan(index, lambda t: "5g" in t.lower())


def test_phrase_is_contiguous_and_and_is_not(store: AtlasStore, index: dict) -> None:
    phrase = search(store, '"西部陆海新通道"', limit=None)
    both = search(store, "西部 陆海新通道", limit=None)
    assert _ids(phrase) == _scan(index, lambda t: "西部陆海新通道" in t)
    assert _ids(both) == _scan(index, lambda t: "西部" in t and "陆海新通道" in t)
    assert set(_ids(phrase)) < set(_ids(both))  # the corpus has clauses with both words apart


def test_exclusion_or_and_mixed_lengths(store: AtlasStore, index: dict) -> None:
    excl = search(store, "氢能 -重庆", limit=None)
    assert _ids(excl) == _scan(index, lambda t: "氢能" in t and "重庆" not in t)
    assert 0 < excl.total < search(store, "氢能").total
    assert _ids(search(store, "天然气 -成渝地区双城经济圈", limit=None)) == _scan(
        index, lambda t: "天然气" in t and "成渝地区双城经济圈" not in t
    )
    assert _ids(search(store, "氢能 OR 天然气", limit=None)) == _scan(index, lambda t: "氢能" in t or "天然气" in t)
    assert _ids(search(store, "港 | 机场 万州", limit=None)) == _scan(
        index, lambda t: ("港" in t or "机场" in t) and "万州" in t
    )


def test_query_language() -> None:
    q = parse_query('氢能 OR 天然气 成都 -"成渝 地区" -港 “一带一路”')
    assert q.groups == (("氢能", "天然气"), ("成都",), ("一带一路",))
    assert q.excluded == ("成渝 地区", "港")
    with pytest.raises(QueryError):
        search(open_store(), "-氢能")
    with pytest.raises(QueryError):
        search(open_store(), "   ")


def test_filters_by_document_kind_and_date(store: AtlasStore, index: dict) -> None:
    docs = {d["id"]: d for d in index["documents"]}
    r = search(store, "铁路", Filters(docs=("2023-wandakai-plan",)), limit=None)
    assert _ids(r) == [c["id"] for c in index["clauses"] if c["doc_id"] == "2023-wandakai-plan" and "铁路" in c["text"]]
    r = search(store, "铁路", Filters(kinds=("规划",)), limit=None)
    assert r.total and all(docs[h.clause["doc_id"]]["kind"] == "规划" for h in r.hits)
    r = search(store, "铁路", Filters(since="2022-01-01", until="2022-12-31"), limit=None)
    assert _ids(r) == [
        c["id"] for c in index["clauses"]
        if "铁路" in c["text"] and "2022-01-01" <= docs[c["doc_id"]]["date"] <= "2022-12-31"
        and len(docs[c["doc_id"]]["date"]) == 10
    ]
    # a document dated only "2023" is in 2023 as a whole, not in its first quarter
    assert "2023-market-reform-research" in search(store, "改革", Filters(since="2023")).doc_counts
    assert "2023-market-reform-research" not in search(store, "改革", Filters(until="2023-03-31")).doc_counts
    with pytest.raises(QueryError, match="not a date"):
        search(store, "铁路", Filters(since="last year"))


def test_place_counts_are_clauses_per_place(store: AtlasStore, index: dict) -> None:
    result = search(store, "物流", limit=None)
    expected: dict[str, int] = {}
    for c in index["clauses"]:
        if "物流" in c["text"]:
            for pid in {m[2] for m in c["mentions"]}:
                expected[pid] = expected.get(pid, 0) + 1
    assert result.place_counts == expected
    assert sum(result.doc_counts.values()) == result.total


def test_theme_filter_and_every_clause_has_a_theme(store: AtlasStore, index: dict) -> None:
    names = store.themes()
    assert {"交通", "产业", "科技创新", "生态环境", "开放合作", "公共服务", "文化旅游", "体制机制",
            "城乡融合", "能源"} <= set(names)
    empty = store.rows("SELECT COUNT(*) FROM clauses WHERE rowid NOT IN (SELECT clause FROM clause_themes)")
    assert empty[0][0] == 0
    r = search(store, "", Filters(themes=("交通",), since="2023"), limit=None)
    assert r.total and all("交通" in h.clause["themes"] for h in r.hits)
    assert all(h.document["date"] >= "2023" for h in r.hits)
    with pytest.raises(QueryError, match="unknown theme"):
        search(store, "铁路", Filters(themes=("没有",)))


def test_cli_search_json_and_exclusion_argument(index: dict) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "search", "氢能", "-重庆", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [h["id"] for h in out["hits"]] == _scan(index, lambda t: "氢能" in t and "重庆" not in t)
    assert all(h["text"][s:e] == "氢能" for h in out["hits"] for s, e in h["spans"])


# -- themes ---------------------------------------------------------------------------------------


def test_themes_eval_script_reports_every_theme() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "themes-eval", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    scores = {s["theme"]: s for s in json.loads(proc.stdout)["scores"]}
    assert set(scores) == set(open_store().themes()) | {"(all)"}
    assert sum(s["support"] for t, s in scores.items() if t != "(all)") == scores["(all)"]["support"]


@pytest.mark.xfail(
    strict=True,
    reason="per-theme target 0.85 met by 10 of 16 themes on the 1220-line sample (micro 0.881/0.859; on the "
    "250 test lines never tuned on 0.878/0.828, 4 of 16, where two blind annotators agree at 0.966/0.975): "
    "产业, 开放合作, 公共服务, 城乡融合, 空间格局 and 科技创新 fall short; see tests/data/THEMES_ANNOTATION.md",
)
def test_theme_sample_precision_and_recall_per_theme(store: AtlasStore) -> None:
    scores, _ = evaluate_themes(store)
    below = [(s.theme, round(s.precision, 3), round(s.recall, 3)) for s in scores if min(s.precision, s.recall) < 0.85]
    assert below == []


def test_theme_sample_micro_scores_do_not_regress(store: AtlasStore) -> None:
    # 1220 annotated clauses (1772 clause-theme pairs); measured 0.881 / 0.859 after the fourth round,
    # 0.878 / 0.828 on the 250 test lines (batch 6), which no tuning looked at
    scores, _ = evaluate_themes(store)
    total = scores[-1]
    assert total.theme == "(all)" and total.support >= 1700
    assert total.precision >= 0.87 and total.recall >= 0.85, (total.precision, total.recall)
    test = evaluate_themes(store, part="test")[0][-1]
    assert test.support >= 350 and test.precision >= 0.87 and test.recall >= 0.82, (test.precision, test.recall)


def test_theme_sample_parts_split_the_sample_without_overlap(store: AtlasStore) -> None:
    lines = sample_path().read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1220
    batches = ("batch1", "batch2", "batch3", "batch4", "batch5", "batch6")
    for parts in (("tuned", "test"), batches, ("dev", "held-out", "batch3", "batch4", "batch5", "test")):
        spans = sorted(span for part in parts for span in PART_LINES[part])
        covered = [i for a, b in spans for i in range(a, b)]
        assert covered == list(range(len(lines))), parts
    ids = [json.loads(line)["id"] for line in lines]
    assert len(set(ids)) == len(ids)  # no clause annotated twice across batches
    support = {p: evaluate_themes(store, part=p)[0][-1].support for p in ("all", "tuned", "test")}
    assert support["tuned"] + support["test"] == support["all"]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_theme_agreement_counts_a_constructed_case() -> None:
    first = {"c1": ["X", "Y"], "c2": ["X", "Y"], "c3": ["Y"], "c4": []}
    second = {"c1": ["Y"], "c2": ["X", "Y"], "c3": ["X"], "c4": []}
    x, y, z, total = agreement(first, second, ["X", "Y", "Z"])
    # X: first {c1, c2}, second {c2, c3}: 2 of 4 decisions agree, exactly what chance gives
    assert (x.first, x.second, x.both) == (2, 2, 1)
    assert (x.precision, x.recall, x.f1) == (0.5, 0.5, 0.5) and x.kappa == pytest.approx(0.0)
    # Y: first {c1, c2, c3}, second {c1, c2}: observed 3/4, chance 0.75·0.5 + 0.25·0.5 = 0.5
    assert (y.precision, y.recall) == (1.0, pytest.approx(2 / 3)) and y.f1 == pytest.approx(0.8)
    assert y.kappa == pytest.approx(0.5)
    assert (z.first, z.second, z.precision, z.recall, z.f1, z.kappa) == (0, 0, 1.0, 1.0, 1.0, 1.0)
    assert (total.theme, total.first, total.second, total.both, total.clauses) == ("(all)", 5, 4, 3, 12)
    with pytest.raises(PlanAtlasError, match="different clauses"):
        agreement(first, {"c1": ["X"]}, ["X", "Y"])
    with pytest.raises(PlanAtlasError, match="not in the table"):
        agreement(first, second, ["X"])


def test_theme_agreement_of_an_annotation_with_itself_is_perfect() -> None:
    labels = {r["id"]: r["themes"] for r in _jsonl(sample_path())}
    scores = agreement(labels, labels, load_themes().names)
    assert scores[-1].first == sum(len(v) for v in labels.values())
    assert all((s.precision, s.recall, s.f1, s.kappa) == (1.0, 1.0, 1.0, 1.0) for s in scores)


def test_second_annotation_covers_exactly_the_held_out_lines_and_batch_6() -> None:
    rows = _jsonl(sample_path())
    lines = [r["id"] for part in ("held-out", "batch6") for a, b in PART_LINES[part] for r in rows[a:b]]
    second = _jsonl(second_sample_path())
    assert [r["id"] for r in second] == lines and len(set(lines)) == 120 + 250
    names = set(load_themes().names)
    assert all(r["themes"] and set(r["themes"]) <= names for r in second)


@pytest.mark.parametrize("part", ["held-out", "batch6"])
def test_themes_agreement_report_matches_the_part_scores(store: AtlasStore, part: str) -> None:
    rows = agreement_report(store, part=part)
    scores, _ = evaluate_themes(store, part=part)
    assert [r.rule_vs_first for r in rows] == scores  # the rule against annotator 1 on the same lines
    first = {r["id"] for a, b in PART_LINES[part] for r in _jsonl(sample_path())[a:b]}
    second = [r for r in _jsonl(second_sample_path()) if r["id"] in first]
    assert len(second) == len(first)
    assert rows[-1].humans.second == rows[-1].rule_vs_second.support == sum(len(r["themes"]) for r in second)
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "themes-eval", "--agreement", "--part", part, "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)
    assert [p["theme"] for p in printed] == [r.humans.theme for r in rows]
    assert printed[-1]["kappa"] == round(rows[-1].humans.kappa, 4)


def test_themes_agreement_report_covers_both_second_annotations(store: AtlasStore) -> None:
    whole = agreement_report(store)[-1].humans
    parts = [agreement_report(store, part=p)[-1].humans for p in ("held-out", "batch6")]
    assert whole.clauses == sum(p.clauses for p in parts)
    assert (whole.first, whole.second, whole.both) == tuple(sum(getattr(p, f) for p in parts) for f in ("first", "second", "both"))
    with pytest.raises(PlanAtlasError, match="no clause of part 'batch3'"):
        agreement_report(store, part="batch3")


def test_theme_keywords_match_longest_first_across_themes() -> None:
    table = load_themes()
    assert table.text_hits("推进生态环境保护") == {"生态环境": 1}  # 生态环境, not also 生态 and 环境保护
    hits = table.text_hits("建设工业互联网平台")
    assert hits.get("数字经济") == 1 and "产业" not in hits  # 工业互联网 is not also 工业
    notice = "现将《推动成渝地区双城经济圈建设加强交通基础设施建设行动方案》印发给你们，请认真贯彻执行。"
    assert table.assign(["印发通知"], notice) == ["交通", "组织实施"]  # the plan a notice issues
    assert table.assign(["印发通知"], "现将有关事项通知如下。") == ["组织实施"]


def _clause(index: dict, clause_id: str) -> dict:
    return next(c for c in index["clauses"] if c["id"] == clause_id)


def test_theme_rules_on_short_items_preambles_notices_and_layout_sections(index: dict) -> None:
    table = load_themes()

    def themes(clause_id: str) -> list[str]:
        c = _clause(index, clause_id)
        return table.assign(c["path"], c["text"])

    # a positioning item of one short sentence is its own title ("西部农业科技创新示范区")
    assert themes("2021-modern-agriculture-belt-plan/2.2/p7") == ["科技创新", "农业", "总体要求"]
    # ... a contact line ("…发展规划处：孙虎，028-…。") under the same kind of heading is not
    assert themes("2021-education-action-plan/notice/p4") == ["组织实施"]
    # a preamble's purpose names its topic ("协同推进长江上游航运中心建设，制定本方案")
    assert themes("2022-upper-yangtze-shipping-center-plan/intro/p1") == ["交通", "总体要求"]
    # a notice issuing a plan "《…》已经重庆市政府和四川省政府同意，现印发给你们"
    assert themes("2022-inland-opening-highland-plan/notice/p1") == ["开放合作", "组织实施"]
    # a layout section ("第四节 多线连通") gives 空间格局 to an item whose lead title names its topics
    bashu = themes("2022-bashu-culture-tourism-corridor-plan/3.4/p1")
    assert {"交通", "文化旅游", "空间格局"} <= set(bashu)
    # ... and only the innermost heading does: a chapter called 空间布局 alone does not
    c = _clause(index, "2022-bashu-culture-tourism-corridor-plan/3.4/p1")
    assert "空间格局" not in table.assign([c["path"][0], "第四节 旅游线路"], c["text"])


def test_theme_rules_on_list_rows_departments_and_approvals(index: dict) -> None:
    table = load_themes()

    def themes(clause_id: str) -> list[str]:
        c = _clause(index, clause_id)
        return table.assign(c["path"], c["text"])

    # a row of the 川渝通办 list is an administrative service whatever it is about: 公积金 is not 公共服务
    # here, and the departments that handle it (…住房城乡建委四川省住房城乡建设厅) are not its topic
    assert themes("2022-fangguanfu-task-lists/table2.47/p1") == ["体制机制"]
    row = _clause(index, "2022-fangguanfu-task-lists/table2.44/p1")  # 放射性同位素…重庆市生态环境局四川省生态环境厅
    assert table.assign(row["path"], row["text"]) == ["体制机制"]
    # ... and only a row: the same text as a sentence outside such a list gets the topic its words name
    assert "公共服务" in table.assign(["一、便捷生活"], "推进个人住房公积金贷款提取和公积金转移接续异地通办，方便群众就医和就业。")
    # a department named as the one responsible does not count towards a topic ...
    contact = "由重庆市生态环境局、四川省生态环境厅牵头，重庆市发展改革委、四川省发展改革委配合。"
    assert "生态环境" not in table.assign(["三、保障措施"], contact)
    # ... but the same words as the text's own subject do
    assert "生态环境" in table.assign(["三、保障措施"], "加强生态环境保护，推进生态环境治理，共建生态环境监测网络。")
    # an approval that sets up an area ("同意设立川渝高竹新区") is a wrapper: 组织实施
    assert "组织实施" in themes("2020-gaozhu-new-area-reply/1/p1")
    # energy's green transition under an energy heading is 能源, not also 生态环境
    assert themes("2022-carbon-peak-neutrality-action-plan/2.1.3/p1") == ["能源"]
    # industrial information security in the industrial-internet points is 数字经济, not 产业 (工业)
    assert themes("2022-industrial-internet-work-points/3.6.13/p1") == ["数字经济"]


def test_theme_table_kind_must_be_known(tmp_path: Path) -> None:
    bad = tmp_path / "themes.csv"
    bad.write_text("theme,kind,heading_keywords,text_keywords\n交通,corridor,铁路,铁路\n", encoding="utf-8")
    with pytest.raises(PlanAtlasError, match="row 2: kind 'corridor' must be one of topic, frame, layout"):
        load_themes(bad)

# -- timeline and compare -------------------------------------------------------------------------


def _dated_places(index: dict, day: str) -> set[str]:
    docs = {d["id"]: date_bounds(d["date"])[1] for d in index["documents"]}
    return {
        m[2] for c in index["clauses"] if docs[c["doc_id"]] is not None and docs[c["doc_id"]] <= day
        for m in c["mentions"]
    }


@pytest.mark.parametrize("day", ["2020-10-20", "2021-12-31", "2022-08-10", "2023-03-11", "2023-12-31"])
def test_timeline_shows_only_places_of_documents_dated_on_or_before(store: AtlasStore, index: dict, day: str) -> None:
    assert set(places_up_to(store, day)) == _dated_places(index, day)


def test_new_in_period(store: AtlasStore, index: dict) -> None:
    period = new_in_period(store, "2021-12-31", "2022-12-31")
    assert set(period.new) == _dated_places(index, "2022-12-31") - _dated_places(index, "2021-12-31")
    assert set(period.before) == _dated_places(index, "2021-12-31")
    assert period.new and all("2022-01-01" <= day <= "2022-12-31" for day, _ in period.first.values())


def test_compare_gangyao_and_wandakai_is_set_arithmetic_on_mentions(store: AtlasStore, index: dict) -> None:
    cmp = compare(store, "纲要", "万达开")
    assert (cmp.a, cmp.b) == ("2020-chengyu-gangyao", "2023-wandakai-plan")

    def places(doc: str) -> set[str]:
        return {m[2] for c in index["clauses"] if c["doc_id"] == doc for m in c["mentions"]}

    a, b = places(cmp.a), places(cmp.b)
    assert (set(cmp.both), set(cmp.only_a), set(cmp.only_b)) == (a & b, a - b, b - a)
    pid = "adm:500101"  # 万州区, named by both
    assert pid in cmp.both
    left, right = side_by_side(store, pid, cmp.a, cmp.b)
    assert [c["id"] for c in left] == [
        c["id"] for c in index["clauses"] if c["doc_id"] == cmp.a and any(m[2] == pid for m in c["mentions"])
    ]
    assert right and all(c["doc_id"] == cmp.b for c in right)
    with pytest.raises(UnknownDocumentError):
        compare(store, "纲要", "没有这个文件")


# -- the embedded index ---------------------------------------------------------------------------


def test_store_returns_what_index_json_holds(store: AtlasStore, index: dict) -> None:
    assert store.documents() == index["documents"]
    assert store.places() == index["places"]
    clauses = store.clauses(c["id"] for c in index["clauses"])
    assert [{k: v for k, v in c.items() if k != "themes"} for c in clauses] == index["clauses"]
    cid = "2020-chengyu-gangyao/3.2/p1"
    assert store.places_of_clause(cid) == list(dict.fromkeys(m[2] for m in store.clause(cid)["mentions"]))
    assert [c["id"] for c in store.clauses_of_place("adm:500101")] == index["places"]["adm:500101"]["clause_ids"]


def test_index_is_byte_deterministic_and_matches_the_manifest(tmp_path: Path, index: dict) -> None:
    a = write_atlas(tmp_path / "a.sqlite", index)
    b = write_atlas(tmp_path / "b.sqlite", index)
    assert (tmp_path / "a.sqlite").read_bytes() == (tmp_path / "b.sqlite").read_bytes()
    committed = settings.LAYERS_DIR / "atlas.sqlite"
    assert committed.read_bytes() == (tmp_path / "a.sqlite").read_bytes()
    manifest = json.loads((settings.LAYERS_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["atlas"]["sha256"] == a["sha256"] == b["sha256"]
    assert manifest["atlas"]["clauses"] == len(index["clauses"])


def test_store_is_read_only_and_follows_a_replaced_file(tmp_path: Path, index: dict) -> None:
    layers = tmp_path / "layers"
    layers.mkdir()
    shutil.copy(settings.LAYERS_DIR / "atlas.sqlite", layers / "atlas.sqlite")
    store = open_store(layers)
    with pytest.raises(LayersError, match="readonly"):
        store.rows("DELETE FROM clauses")
    before = store.counts()["clauses"]
    # what the layer build does: a new file written beside, then renamed over the old one
    small = dict(index, clauses=index["clauses"][:10])
    write_atlas(tmp_path / "new.sqlite", small)
    os.replace(tmp_path / "new.sqlite", layers / "atlas.sqlite")
    assert store.counts()["clauses"] == 10 != before
    con = sqlite3.connect(layers / "atlas.sqlite")
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()


# -- the viewer's pure pieces (geo.viewer.ask) ----------------------------------------------------


def test_ask_html_escapes_and_marks(store: AtlasStore) -> None:
    from geo.viewer.ask import circles_group, focus_clause_html, hit_html, marked, place_list_html

    assert marked("a<b>氢能c", [(4, 6)]) == "a&lt;b&gt;<mark>氢能</mark>c"
    hit = search(store, "氢能").hits[0]
    html = hit_html(hit, "zh")
    assert html.count("<mark>") == len(hit.spans) and "<script" not in html
    assert place_list_html(["x"], {"x": "<b>"}, {"x": 2}) == "&lt;b&gt; 2"
    assert 'p[id="a\\"b"]' in focus_clause_html('a"b').replace("&quot;", '"')
    group = circles_group({"p1": 1, "p2": 4, "p3": 9}, {"p1": (30.0, 104.0), "p2": (30.1, 104.1)},
                          {"p1": "<i>"}, "#e4572e", "pa-hit")
    rendered = group._children.values()
    radii = sorted(m.options["radius"] for m in rendered)
    assert len(radii) == 2 and radii[0] < radii[1]  # p3 has no position; larger counts, larger circles


@pytest.mark.parametrize("clause_id", ["2020-chengyu-gangyao/4.2/p1", 'a"b</script><img src=x>&c', "x\\u003cy"])
def test_focus_script_has_no_angle_bracket_and_keeps_the_id(clause_id: str) -> None:
    # st.html's sanitizer drops a script whose text holds "<": the reader's focus would silently not run
    from geo.viewer.ask import focus_script

    script = focus_script(clause_id)
    assert "<" not in script
    literal = script.split("const id=", 1)[1].split(";let n=0", 1)[0]
    assert json.loads(literal) == clause_id
