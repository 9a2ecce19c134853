"""Errors our providers raise on purpose reach the user as their message, not as a Python traceback.

The dynamic provider host (`python -m pulumi.dynamic`) reports any exception with
`traceback.format_exc()`, so a wrong API key would print twenty lines of our internals above the one
line that says what to fix. Exceptions defined in this package already carry a complete, user-facing
message; anything else (a bug) keeps its full traceback.
"""

from __future__ import annotations

import sys
import traceback
from types import SimpleNamespace

_PACKAGE = __name__.rsplit(".", 1)[0]


def format_exc() -> str:
    """`traceback.format_exc()`, shortened to `Type: message` for this package's own exceptions."""
    error = sys.exc_info()[1]
    if error is not None and type(error).__module__.startswith(_PACKAGE + "."):
        return f"{type(error).__name__}: {error}"
    return traceback.format_exc()


def short_errors_in_provider_host() -> None:
    """Makes the dynamic provider host report this package's errors by message only.

    Does nothing outside that host (in a user's program `__main__` is theirs to keep).
    """
    host = sys.modules.get("__main__")
    spec = getattr(host, "__spec__", None)
    if host is None or getattr(spec, "name", None) != "pulumi.dynamic.__main__":
        return
    if getattr(getattr(host, "traceback", None), "format_exc", None) is format_exc:
        return
    # A stand-in for the host's `traceback` module: the host only calls format_exc.
    host.traceback = SimpleNamespace(**{**vars(traceback), "format_exc": format_exc})  # type: ignore[attr-defined]
