"""Coveo failures as one message that says what happened and what to do, without the key.

Shared by the providers of CoveoExtension and CoveoSourceExtensions; each names the privilege its calls
need. Both raise `CoveoExtensionError` (CoveoSourceExtensions a subclass of it), the one class to catch for
Coveo; an ambiguous create stays an `AmbiguousCreateError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._http import ApiError
from .._service_errors import ServiceError, transient, unreachable
from .._settings import setting_origin
from .connection import API_KEY, ORGANIZATION_ID, CoveoConnectionError, base_url_origin


class CoveoExtensionError(ServiceError):
    """A Coveo operation failed; the message alone tells the user what to fix.

    Carries `status` (HTTP status, None when Coveo was not reached) and `code` (Coveo's `errorCode`).
    """


def is_gone(exc: ApiError) -> bool:
    """A 404 about the object itself (an unknown organization is a configuration problem, not a deletion)."""
    return exc.status == 404 and exc.code != "ORGANIZATION_NOT_FOUND"


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
    return transient(exc, "Coveo", "coveo")


def describe(exc: ApiError, props: Mapping[str, Any] | None = None, *, privilege: str) -> str:
    """The API error in one line, then the field to change and how (see `fix`)."""
    if exc.never_sent:
        return unreachable(exc, base_url_origin(props or {}, exc.base_url))
    found = fix(exc, privilege, props)
    return f"{exc}\n{found}" if found else str(exc)


def explain(
    exc: Exception,
    props: Mapping[str, Any],
    *,
    action: str,
    privilege: str,
    error: type[CoveoExtensionError] = CoveoExtensionError,
) -> CoveoExtensionError | None:
    """What a failure of `action` means for Coveo, as one `error` (None for an exception Coveo does not explain).

    The `explain` of `_service_errors.clear_errors`: each resource binds its `privilege` and `error` class
    (its `errors.py`), each operation its `action` (`functools.partial`).
    """
    if isinstance(exc, ApiError):
        return error.of(f"{action} failed: {describe(exc, props, privilege=privilege)}", exc)
    if isinstance(exc, CoveoConnectionError):
        return error(f"{action} failed: {exc}")
    return None
