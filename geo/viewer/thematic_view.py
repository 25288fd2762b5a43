"""The thematic map (专题图) on the main map: a choropleth of mentions per county or prefecture with a
classed legend, and proportional symbols for the point places, under the current document filter.

Data: geo.render.thematic (`choropleth`, `proportional_symbols`) over the viewer's full layer set
(layers/ with atlas.sqlite's clauses behind index.json's shape). Nothing here draws geometry: the map
already holds the county and prefecture polygons (geo.viewer.mapview publishes and fetches them), so
`payload` sends only each unit's class (a few kilobytes) and the symbols' positions, and `group` wraps
that in a folium FeatureGroup whose script hands it to the map script (`window.__paThematic`, see
mapview.THEMATIC_JS). st_map passes the group as `feature_group_to_add`: switching the thematic
map on, off or to another level does not re-mount the map. The group is sent with `None` when the
thematic map is off, so the map drops the fills, the legend and the symbols.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import shape

from geo.render.thematic import LEVELS, MentionFilter, choropleth, proportional_symbols, theme_filter
from geo.viewer.data import display_name
from geo.viewer.i18n import label, t
from geo.viewer.state import document_years, thematic_themes

OPTIONS: tuple[str, ...] = ("off",) + LEVELS  # the sidebar's choices; "off" is no thematic map
LAYER_OF: dict[str, str] = {"county": "admin_county", "prefecture": "admin_prefecture"}
SYMBOL_COLOR = "#3b6fb6"
_CACHE: dict[tuple[Any, ...], dict[str, Any]] = {}


def option_label(option: str, lang: str) -> str:
    """The sidebar's label of a choice ("off", "county", "prefecture")."""
    return t(f"thematic_{option}", lang)


@functools.lru_cache(maxsize=1)
def theme_options() -> tuple[str, ...]:
    """The theme selectbox's choices: "" (all themes), then each theme of data/themes.csv in its order
    (the themes layers/atlas.sqlite assigns to clauses); only "" when the table cannot be read."""
    return ("",) + thematic_themes()


def theme_label(theme: str, lang: str) -> str:
    """A theme's name in the interface language (i18n `theme:NAME`, the Chinese name when there is no
    translation); "" is all themes."""
    return label("theme", theme, lang) if theme else t("thematic_all_themes", lang)


def sidebar_controls(documents: Any, lang: str) -> None:
    """The theme selectbox and the period slider (keys `w_ttheme`, `w_tperiod`, read back by
    geo.viewer.state.apply_widget_values), drawn under the thematic map's selectbox when it is on."""
    import streamlit as st

    st.selectbox(t("thematic_theme", lang), theme_options(), key="w_ttheme",
                 format_func=lambda th: theme_label(th, lang))
    years = document_years(documents)
    if len(years) >= 2:  # a range slider (the default makes it one; the view's period comes by the key)
        st.select_slider(t("thematic_period", lang), options=years, value=(years[0], years[-1]), key="w_tperiod")


def period_label(since: int | None, until: int | None, lang: str) -> str:
    """"2021–2023年", "2022年", "2021年起", "2023年及以前" (en: "2021–2023", "since 2021", "up to 2023");
    "" when there is no period."""
    if since is not None and until is not None:
        return t("thematic_period_is", lang, period=str(since) if since == until else f"{since}–{until}")
    if since is not None:
        return t("thematic_since_is", lang, year=since)
    if until is not None:
        return t("thematic_until_is", lang, year=until)
    return ""


def title(level: str, lang: str, theme: str = "", since: int | None = None, until: int | None = None) -> str:
    """The legend's title: what is counted per unit, and the theme and period it is counted over."""
    parts = [t(f"thematic_{level}", lang)]
    if theme:
        parts.append(t("thematic_theme_is", lang, theme=theme_label(theme, lang)))
    if since is not None or until is not None:
        parts.append(period_label(since, until, lang))
    return " · ".join(parts)


def _symbol_at(geom: dict[str, Any] | None) -> tuple[float, float] | None:
    """(lon, lat) of a point place's symbol: the point, or a multipoint's part nearest its centroid."""
    if not geom:
        return None
    g = shape(geom)
    if g.is_empty:
        return None
    if g.geom_type == "MultiPoint":
        c = g.centroid
        g = min(g.geoms, key=lambda p: p.distance(c))
    p = g if g.geom_type == "Point" else g.representative_point()
    return float(p.x), float(p.y)


def mention_filter(docs: tuple[str, ...] | None, theme: str = "", since: int | None = None,
                   until: int | None = None) -> MentionFilter:
    """The clauses the thematic map counts: of the documents `docs` (None: all) dated in the years
    `since`…`until` (None: open), of `theme` ("" = any; geo.render.thematic.theme_filter)."""
    return MentionFilter(docs=frozenset(docs) if docs else None,
                         since=str(since) if since is not None else None,
                         until=str(until) if until is not None else None,
                         clause=theme_filter(theme) if theme else None, label=theme)


def payload(
    layerset: Any,
    level: str,
    docs: tuple[str, ...] | None,
    lang: str,
    shift: Callable[[float, float], tuple[float, float]] | None = None,
    theme: str = "",
    since: int | None = None,
    until: int | None = None,
) -> dict[str, Any]:
    """What the map script draws for `level` under the document filter `docs` (None: all documents),
    counting only the clauses of `theme` ("" = all themes; the clauses' themes in layers/atlas.sqlite)
    in the documents dated in the years `since`…`until` (None = open):
    `layer` (the display layer whose polygons are filled), `fill` (unit id → class number, 0 = none),
    `colors` (class number → fill colour), `classes` ([label, colour], lowest first), `title`,
    `method`, `symbols` ([lat, lon, radius px, name, mentions], largest first) and their legend text.
    `shift` moves the symbols for a GCJ-02 basemap (the polygons come from that basemap's own files)."""
    if level not in LEVELS:
        raise ValueError(f"thematic level must be one of {', '.join(LEVELS)}, not {level!r}")
    inputs = (getattr(layerset, "manifest", None) or {}).get("inputs") or {}
    key = (id(layerset), tuple(sorted(inputs.items())), level, docs, lang, shift is not None, theme, since, until)
    if key in _CACHE:
        return _CACHE[key]
    filt = mention_filter(docs, theme, since, until)
    ch = choropleth(layerset, level, filt)
    cls = ch.classification
    symbols = []
    for f in proportional_symbols(layerset, filt, max_radius=22.0, min_radius=3.0)["features"]:
        at = _symbol_at(f.get("geometry"))
        if at is None:
            continue
        lon, lat = shift(*at) if shift else at
        props = f["properties"]
        symbols.append([round(lat, 5), round(lon, 5), props["radius"], display_name(props, lang),
                        int(props["mentions"])])
    data = {
        "layer": LAYER_OF[level],
        "fill": {f["id"]: f["properties"]["class"] for f in ch.collection["features"]},
        "colors": [cls.color(c) for c in range(cls.k + 1)],
        "classes": [list(pair) for pair in cls.legend()],
        "method": cls.method,
        "title": title(level, lang, theme, since, until),
        "symbols": symbols,
        "symbolsLabel": t("thematic_symbols", lang),
        "symbolColor": SYMBOL_COLOR,
    }
    if len(_CACHE) >= 32:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = data
    return data


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element (<, > and & as \\u escapes)."""
    return (json.dumps(value, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


class _Thematic(MacroElement):
    """Hands the thematic map's data (or null) to the map script; kept until the map script exists."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "window.__paThematicWant = {{ this.data }};"
        "if (window.__paThematic) { window.__paThematic(window.__paThematicWant); }"
        "{% endmacro %}"
    )

    def __init__(self, data: dict[str, Any] | None) -> None:
        super().__init__()
        self._name = "PaThematic"
        self.data = _script_json(data)


def group(data: dict[str, Any] | None) -> folium.FeatureGroup:
    """The FeatureGroup for st_map's `feature_group_to_add` (no geometry: a script with `data`)."""
    g = folium.FeatureGroup(name="thematic")
    _Thematic(data).add_to(g)
    return g


# The map script's side (inside geo.viewer.mapview's RemoteLayers script, which gives `map`, `esc` and
# calls `themStyle(layerName, feature)` in the admin layers' style functions and registers each layer's
# GeoJSON groups in `byName`). Every text goes through `esc`.
THEMATIC_JS = """
  var them = null, themLegend = null, themSymbols = null, byName = {};
  var themStyle = function (layerName, f) {
    if (!them || them.layer !== layerName) { return null; }
    var c = them.fill[f.properties.id];
    if (c === undefined) { return null; }
    return {color: "#7a7a7a", weight: 0.6, opacity: 0.9, fill: true, fillColor: them.colors[c],
            fillOpacity: c ? 0.75 : 0.35};
  };
  var themRestyle = function (name) {
    (byName[name] || []).forEach(function (g) { g.eachLayer(function (l) { g.resetStyle(l); }); });
  };
  var ThemLegend = L.Control.extend({
    options: {position: "bottomleft"},
    onAdd: function () {
      var div = L.DomUtil.create("div", "pa-thematic-legend leaflet-bar");
      var h = '<div class="pa-th-title">' + esc(them.title) + '</div>';
      them.classes.forEach(function (c) {
        h += '<div class="pa-th-row"><span class="pa-th-sw" style="background:' + esc(c[1]) + '"></span>' +
             '<span class="pa-th-label">' + esc(c[0]) + '</span></div>';
      });
      if (them.symbols.length) {
        h += '<div class="pa-th-row"><span class="pa-th-dot" style="background:' + esc(them.symbolColor) +
             '"></span><span>' + esc(them.symbolsLabel) + '</span></div>';
      }
      div.innerHTML = h;
      L.DomEvent.disableClickPropagation(div);
      return div;
    }
  });
  window.__paThematic = function (d) {
    var before = them ? them.layer : null;
    them = d || null;
    if (before) { themRestyle(before); }
    if (them && them.layer !== before) { themRestyle(them.layer); }
    if (themLegend) { themLegend.remove(); themLegend = null; }
    if (themSymbols) { themSymbols.remove(); themSymbols = null; }
    if (them) {
      themLegend = new ThemLegend().addTo(map);
      var pane = map.getPane("pa-thematic") ? "pa-thematic" : "overlayPane";
      themSymbols = L.layerGroup(them.symbols.map(function (s) {
        return L.circleMarker([s[0], s[1]], {pane: pane, radius: s[2], color: "#ffffff", weight: 1,
                                             fillColor: them.symbolColor, fillOpacity: 0.5, interactive: false});
      })).addTo(map);
    }
    map.getContainer().setAttribute("data-pa-thematic", them ? them.layer : "");
  };
"""

THEMATIC_CSS = (
    ".pa-thematic-legend{background:rgba(255,255,255,.92);padding:6px 8px;font-size:12px;line-height:1.35;"
    "max-width:220px}.pa-th-title{font-weight:600;margin-bottom:3px}"
    ".pa-th-row{display:flex;align-items:center;gap:6px}"
    ".pa-th-sw{width:18px;height:12px;border:1px solid #999;flex:none}"
    ".pa-th-dot{width:12px;height:12px;border-radius:50%;opacity:.6;flex:none}"
)
