"""The command line, `python -m geo` / `plan-atlas`: one module per concern, each registering its
sub-commands (see geo.cli.main.COMMAND_MODULES)."""

from geo.cli.main import build_parser, main

__all__ = ["build_parser", "console_main", "main"]


def console_main() -> None:
    """Entry point of the `plan-atlas` console script (same as `python -m geo`)."""
    raise SystemExit(main())
