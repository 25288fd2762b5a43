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
from geo.errors import PlanAtlasError
from geo.ingest import UploadResult, analyse_upload, keep_upload
from geo.viewer.auth import is_editor
from geo.viewer.i18n import t
from geo.viewer.integrity import data_changed

__all__ = ["render_upload_panel"]


def _places_rows(result: UploadResult) -> list[dict[str, Any]]:
    return [
        {
            "地名 place": p["name"],
            "类型 kind": p["kind"],
            "图层 layer": p["layer"],
            "次数 mentions": p["mention_count"],
            "精度 precision": p["precision"],
        }
        for p in result.places
    ]


def render_upload_panel(
    layerset: Any,
    *,
    root: Path | str | None = None,
    gazetteer: Any = None,
    key: str = "upload",
) -> UploadResult | None:
    """Show the upload panel; return the analysed upload (None when there is none or it failed).

    layerset: the app's geo.layers.LayerSet (its geometries are reused; None is allowed).
    root: the data root `keep` writes to (default settings.ROOT; tests pass a temporary copy).
    gazetteer: a loaded geo.gazetteer.Gazetteer (default: load_gazetteer(), cached there).
    """
    st.subheader("上传规划 · Bring your own plan")
    limit_mb = max(1, settings.MAX_FILE_BYTES // (1024 * 1024))
    exts = supported_extensions()
    uploaded = st.file_uploader(
        f"添加 {'、'.join(exts)} 规划文件（不超过 {limit_text()}）· Add a {', '.join(exts)} plan "
        f"(at most {limit_text()}; PDFs need a text layer)",
        type=[ext.lstrip(".") for ext in supported_extensions()],
        key=f"{key}:file",
        max_upload_size=limit_mb,
    )
    if uploaded is None:
        return None
    data = uploaded.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    state_key = f"{key}:result"
    cached = st.session_state.get(state_key)
    if cached is not None and cached[0] == (uploaded.name, sha):
        result = cached[1]
    else:
        try:
            with st.spinner("正在识别地名 · finding places …"):
                result = analyse_upload(uploaded.name, data, gazetteer=gazetteer, layerset=layerset)
        except PlanAtlasError as exc:
            st.session_state.pop(state_key, None)
            st.error(str(exc))
            return None
        st.session_state[state_key] = ((uploaded.name, sha), result)

    titles = "；".join(f"《{d.title}》" for d in result.documents)
    st.text(f"{titles} — {len(result.clauses)} 条款 clauses, {result.mention_count} 处地名 mentions")
    if result.places:
        st.markdown(f"**已定位地名 · places on the map ({len(result.places)})**")
        st.table(_places_rows(result))
    else:
        st.info("没有识别到已知地名 · no known place found in this document")
    if result.unresolved:
        st.markdown(f"**未能定位 · look like places, not resolved ({len(result.unresolved)})**")
        st.text("、".join(result.unresolved))
    if result.unmapped:
        st.caption("无几何 · mentioned but without geometry: " + ", ".join(result.unmapped))

    st.download_button(
        "下载本次图层 · Download the session layer (GeoJSON)",
        data=result.to_geojson_bytes(),
        file_name=result.download_name(),
        mime="application/geo+json",
        key=f"{key}:download",
    )
    kept_key = f"{key}:kept"
    if st.session_state.get(kept_key) == sha:
        ids = ", ".join(st.session_state.get(f"{key}:kept_ids", []))
        st.success(f"已保存到语料库 · kept in the corpus as {ids}; the map layers were rebuilt")
    elif not is_editor():
        st.info(t("editor_needed", "zh") + " · " + t("editor_needed", "en"))
    elif st.button("保存到语料库 · Keep this document", key=f"{key}:keep"):
        try:
            with st.spinner("正在保存并更新图层 · adding and rebuilding layers …"):
                if not is_editor():  # checked again where the write happens
                    raise PlanAtlasError(t("editor_needed", "en"))
                docs = keep_upload(result, root)
        except PlanAtlasError as exc:
            st.error(str(exc))
        else:
            st.session_state[kept_key] = sha
            st.session_state[f"{key}:kept_ids"] = [d.id for d in docs]
            data_changed()
            st.cache_data.clear()
            st.cache_resource.clear()
            st.rerun()  # the app reads the rebuilt layers/ on the rerun
    return result
