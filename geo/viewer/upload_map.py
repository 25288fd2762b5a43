"""An uploaded plan on the map and in the panel (issue 11, item 8).

The upload itself is analysed by geo.ingest.analyse_upload and kept in the session by
geo.viewer.upload_view under `"<key>:result"` as `((name, sha256), UploadResult)`. This module reads
it from there and: flies the map to the uploaded places once per upload (their bounding box), and
shows, for the place selected on the map, the uploaded plan's own clauses that name it (from
`UploadResult.index`, index.json's shape), marked, above the corpus clauses of the panel.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from html import escape
from typing import Any

from geo.viewer import mapview, panel
from geo.viewer.data import bbox
from geo.viewer.i18n import t

__all__ = ["FITTED_KEY", "fit_box", "fly_on_new_upload", "upload_clauses", "upload_clauses_html", "upload_of"]

FITTED_KEY = "upload_fitted"  # the sha256 of the upload the map was last fitted to
UPLOAD_CSS = (f"<style>.pa-upload-clauses{{border-left:4px solid {mapview.SESSION_COLOR};padding-left:8px;"
              "margin:6px 0 12px}</style>")


def upload_of(session: MutableMapping[str, Any], key: str = "upload") -> tuple[str, Any] | None:
    """(sha256, UploadResult) of the upload kept in the session, or None."""
    cached = session.get(f"{key}:result")
    if not (isinstance(cached, tuple) and len(cached) == 2):
        return None
    ident, result = cached
    sha = ident[1] if isinstance(ident, tuple) and len(ident) == 2 else repr(ident)
    return str(sha), result


def fit_box(feature_collection: dict[str, Any]) -> tuple[float, float, float, float] | None:
    """(w, s, e, n) of the uploaded places' geometries, or None when none has one."""
    boxes = [b for b in (bbox(f.get("geometry")) for f in feature_collection.get("features") or []) if b]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def fly_on_new_upload(session: MutableMapping[str, Any], key: str = "upload") -> None:
    """Once per upload: set the map's fly target (session["fly"]) to fit the uploaded places."""
    found = upload_of(session, key)
    if found is None or session.get(FITTED_KEY) == found[0]:
        return
    session[FITTED_KEY] = found[0]
    fc = getattr(found[1], "feature_collection", None)
    box = fit_box(fc) if isinstance(fc, dict) else None
    if box is not None:
        w, s, e, n = box
        session["fly"] = ([(s + n) / 2, (w + e) / 2], mapview.fit_zoom(box, *mapview.FIT_ROOM_PX))


def upload_clauses(result: Any, place_id: str) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The uploaded plan's clauses that mention `place_id`, grouped by its documents (in order)."""
    index = getattr(result, "index", None) or {}
    docs = {d["id"]: d for d in index.get("documents") or []}
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in index.get("clauses") or []:
        if any(m[2] == place_id for m in c.get("mentions") or []):
            groups.setdefault(str(c.get("doc_id")), []).append(c)
    return [(docs.get(d, {"id": d, "title": d}), cl) for d, cl in groups.items()]


def upload_clauses_html(result: Any, place_id: str, lang: str) -> str:
    """The panel's section of the uploaded plan's clauses about `place_id` ("" when it names none)."""
    groups = upload_clauses(result, place_id)
    if not groups:
        return ""
    n = sum(len(cl) for _, cl in groups)
    parts = [UPLOAD_CSS, f'<div class="pa-upload-clauses" data-testid="pa-upload-clauses"><b>'
             f'{escape(t("upload_clauses", lang, count=n))}</b>']
    for doc, clauses in groups:
        title = str(doc.get("title") or getattr(result, "name", "") or "")  # untitled: the file's name
        parts.append(f'<div class="pa-doc pa-updoc">{escape(title)}</div>')
        parts += [panel.clause_html(c, [place_id], lang) for c in clauses]
    parts.append("</div>")
    return "".join(parts)
