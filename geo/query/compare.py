"""Compare two documents: the places both name, only the first, only the second, and the
clauses of each about a chosen place, side by side.

Where the data comes from: layers/atlas.sqlite through geo.query.store (mentions joined with
clauses; a place "named by a document" is one mentioned in any of its clauses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geo.query.store import AtlasStore

__all__ = ["Comparison", "compare", "side_by_side"]


@dataclass(frozen=True)
class Comparison:
    """Places of documents `a` and `b` (ids sorted), with clauses per place in each document."""

    a: str
    b: str
    both: list[str]
    only_a: list[str]
    only_b: list[str]
    counts_a: dict[str, int]  # place id → clauses of a naming it
    counts_b: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a, "b": self.b, "both": self.both, "only_a": self.only_a, "only_b": self.only_b,
            "counts_a": self.counts_a, "counts_b": self.counts_b,
        }


def _counts(store: AtlasStore, doc_id: str) -> dict[str, int]:
    rows = store.rows(
        "SELECT place_id, clauses FROM doc_places WHERE theme = '' AND doc_id = ? ORDER BY place_id", (doc_id,)
    )
    return {r[0]: r[1] for r in rows}


def compare(store: AtlasStore, doc_a: str, doc_b: str) -> Comparison:
    """Places in both documents, only in `doc_a`, only in `doc_b` (ids or names that
    `AtlasStore.find_document` resolves; UnknownDocumentError otherwise)."""
    a, b = store.find_document(doc_a), store.find_document(doc_b)
    ca, cb = _counts(store, a), _counts(store, b)
    return Comparison(
        a, b, sorted(ca.keys() & cb.keys()), sorted(ca.keys() - cb.keys()), sorted(cb.keys() - ca.keys()), ca, cb
    )


def side_by_side(store: AtlasStore, place_id: str, doc_a: str, doc_b: str) -> tuple[list[dict], list[dict]]:
    """The clauses of `doc_a` and of `doc_b` that mention the place, each in reading order."""
    return store.clauses_of_place(place_id, [doc_a]), store.clauses_of_place(place_id, [doc_b])
