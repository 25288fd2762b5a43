"""Splitting one text file into documents and reading their metadata from the text.

A document starts at a title block: 1–4 short lines (optionally preceded by issuer lines) that
read as an official title — containing 关于 or 印发 and ending in 通知/批复/意见/方案/规划/…/》 —
placed after a paragraph end. From the lines that follow it reads the 文号 (〔YYYY〕N号), the
date line (YYYY年M月D日), the signature (issuers) and, for a 通知 that issues a plan
(印发《X》的通知), where the attached plan X begins: wrapper and plan are one document with the
plan's title and kind and the wrapper's date/文号/issuers. 目录 blocks and tables are marked so
they do not become body clauses. Patterns follow /work/shared/corpus-notes/structure.md §B.5;
nothing here depends on line numbers of particular files.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from geo.corpus._headings import parse_marker
from geo.corpus._normalize import Line, is_terminal, normalize, squash, width, wrap_width

_TITLE_END_RE = re.compile(
    r"(?:通知|批复|意见|纲要|规划|方案|措施|细则|计划|要点|清单|办法|决定|报告|》)(?:[（(][^（）()]{2,20}[）)])?$"
)
DOCNO_RE = re.compile(r"^([\u4e00-\u9fff]{1,12})[〔［\[【(（](\d{4})[〕］\]】)）](\d{1,5})号$")
_DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_MONTH_RE = re.compile(r"^[（(]?(\d{4})年(\d{1,2})月[）)]?$")
_ORG_TOKEN_RE = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}$")
_ORG_SUFFIX_RE = re.compile(r"(?:政府|办公厅|委员会|厅|局|部|委|办公室|银行|会|署|院|中央|省委|市委|室|社)$")

KINDS: tuple[tuple[str, str], ...] = (
    ("纲要", "纲要"), ("规划", "规划"), ("方案", "方案"), ("意见", "意见"), ("措施", "措施"),
    ("细则", "细则"), ("计划", "计划"), ("要点", "要点"), ("清单", "清单"), ("批复", "批复"),
    ("通知", "通知"), ("研究", "研究"), ("办法", "办法"), ("决定", "决定"), ("报告", "报告"),
)


def kind_of(title: str) -> str:
    """Kind of a document from the end of its title (纲要/规划/方案/意见/…); "文件" if none fits."""
    t = re.sub(r"[（(][^（）()]*[）)]$", "", squash(title)).strip("《》")
    for suffix, kind in KINDS:
        if t.endswith(suffix):
            return kind
    for suffix, kind in KINDS:
        if suffix in t[-8:]:
            return kind
    return "文件"


def is_org_line(text: str, strict: bool = False) -> bool:
    """A line made only of organisation names (signature or issuer block)."""
    if is_terminal(text) or len(squash(text)) > 40:
        return False
    tokens = text.split()
    if not tokens or not all(_ORG_TOKEN_RE.match(t) for t in tokens):
        return False
    if strict:
        return all(_ORG_SUFFIX_RE.search(t) for t in tokens)
    return True


def split_orgs(text: str) -> list[str]:
    """Organisation names of a signature/issuer line; names printed without a space are separated
    before a province/city name ("重庆市人民政府办公厅四川省人民政府办公厅")."""
    out: list[str] = []
    for tok in text.split():
        out.extend(p for p in re.split(r"(?<=[府厅委局会])(?=四川省|重庆市)", tok) if p)
    return out


def date_of(text: str) -> str:
    """ISO date of a date-only line ("2022 年 1 月 30 日" → "2022-01-30"), else ""."""
    t = squash(text)
    m = _DATE_RE.match(t)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = _MONTH_RE.match(t)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    return ""


def doc_no_of(text: str) -> str:
    """The normalised 文号 of a 文号-only line ("川府发〔 2023 〕9 号" → "川府发〔2023〕9号"), else ""."""
    m = DOCNO_RE.match(squash(text))
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号" if m else ""


def _title_block(lines: list[Line], i: int) -> int:
    """Number of lines (1–4) of an official title starting at lines[i], 0 if none (longest match)."""
    best = 0
    for k in range(1, 5):
        if i + k > len(lines):
            break
        ln = lines[i + k - 1]
        if date_of(ln.text) or doc_no_of(ln.text) or (k == 1 and ln.text.startswith("《")):
            break
        if len(squash(ln.text)) > 48 or (k > 1 and lines[i + k - 2].text[-1] in "。！？；："):
            break
        t = squash("".join(x.text for x in lines[i:i + k]))
        if re.search(r"[。；，：]|印发的", t) or "、" in t.split("关于")[-1]:
            break
        if ("关于" in t or "印发" in t) and _TITLE_END_RE.search(t) and not t.startswith(("关于印发", "（", "(")) \
                or t.startswith("关于") and _TITLE_END_RE.search(t) and k <= 3:
            best = k
    return best


def attached_title(title: str) -> str:
    """X of "…印发《X》的通知" / "…印发X的通知" / "…印发《X》" ("" when the title issues nothing)."""
    t = squash(title)
    m = re.search(r"印发(?:了)?(.+?)的通知$", t) or re.search(r"印发(?:了)?(.+)$", t)
    if not m:
        return ""
    x = m.group(1).removeprefix("关于") if m.group(1).startswith("关于《") else m.group(1)
    if x.startswith("《") and x.endswith("》") and x.count("《") == 1:
        x = x[1:-1]
    return x


def display_title(lines: list[Line]) -> str:
    """A title joined from its lines: issuer names keep one space between them, the rest is normalised."""
    raw = "".join(ln.text for ln in lines)
    cut = -1
    for word in ("关于", "印发"):
        idx = raw.find(word)
        if idx > 0:
            cut = idx
            break
    if cut > 0:
        pre = " ".join(raw[:cut].split())
        return pre + normalize(raw[cut:])
    return normalize(raw)


@dataclass
class DocPart:
    """One document found in a file: its lines and what the text says about it."""

    lines: list[Line]
    title: str = ""
    wrapper_title: str = ""
    kind: str = ""
    date: str = ""
    doc_no: str = ""
    issuers: list[str] = field(default_factory=list)
    meta: set[int] = field(default_factory=set)  # line numbers that are metadata, not clauses
    notice_end: int = 0  # last line number of the issuing notice / news lead (0: none)
    skip: set[int] = field(default_factory=set)  # 目录 and table lines
    tables: list[tuple[int, int]] = field(default_factory=list)  # (first, last) line numbers

    @property
    def first(self) -> int:
        return self.lines[0].no

    @property
    def last(self) -> int:
        return self.lines[-1].no


def split_documents(lines: list[Line]) -> list[DocPart]:
    """Cut a file's lines into documents at title blocks (the whole file if none is found)."""
    if not lines:
        return []
    full = wrap_width(lines)
    starts: list[tuple[int, int]] = []  # (index of first line, title lines incl. issuers)
    expected = ""
    i = 0
    while i < len(lines):
        k = _title_block(lines, i)
        if not k:
            i += 1
            continue
        t = squash("".join(x.text for x in lines[i:i + k]))
        if expected and (t == expected or t == "关于" + expected or expected in t and "印发" not in t):
            i += k
            continue
        s = i
        while s > 0 and i - s < 3 and is_org_line(lines[s - 1].text, strict=True) and lines[s - 1].text.find(
                "关于") < 0:
            s -= 1
        prev = lines[s - 1] if s > 0 else None
        ends_para = prev is None or is_terminal(prev.text) or width(prev.text) < 0.7 * full or bool(
            date_of(prev.text))
        if not ends_para:
            i += 1
            continue
        starts.append((s, i + k - s))
        expected = attached_title(t)
        i += k
    if not starts or starts[0][0] != 0:
        starts.insert(0, (0, 0))
    parts = []
    for n, (s, k) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        part = DocPart(lines[s:end])
        _read_meta(part, k)
        parts.append(part)
    return parts


def _without_year_note(text: str) -> str:
    """A line without a closing parenthesised note such as "（2021—2035年）" or "(试行)", so that a
    title ending in one is not taken for the end of a sentence."""
    return re.sub(r"[（(][^（）()]{1,30}[）)]$", "", text.rstrip()) or text


def _read_meta(part: DocPart, k: int) -> None:
    """Fill title, 文号, date, issuers, attached-plan start, 目录 and tables of one document."""
    lines = part.lines
    n_iss = 0
    while n_iss < k and is_org_line(lines[n_iss].text, strict=True) and "关于" not in lines[n_iss].text:
        n_iss += 1
    if n_iss == k:
        n_iss = 0
    title_lines = lines[n_iss:k]
    block_issuers = [t for ln in lines[:n_iss] for t in ln.text.split()]
    if not title_lines:  # no official title block: a short first line is the title
        j = 0
        while j < min(2, len(lines)) and not is_terminal(_without_year_note(lines[j].text)) \
                and len(squash(lines[j].text)) <= 40 \
                and not lines[j].text.startswith(("摘要", "（", "(")) and parse_marker(lines[j].text) is None:
            j += 1
        title_lines = lines[:j]
        k = j
    part.meta.update(ln.no for ln in lines[:k])
    wrapper = display_title(title_lines) if title_lines else ""
    part.wrapper_title = wrapper
    idx = k
    # 文号 and addressees right after the title
    for j in range(k, min(k + 3, len(lines))):
        dn = doc_no_of(lines[j].text)
        if dn:
            part.doc_no = dn
            part.meta.add(lines[j].no)
            idx = j + 1
            break
    addressee = []
    for j in range(idx, min(idx + 6, len(lines))):
        addressee.append(lines[j])
        if "。" in lines[j].text:
            break
        if lines[j].text.rstrip().endswith(("：", ":")):
            part.meta.update(ln.no for ln in addressee)
            break
    # the attached plan
    x = attached_title(wrapper)
    plan_at = -1
    date_idx = -1
    for j in range(k, len(lines)):
        if date_of(lines[j].text) and len(squash(lines[j].text)) <= 12:
            date_idx = j
            break
    if x:
        xs = squash(x)
        for j in range(k, len(lines)):
            acc = ""
            for m in range(j, min(j + 3, len(lines))):
                acc += squash(lines[m].text)
                if acc == xs or acc == "《" + xs + "》":
                    plan_at = j
                    part.meta.update(ln.no for ln in lines[j:m + 1])
                    break
                if not xs.startswith(acc.strip("《")):
                    break
            if plan_at >= 0:
                break
    if plan_at > 0 and re.fullmatch(r"附件\d?[：:]?", squash(lines[plan_at - 1].text)):
        part.meta.add(lines[plan_at - 1].no)
    if plan_at >= 0 and len(lines) - plan_at < 5:
        plan_at = -1  # only the attachment's title is printed: the plan text is absent
    if date_idx >= 0 and plan_at >= 0 and date_idx > plan_at:
        date_idx = -1
    if date_idx >= 0:
        part.date = date_of(lines[date_idx].text)
        part.meta.add(lines[date_idx].no)
        sig = []
        j = date_idx - 1
        while j >= k and len(sig) < 16 and is_org_line(lines[j].text):
            sig.append(lines[j])
            j -= 1
        if sig:
            part.meta.update(ln.no for ln in sig)
            part.issuers = split_orgs(" ".join(ln.text for ln in reversed(sig)))
    if plan_at < 0 and x and date_idx >= 0 and len(lines) - date_idx > 10:
        # substantial text after the notice's date: the attachment (after an optional 附件 line)
        plan_at = date_idx + 1
        if squash(lines[plan_at].text) in ("附件", "附件1", "附件："):
            part.meta.add(lines[plan_at].no)
            plan_at += 1
        # the plan's own title line may differ slightly from the notice's wording (…发展的若干…)
        xs = squash(x)
        for m in range(plan_at, min(plan_at + 3, len(lines))):
            own = squash("".join(ln.text for ln in lines[plan_at:m + 1]))
            if difflib.SequenceMatcher(None, own, xs).ratio() >= 0.92:
                part.meta.update(ln.no for ln in lines[plan_at:m + 1])
                x = normalize("".join(ln.text for ln in lines[plan_at:m + 1]))
                plan_at = m + 1
                break
    news_lead = bool(x) and not squash(wrapper).endswith("通知")
    if news_lead:
        part.title = x if not squash(wrapper).startswith("《") and "《" not in x[:1] else x
        pre = squash(wrapper).split("印发")[0]
        part.title = x if x == attached_title(wrapper) and squash(wrapper).endswith("》") else pre + x
        for j in range(k, min(k + 12, len(lines))):
            if "如下" in lines[j].text or "内容如下" in squash(lines[j].text):
                part.notice_end = lines[j].no
                break
        lead = squash("".join(ln.text for ln in lines[k:k + 3]))
        m = re.search(r"(?:，|^)([^，。]{2,80}?)(?:日前|近日)?印发了", lead)
        if m and not part.issuers:
            part.issuers = [a for a in re.split(r"[、]", m.group(1).removeprefix("近日")) if a]
        if not part.issuers:
            part.issuers = [a for a in pre.split() if a]
    elif x and plan_at >= 0:
        part.title = normalize(x)
        part.notice_end = lines[plan_at - 1].no
    else:
        part.title = wrapper
    if part.title and part.title.startswith("《") and part.title.endswith("》"):
        part.title = part.title[1:-1]
    part.kind = kind_of(part.title) if part.title else "文件"
    if not part.issuers:
        part.issuers = block_issuers
    if not part.issuers and "关于" in wrapper:
        pre = wrapper.split("关于")[0]
        part.issuers = [a for a in pre.split() if a and "等" not in a]
    if not part.issuers:
        # signature at the very end of the document
        tail = lines[-1]
        if is_org_line(tail.text, strict=True):
            part.issuers = tail.text.split()
            part.meta.add(tail.no)
    _mark_toc(part)
    _mark_tables(part)
    # date-only lines, signatures and notes anywhere else are metadata too
    for j, ln in enumerate(lines):
        if date_of(ln.text) and len(squash(ln.text)) <= 12:
            part.meta.add(ln.no)
            s = j - 1
            while s >= 0 and j - s <= 16 and is_org_line(lines[s].text, strict=True):
                part.meta.add(lines[s].no)
                s -= 1


def _mark_toc(part: DocPart) -> None:
    """Mark a 目录 block: from 目录 until its first entry is repeated as a body heading."""
    lines = part.lines
    for j, ln in enumerate(lines[:200]):
        if squash(ln.text) not in ("目录", "目次"):
            continue
        if j + 1 >= len(lines):
            return
        first = squash(lines[j + 1].text)
        end = None
        for m in range(j + 2, min(j + 400, len(lines))):
            if squash(lines[m].text) == first:
                end = m
                break
        if end is None:
            end = j + 1
            while end < len(lines) and len(squash(lines[end].text)) <= 30 and not is_terminal(lines[end].text):
                end += 1
        part.skip.update(x.no for x in lines[j:end])
        return


def _mark_tables(part: DocPart) -> None:
    """Mark tables: from a header row starting with 序号 to the end of the document."""
    lines = part.lines
    for j, ln in enumerate(lines):
        t = squash(ln.text)
        if t.startswith("序号") or (t == "序" and j + 1 < len(lines) and squash(lines[j + 1].text).startswith("号")):
            # the table title: short lines right before the header
            s = j
            while s > 0 and j - s < 3 and not is_terminal(lines[s - 1].text) and len(
                    squash(lines[s - 1].text)) <= 40 and lines[s - 1].no not in part.meta \
                    and not squash(lines[s - 1].text).startswith("附件"):
                s -= 1
            part.tables.append((lines[s].no, lines[-1].no))
            part.skip.update(x.no for x in lines[s:])
            return
