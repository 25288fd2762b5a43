"""KML 2.2 export for Google Earth: a Folder per export layer and, inside it, a Folder per kind;
one shared Style per kind and geometry family in the app's colours; properties as ExtendedData.

Where the data comes from: the features of a `Selection` (geo.export.select) of layers/; colours
and widths from geo.export.style (the viewer's palette). Text is escaped by ElementTree.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from geo.errors import LayersError
from geo.export.plan import BY_NAME
from geo.export.registry import Format, register
from geo.export.select import Selection
from geo.export.style import kind_colors, kml_color, layer_style

KML_NS = "http://www.opengis.net/kml/2.2"
POINT_ICON = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"


def _coords(coords: Any) -> str:
    return " ".join(f"{x},{y}" for x, y, *_ in coords)


def _geometry(parent: ET.Element, geom: dict[str, Any]) -> None:
    t, c = geom["type"], geom["coordinates"]
    if t == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = f"{c[0]},{c[1]}"
    elif t == "LineString":
        line = ET.SubElement(parent, "LineString")
        ET.SubElement(line, "tessellate").text = "1"
        ET.SubElement(line, "coordinates").text = _coords(c)
    elif t == "Polygon":
        poly = ET.SubElement(parent, "Polygon")
        for i, ring in enumerate(c):
            boundary = ET.SubElement(poly, "outerBoundaryIs" if i == 0 else "innerBoundaryIs")
            ET.SubElement(ET.SubElement(boundary, "LinearRing"), "coordinates").text = _coords(ring)
    elif t.startswith("Multi"):
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in c:
            _geometry(multi, {"type": t.removeprefix("Multi"), "coordinates": part})
    else:
        raise LayersError(f"cannot write geometry type {t} to KML")


def _styles(doc: ET.Element, by_layer: dict[str, list[dict]]) -> None:
    """One Style per (family, kind) used, id "<family>-<kind>"."""
    used: dict[tuple[str, str], float] = {}
    for name, feats in by_layer.items():
        style = layer_style(name)
        for f in feats:
            used.setdefault((style.family, f["properties"].get("kind", "")), style.width_px)
    colors = kind_colors(k for _, k in used)
    for (family, kind), width in sorted(used.items()):
        color = colors[kind]
        st = ET.SubElement(doc, "Style", id=f"{family}-{kind}")
        if family == "point":
            icon = ET.SubElement(st, "IconStyle")
            ET.SubElement(icon, "color").text = kml_color(color)
            ET.SubElement(icon, "scale").text = "0.8"
            ET.SubElement(ET.SubElement(icon, "Icon"), "href").text = POINT_ICON
            ET.SubElement(ET.SubElement(st, "LabelStyle"), "scale").text = "0.8"
        else:
            line = ET.SubElement(st, "LineStyle")
            ET.SubElement(line, "color").text = kml_color(color, 0.85 if family == "line" else 1.0)
            ET.SubElement(line, "width").text = f"{max(width, 1.0):g}"
            poly = ET.SubElement(st, "PolyStyle")
            ET.SubElement(poly, "color").text = kml_color(color, 0.2 if family == "polygon" else 0.0)
            ET.SubElement(ET.SubElement(st, "LabelStyle"), "scale").text = "0"


def _placemark(folder: ET.Element, f: dict[str, Any], family: str) -> None:
    props = f["properties"]
    pm = ET.SubElement(folder, "Placemark")
    ET.SubElement(pm, "name").text = props.get("name", f["id"])
    desc = [f"{props.get('kind', '')} · {f['id']}"]
    if props.get("excerpt"):
        desc.append(props["excerpt"])
    if props.get("clause_ids"):
        desc.append("clauses: " + ", ".join(props["clause_ids"]))
    ET.SubElement(pm, "description").text = "\n".join(desc)
    ET.SubElement(pm, "styleUrl").text = f"#{family}-{props.get('kind', '')}"
    ext = ET.SubElement(pm, "ExtendedData")
    for key in sorted(props):
        v = props[key]
        data = ET.SubElement(ext, "Data", name=key)
        ET.SubElement(data, "value").text = json.dumps(v, ensure_ascii=False) if isinstance(v, list) else str(v)
    _geometry(pm, f["geometry"])


def write_kml(sel: Selection) -> bytes:
    """KML: Document (title, styles) → Folder per export layer → Folder per kind → Placemarks."""
    by_layer = sel.by_layer
    kml = ET.Element("kml", xmlns=KML_NS)
    doc = ET.SubElement(kml, "Document")
    ET.SubElement(doc, "name").text = sel.title
    _styles(doc, by_layer)
    for name, feats in by_layer.items():
        family = layer_style(name).family
        folder = ET.SubElement(doc, "Folder", id=name)
        ET.SubElement(folder, "name").text = BY_NAME[name].title
        per_kind: dict[str, list[dict]] = {}
        for f in feats:
            per_kind.setdefault(f["properties"].get("kind", ""), []).append(f)
        for kind in sorted(per_kind):
            sub = ET.SubElement(folder, "Folder", id=f"{name}-{kind}")
            ET.SubElement(sub, "name").text = kind
            for f in per_kind[kind]:
                _placemark(sub, f, family)
    ET.indent(kml, space=" ")
    return ET.tostring(kml, encoding="utf-8", xml_declaration=True) + b"\n"


KML = register(Format(
    "kml", ".kml", "application/vnd.google-earth.kml+xml", "format:kml", write_kml,
    description="KML 2.2 for Google Earth, a folder per layer and kind", text=True))
