"""The viewer's state in the Streamlit session: one ViewState under `st.session_state["vs"]`.

Every view module reads and replaces it through `state()` / `set_state()`; app.py seeds it
from the URL once per session and writes it back to the URL after each run (the permalink).
"""

from __future__ import annotations

import streamlit as st

from geo.viewer.state import ViewState

__all__ = ["VS_KEY", "set_state", "state"]

VS_KEY = "vs"


def state() -> ViewState:
    """The current view."""
    return st.session_state[VS_KEY]


def set_state(vs: ViewState) -> None:
    """Replace the current view."""
    st.session_state[VS_KEY] = vs
