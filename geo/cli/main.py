"""`python -m geo`: the command line. Each concern registers its own sub-commands.

A command module exposes `register(subparsers)`, adding parsers whose `func(args) -> int`
does the work. Before any command, an add/remove that a killed process left half done is
finished or rolled back (geo.ingest.recover, one line on stderr). Errors of the library (`PlanAtlasError`) are printed as one line without a
traceback, with exit status 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from geo.errors import PlanAtlasError

COMMAND_MODULES: tuple[str, ...] = (
    "geo.cli.corpus",  # docs, clauses, show
    "geo.cli.places",  # extract, place, coverage
    "geo.cli.layers",  # build, export
    "geo.cli.ingest",  # add, remove
    "geo.cli.review",  # review list|alias|point|area|undo
    "geo.cli.render",  # map
    "geo.cli.query",  # search, themes-eval, timeline, compare
    "geo.viewer.assets",  # assets
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="python -m geo" if sys.argv[0].endswith("__main__.py") else "plan-atlas",
        description="Plan Atlas (成渝规划地图): read the plans, find their places, build map layers.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a concern not built yet
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        from geo.ingest import recover

        note = recover()  # finish or roll back a change that a killed `geo add/remove` left
        if note:
            print(note, file=sys.stderr)
        return int(args.func(args) or 0)
    except PlanAtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `python -m geo docs | head`
        return 0
