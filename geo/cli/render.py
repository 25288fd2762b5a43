"""`python -m geo map`: a map image (PNG at 300 dpi or PDF; A4 or 16:9 slide, landscape) of a view.

    python -m geo map --doc 2020-chengyu-gangyao --theme 交通 --format png -o gangyao-transport.png

Data: layers/ (atlas.sqlite through geo.query.layerset, or --layers). Drawing: geo.render.mapimage, with the viewer's
kind names (geo.viewer.i18n) and colours (geo.palette) so the image matches the app; the permalink is the
app's query string (geo.viewer.state.to_query_params), plus `theme`, `since`, `until`, `thematic` for
what the viewer does not encode yet. The file is written atomically (geo.storage.atomic_write_bytes).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

from geo.errors import RenderError, UnknownDocumentError
from geo.storage import atomic_write_bytes

DEFAULT_BASE_URL = "http://localhost:8501/"


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    try:
        w, s, e, n = (float(v) for v in text.split(","))
    except ValueError:
        raise RenderError(f"--bbox {text!r}: give four numbers west,south,east,north (degrees)") from None
    return (w, s, e, n)


def permalink(base: str, docs: list[str], selected: list[str], lang: str, extra: dict[str, str]) -> str:
    """The app URL of the view (viewstate's query parameters + extra ones the viewer ignores if unknown)."""
    from geo.viewer.state import ViewState, to_query_params

    state = ViewState(selected=selected[0] if selected else None, docs=tuple(docs) or None, lang=lang)
    q = to_query_params(state) | {k: v for k, v in extra.items() if v}
    return base + ("?" + urlencode(q, safe=",:") if q else "")


def _cmd_map(args: argparse.Namespace) -> int:
    from geo.palette import kind_color
    from geo.query.layerset import open_layerset
    from geo.render.mapimage import MapStyle, MapView, render_map
    from geo.render.thematic import MentionFilter, theme_filter
    from geo.viewer import i18n

    layerset = open_layerset(args.layers)  # atlas.sqlite (index.json only for an older build)
    docs = {d["id"]: d for d in layerset.index.get("documents") or []}
    for d in args.doc:
        if d not in docs:
            raise UnknownDocumentError(f"unknown document {d!r}: see `python -m geo docs` for the ids")
    lang = i18n.normalize_lang(args.lang)
    filt = MentionFilter(
        docs=frozenset(args.doc) if args.doc else None,
        since=args.since,
        until=args.until,
        clause=theme_filter(args.theme) if args.theme else None,
        label=args.theme or "",
    )
    title = args.title or (docs[args.doc[0]]["title"] if len(args.doc) == 1 else i18n.t("app_title", lang))
    if args.theme and not args.title:
        title = f"{title} · {args.theme}"
    extra = {"theme": args.theme or "", "since": args.since or "", "until": args.until or "",
             "thematic": args.thematic or ""}
    view = MapView(
        title=title,
        extent=_bbox(args.bbox),
        filt=filt,
        selected=tuple(args.select),
        thematic=args.thematic,
        method=args.method,
        permalink=permalink(args.base_url, args.doc, args.select, lang, extra),
        lang=lang,
    )
    style = MapStyle(kind_label=lambda k: i18n.label("kind", k, lang), kind_color=kind_color)
    data = render_map(layerset, view, args.format, args.size, style)
    out = atomic_write_bytes(Path(args.output), data)
    print(f"wrote {out} ({len(data) / 1e6:.2f} MB, {args.format}, {args.size})", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `map` sub-command."""
    p = sub.add_parser("map", help="render a map image (PNG 300 dpi or PDF) of a view")
    p.add_argument("--doc", action="append", default=[], metavar="DOC_ID", help="a document (repeatable; default all)")
    p.add_argument("--theme", help="only clauses of this theme (e.g. 交通)")
    p.add_argument("--since", help="documents dated on or after (YYYY[-MM[-DD]])")
    p.add_argument("--until", help="documents dated on or before (YYYY[-MM[-DD]])")
    p.add_argument("--select", action="append", default=[], metavar="PLACE_ID", help="highlight a place (repeatable)")
    p.add_argument("--thematic", choices=("county", "prefecture"), help="draw the choropleth of mentions")
    p.add_argument("--method", choices=("jenks", "quantiles"), default="jenks", help="choropleth classes")
    p.add_argument("--bbox", help="extent west,south,east,north in degrees (default: the economic circle)")
    p.add_argument("--format", choices=("png", "pdf"), default="png")
    p.add_argument("--size", choices=("a4", "slide"), default="a4", help="A4 or 16:9 slide, landscape")
    p.add_argument("--title", help="title (default: the document's title, or the atlas's)")
    p.add_argument("--lang", default="zh", help="zh or en")
    p.add_argument("--base-url", default=os.environ.get("PLAN_ATLAS_URL", DEFAULT_BASE_URL),
                   help="the app's address for the permalink (env PLAN_ATLAS_URL)")
    p.add_argument("--layers", help="layers/ folder (default: the project's)")
    p.add_argument("-o", "--output", required=True, help="output file")
    p.set_defaults(func=_cmd_map)
