"""GIS downloads from layers/: a registry of formats (GeoJSON, GeoJSON zip, GeoPackage, CSV, KML),
whole or narrowed by document, kind, place or layer.

Where the data comes from: a `geo.layers.LayerSet` (read with `geo.layers.read_layers`).
- registry.py: `Format` and `register()` — the one place a format is added; the CLI's
  `--format` choices and the app's download list (downloads.py) read it.
- select.py: what an export holds (`Selection`: features per export layer, mention rows).
- plan.py: the export layers — one geometry type each, places abroad apart (world_*).
- one module per format: geojson.py, gpkg.py (+ style.py, provenance.py), csv.py, kml.py.

`export_bytes(layerset, fmt, …)` returns a file's bytes; `export_file` writes them atomically;
`python -m geo export` is the command line.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path

from geo.export.downloads import Download, download_list, human_size
from geo.export.plan import CHINA_BBOX, EXPORT_LAYERS, ExportLayer, layer_plan, layers_key
from geo.export.registry import FORMATS, Format, format_names, get_format, register, unregister
from geo.export.select import CSV_COLUMNS, Selection, kinds, mention_rows, select_features
from geo.layers import LayerSet
from geo.storage import atomic_write_bytes

LIST_PROPERTIES: tuple[str, ...] = ("aliases", "doc_ids", "clause_ids")
# Modules of the built-in formats; importing one registers its formats (this order is the order of
# the CLI help and of the app's download list).
BUILTIN_FORMAT_MODULES: tuple[str, ...] = ("geojson", "gpkg", "csv", "kml")
for _module in BUILTIN_FORMAT_MODULES:
    importlib.import_module(f"geo.export.{_module}")


def export_bytes(
    layerset: LayerSet,
    fmt: str,
    doc_id: str | None = None,
    kind: str | None = None,
    place_ids: Iterable[str] | None = None,
    layers: Iterable[str] | None = None,
    thematic: bool = False,
) -> bytes:
    """The bytes of an export in a registered format (`layers`: only these export layers; `thematic`:
    add the choropleth layers of geo.render.thematic to the formats with layers, geojson-zip and gpkg).

    Raises LayersError for an unknown format, kind or layer, or when nothing matches the filters;
    UnknownDocumentError / UnknownPlaceError for unknown ids.
    """
    spec = get_format(fmt)
    sel = Selection(
        layerset,
        doc_id=doc_id,
        kind=kind,
        place_ids=tuple(place_ids) if place_ids is not None else None,
        layers=tuple(layers) if layers is not None else None,
        thematic=thematic,
    )
    return spec.writer(sel)


def suggested_filename(fmt: str, doc_id: str | None = None, kind: str | None = None) -> str:
    """A file name for an export, e.g. "plan-atlas_chuannan-yuxi_airport.kml"."""
    parts = ["plan-atlas", doc_id or "", kind or ""]
    stem = "_".join(p.replace("/", "-") for p in parts if p)
    spec = FORMATS.get(fmt.lower().strip())
    return stem + (spec.extension if spec else f".{fmt}")


def export_file(
    layerset: LayerSet,
    fmt: str,
    path: Path | str,
    doc_id: str | None = None,
    kind: str | None = None,
    place_ids: Iterable[str] | None = None,
) -> Path:
    """Write an export to `path` atomically (geo.storage); returns the path."""
    data = export_bytes(layerset, fmt, doc_id=doc_id, kind=kind, place_ids=place_ids)
    return atomic_write_bytes(path, data)


__all__ = [
    "CHINA_BBOX",
    "CSV_COLUMNS",
    "EXPORT_LAYERS",
    "FORMATS",
    "LIST_PROPERTIES",
    "Download",
    "ExportLayer",
    "Format",
    "Selection",
    "download_list",
    "export_bytes",
    "export_file",
    "format_names",
    "get_format",
    "human_size",
    "kinds",
    "layer_plan",
    "layers_key",
    "mention_rows",
    "register",
    "select_features",
    "suggested_filename",
    "unregister",
]
