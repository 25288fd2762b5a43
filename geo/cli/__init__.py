"""The command line, `python -m geo` / `plan-atlas`: one module per concern, each registering its
sub-commands (see geo.cli.main.COMMAND_MODULES)."""

from geo.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
