"""Deployments (emulator admin routes) that use extensions: include_deployments and the in-use delete."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from pulumi_search_extensions.emulator import EmulatorHandle

from .elastic_api import ElasticApi, check_elastic_response, error_codes, validate_extension_body


@pytest.fixture
def elastic(emulator: EmulatorHandle) -> Iterator[ElasticApi]:
    """The extensions API with the emulator's API key."""
    with ElasticApi(emulator.url, api_key=emulator.elastic_api_key) as api:
        yield api


def _deployments_url(emulator: EmulatorHandle, deployment_id: str = "") -> str:
    return f"{emulator.url}/_emulator/elastic/deployments" + (f"/{deployment_id}" if deployment_id else "")


def test_a_deployment_is_created_with_201_and_shows_in_the_dump(elastic: ElasticApi, emulator: EmulatorHandle) -> None:
    extension_id = elastic.create()["id"]

    response = requests.post(
        _deployments_url(emulator), json={"name": "search-prod", "extension_ids": [extension_id]}, timeout=30
    )

    assert response.status_code == 201
    deployment = response.json()
    assert deployment == {"id": deployment["id"], "name": "search-prod", "extension_ids": [extension_id]}
    assert emulator.admin.dump()["elastic"]["deployments"] == [deployment]


def test_a_deployment_cannot_reference_an_unknown_extension(elastic: ElasticApi, emulator: EmulatorHandle) -> None:
    known = elastic.create()["id"]

    response = requests.post(
        _deployments_url(emulator), json={"name": "d", "extension_ids": [known, "1234567890"]}, timeout=30
    )

    assert response.status_code == 400
    check_elastic_response(response, None)
    assert error_codes(response) == ["clusters.invalid_extension_url"]
    assert emulator.admin.dump()["elastic"]["deployments"] == []


@pytest.mark.parametrize(
    "body",
    [{"extension_ids": []}, {"name": "", "extension_ids": []}, {"name": "d", "extension_ids": "x"}, {"name": "d"}],
)
def test_a_deployment_needs_a_name_and_a_list_of_extension_ids(
    emulator: EmulatorHandle, body: dict[str, object]
) -> None:
    response = requests.post(_deployments_url(emulator), json=body, timeout=30)

    assert response.status_code == 400
    check_elastic_response(response, None)
    assert error_codes(response) == ["root.invalid_json_request"]


def test_get_lists_the_deployments_using_an_extension_only_when_asked(
    elastic: ElasticApi, emulator: EmulatorHandle
) -> None:
    used = elastic.create(name="used")["id"]
    unused = elastic.create(name="unused")["id"]
    first = emulator.admin.create_deployment("first", [used])
    second = emulator.admin.create_deployment("second", [used, unused])

    def deployments(extension_id: str, **params: str) -> object:
        response = elastic.call("GET", f"/{extension_id}", params=params, expect=200, definition="Extension")
        return response.json()["deployments"]

    assert deployments(used, include_deployments="true") == [first["id"], second["id"]]
    assert deployments(unused, include_deployments="true") == [second["id"]]
    assert deployments(used, include_deployments="false") is None
    assert deployments(used) is None  # the default is false


def test_an_extension_used_by_a_deployment_cannot_be_deleted(elastic: ElasticApi, emulator: EmulatorHandle) -> None:
    extension_id = elastic.create()["id"]
    emulator.admin.create_deployment("search-prod", [extension_id])
    emulator.admin.create_deployment("search-staging", [extension_id])

    response = elastic.call("DELETE", f"/{extension_id}", expect=400)

    assert error_codes(response) == ["extensions.extension_in_use"]
    assert response.json()["errors"][0]["message"] == (
        f"Cannot delete extension [{extension_id}]. It is used by deployments [search-prod, search-staging]."
    )
    elastic.call("GET", f"/{extension_id}", expect=200, definition="Extension")


def test_the_delete_is_allowed_once_the_deployment_is_gone(elastic: ElasticApi, emulator: EmulatorHandle) -> None:
    extension_id = elastic.create()["id"]
    deployment = emulator.admin.create_deployment("search-prod", [extension_id])
    elastic.call("DELETE", f"/{extension_id}", expect=400)

    emulator.admin.delete_deployment(deployment["id"])

    assert elastic.call("DELETE", f"/{extension_id}", expect=200, definition="EmptyResponse").json() == {}
    assert emulator.admin.dump()["elastic"] == {"extensions": [], "deployments": []}


def test_the_delete_is_allowed_once_the_deployment_stops_using_the_extension(
    elastic: ElasticApi, emulator: EmulatorHandle
) -> None:
    old = elastic.create(name="old")["id"]
    new = elastic.create(name="new")["id"]
    deployment = emulator.admin.create_deployment("search-prod", [old])

    updated = emulator.admin.update_deployment(deployment["id"], "search-prod", [new])

    assert updated == {"id": deployment["id"], "name": "search-prod", "extension_ids": [new]}
    elastic.call("DELETE", f"/{old}", expect=200, definition="EmptyResponse")
    elastic.call("DELETE", f"/{new}", expect=400)


def test_the_dump_lists_each_extensions_deployments(elastic: ElasticApi, emulator: EmulatorHandle) -> None:
    extension_id = elastic.create()["id"]
    deployment = emulator.admin.create_deployment("search-prod", [extension_id])

    [extension] = emulator.admin.dump()["elastic"]["extensions"]

    assert extension["deployments"] == [deployment["id"]]
    validate_extension_body("Extension", extension)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_an_unknown_deployment_is_404(emulator: EmulatorHandle, method: str) -> None:
    response = requests.request(
        method, _deployments_url(emulator, "no-such-deployment"), json={"name": "d", "extension_ids": []}, timeout=30
    )

    assert response.status_code == 404
    check_elastic_response(response, None)
    assert error_codes(response) == ["deployments.deployment_not_found"]
