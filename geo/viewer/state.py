"""The viewer's state: selection, filters, basemap, view, presenter mode, language.

Everything a view needs fits in `ViewState`, and `to_query_params` / `from_query_params`
turn it into a permalink and back (unknown ids in a hand-edited link are dropped, never
an error). Also here: place search by name, alias, pinyin or English name, and reading a click out of
what streamlit-folium returns.

Query parameters: `sel` place id · `clause` clause whose places are highlighted ·
`docs` comma-separated document ids (absent: all) · `layers` comma-separated kinds (absent: the
manifest's default view) ·
`basemap` · `lat`, `lon`, `z` map view · `presenter=1` · `ptitle` the presenter's own title (at most
TITLE_CHARS characters, control characters dropped; the presenter view puts it in as text) ·
`thematic` (county|prefecture) the thematic map on the main map, `ttheme` its theme (a theme of
data/themes.csv), `tsince`, `tuntil` its period (years of the documents' dates) · `lang` (zh|en) · `view` (map|reader|upload) ·
`doc` the document open in the reader.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from geo.errors import ThemesError
from geo.layers import load_themes
from geo.viewer import basemaps
from geo.viewer.data import Catalog
from geo.viewer.i18n import DEFAULT_LANG, normalize_lang

VIEWS: tuple[str, ...] = ("map", "reader", "upload", "ask")
DEFAULT_CENTER: tuple[float, float] = (30.1, 105.3)  # between Chengdu and Chongqing
DEFAULT_ZOOM: int = 7
THEMATIC_LEVELS: tuple[str, ...] = ("county", "prefecture")  # geo.render.thematic.LEVELS
TITLE_CHARS: int = 120  # the longest presenter title a link carries


@dataclass(frozen=True)
class ViewState:
    """One view of the atlas. `docs` None means all documents; `kinds` None the default layers."""

    selected: str | None = None
    clause: str | None = None
    docs: tuple[str, ...] | None = None
    kinds: tuple[str, ...] | None = None
    basemap: str = "vector"
    center: tuple[float, float] | None = None
    zoom: int | None = None
    presenter: bool = False
    lang: str = DEFAULT_LANG
    view: str = "map"
    reader_doc: str | None = None
    thematic: str | None = None  # the main map's thematic map level; None = off
    thematic_theme: str = ""  # count only the clauses of this theme ("" = all themes)
    thematic_since: int | None = None  # count only documents dated in these years (None = open)
    thematic_until: int | None = None
    title: str = ""  # presenter mode's title as the presenter set it ("" = the default title)

    def with_(self, **changes: Any) -> ViewState:
        """A copy with some fields changed."""
        return replace(self, **changes)

    def highlighted(self, catalog: Catalog) -> list[str]:
        """Place ids to highlight: the clause's places (if a clause is chosen) plus the selection."""
        ids: list[str] = []
        if self.clause:
            ids.extend(catalog.clause_place_ids(self.clause))
        if self.selected and self.selected not in ids:
            ids.insert(0, self.selected)
        return ids


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in (s.strip() for s in (value or "").split(",")) if v)


def _float(value: str | None) -> float | None:
    try:
        f = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    if f is None or f != f or abs(f) > 1000:  # NaN or absurd
        return None
    return f


def clean_title(value: str | None) -> str:
    """A presenter title as a link may carry it: control characters (line breaks, NUL …) dropped,
    spaces collapsed, at most TITLE_CHARS characters. Escaping is the output's job (URL encoding in
    links; the presenter view sets it as text)."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(value or ""))
    return " ".join(text.split())[:TITLE_CHARS]


def to_query_params(state: ViewState) -> dict[str, str]:
    """The permalink query parameters of a view (defaults left out, so links stay short)."""
    q: dict[str, str] = {}
    if state.selected:
        q["sel"] = state.selected
    if state.clause:
        q["clause"] = state.clause
    if state.docs is not None:
        q["docs"] = ",".join(state.docs)
    if state.kinds is not None:
        q["layers"] = ",".join(state.kinds)
    if state.basemap != "vector":
        q["basemap"] = state.basemap
    if state.center is not None:
        q["lat"] = f"{state.center[0]:.5f}"
        q["lon"] = f"{state.center[1]:.5f}"
    if state.zoom is not None:
        q["z"] = str(int(state.zoom))
    if state.presenter:
        q["presenter"] = "1"
    if state.title:
        q["ptitle"] = clean_title(state.title)
    if state.thematic in THEMATIC_LEVELS:
        q["thematic"] = str(state.thematic)
        if state.thematic_theme:  # the theme and period only with the thematic map they are of
            q["ttheme"] = state.thematic_theme
        if state.thematic_since is not None:
            q["tsince"] = str(state.thematic_since)
        if state.thematic_until is not None:
            q["tuntil"] = str(state.thematic_until)
    if state.lang != DEFAULT_LANG:
        q["lang"] = state.lang
    if state.view != "map":
        q["view"] = state.view
    if state.reader_doc:
        q["doc"] = state.reader_doc
    return q


POSITION_PARAMS: frozenset[str] = frozenset({"lat", "lon", "z"})
# kept current in the address bar by the browser itself (history.replaceState), no rerun: the map's
# position (geo.viewer.mapview) and the presenter's title as it is typed (geo.viewer.presenter)
IN_PLACE_PARAMS: frozenset[str] = POSITION_PARAMS | {"ptitle"}


def without_position(params: Mapping[str, Any]) -> dict[str, Any]:
    """Query parameters without those the page keeps current in place (map position, presenter title)."""
    return {k: v for k, v in params.items() if k not in IN_PLACE_PARAMS}


@functools.lru_cache(maxsize=1)
def thematic_themes() -> tuple[str, ...]:
    """The themes a thematic map can be counted for: data/themes.csv's (those layers/atlas.sqlite assigns).
    None when the table cannot be read (the viewer runs from layers/ alone: the thematic map then
    counts every clause, and a `ttheme` in an address is dropped)."""
    try:
        return tuple(load_themes().names)
    except ThemesError:
        return ()


def document_years(documents: Any) -> tuple[int, ...]:
    """The years of the documents' dates (index.json records or an {id: record} mapping), ascending."""
    records = documents.values() if isinstance(documents, Mapping) else documents
    years = set()
    for d in records:
        head = str((d or {}).get("date") or "")[:4]
        if head.isdigit():
            years.add(int(head))
    return tuple(sorted(years))


def thematic_period(since: Any, until: Any, years: Iterable[int] | None = None) -> tuple[int | None, int | None]:
    """A valid (since, until) pair of years: non-years dropped, with `years` (the documents' years) the
    years outside them dropped, swapped when reversed."""
    allowed = set(years) if years is not None else None

    def year(v: Any) -> int | None:
        s = str(v).strip() if v is not None else ""
        if not re.fullmatch(r"\d{4}", s):
            return None
        y = int(s)
        return y if allowed is None or y in allowed else None

    lo, hi = year(since), year(until)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return lo, hi


def from_query_params(params: Mapping[str, Any], catalog: Catalog | None = None) -> ViewState:
    """The view a permalink describes. With a catalog, unknown place/clause/document ids are dropped."""

    def get(key: str) -> str | None:
        v = params.get(key)
        if isinstance(v, list | tuple):
            v = v[-1] if v else None
        return None if v is None else str(v)

    selected = get("sel") or None
    clause = get("clause") or None
    docs = _csv(get("docs")) if get("docs") is not None else None
    kinds = _csv(get("layers")) if get("layers") is not None else None
    reader_doc = get("doc") or None
    if catalog is not None:
        if selected and selected not in catalog.places:
            selected = None
        if clause and clause not in catalog.clauses:
            clause = None
        if docs is not None:
            docs = tuple(d for d in docs if d in catalog.documents)
        if reader_doc and reader_doc not in catalog.documents:
            reader_doc = None
    basemap = get("basemap") or "vector"
    if basemap not in basemaps.REGISTRY:
        basemap = "vector"
    lat, lon = _float(get("lat")), _float(get("lon"))
    center = (lat, lon) if lat is not None and lon is not None and abs(lat) <= 90 else None
    z = _float(get("z"))
    zoom = int(min(max(z, 1), 19)) if z is not None else None
    view = get("view") or "map"
    thematic = get("thematic")
    ttheme = get("ttheme") or ""
    since, until = thematic_period(get("tsince"), get("tuntil"),
                                   document_years(catalog.documents) if catalog is not None else None)
    return ViewState(
        selected=selected,
        clause=clause,
        docs=docs or None,
        kinds=kinds,
        basemap=basemap,
        center=center,
        zoom=zoom,
        presenter=get("presenter") in ("1", "true", "yes"),
        lang=normalize_lang(get("lang")),
        view=view if view in VIEWS else "map",
        reader_doc=reader_doc,
        thematic=thematic if thematic in THEMATIC_LEVELS else None,
        title=clean_title(get("ptitle")),
        thematic_theme=ttheme if ttheme and ttheme in thematic_themes() else "",
        thematic_since=since,
        thematic_until=until,
    )


# The sidebar widgets (Streamlit session-state keys) that mirror ViewState fields.
WIDGET_KEYS: tuple[str, ...] = ("w_lang", "w_view", "w_basemap", "w_kinds", "w_docs", "w_presenter", "w_doc",
                                "w_thematic", "w_ttheme", "w_tperiod")


def widget_values(state: ViewState, catalog: Catalog) -> dict[str, Any]:
    """The sidebar widgets' values for a view (all but the language radio, which the user sets)."""
    return {
        "w_basemap": state.basemap,
        "w_kinds": list(state.kinds) if state.kinds is not None else catalog.default_kinds(),
        "w_docs": list(state.docs or ()),
        "w_presenter": state.presenter,
        "w_view": state.view,
        "w_doc": state.reader_doc or next(iter(catalog.documents), None),
        "w_thematic": state.thematic or "off",
        "w_ttheme": state.thematic_theme,
        "w_tperiod": period_value(state, catalog),
    }


def period_value(state: ViewState, catalog: Catalog) -> tuple[int, int] | None:
    """The period slider's (first, last) year for a view: the view's period within the documents' years."""
    years = document_years(catalog.documents)
    if not years:
        return None
    lo = state.thematic_since if state.thematic_since in years else years[0]
    hi = state.thematic_until if state.thematic_until in years else years[-1]
    return (lo, hi)


def apply_widget_values(state: ViewState, catalog: Catalog, values: Mapping[str, Any]) -> ViewState:
    """The view with the widgets' values; a value that is not a real option (e.g. a stale label
    of the other language) keeps the view's own, so a widget glitch never empties the map."""
    kinds = catalog.kinds()
    chosen = set(values.get("w_kinds") or ())
    chosen_kinds = [k for k in kinds if k in chosen]
    if chosen and not chosen_kinds:  # only unknown values: not a choice the user made
        chosen_kinds = list(state.kinds) if state.kinds is not None else catalog.default_kinds()
    view = values.get("w_view")
    view = view if view in VIEWS else state.view
    basemap = values.get("w_basemap")
    basemap = basemap if basemap in basemaps.REGISTRY else state.basemap
    docs = tuple(d for d in values.get("w_docs") or () if d in catalog.documents)
    doc = values.get("w_doc")
    doc = doc if doc in catalog.documents else state.reader_doc
    thematic = values.get("w_thematic", state.thematic or "off")
    thematic = thematic if thematic in THEMATIC_LEVELS + ("off",) else state.thematic or "off"
    ttheme = values.get("w_ttheme", state.thematic_theme)
    ttheme = ttheme if ttheme == "" or ttheme in thematic_themes() else state.thematic_theme
    since, until = state.thematic_since, state.thematic_until
    years = document_years(catalog.documents)
    period = values.get("w_tperiod")
    if isinstance(period, list | tuple) and len(period) == 2 and all(p in years for p in period):
        since, until = thematic_period(period[0], period[1], years)
        if (since, until) == (years[0], years[-1]):  # the whole range is no period
            since = until = None
    return state.with_(
        lang=normalize_lang(values.get("w_lang")),
        view=view,
        basemap=basemap,
        kinds=None if chosen_kinds == catalog.default_kinds() else tuple(chosen_kinds),
        docs=docs or None,
        presenter=bool(values.get("w_presenter")),
        reader_doc=doc if view == "reader" else state.reader_doc,
        thematic=None if thematic == "off" else thematic,
        thematic_theme=ttheme or "",
        thematic_since=since,
        thematic_until=until,
    )


def clicked_place_id(returned: Mapping[str, Any] | None) -> str | None:
    """The place id of the feature clicked on the map, from st_map's return value."""
    if not returned:
        return None
    feature = returned.get("last_active_drawing")
    if not isinstance(feature, Mapping):
        return None
    props = feature.get("properties")
    pid = props.get("id") if isinstance(props, Mapping) else None
    pid = pid or feature.get("id")
    return str(pid) if pid else None


def returned_view(returned: Mapping[str, Any] | None) -> tuple[tuple[float, float] | None, int | None]:
    """(center, zoom) of the live map from st_map's return value (None where absent)."""
    if not returned:
        return None, None
    c = returned.get("center")
    center = None
    if isinstance(c, Mapping) and "lat" in c and "lng" in c:
        try:
            center = (round(float(c["lat"]), 5), round(float(c["lng"]), 5))
        except (TypeError, ValueError):
            center = None
    z = returned.get("zoom")
    zoom = int(z) if isinstance(z, int | float) and not isinstance(z, bool) else None
    return center, zoom


def select(state: ViewState, place_id: str | None) -> ViewState:
    """The view with a new selected place (any clause highlight is cleared)."""
    return state.with_(selected=place_id, clause=None)


def visible_docs(state: ViewState, catalog: Catalog) -> list[str]:
    """Document ids passing the filter, in date order."""
    if state.docs is None:
        return list(catalog.documents)
    wanted = set(state.docs)
    return [d for d in catalog.documents if d in wanted]


def documents_grouped(catalog: Catalog) -> list[tuple[str, list[dict[str, Any]]]]:
    """Documents grouped by kind (groups ordered by their earliest document), each group by date."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for doc in catalog.documents.values():  # already in date order
        groups.setdefault(str(doc.get("kind") or ""), []).append(doc)
    return list(groups.items())


# --- search -----------------------------------------------------------------------------------

_LATIN = re.compile(r"[^a-z0-9]")


def fold_latin(text: str) -> str:
    """Lower-case ASCII letters and digits only ("Chéngdū Shì" → "chengdushi")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return _LATIN.sub("", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@dataclass(frozen=True)
class SearchEntry:
    """The search keys of one place."""

    place_id: str
    name: str
    aliases: tuple[str, ...]
    pinyin: str
    initials: str
    weight: int
    english: str = ""  # the English name, folded like the pinyin (three gorges → threegorges)


def _pinyin_keys(name: str, given: str) -> tuple[str, str]:
    full = fold_latin(given)
    initials = ""
    try:
        from pypinyin import Style, lazy_pinyin

        syllables = lazy_pinyin(name)
        if not full:
            full = fold_latin("".join(syllables))
        initials = fold_latin("".join(s[:1] for s in lazy_pinyin(name, style=Style.NORMAL)))
    except ImportError:
        pass
    return full, initials


def build_search_index(catalog: Catalog) -> list[SearchEntry]:
    """Search keys for every place that has a geometry (names, aliases, pinyin, initials, English name)."""
    entries = []
    for p in catalog.places.values():
        if p.bbox is None:
            continue
        full, initials = _pinyin_keys(p.name, p.pinyin)
        entries.append(SearchEntry(p.id, p.name, p.aliases, full, initials, p.mention_count, fold_latin(p.name_en)))
    return entries


def search_places(entries: Iterable[SearchEntry], query: str, limit: int = 12) -> list[str]:
    """Place ids matching `query` by name, alias, pinyin or English name, best first."""
    q = query.strip()
    if not q:
        return []
    ql = q.lower()
    qlat = fold_latin(q)
    scored: list[tuple[int, int, int, str]] = []
    for e in entries:
        score = None
        if e.name == q:
            score = 0
        elif q in e.aliases:
            score = 1
        elif e.name.startswith(q):
            score = 2
        elif q in e.name:
            score = 3
        elif any(ql in a.lower() for a in e.aliases):
            score = 4
        elif qlat and qlat == qlat.strip() and q.isascii():
            if e.pinyin == qlat or e.english == qlat:
                score = 5
            elif e.pinyin.startswith(qlat) or e.english.startswith(qlat):
                score = 6
            elif e.initials.startswith(qlat):
                score = 7
            elif len(qlat) >= 3 and (qlat in e.pinyin or qlat in e.english):
                score = 8
        if score is not None:
            scored.append((score, -e.weight, len(e.name), e.place_id))
    scored.sort()
    return [s[3] for s in scored[:limit]]
