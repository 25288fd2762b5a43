"""The viewer's Catalog backed by layers/atlas.sqlite instead of layers/index.json.

Where the data comes from: the map layers' features (geo.layers.read_layers without the index)
and the embedded index (geo.query.AtlasStore): places and documents are read once (they are
small and the map needs all of them), clauses only when the panel or the reader asks for them,
through mappings that query the store and keep the most recent ones (`LazyClauses`,
`LazyClausesByDoc`); a place's clause ids are read when its panel is shown (`LazyClauseIds`). So a process no longer holds every clause text in memory: the app's
memory stays about the same when the corpus grows a hundredfold.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from geo.errors import LayersError
from geo.layers import ATLAS_FILE, LayerSet, read_layers
from geo.query import AtlasStore
from geo.query.layerset import StoreIndex, store_layerset
from geo.viewer.data import Catalog

__all__ = [
    "LazyClauseIds",
    "LazyClauses",
    "LazyClausesByDoc",
    "StoreIndex",
    "catalog_from_store",
    "load_catalog",
    "store_layerset",
]

CACHE_CLAUSES = 2000


class LazyClauses(Mapping[str, dict[str, Any]]):
    """clause id → clause (index.json shape plus themes), fetched from the store on demand and
    kept in a small LRU cache. Iteration runs a query (rarely needed); `len()` counts once."""

    def __init__(self, store: AtlasStore, size: int = CACHE_CLAUSES) -> None:
        self.store = store
        self.size = size
        self._cache: OrderedDict[str, dict[str, Any] | None] = OrderedDict()
        self._len: int | None = None

    def _remember(self, clause_id: str, clause: dict[str, Any] | None) -> None:
        self._cache[clause_id] = clause
        self._cache.move_to_end(clause_id)
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)

    def prefetch(self, clauses: list[dict[str, Any]]) -> None:
        """Keep clauses fetched in bulk (a whole document for the reader)."""
        for c in clauses:
            self._remember(c["id"], c)

    def get(self, clause_id: str, default: Any = None) -> Any:  # type: ignore[override]
        if clause_id in self._cache:
            self._cache.move_to_end(clause_id)
            found = self._cache[clause_id]
        else:
            rows = self.store.clauses([clause_id])
            found = rows[0] if rows else None
            self._remember(clause_id, found)
        return default if found is None else found

    def __getitem__(self, clause_id: str) -> dict[str, Any]:
        found = self.get(clause_id)
        if found is None:
            raise KeyError(clause_id)
        return found

    def __contains__(self, clause_id: object) -> bool:
        return isinstance(clause_id, str) and self.get(clause_id) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(r[0] for r in self.store.rows("SELECT id FROM clauses ORDER BY rowid"))

    def __len__(self) -> int:
        if self._len is None:  # the store is read-only while open: count once
            self._len = int(self.store.rows("SELECT COUNT(*) FROM clauses")[0][0])
        return self._len


class LazyClausesByDoc(Mapping[str, list[str]]):
    """doc id → its clause ids in reading order; reading a document prefetches its clauses."""

    def __init__(self, store: AtlasStore, clauses: LazyClauses, doc_ids: list[str]) -> None:
        self.store, self.clauses, self.doc_ids = store, clauses, doc_ids

    def __getitem__(self, doc_id: str) -> list[str]:
        if doc_id not in self.doc_ids:
            raise KeyError(doc_id)
        found = self.store.clauses_of_document(doc_id)
        self.clauses.prefetch(found)
        return [c["id"] for c in found]

    def get(self, doc_id: str, default: Any = None) -> Any:  # type: ignore[override]
        return self[doc_id] if doc_id in self.doc_ids else default

    def __iter__(self) -> Iterator[str]:
        return iter(self.doc_ids)

    def __len__(self) -> int:
        return len(self.doc_ids)


class LazyClauseIds(Sequence[str]):
    """A place's clause ids, queried from the store each time they are read (not kept: a place
    named by thousands of clauses costs nothing until its panel is shown)."""

    def __init__(self, store: AtlasStore, place_id: str) -> None:
        self.store, self.place_id = store, place_id

    def _ids(self) -> list[str]:
        return self.store.clause_ids_of_place(self.place_id)

    def __getitem__(self, i: Any) -> Any:
        return self._ids()[i]

    def __len__(self) -> int:
        return int(self.store.rows("SELECT COUNT(DISTINCT clause) FROM mentions WHERE place_id = ?",
                                   (self.place_id,))[0][0])

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(self.place_id)

    def __repr__(self) -> str:
        return f"LazyClauseIds({self.place_id!r})"


class _Index:
    """The part of a LayerSet's index Catalog.from_layerset needs, from the store: places (without
    their clause ids) and documents; clauses are left out and supplied lazily."""

    def __init__(self, store: AtlasStore) -> None:
        self.data = {"places": store.place_summaries(), "documents": store.documents(), "clauses": []}

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def __bool__(self) -> bool:
        return True


class _Layers:
    def __init__(self, collections: dict, manifest: dict, index: _Index) -> None:
        self.collections, self.manifest, self.index = collections, manifest, index


def catalog_from_store(collections: dict[str, dict], manifest: dict, store: AtlasStore) -> Catalog:
    """A Catalog whose places and documents come from the store and whose clauses are lazy."""
    base = Catalog.from_layerset(_Layers(collections, manifest, _Index(store)))
    places = {pid: replace(p, clause_ids=LazyClauseIds(store, pid)) for pid, p in base.places.items()}
    clauses = LazyClauses(store)
    by_doc = LazyClausesByDoc(store, clauses, list(base.documents))
    return Catalog(places, base.documents, clauses, by_doc, base.features, base.default_layers)  # type: ignore[arg-type]


def load_catalog(layers_dir: Path) -> tuple[LayerSet, Catalog]:
    """(LayerSet, Catalog) of a layers folder: from atlas.sqlite when it is there (the LayerSet
    then has no index: `index={}`), else from index.json (older builds, test fixtures)."""
    atlas = Path(layers_dir) / ATLAS_FILE
    if atlas.is_file():
        try:
            layerset = read_layers(layers_dir, index=False)
            store = AtlasStore(atlas)
            return layerset, catalog_from_store(layerset.collections, layerset.manifest, store)
        except LayersError:  # a stale or unreadable atlas: fall back to index.json
            pass
    layerset = read_layers(layers_dir)
    return layerset, Catalog.from_layerset(layerset)
