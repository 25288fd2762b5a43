"""Which feature a click means: the map script's picking rule (JavaScript, run in the map frame).

A click or hover on the map gathers every drawn feature under the cursor from the layers' own
geometry — not from whatever SVG path happens to lie on top — and ranks them:

1. points (circle markers) within `PICK_TOLERANCE_PX` of the cursor, nearest first;
2. lines within `PICK_TOLERANCE_PX`, nearest first;
3. areas containing the cursor, smallest first (projected area of the rings).

So a port wins over the city around it, a railway over the region it crosses, and a county over
the prefecture, composite and economic belt that contain it, whatever their drawing order.
The best candidate replaces the clicked layer in the click event before streamlit-folium reads
it (our listener runs first on the same event object), so the app receives the chosen feature.
Hovering shows one tooltip for the same feature and thickens a line under the cursor.
`window.__paHere` keeps the ids of every candidate of the last click ("what is here").

`PICK_JS` is inserted into geo.viewer.mapview's map script; it expects `map`, `cfg`, `esc`,
`label` and the list `groups` (the interactive GeoJSON layers) in scope, and defines
`pickAt(latlng)`, `onPick(group)` and `bindHover()`. Data: none.
"""

from __future__ import annotations

__all__ = ["PICK_JS", "PICK_TOLERANCE_PX"]

PICK_TOLERANCE_PX: int = 7

PICK_JS: str = """
  var TOL = __TOL__;
  var ringArea = function (ring) {
    var a = 0;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      a += (ring[j].x + ring[i].x) * (ring[j].y - ring[i].y);
    }
    return Math.abs(a / 2);
  };
  var partsOf = function (l) { return l.getLayers ? l.getLayers() : [l]; };
  // every feature under a point, best first: points, then lines (by pixel distance), then areas (by size)
  var pickAt = function (latlng) {
    var p = map.latLngToLayerPoint(latlng), out = [], seen = {};
    groups.forEach(function (g) {
      g.eachLayer(function (l) {
        partsOf(l).forEach(function (part) {
          var f = part.feature || l.feature;
          if (!f || !map.hasLayer(part)) { return; }
          var hit = null;
          if (part instanceof L.CircleMarker) {
            var d = p.distanceTo(part._point) - part._radius;
            if (d <= TOL) { hit = {rank: 0, d: Math.max(d, 0)}; }
          } else if (part instanceof L.Polygon) {
            if (part._pxBounds && part._pxBounds.contains(p) && part._containsPoint(p)) {
              var a = 0;
              (part._rings || []).forEach(function (r) { a += ringArea(r); });
              hit = {rank: 2, d: a};
            }
          } else if (part instanceof L.Polyline) {
            if (part._parts && part._parts.length) {
              var q = part.closestLayerPoint(p);
              if (q && q.distance <= TOL) { hit = {rank: 1, d: q.distance}; }
            }
          }
          if (hit) {
            var id = f.properties.id, old = seen[id];
            hit.layer = part; hit.group = g; hit.f = f;
            if (!old || hit.rank < old.rank || (hit.rank === old.rank && hit.d < old.d)) { seen[id] = hit; }
          }
        });
      });
    });
    for (var k in seen) { out.push(seen[k]); }
    out.sort(function (a, b) { return a.rank - b.rank || a.d - b.d || (a.f.properties.id < b.f.properties.id ? -1 : 1); });
    return out;
  };
  window.__paPickAt = function (x, y) {  // container pixel → ids, best first (for tests and "what is here")
    return pickAt(map.containerPointToLatLng([x, y])).map(function (h) { return h.f.properties.id; });
  };
  window.__paHere = [];
  // a click on any interactive layer: choose the best feature and hand it on as the clicked layer
  var onPick = function (group) {
    return function (e) {
      var hits = pickAt(e.latlng);
      window.__paHere = hits.map(function (h) { return h.f.properties.id; });
      var best = hits.length ? hits[0] : {layer: e.layer || e.sourceTarget, group: group};
      e.layer = best.layer; e.sourceTarget = best.layer; e.propagatedFrom = best.layer;
      var lyr = best.layer;
      if (!lyr || !lyr.setStyle) { return; }
      window.__paClearSel();
      lyr.setStyle(lyr instanceof L.CircleMarker ? {color: "#d62728", weight: 3, radius: 8}
                                                 : selStyle);
      if (lyr.bringToFront) { lyr.bringToFront(); }
      window.__paSel = {group: best.group, layer: lyr};
    };
  };
  // hover: one tooltip for the feature a click would choose; a line under the cursor is thickened
  var bindHover = function () {
    var tip = L.tooltip({sticky: true, className: "pa-tip", direction: "top", offset: [0, -6]});
    var hot = null, last = 0;
    var cool = function () {
      if (hot && !(window.__paSel && window.__paSel.layer === hot.layer)) { hot.group.resetStyle(hot.layer); }
      hot = null;
    };
    map.on("mousemove", function (e) {
      var now = Date.now();
      if (now - last < 40) { return; }
      last = now;
      var hits = pickAt(e.latlng), best = hits[0];
      if (!best) { cool(); map.closeTooltip(tip); map.getContainer().style.cursor = ""; return; }
      map.getContainer().style.cursor = "pointer";
      var p = best.f.properties;
      tip.setLatLng(e.latlng).setContent(esc(nm(p)) + " <span class=\\"pa-kind\\">" + esc(label(p.kind)) + "</span>");
      if (!map.hasLayer(tip)) { map.openTooltip(tip); }
      if (!hot || hot.layer !== best.layer) {
        cool();
        if (best.rank === 1 && !(window.__paSel && window.__paSel.layer === best.layer)) {
          best.layer.setStyle({weight: (best.layer.options.weight || 3) + 3, opacity: 1});
          hot = best;
        }
      }
    });
    map.on("mouseout", function () { cool(); map.closeTooltip(tip); });
  };
""".replace("__TOL__", str(PICK_TOLERANCE_PX))
