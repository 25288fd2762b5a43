"""A LayerSet whose index is layers/atlas.sqlite instead of layers/index.json, for code that takes a
LayerSet (geo.export, geo.render): the viewer's downloads, `geo export` and `geo map`.

Where the data comes from: the map layers' features (geo.layers.read_layers without the index) and
the embedded index (`AtlasStore`): documents and places are read when first asked for, clauses are
streamed from the store in index order each time they are iterated, so index.json is never loaded
whole.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from geo.errors import LayersError
from geo.layers import ATLAS_FILE, LayerSet, read_layers
from geo.query.store import AtlasStore

__all__ = ["StoreIndex", "open_layerset", "store_layerset"]


class _ClauseStream:
    """Every clause of the store in index order, re-iterable, read in batches."""

    def __init__(self, store: AtlasStore) -> None:
        self.store = store

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self.store.iter_clauses()


class StoreIndex(Mapping[str, Any]):
    """layers/index.json's shape (`format_version`, `documents`, `clauses`, `places`) read from the
    store, for code that takes a LayerSet (geo.export): documents and places are read when first
    asked for, clauses are streamed in index order each time they are iterated. Places carry no
    `clause_ids` (the features do)."""

    KEYS = ("format_version", "documents", "clauses", "places")

    def __init__(self, store: AtlasStore) -> None:
        self.store = store
        self._cache: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self.KEYS:
            raise KeyError(key)
        if key == "clauses":
            return _ClauseStream(self.store)
        if key not in self._cache:
            self._cache[key] = {
                "format_version": self.store.format_version,
                "documents": self.store.documents,
                "places": self.store.place_summaries,
            }[key]()
        return self._cache[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.KEYS)

    def __len__(self) -> int:
        return len(self.KEYS)


def store_layerset(layers_dir: Path) -> LayerSet | None:
    """The LayerSet of a layers folder with a StoreIndex in place of index.json (None when the
    folder has no readable atlas.sqlite): what the viewer's downloads export from."""
    atlas = Path(layers_dir) / ATLAS_FILE
    if not atlas.is_file():
        return None
    try:
        layerset = read_layers(layers_dir, index=False)
        store = AtlasStore(atlas)
        store.rows("SELECT 1")
    except LayersError:
        return None
    return LayerSet(collections=layerset.collections, index=StoreIndex(store), manifest=layerset.manifest)  # type: ignore[arg-type]




def open_layerset(layers_dir: Path | str | None = None) -> LayerSet:
    """The layers folder's LayerSet backed by atlas.sqlite, or, for a folder without a readable
    atlas.sqlite (an older build), read with index.json (geo.layers.read_layers)."""
    from geo import settings

    folder = Path(layers_dir) if layers_dir is not None else settings.LAYERS_DIR
    return store_layerset(folder) or read_layers(folder)
