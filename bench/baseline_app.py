"""Baseline for bench_viewer: a plain streamlit-folium page on the same layers, the naive way.

folium.GeoJson of every layer (geometry embedded in the map script) + st_folium, no caching,
no fragment, default returned objects. Only change from the textbook page: Leaflet is served from
a local server (otherwise it cannot draw at all without internet): Streamlit serves static/ next
to the main script only, so the bench points PA_STATIC_BASE at the main app's /app/static. A click shows the place's name and
the clauses that mention it, as text.
"""

import os

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.layers.build import read_layers
from geo.settings import LAYERS_DIR

st.set_page_config(page_title="baseline", layout="wide")
layerset = read_layers(LAYERS_DIR)
m = folium.Map(location=[30.1, 105.3], zoom_start=7, tiles=None)
static = os.environ.get("PA_STATIC_BASE", "/app/static")
m.default_js = [("leaflet", f"{static}/leaflet/leaflet.js")]
m.default_css = [("leaflet_css", f"{static}/leaflet/leaflet.css")]
for name, fc in layerset.collections.items():
    if fc["features"]:
        folium.GeoJson(
            fc,
            name=name,
            marker=folium.CircleMarker(radius=5, fill=True, fill_opacity=0.9),
            # Leaflet 1.9.3 throws on a layer-wide tooltip over MultiPoint features (nested groups)
            tooltip=None if name == "points" else folium.GeoJsonTooltip(fields=["name", "kind"]),
        ).add_to(m)
left, right = st.columns([3, 2])
with left:
    out = st_folium(m, height=640, use_container_width=True)
with right:
    feature = (out or {}).get("last_active_drawing")
    if feature:
        props = feature["properties"]
        st.subheader(props["name"])
        wanted = set(props.get("clause_ids") or [])
        for clause in layerset.index["clauses"]:
            if clause["id"] in wanted:
                st.write(clause["text"])
