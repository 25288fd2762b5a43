"""The two floors of the viewer's first paint (issue 11's bench), served from localhost.

- Streamlit floor: a two-line Streamlit script (`import streamlit as st` / `st.write(TEXT)`), run with
  `streamlit run` like the app: the least any Streamlit page takes to show something.
- Leaflet floor: a plain HTML page that loads the static Leaflet of static/leaflet and draws, with
  L.geoJSON, the same layer files the app publishes for its map (geo.viewer.mapview.publish_layers,
  static/_layers/<digest>/): the least any page takes to draw those layers in a browser. Served by a
  small threaded http.server over static/ (the page itself from memory).
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geo.viewer import mapview
from geo.viewer.assets import STATIC_URL

STREAMLIT_TEXT = "Plan Atlas floor"
STREAMLIT_SCRIPT = f'import streamlit as st\nst.write("{STREAMLIT_TEXT}")\n'

_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Leaflet floor</title>
<link rel="stylesheet" href="/leaflet/leaflet.css"><script src="/leaflet/leaflet.js"></script>
<style>html,body,#map{margin:0;height:100%}</style></head><body><div id="map"></div><script>
var urls = __URLS__;
var map = L.map("map", {preferCanvas: false}).setView([30.1, 105.3], 7);
urls.forEach(function (u) {
  fetch(u).then(function (r) { return r.json(); }).then(function (fc) {
    L.geoJSON(fc, {style: {weight: 1.5, fillOpacity: 0.05},
                   pointToLayer: function (f, ll) { return L.circleMarker(ll, {radius: 5}); }}).addTo(map);
  });
});
</script></body></html>"""


def write_streamlit_floor(folder: Path) -> Path:
    """The two-line Streamlit script, written into `folder`."""
    path = folder / "streamlit_floor.py"
    path.write_text(STREAMLIT_SCRIPT, encoding="utf-8")
    return path


def leaflet_page(layer_urls: dict[str, str]) -> str:
    """The floor page for the app's published layer URLs (app/static/… → /… on the floor's server)."""
    prefix = STATIC_URL.rstrip("/")
    urls = [u[len(prefix):] if u.startswith(prefix) else u for u in layer_urls.values()]
    return _PAGE.replace("__URLS__", json.dumps(urls))


@contextmanager
def leaflet_floor(layerset: Any, static_dir: Path) -> Iterator[str]:
    """Serve the Leaflet floor over static_dir on a free localhost port; yields the page's URL."""
    page = leaflet_page(mapview.publish_layers(layerset, static_dir)).encode("utf-8")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path.split("?")[0] == "/floor.html":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
                return
            super().do_GET()

        def log_message(self, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Handler, directory=str(static_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/floor.html"
    finally:
        server.shutdown()
        server.server_close()
