"""The folium map of the viewer, built from layers/ and a view state — pure, no Streamlit here.

Offline first: Leaflet and its CSS come from /app/static/ (Streamlit's static serving of ./static,
filled by `python -m geo assets`); no Bootstrap, Font-Awesome or awesome-markers, no CDN. With no
internet the map draws on a light vector basemap made of the admin layers; online tile basemaps
(OpenStreetMap, CartoDB, Gaode/AMap, Tianditu) are options drawn underneath.

Speed: the geometry is not embedded in the map script. `publish_layers` writes each layer once
as a slim display file (display properties only, 4 decimals ≈ 10 m) under static/_layers/<digest>/,
and the map script fetches them. The script stays a few kilobytes, so every Streamlit rerun sends
a few kilobytes, the browser caches the geometry, and the map is re-mounted only when the script
changes (filters, basemap). The selection highlight is a separate FeatureGroup
(streamlit-folium's `feature_group_to_add`), so selecting does not re-mount the map.

Escaping: every name from the gazetteer reaches the page as text — the tooltip strings are built
with an HTML-escaping function in the map script, and the highlight tooltips with `html.escape`.

Gaode/AMap tiles are GCJ-02: for that basemap the drawn data are shifted (display only) with
`geo.geometry.wgs84_to_gcj02`.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from geo.palette import kind_color  # noqa: F401  (re-exported: the viewer's colours)
from geo.specs import admin_layers, draw_order, layer_spec
from geo.storage import atomic_write_text
from geo.viewer import legend
from geo.viewer.assets import STATIC_URL
from geo.viewer.basemaps import BASEMAPS
from geo.viewer.labels import LABELS_CSS, LABELS_JS
from geo.viewer.legend import LEGEND_CSS, LEGEND_JS
from geo.viewer.pick import PICK_JS
from geo.viewer.thematic_view import THEMATIC_CSS, THEMATIC_JS

LOCAL_JS: list[tuple[str, str]] = [("leaflet", f"{STATIC_URL}/leaflet/leaflet.js")]
LOCAL_CSS: list[tuple[str, str]] = [("leaflet_css", f"{STATIC_URL}/leaflet/leaflet.css")]

# Drawing order, bottom to top (geo/specs.py). Admin layers double as the offline basemap.
DRAW_ORDER: tuple[str, ...] = draw_order()
BASEMAP_LAYERS: frozenset[str] = frozenset(admin_layers())
DISPLAY_PROPS: tuple[str, ...] = ("id", "name", "name_en", "kind", "layer", "precision")
PUBLISH_DIR: str = "_layers"
DISPLAY_DECIMALS: int = 4  # ≈ 10 m: invisible below zoom 13, and a smaller file to parse
_PUBLISH_VERSION = "4"


HIGHLIGHT_COLOR = "#d62728"
SESSION_COLOR = "#6a3d9a"  # an uploaded plan's places


# --- display files ------------------------------------------------------------------------------


def _round_coords(coords: Any, nd: int, fn: Callable[[float, float], tuple[float, float]] | None) -> Any:
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
        x, y = float(coords[0]), float(coords[1])
        if fn is not None:
            x, y = fn(x, y)
        return [round(x, nd), round(y, nd)]
    return [_round_coords(c, nd, fn) for c in coords]


def _display_geometry(
    geom: dict[str, Any] | None, fn: Callable[[float, float], tuple[float, float]] | None, nd: int = 5
) -> dict[str, Any] | None:
    if not geom:
        return None
    if geom.get("type") == "GeometryCollection":
        return {"type": "GeometryCollection",
                "geometries": [_display_geometry(g, fn, nd) for g in geom.get("geometries", [])]}
    return {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"], nd, fn)}


def display_feature(
    feature: Mapping[str, Any], fn: Callable[[float, float], tuple[float, float]] | None = None, nd: int = 5
) -> dict[str, Any]:
    """A slim copy of a feature for drawing: display properties, doc ids (`d`), mention count (`n`),
    `s` = 1 for lines drawn dashed (schematic, planned or under construction), coordinates rounded
    to `nd` decimals."""
    props = feature.get("properties") or {}
    slim = {k: props.get(k, "") for k in DISPLAY_PROPS}
    slim["id"] = str(feature.get("id") or props.get("id") or "")
    slim["n"] = int(props.get("mention_count") or 0)
    slim["d"] = list(props.get("doc_ids") or [])
    if props.get("layer") == "lines" and (
        props.get("precision") == "schematic" or props.get("status") in ("planned", "under construction")
    ):
        slim["s"] = 1  # drawn dashed: not a real course (schematic) or not on the ground (planned)
    return {"type": "Feature", "id": slim["id"], "properties": slim,
            "geometry": _display_geometry(feature.get("geometry"), fn, nd)}


def gcj02_shift() -> Callable[[float, float], tuple[float, float]]:
    """WGS-84 → GCJ-02 for one (lon, lat), from geo.geometry (for the Gaode/AMap basemap only)."""
    from geo.places.geometry import wgs84_to_gcj02

    def shift(lon: float, lat: float) -> tuple[float, float]:
        x, y = wgs84_to_gcj02(lon, lat)
        return float(x), float(y)

    return shift


def _gcj02_collection(fc: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a FeatureCollection shifted to GCJ-02 (vectorised through shapely)."""
    import numpy as np
    import shapely
    from shapely.geometry import mapping, shape

    from geo.places.geometry import wgs84_to_gcj02

    def shift_xy(xy: Any) -> Any:
        x, y = wgs84_to_gcj02(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    feats = []
    for f in fc.get("features", []):
        g = f.get("geometry")
        if g:
            g = mapping(shapely.transform(shape(g), shift_xy))
            g = json.loads(json.dumps(g))  # tuples → lists
        feats.append({**f, "geometry": g})
    return {"type": "FeatureCollection", "features": feats}


def layers_digest(layerset: Any) -> str:
    """A short digest of the layer contents (changes when layers/ is rebuilt)."""
    h = hashlib.sha256(_PUBLISH_VERSION.encode())
    entries = (layerset.manifest or {}).get("layers") or {}
    if entries and all(isinstance(e, Mapping) and e.get("sha256") for e in entries.values()):
        h.update(json.dumps({k: v.get("sha256") for k, v in sorted(entries.items())}).encode())
    else:
        for name in sorted(layerset.collections):
            h.update(json.dumps(layerset.collections[name], sort_keys=True).encode())
    return h.hexdigest()[:12]


def publish_layers(layerset: Any, static_dir: Path, gcj02: bool = False) -> dict[str, str]:
    """Write the display files under static_dir/_layers/<digest>/ (once); returns layer → URL.

    The digest is in the path, so browsers may cache the files and a rebuild gets new URLs.
    """
    digest = layers_digest(layerset)
    suffix = "-gcj02" if gcj02 else ""
    folder = static_dir / PUBLISH_DIR / digest
    urls: dict[str, str] = {}
    for name in DRAW_ORDER:
        fc = layerset.collections.get(name)
        if fc is None:
            continue
        fname = f"{name}{suffix}.json"
        path = folder / fname
        if not path.exists():
            source = _gcj02_collection(fc) if gcj02 else fc
            slim = {"type": "FeatureCollection",
                    "features": [display_feature(f, nd=DISPLAY_DECIMALS) for f in source.get("features", [])]}
            # processes may publish at once: each writes its own temporary file, then renames
            atomic_write_text(path, json.dumps(slim, ensure_ascii=False, separators=(",", ":")), durable=False)
        urls[name] = f"{STATIC_URL}/{PUBLISH_DIR}/{digest}/{fname}"
    return urls


# --- the map --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapSpec:
    """Everything the map script depends on (a change here re-mounts the map)."""

    layer_urls: dict[str, str]
    kinds: tuple[str, ...] | None = None  # enabled kinds; None = all
    docs: tuple[str, ...] | None = None  # document filter; None = all
    basemap: str = "vector"
    tianditu_key: str = ""
    center: tuple[float, float] = (30.1, 105.3)
    zoom: int = 7
    kind_labels: tuple[tuple[str, str], ...] = ()
    attribution: str = ""  # plain text credited for the lines layer (manifest attributions: © OSM …)
    fit: tuple[float, float, float, float] | None = None  # (w, s, e, n) the first view fits, if any
    lang: str = "zh"  # the legend's and the place names' language
    address: bool = False  # the page address follows the map's position (the main map only)


def _js_json(value: Any) -> str:
    """JSON safe to embed inside a <script> element."""
    return (
        json.dumps(value, ensure_ascii=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


class RemoteLayers(MacroElement):
    """Fetches the display files and draws them, styled by layer, kind and document filter."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var cfg = {{ this.config }};
  var esc = function (s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  };
  // a place's name in the page's language (the English name, or the Chinese one when there is none)
  var nm = function (p) { return (cfg.lang === "en" && p.name_en) || p.name || ""; };
  var kindOn = function (p) { return cfg.kinds === null || cfg.kinds.indexOf(p.kind) >= 0; };
  var inDocs = function (p) {
    if (cfg.docs === null) { return (p.n || 0) > 0; }
    var d = p.d || [];
    for (var i = 0; i < d.length; i++) { if (cfg.docs.indexOf(d[i]) >= 0) { return true; } }
    return false;
  };
  var color = function (k) { return cfg.colors[k] || "#444444"; };
  var styleOf = function (k) {
    return cfg.styles[k] || {color: color(k), family: "other",
      point: {radius: 5, color: "#ffffff", weight: 1, fillColor: color(k), fillOpacity: 0.95},
      line: {color: color(k), weight: 3, opacity: 0.9}, area: {color: color(k), weight: 1.5, fillColor: color(k),
      fillOpacity: 0.02}};
  };
  var label = function (k) { return cfg.labels[k] || k; };
  var tip = function (f, l) {
    var p = f.properties;
    // multi-part features are groups: give each part the feature, so a click on a part reports it
    if (l.eachLayer) { l.eachLayer(function (part) { part.feature = f; }); }
    l.on("add", function () {  // the feature id on its SVG element(s): what a test or a script can find
      partsOf(l).forEach(function (part) {
        var el = part.getElement && part.getElement();
        if (el) { el.setAttribute("data-pa-id", p.id); }
      });
    });
    // the hover tooltip names the feature a click would choose (geo.viewer.pick)
  };
  // a click highlights its feature at once, in the browser (no re-send of the map); the Python
  // highlight group (selection from search, reader, permalink; clause places) clears it
  var selStyle = {color: "#d62728", weight: 4, opacity: 0.95, fillColor: "#ffd166", fillOpacity: 0.3};
  window.__paSel = null;
  window.__paClearSel = function () {
    var s = window.__paSel;
    if (s) { s.group.resetStyle(s.layer); window.__paSel = null; }
  };
  var groups = [];
{{ this.pick_js }}
  bindHover();
{{ this.legend_js }}
{{ this.labels_js }}
{{ this.thematic_js }}
  // the map fills its frame, whose height the page sets from the viewport (geo.viewer.layout)
  var fitted = false;
  // an open legend covers the map's top right: the first view keeps its places clear of it
  var legendRoom = function () {
    return map.getContainer().querySelector(".pa-legend details[open]") ? 240 : 0;
  };
  var fitHome = function () {
    if (cfg.fit && !fitted && map.getSize().y > 50) {
      map.fitBounds(cfg.fit, {paddingTopLeft: [6, 6], paddingBottomRight: [6 + legendRoom(), 6]});
      fitted = true;
    }
  };
  window.addEventListener("resize", function () { map.invalidateSize(); fitHome(); });
  map.invalidateSize();
  fitHome();
  // the page address follows the map's position in place (history.replaceState): a pan is no new
  // history entry, so Back and Forward step through views, not pans (geo.viewer.app.sync_query_params)
  if (cfg.address) {
    map.on("moveend", function () {
      try {
        var w = window.parent, u = new URL(w.location.href), c = map.getCenter();
        u.searchParams.set("lat", c.lat.toFixed(5));
        u.searchParams.set("lon", c.lng.toFixed(5));
        u.searchParams.set("z", String(map.getZoom()));
        w.history.replaceState(w.history.state, "", u.pathname + u.search);
      } catch (e) { /* not the app's own page: the permalink still carries the position */ }
    });
  }
  var loaded = 0;
  map.getContainer().setAttribute("data-pa-loaded", "0");
  // a point placed only approximately (precision "approximate point") is drawn hollow: a ring in its colour
  function pointStyle(p, st) {
    var out = L.extend({}, st.point, {radius: st.point.radius});
    if (p.precision === "approximate point") {
      out.color = color(p.kind); out.weight = Math.max(out.weight || 1, 2); out.fillOpacity = 0;
    }
    return out;
  }
  cfg.layers.forEach(function (spec, i) {
    var pane = "pa-" + spec.name;
    // the thematic map's symbols (geo.viewer.thematic_view): beneath the points, above the areas
    if (spec.name === "points") { map.createPane("pa-thematic").style.zIndex = 300 + i; }
    map.createPane(pane).style.zIndex = 300 + i;  // below overlayPane (400): the selection highlight stays on top
    var basemap = spec.basemap;
    var lineW = spec.weight || 1;
    var active = L.geoJSON(null, {
      pane: pane, smoothFactor: 1.5, attribution: spec.name === "lines" && cfg.attribution ? cfg.attribution : null,
      filter: function (f) {
        var p = f.properties;
        if (!kindOn(p)) { return false; }
        return basemap || cfg.docs === null || inDocs(p);
      },
      style: function (f) {
        var p = f.properties, hit = inDocs(p), c = color(p.kind), st = styleOf(p.kind);
        var faint = p.precision === "schematic" ? cfg.schematicOpacity : 1;
        if (f.geometry && /Point$/.test(f.geometry.type)) {  // circle markers (areas shown at their anchor too)
          return pointStyle(p, st);
        }
        if (spec.name === "lines") {  // real courses solid; schematic, planned and under-construction lines dashed
          return L.extend({}, st.line, {opacity: st.line.opacity * faint, dashArray: p.s === 1 ? "7 5" : null,
                                        weight: st.line.weight});
        }
        if (basemap) {
          var th = themStyle(spec.name, f);
          if (th) { return th; }
          return {color: hit ? c : "#9aa5b1", weight: hit ? lineW + 0.4 : lineW, fill: true,
                  fillColor: hit ? c : "#ffffff", fillOpacity: hit ? 0.07 : 0.03};
        }
        // regions overlap a lot: a nearly clear fill (still clickable), the outline carries the colour
        return L.extend({}, st.area, {opacity: faint});
      },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, L.extend({pane: pane}, pointStyle(f.properties, styleOf(f.properties.kind))));
      },
      onEachFeature: function (f, l) {
        tip(f, l);
        var g = f.geometry && /Point$/.test(f.geometry.type) ? "point" : spec.name === "lines" ? "line" : "area";
        legendAdd(f.properties.kind, g);
      }
    });
    var quiet = basemap ? L.geoJSON(null, {
      pane: pane, interactive: false, smoothFactor: 2,
      filter: function (f) { return !kindOn(f.properties); },
      style: function (f) { return themStyle(spec.name, f) || {color: "#b8c0c8", weight: lineW,
                                   fill: spec.name === "admin_county", fillColor: "#ffffff", fillOpacity: 0.05}; }
    }) : null;
    if (quiet) { quiet.addTo(map); }
    byName[spec.name] = quiet ? [active, quiet] : [active];
    groups.push(active);
    active.on("click", onPick(active));
    active.addTo(map);
    fetch(spec.url).then(function (r) { return r.json(); }).then(function (fc) {
      if (quiet) { quiet.addData(fc); }
      active.addData(fc);
      cityLabels(spec.name, fc);
    }).catch(function (e) { console.error("plan atlas: layer", spec.name, e); })
      .finally(function () {
        legendDraw();
        loaded += 1;
        map.getContainer().setAttribute("data-pa-loaded", String(loaded));
      });
  });
  if (window.__paThematicWant !== undefined) { window.__paThematic(window.__paThematicWant); }
})();
{% endmacro %}
"""
    )

    def __init__(self, spec: MapSpec) -> None:
        super().__init__()
        self._name = "RemoteLayers"
        self.pick_js = PICK_JS
        self.legend_js = LEGEND_JS
        self.labels_js = LABELS_JS
        self.thematic_js = THEMATIC_JS
        layers = [
            {"name": name, "url": spec.layer_urls[name], "basemap": name in BASEMAP_LAYERS,
             "weight": layer_spec(name).outline_weight}
            for name in DRAW_ORDER
            if name in spec.layer_urls
        ]
        kinds = {k for k, _ in spec.kind_labels} | set(spec.kinds or ())
        self.config = _js_json(
            {
                "layers": layers,
                "kinds": list(spec.kinds) if spec.kinds is not None else None,
                "docs": list(spec.docs) if spec.docs is not None else None,
                "colors": {k: kind_color(k) for k in sorted(kinds)},
                "styles": legend.styles(kinds),
                "legend": legend.legend_config(spec.lang),
                "schematicOpacity": legend.SCHEMATIC_OPACITY,
                "labels": dict(spec.kind_labels),
                "attribution": escape(spec.attribution),  # Leaflet shows attributions as HTML
                "fit": [[spec.fit[1], spec.fit[0]], [spec.fit[3], spec.fit[2]]] if spec.fit else None,
                "address": spec.address,
                "lang": spec.lang,
            }
        )


def _map_css() -> str:
    return (
        "<style>"
        ".leaflet-container{background:#eef2f5;font-family:'Noto Sans CJK SC','Noto Sans SC',"
        "'Microsoft YaHei',sans-serif}"
        ".pa-tip,.pa-label{font-size:13px}"
        ".pa-kind{color:#777;font-size:85%}"
        "html,body{height:100%;margin:0}"
        ".folium-map{height:100vh!important;width:100%!important}"
        # no focus rectangle around a clicked SVG path (the selection style shows what is chosen)
        "path.leaflet-interactive:focus{outline:none}"
        + LEGEND_CSS + LABELS_CSS + THEMATIC_CSS +
        ".pa-label{font-weight:600;background:rgba(255,255,255,.85)}"
        "</style>"
    )


def build_map(spec: MapSpec) -> folium.Map:
    """The folium map for a spec: local Leaflet only, basemap, remote layers. A new Map every call."""
    m = folium.Map(
        location=list(spec.center),
        zoom_start=spec.zoom,
        tiles=None,
        control_scale=True,
        zoom_control=True,
        prefer_canvas=False,
        zoom_snap=0.5,  # half zoom levels: the first view fits the economic circle more tightly
    )
    # Per-map assets: only Leaflet, served locally (no jQuery, Bootstrap, Font-Awesome, awesome-markers).
    m.default_js = list(LOCAL_JS)
    m.default_css = list(LOCAL_CSS)
    base = BASEMAPS.get(spec.basemap)
    if base is not None and (not base.needs_key or spec.tianditu_key):
        key = spec.tianditu_key
        folium.TileLayer(
            tiles=base.tiles.replace("{key}", key),
            attr=base.attribution,
            name=base.id,
            subdomains=base.subdomains,
            max_zoom=base.max_zoom,
        ).add_to(m)
        if base.overlay:
            folium.TileLayer(
                tiles=base.overlay.replace("{key}", key),
                attr=base.attribution,
                name=f"{base.id}-labels",
                subdomains=base.subdomains,
                overlay=True,
                max_zoom=base.max_zoom,
            ).add_to(m)
    m.get_root().header.add_child(Element(_map_css()), name="pa_css")
    # the layer files start loading with Leaflet itself, not after it (the map script's fetch takes
    # the preloaded response)
    preload = "".join(
        f'<link rel="preload" href="{escape(spec.layer_urls[name])}" as="fetch" crossorigin="anonymous">'
        for name in DRAW_ORDER if name in spec.layer_urls
    )
    m.get_root().header.add_child(Element(preload), name="pa_preload")
    RemoteLayers(spec).add_to(m)
    return m


FIT_ROOM_PX: tuple[int, int] = (480, 420)  # the part of the map a fly-to-fit aims at (room for the legend)


def fit_zoom(bbox: tuple[float, float, float, float] | None, width_px: int = 900, height_px: int = 640) -> int:
    """A Web-Mercator zoom level at which `bbox` (w, s, e, n) fits the given pixel box (4…10; points: 10)."""
    if bbox is None:
        return 7
    w, s, e, n = bbox
    dx = max(e - w, 1e-6)
    y1 = math.log(math.tan(math.pi / 4 + math.radians(max(min(s, 85), -85)) / 2))
    y2 = math.log(math.tan(math.pi / 4 + math.radians(max(min(n, 85), -85)) / 2))
    dy = max(abs(y2 - y1), 1e-9)
    zx = math.log2(360 * width_px / (256 * dx))
    zy = math.log2(2 * math.pi * height_px / (256 * dy))
    return int(max(4, min(10, math.floor(min(zx, zy)))))
