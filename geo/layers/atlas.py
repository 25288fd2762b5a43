"""Write layers/atlas.sqlite: the embedded index of the plans (documents, clauses, mentions,
places, themes) with an FTS5 trigram index over the clause texts.

Clause texts sit in their own table (`clause_text`, the FTS5 content table) so that queries over
clause rows (document, heading) read small pages; `clause_places` holds the distinct places of
each clause by place number, for counting search results per place. A place's mention count,
documents and clauses are not stored: they are the mentions table's
(index.json's `mention_count`, `doc_ids`, `clause_ids` are exactly that, in index order), so the
file grows with the mentions only.

Where the data comes from: the index the layer build assembles (the layers/index.json shape:
documents, clauses with mentions, places) and the theme keyword table data/themes.csv
(geo.layers.themes). `geo.layers.build_layers` calls `write_atlas` inside its temporary folder,
before the swap, so the file is replaced atomically with the rest of layers/.

Deterministic: fixed insertion order, no timestamps, FTS5 `rebuild` + `optimize`, then VACUUM;
two builds with the same SQLite library give byte-identical files (the SQLite version is recorded
in the `meta` table and the manifest, since another library version may lay pages out differently).
Readers open it read-only (geo.query.store, stage query).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geo.errors import LayersError
from geo.layers.themes import ThemeTable, load_themes

__all__ = ["ATLAS_FILE", "SCHEMA_VERSION", "date_bounds", "write_atlas"]

ATLAS_FILE: str = "atlas.sqlite"
SCHEMA_VERSION: int = 5  # 4: mentions.rule; 5: documents.title_en
FTS_MIN_SQLITE: tuple[int, int, int] = (3, 34, 0)  # the trigram tokenizer

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE documents(
  id TEXT PRIMARY KEY, ord INTEGER NOT NULL, title TEXT NOT NULL, kind TEXT NOT NULL,
  date TEXT NOT NULL, date_lo TEXT, date_hi TEXT, doc_no TEXT NOT NULL,
  issuers TEXT NOT NULL, sources TEXT NOT NULL, clause_count INTEGER NOT NULL,
  title_en TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE clauses(
  rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL, heading TEXT NOT NULL,
  path TEXT NOT NULL, label TEXT NOT NULL, agencies TEXT NOT NULL,
  file TEXT NOT NULL, line_start INTEGER, line_end INTEGER);
CREATE INDEX clauses_doc ON clauses(doc_id, rowid);
CREATE TABLE clause_text(rowid INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE places(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, layer TEXT NOT NULL,
  aliases TEXT NOT NULL, precision TEXT NOT NULL, no INTEGER NOT NULL UNIQUE) WITHOUT ROWID;
CREATE TABLE mentions(
  clause INTEGER NOT NULL, seq INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
  place_id TEXT NOT NULL, rule TEXT NOT NULL, PRIMARY KEY(clause, seq)) WITHOUT ROWID;
CREATE INDEX mentions_place ON mentions(place_id, clause);
CREATE TABLE clause_places(clause INTEGER NOT NULL, place INTEGER NOT NULL, PRIMARY KEY(clause, place))
  WITHOUT ROWID;
CREATE TABLE themes(
  name TEXT PRIMARY KEY, ord INTEGER NOT NULL, heading_keywords TEXT NOT NULL,
  text_keywords TEXT NOT NULL, strong_keywords TEXT NOT NULL, kind TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE clause_themes(clause INTEGER NOT NULL, theme TEXT NOT NULL, PRIMARY KEY(theme, clause))
  WITHOUT ROWID;
CREATE INDEX clause_themes_clause ON clause_themes(clause);
CREATE TABLE doc_places(
  doc_id TEXT NOT NULL, place_id TEXT NOT NULL, theme TEXT NOT NULL, clauses INTEGER NOT NULL,
  PRIMARY KEY(theme, doc_id, place_id)) WITHOUT ROWID;
CREATE VIRTUAL TABLE clause_fts USING fts5(text, content='clause_text', content_rowid='rowid',
  tokenize='trigram');
CREATE VIRTUAL TABLE clause_vocab USING fts5vocab(clause_fts, 'row');
CREATE INDEX clause_text_tail2 ON clause_text(lower(substr(text, -2)));
CREATE INDEX clause_text_tail1 ON clause_text(lower(substr(text, -1)));
"""

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_MONTH_END = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def date_bounds(date: str) -> tuple[str | None, str | None]:
    """Earliest and latest ISO day a document date can mean: "2023-03-11" → both that day,
    "2023" → ("2023-01-01", "2023-12-31"), "2022-02" → the month; "" or unparsable → (None, None).
    (The latest day of February is taken as the 29th: only the order of dates matters.)"""
    m = _DATE.match((date or "").strip())
    if not m:
        return None, None
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if d:
        return f"{y}-{mo}-{d}", f"{y}-{mo}-{d}"
    if mo:
        return f"{y}-{mo}-01", f"{y}-{mo}-{_MONTH_END[int(mo)]:02d}"
    return f"{y}-01-01", f"{y}-12-31"


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def check_sqlite() -> None:
    """Raise LayersError when this Python's SQLite lacks FTS5 or the trigram tokenizer."""
    if tuple(int(x) for x in sqlite3.sqlite_version.split(".")[:3]) < FTS_MIN_SQLITE:
        raise LayersError(
            f"SQLite {sqlite3.sqlite_version} has no FTS5 trigram tokenizer (needs 3.34 or later); "
            "use a Python built with a newer SQLite"
        )


def write_atlas(path: Path | str, index: Mapping[str, Any], themes: ThemeTable | None = None) -> dict:
    """Write the embedded index to `path` (must not exist) from an index in the layers/index.json
    shape; returns its manifest entry (file, bytes, sha256, counts, sqlite version)."""
    check_sqlite()
    path = Path(path)
    if path.exists():
        raise LayersError(f"{path} already exists; write_atlas writes a new file only")
    table = themes if themes is not None else load_themes()
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA page_size=4096")
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA cache_size=-65536")  # 64 MB while building (the FTS rebuild)
        con.executescript(SCHEMA)
        con.execute("BEGIN")
        counts = _fill(con, index, table)
        con.execute("INSERT INTO clause_fts(clause_fts) VALUES('rebuild')")
        con.execute("INSERT INTO clause_fts(clause_fts) VALUES('optimize')")
        con.execute("COMMIT")
        con.execute("VACUUM")
    except sqlite3.Error as exc:
        raise LayersError(f"writing {path} failed ({exc})") from exc
    finally:
        con.close()
    data = path.read_bytes()
    return {
        "file": path.name,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        **counts,
        "fts": "fts5 trigram",
        "sqlite": sqlite3.sqlite_version,
    }


def _fill(con: sqlite3.Connection, index: Mapping[str, Any], table: ThemeTable) -> dict[str, int]:
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "format_version": str(index.get("format_version", "")),
        "sqlite": sqlite3.sqlite_version,
    }
    con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    docs = list(index.get("documents", []))
    for ord_, d in enumerate(docs):
        lo, hi = date_bounds(d.get("date", ""))
        con.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                d["id"], ord_, d.get("title", ""), d.get("kind", ""), d.get("date", ""), lo, hi,
                d.get("doc_no", ""), _j(d.get("issuers", [])), _j(d.get("sources", [])),
                int(d.get("clause_count", 0)), d.get("title_en", ""),
            ),
        )
    for ord_, t in enumerate(table.themes):
        con.execute(
            "INSERT INTO themes VALUES (?,?,?,?,?,?)",
            (
                t.name, ord_, "、".join(t.heading_keywords), "、".join(t.text_keywords),
                "、".join(t.strong_keywords), "frame" if t.frame else "topic",
            ),
        )
    n_mentions = n_themes = 0
    for rowid, c in enumerate(index.get("clauses", []), start=1):
        lines = c.get("lines") or [None, None]
        path = list(c.get("path") or [])
        con.execute(
            "INSERT INTO clauses VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                rowid, c["id"], c["doc_id"], " > ".join(path), _j(path), c.get("label", ""),
                _j(c.get("agencies", [])), c.get("file", ""), lines[0], lines[1],
            ),
        )
        con.execute("INSERT INTO clause_text VALUES (?, ?)", (rowid, c["text"]))
        found = c.get("mentions", [])
        rules = c.get("mention_rules") or ["exact name"] * len(found)
        rows = [(rowid, seq, s, e, pid, rule) for seq, ((s, e, pid), rule) in enumerate(zip(found, rules, strict=True))]
        con.executemany("INSERT INTO mentions VALUES (?,?,?,?,?,?)", rows)
        n_mentions += len(rows)
        names = table.assign(path, c["text"])
        con.executemany("INSERT INTO clause_themes VALUES (?,?)", [(rowid, n) for n in names])
        n_themes += len(names)
    # places per document (theme "" = any clause; else clauses with that theme): timeline, compare
    con.execute(
        "INSERT INTO doc_places SELECT c.doc_id, m.place_id, '', COUNT(DISTINCT c.rowid) FROM mentions m "
        "JOIN clauses c ON c.rowid = m.clause GROUP BY c.doc_id, m.place_id ORDER BY c.doc_id, m.place_id"
    )
    con.execute(
        "INSERT INTO doc_places SELECT c.doc_id, m.place_id, t.theme, COUNT(DISTINCT c.rowid) FROM mentions m "
        "JOIN clauses c ON c.rowid = m.clause JOIN clause_themes t ON t.clause = c.rowid "
        "GROUP BY t.theme, c.doc_id, m.place_id ORDER BY t.theme, c.doc_id, m.place_id"
    )
    for no, (pid, p) in enumerate(index.get("places", {}).items(), start=1):
        con.execute(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?)",
            (pid, p.get("name", ""), p.get("kind", ""), p.get("layer", ""), _j(p.get("aliases", [])),
             p.get("precision", ""), no),
        )
    # distinct places of each clause, by place number: per-place counts of search results
    con.execute(
        "INSERT INTO clause_places SELECT DISTINCT m.clause, p.no FROM mentions m JOIN places p ON p.id = m.place_id "
        "ORDER BY m.clause, p.no"
    )
    return {
        "documents": len(docs),
        "clauses": len(index.get("clauses", [])),
        "mentions": n_mentions,
        "places": len(index.get("places", {})),
        "themes": len(table.themes),
        "clause_themes": n_themes,
    }
