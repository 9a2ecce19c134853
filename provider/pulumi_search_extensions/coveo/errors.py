"""Coveo failures as one message that says what happened and what to do, without the key.

Shared by the providers of CoveoExtension and CoveoSourceExtensions; each names the privilege its calls
need. Both raise `CoveoExtensionError` (CoveoSourceExtensions a subclass of it), the one class to catch for
Coveo; an ambiguous create stays an `AmbiguousCreateError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from .._create import AmbiguousCreateError
from .._http import ApiError
from .._service_errors import ServiceError, unreachable
from .._settings import setting_origin
from .connection import API_KEY, ORGANIZATION_ID, CoveoConnectionError, base_url_origin

P = ParamSpec("P")
R = TypeVar("R")


class CoveoExtensionError(ServiceError):
    """A Coveo operation failed; the message alone tells the user what to fix.

    Carries `status` (HTTP status, None when Coveo was not reached) and `code` (Coveo's `errorCode`).
    """


def fix(exc: ApiError, privilege: str, props: Mapping[str, Any] | None = None) -> str | None:
    """The field to change and how, for the statuses users can act on (None when there is nothing to add)."""
    props = props or {}
    key_from = setting_origin(API_KEY, props)
    organization = props.get("organization_id") or ORGANIZATION_ID.resolve(props) or "?"
    if exc.status == 401:
        return f"api_key: Coveo rejected the API key from {key_from}; give a valid key there (as a secret)."
    if exc.status == 403:
        return (
            f"api_key: the API key from {key_from} lacks the privilege {privilege} in organization {organization}, "
            "or belongs to another organization; grant it in the console (Organization > API Keys) or use a key "
            "that has it."
        )
    if exc.status == 404 and exc.code == "ORGANIZATION_NOT_FOUND":
        return (
            f"organization_id: organization {organization} (from {setting_origin(ORGANIZATION_ID, props)}) does not "
            f"exist at {exc.base_url or 'this host'} (from {base_url_origin(props, exc.base_url)}); check the id "
            "and the region or host."
        )
    if exc.status == 429 or (exc.status is not None and exc.status >= 500):
        return (
            "Coveo is throttling or failing right now; run the command again later, or give calls more time "
            "with stack config `coveo:retryBudget` (seconds)."
        )
    if exc.is_connection_error:
        return "No answer in time: run the command again, or raise stack config `coveo:timeout` (seconds)."
    return None


def explain(exc: ApiError, privilege: str, props: Mapping[str, Any] | None = None) -> str:
    """The API error in one line, then the field to change and how (see `fix`)."""
    if exc.never_sent:
        return unreachable(exc, base_url_origin(props or {}, exc.base_url))
    found = fix(exc, privilege, props)
    return f"{exc}\n{found}" if found else str(exc)


def _props_of(args: tuple[Any, ...]) -> Mapping[str, Any]:
    """The operation's inputs or outputs: its last mapping argument (`props`, or `news` for update)."""
    return next((arg for arg in reversed(args) if isinstance(arg, Mapping)), {})


def clear_errors(
    action: str, error: type[CoveoExtensionError], privilege: str
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorates a provider operation: API and settings failures become one `error` that says `action` failed.

    `from None` drops the chain of low-level exceptions, so the engine shows one message, not a trace soup.
    An `AmbiguousCreateError` passes unchanged: it says something may exist, not that nothing changed.
    """

    def decorate(operation: Callable[P, R]) -> Callable[P, R]:
        @wraps(operation)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return operation(*args, **kwargs)
            except ApiError as exc:
                message = f"{action} failed: {explain(exc, privilege, _props_of(args))}"
                raise error.of(message, exc) from None
            except CoveoConnectionError as exc:
                raise error(f"{action} failed: {exc}") from None
            except AmbiguousCreateError as exc:
                raise AmbiguousCreateError(str(exc)) from None

        return run

    return decorate
