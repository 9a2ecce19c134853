"""How many calls a provider process is running, readable from outside (`search-extensions recover`).

A provider process outlives a killed `pulumi` CLI and finishes the calls it had started (a create POST, an
upload). Ending it mid-call could leave half a create behind, and looking a create up before its POST has
landed would miss it; so each provider process keeps the number of its operations in flight in a small file
named by its pid (absent when none is), and `recover` waits for that number to drop to zero before ending
the process. Written only by this package's operations, in both ways in (dynamic resources, the plugin).
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_count = 0


def counts_dir() -> Path:
    """The folder of the per-process files, private to the user."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name to be had (some containers)
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"pulumi-search-extensions-{user}" / "in-flight"


def _write(count: int) -> None:
    path = counts_dir() / str(os.getpid())
    try:
        if count == 0:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = path.with_suffix(".tmp")
        partial.write_text(str(count), encoding="ascii")
        os.replace(partial, path)
    except OSError:
        pass  # only a help for `recover`, never a reason for an operation to fail


@contextlib.contextmanager
def operation_in_flight() -> Iterator[None]:
    """Counts one operation as in flight for as long as the block runs."""
    global _count
    with _lock:
        _count += 1
        _write(_count)
    try:
        yield
    finally:
        with _lock:
            _count -= 1
            _write(_count)


def counted(operation: Callable[P, R]) -> Callable[P, R]:
    """`operation`, counted as in flight while it runs."""

    @functools.wraps(operation)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with operation_in_flight():
            return operation(*args, **kwargs)

    return run


def in_flight(pid: int) -> int:
    """How many operations the provider process `pid` is running (0 when it records none)."""
    try:
        return int((counts_dir() / str(pid)).read_text(encoding="ascii") or 0)
    except (OSError, ValueError):
        return 0


def forget(pid: int) -> None:
    """Removes the file of a process that has ended."""
    with contextlib.suppress(OSError):
        (counts_dir() / str(pid)).unlink()
