"""Shared fixtures: a headless Debian chromium through Playwright (tests/e2e), the viewer's
catalog over the tiny synthetic layers/ of tests.support.fixture (viewer unit tests), and `fake`,
st_folium replaced by a FakeMap (the AppTest tests).

The e2e tests skip, with the reason, only when chromium is not installed (`make system-deps`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest

from geo.layers.build import read_layers
from geo.viewer.data import Catalog
from tests.support.apptest import FakeMap
from tests.support.browser import chromium_path, launch_chromium
from tests.support.fixture import write_fixture_layers


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless chromium (Debian's) shared by the browser tests of the session."""
    if chromium_path() is None:
        pytest.skip("Debian's chromium is not installed: run `make system-deps` (scripts/install-system-deps.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The viewer's catalog over the synthetic fixture layers (one per test module)."""
    d = write_fixture_layers(Path(tmp_path_factory.mktemp("fx")) / "layers")
    return Catalog.from_layerset(read_layers(d))


@pytest.fixture()
def fake() -> Iterator[FakeMap]:
    """streamlit_folium.st_folium replaced by a FakeMap for the AppTest tests (tests.support.apptest)."""
    fm = FakeMap()
    with patch("geo.viewer.mapframe.st_map", fm):
        yield fm
