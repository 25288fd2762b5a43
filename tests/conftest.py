"""Browser fixtures for tests/e2e (only those): a headless Debian chromium through Playwright.

The e2e tests skip, with the reason, only when chromium is not installed (`make system-deps`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from geo._viewbrowser import chromium_path, launch_chromium


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
