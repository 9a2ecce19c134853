"""Creates that may or may not have happened, and multi-step creates that must not leave anything behind.

A create POST is not idempotent: after a time-out, a dropped connection or a 5xx, the service may have
applied it. Before sending it again we look for what it would have created; one match is adopted,
several are reported, none means it is safe to send again. A 429 was refused before anything was applied,
so it is simply sent again after the wait the service asks for.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from ._http import ApiError, HttpSettings

T = TypeVar("T")


class AmbiguousCreateError(Exception):
    """A create may have been applied several times; the user must pick which object to keep."""


def _maybe_applied(exc: ApiError) -> bool:
    return exc.is_connection_error or (exc.status is not None and exc.status >= 500)


def create_once(
    post: Callable[[], T],
    find_created: Callable[[float], Sequence[T]],
    describe: Callable[[T], str],
    settings: HttpSettings,
    *,
    what: str,
    adopt_hint: str,
) -> T:
    """Sends `post` until it is known to have been applied exactly once, and returns what it created.

    `find_created(since)` lists the objects matching the declared fields that appeared after the
    monotonic-clock-free wall time `since` (epoch seconds, with a little slack for clock skew).
    """
    deadline = time.monotonic() + settings.retry_budget
    attempt = 0
    while True:
        started = time.time()
        try:
            return post()
        except ApiError as exc:
            retryable = _maybe_applied(exc) or exc.status == 429
            if not retryable or attempt >= settings.max_retries:
                raise
            if _maybe_applied(exc):
                matches = list(find_created(started - 5.0))
                if len(matches) == 1:
                    return matches[0]
                if len(matches) > 1:
                    listed = ", ".join(describe(m) for m in matches)
                    raise AmbiguousCreateError(
                        f"creating {what} failed ambiguously ({exc}) and {len(matches)} matching objects now "
                        f"exist: {listed}. Keep one with {adopt_hint} and delete the others in the console."
                    ) from None
            backoff = min(30.0, settings.backoff_factor * (2**attempt)) + random.uniform(0, settings.backoff_factor)
            wait = exc.retry_after if exc.retry_after is not None else backoff
            if time.monotonic() + wait > deadline:
                raise
            time.sleep(wait)
            attempt += 1


def undo_on_failure(created_id: str, steps: Callable[[], T], undo: Callable[[], None], *, what: str) -> T:
    """Runs the follow-up `steps` of a create; if one fails, undoes the create and re-raises.

    When the undo fails too, the error names the remote id left behind so the user can adopt or delete it.
    """
    try:
        return steps()
    except Exception as exc:
        try:
            undo()
        except Exception as undo_exc:
            raise RuntimeError(
                f"{exc}\nCleaning up also failed ({undo_exc}): {what} {created_id} was left behind. "
                f"Adopt it with adopt_id={created_id!r} or delete it in the console."
            ) from None
        raise
