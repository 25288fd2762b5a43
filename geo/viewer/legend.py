"""Cartography of the map: kinds grouped into families, each family one colour-blind-safe hue,
kinds within a family told apart by symbol, and the legend that explains it.

Colours are the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies
and on a projector), one per family; administrative units stay a quiet grey because they are
the basemap. Within a family, each kind gets the next symbol variant of its geometry: point
markers (filled, ring, large with dark outline, small, pale, large ring), line weights (plain, wide, broad band,
dash-dot, dotted) and area outlines. Precision is drawn the same way everywhere: schematic
geometry is semi-transparent, exact boundaries are solid.

`styles(kinds)` is the table the map script draws with (geo.viewer.mapview), and `LEGEND_JS`
the script that builds the collapsible legend on the map from the kinds actually drawn (so it
lists every kind on screen and nothing else). Data: none (constants).
"""

from __future__ import annotations

from collections.abc import Iterable

from geo import models
from geo.palette import BY_KIND as _BY_KIND
from geo.palette import FAMILIES, OTHER, Family, kind_color, kind_family
from geo.viewer.i18n import label, t

__all__ = ["FAMILIES", "LEGEND_JS", "PRECISIONS", "Family", "kind_color", "kind_family", "legend_config",
           "styles"]


POINT_VARIANTS: tuple[dict[str, object], ...] = (
    {"radius": 5, "color": "#ffffff", "weight": 1, "fillOpacity": 0.95},       # filled
    {"radius": 5, "color": None, "weight": 2.5, "fillColor": "#ffffff", "fillOpacity": 1},  # ring
    {"radius": 6.5, "color": "#222222", "weight": 1.2, "fillOpacity": 0.95},   # large, dark outline
    {"radius": 3.5, "color": "#ffffff", "weight": 0.8, "fillOpacity": 0.95},   # small
    {"radius": 5, "color": "#222222", "weight": 2, "fillOpacity": 0.35},       # pale, dark ring
    {"radius": 7, "color": None, "weight": 1.5, "fillColor": "#ffffff", "fillOpacity": 0.6},  # large ring
)
LINE_VARIANTS: tuple[dict[str, object], ...] = (  # dashes are kept for schematic and planned lines
    {"weight": 3, "opacity": 0.9},                                    # plain
    {"weight": 5, "opacity": 0.75},                                   # wide
    {"weight": 8, "opacity": 0.35},                                   # broad band
    {"weight": 2, "opacity": 0.95},                                   # thin
    {"weight": 4, "opacity": 0.55, "lineCap": "square"},              # pale
    {"weight": 1.5, "opacity": 0.9},                                  # hairline
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
PRECISIONS: tuple[str, ...] = models.PRECISIONS + models.COURSE_PRECISIONS + models.SNAP_PRECISIONS
SCHEMATIC_OPACITY: float = 0.55


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


# The legend control. Expects `map`, `cfg` (cfg.styles, cfg.legend), `esc`, `label`
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
      var open = map.getSize().x >= 900;  // a small map starts with the legend folded
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
