"""A small Streamlit page with the upload panel and the toy readers of tests/toy_readers.py
registered from this script (a plugin's way), with short limits, for the browser test of
registered readers (tests/e2e/test_reader_limits_browser.py).

The limits are set here because the test cannot reach into the server process: the wall time
PLAN_ATLAS_TEST_READ_SECONDS (default 6 s) and the memory cap 300 MiB.
"""

from __future__ import annotations

import os

import streamlit as st

from geo import settings
from geo.viewer.upload_view import render_upload_panel
from tests import toy_readers

settings.MAX_READ_SECONDS = float(os.environ.get("PLAN_ATLAS_TEST_READ_SECONDS", "6"))
settings.MAX_READER_MEMORY_BYTES = 300 * 2**20
toy_readers.register_toys()

st.set_page_config(page_title="Plan Atlas toy readers", layout="wide")
render_upload_panel(None, root=settings.ROOT, lang="en")
st.caption(f"server pid {os.getpid()}")
