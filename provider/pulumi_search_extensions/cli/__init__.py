"""`search-extensions`: the command for people and CI, one module per subcommand.

Each subcommand module exposes `add_parser(subparsers)`, which registers its parser and sets
`handler` (a callable taking the parsed namespace and returning the exit status) as a default.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from .. import __version__
from . import coveo_test, recover

_SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (
    recover.add_parser,
    coveo_test.add_parser,
)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: `search-extensions [--version] SUBCOMMAND ...`."""
    parser = argparse.ArgumentParser(
        prog="search-extensions",
        description="Tools for Pulumi stacks that use pulumi-search-extensions.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add_parser in _SUBCOMMANDS:
        add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `search-extensions` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    status: int = handler(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
