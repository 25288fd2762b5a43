// Presenter mode (geo/viewer/presenter.py): map, legend, caption, keyboard, labels without overlap.
// CFG is the JSON payload written by presenter.payload(). Every text goes in with textContent.
(function () {
  "use strict";
  var S = CFG.strings, steps = CFG.steps, step = Math.min(CFG.start || 0, Math.max(steps.length - 1, 0));
  var thematic = false, layers = {}, byId = {}, counties = null, countyData = null, lastView = "";
  var css = document.createElement("style");
  css.textContent = [
    "html,body{margin:0;height:100%;overflow:hidden;font-family:'Noto Sans CJK SC','Noto Sans SC','Noto Sans CJK JP',sans-serif;background:#fff}",
    "#pp{position:fixed;inset:0;display:grid;grid-template-columns:1fr minmax(220px,19vw);",
    "grid-template-rows:auto 1fr auto;grid-template-areas:'head head' 'map legend' 'cap cap'}",
    "#pp-head{grid-area:head;display:flex;align-items:center;gap:2vmin;padding:1vmin 2vmin;border-bottom:1px solid #ddd}",
    "#pp-title{flex:1;margin:0;font-size:clamp(20px,3.6vmin,80px);line-height:1.2;outline:none;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    "#pp-exit{font-size:clamp(14px,2vmin,40px);padding:.4em .9em;border:2px solid #333;border-radius:.4em;background:#fff;cursor:pointer}",
    "#pp-exit:hover{background:#333;color:#fff}",
    "#pp-main{grid-area:map;position:relative;min-height:0}",
    "#pp-map{position:absolute;inset:0;background:#eaf2f8}",
    "#pp-labels{position:absolute;inset:0;pointer-events:none;z-index:650;overflow:hidden}",
    ".pp-label{position:absolute;white-space:nowrap;font-size:clamp(13px,1.9vmin,44px);font-weight:600;color:#1b1b1b;",
    "background:rgba(255,255,255,.82);padding:.05em .35em;border-radius:.25em;line-height:1.25}",
    ".pp-label.pp-city{font-weight:500;color:#333;background:rgba(255,255,255,.6)}",
    ".pp-label.pp-hl{color:#fff;background:#d62728;font-size:clamp(15px,2.3vmin,52px)}",
    "#pp-legend{grid-area:legend;overflow:auto;padding:1.5vmin;border-left:1px solid #ddd;font-size:clamp(12px,1.6vmin,36px)}",
    "#pp-legend h2{font-size:1.15em;margin:0 0 .5em}#pp-legend .row{display:flex;align-items:center;gap:.5em;margin:.25em 0}",
    "#pp-legend .sw{width:1.4em;height:1em;flex:none;box-sizing:border-box}#pp-legend button{font-size:.9em;margin:.8em 0 .3em}",
    "#pp-legend .keys{color:#666;font-size:.85em;margin-top:1em}",
    "#pp-caption{grid-area:cap;padding:1vmin 2vmin 1.4vmin;border-top:1px solid #ddd;font-size:clamp(16px,2.6vmin,60px);",
    "line-height:1.35;max-height:22vh;overflow:hidden}#pp-caption .lab{color:#d62728;font-weight:700;margin-right:.6em}",
    "#pp-caption .pos{color:#777;font-size:.7em;margin-right:.8em}",
    ".leaflet-control-scale-line{font-size:clamp(11px,1.4vmin,30px)}",
    ".leaflet-control-attribution{font-size:clamp(10px,1.1vmin,24px)!important}",
    ".leaflet-control-zoom a{width:clamp(26px,3.2vmin,68px)!important;height:clamp(26px,3.2vmin,68px)!important;",
    "line-height:clamp(26px,3.2vmin,68px)!important;font-size:clamp(18px,2.4vmin,48px)!important}"
  ].join("");
  document.head.appendChild(css);

  var titleEl = document.getElementById("pp-title");
  titleEl.textContent = CFG.title;
  titleEl.title = S.presenter_title_hint;
  // the edited title goes into the app page's address in place (no rerun), as `ptitle`: the permalink
  // of this view carries it (geo.viewer.state.clean_title limits it again on the way back)
  function keepTitle() {
    var v = titleEl.textContent.replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim().slice(0, CFG.titleMax);
    try {
      var w = window.parent, u = new URL(w.location.href);
      if (v && v !== CFG.defaultTitle) { u.searchParams.set("ptitle", v); } else { u.searchParams.delete("ptitle"); }
      w.history.replaceState(w.history.state, "", u.pathname + u.search);
    } catch (e) { /* not the app's own page */ }
    return v;
  }
  titleEl.addEventListener("input", keepTitle);
  titleEl.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); titleEl.blur(); } });
  titleEl.addEventListener("blur", function () {
    var v = keepTitle();
    if (titleEl.textContent !== (v || CFG.defaultTitle)) { titleEl.textContent = v || CFG.defaultTitle; }
  });
  var exitBtn = document.getElementById("pp-exit");
  exitBtn.textContent = "✕ " + S.presenter_exit + " (Esc)";
  exitBtn.addEventListener("click", leave);

  function leave() {
    // The app's own presenter toggle (hidden sidebar) when there is one: a rerun, no page load.
    // Otherwise navigate the app page (same origin) to the permalink without presenter=1.
    document.body.dataset.exiting = "1";
    try {
      var d = window.parent.document;
      // show the page beneath at once (its map stays mounted): drop the full-window CSS, hide this frame
      Array.prototype.forEach.call(d.querySelectorAll("style"), function (st) {
        if (st.textContent.indexOf("pp-presenter-css") >= 0) st.textContent = "";
      });
      if (window.frameElement) window.frameElement.style.display = "none";
      var sw = Array.prototype.find.call(d.querySelectorAll("[data-testid=stSidebar] label"), function (l) {
        return l.textContent.trim() === CFG.toggle && l.querySelector("input[type=checkbox]");
      });
      if (sw) { sw.querySelector("input[type=checkbox]").click(); return; }
      var a = d.createElement("a");
      a.href = CFG.exit; a.target = "_self"; d.body.appendChild(a); a.click();
    } catch (e) { window.top.location.href = CFG.exit; }
  }

  var map = L.map("pp-map", {zoomControl: false, zoomSnap: 0.25, attributionControl: true, preferCanvas: true});  // canvas: hundreds of polygons draw fast
  map.attributionControl.setPrefix(false).addAttribution(CFG.attribution);
  L.control.zoom({position: "bottomleft"}).addTo(map);
  L.control.scale({position: "bottomright", imperial: false}).addTo(map);
  map.fitBounds(CFG.extent);

  function current() { return steps.length ? steps[step].places : (CFG.selected ? [CFG.selected] : []); }
  function isHl(id) { return current().indexOf(id) >= 0 || id === CFG.selected; }

  function style(f) {
    var p = CFG.places[f.id], hl = isHl(f.id);
    if (!p) return {};
    if (p.layer === "lines") return {color: hl ? "#d62728" : p.color, weight: hl ? 7 : 4, opacity: .9};
    var admin = p.layer.indexOf("admin_") === 0;
    return {color: hl ? "#d62728" : p.color, weight: hl ? 4 : 2, dashArray: admin ? null : "6 4",
            fillColor: hl ? "#ffd166" : p.color,
            fillOpacity: hl ? (p.abstract ? .1 : .3) : (admin && !thematic ? .12 : 0)};  // abstract: a light tint
  }
  function radius(p) { return 6 + 10 * Math.sqrt(p.n / maxN); }
  var maxN = 1;
  Object.keys(CFG.places).forEach(function (k) { maxN = Math.max(maxN, CFG.places[k].n); });

  function restyle() {
    Object.keys(byId).forEach(function (id) {
      byId[id].forEach(function (lyr) {
        var p = CFG.places[id], hl = isHl(id);
        if (lyr instanceof L.CircleMarker) {
          lyr.setStyle({radius: radius(p) + (hl ? 4 : 0), color: hl ? "#d62728" : "#fff", weight: hl ? 4 : 1.5,
                        fillColor: p.color, fillOpacity: .95});
        } else { lyr.setStyle(style({id: id})); }
        if (hl && lyr.bringToFront) lyr.bringToFront();
      });
    });
    if (counties) counties.setStyle(countyStyle);
  }
  function countyStyle(f) {
    var fill = CFG.choropleth.fill[f.id] || "#eeeeee";
    return thematic ? {color: "#fff", weight: .6, fillColor: fill, fillOpacity: .85} : {stroke: false, fill: false};
  }

  var ORDER = ["admin_province", "admin_county", "admin_prefecture", "regions", "lines", "points"];
  // Parsed display files are kept on the app page (same origin) across presenter sessions: the URLs
  // carry the layers' digest, so a rebuild gets new entries. Each file is fetched and parsed once.
  var store = {};
  try { store = window.parent.__ppLayers = window.parent.__ppLayers || {}; } catch (e) { /* own store */ }
  function fetchLayer(name) {
    var url = CFG.layers[name];
    if (!url) return Promise.resolve(null);
    if (!store[url]) {
      store[url] = fetch(url).then(function (r) { return r.json(); });
      store[url].catch(function () { delete store[url]; });
    }
    return store[url];
  }
  function placeOpts() {
    return {
      filter: function (f) { return !!CFG.places[f.id]; },
      style: style,
      pointToLayer: function (f, ll) { return L.circleMarker(ll, {radius: radius(CFG.places[f.id])}); },
      onEachFeature: function (f, lyr) { (byId[f.id] = byId[f.id] || []).push(lyr); }
    };
  }
  var t0 = performance.now();
  Promise.all(ORDER.map(fetchLayer)).then(function (fcs) {
    document.body.dataset.msFetch = String(Math.round(performance.now() - t0));  // for bench/bench_presenter.py
    var data = {};
    ORDER.forEach(function (n, i) { data[n] = fcs[i]; });
    function base(name, opts) { if (data[name]) layers[name] = L.geoJSON(data[name], opts).addTo(map); }
    base("admin_province", {style: {color: "#8c8c8c", weight: 1.2, fillColor: "#f7f6f2", fillOpacity: 1}, interactive: false});
    countyData = data.admin_county;  // the choropleth's layer is made when first shown (T)
    base("admin_prefecture", {style: {color: "#a9a9a9", weight: .9, fill: false}, interactive: false});
    ORDER.forEach(function (n) {
      if (data[n]) layers["places:" + n] = L.geoJSON(data[n], placeOpts()).addTo(map);
    });
    restyle(); frame(); labels();
    document.body.dataset.msDraw = String(Math.round(performance.now() - t0));
    document.body.dataset.msStart = String(Math.round(t0));  // since the frame's navigation start
    document.body.dataset.ready = "1";
  });

  // --- legend ---------------------------------------------------------------------------------
  function legend() {
    var el = document.getElementById("pp-legend"); el.textContent = "";
    var h = document.createElement("h2"); h.textContent = S.presenter_legend; el.appendChild(h);
    function row(color, shape, text, cls) {
      var r = document.createElement("div"); r.className = "row" + (cls ? " " + cls : "");
      var sw = document.createElement("span"); sw.className = "sw";
      if (shape === "point") { sw.style.background = color; sw.style.borderRadius = "50%"; sw.style.width = "1em"; }
      else if (shape === "line") { sw.style.borderBottom = "4px solid " + color; sw.style.height = ".6em"; }
      else if (shape === "fill") { sw.style.background = color; sw.style.border = "1px solid #999"; }
      else { sw.style.border = "2px dashed " + color; }
      var tx = document.createElement("span"); tx.textContent = text;
      r.appendChild(sw); r.appendChild(tx); el.appendChild(r); return r;
    }
    row("#d62728", "area", S.presenter_current, "pp-leg-current");
    CFG.legend.forEach(function (k) { row(k.color, k.shape, k.label, "pp-leg-kind").dataset.kind = k.kind; });
    var b = document.createElement("button"); b.type = "button"; b.id = "pp-thematic";
    b.textContent = (thematic ? "✓ " : "") + S.presenter_thematic + " (T)";
    b.addEventListener("click", toggleThematic); el.appendChild(b);
    if (thematic) {
      CFG.choropleth.classes.forEach(function (c) { row(c[1], "fill", c[0], "pp-leg-class"); });
    }
    var k = document.createElement("div"); k.className = "keys"; k.textContent = S.presenter_keys; el.appendChild(k);
  }
  function toggleThematic() {
    thematic = !thematic;
    if (thematic && !counties && countyData) {
      counties = L.geoJSON(countyData, {style: countyStyle, interactive: false}).addTo(map);
      counties.bringToBack();
      if (layers.admin_province) layers.admin_province.bringToBack();
    }
    legend(); restyle(); labels();
  }

  // --- caption --------------------------------------------------------------------------------
  function caption() {
    var el = document.getElementById("pp-caption"); el.textContent = "";
    document.body.dataset.step = String(step);
    if (!steps.length) { el.textContent = S.presenter_no_clause; return; }
    var s = steps[step];
    var pos = document.createElement("span"); pos.className = "pos";
    pos.textContent = S.presenter_step.replace("{n}", step + 1).replace("{m}", steps.length);
    var lab = document.createElement("span"); lab.className = "lab"; lab.textContent = s.label;
    var tx = document.createElement("span"); tx.className = "txt"; tx.textContent = s.text;
    el.appendChild(pos); el.appendChild(lab); el.appendChild(tx);
    el.dataset.clause = s.id;
  }

  // --- labels: priority order, no overlap, inside the map, each once ------------------------------
  function labels() {
    var box = document.getElementById("pp-labels"); box.textContent = "";
    var mapEl = document.getElementById("pp-map");
    var size = {x: mapEl.clientWidth, y: mapEl.clientHeight}, placed = [], seenId = {}, seenText = {}, pad = 3;
    var cand = [];
    current().forEach(function (id) { var p = CFG.places[id]; if (p) cand.push({id: id, name: p.name, at: p.at, hl: true}); });
    if (CFG.selected) { var sp = CFG.places[CFG.selected]; cand.push({id: CFG.selected, name: sp.name, at: sp.at, hl: true}); }
    CFG.cities.forEach(function (c) { cand.push({id: c.id, name: c.name, at: c.at, city: true}); });
    Object.keys(CFG.places).map(function (id) { return [id, CFG.places[id]]; })
      .filter(function (e) { return !e[1].abstract; })
      .sort(function (a, b) { return b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1); })
      .forEach(function (e) { cand.push({id: e[0], name: e[1].name, at: e[1].at}); });
    cand.forEach(function (c) {
      if (!c.at || seenId[c.id] || seenText[c.name]) return;
      var pt = map.latLngToContainerPoint(c.at);
      if (pt.x < 0 || pt.y < 0 || pt.x > size.x || pt.y > size.y) return;
      var el = document.createElement("div");
      el.className = "pp-label" + (c.hl ? " pp-hl" : c.city ? " pp-city" : "");
      el.textContent = c.name; el.dataset.pid = c.id;
      box.appendChild(el);
      var w = el.offsetWidth, h = el.offsetHeight, x = Math.round(pt.x - w / 2), y = Math.round(pt.y - h - 6);
      if (c.city) { y = Math.round(pt.y - h / 2); }
      var r = {l: x - pad, t: y - pad, r: x + w + pad, b: y + h + pad};
      var inside = x >= 0 && y >= 0 && x + w <= size.x && y + h <= size.y;
      var clash = placed.some(function (q) { return r.l < q.r && q.l < r.r && r.t < q.b && q.t < r.b; });
      if (!inside || clash) { box.removeChild(el); return; }
      el.style.left = x + "px"; el.style.top = y + "px";
      placed.push(r); seenId[c.id] = 1; seenText[c.name] = 1;
    });
    document.body.dataset.labels = String(placed.length);
  }
  map.on("moveend zoomend", labels);
  var main = document.getElementById("pp-main");
  function refit() { map.invalidateSize({pan: false}); labels(); }
  if (window.ResizeObserver) { new ResizeObserver(refit).observe(main); }  // caption height, viewport
  window.addEventListener("resize", refit);

  // The view: the economic circle, widened to the current clause's concrete places (not the abstract
  // areas, which would zoom out to half of China) so that each step shows its places.
  function frame() {
    var b = L.latLngBounds(CFG.extent);
    current().forEach(function (id) { var p = CFG.places[id]; if (p && p.at && !p.abstract) b.extend(p.at); });
    var key = b.toBBoxString();
    if (key === lastView) return false;
    lastView = key; map.fitBounds(b, {animate: false, padding: [20, 20]}); return true;
  }
  function go(delta) {
    if (!steps.length) return;
    step = (step + delta + steps.length) % steps.length;
    caption(); restyle(); frame(); labels();
  }
  function onKey(e) {
    if (e.target && e.target.isContentEditable) { if (e.key === "Escape") e.target.blur(); return; }
    if (e.key === "ArrowRight" || e.key === "ArrowDown" || e.key === "PageDown") { go(1); e.preventDefault(); }
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp" || e.key === "PageUp") { go(-1); e.preventDefault(); }
    else if (e.key === "Escape") { leave(); }
    else if (e.key === "t" || e.key === "T") { toggleThematic(); }
  }
  document.addEventListener("keydown", onKey);
  try {  // keys typed while the app page (not this frame) has the focus
    var pd = window.parent.document;
    if (pd !== document) {
      if (pd.__ppKeys) pd.removeEventListener("keydown", pd.__ppKeys);
      pd.__ppKeys = function (e) { if (!document.body.isConnected) { pd.removeEventListener("keydown", pd.__ppKeys); return; } onKey(e); };
      pd.addEventListener("keydown", pd.__ppKeys);
    }
  } catch (e) { /* not same-origin: keys work once the frame has the focus */ }
  legend(); caption(); window.focus();
})();
