"""Analyse an uploaded plan in memory: its documents, clauses, place mentions and a "session layer".

Pure logic for the app's upload panel (geo.upload_view); nothing is written to data/ or layers/.
Where the data comes from: the file's text from geo.readers, documents and clauses from
geo.corpus.parse_text, mentions from geo.extract.Extractor over geo.gazetteer, geometries from
layers/ when the place is already drawn there (so the session layer matches the map exactly),
else from geo.geometry. Features follow the layers contract (ARCHITECTURE.md): WGS-84, RFC 7946,
a top-level `id` and flat properties id, name, name_pinyin, name_en, kind, layer, aliases, adcode,
precision, geometry_source, mention_count, doc_ids, clause_ids, excerpt — counted over the upload
only. Strings that look like places but resolve to nothing come from geo.coverage.

`keep_upload(result)` adds the file to the corpus through the same path as `python -m geo add`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.corpus import read_bounded
from geo.errors import LayersError
from geo.models import Clause, Document, Mention

__all__ = ["UploadResult", "analyse_upload", "keep_upload"]

SESSION_LAYER_NAME: str = "session"
MAX_UNRESOLVED: int = 200


@dataclass
class UploadResult:
    """An analysed upload.

    documents / clauses: as geo.corpus parses the file (ids as they would be if kept, unless an
    id collides with a corpus document, which then gets a "-2" suffix).
    mentions: clause id → place mentions (offsets into the clause text).
    feature_collection: the session layer, a GeoJSON FeatureCollection (layers contract).
    index: the upload in the shape of layers/index.json (documents, clauses with mentions, places).
    unresolved: place-like strings the gazetteer does not know (first occurrence order).
    unmapped: ids of mentioned places without a geometry.
    """

    name: str
    data: bytes = field(repr=False)
    sha256: str
    text: str = field(repr=False)
    documents: list[Document]
    mentions: dict[str, list[Mention]]
    feature_collection: dict[str, Any]
    index: dict[str, Any]
    unresolved: list[str]
    unmapped: list[str] = field(default_factory=list)

    @property
    def clauses(self) -> list[Clause]:
        """Every clause of every document of the upload, in order."""
        return [c for d in self.documents for c in d.clauses]

    @property
    def places(self) -> list[dict[str, Any]]:
        """Properties of the session layer's features, most mentioned first, then by name."""
        props = [f["properties"] for f in self.feature_collection["features"]]
        return sorted(props, key=lambda p: (-p["mention_count"], p["name"], p["id"]))

    @property
    def mention_count(self) -> int:
        return sum(len(ms) for ms in self.mentions.values())

    def to_geojson_bytes(self) -> bytes:
        """The session layer as an RFC 7946 GeoJSON file (UTF-8, one feature per line)."""
        from geo.layers import feature_collection_text

        return feature_collection_text(SESSION_LAYER_NAME, self.feature_collection["features"]).encode("utf-8")

    def download_name(self) -> str:
        """A file name for the session layer download, e.g. "plan-atlas-upload-<stem>.geojson"."""
        stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in Path(self.name).stem)[:60]
        return f"plan-atlas-upload-{stem or 'plan'}.geojson"


_EXTRACTOR: dict[int, Any] = {}


def _extractor(gaz: Any) -> Any:
    """One Extractor per gazetteer object (kept for the last gazetteer only)."""
    from geo.places import Extractor

    hit = _EXTRACTOR.get(id(gaz))
    if hit is None or hit.gazetteer is not gaz:
        _EXTRACTOR.clear()
        hit = _EXTRACTOR[id(gaz)] = Extractor(gaz)
    return hit


def _layer_geometries(layerset: Any) -> dict[str, tuple[str, dict, dict]]:
    """place id → (layer, geometry, properties) of every feature of layers/."""
    if layerset is None:
        return {}
    out: dict[str, tuple[str, dict, dict]] = {}
    for layer, fc in layerset.collections.items():
        for f in fc.get("features", []):
            out[f["id"]] = (layer, f["geometry"], f.get("properties") or {})
    return out


def _session_layer(
    documents: list[Document], mentions: dict[str, list[Mention]], gaz: Any, layerset: Any
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """(feature collection, index-shaped dict, unmapped place ids) of the upload's mentions."""
    from geo.layers import BuildInputs, assemble_session
    from geo.places import geometry

    inputs = BuildInputs(
        documents=documents,
        places=gaz.places,
        mentions=mentions,
        place_geometry=lambda p: geometry.place_geometry(p, gaz),
        admin_geometry=geometry.admin_geometry,
        coverage_simplify=lambda geoms, tol: list(geometry.coverage_simplify(geoms, tol)),
        anchor_point=lambda p: geometry.anchor_point(p, gaz),
        english_name=gaz.english_name,
    )
    features, index, unmapped = assemble_session(inputs, _layer_geometries(layerset))
    fc = {"type": "FeatureCollection", "name": SESSION_LAYER_NAME, "features": features}
    return fc, index, unmapped


def _unresolved(documents: list[Document], gaz: Any) -> list[str]:
    """Place-like strings the gazetteer does not resolve (geo.coverage.coverage_report over the
    upload's clauses), in order of first occurrence."""
    try:
        from geo.places import coverage_report
    except ImportError:  # pragma: no cover - geo.coverage is part of the package
        return []
    from geo.corpus import Corpus

    rows = coverage_report(corpus=Corpus(list(documents)), gazetteer=gaz)
    order = {c.id: i for i, c in enumerate(c for d in documents for c in d.clauses)}
    first = {r.surface: min((order.get(cid, 0) for cid in r.clause_ids), default=0) for r in rows}
    return sorted(first, key=lambda s: (first[s], s))[:MAX_UNRESOLVED]


def analyse_upload(
    name: str, data: bytes, gazetteer: Any = None, layerset: Any = None
) -> UploadResult:
    """Read, parse and map one uploaded plan (.txt, .docx, .pdf) without writing anything.

    gazetteer: a geo.gazetteer.Gazetteer (default `load_gazetteer()`, cached there).
    layerset: the app's geo.layers.LayerSet, to reuse the drawn geometries (default: compute
    them with geo.geometry). Raises geo.errors.InputFileError (naming the file) for files that
    cannot be read or hold no document; LayersError if a geometry cannot be built.
    """
    from geo.corpus import parse_text
    from geo.errors import InputFileError
    from geo.ingest.add import _slug

    data = bytes(data)
    text = read_bounded((name, data))  # .docx/.pdf in a child process with memory and time caps
    name = Path(name).name
    sha = hashlib.sha256(data).hexdigest()
    documents = parse_text(text, f"{_slug(name, sha)}.txt")
    if not any(d.clauses for d in documents):
        raise InputFileError(f"{name}: no document with text found in it")
    if gazetteer is None:
        from geo.places import load_gazetteer

        gazetteer = load_gazetteer()
    extractor = _extractor(gazetteer)
    mentions = {c.id: extractor.extract(c.text) for d in documents for c in d.clauses}
    try:
        fc, index, unmapped = _session_layer(documents, mentions, gazetteer, layerset)
    except LayersError:
        raise
    except Exception as exc:  # a geometry library failure must not crash the app
        raise LayersError(f"{name}: mapping its places failed ({type(exc).__name__}: {exc})") from exc
    return UploadResult(
        name=name,
        data=data,
        sha256=sha,
        text=text,
        documents=documents,
        mentions=mentions,
        feature_collection=fc,
        index=index,
        unresolved=_unresolved(documents, gazetteer),
        unmapped=unmapped,
    )


def keep_upload(result: UploadResult, root: Path | str | None = None) -> list[Document]:
    """Add the uploaded file to the corpus and rebuild layers/ (same path as `python -m geo add`).

    Returns the added documents with their final ids. Raises InputFileError for a duplicate and
    any PlanAtlasError of the build; in every error case data/ and layers/ are unchanged.
    """
    from geo.ingest.add import add_documents

    return add_documents([(result.name, result.data)], root)


def feature_collection_json(result: UploadResult) -> str:
    """The session layer as compact JSON text (for handing to a map component)."""
    return json.dumps(result.feature_collection, ensure_ascii=False, separators=(",", ":"))
