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

from collections.abc import Callable, Mapping
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from ._create import AmbiguousCreateError
from ._http import ApiError

if TYPE_CHECKING:
    from typing_extensions import Self

P = ParamSpec("P")
R = TypeVar("R")


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


def transient(exc: ApiError, service: str, config: str) -> str | None:
    """The fix for a failure that may pass by itself (throttling, a 5xx, no answer in time), or None.

    `config` is the vendor's stack config namespace (`coveo`, `ec`), where `retryBudget` and `timeout` live.
    """
    if exc.status == 429 or (exc.status is not None and exc.status >= 500):
        return (
            f"{service} is throttling or failing right now; run the command again later, or give calls more time "
            f"with stack config `{config}:retryBudget` (seconds)."
        )
    if exc.is_connection_error:
        return f"No answer in time: run the command again, or raise stack config `{config}:timeout` (seconds)."
    return None


def shaped(action: str, exc: ApiError, fix: str | None) -> str:
    """`<action> failed: <the service's answer in one line>`, then the fix on its own line."""
    head = f"{action} failed: {exc}"
    return f"{head}\n{fix}" if fix else head


Explainer = Callable[[Exception, Mapping[str, Any]], "ServiceError | None"]
"""A vendor's reading of a failure: (the exception, the operation's props) -> the error to raise, or None
when the exception is not one the vendor knows (a bug: it keeps its traceback)."""


def _props_of(args: tuple[Any, ...]) -> Mapping[str, Any]:
    """The operation's inputs or outputs: its last mapping argument (`props`, or `news` for update)."""
    return next((arg for arg in reversed(args) if isinstance(arg, Mapping)), {})


def clear_errors(explain: Explainer) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorates a provider operation: every failure the vendor's `explain` knows becomes one `ServiceError`.

    The one error path of both vendors; what a status means for a vendor lives in its `errors.py`.
    `from None` drops the chain of low-level exceptions, so the engine shows one message, not a trace soup.
    An error that is already a `ServiceError` passes unchanged, and so does an `AmbiguousCreateError`: it
    says something may exist, not that nothing changed.
    """

    def decorate(operation: Callable[P, R]) -> Callable[P, R]:
        @wraps(operation)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return operation(*args, **kwargs)
            except (ServiceError, AmbiguousCreateError) as exc:
                raise exc.with_traceback(None) from None
            except Exception as exc:
                error = explain(exc, _props_of(args))
                if error is None:
                    raise
                raise error from None

        return run

    return decorate
