"""Stage 5, the viewer: the Streamlit app's pieces (map, state and permalinks, clause panel, reader,
upload panel, interface strings, basemaps, offline assets). Reads layers/ only; app.py composes it.
Modules are imported directly (geo.viewer.app, geo.viewer.mapview …): this package imports nothing
at load time, so a test of one piece does not pay for Streamlit.
"""
