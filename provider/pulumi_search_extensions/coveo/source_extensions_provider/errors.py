"""Errors of CoveoSourceExtensions: one exception whose message says what to fix, and warnings."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from ..._http import ApiError
from ..connection import API_KEY, ORGANIZATION_ID, CoveoConnectionError
from .schema import SOURCES_PRIVILEGE

P = ParamSpec("P")
R = TypeVar("R")


class CoveoSourceExtensionsError(Exception):
    """A CoveoSourceExtensions operation failed; the message alone tells the user what to fix."""


def warn(message: str) -> None:
    """A warning the engine shows (the provider's stdout reaches it; `pulumi.log` does not)."""
    print(f"warning: {message}", file=sys.stdout, flush=True)


def is_gone(exc: ApiError) -> bool:
    """A 404 about the source (an unknown organization is a configuration problem, not a deletion)."""
    return exc.status == 404 and exc.code != "ORGANIZATION_NOT_FOUND"


def explain(exc: ApiError) -> str:
    """The API error plus the likely fix for the statuses users can act on."""
    if exc.status == 401:
        return f"{exc}. Coveo rejected the API key: give a valid one through {API_KEY.sources()}."
    if exc.status == 403:
        return (
            f"{exc}. The API key lacks the privilege or belongs to another organization: it needs "
            f"{SOURCES_PRIVILEGE} in this organization."
        )
    if exc.status == 404 and exc.code == "ORGANIZATION_NOT_FOUND":
        return f"{exc}. Check {ORGANIZATION_ID.sources()} and the host or region."
    if exc.is_connection_error:
        return f"{exc}. Check `host`/`region` (stack config `coveo:host`/`coveo:region`) and the network."
    return str(exc)


def clear_errors(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorates a provider operation: API and settings failures become one `CoveoSourceExtensionsError`."""

    def decorate(operation: Callable[P, R]) -> Callable[P, R]:
        @wraps(operation)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return operation(*args, **kwargs)
            except ApiError as exc:
                raise CoveoSourceExtensionsError(f"{action} failed: {explain(exc)}") from None
            except CoveoConnectionError as exc:
                raise CoveoSourceExtensionsError(f"{action} failed: {exc}") from None

        return run

    return decorate
