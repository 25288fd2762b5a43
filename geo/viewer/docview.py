"""Document view: one document's places, by kind with mention counts, highlighted and fitted on the map.

A document is "chosen" when the sidebar's documents filter holds exactly that one document (the
reader's "show its places on the map" sets it). Its places come from the clauses of the document
in the catalog (geo.viewer.data, read from layers/atlas.sqlite): every place a clause of it
mentions, admin units included, counted by mentions. They are listed grouped by kind, kinds in
the order of the legend's families (geo.palette), most-mentioned first. The map highlights all of
them and, when the document is chosen, fits the places that carry the document: the box of the
places' centres between the 20th and 80th percentile of mentions (weighted), widened to the whole
of the areas and lines centred in it, so one mention of 东盟 or 京津冀 does not zoom the map out to
half of Asia; places outside China are never fitted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape

from geo.palette import BY_KIND, FAMILIES, kind_family
from geo.viewer.data import Catalog
from geo.viewer.i18n import label, t
from geo.viewer.state import ViewState

__all__ = ["DocumentPlaces", "chosen_document", "document_places", "fit_box", "places_html"]

TRIM: float = 0.2  # share of mentions left out at each side when fitting
GROW: float = 1.5  # a place up to this many times the core's size widens the fit to its edges
PAD: float = 0.25  # degrees around the fitted box
_FAMILY_ORDER = {f.id: i for i, f in enumerate(FAMILIES)}


@dataclass(frozen=True)
class DocumentPlaces:
    """The places of one document: (kind, [(place id, mentions)]) groups, and the fit box."""

    doc_id: str
    groups: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    bbox: tuple[float, float, float, float] | None

    @property
    def place_ids(self) -> list[str]:
        """Every place of the document, in list order."""
        return [pid for _, entries in self.groups for pid, _ in entries]

    @property
    def count(self) -> int:
        return sum(len(e) for _, e in self.groups)


def chosen_document(vs: ViewState) -> str | None:
    """The document of the document view: the one document of the documents filter, else None."""
    if vs.docs is not None and len(vs.docs) == 1:
        return vs.docs[0]
    return None


def _kind_key(kind: str) -> tuple[int, int, str]:
    fam, pos = BY_KIND.get(kind, (None, 99))
    return (_FAMILY_ORDER.get(fam.id, 99) if fam is not None else 99, pos, kind)


def document_places(catalog: Catalog, doc_id: str) -> DocumentPlaces:
    """The places the clauses of `doc_id` mention, grouped by kind, with their mention counts."""
    counts: Counter[str] = Counter()
    for cid in catalog.clauses_by_doc.get(doc_id, []):
        for m in catalog.clauses[cid].get("mentions") or []:
            if m[2] in catalog.places:
                counts[str(m[2])] += 1
    by_kind: dict[str, list[tuple[str, int]]] = {}
    for pid, n in counts.items():
        by_kind.setdefault(catalog.places[pid].kind, []).append((pid, n))
    groups = tuple(
        (kind, tuple(sorted(entries, key=lambda e: (-e[1], catalog.places[e[0]].name, e[0]))))
        for kind, entries in sorted(by_kind.items(), key=lambda kv: _kind_key(kv[0]))
    )
    return DocumentPlaces(doc_id, groups, fit_box(catalog, counts))


def _weighted_quantile(values: list[tuple[float, int]], q: float) -> float:
    values = sorted(values)
    total = sum(w for _, w in values)
    acc = 0.0
    for v, w in values:
        acc += w
        if acc >= q * total:
            return v
    return values[-1][0]


def fit_box(catalog: Catalog, counts: Counter[str] | dict[str, int]) -> tuple[float, float, float, float] | None:
    """(w, s, e, n) to fit: the mention-weighted 20–80 % range of the places' centres, padded; a
    place centred in that range and at most GROW times its size widens it to its edges. None: no geometry."""
    pts = []
    for pid, n in counts.items():
        p = catalog.places.get(pid)
        if p is None or p.center is None or kind_family(p.kind).id == "outside":
            continue
        pts.append((p, n))
    if not pts:
        return None
    lats = [(p.center[0], n) for p, n in pts]  # type: ignore[index]
    lons = [(p.center[1], n) for p, n in pts]  # type: ignore[index]
    w, e = _weighted_quantile(lons, TRIM), _weighted_quantile(lons, 1 - TRIM)
    s, n_ = _weighted_quantile(lats, TRIM), _weighted_quantile(lats, 1 - TRIM)
    core = (w - PAD, s - PAD, e + PAD, n_ + PAD)
    w, s, e, n_ = core
    for p, _ in pts:  # areas and lines centred in the core and not much larger: their full extent
        bw, bs, be, bn = p.bbox  # type: ignore[misc]
        cx, cy = p.center[1], p.center[0]  # type: ignore[index]
        if (core[0] <= cx <= core[2] and core[1] <= cy <= core[3]
                and be - bw <= GROW * (core[2] - core[0]) and bn - bs <= GROW * (core[3] - core[1])):
            w, s, e, n_ = min(w, bw), min(s, bs), max(e, be), max(n_, bn)
    return (w, s, e, n_)


def places_html(catalog: Catalog, view: DocumentPlaces, lang: str) -> str:
    """The list (escaped HTML): a heading per kind with its count, each place with its mentions."""
    parts = ['<div class="pa-docplaces" data-testid="pa-docplaces">']
    for kind, entries in view.groups:
        parts.append(f'<div class="pa-dockind" data-kind="{escape(kind)}"><b>{escape(label("kind", kind, lang))}</b>'
                     f' <span class="pa-meta">({len(entries)})</span><br>')
        items = []
        for pid, n in entries:
            place = catalog.places[pid]
            shown = place.display_name(lang)
            name = escape(shown)
            title = escape(t("doc_mentions", lang, count=n))
            if shown != place.name:  # in English: the Chinese name the plans use, on hover
                title = f"{escape(place.name)} · {title}"
            items.append(f'<span class="pa-docplace" data-place="{escape(pid)}" title="{title}">{name}'
                         f'<sup>{n}</sup></span>')
        parts.append("、".join(items) + "</div>")
    parts.append("</div>")
    return "".join(parts)
