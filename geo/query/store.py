"""Read layers/atlas.sqlite: documents, clauses, mentions, places and themes, one query at a time.

Where the data comes from: the file geo.layers.atlas writes during `geo build` / `geo add`
(default `settings.LAYERS_DIR / "atlas.sqlite"`). This is the reader the viewer, the CLI and the
exports can use instead of loading layers/index.json whole: every call reads only what it returns.

Opened read-only (`file:…?mode=ro`; not `immutable`, since `geo add` replaces the file). The
layer build replaces layers/ by renaming folders, so an open handle keeps reading the old file
consistently; before each query the store compares the file's identity (inode, size, mtime) with
the one it opened and reopens when the file was replaced, so a long-running app sees new builds.
One connection per store, shared by threads under a lock (Streamlit runs sessions in threads).
Clause dicts have the layers/index.json shape plus `themes`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from geo import settings
from geo.errors import LayersError, UnknownClauseError, UnknownDocumentError, UnknownPlaceError
from geo.layers import ATLAS_FILE
from geo.layers import ATLAS_SCHEMA_VERSION as SCHEMA_VERSION

__all__ = ["AtlasStore", "atlas_path", "open_store"]

_CLAUSE_COLS = "c.rowid, c.id, c.doc_id, c.path, c.label, x.text, c.agencies, c.file, c.line_start, c.line_end"


def atlas_path(layers_dir: Path | str | None = None) -> Path:
    """layers/atlas.sqlite (or the same file under another layers folder)."""
    return Path(layers_dir if layers_dir is not None else settings.LAYERS_DIR) / ATLAS_FILE


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class AtlasStore:
    """Read-only access to one atlas.sqlite (see the module docstring)."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else atlas_path()
        self._lock = threading.RLock()
        self._con: sqlite3.Connection | None = None
        self._ident: tuple[int, int, int, int] | None = None

    # -- connection ------------------------------------------------------------------------------

    def _open(self) -> None:
        ident = _identity(self.path)
        if ident is None:
            raise LayersError(f"{self.path} is missing: layers/ has no search index; run `make build`")
        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            version = con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.Error as exc:
            raise LayersError(f"{self.path} cannot be read ({exc}); run `make build`") from exc
        if version is None or version[0] != str(SCHEMA_VERSION):
            con.close()
            raise LayersError(
                f"{self.path} has schema version {version[0] if version else None!r}, this program reads "
                f"{SCHEMA_VERSION}; run `make build`"
            )
        if self._con is not None:
            self._con.close()
        self._con, self._ident = con, ident

    def _connection(self) -> sqlite3.Connection:
        ident = _identity(self.path)
        if self._con is None or (ident is not None and ident != self._ident):
            self._open()
        assert self._con is not None
        return self._con

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run one read-only query and return all rows (used by geo.query's own modules)."""
        with self._lock:
            try:
                return self._connection().execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise LayersError(f"query on {self.path} failed ({exc}); run `make build`") from exc

    def close(self) -> None:
        """Close the connection (it reopens on the next query)."""
        with self._lock:
            if self._con is not None:
                self._con.close()
            self._con = None

    # -- documents -------------------------------------------------------------------------------

    @staticmethod
    def _doc(row: tuple) -> dict[str, Any]:
        return {
            "id": row[0], "title": row[1], "title_en": row[8], "kind": row[2], "date": row[3], "doc_no": row[4],
            "issuers": json.loads(row[5]), "sources": json.loads(row[6]), "clause_count": row[7],
        }

    _DOC_COLS = "id, title, kind, date, doc_no, issuers, sources, clause_count, title_en"

    def documents(self) -> list[dict[str, Any]]:
        """Every document (index.json shape), in the build's order (by date)."""
        return [self._doc(r) for r in self.rows(f"SELECT {self._DOC_COLS} FROM documents ORDER BY ord")]

    def documents_by_id(self, doc_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """doc id → document, for the ids that exist (one query)."""
        rows = self.rows(
            f"SELECT {self._DOC_COLS} FROM documents WHERE id IN (SELECT value FROM json_each(?)) ORDER BY ord",
            (json.dumps(sorted(doc_ids), ensure_ascii=False),),
        )
        return {r[0]: self._doc(r) for r in rows}

    def document(self, doc_id: str) -> dict[str, Any]:
        """One document; UnknownDocumentError when the id is not in the index."""
        rows = self.rows(f"SELECT {self._DOC_COLS} FROM documents WHERE id = ?", (doc_id,))
        if not rows:
            raise UnknownDocumentError(f"no document {doc_id!r}; `python -m geo docs` lists them")
        return self._doc(rows[0])

    def find_document(self, text: str) -> str:
        """The id of the document named by `text`: its id, the one document of that kind ("纲要" →
        2020-chengyu-gangyao), or the one document whose id or title contains it ("万达开"). UnknownDocumentError when none or several match."""
        text = text.strip()
        if self.rows("SELECT 1 FROM documents WHERE id = ?", (text,)):
            return text
        by_kind = self.rows("SELECT id FROM documents WHERE kind = ?", (text,))
        if len(by_kind) == 1:  # "纲要": the one document of that kind
            return by_kind[0][0]
        found = self.rows(
            "SELECT id FROM documents WHERE instr(id, ?) > 0 OR instr(title, ?) > 0 ORDER BY ord", (text, text)
        )
        if len(found) == 1:
            return found[0][0]
        exact = [r[0] for r in self.rows("SELECT id FROM documents WHERE title = ?", (text,))]
        if len(exact) == 1:
            return exact[0]
        if not found:
            raise UnknownDocumentError(f"no document id or title contains {text!r}; `python -m geo docs` lists them")
        names = ", ".join(r[0] for r in found[:6])
        raise UnknownDocumentError(f"{text!r} names {len(found)} documents ({names} …); give the document id")

    def date_bounds(self) -> dict[str, tuple[str | None, str | None]]:
        """doc id → (earliest, latest) ISO day its date can mean; (None, None) when undated."""
        return {r[0]: (r[1], r[2]) for r in self.rows("SELECT id, date_lo, date_hi FROM documents ORDER BY ord")}

    # -- clauses ---------------------------------------------------------------------------------

    def _clauses(self, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        rows = self.rows(
            f"SELECT {_CLAUSE_COLS} FROM clauses c JOIN clause_text x ON x.rowid = c.rowid WHERE {where} "
            "ORDER BY c.rowid",
            params,
        )
        return self._attach(rows)

    def _attach(self, rows: list[tuple]) -> list[dict[str, Any]]:
        if not rows:
            return []
        ids = json.dumps([r[0] for r in rows])
        mentions: dict[int, list[list]] = {}
        rules: dict[int, list[str]] = {}
        for cl, s, e, pid, rule in self.rows(
            "SELECT clause, start, end, place_id, rule FROM mentions WHERE clause IN (SELECT value FROM json_each(?)) "
            "ORDER BY clause, seq",
            (ids,),
        ):
            mentions.setdefault(cl, []).append([s, e, pid])
            rules.setdefault(cl, []).append(rule)
        themes: dict[int, list[str]] = {}
        for cl, name in self.rows(
            "SELECT ct.clause, ct.theme FROM clause_themes ct JOIN themes t ON t.name = ct.theme "
            "WHERE ct.clause IN (SELECT value FROM json_each(?)) ORDER BY ct.clause, t.ord",
            (ids,),
        ):
            themes.setdefault(cl, []).append(name)
        out = []
        for r in rows:
            clause = {
                "id": r[1], "doc_id": r[2], "path": json.loads(r[3]), "label": r[4], "text": r[5],
                "agencies": json.loads(r[6]), "file": r[7], "lines": [r[8], r[9]],
                "mentions": mentions.get(r[0], []), "themes": themes.get(r[0], []),
            }
            if r[0] in rules:  # as in index.json: only where the clause has mentions
                clause["mention_rules"] = rules[r[0]]
            out.append(clause)
        return out

    def clause(self, clause_id: str) -> dict[str, Any]:
        """One clause with its mentions and themes; UnknownClauseError when unknown."""
        found = self._clauses("c.id = ?", (clause_id,))
        if not found:
            raise UnknownClauseError(f"no clause {clause_id!r}; ids look like 2020-chengyu-gangyao/3.2/p1")
        return found[0]

    def clauses(self, clause_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The clauses with these ids that exist, in index order."""
        return self._clauses("c.id IN (SELECT value FROM json_each(?))", (json.dumps(list(clause_ids)),))

    def clauses_by_rowid(self, rowids: Iterable[int]) -> list[dict[str, Any]]:
        """Clauses by their row number (search results), in index order."""
        return self._clauses("c.rowid IN (SELECT value FROM json_each(?))", (json.dumps(list(rowids)),))

    def iter_clauses(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Every clause in index order, read `batch` at a time (memory stays flat)."""
        last = 0
        while True:
            found = self._batch(last, batch)
            if not found:
                return
            yield from found[0]
            last = found[1]

    def _batch(self, after: int, batch: int) -> tuple[list[dict[str, Any]], int] | None:
        rows = self.rows(
            f"SELECT {_CLAUSE_COLS} FROM clauses c JOIN clause_text x ON x.rowid = c.rowid WHERE c.rowid > ? "
            "ORDER BY c.rowid LIMIT ?",
            (after, batch),
        )
        return (self._attach(rows), rows[-1][0]) if rows else None

    def format_version(self) -> int:
        """The layers/ format version the index was built from (meta `format_version`)."""
        rows = self.rows("SELECT value FROM meta WHERE key = 'format_version'")
        return int(rows[0][0]) if rows and rows[0][0] else 0

    def clauses_of_document(self, doc_id: str) -> list[dict[str, Any]]:
        """Every clause of a document in reading order; UnknownDocumentError when unknown."""
        self.document(doc_id)
        return self._clauses("c.doc_id = ?", (doc_id,))

    def clauses_of_place(self, place_id: str, doc_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Clauses that mention a place (optionally only in these documents), in index order."""
        where = "c.rowid IN (SELECT clause FROM mentions WHERE place_id = ?)"
        params: list[Any] = [place_id]
        if doc_ids is not None:
            where += " AND c.doc_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(doc_ids)))
        return self._clauses(where, params)

    def places_of_clause(self, clause_id: str) -> list[str]:
        """Distinct place ids a clause mentions, in order of first mention."""
        rows = self.rows(
            "SELECT m.place_id FROM mentions m JOIN clauses c ON c.rowid = m.clause WHERE c.id = ? ORDER BY m.seq",
            (clause_id,),
        )
        if not rows and not self.rows("SELECT 1 FROM clauses WHERE id = ?", (clause_id,)):
            raise UnknownClauseError(f"no clause {clause_id!r}")
        return list(dict.fromkeys(r[0] for r in rows))

    def trigrams_starting_with(self, prefix: str) -> list[str]:
        """The full-text index's trigrams that start with `prefix` (1 or 2 characters, folded)."""
        return [
            r[0]
            for r in self.rows(
                "SELECT term FROM clause_vocab WHERE term >= ? AND term < ? ORDER BY term", (prefix, prefix + "\U0010ffff")
            )
        ]

    # -- places and themes -----------------------------------------------------------------------

    _PLACE_COLS = "id, name, kind, layer, aliases, precision"

    def _places(self, where: str, params: Sequence[Any]) -> dict[str, dict[str, Any]]:
        entries = {
            r[0]: {"name": r[1], "kind": r[2], "layer": r[3], "aliases": json.loads(r[4]), "precision": r[5],
                   "mention_count": 0, "doc_ids": [], "clause_ids": []}
            for r in self.rows(f"SELECT {self._PLACE_COLS} FROM places WHERE {where} ORDER BY id", params)
        }
        if not entries:
            return entries
        for pid, n, clause_id, doc_id in self.rows(
            "SELECT m.place_id, COUNT(*), c.id, c.doc_id FROM mentions m JOIN clauses c ON c.rowid = m.clause "
            f"WHERE m.place_id IN (SELECT id FROM places WHERE {where}) GROUP BY m.place_id, m.clause "
            "ORDER BY m.place_id, m.clause",
            params,
        ):
            e = entries[pid]
            e["mention_count"] += n
            e["clause_ids"].append(clause_id)
            if doc_id not in e["doc_ids"]:
                e["doc_ids"].append(doc_id)
        return entries

    def places(self) -> dict[str, dict[str, Any]]:
        """place id → entry (index.json `places` shape: name, kind, layer, aliases, precision,
        mention_count, doc_ids, clause_ids), by id."""
        return self._places("1", ())

    def place(self, place_id: str) -> dict[str, Any]:
        """One place entry (as in `places`); UnknownPlaceError when layers/ has no such place."""
        found = self._places("id = ?", (place_id,))
        if not found:
            raise UnknownPlaceError(f"no place {place_id!r} in layers/")
        return found[place_id]

    def place_summaries(self) -> dict[str, dict[str, Any]]:
        """place id → entry like `places()` but without `clause_ids` (cheap at any corpus size:
        documents from the doc_places table, mention counts from the mentions index); doc ids
        are interned (shared strings)."""
        entries = {
            r[0]: {"name": r[1], "kind": r[2], "layer": r[3], "aliases": json.loads(r[4]), "precision": r[5],
                   "mention_count": 0, "doc_ids": []}
            for r in self.rows(f"SELECT {self._PLACE_COLS} FROM places ORDER BY id")
        }
        for pid, n in self.rows("SELECT place_id, COUNT(*) FROM mentions GROUP BY place_id"):
            if pid in entries:
                entries[pid]["mention_count"] = n
        for pid, doc_id in self.rows(
            "SELECT p.place_id, p.doc_id FROM doc_places p JOIN documents d ON d.id = p.doc_id "
            "WHERE p.theme = '' ORDER BY p.place_id, d.ord"
        ):
            if pid in entries:
                entries[pid]["doc_ids"].append(sys.intern(doc_id))
        return entries

    def clause_ids_of_place(self, place_id: str) -> list[str]:
        """Ids of the clauses that mention a place, in index order."""
        return [
            r[0]
            for r in self.rows(
                "SELECT c.id FROM clauses c WHERE c.rowid IN (SELECT clause FROM mentions WHERE place_id = ?) "
                "ORDER BY c.rowid",
                (place_id,),
            )
        ]

    def place_names(self) -> dict[str, str]:
        """place id → name (cheap: no mention counts)."""
        return {r[0]: r[1] for r in self.rows("SELECT id, name FROM places ORDER BY id")}

    def themes(self) -> list[str]:
        """Theme names in the keyword table's order."""
        return [r[0] for r in self.rows("SELECT name FROM themes ORDER BY ord")]

    def theme_counts(self) -> dict[str, int]:
        """theme → number of clauses that have it (table order)."""
        rows = self.rows(
            "SELECT t.name, COUNT(ct.clause) FROM themes t LEFT JOIN clause_themes ct ON ct.theme = t.name "
            "GROUP BY t.name ORDER BY t.ord"
        )
        return {r[0]: r[1] for r in rows}

    def counts(self) -> dict[str, int]:
        """Rows per table: documents, clauses, mentions, places, themes."""
        return {
            t: self.rows(f"SELECT COUNT(*) FROM {t}")[0][0]
            for t in ("documents", "clauses", "mentions", "places", "themes")
        }


def open_store(layers_dir: Path | str | None = None) -> AtlasStore:
    """An AtlasStore over layers/atlas.sqlite (checked now: LayersError when missing or stale)."""
    store = AtlasStore(atlas_path(layers_dir))
    store.rows("SELECT 1")
    return store
