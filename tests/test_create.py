"""`create_once` and `undo_on_failure` against the real emulator, with faults injected by the emulator.

The promise: whatever happens to a create POST (refused, dropped, applied but unanswered), exactly one object
exists afterwards, or the error says which objects exist and how to keep one; and a create whose follow-up
step fails leaves nothing behind, or names what it left. Creates with identical declared fields in one
process (twins) never end up with one object: they run one at a time, and a look-up skips every id another
create of the process claimed.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from pulumi_search_extensions._create import (
    AmbiguousCreateError,
    Identity,
    SharedObjectError,
    claim_adopted,
    create_once,
    note_existing,
    undo_on_failure,
)
from pulumi_search_extensions._http import ApiError, HttpClient, HttpSettings
from pulumi_search_extensions.coveo.client import parse_coveo_error
from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import fault_config, fault_rule, route_rule
from support.remote import coveo_extensions

COVEO_LIST = "/rest/organizations/{organizationId}/extensions"
COVEO_ONE = "/rest/organizations/{organizationId}/extensions/{extensionId}"
COVEO_TIMEOUTS = "/rest/organizations/{organizationId}/extensions/{extensionId}/timeouts"
SCRIPT = "document.add_meta_data({'created_once': True})\n"
ADOPT_HINT = "the `adopt_id` argument"
SCOPE = "Coveo organization of the test"


def _identity(name: str = "created-once") -> Identity[dict[str, Any]]:
    return Identity(SCOPE, (name, SCRIPT, ""), lambda model: str(model["id"]))


def _settings(**changes: Any) -> HttpSettings:
    values: dict[str, Any] = {"timeout": 10.0, "retry_budget": 20.0, "max_retries": 3, "backoff_factor": 0.01}
    values.update(changes)
    return HttpSettings(**values)


class _Extensions:
    """The Coveo extensions of the emulator's main organization, through the shared HTTP layer."""

    def __init__(self, emulator: EmulatorHandle, settings: HttpSettings) -> None:
        self.settings = settings
        self.path = f"/rest/organizations/{emulator.coveo_organization_id}/extensions"
        self.http = HttpClient("Coveo", emulator.url, f"Bearer {emulator.coveo_api_key}", settings, parse_coveo_error)
        self.lookups: list[float] = []

    def body(self, name: str = "created-once") -> dict[str, Any]:
        return {"name": name, "description": "", "content": SCRIPT, "requiredDataStreams": [], "apiVersion": "v1"}

    def post(self, name: str = "created-once") -> dict[str, Any]:
        created: dict[str, Any] = self.http.request(
            "POST", self.path, idempotent=False, expected=(201,), json=self.body(name)
        ).json()
        return created

    def find_created(self, since: float, name: str = "created-once") -> list[dict[str, Any]]:
        self.lookups.append(since)
        listed: list[dict[str, Any]] = self.http.request("GET", self.path, idempotent=True).json()
        return [
            model
            for model in listed
            if model["name"] == name and model["content"] == SCRIPT and model["createdDate"] >= since * 1000
        ]

    def create_once(self, *, identity: Identity[dict[str, Any]] | None = None) -> dict[str, Any]:
        return create_once(
            self.post,
            self.find_created,
            lambda model: str(model["id"]),
            self.settings,
            what="Coveo extension 'created-once'",
            adopt_hint=ADOPT_HINT,
            identity=identity,
        )

    def delete(self, extension_id: str) -> None:
        self.http.request("DELETE", f"{self.path}/{extension_id}", idempotent=True, expected=(204,))

    def set_timeout(self, extension_id: str, seconds: int) -> None:
        path = f"{self.path}/{extension_id}/timeouts"
        self.http.request("PUT", path, idempotent=True, expected=(200, 204), json={"executionTimeout": seconds})


def _count(emulator: EmulatorHandle, method: str, route: str) -> int:
    return int(emulator.admin.requests()["counts"].get(f"{method} {route}", 0))


def _stored_ids(emulator: EmulatorHandle) -> list[str]:
    return [e["id"] for e in coveo_extensions(emulator)]


# -- create_once -------------------------------------------------------------------------------------------


def test_a_create_applied_but_unanswered_is_adopted_not_sent_again(clean_emulator: EmulatorHandle) -> None:
    extensions = _Extensions(clean_emulator, _settings())
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={"fail_after_commit": 1.0}, max_faults=1))

    created = extensions.create_once()

    assert _stored_ids(clean_emulator) == [created["id"]]
    assert _count(clean_emulator, "POST", COVEO_LIST) == 1
    assert _count(clean_emulator, "GET", COVEO_LIST) == 1


def test_a_create_applied_on_the_last_allowed_attempt_is_adopted_not_reported_as_failed(
    clean_emulator: EmulatorHandle,
) -> None:
    extensions = _Extensions(clean_emulator, _settings(max_retries=0))
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={"fail_after_commit": 1.0}))

    created = extensions.create_once()

    assert _stored_ids(clean_emulator) == [created["id"]]


@pytest.mark.parametrize("fault", ["drop", "500", "503"])
def test_a_create_that_did_not_happen_is_looked_up_then_sent_again(clean_emulator: EmulatorHandle, fault: str) -> None:
    extensions = _Extensions(clean_emulator, _settings())
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={fault: 1.0}, max_faults=1))

    created = extensions.create_once()

    assert _stored_ids(clean_emulator) == [created["id"]]
    assert _count(clean_emulator, "POST", COVEO_LIST) == 2
    assert _count(clean_emulator, "GET", COVEO_LIST) == 1


def test_a_throttled_create_waits_for_retry_after_and_is_not_looked_up(clean_emulator: EmulatorHandle) -> None:
    extensions = _Extensions(clean_emulator, _settings())
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={"429": 1.0}, max_faults=1, retry_after_s=1))

    started = time.monotonic()
    created = extensions.create_once()
    elapsed = time.monotonic() - started

    assert 1.0 <= elapsed < 2.5, elapsed
    assert _stored_ids(clean_emulator) == [created["id"]]
    assert _count(clean_emulator, "POST", COVEO_LIST) == 2
    assert _count(clean_emulator, "GET", COVEO_LIST) == 0  # a 429 is refused before anything is applied


def test_every_lookup_covers_the_whole_create_from_its_first_attempt(clean_emulator: EmulatorHandle) -> None:
    extensions = _Extensions(clean_emulator, _settings())
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={"503": 1.0}, max_faults=2))

    started = time.time()
    extensions.create_once()

    assert len(extensions.lookups) == 2
    # The same window for every lookup, opened (with a little slack for clock skew) before the first POST:
    # an object a previous attempt made is never outside it.
    assert extensions.lookups[0] == extensions.lookups[1]
    assert started - 10.0 <= extensions.lookups[0] <= started


def test_several_matching_objects_fail_the_create_with_every_candidate_and_how_to_adopt_one(
    clean_emulator: EmulatorHandle,
) -> None:
    extensions = _Extensions(clean_emulator, _settings())
    twins = [extensions.post()["id"], extensions.post()["id"]]
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={"fail_after_commit": 1.0}, max_faults=1))

    with pytest.raises(AmbiguousCreateError) as raised:
        extensions.create_once()

    stored = _stored_ids(clean_emulator)
    assert len(stored) == 3 and set(twins) < set(stored)  # nothing deleted, nothing added by a retry
    message = str(raised.value)
    assert all(extension_id in message for extension_id in stored)
    assert ADOPT_HINT in message and "delete the others" in message
    assert _count(clean_emulator, "POST", COVEO_LIST) == 3


def test_a_failed_lookup_after_an_unanswered_create_says_the_object_may_exist(clean_emulator: EmulatorHandle) -> None:
    extensions = _Extensions(clean_emulator, _settings(max_retries=1))
    clean_emulator.admin.set_faults(
        fault_config(
            route_rule("POST", COVEO_LIST, faults={"fail_after_commit": 1.0}),
            route_rule("GET", COVEO_LIST, faults={"503": 1.0}),
        )
    )

    with pytest.raises(AmbiguousCreateError) as raised:
        extensions.create_once()

    message = str(raised.value)
    assert "may have applied it" in message and "503" in message and ADOPT_HINT in message
    assert len(_stored_ids(clean_emulator)) == 1  # it was applied: the user is told to look for it
    assert _count(clean_emulator, "POST", COVEO_LIST) == 1  # and it was not sent again blindly


def test_a_create_refused_by_the_service_is_neither_retried_nor_looked_up(clean_emulator: EmulatorHandle) -> None:
    extensions = _Extensions(clean_emulator, _settings())
    body = extensions.body()
    del body["content"]  # the service refuses an extension without a script

    with pytest.raises(ApiError) as raised:
        create_once(
            lambda: extensions.http.request("POST", extensions.path, idempotent=False, expected=(201,), json=body),
            extensions.find_created,
            str,
            extensions.settings,
            what="Coveo extension 'created-once'",
            adopt_hint=ADOPT_HINT,
        )

    assert raised.value.status is not None and 400 <= raised.value.status < 500
    assert _count(clean_emulator, "POST", COVEO_LIST) == 1
    assert _count(clean_emulator, "GET", COVEO_LIST) == 0
    assert _stored_ids(clean_emulator) == []


def test_a_create_that_keeps_failing_stops_after_max_retries_and_leaves_nothing(
    clean_emulator: EmulatorHandle,
) -> None:
    extensions = _Extensions(clean_emulator, _settings(max_retries=2))
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={"503": 1.0}))

    with pytest.raises(ApiError) as raised:
        extensions.create_once()

    assert raised.value.status == 503
    assert _count(clean_emulator, "POST", COVEO_LIST) == 3
    assert _count(clean_emulator, "GET", COVEO_LIST) == 3
    assert _stored_ids(clean_emulator) == []


def test_a_create_is_not_retried_when_the_wait_would_pass_the_budget(clean_emulator: EmulatorHandle) -> None:
    extensions = _Extensions(clean_emulator, _settings(retry_budget=2.0, max_retries=10))
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={"429": 1.0}, retry_after_s=30))

    started = time.monotonic()
    with pytest.raises(ApiError) as raised:
        extensions.create_once()

    assert time.monotonic() - started < 1.0
    assert raised.value.status == 429 and raised.value.retry_after == 30
    assert _count(clean_emulator, "POST", COVEO_LIST) == 1


# -- twins: creates with identical declared fields in one process -------------------------------------------


def test_a_lost_create_never_adopts_the_object_its_twin_created_and_sends_its_own_post_again(
    clean_emulator: EmulatorHandle,
) -> None:
    extensions = _Extensions(clean_emulator, _settings())
    twin = extensions.create_once(identity=_identity())
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={"drop": 1.0}, max_faults=1))

    created = extensions.create_once(identity=_identity())

    assert created["id"] != twin["id"]
    assert sorted(_stored_ids(clean_emulator)) == sorted([twin["id"], created["id"]])
    assert _count(clean_emulator, "POST", COVEO_LIST) == 3  # the twin's, the lost one, the one sent again
    assert _count(clean_emulator, "GET", COVEO_LIST) == 1


def test_an_applied_but_unanswered_create_adopts_its_own_object_beside_its_twins(
    clean_emulator: EmulatorHandle,
) -> None:
    extensions = _Extensions(clean_emulator, _settings())
    twin = extensions.create_once(identity=_identity())
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={"fail_after_commit": 1.0}, max_faults=1))

    created = extensions.create_once(identity=_identity())

    assert created["id"] != twin["id"]
    assert sorted(_stored_ids(clean_emulator)) == sorted([twin["id"], created["id"]])
    assert _count(clean_emulator, "POST", COVEO_LIST) == 2  # adopted, not sent again


def test_twins_created_at_once_under_lost_and_unanswered_posts_each_get_an_object_of_their_own(
    clean_emulator: EmulatorHandle,
) -> None:
    extensions = _Extensions(clean_emulator, _settings(max_retries=12))
    clean_emulator.admin.set_faults(
        fault_config(route_rule("POST", COVEO_LIST, faults={"drop": 0.3, "fail_after_commit": 0.2}), seed=14)
    )

    # Four threads, like the provider process's gRPC server.
    with ThreadPoolExecutor(max_workers=4) as pool:
        created = list(pool.map(lambda _: extensions.create_once(identity=_identity())["id"], range(8)))

    assert len(set(created)) == 8
    assert sorted(_stored_ids(clean_emulator)) == sorted(created)
    assert sum(clean_emulator.admin.faults()["injected"].values()) > 0


def test_look_alike_creates_run_one_at_a_time_and_others_at_once() -> None:
    settings = _settings()
    active: dict[str, int] = {"twin": 0, "other": 0}
    overlaps: list[str] = []
    other_started = threading.Event()
    guard = threading.Lock()
    counter = iter(range(100))

    def post(kind: str) -> dict[str, Any]:
        with guard:
            active[kind] += 1
            if active[kind] > 1:
                overlaps.append(kind)
        if kind == "twin":
            # Waits for the create with other fields: it would never start if every create ran in turn.
            assert other_started.wait(timeout=10)
        else:
            other_started.set()
        time.sleep(0.05)
        with guard:
            active[kind] -= 1
            return {"id": f"{kind}-{next(counter)}"}

    def create(kind: str) -> str:
        result = create_once(
            lambda: post(kind),
            lambda since: [],
            str,
            settings,
            what=f"Coveo extension {kind!r}",
            adopt_hint=ADOPT_HINT,
            identity=_identity(kind),
        )
        return str(result["id"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(create, ["twin", "twin", "twin", "other"]))

    assert overlaps == []  # never two twins in flight at once
    assert len(set(ids)) == 4


def test_several_unclaimed_matches_fail_naming_every_candidate_and_the_objects_of_other_resources(
    clean_emulator: EmulatorHandle,
) -> None:
    extensions = _Extensions(clean_emulator, _settings())
    twin = extensions.create_once(identity=_identity())["id"]
    foreign = extensions.post()["id"]  # as if another stack had just created the same declaration
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={"fail_after_commit": 1.0}, max_faults=1))

    with pytest.raises(AmbiguousCreateError) as raised:
        extensions.create_once(identity=_identity())

    stored = _stored_ids(clean_emulator)
    (own,) = set(stored) - {twin, foreign}
    message = str(raised.value)
    assert "2 matching objects now exist" in message and foreign in message and own in message
    assert f"{twin} held by the create #" in message  # the twin's, named apart: it is not a candidate
    assert "Another stack" in message and ADOPT_HINT in message
    assert len(stored) == 3  # nothing sent again, nothing deleted that may be another's


def test_a_create_fails_when_the_service_returns_an_id_another_resource_already_holds() -> None:
    claim_adopted(SCOPE, "shared-id", "Coveo extension")

    with pytest.raises(SharedObjectError) as raised:
        create_once(
            lambda: {"id": "shared-id"},
            lambda since: [],
            str,
            _settings(),
            what="Coveo extension 'created-once'",
            adopt_hint=ADOPT_HINT,
            identity=_identity(),
        )

    assert "shared-id" in str(raised.value) and "adopting Coveo extension shared-id" in str(raised.value)


def test_one_adopt_id_for_two_resources_of_a_run_fails_clearly_but_ids_are_per_scope() -> None:
    claim_adopted(SCOPE, "4226448541", "Elastic extension")
    claim_adopted("another scope", "4226448541", "Elastic extension")  # another service: another object

    with pytest.raises(SharedObjectError) as raised:
        claim_adopted(SCOPE, "4226448541", "Elastic extension")

    # The same description, yet the second resource is refused: each claim is its own owner.
    assert "4226448541" in str(raised.value) and "two resources must never manage one object" in str(raised.value)


def test_a_look_up_skips_the_ids_of_resources_already_in_the_state(clean_emulator: EmulatorHandle) -> None:
    extensions = _Extensions(clean_emulator, _settings())
    existing = extensions.post()["id"]  # a previous run's object, created within the clock slack
    note_existing(SCOPE, existing)  # the engine diffed its resource
    clean_emulator.admin.set_faults(fault_rule("POST", COVEO_LIST, faults={"drop": 1.0}, max_faults=1))

    created = extensions.create_once(identity=_identity())

    assert created["id"] != existing
    assert sorted(_stored_ids(clean_emulator)) == sorted([existing, created["id"]])


def test_an_id_in_the_state_cannot_be_adopted_by_another_resource() -> None:
    note_existing(SCOPE, "in-state")
    note_existing(SCOPE, "in-state")  # the engine may hand it over again: not a second owner

    with pytest.raises(SharedObjectError) as adopting:
        claim_adopted(SCOPE, "in-state", "Coveo extension")

    assert "a resource already in this stack's state records already" in str(adopting.value)


# -- undo_on_failure ---------------------------------------------------------------------------------------


def test_successful_follow_up_steps_return_their_result_and_undo_nothing(clean_emulator: EmulatorHandle) -> None:
    extensions = _Extensions(clean_emulator, _settings())
    created = extensions.post()["id"]

    def steps() -> str:
        extensions.set_timeout(created, 9)
        return "done"

    result = undo_on_failure(created, steps, lambda: extensions.delete(created), what="Coveo extension")

    assert result == "done"
    assert _stored_ids(clean_emulator) == [created]
    assert _count(clean_emulator, "DELETE", COVEO_ONE) == 0


def test_a_failed_follow_up_step_deletes_what_was_created_and_raises_the_step_error(
    clean_emulator: EmulatorHandle,
) -> None:
    extensions = _Extensions(clean_emulator, _settings(max_retries=1))
    created = extensions.post()["id"]
    clean_emulator.admin.set_faults(fault_rule("PUT", COVEO_TIMEOUTS, faults={"500": 1.0}))

    with pytest.raises(ApiError) as raised:
        undo_on_failure(
            created,
            lambda: extensions.set_timeout(created, 9),
            lambda: extensions.delete(created),
            what="Coveo extension",
        )

    assert raised.value.status == 500 and raised.value.path.endswith("/timeouts")
    assert _stored_ids(clean_emulator) == []


def test_when_the_undo_fails_too_the_error_names_the_object_left_behind_and_how_to_adopt_it(
    clean_emulator: EmulatorHandle,
) -> None:
    extensions = _Extensions(clean_emulator, _settings(max_retries=1))
    created = extensions.post()["id"]
    clean_emulator.admin.set_faults(
        fault_config(
            route_rule("PUT", COVEO_TIMEOUTS, faults={"500": 1.0}), route_rule("DELETE", COVEO_ONE, faults={"503": 1.0})
        )
    )

    with pytest.raises(RuntimeError) as raised:
        undo_on_failure(
            created,
            lambda: extensions.set_timeout(created, 9),
            lambda: extensions.delete(created),
            what="Coveo extension",
        )

    message = str(raised.value)
    assert _stored_ids(clean_emulator) == [created]
    assert f"Coveo extension {created} was left behind" in message
    assert f"adopt_id={created!r}" in message
    assert "500" in message and "503" in message  # both failures, the step's and the undo's
