"""The request log: every vendor request with its route template, status and fault; counts per route."""

from __future__ import annotations

import contextlib

import pytest
import requests

from pulumi_search_extensions.emulator import EmulatorHandle

from .coveo_api import CoveoApi

COVEO_ONE = "/rest/organizations/{organizationId}/extensions/{extensionId}"


def test_each_request_is_logged_with_its_route_template(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    extension = coveo.create()
    coveo.call("GET", f"/{extension['id']}", expect=200, schema="ExtensionModel")
    logged = emulator.admin.requests()["requests"]
    assert logged == [
        {
            "method": "POST",
            "path": "/rest/organizations/searchdemoorg/extensions",
            "route": "/rest/organizations/{organizationId}/extensions",
            "status": 201,
            "fault": None,
        },
        {
            "method": "GET",
            "path": f"/rest/organizations/searchdemoorg/extensions/{extension['id']}",
            "route": COVEO_ONE,
            "status": 200,
            "fault": None,
        },
    ]


def test_counts_are_keyed_by_method_and_route_template(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    ids = [coveo.create()["id"] for _ in range(3)]
    for extension_id in ids:
        coveo.call("GET", f"/{extension_id}", expect=200, schema="ExtensionModel")
    coveo.call("GET", "/searchdemoorg-aaaaaaaaaaaaaaaaaaaaaaaaaa", expect=404)
    assert emulator.admin.requests()["counts"] == {
        "POST /rest/organizations/{organizationId}/extensions": 3,
        f"GET {COVEO_ONE}": 4,
    }


def test_errors_and_elastic_requests_are_logged_too(emulator: EmulatorHandle) -> None:
    requests.get(f"{emulator.url}/api/v1/deployments/extensions", timeout=10)  # no credentials
    (entry,) = emulator.admin.requests()["requests"]
    assert (entry["route"], entry["status"]) == ("/api/v1/deployments/extensions", 401)


def test_an_unknown_path_is_logged_under_the_path_itself(emulator: EmulatorHandle) -> None:
    requests.get(f"{emulator.url}/rest/nothing", timeout=10)
    assert emulator.admin.requests()["counts"] == {"GET /rest/nothing": 1}


def test_a_wrong_method_is_logged_under_the_route_it_missed(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    coveo.call("PATCH", expect=405)
    assert emulator.admin.requests()["counts"] == {"PATCH /rest/organizations/{organizationId}/extensions": 1}


def test_admin_requests_are_not_logged(emulator: EmulatorHandle) -> None:
    emulator.admin.health()
    emulator.admin.dump()
    emulator.admin.create_source("searchdemoorg", "s")
    assert emulator.admin.requests() == {"requests": [], "counts": {}}


@pytest.mark.parametrize(("kind", "status"), [("429", 429), ("drop", None)])
def test_injected_faults_are_logged_with_their_kind(
    emulator: EmulatorHandle, coveo: CoveoApi, kind: str, status: int | None
) -> None:
    emulator.admin.set_faults({"rules": [{"route": "/rest/*", "faults": {kind: 1}}]})
    with contextlib.suppress(requests.ConnectionError):
        coveo.session.get(coveo.url(), timeout=10)
    (entry,) = emulator.admin.requests()["requests"]
    assert (entry["status"], entry["fault"]) == (status, kind)


def test_delete_clears_the_log(emulator: EmulatorHandle, coveo: CoveoApi) -> None:
    coveo.call("GET", expect=200, schema="ExtensionModel[]")
    emulator.admin.clear_requests()
    assert emulator.admin.requests() == {"requests": [], "counts": {}}
    coveo.call("GET", expect=200, schema="ExtensionModel[]")
    assert len(emulator.admin.requests()["requests"]) == 1
