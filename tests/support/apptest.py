"""The app without a browser (streamlit.testing AppTest) for the viewer's tests: `FakeMap` stands in
for streamlit_folium.st_folium (it records the folium map, the feature groups and center/zoom it is
given and returns what the browser would after a click); `run_app` runs app.py with query params;
`markdown_text` is the page's markdown. The `fake` fixture (tests/conftest.py) patches st_folium
with a FakeMap.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

__all__ = ["APP", "FakeMap", "markdown_text", "run_app"]

APP = str(Path(__file__).resolve().parents[2] / "app.py")


class FakeMap:
    """Stands in for streamlit_folium.st_folium."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.value: dict[str, Any] | None = None

    def __call__(self, fig: Any, **kw: Any) -> dict[str, Any] | None:
        self.calls.append({"fig": fig, **kw})
        return self.value

    def click(self, place_id: str, lat: float = 30.0, lng: float = 104.0) -> None:
        self.value = {
            "last_active_drawing": {"type": "Feature", "properties": {"id": place_id}, "geometry": None},
            "last_object_clicked": {"lat": lat, "lng": lng},
            "center": {"lat": 30.1, "lng": 105.3},
            "zoom": 7,
        }

    @property
    def last(self) -> dict[str, Any]:
        return self.calls[-1]

    def config(self) -> dict[str, Any]:
        html = self.last["fig"].get_root().render()
        return json.loads(re.search(r"var cfg = (\{.*?\});\n", html).group(1))

    def highlighted_names(self) -> list[str]:
        groups = self.last["feature_group_to_add"]
        group = groups[0] if isinstance(groups, list) else groups  # the selection comes first
        out = []
        for gj in group._children.values():
            if hasattr(gj, "data"):  # GeoJson children (the group also holds a small script element)
                out += [f["properties"]["name"] for f in gj.data["features"]]
        return out


def run_app(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)
