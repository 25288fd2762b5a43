"""Styles of the exported layers, as the app draws them: QGIS QML, OGC SLD 1.1 and KML colours.

Where the data comes from: the colours by kind are the viewer's (geo.palette, which the map module
uses too); the widths, dashes, marker sizes and fill opacities below mirror the map script there
(admin outlines at geo/specs.py's outline_weight with a light fill, regions dashed with a nearly clear fill, lines
3 px, points 5 px circles with a white outline). Labels show the `name` field. Pure: no I/O.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

from geo.export.plan import BY_NAME
from geo.palette import kind_color
from geo.specs import layer_spec

PX_MM: float = 0.26  # one screen pixel at 96 dpi, in millimetres (QGIS symbol units)


@dataclass(frozen=True)
class LayerStyle:
    """How the app draws one export layer."""

    family: str  # point, line, polygon
    width_px: float = 1.0  # outline or line width
    fill_opacity: float = 0.0
    dash_px: tuple[float, ...] = ()
    radius_px: float = 5.0  # point markers
    label_pt: float = 9.0
    label_max_scale: int = 0  # labels hidden when zoomed out beyond 1:N (0: always)


# Label sizes and scale limits per layer (the rest follows the layer's family and geo/specs.py).
_LABELS: dict[str, tuple[float, int]] = {
    "admin_province": (10.0, 0),
    "admin_prefecture": (9.0, 5_000_000),
    "admin_county": (8.0, 1_500_000),
    "points": (8.0, 3_000_000),
    "world_points": (8.0, 0),
}


def layer_style(name: str) -> LayerStyle:
    """How the app draws export layer `name` (see the module docstring)."""
    layer = BY_NAME[name]
    label_pt, max_scale = _LABELS.get(name, (9.0, 0))
    if layer.family == "point":
        return LayerStyle("point", 1.0, radius_px=5.0, label_pt=label_pt, label_max_scale=max_scale)
    if layer.family == "line":
        return LayerStyle("line", 3.0, label_pt=label_pt, label_max_scale=max_scale)
    if layer.admin:  # the basemap's outlines, with a light fill
        return LayerStyle("polygon", layer_spec(name).outline_weight, 0.07, label_pt=label_pt,
                          label_max_scale=max_scale)
    return LayerStyle("polygon", 1.5, 0.02, dash_px=(5.0, 4.0), label_pt=label_pt, label_max_scale=max_scale)


def kind_colors(kinds: Iterable[str]) -> dict[str, str]:
    """kind → "#rrggbb", the viewer's colours."""
    return {k: kind_color(k) for k in sorted(set(kinds))}


def _rgba(hex_color: str, alpha: float = 1.0) -> str:
    h = hex_color.lstrip("#")
    r, g, b = int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    return f"{r},{g},{b},{round(alpha * 255)}"


def kml_color(hex_color: str, alpha: float = 1.0) -> str:
    """"#rrggbb" → KML's aabbggrr."""
    h = hex_color.lstrip("#")
    return f"{round(alpha * 255):02x}{h[4:6]}{h[2:4]}{h[0:2]}"


# --- QGIS QML -----------------------------------------------------------------------------------


def _options(parent: ET.Element, values: dict[str, str]) -> None:
    """Symbol layer properties in both forms QGIS writes (<Option> map, and <prop> read by older QGIS)."""
    opt = ET.SubElement(parent, "Option", type="Map")
    for k, v in values.items():
        ET.SubElement(opt, "Option", name=k, type="QString", value=v)
    for k, v in values.items():
        ET.SubElement(parent, "prop", k=k, v=v)


def _qml_symbol(parent: ET.Element, name: str, style: LayerStyle, color: str) -> None:
    kind = {"point": "marker", "line": "line", "polygon": "fill"}[style.family]
    sym = ET.SubElement(parent, "symbol", type=kind, name=name, alpha="1", clip_to_extent="1",
                        force_rhr="0")
    if style.family == "point":
        layer = ET.SubElement(sym, "layer", attrib={"class": "SimpleMarker", "enabled": "1", "pass": "0",
                                                     "locked": "0"})
        _options(layer, {"name": "circle", "color": _rgba(color, 0.95), "outline_color": "255,255,255,255",
                         "outline_width": f"{style.width_px * PX_MM:.2f}", "outline_width_unit": "MM",
                         "size": f"{2 * style.radius_px * PX_MM:.2f}", "size_unit": "MM"})
    elif style.family == "line":
        layer = ET.SubElement(sym, "layer", attrib={"class": "SimpleLine", "enabled": "1", "pass": "0",
                                                     "locked": "0"})
        _options(layer, {"line_color": _rgba(color, 0.85), "line_width": f"{style.width_px * PX_MM:.2f}",
                         "line_width_unit": "MM", "capstyle": "round", "joinstyle": "round",
                         "line_style": "solid"})
    else:
        layer = ET.SubElement(sym, "layer", attrib={"class": "SimpleFill", "enabled": "1", "pass": "0",
                                                     "locked": "0"})
        values = {"color": _rgba(color, style.fill_opacity), "style": "solid",
                  "outline_color": _rgba(color), "outline_width": f"{style.width_px * PX_MM:.2f}",
                  "outline_width_unit": "MM", "outline_style": "dash" if style.dash_px else "solid",
                  "joinstyle": "round"}
        if style.dash_px:
            values |= {"use_custom_dash": "1", "customdash_unit": "MM",
                       "customdash": ";".join(f"{d * PX_MM:.2f}" for d in style.dash_px)}
        _options(layer, values)


def _qml_labels(root: ET.Element, style: LayerStyle) -> None:
    labeling = ET.SubElement(root, "labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    ET.SubElement(settings, "text-style", fieldName="name", isExpression="0", fontSize=str(style.label_pt),
                  fontSizeUnit="Point", textColor="40,40,40,255", fontFamily="Noto Sans CJK SC",
                  namedStyle="Regular", textOpacity="1")
    ET.SubElement(settings, "text-buffer", bufferDraw="1", bufferSize="0.8", bufferSizeUnits="MM",
                  bufferColor="255,255,255,220", bufferOpacity="1")
    placement = {"point": "6", "line": "2", "polygon": "0"}[style.family]  # around point, curved, horizontal
    ET.SubElement(settings, "placement", placement=placement, dist="1", distUnits="MM", priority="5")
    scale = str(style.label_max_scale)
    ET.SubElement(settings, "rendering", scaleVisibility="1" if style.label_max_scale else "0",
                  scaleMin=scale, scaleMax="0", obstacle="1", upsidedownLabels="0", labelPerPart="0",
                  drawLabels="1")


def qml(layer_name: str, kinds: Iterable[str]) -> str:
    """A QGIS style (QML) for an export layer: categories by `kind` in the app's colours, `name` labels."""
    style = layer_style(layer_name)
    colors = kind_colors(kinds)
    root = ET.Element("qgis", version="3.28.0", styleCategories="Symbology|Labeling")
    renderer = ET.SubElement(root, "renderer-v2", type="categorizedSymbol", attr="kind", symbollevels="0",
                             enableorderby="0", forceraster="0")
    cats = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, (kind, color) in enumerate(colors.items()):
        ET.SubElement(cats, "category", symbol=str(i), value=kind, label=kind, render="true")
        _qml_symbol(symbols, str(i), style, color)
    ET.SubElement(root, "layerGeometryType").text = {"point": "0", "line": "1", "polygon": "2"}[style.family]
    _qml_labels(root, style)
    ET.SubElement(root, "labelsEnabled").text = "1"
    ET.indent(root, space=" ")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, "unicode") + "\n"


# --- OGC SLD 1.1 ----------------------------------------------------------------------------------

_SLD = "http://www.opengis.net/sld"
_SE = "http://www.opengis.net/se"
_OGC = "http://www.opengis.net/ogc"


def _se(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{_SE}}}{tag}", attrib)
    if text is not None:
        el.text = text
    return el


def _param(parent: ET.Element, tag: str, name: str, value: str) -> None:
    _se(parent, tag, value, name=name)


def _sld_symbolizer(rule: ET.Element, style: LayerStyle, color: str) -> None:
    if style.family == "point":
        mark = _se(_se(_se(rule, "PointSymbolizer"), "Graphic"), "Mark")
        _se(mark, "WellKnownName", "circle")
        fill = _se(mark, "Fill")
        _param(fill, "SvgParameter", "fill", color)
        stroke = _se(mark, "Stroke")
        _param(stroke, "SvgParameter", "stroke", "#ffffff")
        _se(rule.find(f".//{{{_SE}}}Graphic"), "Size", f"{2 * style.radius_px:g}")
        return
    sym = _se(rule, "LineSymbolizer" if style.family == "line" else "PolygonSymbolizer")
    if style.family == "polygon":
        fill = _se(sym, "Fill")
        _param(fill, "SvgParameter", "fill", color)
        _param(fill, "SvgParameter", "fill-opacity", f"{style.fill_opacity:g}")
    stroke = _se(sym, "Stroke")
    _param(stroke, "SvgParameter", "stroke", color)
    _param(stroke, "SvgParameter", "stroke-width", f"{style.width_px:g}")
    if style.dash_px:
        _param(stroke, "SvgParameter", "stroke-dasharray", " ".join(f"{d:g}" for d in style.dash_px))


def sld(layer_name: str, kinds: Iterable[str]) -> str:
    """An SLD 1.1 style for an export layer: one rule per kind in the app's colours, `name` labels."""
    style = layer_style(layer_name)
    ET.register_namespace("sld", _SLD)
    ET.register_namespace("se", _SE)
    ET.register_namespace("ogc", _OGC)
    root = ET.Element(f"{{{_SLD}}}StyledLayerDescriptor", version="1.1.0")
    named = ET.SubElement(root, f"{{{_SLD}}}NamedLayer")
    _se(named, "Name", layer_name)
    user = ET.SubElement(named, f"{{{_SLD}}}UserStyle")
    _se(user, "Name", layer_name)
    fts = _se(user, "FeatureTypeStyle")
    for kind, color in kind_colors(kinds).items():
        rule = _se(fts, "Rule")
        _se(rule, "Name", kind)
        eq = ET.SubElement(ET.SubElement(rule, f"{{{_OGC}}}Filter"), f"{{{_OGC}}}PropertyIsEqualTo")
        ET.SubElement(eq, f"{{{_OGC}}}PropertyName").text = "kind"
        ET.SubElement(eq, f"{{{_OGC}}}Literal").text = kind
        _sld_symbolizer(rule, style, color)
        text = _se(rule, "TextSymbolizer")
        label = _se(text, "Label")
        ET.SubElement(label, f"{{{_OGC}}}PropertyName").text = "name"
        font = _se(text, "Font")
        _param(font, "SvgParameter", "font-size", f"{style.label_pt:g}")
        halo = _se(text, "Halo")
        _se(halo, "Radius", "1")
    ET.indent(root, space=" ")
    return ET.tostring(root, "unicode", xml_declaration=True) + "\n"
