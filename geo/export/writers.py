"""GIS downloads from layers/: GeoJSON, GeoPackage, CSV of mentions, KML; whole or by document/kind.

Where the data comes from: a `geo.layers.LayerSet` (read with `geo.layers.read_layers`, the one
reader); nothing here parses documents or touches the gazetteer. Every exported feature keeps
its clause provenance (doc_ids, clause_ids, excerpt); a subset by document keeps only that
document's clause links and counts.

Formats:
- geojson: one RFC 7946 FeatureCollection (WGS-84) with the selected features of every layer.
- gpkg: a GeoPackage with one table per layer (EPSG:4326). GeoPackage has no array type, so the
  list properties (aliases, doc_ids, clause_ids) are stored as JSON text, e.g. '["a","b"]'.
- csv: one row per mention (clause_id, doc_id, place_id, name, kind, layer, surface, start, end,
  excerpt), UTF-8 with a byte-order mark so spreadsheet programs read the Chinese text.
- kml: KML 2.2 for Google Earth, one Folder per layer, properties as ExtendedData.

`export_bytes(layerset, fmt, …)` returns the file's bytes (for the app's download buttons);
`export_file` writes them; `python -m geo export` is the command line (geo.cli_layers).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geo.errors import LayersError, UnknownDocumentError, UnknownPlaceError
from geo.layers import LayerSet, dumps, excerpt
from geo.models import LAYERS
from geo.settings import CRS_WGS84
from geo.storage import atomic_write_bytes

FORMATS: tuple[str, ...] = ("geojson", "gpkg", "csv", "kml")
EXTENSIONS: dict[str, str] = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv", "kml": ".kml"}
MEDIA_TYPES: dict[str, str] = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv",
    "kml": "application/vnd.google-earth.kml+xml",
}
LIST_PROPERTIES: tuple[str, ...] = ("aliases", "doc_ids", "clause_ids")
CSV_COLUMNS: tuple[str, ...] = (
    "clause_id",
    "doc_id",
    "place_id",
    "name",
    "kind",
    "layer",
    "surface",
    "start",
    "end",
    "excerpt",
)
KML_NS = "http://www.opengis.net/kml/2.2"
_KML_COLORS = {  # aabbggrr
    "admin_province": "ff7f7f7f",
    "admin_prefecture": "ff996633",
    "admin_county": "ffcc9966",
    "regions": "ff3366cc",
    "points": "ff0000cc",
    "lines": "ff00aaff",
}


# -- selection ------------------------------------------------------------------------------------


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
    """One row per mention (CSV_COLUMNS), in index order (documents by date, clauses, offsets)."""
    wanted = set(place_ids) if place_ids is not None else None
    _check_filters(layerset, doc_id, kind, wanted)
    places = layerset.index.get("places", {})
    rows = []
    for c in layerset.index.get("clauses", []):
        if doc_id is not None and c["doc_id"] != doc_id:
            continue
        for start, end, pid in c["mentions"]:
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
                    "kind": p.get("kind", ""),
                    "layer": p.get("layer", ""),
                    "surface": c["text"][start:end],
                    "start": start,
                    "end": end,
                    "excerpt": excerpt(c["text"], start, end),
                }
            )
    return rows


# -- writers --------------------------------------------------------------------------------------


def _describe(doc_id: str | None, kind: str | None, place_ids: Iterable[str] | None) -> str:
    parts = [f"--doc {doc_id}" if doc_id else "", f"--kind {kind}" if kind else ""]
    if place_ids is not None:
        parts.append("the chosen places")
    return " ".join(p for p in parts if p) or "everything"


def _geojson(selected: dict[str, list[dict]]) -> bytes:
    feats = [f for name in LAYERS for f in selected.get(name, [])]
    body = ",\n".join(dumps(f) for f in feats)
    text = '{"features":[\n' + body + '\n],"name":"plan-atlas","type":"FeatureCollection"}\n'
    return text.encode("utf-8")


def _flat_value(v: Any) -> Any:
    if isinstance(v, list):
        return json.dumps(v, ensure_ascii=False)
    return v


def _gpkg(selected: dict[str, list[dict]]) -> bytes:
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import shape

    with tempfile.TemporaryDirectory(prefix="plan-atlas-export-") as tmp:
        path = Path(tmp) / "plan-atlas.gpkg"
        for name in LAYERS:
            feats = selected.get(name, [])
            if not feats:
                continue
            records = [{k: _flat_value(v) for k, v in f["properties"].items()} for f in feats]
            gdf = gpd.GeoDataFrame(records, geometry=[shape(f["geometry"]) for f in feats], crs=CRS_WGS84)
            polygonal = all(g.geom_type in ("Polygon", "MultiPolygon") for g in gdf.geometry)
            pyogrio.write_dataframe(
                gdf,
                path,
                layer=name,
                driver="GPKG",
                promote_to_multi=polygonal or None,
                append=path.exists(),
            )
        return path.read_bytes()


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(CSV_COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _kml_coords(coords: Any) -> str:
    return " ".join(f"{x},{y}" for x, y, *_ in coords)


def _kml_geometry(parent: ET.Element, geom: dict[str, Any]) -> None:
    t, c = geom["type"], geom["coordinates"]
    if t == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = f"{c[0]},{c[1]}"
    elif t == "LineString":
        line = ET.SubElement(parent, "LineString")
        ET.SubElement(line, "tessellate").text = "1"
        ET.SubElement(line, "coordinates").text = _kml_coords(c)
    elif t == "Polygon":
        poly = ET.SubElement(parent, "Polygon")
        for i, ring in enumerate(c):
            boundary = ET.SubElement(poly, "outerBoundaryIs" if i == 0 else "innerBoundaryIs")
            ET.SubElement(ET.SubElement(boundary, "LinearRing"), "coordinates").text = _kml_coords(ring)
    elif t.startswith("Multi"):
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in c:
            _kml_geometry(multi, {"type": t.removeprefix("Multi"), "coordinates": part})
    else:
        raise LayersError(f"cannot write geometry type {t} to KML")


def _kml(selected: dict[str, list[dict]], title: str) -> bytes:
    kml = ET.Element("kml", xmlns=KML_NS)
    doc = ET.SubElement(kml, "Document")
    ET.SubElement(doc, "name").text = title
    for name in LAYERS:
        style = ET.SubElement(doc, "Style", id=name)
        ET.SubElement(ET.SubElement(style, "LineStyle"), "color").text = _KML_COLORS[name]
        poly = ET.SubElement(style, "PolyStyle")
        ET.SubElement(poly, "color").text = "33" + _KML_COLORS[name][2:]
    for name in LAYERS:
        feats = selected.get(name, [])
        if not feats:
            continue
        folder = ET.SubElement(doc, "Folder")
        ET.SubElement(folder, "name").text = name
        for f in feats:
            props = f["properties"]
            pm = ET.SubElement(folder, "Placemark")
            ET.SubElement(pm, "name").text = props.get("name", f["id"])
            desc = [f"{props.get('kind', '')} · {f['id']}"]
            if props.get("excerpt"):
                desc.append(props["excerpt"])
            if props.get("clause_ids"):
                desc.append("clauses: " + ", ".join(props["clause_ids"]))
            ET.SubElement(pm, "description").text = "\n".join(desc)
            ET.SubElement(pm, "styleUrl").text = f"#{name}"
            ext = ET.SubElement(pm, "ExtendedData")
            for key in sorted(props):
                v = props[key]
                data = ET.SubElement(ext, "Data", name=key)
                ET.SubElement(data, "value").text = (
                    json.dumps(v, ensure_ascii=False) if isinstance(v, list) else str(v)
                )
            _kml_geometry(pm, f["geometry"])
    ET.indent(kml, space=" ")
    return ET.tostring(kml, encoding="utf-8", xml_declaration=True) + b"\n"


def export_bytes(
    layerset: LayerSet,
    fmt: str,
    doc_id: str | None = None,
    kind: str | None = None,
    place_ids: Iterable[str] | None = None,
) -> bytes:
    """The bytes of an export (for download buttons). See the module docstring for formats.

    Raises LayersError for an unknown format or kind, or when nothing matches the filters;
    UnknownDocumentError / UnknownPlaceError for unknown ids.
    """
    fmt = fmt.lower().strip()
    if fmt not in FORMATS:
        raise LayersError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")
    place_ids = list(place_ids) if place_ids is not None else None
    what = _describe(doc_id, kind, place_ids)
    if fmt == "csv":
        rows = mention_rows(layerset, doc_id, kind, place_ids)
        if not rows:
            raise LayersError(f"nothing to export: no mention matches {what}")
        return _csv(rows)
    selected = select_features(layerset, doc_id, kind, place_ids)
    if not any(selected.values()):
        raise LayersError(f"nothing to export: no feature matches {what}")
    if fmt == "geojson":
        return _geojson(selected)
    if fmt == "gpkg":
        return _gpkg(selected)
    title = "Plan Atlas 成渝规划地图" + (f" — {doc_id}" if doc_id else "") + (f" — {kind}" if kind else "")
    return _kml(selected, title)


def suggested_filename(fmt: str, doc_id: str | None = None, kind: str | None = None) -> str:
    """A file name for an export, e.g. "plan-atlas_chuannan-yuxi_airport.kml"."""
    parts = ["plan-atlas", doc_id or "", kind or ""]
    stem = "_".join(p.replace("/", "-") for p in parts if p)
    return stem + EXTENSIONS.get(fmt, f".{fmt}")


def export_file(
    layerset: LayerSet,
    fmt: str,
    path: Path | str,
    doc_id: str | None = None,
    kind: str | None = None,
    place_ids: Iterable[str] | None = None,
) -> Path:
    """Write an export to `path` (via a temporary file beside it, then rename); returns the path."""
    data = export_bytes(layerset, fmt, doc_id=doc_id, kind=kind, place_ids=place_ids)
    return atomic_write_bytes(path, data)
