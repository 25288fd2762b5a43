"""The app's start-up checks of data/ and layers/ (Streamlit, composition only).

- Once per server process, before anything reads layers/: geo.ingest.recover finishes or rolls
  back a `geo add`/`geo remove` that a killed process left half done (the same as every `geo`
  command does first); its one-line note is shown once.
- On every run (cached for a few seconds): geo.layers.layers_older_than_data compares the input
  checksums recorded in layers/manifest.json with data/ as it is, and the app warns when the map
  shows layers built from other data.
"""

from __future__ import annotations

import streamlit as st

from geo import settings
from geo.ingest import recover
from geo.layers import layers_older_than_data
from geo.viewer.i18n import t

__all__ = ["startup_checks"]


@st.cache_resource(show_spinner=False)
def _recovered_once(root: str) -> str | None:
    return recover(root)


@st.cache_data(ttl=5, show_spinner=False)
def _stale(root: str) -> bool:
    return layers_older_than_data(root)


def startup_checks(lang: str) -> None:
    """Recover an interrupted change (once per process) and warn when layers/ is older than data/."""
    root = str(settings.ROOT)
    # two slots in the sidebar, drawn on every run, filled or not: a message above the map shifted the
    # page under the map's frame and its clicks were lost (seen in Chromium); the sidebar moves nothing
    note_slot, stale_slot = st.sidebar.empty(), st.sidebar.empty()
    note = _recovered_once(root)
    if note and not st.session_state.get("integrity:note_shown"):
        st.session_state["integrity:note_shown"] = True
        note_slot.info(t("recovered", lang, note=note))
    if _stale(root):
        stale_slot.warning(t("layers_stale", lang))


def data_changed() -> None:
    """Forget the cached staleness answer (after this app wrote into data/)."""
    _stale.clear()
