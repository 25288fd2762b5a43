"""The app's upload panel: add a .txt, .docx or .pdf plan and see its places (Streamlit, composition only).

All logic is in geo.ingest (analyse_upload, keep_upload); the file is read in a bounded child
process (geo.corpus.read_bounded: memory cap, timeout), so a hostile upload cannot take the server
with it. Anyone may analyse and download an upload in their own session; "保存到语料库" (the only
write into data/) is offered to signed-in editors only (geo.viewer.auth.is_editor, checked again
right before the write). This module only lays out widgets. Text from the upload is shown with st.table / st.text (rendered as text, never as
HTML or Markdown), errors with st.error. The analysis of a file is kept in st.session_state by
its sha256, so reruns do not redo it. The caller (app.py) draws `UploadResult.feature_collection`
on the map as an extra layer (see the module docstring of geo.upload for its contract).

Wiring (app.py / geo.mapview):

    upload = render_upload_panel(layerset)          # e.g. inside st.sidebar or an st.expander
    if upload is not None:
        # one extra overlay "上传文档 · uploaded plan": split upload.feature_collection["features"]
        # by properties["layer"] and style each part like that layer (same flat properties);
        # its clause_ids are in upload.index["clauses"] (index.json shape), not in layerset.index.
        ...
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import streamlit as st

from geo import settings
from geo.corpus import limit_text
from geo.corpus.readers import supported_extensions
from geo.errors import InputFileError, LayersError, PlanAtlasError
from geo.ingest import UploadResult, analyse_upload, keep_upload
from geo.viewer.auth import is_editor
from geo.viewer.i18n import label, t
from geo.viewer.integrity import data_changed

__all__ = ["error_message", "places_rows", "render_upload_panel"]


def places_rows(result: UploadResult, lang: str = "zh") -> list[dict[str, Any]]:
    """The table of located places, kind/layer/precision codes as labels in `lang`."""
    return [
        {
            t("col_place", lang): (lang == "en" and p.get("name_en")) or p["name"],
            t("col_kind", lang): label("kind", str(p["kind"]), lang),
            t("col_layer", lang): label("layer", str(p["layer"]), lang),
            t("col_mentions", lang): p["mention_count"],
            t("col_precision", lang): label("prec", str(p["precision"]), lang),
        }
        for p in result.places
    ]


def error_message(exc: PlanAtlasError, lang: str = "zh") -> str:
    """A user's message for an upload error in `lang` (the exception's English detail goes below it)."""
    if isinstance(exc, InputFileError):
        return t("err_input", lang)
    if isinstance(exc, LayersError):
        return t("err_layers", lang)
    return t("err_generic", lang)


def _show_error(exc: PlanAtlasError, lang: str) -> None:
    st.error(error_message(exc, lang))
    st.caption(t("error_details", lang, detail=exc))


def render_upload_panel(
    layerset: Any,
    *,
    root: Path | str | None = None,
    gazetteer: Any = None,
    key: str = "upload",
    lang: str = "zh",
) -> UploadResult | None:
    """Show the upload panel; return the analysed upload (None when there is none or it failed).

    layerset: the app's geo.layers.LayerSet (its geometries are reused; None is allowed).
    root: the data root `keep` writes to (default settings.ROOT; tests pass a temporary copy).
    gazetteer: a loaded geo.gazetteer.Gazetteer (default: load_gazetteer(), cached there).
    lang: the interface language (geo.viewer.i18n); every string and code label is shown in it.
    """
    st.subheader(t("upload_title", lang))
    limit_mb = max(1, settings.MAX_FILE_BYTES // (1024 * 1024))
    uploaded = st.file_uploader(
        t("upload_label", lang, limit=limit_text(), exts=("、" if lang == "zh" else ", ").join(supported_extensions())),
        type=[ext.lstrip(".") for ext in supported_extensions()],
        key=f"{key}:file",
        max_upload_size=limit_mb,
    )
    error_key = f"{key}:error"
    if uploaded is None:
        st.session_state.pop(error_key, None)  # removing the file and adding it again reads it again
        return None
    data = uploaded.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    state_key = f"{key}:result"
    cached = st.session_state.get(state_key)
    failed = st.session_state.get(error_key)
    if failed is not None and failed[0] == (uploaded.name, sha):
        # this file failed already: a rerun (a click on the map, a language switch) with it still in
        # the uploader shows the error again instead of reading it again in a subprocess
        _show_error(failed[1], lang)
        return None
    if cached is not None and cached[0] == (uploaded.name, sha):
        result = cached[1]
    else:
        try:
            with st.spinner(t("upload_working", lang)):
                result = analyse_upload(uploaded.name, data, gazetteer=gazetteer, layerset=layerset)
        except PlanAtlasError as exc:
            st.session_state.pop(state_key, None)
            st.session_state[error_key] = ((uploaded.name, sha), exc)
            _show_error(exc, lang)
            return None
        st.session_state.pop(error_key, None)
        st.session_state[state_key] = ((uploaded.name, sha), result)

    titles = "；".join(f"《{d.title}》" for d in result.documents)
    st.text(t("upload_summary", lang, titles=titles, clauses=len(result.clauses), mentions=result.mention_count))
    if result.places:
        st.markdown(f"**{t('upload_places', lang, count=len(result.places))}**")
        st.table(places_rows(result, lang))
    else:
        st.info(t("upload_none", lang))
    if result.unresolved:
        st.markdown(f"**{t('upload_unresolved', lang, count=len(result.unresolved))}**")
        st.text("、".join(result.unresolved))
    if result.unmapped:
        st.caption(t("upload_unmapped", lang) + "、".join(result.unmapped))

    st.download_button(
        t("upload_download", lang),
        data=result.to_geojson_bytes(),
        file_name=result.download_name(),
        mime="application/geo+json",
        key=f"{key}:download",
    )
    kept_key = f"{key}:kept"
    if st.session_state.get(kept_key) == sha:
        ids = ", ".join(st.session_state.get(f"{key}:kept_ids", []))
        st.success(t("upload_kept", lang, ids=ids))
    elif not is_editor():
        st.info(t("editor_needed", lang))
    elif st.button(t("upload_keep", lang), key=f"{key}:keep"):
        try:
            with st.spinner(t("upload_keeping", lang)):
                if not is_editor():  # checked again where the write happens
                    raise PlanAtlasError(t("editor_needed", lang))
                docs = keep_upload(result, root)
        except PlanAtlasError as exc:
            _show_error(exc, lang)
        else:
            st.session_state[kept_key] = sha
            st.session_state[f"{key}:kept_ids"] = [d.id for d in docs]
            data_changed()
            st.cache_data.clear()
            st.cache_resource.clear()
            st.rerun()  # the app reads the rebuilt layers/ on the rerun
    return result
