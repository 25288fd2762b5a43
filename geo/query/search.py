"""Full-text clause search: substrings and phrases, AND/OR, exclusion, filters; hit spans and
per-place counts of matching clauses.

Where the data comes from: layers/atlas.sqlite through geo.query.store (the `clauses` table, its
FTS5 trigram index `clause_fts`, `mentions`, `documents`, `clause_themes`).

Query language (`parse_query`):
- words separated by spaces must all occur (AND): `氢能 成都`;
- `OR` (or `|`) between two words: either may occur: `氢能 OR 天然气`;
- `-word` excludes clauses containing it: `氢能 -重庆`;
- `"…"` (or “…”) is one literal phrase, spaces and operators included: `"一带一路 科技"`;
- every word or phrase matches as a substring of the clause text (Chinese needs no tokenizer);
  ASCII letters ignore case.
Words of 3 or more characters are phrase queries on the trigram index. The trigram tokenizer
cannot match 1–2 character strings (氢能, 港) by itself; instead of scanning every text with
`instr` (1 s at 100× the corpus), such a word is looked up in the index's vocabulary (the
trigrams that start with it, matched with OR) plus an index on each text's last two characters,
which together find every occurrence exactly (`_short_term`).
Filters: documents, document kinds, date range (a document is in [since, until] when every day
its date can mean is: "2023" counts as 2023-01-01…2023-12-31; undated documents are left out as
soon as a date bound is given), themes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date as _date
from typing import Any

from geo.errors import QueryError
from geo.query.store import AtlasStore

__all__ = ["Filters", "Hit", "Query", "SearchResult", "iso_day", "parse_query", "search", "term_spans"]

FTS_MIN_CHARS: int = 3
_TOKEN = re.compile(r'-?"[^"]*"?|-?“[^”]*”?|\S+')


@dataclass(frozen=True)
class Query:
    """A parsed query: AND of groups, each group an OR of terms; minus the excluded terms."""

    groups: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    @property
    def terms(self) -> list[str]:
        """Every positive term, in query order (for highlighting)."""
        return [t for g in self.groups for t in g]

    def describe(self) -> str:
        """The query in a normal form: (a OR b) AND c NOT d."""
        parts = [" OR ".join(f'"{t}"' for t in g) for g in self.groups]
        parts = [f"({p})" if len(g) > 1 and len(self.groups) > 1 else p for p, g in zip(parts, self.groups, strict=True)]
        return " AND ".join(parts) + "".join(f' NOT "{t}"' for t in self.excluded)


def _unquote(tok: str) -> tuple[str, bool]:
    for a, b in (('"', '"'), ("“", "”")):
        if tok.startswith(a):
            return tok[1:].removesuffix(b), True
    return tok, False


def parse_query(text: str) -> Query:
    """Parse the query language of the module docstring. Empty text gives an empty Query."""
    groups: list[list[str]] = []
    excluded: list[str] = []
    pending_or = False
    for tok in _TOKEN.findall(text or ""):
        negative = tok.startswith("-") and len(tok) > 1
        body, quoted = _unquote(tok[1:] if negative else tok)
        if not quoted and body in ("OR", "|") and not negative:
            pending_or = bool(groups)
            continue
        if not body:
            continue
        if negative:
            excluded.append(body)
        elif pending_or:
            groups[-1].append(body)
        else:
            groups.append([body])
        pending_or = False
    return Query(tuple(tuple(dict.fromkeys(g)) for g in groups), tuple(dict.fromkeys(excluded)))


@dataclass(frozen=True)
class Filters:
    """Restrictions on the clauses searched (all optional; empty tuples mean no restriction)."""

    docs: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    themes: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.docs or self.kinds or self.since or self.until or self.themes)


def iso_day(value: str | None, name: str, end: bool) -> str | None:
    """'2023' → 2023-01-01 (or -12-31 for an upper bound); '2023-03' and '2023-03-11' likewise."""
    if not value:
        return None
    v = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", v)
    if not m:
        raise QueryError(f"{name} {value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d:
            return _date(y, int(mo), int(d)).isoformat()
        if mo:
            first = _date(y, int(mo), 1)
            if not end:
                return first.isoformat()
            nxt = _date(y + (first.month == 12), first.month % 12 + 1, 1)
            return _date.fromordinal(nxt.toordinal() - 1).isoformat()
    except ValueError as exc:
        raise QueryError(f"{name} {value!r} is not a valid date ({exc})") from exc
    return f"{y:04d}-12-31" if end else f"{y:04d}-01-01"


def _fold(s: str) -> str:
    """Lower-case ASCII letters only (what SQLite's lower() does)."""
    return s.translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def term_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """[start, end) of every occurrence of any term in `text` (ASCII case ignored), overlaps merged."""
    folded = _fold(text)
    spans: list[tuple[int, int]] = []
    for t in {_fold(t) for t in terms if t}:
        i = folded.find(t)
        while i >= 0:
            spans.append((i, i + len(t)))
            i = folded.find(t, i + 1)
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _short_term(store: AtlasStore, term: str) -> tuple[str, list[Any]]:
    """SQL condition and parameters for a 1–2 character term, exactly, without scanning texts.

    Every occurrence of the term either starts a trigram of the text (so the text matches one of
    the index's trigrams that start with the term: looked up in the FTS vocabulary, then matched
    with OR) or lies in the text's last two characters (indexed expressions `clause_text_tail2/1`)."""
    t = _fold(term).lower()
    grams = store.trigrams_starting_with(t)
    parts, params = [], []
    if grams:
        parts.append("SELECT rowid FROM clause_fts WHERE clause_fts MATCH ?")
        params.append(" OR ".join(_fts_string(g) for g in grams))
    if len(t) == 2:
        parts.append("SELECT rowid FROM clause_text WHERE lower(substr(text, -2)) = ?")
        params.append(t)
    else:
        parts.append(
            "SELECT rowid FROM clause_text WHERE lower(substr(text, -2)) >= ? AND lower(substr(text, -2)) < ?"
        )
        parts.append("SELECT rowid FROM clause_text WHERE lower(substr(text, -1)) = ?")
        params += [t, t + "\U0010ffff", t]
    return "c.rowid IN (" + " UNION ".join(parts) + ")", params


def _compile(store: AtlasStore, query: Query, filters: Filters) -> tuple[str, list[Any], str]:
    """SQL selecting (rowid, doc_id) of the matching clauses in index order, its parameters, and
    the method: "fts5" (a 3+ character word drives the query), "fts5-short" (only 1–2 character
    words), "filters" (no word)."""
    where: list[str] = []
    params: list[Any] = []
    fts_groups = [g for g in query.groups if all(len(t) >= FTS_MIN_CHARS for t in g)]
    if fts_groups:
        expr = " AND ".join("(" + " OR ".join(_fts_string(t) for t in g) + ")" for g in fts_groups)
        long_ex = [t for t in query.excluded if len(t) >= FTS_MIN_CHARS]
        expr += "".join(f" NOT {_fts_string(t)}" for t in long_ex)
        where.append("c.rowid IN (SELECT rowid FROM clause_fts WHERE clause_fts MATCH ?)")
        params.append(expr)
    else:
        long_ex = []
    for g in query.groups:
        if g in fts_groups:
            continue
        ors = []
        for t in g:
            if len(t) >= FTS_MIN_CHARS:
                ors.append("c.rowid IN (SELECT rowid FROM clause_fts WHERE clause_fts MATCH ?)")
                params.append(_fts_string(t))
            else:
                sql, p = _short_term(store, t)
                ors.append(sql)
                params += p
        where.append("(" + " OR ".join(ors) + ")")
    for t in query.excluded:
        if t in long_ex:
            continue
        if len(t) >= FTS_MIN_CHARS:
            where.append("c.rowid NOT IN (SELECT rowid FROM clause_fts WHERE clause_fts MATCH ?)")
            params.append(_fts_string(t))
        else:
            sql, p = _short_term(store, t)
            where.append(f"NOT {sql}")
            params += p
    if filters.docs:
        where.append("c.doc_id IN (" + ",".join("?" * len(filters.docs)) + ")")
        params += list(filters.docs)
    if filters.kinds:
        where.append("d.kind IN (" + ",".join("?" * len(filters.kinds)) + ")")
        params += list(filters.kinds)
    since = iso_day(filters.since, "since", end=False)
    until = iso_day(filters.until, "until", end=True)
    if since:
        where.append("d.date_lo >= ?")
        params.append(since)
    if until:
        where.append("d.date_hi <= ?")
        params.append(until)
    if filters.themes:
        themes = store.themes()
        unknown = [t for t in filters.themes if t not in themes]
        if unknown:
            raise QueryError(f"unknown theme {unknown[0]!r}; themes are: {'、'.join(themes)}")
        where.append(
            "c.rowid IN (SELECT clause FROM clause_themes WHERE theme IN ("
            + ",".join("?" * len(filters.themes)) + "))"
        )
        params += list(filters.themes)
    join = " JOIN documents d ON d.id = c.doc_id" if (filters.kinds or since or until) else ""
    sql = (
        "SELECT c.rowid, c.doc_id FROM clauses c" + join
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY c.rowid"
    )
    return sql, params, "fts5" if fts_groups else "fts5-short" if query.groups else "filters"


@dataclass(frozen=True)
class Hit:
    """One matching clause (index.json shape plus `themes`), the [start, end) spans of the query's
    terms in its text, and its document's title, kind and date."""

    clause: dict[str, Any]
    spans: list[tuple[int, int]]
    document: dict[str, Any]


@dataclass
class SearchResult:
    """Everything one search returns.

    total: number of matching clauses; hits: the first `limit` of them in index order (documents
    by date, clauses in reading order); place_counts: place id → matching clauses that mention it
    (over all matches, for sizing places on the map); doc_counts: doc id → matching clauses.
    """

    query: str
    parsed: Query
    filters: Filters
    total: int
    hits: list[Hit] = field(default_factory=list)
    place_counts: dict[str, int] = field(default_factory=dict)
    doc_counts: dict[str, int] = field(default_factory=dict)
    method: str = "fts5"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's --json output)."""
        return {
            "query": self.query,
            "parsed": self.parsed.describe(),
            "filters": {k: v for k, v in vars(self.filters).items() if v},
            "method": self.method,
            "total": self.total,
            "documents": self.doc_counts,
            "places": self.place_counts,
            "hits": [
                {
                    "id": h.clause["id"], "doc_id": h.clause["doc_id"], "doc_title": h.document.get("title", ""),
                    "date": h.document.get("date", ""), "path": h.clause["path"], "text": h.clause["text"],
                    "spans": [list(s) for s in h.spans], "themes": h.clause["themes"],
                    "places": list(dict.fromkeys(m[2] for m in h.clause["mentions"])),
                }
                for h in self.hits
            ],
        }


def search(
    store: AtlasStore, query: str | Query, filters: Filters | None = None, *, limit: int | None = 200
) -> SearchResult:
    """Run a query (text or parsed) with filters. QueryError when the query has nothing to find
    (no positive term and no filter), or a filter is malformed."""
    parsed = parse_query(query) if isinstance(query, str) else query
    filters = filters or Filters()
    if not parsed.groups and (parsed.excluded or filters.is_empty()):
        raise QueryError(
            "the query has no word to look for: give at least one word or phrase "
            "(exclusions with -word need a word to exclude from), or a filter"
        )
    sql, params, method = _compile(store, parsed, filters)
    rows = store.rows(sql, params)
    doc_counts: dict[str, int] = {}
    for _, doc_id in rows:
        doc_counts[doc_id] = doc_counts.get(doc_id, 0) + 1
    place_counts = {
        pid: n
        for pid, n in store.rows(
            "SELECT p.id, n FROM (SELECT place, COUNT(*) AS n FROM clause_places WHERE clause IN "
            "(SELECT value FROM json_each(?)) GROUP BY place) JOIN places p ON p.no = place ORDER BY n DESC, p.id",
            (json.dumps([r[0] for r in rows]),),
        )
    } if rows else {}
    shown = rows if limit is None else rows[:limit]
    clauses = store.clauses_by_rowid(r[0] for r in shown)
    docs = store.documents_by_id({c["doc_id"] for c in clauses})
    hits = [Hit(c, term_spans(c["text"], parsed.terms), docs.get(c["doc_id"], {})) for c in clauses]
    return SearchResult(
        query if isinstance(query, str) else parsed.describe(), parsed, filters, len(rows), hits,
        place_counts, doc_counts, method,
    )
