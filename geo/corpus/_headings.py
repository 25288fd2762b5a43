"""Heading schemes of Chinese plan documents and the clause tree built from them.

Recognises 第X编/章/节, 一、, （一）/(一), 1．/1., （1）, ①, 专栏N, 前言, 附件N and —— lead-ins at
the start of a paragraph, nests them by order of appearance (a marker kind already open closes
everything below it), and turns paragraphs into `Clause`s with stable ids
`<doc_id>/<heading numbers>/p<N>`. Responsibility lists (（责任单位：…）, （…牵头负责）,
（牵头单位：…；配合单位：…）) are moved from the text into `agencies`.
The schemes are those listed in /work/shared/corpus-notes/structure.md §B; nothing here
depends on a particular file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.corpus._normalize import Para, normalize, squash
from geo.models import Clause

_CN = "〇零一二三四五六七八九十百两"
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}


def cn_number(s: str) -> int:
    """Value of a Chinese numeral up to 999 ("三十五" → 35); ASCII digits pass through."""
    if s.isascii() and s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch == "百":
            total += (cur or 1) * 100
            cur = 0
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        else:
            cur = _CN_DIGITS.get(ch, 0)
    return total + cur


_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"^第\s*([{_CN}\d]+)\s*(?:编|部分)(?![分])\s*")),
    ("chapter", re.compile(rf"^第\s*([{_CN}\d]+)\s*章\s*")),
    ("section", re.compile(rf"^第\s*([{_CN}\d]+)\s*节\s*")),
    ("preface", re.compile(r"^(?:前\s*言|序\s*言|引\s*言)\s*$")),
    ("annex", re.compile(r"^附\s*件\s*(\d*)(?=\s|$|[\u4e00-\u9fff])\s*")),
    ("box", re.compile(r"^专栏\s*(\d+)\s*")),
    ("cn", re.compile(rf"^([{_CN}]+)\s*[、，]\s*")),
    ("pcn", re.compile(rf"^[（(]\s*([{_CN}]+)\s*[）)]\s*")),
    ("num", re.compile(r"^(\d{1,3})\s*[．.](?!\s*[\d%％])\s*")),
    ("pnum", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")),
    ("circ", re.compile(r"^([\u2460-\u2473])\s*")),
    ("dash", re.compile(r"^—{1,3}(?![\d—])\s*")),
]
_HEADING_KINDS = {"part", "chapter", "section", "preface", "annex", "box", "cn", "pcn", "num", "pnum", "circ"}


@dataclass(slots=True)
class Marker:
    kind: str
    number: int
    label: str  # the marker as printed, canonical parentheses ("（一）", "1．", "专栏2")
    rest: str  # the text after the marker (raw)


def parse_marker(text: str) -> Marker | None:
    """The heading/list marker at the start of a paragraph, if any."""
    t = text.lstrip()
    if not t:
        return None
    first = t[0]
    if first not in "第前序引附专（(—0123456789" and first not in _CN and not "\u2460" <= first <= "\u2473":
        return None
    for kind, rx in _MARKERS:
        m = rx.match(t)
        if not m:
            continue
        rest = t[m.end():]
        if kind == "annex" and rest[:1] in ("：", ":"):
            return None  # "附件：…" lists the attachments, it is not a heading
        if kind == "cn" and m.group(0).rstrip()[-1] == "，":
            return None
        num_txt = m.group(1) if m.groups() else ""
        number = cn_number(num_txt) if num_txt and kind != "circ" else 0
        if kind in ("cn", "pcn") and (number == 0 or number > 200):
            return None
        if kind == "num" and (number == 0 or number > 300):
            return None
        label = squash(m.group(0))
        if kind in ("pcn", "pnum"):
            label = f"（{squash(num_txt)}）"
        elif kind == "preface":
            label = squash(m.group(0))
        elif kind == "dash":
            label = "——"
        elif kind == "circ":
            label = num_txt
            number = ord(num_txt) - 0x245F
        return Marker(kind, number, label, rest)
    return None


def starts_block(text: str) -> bool:
    """The line starts with a heading or list marker."""
    return parse_marker(text) is not None


def heading_only(m: Marker, strict: bool = False) -> bool:
    """The paragraph is just a heading (no run-in body text).

    `strict` (used on single lines, before paragraphs are known) also refuses commas, so that
    the first line of a wrapped sentence is not mistaken for a heading.
    """
    rest = normalize(m.rest)
    if m.kind in ("preface",):
        return True
    if m.kind == "dash":
        return False
    if m.kind == "annex":
        return len(rest) <= 40 and not re.search(r"[。；，]", rest)
    if len(rest) > (30 if m.kind in ("num", "pnum", "circ") else 40):
        return False
    body = rest[:-1] if rest.endswith("。") else rest
    return not re.search(r"[。；！？]", body) and (m.kind in ("chapter", "section", "part", "box")
                                                   or not re.search(r"[，、]", body)
                                                   or not strict and not rest.endswith("。"))


def is_heading_line(text: str) -> bool:
    """A whole line that is a short heading (used to end paragraphs)."""
    m = parse_marker(text)
    return m is not None and m.kind in _HEADING_KINDS and heading_only(m, strict=True)


_RESP_RE = re.compile(
    r"[（(〔]\s*((?:责\s*任\s*单\s*位|牵\s*头\s*单\s*位|配\s*合\s*单\s*位|责\s*任\s*部\s*门|牵\s*头\s*部\s*门)\s*[：:]"
    r"(?:[^（）()〔〕]|[（(〔][^（）()〔〕]*[）)〕])*)[）)〕]"
)
_LEAD_RE = re.compile(r"[（(]([^（）()。]{2,160}?)牵头负责[）)]")
_AGENCY_PREFIX_RE = re.compile(r"^[^：:]{0,8}[：:]")


def split_agencies(content: str) -> list[str]:
    """Individual agencies of a responsibility list ("市发展改革委、省商务厅；…")."""
    out: list[str] = []
    for group in re.split(r"[；;]", normalize(content)):
        group = _AGENCY_PREFIX_RE.sub("", group.strip())
        for a in re.split(r"[、，,]", group):
            a = _AGENCY_PREFIX_RE.sub("", a.strip()).strip("。 ")
            if a.endswith("等") and len(a) > 3:
                a = a[:-1]
            if a and a not in out:
                out.append(a)
    return out


def extract_agencies(text: str) -> tuple[str, list[str]]:
    """Remove responsibility lists from a paragraph; returns (text, agencies)."""
    agencies: list[str] = []

    def take(m: re.Match[str]) -> str:
        agencies.extend(a for a in split_agencies(m.group(1)) if a not in agencies)
        return ""

    if "单" in text or "部" in text:
        text = _RESP_RE.sub(take, text)
    if "牵头负责" in text:
        text = _LEAD_RE.sub(take, text)
    return text.strip(), agencies


_GLUED_HEADING_RE = re.compile(
    rf"(?<=[。）)〕])\s*(?=(?:第[{_CN}]+[章节]\s*|[{_CN}]+、)[^。；，]{{2,30}}$|附件[：:])")


def _key_part(kind: str, number: int) -> str:
    if kind in ("chapter", "section", "cn", "pcn", "num", "pnum", "circ"):
        return str(number)
    if kind == "annex":
        return f"annex{number or ''}"
    if kind == "box":
        return f"box{number}"
    if kind == "part":
        return f"part{number}"
    if kind == "table":
        return f"table{number}"
    return kind  # preface, notice, table


@dataclass(slots=True)
class _Open:
    kind: str
    number: int
    title: str  # what the path shows


class ClauseBuilder:
    """Builds the clause list of one document, paragraph by paragraph."""

    def __init__(self, doc_id: str, file: str) -> None:
        self.doc_id = doc_id
        self.file = file
        self.stack: list[_Open] = []
        self.counters: dict[str, int] = {}
        self.clauses: list[Clause] = []

    def reset(self, kind: str, title: str, number: int = 0) -> None:
        """Start a top-level part (notice, preface, annex, table …)."""
        self.stack = [_Open(kind, number, title)]

    def _key(self) -> str:
        return ".".join(_key_part(o.kind, o.number) for o in self.stack) or "intro"

    def _open(self, m: Marker, title: str) -> None:
        if m.kind in ("preface", "annex"):
            self.stack = [_Open(m.kind, m.number, title)]
            return
        for i, o in enumerate(self.stack):
            if o.kind == m.kind:
                del self.stack[i:]
                break
        else:
            if m.kind in ("chapter", "part") or (m.kind == "cn" and not any(
                    o.kind in ("chapter", "section", "part") for o in self.stack)):
                # a new top-level division closes notes/prefaces/annex parts
                self.stack = [o for o in self.stack if o.kind not in ("preface", "notice", "annex", "table")
                              and (m.kind != "chapter" or o.kind == "part")]
        self.stack.append(_Open(m.kind, m.number, title))

    def add(self, para: Para, allow_headings: bool = True) -> None:
        """Add one paragraph: a heading updates the tree, text becomes a clause.

        A chapter/section heading glued after a sentence ("…支持。第五节 推进…") is split off.
        """
        if allow_headings and re.search(r"[。）)〕]\s*(?:第|附件|[一二三四五六七八九十]+、)", para.text):
            pieces = _GLUED_HEADING_RE.split(para.text)
            if len(pieces) > 1:
                for piece in pieces:
                    if piece.strip():
                        self._add(Para(piece, para.first, para.last), allow_headings)
                return
        self._add(para, allow_headings)

    def _add(self, para: Para, allow_headings: bool = True) -> None:
        m = parse_marker(para.text) if allow_headings else None
        top = self.stack[-1] if self.stack else None
        if m is None and top is not None and top.kind == "annex" and not self.counters.get(self._key()) \
                and len(squash(para.text)) <= 16 and not re.search(r"[。，；：]", para.text):
            top.title = f"{top.title} {normalize(para.text)}"  # "附件1" then its title on the next line
            return
        label = ""
        raw = para.text
        if m is not None and m.kind in _HEADING_KINDS:
            rest = normalize(m.rest)
            if heading_only(m):
                sep = " " if m.kind in ("chapter", "section", "part", "box", "annex") and rest else ""
                self._open(m, f"{m.label}{sep}{rest}".strip().rstrip("。"))
                return
            lead = re.split(r"[。：:]", rest, maxsplit=1)[0][:30]
            path = tuple(o.title for o in self.stack if o.kind not in ("notice",) or True)
            self._open(m, f"{m.label}{lead}")
            path = tuple(o.title for o in self.stack[:-1])
            label = m.label
            raw = m.rest
        else:
            path = tuple(o.title for o in self.stack)
            if m is not None and m.kind == "dash":
                label = "——"
                raw = m.rest
        text, agencies = extract_agencies(normalize(raw))
        if not text:
            if agencies and self.clauses and self.clauses[-1].doc_id == self.doc_id:
                prev = self.clauses[-1]
                prev.agencies = tuple(dict.fromkeys(prev.agencies + tuple(agencies)))
                prev.lines = (prev.lines[0], max(prev.lines[1], para.last))
            return
        key = self._key()
        n = self.counters.get(key, 0) + 1
        self.counters[key] = n
        self.clauses.append(Clause(
            id=f"{self.doc_id}/{key}/p{n}", doc_id=self.doc_id, path=path, label=label, text=text,
            agencies=tuple(agencies), file=self.file, lines=(para.first, para.last)))

    def add_row(self, number: int, text: str, first: int, last: int) -> None:
        """Add one table row as a clause `<doc>/table<T>.<row>/p1` labelled with its row number."""
        text, agencies = extract_agencies(text)
        if len(text) < 2:
            return
        key = f"{self._key()}.{number}"
        n = self.counters.get(key, 0) + 1
        self.counters[key] = n
        self.clauses.append(Clause(
            id=f"{self.doc_id}/{key}/p{n}", doc_id=self.doc_id, path=tuple(o.title for o in self.stack),
            label=str(number), text=text, agencies=tuple(agencies), file=self.file, lines=(first, last)))
