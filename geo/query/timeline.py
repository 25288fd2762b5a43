"""Timeline: which places the plans name up to a date, and which are new in a period.

Where the data comes from: layers/atlas.sqlite through geo.query.store (documents with the day
range their date can mean, mentions, clause themes).

A document counts as dated on or before D when the latest day its date can mean is ≤ D
("2023" counts from 2023-12-31, "2023-03" from 2023-03-31); undated documents are on no
timeline. A place is "new in (start, end]" when a document dated in that period names it and no
document dated on or before `start` does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from geo.query.search import iso_day
from geo.query.store import AtlasStore

__all__ = ["Period", "dated_documents", "new_in_period", "places_up_to", "timeline_dates"]


def _theme_clause(themes: tuple[str, ...]) -> tuple[str, list[Any]]:
    if not themes:
        return "", []
    return (
        " AND m.clause IN (SELECT clause FROM clause_themes WHERE theme IN (SELECT value FROM json_each(?)))",
        [json.dumps(list(themes), ensure_ascii=False)],
    )


def dated_documents(store: AtlasStore) -> list[tuple[str, str]]:
    """(doc id, latest day its date can mean) of every dated document, by that day then build order."""
    return [
        (r[0], r[1])
        for r in store.rows("SELECT id, date_hi FROM documents WHERE date_hi IS NOT NULL ORDER BY date_hi, ord")
    ]


def timeline_dates(store: AtlasStore) -> list[str]:
    """The distinct days on which the set of dated documents grows (slider stops)."""
    return list(dict.fromkeys(d for _, d in dated_documents(store)))


def places_up_to(store: AtlasStore, day: str, themes: tuple[str, ...] = ()) -> dict[str, int]:
    """place id → clauses naming it in documents dated on or before `day` (optionally only
    clauses with one of `themes`)."""
    until = iso_day(day, "date", end=True)
    extra, params = _theme_clause(themes)
    rows = store.rows(
        "SELECT m.place_id, COUNT(DISTINCT m.clause) FROM mentions m JOIN clauses c ON c.rowid = m.clause "
        "JOIN documents d ON d.id = c.doc_id WHERE d.date_hi IS NOT NULL AND d.date_hi <= ?"
        + extra + " GROUP BY m.place_id ORDER BY m.place_id",
        [until, *params],
    )
    return {r[0]: r[1] for r in rows}


def first_named(store: AtlasStore, themes: tuple[str, ...] = ()) -> dict[str, tuple[str, str]]:
    """place id → (day, doc id) of the earliest dated document naming it."""
    extra, params = _theme_clause(themes)
    rows = store.rows(
        "SELECT m.place_id, d.date_hi, d.id FROM mentions m JOIN clauses c ON c.rowid = m.clause "
        "JOIN documents d ON d.id = c.doc_id WHERE d.date_hi IS NOT NULL" + extra
        + " ORDER BY m.place_id, d.date_hi, d.ord",
        params,
    )
    out: dict[str, tuple[str, str]] = {}
    for pid, day, doc in rows:
        out.setdefault(pid, (day, doc))
    return out


@dataclass(frozen=True)
class Period:
    """Places named up to `end`, split into those already named by `start` and those new since."""

    start: str
    end: str
    before: dict[str, int]  # named on or before start: place id → clauses up to end
    new: dict[str, int]  # first named in (start, end]: place id → clauses up to end
    first: dict[str, tuple[str, str]]  # new place id → (day, doc id) of its first naming


def new_in_period(store: AtlasStore, start: str, end: str, themes: tuple[str, ...] = ()) -> Period:
    """The places of documents dated on or before `end`, with those new in (start, end] apart."""
    s = iso_day(start, "start", end=True)
    e = iso_day(end, "end", end=True)
    assert s is not None and e is not None
    upto = places_up_to(store, e, themes)
    earlier = places_up_to(store, s, themes) if s < e else upto
    firsts = first_named(store, themes)
    new = {p: n for p, n in upto.items() if p not in earlier}
    return Period(
        s, e, {p: n for p, n in upto.items() if p in earlier}, new, {p: firsts[p] for p in new}
    )
