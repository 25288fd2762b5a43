"""The data model every part shares: documents, clauses, places, mentions.

These are the contracts between geo.corpus (Document, Clause), geo.gazetteer (Place),
geo.extract (Mention) and geo.layers (which serialises all of them). Plain dataclasses,
no I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geo.specs import LAYERS as LAYERS  # layers a place can be drawn in (registered in geo/specs.py)

# How much to trust a feature's geometry.
PRECISIONS: tuple[str, ...] = ("exact boundary", "seat or centroid", "approximate point", "schematic")
# Precisions of lines drawn on a real course (geo.places.courses), never written in the gazetteer.
COURSE_PRECISIONS: tuple[str, ...] = (
    "surveyed course 1:4M",
    "traced on the WDBII river network",
    "routed on the OSM rail network",
    "routed on the OSM road network",
)
# Precisions of stations and ports moved onto their network (geo.places.snap).
SNAP_PRECISIONS: tuple[str, ...] = ("snapped to the OSM rail network", "snapped to the river course")


@dataclass(frozen=True)
class SourceSpan:
    """Where a document (or part of one) sits in a file under data/docs/: 1-based inclusive lines."""

    file: str
    first: int
    last: int

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "lines": [self.first, self.last]}


@dataclass
class Clause:
    """The smallest citable unit of a document: one paragraph (or list item) under its headings.

    id: stable and readable, "<doc_id>/<heading numbers>/p<paragraph>" (see geo.corpus).
    path: heading labels from the document root down to this clause's parent heading.
    label: this clause's own heading or number ("（三）", "1．", "专栏2", "" for plain paragraphs).
    text: the normalised text (no line breaks, page numbers or responsibility lists).
    agencies: the 责任单位/牵头 agencies named for this clause (metadata, not text).
    file, lines: source file name under data/docs/ and 1-based inclusive line range.
    """

    id: str
    doc_id: str
    path: tuple[str, ...]
    label: str
    text: str
    agencies: tuple[str, ...]
    file: str
    lines: tuple[int, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "path": list(self.path),
            "label": self.label,
            "text": self.text,
            "agencies": list(self.agencies),
            "file": self.file,
            "lines": list(self.lines),
        }


@dataclass
class Document:
    """One distinct publication (a plan, scheme, opinion, reply, notice …), possibly from several files."""

    id: str
    title: str
    kind: str  # 纲要/规划/方案/意见/通知/批复/措施/细则/计划/要点/清单/研究/…
    date: str  # ISO "YYYY-MM-DD", "YYYY-MM" or "YYYY"; "" when unknown
    doc_no: str  # 文号, normalised ("渝府办发〔2023〕15号"); "" when none
    issuers: tuple[str, ...]
    sources: tuple[SourceSpan, ...]
    clauses: list[Clause] = field(default_factory=list)
    title_en: str = ""  # the English title (geo.corpus._catalog for the embedded corpus); "" when none

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "title_en": self.title_en,
            "kind": self.kind,
            "date": self.date,
            "doc_no": self.doc_no,
            "issuers": list(self.issuers),
            "sources": [s.to_json() for s in self.sources],
            "clause_count": len(self.clauses),
        }


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: an administrative unit or a curated planning place.

    id: stable, e.g. "adm:500101" (admin units by adcode) or "<kind>:<slug>" for curated places.
    recipe: how geo.geometry builds its WGS-84 geometry, e.g. "admin:500101", "point:106.55,29.56",
            "union:id|id|…", "line:id|id|…" (see geo.geometry).
    members: for composites, the member place ids.
    """

    id: str
    name: str
    kind: str
    layer: str
    aliases: tuple[str, ...] = ()
    adcode: str = ""
    level: str = ""  # province / prefecture / county for admin units
    parent: str = ""  # parent place id
    precision: str = "approximate point"
    recipe: str = ""
    provenance: str = ""
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A place mention: character offsets [start, end) into the text it was found in.

    rule: how it was found ("exact name", "exact alias", "generated short form", "list expansion",
    "parenthesised expansion", "traditional", "variant"; geo.extract.RULE_CONFIDENCE), confidence: 0–1.
    """

    start: int
    end: int
    surface: str
    place_id: str
    confidence: float = 1.0
    rule: str = "exact name"
