"""A small Streamlit page with only the upload panel (geo.upload_view), for the browser test.

Reads layers/ of PLAN_ATLAS_ROOT (the test points it at a temporary copy) when they exist, so that
"keep this document" never writes to the real data/.
"""

from __future__ import annotations

import streamlit as st

from geo import settings
from geo.errors import LayersError
from geo.layers.build import read_layers
from geo.viewer.auth import render_sign_in
from geo.viewer.upload_view import render_upload_panel

st.set_page_config(page_title="Plan Atlas upload", layout="wide")
render_sign_in("zh")
try:
    layerset = read_layers(settings.LAYERS_DIR)
except LayersError:
    layerset = None
result = render_upload_panel(layerset, root=settings.ROOT)
if result is not None:
    st.caption(f"session layer: {len(result.feature_collection['features'])} features")
