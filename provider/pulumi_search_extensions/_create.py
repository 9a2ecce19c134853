"""Creates that may or may not have happened, and multi-step creates that must not leave anything behind.

A create POST is not idempotent: after a time-out, a dropped connection or a 5xx, the service may have
applied it (`ApiError.may_have_been_applied`). A request that never left the machine (the name does not
resolve, the connection is refused, the TLS handshake fails) cannot have been applied: it is reported at
once, with no look-up and no "may have been applied" message. Before sending a maybe-applied create again we
look for what it would have created; one match is adopted, several are reported, none means it is safe to
send again. A 429 was refused before anything was applied,
so it is simply sent again after the wait the service asks for.

The look-up covers the whole create (from the first attempt on, with a little slack for clock skew), so an
object a previous attempt made is found too. It also runs when no retry is left: an applied create is
adopted rather than reported as a failure that leaves an orphan behind.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from ._http import ApiError, HttpSettings

T = TypeVar("T")

CLOCK_SLACK_SECONDS = 5.0
"""How far before the first attempt an object's creation date may lie and still count as ours (clock skew)."""


class AmbiguousCreateError(Exception):
    """A create may have been applied (several times, or unknown): the user must check and pick what to keep.

    Distinct from the vendors' `CoveoExtensionError` / `ElasticExtensionError` on purpose: those say the
    service refused or could not be reached, so nothing changed; this one says something may exist now.
    """


def _maybe_applied(exc: ApiError) -> bool:
    return exc.may_have_been_applied


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

    `find_created(since)` lists the objects matching the declared fields that appeared after the wall-clock
    time `since` (epoch seconds). At most `settings.max_retries` retries, within `settings.retry_budget`.

    Raises:
        ApiError: the create was refused (4xx), or failed without being applied and no retry is left.
        AmbiguousCreateError: several matching objects appeared (their ids are listed), or the look-up
            itself failed so nobody knows whether the create was applied.
    """
    deadline = time.monotonic() + settings.retry_budget
    since = time.time() - CLOCK_SLACK_SECONDS
    attempt = 0
    while True:
        try:
            return post()
        except ApiError as exc:
            if _maybe_applied(exc):
                found = _reconcile(exc, find_created, describe, since, what=what, adopt_hint=adopt_hint)
                if found is not None:
                    return found
            elif exc.status != 429:
                raise
            if attempt >= settings.max_retries:
                raise
            jitter = random.uniform(0, settings.backoff_factor)
            backoff = min(30.0, settings.backoff_factor * (2**attempt)) + jitter
            wait = exc.retry_after if exc.retry_after is not None else backoff
            if time.monotonic() + wait > deadline:
                raise
            time.sleep(wait)
            attempt += 1


def _reconcile(
    exc: ApiError,
    find_created: Callable[[float], Sequence[T]],
    describe: Callable[[T], str],
    since: float,
    *,
    what: str,
    adopt_hint: str,
) -> T | None:
    """After a create that may have been applied: the one object it made, or None when it made none."""
    try:
        matches = list(find_created(since))
    except ApiError as list_exc:
        raise AmbiguousCreateError(
            f"creating {what} failed ({exc}) and the service may have applied it, but listing the existing "
            f"objects to find out failed too ({list_exc}). Look in the console for an object created just now "
            f"with the declared fields: keep it with {adopt_hint}, or delete it, then run the command again."
        ) from None
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = ", ".join(describe(m) for m in matches)
        raise AmbiguousCreateError(
            f"creating {what} failed ambiguously ({exc}) and {len(matches)} matching objects now "
            f"exist: {listed}. Keep one with {adopt_hint} and delete the others in the console."
        )
    return None


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
