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

One remote object per resource: names need not be unique, so two resources may declare the same fields,
and the look-up of one would find the other's object. Within the provider process (one per stack and
run), creates that look alike are serialized by a keyed lock, and every id a create returned, adopted or
was given (`adopt_id`) is claimed in a process-wide registry that the look-up skips (as are the ids of
resources already in the state, once the engine has diffed them). So a look-up never sees an object of
this run that another resource holds or is still creating (docs/ARCHITECTURE.md, "One remote object per
resource", has the argument and its cost; docs/TROUBLESHOOTING.md the case across processes that remains).
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Generic, TypeVar

from ._http import ApiError, HttpSettings

T = TypeVar("T")

CLOCK_SLACK_SECONDS = 5.0
"""How far before the first attempt an object's creation date may lie and still count as ours (clock skew)."""


class AmbiguousCreateError(Exception):
    """A create may have been applied (several times, or unknown): the user must check and pick what to keep.

    Distinct from the vendors' `CoveoExtensionError` / `ElasticExtensionError` on purpose: those say the
    service refused or could not be reached, so nothing changed; this one says something may exist now.
    """


class SharedObjectError(AmbiguousCreateError):
    """A remote id would be recorded by two resources of this run (for example the same `adopt_id` twice)."""


@dataclass(frozen=True)
class Identity(Generic[T]):
    """What makes a create distinct from the other creates of the provider process.

    Attributes:
        scope: where ids are unique, for example `Coveo organization myorg` or `Elastic https://host/api/v1`.
        look_alike: the declared fields `find_created` matches on (any hashable value): creates with equal
            `scope` and `look_alike` could find each other's objects, so they run one at a time.
        id_of: the remote id of a created (or found) object.
    """

    scope: str
    look_alike: Hashable
    id_of: Callable[[T], str]


class _Registry:
    """The ids claimed in this process, by scope, and one lock per kind of look-alike create.

    Process memory on purpose: the engine starts one provider process per run of a stack, and serves its
    calls on a few threads. Nothing is ever released: an id claimed once (even by a create that failed
    afterwards, or whose object was deleted again) is never adopted by a look-up of this process.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._owners: dict[tuple[str, str], str] = {}
        self._locks: dict[tuple[str, str], threading.Lock] = {}

    def lock_for(self, scope: str, look_alike: Hashable) -> threading.Lock:
        """The lock shared by every create of `scope` with these declared fields (hashed: scripts can be big)."""
        digest = hashlib.sha256(repr(look_alike).encode()).hexdigest()
        with self._guard:
            return self._locks.setdefault((scope, digest), threading.Lock())

    def owner(self, scope: str, remote_id: str) -> str | None:
        """Who claimed `remote_id` in `scope` in this process, or None."""
        with self._guard:
            return self._owners.get((scope, remote_id))

    def claim(self, scope: str, remote_id: str, owner: str) -> None:
        """Records that `owner` holds `remote_id`; raises SharedObjectError when another owner holds it."""
        with self._guard:
            holder = self._owners.setdefault((scope, remote_id), owner)
        if holder != owner:
            raise SharedObjectError(
                f"{owner} would record {remote_id} ({scope}), which {holder} records already: two resources "
                f"must never manage one object. Give each resource its own object (a different `adopt_id`, "
                f"or none to create one)."
            )

    def note(self, scope: str, remote_id: str, owner: str) -> None:
        """Records `owner` for `remote_id` unless someone holds it already."""
        with self._guard:
            self._owners.setdefault((scope, remote_id), owner)

    def forget_all(self) -> None:
        """Empties the registry (tests only: a provider process never forgets)."""
        with self._guard:
            self._owners.clear()
            self._locks.clear()


REGISTRY = _Registry()
"""The one registry of the provider process."""

_sequence = iter(range(1, 1 << 62))
_sequence_guard = threading.Lock()


def _number() -> int:
    """A number unique in the process: twins have equal descriptions but are distinct owners."""
    with _sequence_guard:
        return next(_sequence)


def claim_adopted(scope: str, remote_id: str, what: str) -> None:
    """Claims an object a resource takes over by `adopt_id`; fails when another resource of this run holds it."""
    REGISTRY.claim(scope, remote_id, f"the resource (#{_number()}) adopting {what} {remote_id}")


IN_STATE = "a resource already in this stack's state"


def note_existing(scope: str, remote_id: str) -> None:
    """Marks an id the engine handed this process for a resource already in the stack's state (its diff).

    Look-ups then skip it, and an `adopt_id` of it fails. Best effort, never an error: the engine may diff
    that resource only after a create of this run has looked (docs/TROUBLESHOOTING.md has that case).
    """
    REGISTRY.note(scope, remote_id, IN_STATE)


@dataclass(frozen=True)
class Found:
    """What the look-up of a create finds, from outside the provider process (`search-extensions recover`).

    Attributes:
        scope: where the ids are unique (as `Identity.scope`).
        look_alike: a digest of the declared fields the look-up matched on: creates with equal `scope` and
            `look_alike` could have made each other's objects.
        candidates: each matching object's id and a description of it (id, name, creation time).
    """

    scope: str
    look_alike: str
    candidates: tuple[tuple[str, str], ...]


def found(identity: Identity[T], objects: Sequence[T], describe: Callable[[T], str]) -> Found:
    """The `Found` of a look-up's `objects`."""
    digest = hashlib.sha256(repr(identity.look_alike).encode()).hexdigest()
    return Found(identity.scope, digest, tuple((identity.id_of(o), describe(o)) for o in objects))


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
    identity: Identity[T] | None = None,
) -> T:
    """Sends `post` until it is known to have been applied exactly once, and returns what it created.

    `find_created(since)` lists the objects matching the declared fields that appeared after the wall-clock
    time `since` (epoch seconds). At most `settings.max_retries` retries, within `settings.retry_budget`.

    With `identity` (the providers always give one), the create waits for any look-alike create of this
    process to end, claims the id it returns or adopts, and its look-ups skip every id claimed in this
    process: it never adopts an object another resource of this run holds or is creating.

    Raises:
        ApiError: the create was refused (4xx), or failed without being applied and no retry is left.
        AmbiguousCreateError: several matching objects appeared (their ids are listed), or the look-up
            itself failed so nobody knows whether the create was applied.
    """
    lock: AbstractContextManager[object] = (
        REGISTRY.lock_for(identity.scope, identity.look_alike) if identity is not None else nullcontext()
    )
    with lock:
        # The window opens once look-alike creates of this process are over: none of our objects is older.
        deadline = time.monotonic() + settings.retry_budget
        since = time.time() - CLOCK_SLACK_SECONDS
        label = f"the create #{_number()} of {what} in this run"
        attempt = 0
        while True:
            try:
                created = post()
            except ApiError as exc:
                if _maybe_applied(exc):
                    found = _reconcile(
                        exc, find_created, describe, since, what=what, adopt_hint=adopt_hint, identity=identity
                    )
                    if found is not None:
                        _claim(identity, found, label)
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
            else:
                _claim(identity, created, label)
                return created


def _claim(identity: Identity[T] | None, created: T, label: str) -> None:
    if identity is not None:
        REGISTRY.claim(identity.scope, identity.id_of(created), label)


def _reconcile(
    exc: ApiError,
    find_created: Callable[[float], Sequence[T]],
    describe: Callable[[T], str],
    since: float,
    *,
    what: str,
    adopt_hint: str,
    identity: Identity[T] | None = None,
) -> T | None:
    """After a create that may have been applied: the one object it made, or None when it made none.

    Objects claimed in this process by other resources are not candidates: they are named in the error
    when the choice is still ambiguous, so the user sees every object with the declared fields.
    """
    try:
        found = list(find_created(since))
    except ApiError as list_exc:
        raise AmbiguousCreateError(
            f"creating {what} failed ({exc}) and the service may have applied it, but listing the existing "
            f"objects to find out failed too ({list_exc}). Look in the console for an object created just now "
            f"with the declared fields: keep it with {adopt_hint}, or delete it, then run the command again."
        ) from None
    matches, held = found, []
    if identity is not None:
        owners = [REGISTRY.owner(identity.scope, identity.id_of(m)) for m in found]
        matches = [m for m, owner in zip(found, owners, strict=True) if owner is None]
        held = [f"{describe(m)} held by {owner}" for m, owner in zip(found, owners, strict=True) if owner]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = ", ".join(describe(m) for m in matches)
        others = f" (not counting the objects of other resources of this run: {'; '.join(held)})" if held else ""
        raise AmbiguousCreateError(
            f"creating {what} failed ambiguously ({exc}) and {len(matches)} matching objects now "
            f"exist: {listed}{others}. Keep one with {adopt_hint} and delete the others in the console. "
            f"Another stack deploying the same declaration at the same time may hold one of them: check "
            f"the ids its state records (`pulumi stack export`) before deleting anything."
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
