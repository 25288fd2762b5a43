"""The gazetteer's to-do list: strings in the corpus that look like places but resolve to nothing.

Data: the clauses of geo.corpus.load_corpus() and the gazetteer (geo.gazetteer.load_gazetteer).
A candidate is a run of Chinese characters ending in a place-type suffix (…新区, …园区, …港,
…机场, …高铁, …铁路, …示范区, …高速, …走廊, …枢纽, …江, …山, …镇 …, see `PATTERNS`), cut at
punctuation and stripped of leading verbs/particles (`_LEAD_WORDS`). It is reported unless it is a
gazetteer name, lies inside a longer known mention (geo.extract), lies in an excluded region
(《titles》, agency lists, organisation names), or is listed in `IGNORE` (decided non-places, with
the reason). Rows are grouped by surface form with their count and clause ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from geo import _extract_rules as R
from geo.extract import Extractor, normalize_for_matching

# Place-type suffixes, longest first; (suffix, minimum characters before it, maximum before it).
PATTERNS: tuple[tuple[str, int, int], ...] = (
    ("综合保税区", 2, 6),
    ("经济技术开发区", 2, 6),
    ("高新技术产业开发区", 2, 6),
    ("新区", 2, 6),
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

# Leading words stripped from a candidate (verbs, particles, quantifiers, generic modifiers).
_LEAD_WORDS = (
    "推动 推进 加快 建设 打造 支持 依托 共建 提升 完善 开工 建成 加强 积极 规划 研究 论证 争取 申建 设立 创建 布局 "
    "组建 重点 国家级 全国 一批 深化 实施 开展 发展 形成 构建 培育 做强 做大 优化 强化 畅通 协同 联合 共同 统筹 "
    "探索 续建 新建 改造 扩建 谋划 围绕 沿线 沿 以 和 与 及 在 向 对 将 把 为 等 的 是 有 至 经 到 从 各 其 该 新 "
    "大 全 主 首 同 两 三 多 加大 提高 发挥 利用 保护 推广 启动 延伸 连接 衔接 接入 融入 服务 拓展 巩固 承接 "
    "依据 按照 包括 涉及 位于 实现 加速 合力 携手 鼓励 引导 健全 创新 高质量 高水平 就是 筑牢 组建 执行 扩大 "
    "开展 实施 加快 共抓 保护好 守护 治理 修复 联通 贯通 打通 融合 互联 互通 之 与 强与"
).split()
_LEAD_RE = re.compile("^(?:" + "|".join(sorted(map(re.escape, _LEAD_WORDS), key=len, reverse=True)) + ")")

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


def _suffix_regex() -> re.Pattern[str]:
    alts = "|".join(re.escape(s) for s, _, _ in PATTERNS)
    return re.compile(f"(?:{alts})")


_SUFFIX_RE = _suffix_regex()
# Single-character suffixes that must end a word (城乡融合, 城镇化 are not places).
_BOUNDED = frozenset({"镇", "乡", "湖", "河"})
_LIMITS = {s: (lo, hi) for s, lo, hi in PATTERNS}
_CJK_RUN_RE = re.compile(r"[\u4e00-\u9fff()]+")


def _strip_lead(s: str) -> str:
    while s:
        m = _LEAD_RE.match(s)
        if not m:
            return s
        s = s[m.end() :]
    return s


def candidates(norm: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, suffix) of place-like strings in normalised text (one per suffix occurrence)."""
    for run in _CJK_RUN_RE.finditer(norm):
        text = run.group()
        for m in _SUFFIX_RE.finditer(text):
            suffix = m.group()
            lo, hi = _LIMITS[suffix]
            start = max(0, m.start() - hi)
            cut = max(text.rfind("的", start, m.start()), text.rfind("和", start, m.start()))
            if cut >= 0:
                start = cut + 1
            stem = _strip_lead(text[start : m.start()])
            if len(stem) < lo:
                continue
            after = text[m.end() : m.end() + 1]
            if suffix in _BOUNDED and after and after not in "、和及与等的":
                continue
            s = run.start() + m.end() - len(stem) - len(suffix)
            yield s, run.start() + m.end(), suffix


def coverage_report(min_count: int = 1, corpus: Any = None, gazetteer: Any = None) -> list[CoverageRow]:
    """Unresolved place-like strings in the corpus, most frequent first."""
    if corpus is None:
        from geo.corpus import load_corpus

        corpus = load_corpus()
    if gazetteer is None:
        from geo.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    ex = Extractor(gazetteer)
    known = ex.index
    rows: dict[str, CoverageRow] = {}
    for clause in corpus.clauses():
        norm, offsets = normalize_for_matching(clause.text)
        spans = [(m.start, m.end) for m in ex.extract(clause.text)]
        excluded = R.excluded_regions(norm)
        for s, e, suffix in candidates(norm):
            surface = norm[s:e]
            if surface in known or surface in IGNORE or _GENERIC_RE.match(surface):
                continue
            if any(a <= s and e <= b for a, b in excluded):
                continue
            os_, oe = offsets[s], offsets[e - 1] + 1
            # covered: inside a known mention, or a known mention ends where it ends (万州+新田港)
            if any((a <= os_ and oe <= b) or b == oe for a, b in spans):
                continue
            row = rows.setdefault(surface, CoverageRow(surface, 0, suffix))
            row.count += 1
            if not row.clause_ids or row.clause_ids[-1] != clause.id:
                row.clause_ids.append(clause.id)
    out = [r for r in rows.values() if r.count >= min_count]
    out.sort(key=lambda r: (-r.count, r.surface))
    return out
