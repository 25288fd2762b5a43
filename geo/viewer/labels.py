"""City labels on the map: the prefecture-level cities (and the municipalities) named on the
default view, placed so that no label overlaps another at any zoom.

Each label sits at the centre of its unit's bounding box (from the admin display files the map
already fetches). After every zoom or pan the labels are laid out greedily, most-mentioned city
first: a label whose box would touch an already placed one (or leave the map) is hidden until
there is room. The selection's own labels are placed first, and a city they name is not labelled
again. Labels do not take clicks (they never hide a feature from the picking of
geo.viewer.pick). Presenter mode has its own large labels and skips these.

`LABELS_JS` is inserted into geo.viewer.mapview's map script; it expects `map`, `cfg`, `esc` in
scope (and `nm`, a place's name in the page's language) and defines `cityLabels(layerName, featureCollection)` and `declutter()`. Data: none.
"""

from __future__ import annotations

__all__ = ["LABELS_CSS", "LABELS_JS"]

LABELS_JS: str = """
  var cityTips = [];
  var declutter = function () {
    var box = map.getContainer().getBoundingClientRect(), placed = [], named = {};
    // the selection's own permanent labels (geo.viewer.highlight.highlight_group) come first: a city
    // they name is not labelled again, and the other labels keep clear of them
    map.getContainer().querySelectorAll(".leaflet-tooltip.pa-label").forEach(function (e) {
      named[(e.textContent || "").trim()] = true;
      placed.push(e.getBoundingClientRect());
    });
    // and none goes under the legend
    map.getContainer().querySelectorAll(".pa-legend").forEach(function (e) {
      placed.push(e.getBoundingClientRect());
    });
    cityTips.forEach(function (c) {
      var el = c.tip.getElement();
      if (!el) { return; }
      el.style.visibility = "";
      var r = el.getBoundingClientRect(), m = 2;
      var out = r.left < box.left || r.top < box.top || r.right > box.right || r.bottom > box.bottom;
      var hit = out || named[c.name] || placed.some(function (q) {
        return r.left - m < q.right && r.right + m > q.left && r.top - m < q.bottom && r.bottom + m > q.top;
      });
      if (hit) { el.style.visibility = "hidden"; el.classList.add("pa-hidden"); }
      else { el.classList.remove("pa-hidden"); placed.push(r); }
    });
  };
  var cityLabels = function (layerName, fc) {
    (fc.features || []).forEach(function (f) {
      var p = f.properties || {};
      var city = layerName === "admin_prefecture" ||
                 (layerName === "admin_province" && /市$/.test(p.name || ""));  // a municipality
      if (!city || !f.geometry) { return; }
      var at = L.geoJSON(f).getBounds().getCenter();
      var tip = L.tooltip({permanent: true, direction: "center", className: "pa-city", interactive: false})
        .setLatLng(at).setContent(esc(nm(p)));
      tip.addTo(map);
      var el = tip.getElement();
      if (el) { el.setAttribute("data-pa-label", p.id); }
      cityTips.push({tip: tip, n: p.n || 0, name: nm(p)});
    });
    cityTips.sort(function (a, b) { return b.n - a.n || (a.name < b.name ? -1 : 1); });
    declutter();
  };
  map.on("zoomend moveend resize", function () { setTimeout(declutter, 0); });
  // a selection drawn (or cleared) later, without a move: lay the labels out again
  var relabel = false;
  map.on("layeradd layerremove", function () {
    if (relabel || !cityTips.length) { return; }
    relabel = true;
    setTimeout(function () { relabel = false; declutter(); }, 50);
  });
"""

LABELS_CSS: str = (
    ".pa-city{background:transparent;border:none;box-shadow:none;padding:0;font-size:12px;font-weight:600;"
    "color:#263238;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;pointer-events:none}"
    ".pa-city:before{display:none}"
)
