"""geo.extract on the hard cases of the corpus (tests/data/ANNOTATION.md), one real sentence each.

Every sentence is checked to occur in data/docs/ (line breaks and spaces removed), so the cases
stay real; the expectations follow the annotation rules, not the extractor's output.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from geo import settings
from geo.places.extract import Extractor, normalize_for_matching
from geo.places.gazetteer import load_gazetteer


@lru_cache(maxsize=1)
def _corpus_text() -> str:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(settings.DOCS_DIR.glob("*.txt")))
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(load_gazetteer())


def found(ex: Extractor, text: str) -> list[tuple[str, str, str]]:
    """(surface, place name, place kind) of every mention, after checking the text is real."""
    assert re.sub(r"\s+", "", text) in _corpus_text(), "test sentence not found in data/docs"
    out = []
    for m in ex.extract(text):
        assert text[m.start : m.end] == m.surface
        p = ex.place(m.place_id)
        out.append((m.surface, p.name, p.kind))
    return out


def surfaces(ex: Extractor, text: str) -> list[str]:
    return [s for s, _, _ in found(ex, text)]


def test_organisation_names_and_agency_lists_are_not_places(ex: Extractor) -> None:
    text = (
        "（责任单位：人行重庆营管部、重庆市金融监管局、市科技局、市财政局、西部科学城重庆高新区管委会；"
        "四川省科技厅、省地方金融监管局、人行成都分行、省财政厅，有关市州政府）"
    )
    assert surfaces(ex, text) == []
    # an organisation head covers every item of the list before it
    text = "四川省自贡市、泸州市、内江市、宜宾市人民政府，重庆市江津区、 永川区、綦江区、大足区、铜梁区、荣昌区人民政府"
    assert surfaces(ex, text) == []
    text = "重庆市各区县(自治县)、四川省各市(州)人民政府，重庆市政府和四川省政府各部门、各直属机构，有关单位:"
    assert surfaces(ex, text) == []


def test_organisation_with_place_inside_sentence(ex: Extractor) -> None:
    text = "四、重庆市、四川省有关部门要按照职能职责分工，加强对内江荣昌现代农业高新技术产业示范区建设的指导"
    got = surfaces(ex, text)
    assert "重庆市" not in got and "四川省" not in got
    assert got == ["内江荣昌现代农业高新技术产业示范区"]


def test_titles_are_excluded_including_nested(ex: Extractor) -> None:
    text = (
        "为深入贯彻《成渝地区双城经济圈建设规划纲要》，按照《重庆四川两省市贯彻落实<成渝地区双城经济圈建设规划纲要>"
        "联合实施方案》的工作要求，着力推动川渝地区铝产业链高质量协同发展"
    )
    assert surfaces(ex, text) == ["川渝地区"]


def test_document_numbers_are_excluded(ex: Extractor) -> None:
    text = "你们《关于设立川渝高竹新区的请示》（渝北府文〔2020〕39 号）收悉。现批复如下："
    assert surfaces(ex, text) == []


def test_single_character_abbreviations_only_inside_compounds(ex: Extractor) -> None:
    assert surfaces(ex, "提升在渝“畅享”消费、“乐享”消费、“惠享”消费服务水平") == []
    assert surfaces(ex, "1．畅通高速铁路多向出渝大通道。") == []
    got = found(ex, "着力打造成都都市圈，建设成德眉资同城化综合试验区")
    assert got[0][:2] == ("成都都市圈", "成都都市圈")
    assert all(len(s) > 1 for s, _, _ in got)


def test_chuanyu_as_region_and_as_service_name(ex: Extractor) -> None:
    assert found(ex, "14．深化川渝合作，共建长江上游航运枢纽。")[0][:2] == ("川渝", "川渝")
    assert "川渝" not in surfaces(ex, "川渝通办事项清单（第三批）")


def test_longest_name_wins(ex: Extractor) -> None:
    got = found(ex, "推进重庆江北国际机场改扩建，规划研究重庆新机场建设")
    assert got[0] == ("重庆江北国际机场", "重庆江北国际机场", "airport")


def test_shared_head_list_resolves_each_item_to_the_airport(ex: Extractor) -> None:
    got = found(ex, "布局建设乐山、阆中、遂宁、雅安等一批支线机场，研究广安机场建设。")
    assert [s for s, _, _ in got] == ["乐山", "阆中", "遂宁", "雅安", "广安机场"]
    assert all(kind == "airport" for _, _, kind in got)


def test_parenthesised_expansion_is_one_mention(ex: Extractor) -> None:
    text = "加快川渝高竹新区、合（川）广（安）长（寿）协同发展示范区等毗邻地区合作平台建设"
    got = found(ex, text)
    assert got[0][0] == "川渝高竹新区"
    assert got[1][0] == "合（川）广（安）长（寿）协同发展示范区"
    assert "合广长" in got[1][1]


def test_route_chain_nodes(ex: Extractor) -> None:
    text = "加快建设成都经泸州（宜宾）、百色至北部湾西线铁路通道"
    got = surfaces(ex, text)
    for node in ("成都", "泸州", "宜宾", "百色", "北部湾"):
        assert node in got


def test_composite_mention(ex: Extractor) -> None:
    got = found(ex, "加快万达开物流一体化建设")
    assert got == [("万达开", ex.gazetteer.resolve("万达开").name, ex.gazetteer.resolve("万达开").kind)]
    assert ex.gazetteer.resolve("万达开").kind in ("composite", "region", "metropolitan_area")


def test_product_names_are_not_places(ex: Extractor) -> None:
    text = (
        "做大做强涪陵榨菜、江津花椒、永川豆豉、黄花园酱油、宝顶酿造、瓦缸醋、綦江辣椒、前锋青花椒等特色品牌。"
    )
    assert surfaces(ex, text) == []


def test_false_friends(ex: Extractor) -> None:
    assert "通江" not in surfaces(
        ex, "依托长江黄金水道和沿江铁路，构建通江达海、首尾联动的东向国际开放通道。"
    )
    assert surfaces(ex, "安居乐业的幸福生活全面实现") == []


def test_prefixed_port_is_one_mention(ex: Extractor) -> None:
    got = found(ex, "将江津珞璜港打造为川南、黔北、渝西水路运输物资集散基地。")
    assert got[0][0] == "江津珞璜港" and got[0][2] == "port"


def test_variants_are_normalised_and_offsets_point_into_the_original(ex: Extractor) -> None:
    text = "整合创新要素资源，提升西部(重庆) 科学城江津园区、国家生猪技术创新中心等服务区域创新能力"
    ms = ex.extract(text)
    assert ms and ms[0].surface == "西部(重庆) 科学城江津园区"
    assert text[ms[0].start : ms[0].end] == ms[0].surface


def test_normalize_for_matching_keeps_offsets() -> None:
    norm, offsets = normalize_for_matching("西部(重庆) 科学城－A")
    assert norm == "西部(重庆)科学城—A"
    assert len(offsets) == len(norm) + 1
    assert offsets[norm.index("科")] == 7


def test_empty_and_placeless_text(ex: Extractor) -> None:
    assert ex.extract("") == []
    assert ex.extract("按照全面、协调、可持续发展的原则") == []


def test_automaton_and_regex_backends_agree() -> None:
    """pyahocorasick is optional: without it the trie regex must give the same mentions."""
    pytest.importorskip("ahocorasick")
    g = load_gazetteer()
    fast, plain = Extractor(g), Extractor(g, use_automaton=False)
    assert fast._automaton is not None and plain._automaton is None
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(settings.DOCS_DIR.glob("*.txt")))[:200_000]
    for para in text.split("\n\n")[:3000]:
        assert fast.extract(para) == plain.extract(para)


def test_named_railway_written_as_route_is_one_line_mention(ex: Extractor) -> None:
    # 推动川渝万达开地区统筹发展总体方案, "一轴": the railway itself must link to this clause.
    text = "“一轴”即以区域内长江黄金水道、成都至达州至万州高速铁路及达州至万州铁路为经济发展主轴。"
    got = found(ex, text)
    surfaces_ = [s for s, _, _ in got]
    assert "成都至达州至万州高速铁路" in surfaces_
    rail = got[surfaces_.index("成都至达州至万州高速铁路")]
    assert rail[2] == "railway"
    assert "成都" not in surfaces_  # the line, not its nodes


def test_metropolitan_ring_expressway_is_not_the_ring_railway(ex: Extractor) -> None:
    # 重庆都市圈发展规划 4.1 names the ring expressway; 纲要 4.1 the planned ring railway (城际铁路)
    road = found(ex, "加密川渝、渝黔等高速公路省际通道，完善重庆都市圈环线高速公路。")
    assert ("重庆都市圈环线高速公路", "重庆三环高速", "highway") in road
    assert not any(kind == "railway" for _, _, kind in road)
    rail = found(ex, "研究规划重庆都市圈环线、成都外环、绵遂内等连接重庆中心城区、成都与周边城市的城际铁路")
    assert ("重庆都市圈环线", "重庆都市圈环线", "railway") in rail
