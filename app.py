"""Plan Atlas (成渝规划地图) — Streamlit app. Composition only: the logic lives in geo/.

Map and clause panel (geo._viewapp, geo.mapview, geo.panel), state and permalinks
(geo.viewstate), interface strings (geo.i18n). Run with `make run`.
"""

from geo.viewer.app import main

main()
