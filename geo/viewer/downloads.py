"""The viewer's download section: every download of geo.export.download_list as a button, labelled
for people ("铁路、公路、河流与走廊（线） GeoJSON · 147 kB"), the size shown once the file is made.

Where the data comes from: the layer set the app loaded (layers/), the current filter's and
selection's place ids; the list itself (labels via i18n keys, file names, MIME types) from geo.export,
whose format registry decides what is offered. Files are made in a background thread
(geo.export.downloads.warm), so drawing the sidebar never waits for an export; a click on a button
whose file is not made yet makes it then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from geo.errors import PlanAtlasError
from geo.export import Download, download_list, human_size
from geo.export.downloads import warm
from geo.layers import LayerSet
from geo.viewer.i18n import t

# Seconds before the files are made in the background: the map's layer files are served first.
WARM_DELAY: float = 2.0
# Above this many clauses the whole-set files are not made in the background: at a hundred times
# the corpus they would hold hundreds of MB in the server for downloads nobody asked for; a click
# still makes its file.
WARM_MAX_CLAUSES: int = 20_000


def warm_wanted(n_clauses: int) -> bool:
    """Whether the download files are made in the background for a corpus of `n_clauses` clauses."""
    return n_clauses <= WARM_MAX_CLAUSES


def button_label(item: Download, lang: str) -> str:
    """The button's label: the item's label, with its size when the file is already made."""
    size = item.size_if_ready
    return item.label if size is None else t("download_size", lang, label=item.label, size=human_size(size))


def _data(item: Download) -> Callable[[], bytes]:
    def make() -> bytes:
        try:
            return item.data()
        except PlanAtlasError as exc:  # e.g. nothing matches the filter: the file says so
            return f"{exc}\n".encode()
    return make


def download_section(
    layerset: LayerSet,
    lang: str,
    filter_ids: Sequence[str] | None = None,
    selection_ids: Sequence[str] | None = None,
    warm_files: bool = True,
) -> list[Download]:
    """The "下载" expander with one button per download; returns the items (for tests).
    `warm_files`: make the files in the background (see `warm_wanted`)."""
    items = download_list(layerset, lambda key, **kw: t(key, lang, **kw), filter_ids, selection_ids)
    if warm_files:
        warm(items, delay=WARM_DELAY)
    with st.expander(t("downloads", lang)):
        for item in items:
            st.download_button(button_label(item, lang), data=_data(item), file_name=item.filename,
                               mime=item.mime, key=f"dl:{item.key}", on_click="ignore")
    return items
