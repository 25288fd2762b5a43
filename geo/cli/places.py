"""`python -m geo extract|place|coverage|evaluate`: place mentions, place geometry, gazetteer to-do, scores.

- `extract --jsonl`: JSON lines {"id","text"} on stdin → one line per input
  {"id","mentions":[{"start","end","surface","place_id","name","kind","adcode","confidence","rule"}]}
  (offsets into text; rule/confidence: how the mention was found, geo.extract.RULE_CONFIDENCE).
- `extract FILE`: the same record shape for one plain-text file (decoded by geo.corpus.read_text).
- `place NAME|ID … [--json]`: the resolved places; with --json an RFC 7946 FeatureCollection
  (WGS-84) built by geo.geometry.place_geometry. Unknown names raise UnknownPlaceError (exit 1).
- `coverage [--json] [--min-count N] [--doc DOC_ID]`: place-like strings the gazetteer does not know (geo.coverage).
- `evaluate [--devset PATH]`: precision/recall/F1 on tests/data/devset.jsonl (geo.evaluate).

Data: the gazetteer (geo.gazetteer.load_gazetteer) and, for coverage, the corpus (geo.corpus).
Bad input raises geo.errors.InputFileError with the line number; geo.cli prints it (exit 1).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from geo.errors import InputFileError
from geo.models import Mention


def _extractor(args: argparse.Namespace):
    from geo.places import Extractor, load_gazetteer

    gdir = Path(args.gazetteer_dir) if getattr(args, "gazetteer_dir", None) else None
    return Extractor(load_gazetteer(gdir))


def mention_json(m: Mention, extractor: Any) -> dict[str, Any]:
    """The CLI/JSON shape of a mention (ARCHITECTURE.md contract)."""
    p = extractor.place(m.place_id)
    return {
        "start": m.start,
        "end": m.end,
        "surface": m.surface,
        "place_id": m.place_id,
        "name": p.name,
        "kind": p.kind,
        "adcode": p.adcode,
        "confidence": m.confidence,
        "rule": m.rule,
    }


def _jsonl_records(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputFileError(f"stdin line {n}: invalid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise InputFileError(f'stdin line {n}: expected a JSON object with "id" and "text"')
        missing = [k for k in ("id", "text") if k not in obj]
        if missing:
            raise InputFileError(f"stdin line {n}: missing field(s) {', '.join(missing)}")
        if not isinstance(obj["text"], str):
            raise InputFileError(f'stdin line {n}: "text" must be a string')
        yield obj["id"], obj["text"]


def _cmd_extract(args: argparse.Namespace) -> int:
    if args.jsonl == (args.file is not None):
        raise InputFileError("give either --jsonl (records on stdin) or one FILE, not both or neither")
    ex = _extractor(args)
    out = sys.stdout
    if args.jsonl:
        for rid, text in _jsonl_records(sys.stdin):
            rec = {"id": rid, "mentions": [mention_json(m, ex) for m in ex.extract(text)]}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            out.flush()
        return 0
    from geo.corpus import read_text

    path = Path(args.file)
    text = read_text(path)
    rec = {"id": path.name, "mentions": [mention_json(m, ex) for m in ex.extract(text)]}
    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return 0


def _round(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return round(float(coords), 6)
    return [_round(c) for c in coords]


def geojson_geometry(geom: Any) -> dict[str, Any]:
    """RFC 7946 geometry: counter-clockwise exterior rings, clockwise holes, 6 decimals (WGS-84)."""
    import shapely
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.polygon import orient

    if isinstance(geom, Polygon):
        geom = orient(geom, 1.0)
    elif isinstance(geom, MultiPolygon):
        geom = MultiPolygon([orient(g, 1.0) for g in geom.geoms])
    obj = json.loads(shapely.to_geojson(geom))
    if "coordinates" in obj:
        obj["coordinates"] = _round(obj["coordinates"])
    return obj


def _cmd_place(args: argparse.Namespace) -> int:
    from geo.places import load_gazetteer

    gdir = Path(args.gazetteer_dir) if args.gazetteer_dir else None
    gaz = load_gazetteer(gdir)
    places = [gaz.resolve(name) for name in args.names]  # UnknownPlaceError → exit 1
    if not args.json:
        for p in places:
            print(f"{p.id}\t{p.name}\t{p.kind}\t{p.precision}\t{p.recipe}")
        return 0
    from geo.places.geometry import place_geometry

    features = []
    for p in places:
        features.append(
            {
                "type": "Feature",
                "id": p.id,
                "geometry": geojson_geometry(place_geometry(p, gaz)),
                "properties": {
                    "id": p.id,
                    "name": p.name,
                    "kind": p.kind,
                    "layer": p.layer,
                    "aliases": list(p.aliases),
                    "adcode": p.adcode,
                    "precision": p.precision,
                    "provenance": p.provenance,
                },
            }
        )
    json.dump({"type": "FeatureCollection", "features": features}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    from geo.places import coverage

    rows = coverage.coverage_report(min_count=args.min_count, doc_id=args.doc)
    if args.json:
        json.dump([r.to_json() for r in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    for r in rows:
        ids = ", ".join(r.clause_ids[:3]) + (" …" if len(r.clause_ids) > 3 else "")
        print(f"{r.count}\t{r.surface}\t{r.pattern}\t{ids}")
    print(f"{len(rows)} unresolved place-like strings (count ≥ {args.min_count})", file=sys.stderr)
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from geo.places.evaluate import evaluate, load_devset, render

    rep = evaluate(_extractor(args), load_devset(Path(args.devset) if args.devset else None))
    print(render(rep, details=not args.quiet))
    return 0


def _add_gaz(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--gazetteer-dir", default=None, help="folder of gazetteer tables (default: data/gazetteer)"
    )


def register(sub: argparse._SubParsersAction) -> None:
    """Add the extract, place, coverage and evaluate sub-commands."""
    p = sub.add_parser("extract", help="find place mentions (JSON lines on stdin, or one text file)")
    p.add_argument("file", nargs="?", metavar="FILE", help="a plain-text file (UTF-8 or GB18030)")
    p.add_argument("--jsonl", action="store_true", help='read {"id","text"} JSON lines from stdin')
    _add_gaz(p)
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("place", help="resolve place names or ids; --json prints a GeoJSON FeatureCollection")
    p.add_argument("names", nargs="+", metavar="NAME")
    p.add_argument("--json", action="store_true", help="RFC 7946 FeatureCollection (WGS-84)")
    _add_gaz(p)
    p.set_defaults(func=_cmd_place)

    p = sub.add_parser("coverage", help="place-like strings in the corpus that the gazetteer does not know")
    p.add_argument("--json", action="store_true", help="JSON list of {surface, count, pattern, clause_ids}")
    p.add_argument("--min-count", type=int, default=1, help="only strings seen at least N times (default 1)")
    p.add_argument("--doc", default=None, metavar="DOC_ID", help="only this document (the review queue of one plan)")
    p.set_defaults(func=_cmd_coverage)

    p = sub.add_parser("evaluate", help="precision/recall of the extractor on the annotated devset")
    p.add_argument("--devset", default=None, help="devset JSON lines (default tests/data/devset.jsonl)")
    p.add_argument("--quiet", action="store_true", help="scores only, no error lists")
    _add_gaz(p)
    p.set_defaults(func=_cmd_evaluate)
