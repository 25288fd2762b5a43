"""geo.panel: the clause panel and the reader are escaped HTML with the mentions marked."""

from __future__ import annotations

from geo.viewer.data import Catalog
from geo.viewer.panel import (
    clause_html,
    clauses_for_place,
    doc_heading_html,
    mark_mentions,
    place_header_html,
    reader_html,
)


def test_mark_mentions_escapes_and_marks() -> None:
    text = "a<b>成都&重庆"
    out = mark_mentions(text, [[4, 6, "adm:510100"], [7, 9, "adm:500000"]], selected=["adm:510100"])
    assert out == (
        'a&lt;b&gt;<mark data-place="adm:510100">成都</mark>&amp;'
        '<mark class="pa-other" data-place="adm:500000">重庆</mark>'
    )


def test_mark_mentions_skips_overlapping_and_out_of_range() -> None:
    out = mark_mentions("成都市区", [[0, 3, "a"], [0, 2, "b"], [2, 9, "c"], [3, 3, "d"]])
    assert out == '<mark data-place="a">成都市</mark>区'


def test_mark_mentions_links_escape_the_href() -> None:
    out = mark_mentions("成都", [[0, 2, 'x"y']], href=lambda pid: f"?sel={pid}&a=<b>")
    assert '<a href="?sel=x&quot;y&amp;a=&lt;b&gt;" target="_self">' in out
    assert 'data-place="x&quot;y"' in out


def test_hostile_clause_is_shown_literally(catalog: Catalog) -> None:
    html = clause_html(catalog.clauses["evil-2023/1/p1"], ["airport:tfu"])
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<mark data-place="airport:tfu">天府国际机场</mark>' in html
    assert "evil.txt" not in html  # no internal file name: the document heading above says where


def test_place_header_and_doc_heading_escape(catalog: Catalog) -> None:
    html = place_header_html(catalog.places["airport:tfu"], "zh")
    assert "天府国际机场" in html and "机场" in html and "近似点位" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    head = doc_heading_html(catalog.documents["evil-2023"])
    assert "<script" not in head and "&lt;script&gt;" in head
    region = place_header_html(catalog.places["composite:chengyu"], "en", provenance="From “<b>plan</b>”")
    assert "From “&lt;b&gt;plan&lt;/b&gt;”" in region and "Schematic" in region
    assert catalog.places["composite:chengyu"].source not in region  # only the described provenance


def test_first_clauses_pages_across_documents(catalog: Catalog) -> None:
    from geo.viewer.panel import first_clauses

    groups = clauses_for_place(catalog, "adm:510100")
    total = sum(len(c) for _, c in groups)
    assert total >= 3
    page = first_clauses(groups, 2)
    assert sum(len(c) for _, c in page) == 2
    assert [c["id"] for _, cl in page for c in cl] == [c["id"] for _, cl in groups for c in cl][:2]
    assert sum(len(c) for _, c in first_clauses(groups, total + 5)) == total


def test_clauses_grouped_by_document_in_date_order_and_filtered(catalog: Catalog) -> None:
    groups = clauses_for_place(catalog, "adm:510100")
    assert [d["id"] for d, _ in groups] == ["plan-2021", "evil-2023"]
    assert [c["id"] for c in groups[1][1]] == ["evil-2023/1/p1", "evil-2023/1/p2"]
    only = clauses_for_place(catalog, "adm:510100", ["evil-2023"])
    assert [d["id"] for d, _ in only] == ["evil-2023"]
    assert clauses_for_place(catalog, "nope") == []


def test_reader_links_mentions_and_escapes(catalog: Catalog) -> None:
    html = reader_html(catalog, "evil-2023", lambda pid: f"?sel={pid}")
    assert "<script" not in html and "<img" not in html and "<i>" not in html
    assert "&lt;i&gt;某机关&lt;/i&gt;" in html
    assert '<a href="?sel=airport:tfu" target="_self"><mark data-place="airport:tfu">' in html
    assert reader_html(catalog, "ghost", lambda pid: pid) == ""


def test_documents_in_english_have_english_titles_and_kinds() -> None:
    """Every document of the embedded corpus has an English title (geo.corpus._catalog); in English
    the viewer shows it, with its kind translated, and the reader keeps the Chinese title under it."""
    import re

    from geo.layers import read_layers
    from geo.viewer.data import default_layers_dir
    from geo.viewer.panel import doc_label, doc_option, reader_html

    real = Catalog.from_layerset(read_layers(default_layers_dir()))
    docs = list(real.documents.values())
    assert len(docs) == 44
    assert all(d["title_en"] and not re.search(r"[\u4e00-\u9fff]", d["title_en"]) for d in docs)
    gangyao = real.documents["2020-chengyu-gangyao"]
    assert doc_label(gangyao, "en") == (
        "2020-10-20 · Outline · Outline of the Development Plan for the Chengdu–Chongqing Economic Circle")
    assert doc_label(gangyao, "zh") == "2020-10-20 · 纲要 · 成渝地区双城经济圈建设规划纲要"
    assert doc_option(real.documents["2023-wandakai-plan"], "en").startswith("〔Programme〕2023-")
    en = reader_html(real, "2020-chengyu-gangyao", lambda p: f"?sel={p}", lang="en")
    assert "<h3>Outline of the Development Plan for the Chengdu–Chongqing Economic Circle</h3>" in en
    assert '<div class="pa-meta" lang="zh">成渝地区双城经济圈建设规划纲要</div>' in en
    zh = reader_html(real, "2020-chengyu-gangyao", lambda p: f"?sel={p}", lang="zh")
    assert "<h3>成渝地区双城经济圈建设规划纲要</h3>" in zh and 'lang="zh">成渝' not in zh
