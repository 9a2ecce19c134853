"""Warnings of `check`: what is legal but likely wrong, shown to the user without failing the preview.

The dynamic provider host shows what a provider prints on stdout (`pulumi.log` does not reach the engine from
there), so `warn` prints. The provider plugin's stdout is not shown: it runs the operation under `collecting`
and sends what was collected to the engine as warnings on the resource.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

__all__ = ["collecting", "warn"]

T = TypeVar("T")

_SINK: ContextVar[list[str] | None] = ContextVar("search_extensions_warnings", default=None)


def warn(message: str) -> None:
    """Shows `message` as a warning: collected when an operation runs under `collecting`, else printed."""
    sink = _SINK.get()
    if sink is None:
        print(f"warning: {message}", file=sys.stdout, flush=True)
    else:
        sink.append(message)


def collecting(operation: Callable[..., T], *args: object) -> tuple[T, list[str]]:
    """Runs `operation(*args)` and returns its result with the warnings it gave, instead of printing them."""
    sink: list[str] = []
    token = _SINK.set(sink)
    try:
        return operation(*args), sink
    finally:
        _SINK.reset(token)
