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


def _themes_sql(themes: tuple[str, ...]) -> tuple[str, list[Any]]:
    """doc_places rows of any clause (theme "") or of clauses with one of `themes`."""
    if not themes:
        return "p.theme = ''", []
    return "p.theme IN (SELECT value FROM json_each(?))", [json.dumps(list(themes), ensure_ascii=False)]


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
    clauses with one of `themes`; a clause with two of them counts once per theme)."""
    until = iso_day(day, "date", end=True)
    where, params = _themes_sql(themes)
    rows = store.rows(
        "SELECT p.place_id, SUM(p.clauses) FROM doc_places p JOIN documents d ON d.id = p.doc_id "
        f"WHERE {where} AND d.date_hi IS NOT NULL AND d.date_hi <= ? GROUP BY p.place_id ORDER BY p.place_id",
        [*params, until],
    )
    return {r[0]: r[1] for r in rows}


def first_named(store: AtlasStore, themes: tuple[str, ...] = ()) -> dict[str, tuple[str, str]]:
    """place id → (day, doc id) of the earliest dated document naming it."""
    where, params = _themes_sql(themes)
    rows = store.rows(
        "SELECT p.place_id, MIN(d.date_hi || ' ' || printf('%08d', d.ord) || ' ' || d.id) "
        f"FROM doc_places p JOIN documents d ON d.id = p.doc_id WHERE {where} AND d.date_hi IS NOT NULL "
        "GROUP BY p.place_id ORDER BY p.place_id",
        params,
    )
    out: dict[str, tuple[str, str]] = {}
    for pid, key in rows:
        day, _, doc = key.split(" ", 2)
        out[pid] = (day, doc)
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
    """The places of documents dated on or before `end`, with those new in (start, end] apart
    (one pass over doc_places: each place's clause count up to `end` and its first naming)."""
    s = iso_day(start, "start", end=True)
    e = iso_day(end, "end", end=True)
    assert s is not None and e is not None
    where, params = _themes_sql(themes)
    rows = store.rows(
        "SELECT p.place_id, SUM(p.clauses), MIN(d.date_hi || ' ' || printf('%08d', d.ord) || ' ' || d.id) "
        f"FROM doc_places p JOIN documents d ON d.id = p.doc_id WHERE {where} AND d.date_hi IS NOT NULL "
        "AND d.date_hi <= ? GROUP BY p.place_id ORDER BY p.place_id",
        [*params, e],
    )
    before: dict[str, int] = {}
    new: dict[str, int] = {}
    first: dict[str, tuple[str, str]] = {}
    for pid, n, key in rows:
        day, _, doc = key.split(" ", 2)
        if day <= s:
            before[pid] = n
        else:
            new[pid] = n
            first[pid] = (day, doc)
    return Period(s, e, before, new, first)
