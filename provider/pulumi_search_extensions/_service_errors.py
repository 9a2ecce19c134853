"""One shape for every failure of a call to Coveo or Elastic, whichever vendor and operation.

    <Action> failed: <Service> API error <status> <code> on <METHOD path>: <the service's message>
    <field>: <what to change and how>

or, when the request never left the machine (nothing can have been applied):

    <Action> failed: could not reach <base URL> (from <the setting it came from>): <one-line reason>; check ...

Each vendor raises one exception class users can catch (`CoveoExtensionError`, `ElasticExtensionError`),
both `ServiceError`s carrying the HTTP `status` and the vendor's error `code`. `AmbiguousCreateError` (a create
that may have been applied) is deliberately not one of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._http import ApiError

if TYPE_CHECKING:
    from typing_extensions import Self


class ServiceError(Exception):
    """An operation failed; the message names the field to change and how.

    Attributes:
        status: the HTTP status of the service's refusal, or None (not reached, or not a service refusal).
        code: the vendor's error code (Coveo `errorCode`, Elastic `errors[].code`), if any.
    """

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code

    @classmethod
    def of(cls, message: str, exc: ApiError) -> Self:
        """An error of this class with `message`, carrying `exc`'s status and code."""
        return cls(message, status=exc.status, code=exc.code)


def unreachable(exc: ApiError, origin: str, hint: str = "check the setting and the network") -> str:
    """The one line of a call that never left the machine: where, from which setting, why, what to check."""
    return f"could not reach {exc.base_url} (from {origin}): {exc.message}; {hint}"


def shaped(action: str, exc: ApiError, fix: str | None) -> str:
    """`<action> failed: <the service's answer in one line>`, then the fix on its own line."""
    head = f"{action} failed: {exc}"
    return f"{head}\n{fix}" if fix else head
