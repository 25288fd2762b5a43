"""What an export holds: features of layers/ narrowed by document, kind, place or layer; mention rows.

Where the data comes from: a `geo.layers.LayerSet` (read with `geo.layers.read_layers`, the one
reader); nothing here parses documents or touches the gazetteer. Every selected feature keeps its
clause provenance (doc_ids, clause_ids, excerpt); a subset by document keeps only that document's
clause links and counts. `Selection` is what a format's writer receives: the features split into the
export layers of geo.export.plan (one geometry type each) and, for tabular formats, mention rows.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from geo.errors import LayersError, UnknownDocumentError, UnknownPlaceError
from geo.export.plan import BY_NAME, EXPORT_LAYERS, LayerPlan, export_layer, layer_plan, layers_key, promote
from geo.layers import LayerSet, excerpt
from geo.models import LAYERS
from geo.places import RULE_CONFIDENCE

CSV_COLUMNS: tuple[str, ...] = (
    "clause_id",
    "doc_id",
    "place_id",
    "name",
    "name_en",
    "kind",
    "layer",
    "surface",
    "start",
    "end",
    "confidence",
    "rule",
    "excerpt",
)
TITLE: str = "Plan Atlas 成渝规划地图"


def kinds(layerset: LayerSet) -> list[str]:
    """Every place kind in layers/ (features and index places), sorted."""
    found = {f["properties"]["kind"] for f in layerset.features()}
    found |= {p["kind"] for p in layerset.index.get("places", {}).values()}
    return sorted(found)


def _check_filters(
    layerset: LayerSet, doc_id: str | None, kind: str | None, place_ids: Iterable[str] | None
) -> None:
    if doc_id is not None:
        doc_ids = [d["id"] for d in layerset.index.get("documents", [])]
        if doc_id not in doc_ids:
            close = difflib.get_close_matches(doc_id, doc_ids, n=3, cutoff=0.5)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            raise UnknownDocumentError(
                f"unknown document {doc_id!r}; {hint}`python -m geo docs` lists the {len(doc_ids)} documents"
            )
    if kind is not None:
        known = kinds(layerset)
        if kind not in known:
            raise LayersError(f"unknown kind {kind!r}; kinds in layers/: {', '.join(known)}")
    if place_ids is not None:
        places = layerset.index.get("places", {})
        missing = [p for p in place_ids if p not in places and layerset.feature(p) is None]
        if missing:
            raise UnknownPlaceError(f"no feature or mention for place id(s): {', '.join(missing)}")


def _doc_links(layerset: LayerSet, doc_id: str) -> dict[str, tuple[int, list[str], str]]:
    """place id → (mention count, clause ids, excerpt of the first mention) within one document."""
    out: dict[str, tuple[int, list[str], str]] = {}
    for c in layerset.index.get("clauses", []):
        if c["doc_id"] != doc_id:
            continue
        for start, end, pid in c["mentions"]:
            n, cids, exc = out.get(pid, (0, [], ""))
            if not cids or cids[-1] != c["id"]:
                cids = [*cids, c["id"]]
            out[pid] = (n + 1, cids, exc or excerpt(c["text"], start, end))
    return out


def select_features(
    layerset: LayerSet,
    doc_id: str | None = None,
    kind: str | None = None,
    place_ids: Iterable[str] | None = None,
    layers: Iterable[str] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Selected features per layer (copies; layer order of geo.models.LAYERS, ids sorted).

    doc_id: only features that document mentions, with doc_ids/clause_ids/mention_count/excerpt
    narrowed to it. kind: only that place kind. place_ids: only these places. layers: only these
    layers. Unknown document, kind or place → UnknownDocumentError / LayersError / UnknownPlaceError.
    """
    wanted = set(place_ids) if place_ids is not None else None
    _check_filters(layerset, doc_id, kind, wanted)
    layer_names = list(LAYERS) if layers is None else list(layers)
    for name in layer_names:
        if name not in LAYERS:
            raise LayersError(f"unknown layer {name!r}; layers are: {', '.join(LAYERS)}")
    links = _doc_links(layerset, doc_id) if doc_id is not None else None
    out: dict[str, list[dict[str, Any]]] = {}
    for name in layer_names:
        feats = []
        for f in layerset.collections[name]["features"]:
            props = f["properties"]
            if kind is not None and props.get("kind") != kind:
                continue
            if wanted is not None and f["id"] not in wanted:
                continue
            props = dict(props)
            if links is not None:
                if f["id"] not in links:
                    continue
                n, cids, exc = links[f["id"]]
                props.update(mention_count=n, doc_ids=[doc_id], clause_ids=cids, excerpt=exc)
            feats.append({"type": "Feature", "id": f["id"], "properties": props, "geometry": f["geometry"]})
        out[name] = sorted(feats, key=lambda x: x["id"])
    return out


def mention_rows(
    layerset: LayerSet,
    doc_id: str | None = None,
    kind: str | None = None,
    place_ids: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """One row per mention (CSV_COLUMNS), in index order (documents by date, clauses, offsets).
    rule/confidence come from index.json's `mention_rules` (how the extractor matched each mention)."""
    wanted = set(place_ids) if place_ids is not None else None
    _check_filters(layerset, doc_id, kind, wanted)
    places = layerset.index.get("places", {})
    english = {f["id"]: f["properties"].get("name_en", "") for f in layerset.features()}
    rows = []
    for c in layerset.index.get("clauses", []):
        if doc_id is not None and c["doc_id"] != doc_id:
            continue
        rules = c.get("mention_rules") or ["exact name"] * len(c["mentions"])
        for (start, end, pid), rule in zip(c["mentions"], rules, strict=True):
            p = places.get(pid, {})
            if kind is not None and p.get("kind") != kind:
                continue
            if wanted is not None and pid not in wanted:
                continue
            rows.append(
                {
                    "clause_id": c["id"],
                    "doc_id": c["doc_id"],
                    "place_id": pid,
                    "name": p.get("name", ""),
                    "name_en": english.get(pid, ""),
                    "kind": p.get("kind", ""),
                    "layer": p.get("layer", ""),
                    "surface": c["text"][start:end],
                    "start": start,
                    "end": end,
                    "confidence": RULE_CONFIDENCE.get(rule, 1.0),
                    "rule": rule,
                    "excerpt": excerpt(c["text"], start, end),
                }
            )
    return rows


def describe(doc_id: str | None, kind: str | None, place_ids: Iterable[str] | None) -> str:
    """The filters in words, for "nothing to export" messages."""
    parts = [f"--doc {doc_id}" if doc_id else "", f"--kind {kind}" if kind else ""]
    if place_ids is not None:
        parts.append("the chosen places")
    return " ".join(p for p in parts if p) or "everything"


@dataclass
class Selection:
    """One export request: the layer set and its filters (checked on creation), with lazily computed
    features per export layer and mention rows. `layers`: only these export layers (plan names)."""

    layerset: LayerSet
    doc_id: str | None = None
    kind: str | None = None
    place_ids: tuple[str, ...] | None = None
    layers: tuple[str, ...] | None = None
    thematic: bool = False  # add the choropleth layers (geo.render.thematic) to formats with layers

    def __post_init__(self) -> None:
        if self.place_ids is not None:
            self.place_ids = tuple(self.place_ids)
        if self.layers is not None:
            self.layers = tuple(export_layer(name).name for name in self.layers)
        _check_filters(self.layerset, self.doc_id, self.kind, self.place_ids)

    @property
    def title(self) -> str:
        """A document title for formats that carry one (KML)."""
        doc = f" — {self.doc_id}" if self.doc_id else ""
        return TITLE + doc + (f" — {self.kind}" if self.kind else "")

    def describe(self) -> str:
        """The filters in words."""
        return describe(self.doc_id, self.kind, self.place_ids)

    @cached_property
    def plan(self) -> LayerPlan:
        """Where each feature goes (computed once per layers/ build)."""
        ls = self.layerset
        return layer_plan(ls.collections, layers_key(ls.collections, ls.manifest))

    @property
    def geometry_types(self) -> dict[str, str]:
        """Export layer → its one geometry type (fixed by the whole layers/ build)."""
        return self.plan.types

    @cached_property
    def by_layer(self) -> dict[str, list[dict[str, Any]]]:
        """Export layer → its selected features (geometries promoted to the layer's type), only the
        non-empty layers, in EXPORT_LAYERS order. LayersError when nothing matches."""
        selected = select_features(self.layerset, self.doc_id, self.kind, self.place_ids)
        out: dict[str, list[dict[str, Any]]] = {}
        for source, feats in selected.items():
            for f in feats:
                target = self.plan.assignment.get((source, f["id"])) or self.plan.router.route(source, f)
                out.setdefault(target, []).append(f)
        wanted = set(self.layers) if self.layers is not None else set(BY_NAME)
        result: dict[str, list[dict[str, Any]]] = {}
        for layer in EXPORT_LAYERS:
            feats = out.get(layer.name, [])
            if layer.name not in wanted or not feats:
                continue
            target = self.geometry_types[layer.name]
            result[layer.name] = [{**f, "geometry": promote(f["geometry"], target)} for f in feats]
        if not result:
            raise LayersError(f"nothing to export: no feature matches {self.describe()}")
        return result

    @cached_property
    def thematic_layers(self) -> dict[str, list[dict[str, Any]]]:
        """With `thematic`: {"choropleth_county": features, "choropleth_prefecture": features}, the
        mentions per unit of geo.render.thematic under the selection's document (all documents
        without one; kind and place filters do not apply to units); else {}. Geometries are
        MultiPolygons (one type per layer)."""
        if not self.thematic:
            return {}
        from geo.render import MentionFilter, thematic_collections

        filt = MentionFilter(docs=frozenset({self.doc_id}) if self.doc_id else None, label=self.doc_id or "")
        return {name: [{**f, "geometry": promote(f["geometry"], "MultiPolygon")} for f in fc["features"]]
                for name, fc in thematic_collections(self.layerset, filt).items()}

    @cached_property
    def mentions(self) -> list[dict[str, Any]]:
        """Mention rows (CSV_COLUMNS); LayersError when none matches."""
        rows = mention_rows(self.layerset, self.doc_id, self.kind, self.place_ids)
        if self.layers is not None:  # mentions of the places drawn in these export layers
            wanted = set(self.layers)
            keep = {fid for (_, fid), target in self.plan.assignment.items() if target in wanted}
            rows = [r for r in rows if r["place_id"] in keep]
        if not rows:
            raise LayersError(f"nothing to export: no mention matches {self.describe()}")
        return rows
