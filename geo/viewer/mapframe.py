"""The map element of the viewer: a folium map shown in a frame of its own, without streamlit-folium.

Why not streamlit-folium: its frame first loads a React bundle and a Bootstrap style sheet, waits
for a handshake with the page, then loads Leaflet script by script; about 0.4 s before the map
script runs. It also waits 250 ms after every click before it reports it. Here a Streamlit
`components.v2` component (inline JavaScript, no build step, no iframe of its own) writes the
rendered folium page into an `<iframe srcdoc>`: Leaflet (from /app/static/, geo.viewer.assets)
starts loading as soon as the frame exists, and a click is reported at once.

The contract is streamlit-folium's, so the rest of the viewer did not change: `st_map(fig, key=…,
feature_group_to_add=…, returned_objects=…, center=…, zoom=…, on_change=…)` returns the last value
the map reported (`last_clicked`, `last_object_clicked`, `last_active_drawing`, `center`, `zoom`,
`bounds`, filtered by `returned_objects`) and keeps it in `st.session_state[key]`.
- The map page is rebuilt only when the folium map changes (`doc` hash); feature groups are
  re-run in the live page when they change (the selection highlight, the uploaded plan, the
  thematic map), and a new `center`/`zoom` moves the live map: neither re-mounts it.
- On a new page the first feature groups are appended to the map's own script, so they are drawn
  before the layer files (the document view's highlighted places show without waiting for them).
- The frame's page is the map's own: its scripts (geo.viewer.mapview, pick, labels, legend,
  thematic) see the same `window` as before; `window.parent` is the app's page.
- A click on a feature: Leaflet fires it on the feature's layer group, where the map script's
  picking rule (geo.viewer.pick) has already replaced the clicked layer by the chosen one, and then
  on the map; both are reported together in one message.
Data: the folium map and feature groups the viewer builds (geo.viewer.mapview, highlight, …).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import folium
import streamlit as st

__all__ = ["MAP_FRAME", "MAP_VAR", "map_page", "group_script", "st_map"]

# CSS selector of the map's frame (geo.viewer.layout sizes it; tests and benchmarks find it)
MAP_FRAME: str = "iframe[data-pa-map]"
# the folium map's name in the frame's page: `map_pa` (the element id and the Leaflet map variable)
_MAP_ID: str = "pa"
MAP_VAR: str = f"map_{_MAP_ID}"

RETURNABLE: tuple[str, ...] = ("last_clicked", "last_object_clicked", "last_active_drawing", "center", "zoom", "bounds")

_JS = r"""
export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const host = parentElement;
  const st = host.__paMap || (host.__paMap = { doc: null, frame: null, ready: false, groups: null, view: null });
  st.data = data;
  st.set = setStateValue;
  const plain = (v) => (v == null ? null : JSON.parse(JSON.stringify(v)));
  const send = () => {
    const map = st.map;
    if (!map) { return; }
    const b = map.getBounds();
    const all = {
      last_clicked: plain(st.clicked), last_object_clicked: plain(st.objectClicked), last_active_drawing: st.drawing,
      center: plain(map.getCenter()), zoom: map.getZoom(),
      bounds: {_southWest: plain(b.getSouthWest()), _northEast: plain(b.getNorthEast())},
    };
    const out = {};
    (st.data.returned || []).forEach((k) => { out[k] = all[k] === undefined ? null : all[k]; });
    const text = JSON.stringify(out);
    if (text !== st.sent) { st.sent = text; st.set("value", out); }
  };
  // a click fires on the feature's group, then on the map: one message after both
  const soon = () => { clearTimeout(st.tClick); st.tClick = setTimeout(send, 0); };
  const later = () => { clearTimeout(st.tMove); st.tMove = setTimeout(send, 250); };
  const onLayerClick = (e) => {
    st.objectClicked = e.latlng;
    if (e.layer && e.layer.toGeoJSON) { st.drawing = e.layer.toGeoJSON(); }
    soon();
  };
  const bindLayers = () => {
    Object.values(st.map._layers).forEach((l) => { l.off("click", onLayerClick); l.on("click", onLayerClick); });
  };
  const applyGroups = () => {
    const d = st.data;
    if (d.groups === st.groups) { return; }
    st.groups = d.groups;
    const win = st.frame.contentWindow;
    (win.__paGroups || []).forEach((g) => st.map.removeLayer(g));
    win.__paGroups = [];
    if (d.groups) { win.eval(d.groups); }
    bindLayers();
  };
  const applyView = () => {
    const d = st.data, want = JSON.stringify([d.center, d.zoom]);
    if (want === st.view) { return; }
    const first = st.view === null;
    st.view = want;
    if (first || (!d.center && d.zoom == null)) { return; }
    st.map.setView(d.center || st.map.getCenter(), d.zoom == null ? st.map.getZoom() : d.zoom);
  };
  const apply = () => { if (st.ready) { applyGroups(); applyView(); } };
  if (st.doc !== data.doc) {
    st.doc = data.doc; st.ready = false; st.groups = null; st.view = null; st.map = null;
    st.clicked = null; st.objectClicked = null; st.drawing = null; st.sent = JSON.stringify(data.initial);
    const frame = document.createElement("iframe");
    frame.setAttribute("data-pa-map", "1");
    frame.setAttribute("title", data.title);
    frame.style.cssText = "width:100%;border:0;display:block;height:" + data.height + "px";
    frame.addEventListener("load", () => {
      if (st.frame !== frame) { return; }
      const map = frame.contentWindow[data.mapVar];
      if (!map) { return; }
      st.map = map;
      frame.contentWindow.map = map;  // as streamlit-folium's frame had it (tests and benchmarks use it)
      // the LatLng itself, read when sent: later listeners may stamp it (geo.viewer.review_click)
      map.on("click", (e) => { st.clicked = e.latlng; soon(); });
      map.on("moveend", later);
      bindLayers();
      st.ready = true;
      apply();
    });
    // the first feature groups run at the end of the map's own script, before the layer files are
    // drawn (a document's highlighted places show at once); later ones by eval
    const initialGroups = "\n;window.map=" + data.mapVar + ";window.__paGroups=[];\n" +
      (data.groups || "").replace(/<\//g, "<\\/") + "\n";
    const end = data.page.lastIndexOf("</" + "script>");
    frame.srcdoc = end < 0 ? data.page : data.page.slice(0, end) + initialGroups + data.page.slice(end);
    st.groups = end < 0 ? null : data.groups;  // null: run them when the page has loaded
    if (st.frame) { st.frame.replaceWith(frame); } else { host.appendChild(frame); }
    st.frame = frame;
  } else {
    apply();
  }
}
"""

_component: Callable[..., Any] | None = None


def _mount() -> Callable[..., Any]:
    global _component
    if _component is None:
        _component = st.components.v2.component("plan_atlas.map", js=_JS, isolate_styles=False)
    return _component


def _stable_names(text: str, tag: str) -> str:
    """folium names elements with random uuid4 hex suffixes; number them in order of appearance
    instead, so the same map or group gives the same text on every rerun (and no re-mount)."""
    seen: dict[str, str] = {}

    def sub(m: re.Match[str]) -> str:
        return seen.setdefault(m.group(0), f"_{tag}{len(seen)}")

    return _UUID.sub(sub, text)


_UUID = re.compile(r"_[0-9a-f]{32}(?![0-9a-f])")


def map_page(fig: folium.Map) -> str:
    """The whole HTML page of a folium map (Leaflet from its default_js/css links), the map named
    `MAP_VAR`, element names numbered (`_stable_names`). Renders `fig`."""
    fig._id = _MAP_ID
    return _stable_names(fig.get_root().render(), "p")


def group_script(groups: Sequence[folium.FeatureGroup], fig: folium.Map) -> str:
    """The JavaScript that adds `groups` to the live map (`MAP_VAR`) and lists them in
    `window.__paGroups`, so that the next set replaces them. Call after `map_page(fig)`: the
    groups join `fig`'s tree and their scripts are the ones their rendering adds to its page."""
    root = fig.get_root()
    out: list[str] = []
    for idx, group in enumerate(groups):
        group._id = f"pa_group_{idx}"
        before = set(root.script._children)
        group.add_to(fig)
        group.render()
        out += [el.render() for name, el in root.script._children.items() if name not in before]
        out.append(f"{MAP_VAR}.addLayer({group.get_name()});window.__paGroups.push({group.get_name()});")
    return _stable_names("\n".join(out), "g")


def _hash(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:16]


def st_map(
    fig: folium.Map,
    *,
    key: str,
    height: int = 640,
    returned_objects: Iterable[str] | None = None,
    feature_group_to_add: Sequence[folium.FeatureGroup] | folium.FeatureGroup | None = None,
    center: Sequence[float] | None = None,
    zoom: float | None = None,
    on_change: Callable[[], None] | None = None,
    title: str = "",
) -> dict[str, Any] | None:
    """Show `fig` and return the last value the map reported (None before the first one). The
    frame always fills its column; geo.viewer.layout sizes its height."""
    returned = [k for k in (returned_objects if returned_objects is not None else RETURNABLE) if k in RETURNABLE]
    page = map_page(fig)
    if isinstance(feature_group_to_add, folium.FeatureGroup):
        feature_group_to_add = [feature_group_to_add]
    groups = group_script(list(feature_group_to_add or []), fig)
    initial = {k: None for k in returned}
    ckey = f"{key}:map"

    def changed() -> None:
        got = st.session_state.get(ckey)  # the component's states (a dict)
        st.session_state[key] = got.get("value") if isinstance(got, dict) else None
        if on_change is not None:
            on_change()

    result = _mount()(
        key=ckey,
        data={
            "doc": _hash(page, key),
            "page": page,
            "mapVar": MAP_VAR,
            "groups": groups,
            "center": list(center) if center is not None else None,
            "zoom": zoom,
            "returned": returned,
            "initial": initial,
            "height": int(height),
            "title": title,
        },
        default={"value": None},
        height="content",
        on_value_change=changed,
    )
    value = getattr(result, "value", None)
    return value if isinstance(value, dict) else None

