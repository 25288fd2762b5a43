"""Normalising PDF text extractions: characters, page furniture and paragraphs.

Input is the decoded text of one file under data/docs/ (or a user's plain-text plan). This
module knows nothing about documents; it turns physical lines into clean `Line`s (page numbers,
running headers/footers, publication notes removed) and joins wrapped lines into paragraphs.
The rules are derived from the layout of the seed corpus (see /work/shared/corpus-notes/
structure.md §A/§C) but are generic: blank-line interleaving, wrap width and page breaks are
measured per file/segment, never looked up by line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_WIDE_RE = re.compile(f"[{CJK}“”‘’—…]")
_TERMINAL = "。！？；：…”’）)〕」』】!?;:"
_PAGE_NO_RE = re.compile(r"^\s*(?:[-－—–]\s*\d{1,4}\s*[-－—–]|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?)\s*$")
_BARE_INT_RE = re.compile(r"^\s*\d{1,4}\s*$")
_NOTE_RE = re.compile(r"^[（(]\s*此件[^（）()]{1,12}[)）]$")
_CAPTION_RE = re.compile(r"^(?:图\s*\d+(?:\s*\S{1,16})?|[\u4e00-\u9fff（）]{2,24}(?:布局图|示意图|区位图|分布图))$")
_ORGLINE_RE = re.compile(r"^[\u4e00-\u9fff（）()]{2,20}(?:文件|发布|办公厅|人民政府|委员会)$")

# Characters mapped to one canonical form (full-width digits/Latin to ASCII, a few symbols).
_CHAR_MAP = {i: i - 0xFEE0 for i in range(0xFF10, 0xFF1A)}
_CHAR_MAP.update({i: i - 0xFEE0 for i in range(0xFF21, 0xFF3B)})
_CHAR_MAP.update({i: i - 0xFEE0 for i in range(0xFF41, 0xFF5B)})
_CHAR_MAP.update({ord("％"): "%", ord("＋"): "+", ord("\u3000"): " ", ord("\u00a0"): " ", ord("［"): "〔",
                  ord("］"): "〕", ord("\ufeff"): None, ord("\t"): " "})


@dataclass(slots=True)
class Line:
    """One non-blank physical line that survived furniture removal (1-based `no`)."""

    no: int
    text: str  # stripped
    page_top: bool  # the raw line started with a space (page-top marker of the extractions)
    tight: bool  # the previous raw line was non-blank (no blank line in between)
    blanks_before: int


@dataclass(slots=True)
class Para:
    """A paragraph rebuilt from wrapped lines: raw joined text and its 1-based line range."""

    text: str
    first: int
    last: int


def width(s: str) -> int:
    """Display width: CJK characters count 2 columns, others 1."""
    return len(s) + len(_WIDE_RE.findall(s))


def squash(s: str) -> str:
    """Remove every whitespace character (used for comparisons and title matching)."""
    return "".join(s.split())


_SPACE_RE = re.compile(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")
_WS_RE = re.compile(r"\s+")
_DECIMAL_RE = re.compile(r"(\d)[．](\d)")
_COMMA_RE = re.compile(r"(?<!\d),|,(?!\d)")
_COLON_RE = re.compile(r"(?<!\d):|:(?!\d)")
_HALF_PAREN_RE = re.compile(r"\(([^()]*[\u4e00-\u9fff][^()]*)\)")
_ANGLE_RE = re.compile(r"<([^<>]*[\u4e00-\u9fff][^<>]*)>")
_STOP_RE = re.compile(r"(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff]|$)")
_QM_RE = re.compile(r"(?<=[\u4e00-\u9fff])\?")
_EXCL_RE = re.compile(r"(?<=[\u4e00-\u9fff])!")
_HYPHEN_RE = re.compile(r"(?<=[\u4e00-\u9fff])－(?=[\u4e00-\u9fff])")


def _fix_quotes(s: str) -> str:
    """Turn an opening quote printed as ” (”无废城市”) back into “."""
    if "”" not in s:
        return s
    out = []
    is_open = False
    for ch in s:
        if ch == "“":
            is_open = True
        elif ch == "”":
            if not is_open and out is not None:
                ch = "“"
                is_open = True
            else:
                is_open = False
        out.append(ch)
    return "".join(out)


def normalize(s: str) -> str:
    """Canonical readable text: no stray spaces, full-width CJK punctuation, ASCII digits.

    Spaces survive only between two ASCII letters/digits ("5G 网络" → "5G网络", "Wi Fi" stays).
    Decimal points printed as "18． 5" become "18.5"; half-width `,;:()` in Chinese text become
    full-width; a wrong-direction opening quote is repaired.
    """
    s = s.translate(_CHAR_MAP)
    s = _SPACE_RE.sub("", s)
    if " " in s or "\t" in s:
        s = _WS_RE.sub(" ", s)
    if "．" in s:
        s = _DECIMAL_RE.sub(r"\1.\2", s)
    if "," in s:
        s = _COMMA_RE.sub("，", s)
    if ";" in s:
        s = s.replace(";", "；")
    if ":" in s:
        s = _COLON_RE.sub("：", s)
    if "(" in s:
        s = _HALF_PAREN_RE.sub(r"（\1）", s)
    if "<" in s:
        s = _ANGLE_RE.sub(r"〈\1〉", s)
    if "." in s:
        s = _STOP_RE.sub("。", s)
    if "?" in s:
        s = _QM_RE.sub("？", s)
    if "!" in s:
        s = _EXCL_RE.sub("！", s)
    if "－" in s:
        s = _HYPHEN_RE.sub("—", s)
    return _fix_quotes(s)


def is_terminal(s: str) -> bool:
    """The line ends a sentence (or a list lead-in)."""
    return bool(s) and s[-1] in _TERMINAL


def prepare_lines(text: str) -> list[Line]:
    """Non-blank lines of a file with page numbers, header/footer blocks and notes removed."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[Line] = []
    blanks = 0
    prev_blank = True
    counts: dict[str, int] = {}
    for r in raw:
        t = r.strip()
        if t:
            counts[t] = counts.get(t, 0) + 1
    for i, r in enumerate(raw, start=1):
        t = r.strip()
        if not t:
            blanks += 1
            prev_blank = True
            continue
        lines.append(Line(i, t, r[:1].isspace(), not prev_blank, blanks))
        blanks = 0
        prev_blank = False
    drop: set[int] = set()
    for k, ln in enumerate(lines):
        t = ln.text
        page_no = bool(_PAGE_NO_RE.match(t)) or (
            _BARE_INT_RE.match(t) is not None and ln.blanks_before >= 3 and k > 0
        )
        if page_no:
            drop.add(k)
            # a header/footer block sits between the page break and the page number
            j = k - 1
            block = []
            while j >= 0 and len(block) < 3 and lines[j].blanks_before <= 2:
                if not _ORGLINE_RE.match(lines[j].text):
                    break
                block.append(j)
                j -= 1
            if block and j >= 0 and _ORGLINE_RE.match(lines[j].text) and lines[j].blanks_before >= 3:
                block.append(j)
            if block and (lines[block[-1]].blanks_before >= 3):
                drop.update(block)
        elif counts.get(t, 0) >= 4 and len(t) <= 20 and t.endswith(("文件", "发布")):
            drop.add(k)  # running header repeated on many pages
        elif _NOTE_RE.match(squash(t)):
            drop.add(k)
        elif _CAPTION_RE.match(t) and not t.startswith("附件"):
            drop.add(k)  # caption of a figure whose image is lost
            nxt = lines[k + 1].text if k + 1 < len(lines) else ""
            if t.startswith("图") and 0 < len(nxt) <= 6 and not re.search(r"[。，；：、]", nxt):
                drop.add(k + 1)  # the caption's wrapped second half
    return [ln for k, ln in enumerate(lines) if k not in drop]


def wrap_width(lines: list[Line]) -> int:
    """The typical full-line display width of a run of lines (a high percentile)."""
    ws = sorted(width(ln.text) for ln in lines)
    if not ws:
        return 0
    return ws[min(len(ws) - 1, int(len(ws) * 0.9))]


def paragraph_per_line(lines: list[Line]) -> bool:
    """True when the text has one paragraph per physical line (no fixed wrap width)."""
    ws = sorted(width(ln.text) for ln in lines)
    return bool(ws) and ws[len(ws) * 3 // 4] > 150


def build_paragraphs(lines: list[Line], starts_block, is_heading_line) -> list[Para]:
    """Join wrapped lines into paragraphs.

    `starts_block(text)` says whether a line starts with a heading/list marker;
    `is_heading_line(text)` whether a whole line is a short heading. A paragraph ends after a
    line clearly shorter than the wrap width, after a heading line, or before a marker line
    that follows a sentence end. In paragraph-per-line texts a line break ends a paragraph
    unless the line stops mid-sentence.
    """
    if not lines:
        return []
    per_line = paragraph_per_line(lines)
    widths = [width(squash(ln.text)) for ln in lines]
    local = _local_full(widths)
    paras: list[Para] = []
    cur: list[Line] = []
    for k, ln in enumerate(lines):
        if cur:
            a = cur[-1].text
            b = ln.text
            if per_line:
                brk = is_terminal(a) or is_heading_line(a) or starts_block(b) and (
                    is_terminal(a) or width(a) < 60)
            else:
                full = local[k - 1]
                short = widths[k - 1] < full - max(5, int(full * 0.08))
                # a line without closing punctuation ends a paragraph only when much shorter (a title)
                brk = short and (is_terminal(a) or widths[k - 1] < 0.6 * full) or is_heading_line(a) or (
                    is_terminal(a) and starts_block(b))
            if brk and not per_line and a[-1] in "，,、" and not starts_block(b):
                brk = False  # a line ending in a comma continues its sentence
            if not brk and starts_block(b) and is_heading_line(re.split(r"[。）)〕]", a)[-1]):
                brk = True  # the line ends with a heading glued after a sentence ("…。二、保障措施")
            if not brk and starts_block(b) and starts_block(cur[0].text) and not any(
                    "。" in x.text or "；" in x.text for x in cur):
                brk = True  # a wrapped heading without closing punctuation, then the next marker
            if brk:
                paras.append(_para(cur))
                cur = []
        cur.append(ln)
    if cur:
        paras.append(_para(cur))
    return paras


def _local_full(widths: list[int], radius: int = 15) -> list[int]:
    """For each line, the full-line width around it: 80th percentile of the widths within ±radius lines."""
    out = []
    n = len(widths)
    for i in range(n):
        win = sorted(widths[max(0, i - radius):min(n, i + radius + 1)])
        out.append(win[int(len(win) * 0.8)])
    return out


def _para(lines: list[Line]) -> Para:
    parts = [lines[0].text]
    for ln in lines[1:]:
        prev = parts[-1]
        # keep a space only between two Latin words; CJK lines join directly
        if prev[-1:].isascii() and prev[-1:].isalpha() and ln.text[:1].isascii() and ln.text[:1].isalpha():
            parts.append(" ")
        parts.append(ln.text)
    return Para("".join(parts), lines[0].no, lines[-1].no)
