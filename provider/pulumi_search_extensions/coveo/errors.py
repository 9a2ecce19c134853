"""Coveo failures as one message that says what happened and what to do, without the key.

Shared by the providers of CoveoExtension and CoveoSourceExtensions; each names its own exception
class and the privilege its calls need.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from .._create import AmbiguousCreateError
from .._http import ApiError
from .connection import API_KEY, ORGANIZATION_ID, CoveoConnectionError

P = ParamSpec("P")
R = TypeVar("R")


def explain(exc: ApiError, privilege: str) -> str:
    """The API error plus the likely fix for the statuses users can act on."""
    if exc.status == 401:
        return f"{exc}. Coveo rejected the API key: give a valid one through {API_KEY.sources()}."
    if exc.status == 403:
        return (
            f"{exc}. The API key lacks the privilege or belongs to another organization: it needs "
            f"{privilege} in this organization."
        )
    if exc.status == 404 and exc.code == "ORGANIZATION_NOT_FOUND":
        return f"{exc}. Check {ORGANIZATION_ID.sources()} and the host or region."
    if exc.is_connection_error:
        return f"{exc}. Check `host`/`region` (stack config `coveo:host`/`coveo:region`) and the network."
    return str(exc)


def clear_errors(action: str, error: type[Exception], privilege: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorates a provider operation: API and settings failures become one `error` that says `action` failed.

    `from None` drops the chain of low-level exceptions, so the engine shows one message, not a trace soup.
    """

    def decorate(operation: Callable[P, R]) -> Callable[P, R]:
        @wraps(operation)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return operation(*args, **kwargs)
            except ApiError as exc:
                raise error(f"{action} failed: {explain(exc, privilege)}") from None
            except (CoveoConnectionError, AmbiguousCreateError) as exc:
                raise error(f"{action} failed: {exc}") from None

        return run

    return decorate
