"""The gazetteer's to-do list: strings in the corpus that look like places but resolve to nothing.

Data: the clauses of geo.corpus.load_corpus() and the gazetteer (geo.gazetteer.load_gazetteer).
A candidate is a run of name-like words (jieba.posseg: nouns, place names, abbreviations; a verb,
preposition or particle ends it) whose last word ends in a place-type suffix (…新区, …新城, …园区, …港,
…机场, …高铁, …铁路, …示范区, …高速, …走廊, …枢纽, …江, …山, …镇 …, see `PATTERNS`).
Designations (示范区, 试验区, 产业带 …) count only when they contain a known place (a
"国家数字经济创新发展试验区" is a type, not a place); a locator before a natural feature is dropped
(江津四面山 → 四面山). A candidate is reported unless it is a gazetteer name, its suffix lies inside
a known mention (geo.extract), it lies in an excluded region (《titles》, agency lists,
organisation names), or it is listed in `IGNORE` (decided non-places, with the reason). Rows are
grouped by surface form with their count and clause ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from geo.places import _rules as R
from geo.places.extract import Extractor, normalize_for_matching

# Place-type suffixes, longest first; (suffix, minimum characters before it, maximum before it).
PATTERNS: tuple[tuple[str, int, int], ...] = (
    ("综合保税区", 2, 6),
    ("经济技术开发区", 2, 6),
    ("高新技术产业开发区", 2, 6),
    ("新区", 2, 6),
    ("新城", 2, 6),
    ("高原", 2, 4),
    ("盆地", 2, 5),
    ("河谷", 2, 5),
    ("流域", 2, 6),
    ("园区", 2, 8),
    ("工业园", 2, 6),
    ("产业园", 2, 8),
    ("开发区", 2, 6),
    ("高新区", 2, 4),
    ("经开区", 2, 4),
    ("示范区", 2, 12),
    ("先行区", 2, 14),
    ("试验区", 2, 10),
    ("科学城", 2, 6),
    ("国际机场", 2, 6),
    ("机场", 2, 5),
    ("港区", 2, 5),
    ("作业区", 2, 8),
    ("码头", 2, 6),
    ("港", 2, 3),
    ("高铁", 2, 6),
    ("铁路", 2, 6),
    ("城际", 2, 5),
    ("高速公路", 2, 6),
    ("高速", 2, 5),
    ("走廊", 2, 10),
    ("经济带", 2, 8),
    ("产业带", 2, 10),
    ("发展带", 2, 12),
    ("发展轴", 2, 10),
    ("枢纽", 2, 8),
    ("火车站", 2, 4),
    ("站", 3, 5),
    ("遗址", 2, 6),
    ("古镇", 2, 4),
    ("镇", 2, 3),
    ("乡", 2, 3),
    ("江", 2, 2),
    ("河", 2, 2),
    ("湖", 2, 2),
    ("山", 2, 2),
)

# Decided: not places (generic terms, words), with the reason.
IGNORE: dict[str, str] = {
    "金山银山": "slogan (绿水青山就是金山银山)",
    "绿水青山": "slogan",
    "高速公路": "generic",
    "城际铁路": "generic",
    "高速铁路": "generic",
    "国际机场": "generic",
    "支线机场": "generic",
    "综合保税区": "generic",
    "无水港": "generic (dry port)",
    "郊区新城": "generic (a type of new town)",
    "现代化郊区新城": "generic (a type of new town)",
    "跨界流域": "generic (cross-border basins)",
    "内陆港": "generic",
    "自由贸易港": "generic",
    "国家级新区": "generic",
    "产业园区": "generic",
    "工业园区": "generic",
    "物流园区": "generic",
    "开发区": "generic",
    "高新区": "generic",
    "经开区": "generic",
    "示范区": "generic",
    "交通枢纽": "generic",
    "物流枢纽": "generic",
    "综合交通枢纽": "generic",
    "国际枢纽": "generic",
    "航运枢纽": "generic",
    "铁路枢纽": "generic",
    "门户枢纽": "generic",
    "中心城区": "relative (ANNOTATION.md rule 8)",
    "万水千山": "idiom",
    "名山大川": "idiom",
    "江河湖": "generic",
    "水林田湖": "slogan (山水林田湖草)",
    "力争成渝机场": "力争 + the airports of 成都 and 重庆 (成渝 is the mention)",
    "川渝合作示范区": "designation of 广安 (纲要: 推动广安全面融入重庆都市圈，打造川渝合作示范区); 川渝 is the mention",
    "岸青山": "slogan (两岸青山)",
    "港口码头": "generic",
    "干线铁路": "generic",
    "世界级机场": "generic (世界级机场群)",
    "国际门户枢纽": "generic",
    "国际航空门户枢纽": "generic",
    "国际航空枢纽": "generic",
    "国家物流枢纽": "generic",
    "综合货运枢纽": "generic",
    "抽水蓄能电站": "generic",
    "自由贸易试验区": "generic (the 川渝 pilot zones are named when meant)",
    "湖泊河": "generic",
}
_GENERIC_RE = re.compile(
    r"^(?:[一二三四五六七八九十两多各]+个?|国际|国家|全国|区域|省级|市级|跨境|跨区域|现代|特色|重要|综合|沿江|沿海|"
    r"内陆|临空|临港|物流|产业|示范|先行|试验|创新|绿色|智慧|数字|文化|旅游|生态|农业|城市|乡村)"
    r"(?:[\u4e00-\u9fff]{0,3})$"
)


# Generic words that end like places (城乡, 小城镇, 鱼米之乡) and organisation heads.
_GENERIC_WORD_RE = re.compile(
    r"城乡|城镇|村镇|乡村|小镇|重镇|名镇|中心镇|重点镇|之乡|回乡|酒乡|带乡|下乡|入乡|返乡|建制镇|江河|内河|入河|母亲河|山水林田湖|空港|枢纽港|"
    r"枢纽机场|省市机场|港口码头|客运码头|货站|电站|建委|政府|[委局厅]"
)
# Designations naming a type of hub, not a place: the place is their prefix (成都国家物流枢纽 → 成都).
_DESIGNATION_RE = re.compile(r"(?:国家物流枢纽|国际枢纽|综合交通枢纽|物流枢纽|门户枢纽)$")


@dataclass
class CoverageRow:
    """One unresolved place-like string: how often, where, and which pattern found it."""

    surface: str
    count: int
    pattern: str
    clause_ids: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "surface": self.surface,
            "count": self.count,
            "pattern": self.pattern,
            "clause_ids": self.clause_ids,
        }


# Single-character suffixes: a natural feature, port, station or town written as one word (铜锣山, 新生港).
_LIMITS = {s: (lo, hi) for s, lo, hi in PATTERNS}
_SHORT_SUFFIXES = ("江", "河", "湖", "山", "港", "站", "镇", "乡", "码头", "机场", "新城", "高原", "盆地", "河谷", "流域")
# Part-of-speech flags (jieba.posseg) that may sit inside a place name; anything else ends it.
_NAME_FLAGS = frozenset(
    {"n", "ns", "nz", "nt", "nr", "nrt", "nrfg", "j", "l", "vn", "an", "s", "ng", "b", "eng"}
)
_MAX_TOKENS, _MAX_CHARS = 6, 18
# Planning verbs and nouns that jieba tags as nouns but never begin a place name (规划建设|紫云新城).
_LEAD_WORDS = frozenset(
    "规划 建设 加快 推进 推动 支持 打造 发展 完善 培育 提升 重点 积极 统筹 协同 共建 高标准 高水平 高质量 依托 围绕".split()
)


def _suffix_of(word: str) -> str | None:
    for suffix, _, _ in PATTERNS:
        if word.endswith(suffix):
            return suffix
    return None


def candidates(text: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, suffix) of place-like strings in `text`: runs of name-like words (jieba.posseg)
    ending in a place-type suffix (`PATTERNS`), offsets into `text`."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    tokens: list[tuple[int, int, str, str]] = []
    pos = 0
    for w in pseg.cut(text):
        tokens.append((pos, pos + len(w.word), w.word, w.flag))
        pos += len(w.word)
    for i, (_, end, word, _) in enumerate(tokens):
        suffix = _suffix_of(word)
        if not suffix:
            continue
        j = i
        while (
            j > 0
            and i - j < _MAX_TOKENS
            and tokens[j - 1][3] in _NAME_FLAGS
            and end - tokens[j - 1][0] <= _MAX_CHARS
        ):
            j -= 1
        while j < i and tokens[j][2] in _LEAD_WORDS:
            j += 1
        start = tokens[j][0]
        lo, _ = _LIMITS[suffix]
        if end - start - len(suffix) < lo:
            continue
        yield start, end, suffix


def coverage_report(
    min_count: int = 1, corpus: Any = None, gazetteer: Any = None, doc_id: str | None = None
) -> list[CoverageRow]:
    """Unresolved place-like strings in the corpus (or one document of it), most frequent first.

    Raises UnknownDocumentError for an unknown `doc_id`."""
    if corpus is None:
        from geo.corpus import load_corpus

        corpus = load_corpus()
    clauses = corpus.clauses() if doc_id is None else corpus.document(doc_id).clauses
    return coverage_of_texts(((c.id, c.text) for c in clauses), gazetteer, min_count)


def coverage_of_texts(
    texts: Iterable[tuple[str, str]], gazetteer: Any = None, min_count: int = 1
) -> list[CoverageRow]:
    """Unresolved place-like strings in (id, text) pairs (an uploaded plan's clauses), most frequent first."""
    if gazetteer is None:
        from geo.places.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    ex = Extractor(gazetteer)
    known = ex.index
    rows: dict[str, CoverageRow] = {}
    for clause_id, text in texts:
        norm, offsets = normalize_for_matching(text)
        mentions = [(m.start, m.end) for m in ex.extract(text)]
        excluded = [(offsets[a], offsets[b - 1] + 1) for a, b in R.excluded_regions(norm) if b > a]
        for s, e, suffix in candidates(text):
            if any(a < e <= b for a, b in mentions):  # the suffix is part of a known name
                continue
            if any(a <= s and e <= b for a, b in excluded):
                continue
            if suffix in _SHORT_SUFFIXES:
                # a locator before a feature is its own mention (江津四面山): report the feature
                for a, b in mentions:
                    if a == s and b < e - len(suffix):
                        s = b
            elif not any(s <= a and b <= e for a, b in mentions):
                continue  # a designation with no place in it (国家数字经济创新发展试验区) is not a place
            elif _DESIGNATION_RE.search(text[s:e]):
                continue
            if s > 0 and text[s - 1] in "至经—":  # the head noun of a route chain (达州至万州铁路)
                continue
            surface = normalize_for_matching(text[s:e])[0]
            if (
                surface in known
                or surface in IGNORE
                or _GENERIC_RE.match(surface)
                or _GENERIC_WORD_RE.search(surface)
                or len(surface) < 2
            ):
                continue
            row = rows.setdefault(surface, CoverageRow(surface, 0, suffix))
            row.count += 1
            if not row.clause_ids or row.clause_ids[-1] != clause_id:
                row.clause_ids.append(clause_id)
    out = [r for r in rows.values() if r.count >= min_count]
    out.sort(key=lambda r: (-r.count, r.surface))
    return out
