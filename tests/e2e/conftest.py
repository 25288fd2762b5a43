"""Fixtures of the browser tests: `app`, the real app (app.py on the committed layers/) served by
streamlit on a free port, one server per test module. A module that needs another app or
environment defines its own `app` fixture, which takes precedence."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.browser import ROOT, AppServer


@pytest.fixture(scope="module")
def app() -> Iterator[AppServer]:
    with AppServer(ROOT / "app.py") as server:
        yield server
