"""`search-extensions recover`, its parts that need no service: the locks the CLI lists, when a lock is stale,
and how interrupted creates are matched with what the look-up found (one, none, twins, too many)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from pulumi_search_extensions._create import Found
from pulumi_search_extensions.cli import _pending
from pulumi_search_extensions.cli._pending import Kind, decide, unfinished_takeovers
from pulumi_search_extensions.cli._pulumi import Lock, locks_in_message

LOCKED = (
    "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete "
    "the lock file with `pulumi cancel`.\n"
    "  file:///b/.pulumi/locks/organization/p/dev/3f.json?no_tmp_dir=true: created by ci@runner-7 (pid 4242) "
    "at 2026-12-03T14:00:13.123456789Z\n"
)


def test_the_locks_the_cli_lists_are_read_with_who_where_and_when() -> None:
    [lock] = locks_in_message(LOCKED)
    assert (lock.user, lock.host, lock.pid) == ("ci", "runner-7", 4242)
    assert lock.taken_at == pytest.approx(1796306413.123456)


def test_a_lock_is_stale_only_when_taken_here_by_a_process_that_no_longer_runs_pulumi() -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = int(ended.stdout)
    here = socket.gethostname()
    assert Lock("l", "u", here, gone, 0.0).stale
    assert Lock("l", "u", here, os.getpid(), 0.0).stale  # alive, but not `pulumi`: the pid was reused
    assert not Lock("l", "u", "another-machine", gone, 0.0).stale  # cannot be proved: the user decides


def _pending_op(urn: str, token: str = "pulumi-python:dynamic/coveo:Extension") -> dict[str, Any]:
    return {"type": "creating", "resource": {"urn": urn, "type": token, "inputs": {"name": urn}}}


@pytest.fixture
def found_by_name(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[str]]]:
    """The look-up answers from this table (declared name -> ids on the service); twins share one name."""
    table: dict[str, list[str]] = {}

    def look_up(props: Mapping[str, Any], since: float) -> Found:
        name = str(props["name"]).split("-twin")[0]
        return Found("scope", name, tuple((i, f"{i} ({name})") for i in table.get(name, [])))

    kinds = dict(_pending.KINDS)
    kinds["pulumi-python:dynamic/coveo:Extension"] = Kind("Coveo extension", look_up)
    monkeypatch.setattr(_pending, "KINDS", kinds)
    yield table


def _decide(ops: list[dict[str, Any]], resources: list[dict[str, Any]] | None = None) -> dict[str, tuple[str, Any]]:
    deployment = {"resources": resources or [], "pending_operations": ops}
    return {d.name: (d.action, d.remote_id) for d in decide(deployment, {}, 0.0)}


def test_one_object_is_taken_over_none_means_the_create_never_happened(found_by_name: dict[str, list[str]]) -> None:
    found_by_name.update({"a": ["id-a"], "held": ["id-held"]})
    decided = _decide(
        [_pending_op("a"), _pending_op("b"), _pending_op("held")], resources=[{"urn": "other", "id": "id-held"}]
    )
    assert decided == {"a": ("adopt", "id-a"), "b": ("none", None), "held": ("none", None)}


def test_twins_share_the_objects_found_and_too_many_objects_are_for_the_user(
    found_by_name: dict[str, list[str]],
) -> None:
    found_by_name.update({"t": ["id-1"], "many": ["id-2", "id-3"]})
    decided = _decide([_pending_op("t-twin1"), _pending_op("t-twin2"), _pending_op("many")])
    assert decided["t-twin1"] == ("adopt", "id-1") and decided["t-twin2"] == ("none", None)
    assert decided["many"] == ("decide", None)


def test_creates_that_make_no_object_run_again_and_other_providers_are_for_the_user(
    found_by_name: dict[str, list[str]],
) -> None:
    decided = _decide(
        [
            _pending_op("map", "pulumi-python:dynamic/coveo:SourceExtensions"),
            _pending_op("prov", "pulumi:providers:search-extensions"),
            _pending_op("stack", "pulumi:pulumi:Stack"),
            _pending_op("bucket", "aws:s3/bucket:Bucket"),
        ]
    )
    assert decided == {
        "map": ("rerun", None),
        "prov": ("rerun", None),
        "stack": ("rerun", None),
        "bucket": ("decide", None),
    }


def test_a_takeover_not_yet_read_by_a_refresh_is_found_again() -> None:
    token = "search-extensions:elastic:Extension"
    deployment = {
        "resources": [
            {"urn": "read", "type": token, "id": "1", "outputs": {"extensionId": "1"}},
            {"urn": "not-read", "type": token, "id": "2", "outputs": {"name": "x"}},
        ]
    }
    assert unfinished_takeovers(deployment) == ["not-read"]
