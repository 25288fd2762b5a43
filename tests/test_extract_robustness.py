"""Web-text robustness of geo.extract (issue 15): half-width punctuation, Traditional characters,
variant characters and typos, and the rule/confidence every mention carries.

The sentences are written for these tests (not taken from the corpus); every assertion is on
offsets into the original text, so conversions that changed the text's length would fail here.
"""

from __future__ import annotations

import pytest

from geo.places import RULE_CONFIDENCE, Extractor, load_gazetteer


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(load_gazetteer())


def spans(ex: Extractor, text: str) -> list[tuple[int, int, str, str, str]]:
    out = []
    for m in ex.extract(text):
        assert text[m.start : m.end] == m.surface
        assert m.confidence == RULE_CONFIDENCE[m.rule]
        out.append((m.start, m.end, m.surface, m.place_id, m.rule))
    return out


def test_half_width_list_before_a_shared_head_is_typed_like_the_full_width_one(ex: Extractor) -> None:
    full = "支持乐山、阆中、遂宁等一批支线机场建设。"
    half = "支持乐山,阆中,遂宁等一批支线机场建设。"
    a, b = spans(ex, full), spans(ex, half)
    assert [(s, e, pid) for s, e, _, pid, _ in a] == [(s, e, pid) for s, e, _, pid, _ in b]
    assert [x[2] for x in b] == ["乐山", "阆中", "遂宁"]
    assert all(ex.place(pid).kind == "airport" for _, _, _, pid, _ in b)
    assert {x[4] for x in b} == {"list expansion"}


def test_half_width_comma_without_a_shared_head_leaves_the_places_as_they_are(ex: Extractor) -> None:
    text = "推动万州,达州,开州一体化发展"
    got = spans(ex, text)
    assert [(s, e) for s, e, *_ in got] == [(2, 4), (5, 7), (8, 10)]
    assert [ex.place(pid).kind for *_, pid, _ in got] == ["county", "prefecture", "county"]


def test_half_width_line_list(ex: Extractor) -> None:
    text = "加快襄渝,成达等铁路扩能改造"
    got = spans(ex, text)
    assert [(s, e) for s, e, *_ in got] == [(2, 4), (5, 7)]
    assert all(ex.place(pid).kind == "railway" for *_, pid, _ in got)


def test_half_width_parentheses_in_expansions_and_qualifiers(ex: Extractor) -> None:
    full = "建设合（川）广（安）长（寿）协同发展示范区和西部（重庆）科学城"
    half = "建设合(川)广(安)长(寿)协同发展示范区和西部(重庆)科学城"
    a, b = spans(ex, full), spans(ex, half)
    assert [(s, e, pid) for s, e, _, pid, _ in a] == [(s, e, pid) for s, e, _, pid, _ in b]
    assert b[0][:2] == (2, 21) and b[0][4] == "parenthesised expansion"
    assert b[1][2] == "西部(重庆)科学城"


def test_half_width_colon_keeps_responsibility_lists_excluded(ex: Extractor) -> None:
    text = "共建物流枢纽。(责任单位:重庆市交通局、四川省交通运输厅)"
    assert spans(ex, text) == []


def test_traditional_characters_match_with_offsets_into_the_original(ex: Extractor) -> None:
    text = "推動萬州、達州、開州一體化發展，共建成渝地區雙城經濟圈。"
    got = spans(ex, text)
    assert [(s, e, surf) for s, e, surf, _, _ in got] == [
        (2, 4, "萬州"),
        (5, 7, "達州"),
        (8, 10, "開州"),
        (18, 27, "成渝地區雙城經濟圈"),
    ]
    assert [pid for *_, pid, _ in got] == ["adm:500101", "adm:511700", "adm:500154", "composite:chengyu-circle"]
    assert {r for *_, r in got} == {"traditional"}


def test_traditional_with_spaces_and_full_width_still_maps_back(ex: Extractor) -> None:
    text = "重 慶 兩江新區與（四川）天府新區"
    got = spans(ex, text)
    # a place-name prefix before a zone is part of its name (ANNOTATION.md), spaces included
    assert [(s, e, surf) for s, e, surf, _, _ in got] == [(0, 8, "重 慶 兩江新區"), (10, 12, "四川"), (13, 17, "天府新區")]
    assert [r for *_, r in got] == ["traditional", "generated short form", "traditional"]


def test_variant_character_matches_at_lower_confidence(ex: Extractor) -> None:
    text = "加快成自卢赤高速建设，推进壁山区、华莹市融合发展"
    got = spans(ex, text)
    assert [(s, e, surf, r) for s, e, surf, _, r in got] == [
        (2, 8, "成自卢赤高速", "variant"),
        (13, 16, "壁山区", "variant"),
        (17, 20, "华莹市", "variant"),
    ]
    assert got[0][3] == ex.index["成自泸赤高速"][0]
    assert RULE_CONFIDENCE["variant"] < RULE_CONFIDENCE["exact alias"]


def test_exact_forms_keep_full_confidence_and_their_rule(ex: Extractor) -> None:
    got = {m.surface: m for m in ex.extract("成自泸赤高速经过泸州市和泸州")}
    assert got["成自泸赤高速"].rule == "exact name" and got["成自泸赤高速"].confidence == 1.0
    assert got["泸州市"].rule == "exact name"
    assert got["泸州"].rule == "generated short form"


def test_variants_never_replace_a_real_name(ex: Extractor) -> None:
    # 沪渝 (Shanghai–Chongqing) is a real form: not a variant of anything with 泸
    for key, target in ex._variants.items():
        assert key not in ex.gazetteer.names() and target in ex.index
