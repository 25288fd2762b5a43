"""CSV of mentions: one row per place mention (clause_id, doc_id, place_id, name, name_en, kind, layer,
surface, start, end, confidence, rule, excerpt), UTF-8 with a byte-order mark so spreadsheet programs read Chinese.

Where the data comes from: the mention rows of a `Selection` (layers/index.json clauses).
"""

from __future__ import annotations

import csv
import io

from geo.export.registry import Format, register
from geo.export.select import CSV_COLUMNS, Selection


def write_csv(sel: Selection) -> bytes:
    """The mention rows as CSV (CRLF line ends, BOM)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(CSV_COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(sel.mentions)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


CSV = register(Format(
    "csv", ".csv", "text/csv", "format:csv", write_csv, scope_key="download_scope_mentions",
    description="one row per mention (clause, document, place, excerpt)", text=True))
