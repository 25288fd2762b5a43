"""The app's download section (geo.viewer.downloads) on the real layers/: buttons named for people
in zh and en, one per export layer and per registered format, sizes shown once the files are made
(in a background thread), the selection offered when a place is selected."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch

import pytest
from streamlit.testing.v1 import AppTest

from geo.export import EXPORT_LAYERS, FORMATS

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture()
def no_map() -> Iterator[None]:
    with patch("geo.viewer.mapframe.st_map", lambda fig, **kw: None):
        yield


def _labels(params: dict[str, str]) -> list[str]:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return [b.label for b in at.get("download_button")]


def _wait_for_downloads() -> None:
    for th in threading.enumerate():
        if th.name == "plan-atlas-downloads":
            th.join(timeout=120)


def test_download_buttons_are_named_for_people(no_map: None) -> None:
    labels = _labels({})
    assert "全部图层 GeoPackage（QGIS）" in [x.split(" · ")[0] for x in labels]
    assert any(x.startswith("铁路、公路、河流与走廊（线） GeoJSON") for x in labels)
    assert any(x.startswith("地点提及表 CSV") for x in labels)
    assert not any("_" in x for x in labels)  # no internal layer names
    whole = [f for f in FORMATS.values() if f.whole]
    assert len(labels) >= len(EXPORT_LAYERS) + len(whole)  # + the current filter
    _wait_for_downloads()
    sized = _labels({"lang": "en", "sel": "airport:ctu"})
    assert "All layers GeoPackage (QGIS)" in [x.split(" · ")[0] for x in sized]
    whole_labels = [x for x in sized if x.startswith("All layers") or x.startswith("Place mentions")]
    assert whole_labels and all(" · " in x and x.endswith(("kB", "MB")) for x in whole_labels)
    assert any(x.startswith("Current selection GeoJSON") for x in sized)
