"""HTML of the clause panel and the document reader — every text escaped.

Texts come from documents and the gazetteer, so each one goes through `html.escape` before
it meets markup; the only markup is ours (`<mark>`, `<a>`, headings). A clause containing
`<script>` shows it literally. The HTML is one block without blank lines, so Streamlit's
markdown passes it through untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any
from urllib.parse import urlencode

from geo.viewer.data import Catalog, PlaceInfo, doc_title
from geo.viewer.i18n import label, t

PANEL_CSS = (
    "<style>"
    ".pa-place h3{margin:0 0 .2rem 0}"
    ".pa-meta{color:#555;font-size:.85rem;margin:.1rem 0}"
    ".pa-doc{margin:.8rem 0 .2rem 0;font-weight:600;border-bottom:1px solid #ddd}"
    ".pa-sec{margin:1rem 0 .1rem 0;padding:.2rem .4rem;background:#f3f5f8;border-left:3px solid #0072B2}"
    ".pa-clause{margin:.3rem 0 .1rem 0;line-height:1.6}"
    ".pa-path{color:#666;font-size:.8rem}"
    ".pa-src{color:#888;font-size:.75rem}"
    ".pa-clause mark,.pa-reader mark{background:#ffe066;padding:0 1px}"
    ".pa-clause mark.pa-other{background:#e8eef8}"
    ".pa-reader p{line-height:1.8;margin:.2rem 0}"
    ".pa-reader a{text-decoration:none;color:inherit}"
    ".pa-reader h4{margin:.8rem 0 .2rem 0;font-size:1rem}"
    "</style>"
)


def mark_mentions(
    text: str,
    mentions: Iterable[Sequence[Any]],
    selected: Iterable[str] = (),
    href: Callable[[str], str] | None = None,
) -> str:
    """Escaped `text` with each mention [start, end, place_id] wrapped in <mark>.

    Mentions of a `selected` place get plain <mark>; others get <mark class="pa-other">.
    With `href`, each mention is also a link to `href(place_id)` (opened in the same tab).
    Overlapping or out-of-range spans are skipped, never mis-sliced.
    """
    chosen = set(selected)
    out: list[str] = []
    pos = 0
    for m in sorted(mentions, key=lambda m: (int(m[0]), -int(m[1]))):
        start, end, pid = int(m[0]), int(m[1]), str(m[2])
        if start < pos or end > len(text) or start >= end:
            continue
        out.append(escape(text[pos:start]))
        cls = "" if (pid in chosen or not chosen) else ' class="pa-other"'
        inner = f'<mark{cls} data-place="{escape(pid)}">{escape(text[start:end])}</mark>'
        if href is not None:
            inner = f'<a href="{escape(href(pid))}" target="_self">{inner}</a>'
        out.append(inner)
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def doc_kind(doc: dict[str, Any], lang: str = "zh") -> str:
    """A document's kind in `lang` (规划 → Plan; i18n "dockind:…"); "—" when it has none."""
    kind = str(doc.get("kind") or "")
    return label("dockind", kind, lang) if kind else "—"


def doc_label(doc: dict[str, Any], lang: str = "zh") -> str:
    """Plain-text label of a document: "date · kind · title" (not escaped: for widgets)."""
    date = str(doc.get("date") or t("no_date", lang))
    return f"{date} · {doc_kind(doc, lang)} · {doc_title(doc, lang)}"


def doc_option(doc: dict[str, Any], lang: str = "zh") -> str:
    """A document in the document filter, grouped by kind: "〔kind〕date · title" (not escaped)."""
    date = str(doc.get("date") or t("no_date", lang))
    return f"〔{doc_kind(doc, lang)}〕{date} · {doc_title(doc, lang)}"


def clauses_for_place(
    catalog: Catalog, place_id: str, doc_ids: Iterable[str] | None = None
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The clauses mentioning a place, grouped by document in date order (filtered to `doc_ids`)."""
    place = catalog.places.get(place_id)
    if place is None:
        return []
    allowed = None if doc_ids is None else set(doc_ids)
    wanted = set(place.clause_ids)
    if not wanted:  # fall back to scanning mentions (index without clause links)
        wanted = {
            cid for cid, c in catalog.clauses.items() if any(m[2] == place_id for m in c.get("mentions") or [])
        }
    # the place's own clause list (index order = reading order), not every document's clauses:
    # the catalog may fetch clauses lazily (geo.viewer.store_catalog)
    order = list(place.clause_ids) or [c for d in catalog.documents for c in catalog.clauses_by_doc.get(d, [])
                                       if c in wanted]
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for cid in order:
        c = catalog.clauses.get(cid)
        if c is not None and (allowed is None or c["doc_id"] in allowed):
            by_doc.setdefault(c["doc_id"], []).append(c)
    return [(doc, by_doc[doc_id]) for doc_id, doc in catalog.documents.items() if doc_id in by_doc]


def first_clauses(
    groups: list[tuple[dict[str, Any], list[dict[str, Any]]]], limit: int
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The first `limit` clauses of document groups (a page of the panel), groups kept in order."""
    out: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    left = max(limit, 0)
    for doc, clauses in groups:
        if left <= 0:
            break
        out.append((doc, clauses[:left]))
        left -= len(out[-1][1])
    return out


def _heading(place: PlaceInfo, lang: str) -> str:
    """The place's name as the heading (escaped): in English, its English name with the Chinese
    name the plans use beside it."""
    shown = place.display_name(lang)
    if shown == place.name:
        return escape(place.name)
    return f'{escape(shown)} <span class="pa-meta" lang="zh">{escape(place.name)}</span>'


def place_header_html(place: PlaceInfo, lang: str = "zh", provenance: str = "") -> str:
    """Name, kind, precision and provenance of a place (`provenance`: plain text from
    geo.viewer.provenance.describe — a document title and clause, never a file name)."""
    c = escape(t("colon", lang))
    rows = [
        f'<div class="pa-place"><h3>{_heading(place, lang)}</h3>',
        f'<div class="pa-meta">{escape(t("kind", lang))}{c}{escape(label("kind", place.kind, lang))}'
        f' · {escape(t("precision", lang))}{c}{escape(label("prec", place.precision, lang))}</div>',
    ]
    if provenance:
        rows.append(f'<div class="pa-meta" data-testid="pa-provenance">{escape(t("provenance", lang))}{c}'
                    f'{escape(provenance)}</div>')
    extra = []
    if place.adcode:
        extra.append(f'{escape(t("adcode", lang))}{c}{escape(place.adcode)}')
    if place.aliases:
        extra.append(f'{escape(t("aliases", lang))}{c}{escape("、".join(place.aliases))}')
    extra.append(f'{escape(t("mentions", lang))}{c}{place.mention_count}')
    rows.append(f'<div class="pa-meta">{" · ".join(extra)}</div></div>')
    return "".join(rows)


def doc_heading_html(doc: dict[str, Any], lang: str = "zh") -> str:
    """One document's heading in the panel: title, date, document number."""
    bits = [escape(str(doc.get("date") or t("no_date", lang)))]
    if doc.get("doc_no"):
        bits.append(escape(str(doc["doc_no"])))
    return (
        f'<div class="pa-doc">{escape(doc_title(doc, lang))} '
        f'<span class="pa-meta">({" · ".join(bits)})</span></div>'
    )


def clause_html(clause: dict[str, Any], selected: Iterable[str] = (), lang: str = "zh") -> str:
    """One clause: heading path, label and text with the mentions marked (its document is the
    heading above it; no corpus file name or line numbers, which mean nothing to a reader)."""
    path = " › ".join(str(p) for p in clause.get("path") or [])
    lab = str(clause.get("label") or "")
    text = mark_mentions(str(clause.get("text") or ""), clause.get("mentions") or [], selected)
    head = escape(path) + (f" › {escape(lab)}" if lab else "")
    return f'<div class="pa-clause"><div class="pa-path">{head}</div>{text}</div>'


def reader_html(
    catalog: Catalog,
    doc_id: str,
    href: Callable[[str], str],
    selected: Iterable[str] = (),
    lang: str = "zh",
) -> str:
    """One whole document, clause by clause, its place mentions marked and linked via `href(place_id)`."""
    doc = catalog.documents.get(doc_id)
    if doc is None:
        return ""
    chosen = list(selected)
    c = escape(t("colon", lang))
    meta = [f'{escape(t("date", lang))}{c}{escape(str(doc.get("date") or t("no_date", lang)))}']
    if doc.get("doc_no"):
        meta.append(f'{escape(t("doc_no", lang))}{c}{escape(str(doc["doc_no"]))}')
    if doc.get("issuers"):
        meta.append(f'{escape(t("issuers", lang))}{c}{escape("、".join(str(i) for i in doc["issuers"]))}')
    title = doc_title(doc, lang) or doc_id
    out = [
        f'<div class="pa-reader"><h3>{escape(title)}</h3>',
        *([f'<div class="pa-meta" lang="zh">{escape(str(doc["title"]))}</div>']
          if title != str(doc.get("title") or doc_id) else []),
        f'<div class="pa-meta">{" · ".join(meta)}</div>',
    ]
    last_path: tuple[str, ...] = ()
    for cid in catalog.clauses_by_doc.get(doc_id, []):
        c = catalog.clauses[cid]
        path = tuple(str(p) for p in c.get("path") or [])
        if path != last_path:
            out.append(f"<h4>{escape(' › '.join(path))}</h4>")
            last_path = path
        lab = str(c.get("label") or "")
        body = mark_mentions(str(c.get("text") or ""), c.get("mentions") or [], chosen, href)
        out.append(f'<p id="{escape(cid)}">{escape(lab) + " " if lab else ""}{body}</p>')
    out.append("</div>")
    return "".join(out)


def permalink(params: dict[str, str]) -> str:
    """A relative link ("?a=b&…") that reopens the view with these query parameters."""
    return "?" + urlencode(params) if params else "?"
