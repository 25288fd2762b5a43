"""Cartography of the map: kinds grouped into families, each family one colour-blind-safe hue,
kinds within a family told apart by symbol, and the legend that explains it.

Colours are the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies
and on a projector), one per family; administrative units stay a quiet grey because they are
the basemap. Within a family, each kind gets the next symbol variant of its geometry: point
markers (filled, ring, large with dark outline, small, pale, large ring), line dashes (solid, dashed, broad band,
dash-dot, dotted) and area outlines. Precision is drawn the same way everywhere: schematic
geometry is semi-transparent, exact boundaries are solid.

`styles(kinds)` is the table the map script draws with (geo.viewer.mapview), and `LEGEND_JS`
the script that builds the collapsible legend on the map from the kinds actually drawn (so it
lists every kind on screen and nothing else). Data: none (constants).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from geo.viewer.i18n import label, t

__all__ = ["FAMILIES", "LEGEND_JS", "PRECISIONS", "Family", "kind_color", "kind_family", "legend_config",
           "styles"]


@dataclass(frozen=True)
class Family:
    """A family of kinds drawn in one hue."""

    id: str
    color: str
    kinds: tuple[str, ...]


# Okabe & Ito (2008) "Color Universal Design" palette; admin grey; olive (Tol) for outside places
FAMILIES: tuple[Family, ...] = (
    Family("admin", "#5d6d7e", ("province", "prefecture", "county")),
    Family("composite", "#D55E00", ("composite", "metro", "metropolitan_area", "region")),
    Family("zones", "#CC79A7", ("zone", "new_area", "platform", "park")),
    Family("transport_lines", "#0072B2", ("railway", "highway", "corridor", "axis", "waterway")),
    Family("transport_points", "#E69F00", ("airport", "port", "hub", "station")),
    Family("water", "#56B4E9", ("river", "lake", "reservoir", "hydro")),
    Family("sites", "#009E73", ("site", "mountain", "town", "city", "structure", "energy")),
    Family("outside", "#999933", ("outside", "country", "bloc")),
)
OTHER = Family("other", "#444444", ())
_BY_KIND: dict[str, tuple[Family, int]] = {k: (f, i) for f in FAMILIES for i, k in enumerate(f.kinds)}

# symbol variants per geometry (a kind's index in its family picks one, cycling)
POINT_VARIANTS: tuple[dict[str, object], ...] = (
    {"radius": 5, "color": "#ffffff", "weight": 1, "fillOpacity": 0.95},       # filled
    {"radius": 5, "color": None, "weight": 2.5, "fillColor": "#ffffff", "fillOpacity": 1},  # ring
    {"radius": 6.5, "color": "#222222", "weight": 1.2, "fillOpacity": 0.95},   # large, dark outline
    {"radius": 3.5, "color": "#ffffff", "weight": 0.8, "fillOpacity": 0.95},   # small
    {"radius": 5, "color": "#222222", "weight": 2, "fillOpacity": 0.35},       # pale, dark ring
    {"radius": 7, "color": None, "weight": 1.5, "fillColor": "#ffffff", "fillOpacity": 0.6},  # large ring
)
LINE_VARIANTS: tuple[dict[str, object], ...] = (
    {"weight": 3, "dashArray": None, "opacity": 0.9},                 # solid
    {"weight": 3, "dashArray": "9 5", "opacity": 0.9},                # dashed
    {"weight": 7, "dashArray": None, "opacity": 0.35},                # broad band
    {"weight": 2.5, "dashArray": "12 4 2 4", "opacity": 0.9},         # dash-dot
    {"weight": 3, "dashArray": "1 6", "opacity": 0.95, "lineCap": "round"},  # dotted
    {"weight": 1.5, "dashArray": None, "opacity": 0.9},               # thin
)
AREA_VARIANTS: tuple[dict[str, object], ...] = (
    # regions overlap many times over: an almost clear fill (still clickable), the outline carries the colour
    {"weight": 2, "dashArray": None, "fillOpacity": 0.012},
    {"weight": 1.8, "dashArray": "7 4", "fillOpacity": 0.01},
    {"weight": 2.4, "dashArray": "2 4", "fillOpacity": 0.01},
    {"weight": 1.2, "dashArray": "10 3 2 3", "fillOpacity": 0.008},
    {"weight": 3, "dashArray": "1 5", "fillOpacity": 0.01, "lineCap": "round"},
    {"weight": 1.5, "dashArray": "14 6", "fillOpacity": 0.01},
)
# how precision shows (the same for every kind)
PRECISIONS: tuple[str, ...] = ("exact boundary", "seat or centroid", "approximate point", "schematic")
SCHEMATIC_OPACITY: float = 0.55


def kind_family(kind: str) -> Family:
    """The family of a kind (unknown kinds: 'other')."""
    return _BY_KIND.get(kind, (OTHER, 0))[0]


def kind_color(kind: str) -> str:
    """The display colour of a kind: its family's hue (an unknown kind: a stable grey shade)."""
    if kind in _BY_KIND:
        return _BY_KIND[kind][0].color
    shade = 0x40 + int(hashlib.md5(kind.encode()).hexdigest(), 16) % 0x40
    return f"#{shade:02x}{shade:02x}{shade:02x}"


def _variant(kind: str) -> int:
    return _BY_KIND.get(kind, (OTHER, 0))[1]


def styles(kinds: Iterable[str]) -> dict[str, dict[str, object]]:
    """kind → {color, family, point, line, area}: the Leaflet path options of each geometry."""
    out: dict[str, dict[str, object]] = {}
    for k in sorted(set(kinds)):
        c, i = kind_color(k), _variant(k)
        point = {**POINT_VARIANTS[i % len(POINT_VARIANTS)], "fillColor": c}
        if point.get("color") is None:  # the ring: coloured stroke, white fill
            point.update(color=c, fillColor="#ffffff")
        out[k] = {"color": c, "family": kind_family(k).id, "point": point,
                  "line": {**LINE_VARIANTS[i % len(LINE_VARIANTS)], "color": c},
                  "area": {**AREA_VARIANTS[i % len(AREA_VARIANTS)], "color": c, "fillColor": c}}
    return out


def legend_config(lang: str) -> dict[str, object]:
    """The legend's strings in `lang`: title, family names (in family order), precision labels."""
    return {
        "title": t("legend", lang),
        "families": [[f.id, t(f"family:{f.id}", lang)] for f in (*FAMILIES, OTHER)],
        "precisionTitle": t("legend_precision", lang),
        "precisions": [[p, label("prec", p, lang), t(f"legend_prec:{p}", lang)] for p in PRECISIONS],
        "schematicOpacity": SCHEMATIC_OPACITY,
    }


# The legend control. Expects `map`, `cfg` (cfg.styles, cfg.legend, cfg.presenter), `esc`, `label`
# in scope; `legendAdd(kind, geom)` records a drawn kind, `legendDraw()` (re)builds the list.
LEGEND_JS: str = """
  var drawnKinds = {};
  var legendAdd = function (kind, geom) { if (!drawnKinds[kind]) { drawnKinds[kind] = geom; } };
  var svgSym = function (st, geom, opacity) {
    var op = opacity == null ? 1 : opacity;
    if (geom === "point") {
      var s = st.point, r = Math.min(s.radius, 7);
      return '<svg width="22" height="16"><circle cx="11" cy="8" r="' + r + '" fill="' + esc(s.fillColor) +
        '" fill-opacity="' + s.fillOpacity + '" stroke="' + esc(s.color) + '" stroke-width="' + s.weight + '"/></svg>';
    }
    if (geom === "line") {
      var l = st.line;
      return '<svg width="22" height="16"><line x1="1" y1="8" x2="21" y2="8" stroke="' + esc(l.color) +
        '" stroke-width="' + l.weight + '" stroke-opacity="' + (l.opacity * op) + '"' +
        (l.dashArray ? ' stroke-dasharray="' + esc(l.dashArray) + '"' : '') +
        (l.lineCap ? ' stroke-linecap="' + esc(l.lineCap) + '"' : '') + '/></svg>';
    }
    var a = st.area;
    return '<svg width="22" height="16"><rect x="2" y="2" width="18" height="12" fill="' + esc(a.fillColor) +
      '" fill-opacity="0.15" stroke="' + esc(a.color) + '" stroke-width="' + Math.min(a.weight, 2.5) +
      '" stroke-opacity="' + op + '"' + (a.dashArray ? ' stroke-dasharray="' + esc(a.dashArray) + '"' : '') +
      '/></svg>';
  };
  var legendBox = null;
  var legendDraw = function () {
    if (!legendBox) { return; }
    var L_ = cfg.legend, html = [];
    L_.families.forEach(function (fam) {
      var rows = [];
      Object.keys(drawnKinds).sort().forEach(function (k) {
        var st = cfg.styles[k];
        if (!st || st.family !== fam[0]) { return; }
        rows.push('<div class="pa-lg-row" data-kind="' + esc(k) + '">' + svgSym(st, drawnKinds[k]) +
                  '<span>' + esc(label(k)) + '</span></div>');
      });
      if (rows.length) {
        html.push('<div class="pa-lg-fam" data-family="' + esc(fam[0]) + '"><div class="pa-lg-h">' + esc(fam[1]) +
                  '</div>' + rows.join("") + '</div>');
      }
    });
    var grey = {color: "#555", point: {radius: 5, color: "#ffffff", weight: 1, fillColor: "#555", fillOpacity: 0.95},
                line: {color: "#555", weight: 3, opacity: 1}, area: {color: "#555", fillColor: "#555", weight: 2}};
    var prec = L_.precisions.map(function (p) {
      var geom = p[0] === "schematic" || p[0] === "exact boundary" ? "line" : "point";
      var op = p[0] === "schematic" ? L_.schematicOpacity : 1;
      return '<div class="pa-lg-row" data-precision="' + esc(p[0]) + '">' + svgSym(grey, geom, op) +
             '<span>' + esc(p[1]) + ' <small>' + esc(p[2]) + '</small></span></div>';
    });
    legendBox.querySelector(".pa-lg-body").innerHTML = html.join("") +
      '<div class="pa-lg-fam"><div class="pa-lg-h">' + esc(L_.precisionTitle) + '</div>' + prec.join("") + '</div>';
  };
  var Legend = L.Control.extend({
    options: {position: "topright"},
    onAdd: function () {
      var div = L.DomUtil.create("div", "pa-legend leaflet-bar");
      var open = !cfg.presenter && map.getSize().x >= 900;  // a small map starts with the legend folded
      div.innerHTML = '<details' + (open ? ' open' : '') + '><summary>' + esc(cfg.legend.title) +
                      '</summary><div class="pa-lg-body"></div></details>';
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      legendBox = div;
      return div;
    }
  });
  new Legend().addTo(map);
"""

LEGEND_CSS: str = (
    ".pa-legend{background:rgba(255,255,255,.93);padding:4px 8px;font-size:12px;line-height:1.25;"
    "max-height:70vh;overflow-y:auto;max-width:230px}"
    ".pa-legend summary{cursor:pointer;font-weight:600;font-size:13px}"
    ".pa-lg-h{font-weight:600;color:#333;margin:5px 0 1px 0}"
    ".pa-lg-row{display:flex;align-items:center;gap:4px;white-space:nowrap}"
    ".pa-lg-row small{color:#777}"
)
