"""`search-extensions coveo test`: run a Coveo extension script on a mock document (issue 24)."""

from __future__ import annotations

import argparse
import sys


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Registers `coveo` and its `test` subcommand."""
    coveo = subparsers.add_parser("coveo", help="Coveo extension tools")
    coveo_sub = coveo.add_subparsers(dest="coveo_command", metavar="COMMAND")
    test = coveo_sub.add_parser("test", help="run an extension script on a mock document")
    test.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    print("search-extensions coveo test: not implemented yet", file=sys.stderr)
    return 2
