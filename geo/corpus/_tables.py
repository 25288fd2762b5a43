"""Tables of PDF extractions turned into one clause per row.

A table starts at a header row beginning with 序号 (also "序" / "号" split over two lines) and,
in the seed corpus, runs to the end of its document (the lists of P30, the P31 annex, the P34
project table, see /work/shared/corpus-notes/structure.md §B.6). The header lines are remembered
so their repetitions at page tops are dropped; a row starts at a bare row number (or "N 文本")
equal to the previous row number + 1; a short title line (…清单/…表/…项目) followed by a new
header starts the next table. Cells are re-joined without separators (the extraction breaks cells
mid-word, e.g. "长江干线朝天/门至涪陵段航/道整治工程"), so a row reads as one text stream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo.corpus._normalize import Line, normalize, squash

_ROW_RE = re.compile(r"^(\d{1,3})(?:\s+(\S.*))?$")
_TITLE_RE = re.compile(r"(清单|表|项目|名单|目录)(（[^（）]{1,12}）)?$")


@dataclass
class Row:
    """One table row: its number, the text after the number on the number line, cell lines."""

    number: int
    first: int  # line number of the row-number line
    first_text: str = ""
    lines: list[Line] = field(default_factory=list)

    @property
    def last(self) -> int:
        return self.lines[-1].no if self.lines else self.first

    @property
    def text(self) -> str:
        parts = ([self.first_text] if self.first_text else []) + [ln.text for ln in self.lines]
        return normalize("".join(parts))


@dataclass
class Table:
    """A table title and its rows."""

    title: str
    rows: list[Row] = field(default_factory=list)


def _is_header_start(lines: list[Line], j: int) -> bool:
    t = squash(lines[j].text)
    return t.startswith("序号") or (t == "序" and j + 1 < len(lines) and squash(lines[j + 1].text).startswith("号"))


def parse_tables(lines: list[Line]) -> list[Table]:
    """Tables found in a run of lines (the first line is the table title or its header)."""
    tables: list[Table] = []
    header: set[str] = set()
    title_lines: list[Line] = []
    cur: Table | None = None
    row: Row | None = None
    after_header = False
    j = 0
    while j < len(lines):
        ln = lines[j]
        t = squash(ln.text)
        if t in header:  # the header repeated at a page top
            after_header = True
            j += 1
            continue
        if _is_header_start(lines, j):
            # a new table: its title is the pending title lines (or the tail of the last row)
            if row is not None and not title_lines:
                while row.lines and _TITLE_RE.search(squash(row.lines[-1].text)) and len(row.lines) > 1:
                    title_lines.insert(0, row.lines.pop())
            title = normalize("".join(x.text for x in title_lines))
            cur = Table(title or (tables[-1].title if tables else "表"))
            tables.append(cur)
            row = None
            title_lines = []
            header = set()
            while j < len(lines) and not _ROW_RE.match(lines[j].text.strip()):
                header.add(squash(lines[j].text))
                j += 1
            continue
        m = _ROW_RE.match(ln.text.strip())
        if m and int(m.group(1)) == 1 and row is not None and row.number > 1 and (after_header or not m.group(2)):
            # numbering restarts: a new table with the same header; its title ends the last row
            moved: list[Line] = []
            while row.lines and _TITLE_RE.search(squash(row.lines[-1].text)) and len(row.lines) > 1:
                moved.insert(0, row.lines.pop())
            cur = Table(normalize("".join(x.text for x in moved)) or cur.title if cur else "表")
            tables.append(cur)
            row = None
        after_header = False
        expected = (row.number + 1) if row is not None else 1
        if cur is not None and m and int(m.group(1)) == expected:
            row = Row(expected, ln.no, first_text=m.group(2) or "")
            cur.rows.append(row)
        elif row is not None:
            row.lines.append(ln)
        else:
            title_lines.append(ln)
        j += 1
    return tables
