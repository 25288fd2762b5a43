"""`python -m geo review …`: the planner's decisions on unknown place-like strings (geo.places.review).

- `review list`: the decisions in data/gazetteer/planner.csv (id, name, what, who, when, why).
- `review alias SURFACE PLACE --who W --why Y`: SURFACE becomes another name of PLACE (name or id).
- `review point SURFACE --lon X --lat Y --kind K [--precision P] [--note N] --who W --why Y`: a new point.
- `review area SURFACE --members A B … --kind K …`: a new area, the union of member places.
- `review undo ID`: remove a decision (its id or name).

The queue itself is `geo coverage --doc DOC_ID`. After a decision layers/ is rebuilt (incrementally,
from the mentions cache) unless `--no-build`. Data: data/gazetteer/ (or --gazetteer-dir), data/docs/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo import settings


def _rebuild(args: argparse.Namespace) -> None:
    if args.no_build:
        return
    from geo.layers import build_layers, load_inputs
    from geo.layers.build import default_cache_dir

    gdir = Path(args.gazetteer_dir) if args.gazetteer_dir else None
    out = Path(args.layers_dir) if args.layers_dir else settings.LAYERS_DIR
    cache = default_cache_dir()
    inputs = load_inputs(gazetteer_dir=gdir, cache_dir=cache) if gdir else None
    build_layers(out, progress=False, inputs=inputs, cache_dir=cache or None)
    print(f"rebuilt {out}", file=sys.stderr)


def _show(row: dict[str, str]) -> str:
    what = f"alias of {row['alias_of']}" if row.get("alias_of") else f"{row['kind']} {row['recipe']}"
    if row.get("members"):
        what += f" ({row['members']})"
    return f"{row['id']}\t{row['name']}\t{what}\t{row['who']}\t{row['when']}\t{row['why']}"


def _cmd_list(args: argparse.Namespace) -> int:
    from geo.places.review import planner_rows

    rows = planner_rows(args.gazetteer_dir)
    for r in rows:
        print(_show(r))
    print(f"{len(rows)} planner decision(s)", file=sys.stderr)
    return 0


def _cmd_alias(args: argparse.Namespace) -> int:
    from geo.places.gazetteer import load_gazetteer
    from geo.places.review import resolve_as_alias

    gaz = load_gazetteer(Path(args.gazetteer_dir) if args.gazetteer_dir else None)
    target = gaz.resolve(args.place)
    row = resolve_as_alias(args.surface, target.id, who=args.who, why=args.why, gazetteer_dir=args.gazetteer_dir)
    print(_show(row))
    _rebuild(args)
    return 0


def _cmd_point(args: argparse.Namespace) -> int:
    from geo.places.review import resolve_as_point

    row = resolve_as_point(
        args.surface, args.lon, args.lat, kind=args.kind, precision=args.precision, note=args.note,
        who=args.who, why=args.why, gazetteer_dir=args.gazetteer_dir,
    )
    print(_show(row))
    _rebuild(args)
    return 0


def _cmd_area(args: argparse.Namespace) -> int:
    from geo.places.review import resolve_as_area

    row = resolve_as_area(
        args.surface, args.members, kind=args.kind, precision=args.precision, note=args.note,
        who=args.who, why=args.why, gazetteer_dir=args.gazetteer_dir,
    )
    print(_show(row))
    _rebuild(args)
    return 0


def _cmd_undo(args: argparse.Namespace) -> int:
    from geo.places.review import undo

    row = undo(args.id, gazetteer_dir=args.gazetteer_dir)
    print(f"removed\t{_show(row)}")
    _rebuild(args)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `review` command and its sub-commands."""
    p = sub.add_parser("review", help="resolve unknown place-like strings (planner.csv; queue: coverage --doc)")
    rsub = p.add_subparsers(dest="review_command", metavar="ACTION")

    def common(q: argparse.ArgumentParser, build: bool = True) -> None:
        q.add_argument("--gazetteer-dir", default=None, help="folder of gazetteer tables (default: data/gazetteer)")
        if build:
            q.add_argument("--layers-dir", default=None, help="layers folder to rebuild (default: layers/)")
            q.add_argument("--no-build", action="store_true", help="do not rebuild layers/ after the decision")

    def decision(q: argparse.ArgumentParser) -> None:
        q.add_argument("--who", required=True, help="who decides (recorded)")
        q.add_argument("--why", required=True, help="why, or the source (recorded)")
        common(q)

    q = rsub.add_parser("list", help="the planner's decisions")
    common(q, build=False)
    q.set_defaults(func=_cmd_list)

    q = rsub.add_parser("alias", help="SURFACE is another name of an existing PLACE (name or id)")
    q.add_argument("surface")
    q.add_argument("place")
    decision(q)
    q.set_defaults(func=_cmd_alias)

    for name, helptext in (("point", "a new point place"), ("area", "a new area: the union of member places")):
        q = rsub.add_parser(name, help=helptext)
        q.add_argument("surface")
        if name == "point":
            q.add_argument("--lon", type=float, required=True, help="longitude, WGS-84")
            q.add_argument("--lat", type=float, required=True, help="latitude, WGS-84")
        else:
            q.add_argument("--members", nargs="+", required=True, help="member place names or ids")
        q.add_argument("--kind", required=True, help="place kind (geo.places.gazetteer.KINDS), e.g. zone")
        default = "approximate point" if name == "point" else "schematic"
        q.add_argument("--precision", default=default, help=f"geometry precision (default {default!r})")
        q.add_argument("--note", default="", help="free note")
        decision(q)
        q.set_defaults(func=_cmd_point if name == "point" else _cmd_area)

    q = rsub.add_parser("undo", help="remove a decision (its id or name)")
    q.add_argument("id")
    common(q)
    q.set_defaults(func=_cmd_undo)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])
