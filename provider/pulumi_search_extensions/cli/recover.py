"""`search-extensions recover`: repair a stack after an interrupted `pulumi up` (issue 22)."""

from __future__ import annotations

import argparse
import sys


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Registers `recover`."""
    parser = subparsers.add_parser("recover", help="repair a stack after an interrupted `pulumi up`")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    print("search-extensions recover: not implemented yet", file=sys.stderr)
    return 2
