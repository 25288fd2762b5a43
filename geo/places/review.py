"""The review queue: place-like strings the gazetteer does not know, and the planner's decisions on them.

Data: the queue is geo.places.coverage (its place-type patterns: …新城, …新区, …港, …铁路, …高原, …流域 …)
run over one document of the corpus (`queue_for_document`) or over an uploaded plan's clauses
(`queue_for_texts`). Decisions go to the planner-owned table data/gazetteer/planner.csv
(`geo.places.gazetteer.PLANNER_FILE`, columns `PLANNER_COLUMNS`): a string is either made an alias
of an existing place (`resolve_as_alias`) or a new place — a point (lon/lat, WGS-84) or an area made
of member units (`resolve_as_point`, `resolve_as_area`) — with kind, precision and a note; every
row records who decided, when (UTC, ISO 8601) and why. `undo` removes a decision by its row id.

Every write is validated first by loading the whole gazetteer (geo.places.gazetteer.load_gazetteer,
the same validation as the curated tables) from a temporary copy of the folder with the new table;
only a table that loads is written, atomically (geo.storage). Nothing here rebuilds layers/: the
caller (`geo review …`, the app) does, after a decision (this stage may not import geo.layers).
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from geo import settings
from geo.errors import GazetteerError
from geo.models import PRECISIONS
from geo.places.coverage import CoverageRow, coverage_of_texts, coverage_report
from geo.places.gazetteer import (
    ADMIN_KINDS,
    KINDS,
    PLANNER_COLUMNS,
    PLANNER_FILE,
    Gazetteer,
    load_gazetteer,
    normalize_name,
)
from geo.storage import atomic_write_text

__all__ = [
    "planner_rows",
    "queue_for_document",
    "queue_for_texts",
    "resolve_as_alias",
    "resolve_as_area",
    "resolve_as_point",
    "undo",
]


def _gdir(gazetteer_dir: Path | str | None) -> Path:
    return Path(gazetteer_dir) if gazetteer_dir is not None else settings.GAZETTEER_DIR


def queue_for_document(doc_id: str, corpus: object = None, gazetteer: Gazetteer | None = None) -> list[CoverageRow]:
    """Unknown place-like strings of one corpus document, most frequent first (UnknownDocumentError)."""
    return coverage_report(min_count=1, corpus=corpus, gazetteer=gazetteer, doc_id=doc_id)


def queue_for_texts(texts: Iterable[tuple[str, str]], gazetteer: Gazetteer | None = None) -> list[CoverageRow]:
    """Unknown place-like strings of (clause id, text) pairs, e.g. an uploaded plan's clauses."""
    return coverage_of_texts(texts, gazetteer)


def planner_rows(gazetteer_dir: Path | str | None = None) -> list[dict[str, str]]:
    """The decisions in planner.csv, in file order (empty when there is none)."""
    path = _gdir(gazetteer_dir) / PLANNER_FILE
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [{c: (row.get(c) or "") for c in PLANNER_COLUMNS} for row in csv.DictReader(f)]


def _slug(text: str) -> str:
    from pypinyin import lazy_pinyin

    s = "-".join(lazy_pinyin(text)).lower()
    return "".join(ch for ch in s if ch.isascii() and (ch.isalnum() or ch == "-")).strip("-") or "place"


def _unique_id(prefix: str, surface: str, taken: set[str]) -> str:
    base = f"{prefix}:planner-{_slug(surface)}"
    pid, n = base, 2
    while pid in taken:
        pid, n = f"{base}-{n}", n + 1
    return pid


def _check_new_surface(surface: str, gaz: Gazetteer) -> str:
    surface = surface.strip()
    if len(surface) < 2:
        raise GazetteerError(f"{surface!r}: a place name needs at least 2 characters")
    known = gaz.lookup(surface)
    if known:
        raise GazetteerError(f"{surface!r} is already a name of {known[0].name} ({known[0].id}); nothing to decide")
    return surface


def _check_provenance(who: str, why: str) -> None:
    if not who.strip():
        raise GazetteerError("who decided? (the planner's name is required)")
    if not why.strip():
        raise GazetteerError("why? (a short reason or source is required)")


def _write(gdir: Path, rows: Sequence[dict[str, str]]) -> None:
    """Validate the table by loading the gazetteer from a copy of the folder, then write it atomically;
    with no rows left, remove the file (no header-only table stays behind)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(PLANNER_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in PLANNER_COLUMNS})
    text = buf.getvalue()
    if not rows:  # the last decision undone: the folder is as it was before any decision
        (gdir / PLANNER_FILE).unlink(missing_ok=True)
        return
    with tempfile.TemporaryDirectory(prefix="planner-check-") as tmp:
        for path in gdir.glob("*.csv"):
            if path.name != PLANNER_FILE:
                shutil.copy(path, Path(tmp) / path.name)
        (Path(tmp) / PLANNER_FILE).write_text(text, encoding="utf-8")
        load_gazetteer(Path(tmp))  # raises GazetteerError naming the row and field
    atomic_write_text(gdir / PLANNER_FILE, text)


def _append(gdir: Path, row: dict[str, str]) -> dict[str, str]:
    rows = planner_rows(gdir)
    _write(gdir, [*rows, row])
    return row


def _now(when: datetime | None) -> str:
    return (when or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0).isoformat()


def resolve_as_alias(
    surface: str,
    place_id: str,
    *,
    who: str,
    why: str,
    gazetteer_dir: Path | str | None = None,
    when: datetime | None = None,
) -> dict[str, str]:
    """Record `surface` as another name of the existing place `place_id`; returns the row written."""
    gdir = _gdir(gazetteer_dir)
    gaz = load_gazetteer(gdir)
    surface = _check_new_surface(surface, gaz)
    target = gaz.get(place_id)  # UnknownPlaceError with suggestions
    _check_provenance(who, why)
    taken = {r["id"] for r in planner_rows(gdir)}
    row = {
        "id": _unique_id("alias", surface, taken),
        "name": surface,
        "alias_of": target.id,
        "provenance": f"planner decision: another name of {target.name}",
        "who": who.strip(),
        "when": _now(when),
        "why": why.strip(),
    }
    return _append(gdir, row)


def _new_place_row(
    surface: str, kind: str, precision: str, note: str, who: str, why: str, gdir: Path, when: datetime | None
) -> tuple[dict[str, str], Gazetteer]:
    gaz = load_gazetteer(gdir)
    surface = _check_new_surface(surface, gaz)
    if kind not in KINDS or kind in ADMIN_KINDS:
        allowed = ", ".join(sorted(set(KINDS) - ADMIN_KINDS))
        raise GazetteerError(f"unknown kind {kind!r}; one of {allowed}")
    if precision not in PRECISIONS:
        raise GazetteerError(f"unknown precision {precision!r}; one of {', '.join(PRECISIONS)}")
    _check_provenance(who, why)
    taken = {r["id"] for r in planner_rows(gdir)} | set(gaz.places)
    row = {
        "id": _unique_id(kind, surface, taken),
        "name": surface,
        "kind": kind,
        "precision": precision,
        "notes": note.strip(),
        "who": who.strip(),
        "when": _now(when),
        "why": why.strip(),
    }
    return row, gaz


def resolve_as_point(
    surface: str,
    lon: float,
    lat: float,
    *,
    kind: str,
    precision: str = "approximate point",
    note: str = "",
    who: str,
    why: str,
    gazetteer_dir: Path | str | None = None,
    when: datetime | None = None,
) -> dict[str, str]:
    """Create a new point place (WGS-84 lon/lat, e.g. clicked on the map) named `surface`."""
    gdir = _gdir(gazetteer_dir)
    row, _ = _new_place_row(surface, kind, precision, note, who, why, gdir, when)
    row.update(
        layer="points",
        recipe=f"point:{float(lon):.6f},{float(lat):.6f}",
        provenance=f"planner decision: point placed on the map by {who.strip()}",
    )
    return _append(gdir, row)


def resolve_as_area(
    surface: str,
    members: Sequence[str],
    *,
    kind: str,
    precision: str = "schematic",
    note: str = "",
    who: str,
    why: str,
    gazetteer_dir: Path | str | None = None,
    when: datetime | None = None,
) -> dict[str, str]:
    """Create a new area place named `surface`: the union of existing places (ids or names)."""
    gdir = _gdir(gazetteer_dir)
    row, gaz = _new_place_row(surface, kind, precision, note, who, why, gdir, when)
    ids = [gaz.resolve(m).id for m in members]
    if not ids:
        raise GazetteerError("an area needs at least one member unit")
    row.update(
        layer="regions",
        recipe="union",
        members="|".join(dict.fromkeys(ids)),
        provenance=f"planner decision: union of {len(ids)} member unit(s) chosen by {who.strip()}",
    )
    return _append(gdir, row)


def undo(row_id: str, gazetteer_dir: Path | str | None = None) -> dict[str, str]:
    """Remove the decision `row_id` (a planner.csv id, or its name) and return it."""
    gdir = _gdir(gazetteer_dir)
    rows = planner_rows(gdir)
    key = normalize_name(row_id)
    hit = [r for r in rows if r["id"] == row_id] or [r for r in rows if normalize_name(r["name"]) == key]
    if not hit:
        ids = ", ".join(r["id"] for r in rows) or "none"
        raise GazetteerError(f"no planner decision {row_id!r} in {gdir / PLANNER_FILE} (decisions: {ids})")
    removed = hit[-1]
    _write(gdir, [r for r in rows if r is not removed])
    return removed
