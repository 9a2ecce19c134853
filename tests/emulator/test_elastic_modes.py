"""Authentication and unknown ids, as Elastic Cloud (ESS, the default) and as ECE answer them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from pulumi_search_extensions.emulator import EmulatorHandle, run_emulator

from .elastic_api import ElasticApi, check_elastic_response, error_codes

UNKNOWN_ID = "1234567890"
VALID_BODY = {"name": "b", "extension_type": "bundle", "version": "*"}

# Every route of the extensions API, with a body it would accept.
ROUTES = [
    pytest.param("GET", "", {}, id="list"),
    pytest.param("POST", "", {"json": VALID_BODY}, id="create"),
    pytest.param("GET", f"/{UNKNOWN_ID}", {}, id="get"),
    pytest.param("POST", f"/{UNKNOWN_ID}", {"json": VALID_BODY}, id="update"),
    pytest.param("PUT", f"/{UNKNOWN_ID}", {"data": b"PK\x03\x04"}, id="upload"),
    pytest.param("DELETE", f"/{UNKNOWN_ID}", {}, id="delete"),
]
# The routes that name one extension.
ID_ROUTES = ROUTES[2:]


@pytest.fixture(scope="module")
def ece_emulator() -> Iterator[EmulatorHandle]:
    """A second emulator, in ECE mode (API key or basic auth; the spec's 404 for unknown ids)."""
    with run_emulator(elastic_mode="ece") as handle:
        yield handle


@pytest.fixture
def ece(ece_emulator: EmulatorHandle) -> Iterator[ElasticApi]:
    """The ECE emulator's extensions API with basic auth, from a clean state."""
    ece_emulator.admin.reset()
    with ElasticApi(ece_emulator.url, basic=(ece_emulator.elastic_username, ece_emulator.elastic_password)) as api:
        yield api


def _unauthorized(api: ElasticApi, method: str, path: str, kwargs: dict[str, Any]) -> None:
    response = api.call(method, path, expect=401, **kwargs)
    assert error_codes(response) == ["root.unauthorized"]
    assert response.headers["x-cloud-error-codes"] == "root.unauthorized"


@pytest.mark.parametrize(("method", "path", "kwargs"), ROUTES)
def test_every_route_refuses_a_request_without_credentials(
    emulator: EmulatorHandle, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    with ElasticApi(emulator.url) as anonymous:
        _unauthorized(anonymous, method, path, kwargs)


@pytest.mark.parametrize(("method", "path", "kwargs"), ROUTES)
def test_every_route_refuses_a_wrong_api_key(
    emulator: EmulatorHandle, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    with ElasticApi(emulator.url, api_key="not-the-key") as wrong:
        _unauthorized(wrong, method, path, kwargs)


def test_ess_refuses_basic_auth_even_with_the_right_password(emulator: EmulatorHandle) -> None:
    # The reference: ApiKey is "the only scheme on ESS".
    with ElasticApi(emulator.url, basic=(emulator.elastic_username, emulator.elastic_password)) as basic:
        _unauthorized(basic, "GET", "", {})


@pytest.mark.parametrize("scheme", ["Bearer", "Basic"])
def test_the_api_key_only_counts_after_the_apikey_scheme(emulator: EmulatorHandle, scheme: str) -> None:
    response = requests.get(
        f"{emulator.url}/api/v1/deployments/extensions",
        headers={"Authorization": f"{scheme} {emulator.elastic_api_key}"},
        timeout=30,
    )
    assert response.status_code == 401
    check_elastic_response(response, None)


def test_refused_credentials_create_nothing(emulator: EmulatorHandle) -> None:
    with ElasticApi(emulator.url, api_key="not-the-key") as wrong:
        wrong.call("POST", json=VALID_BODY, expect=401)

    assert emulator.admin.dump()["elastic"]["extensions"] == []


@pytest.mark.parametrize(("method", "path", "kwargs"), ID_ROUTES)
def test_ess_answers_403_for_an_unknown_id_where_the_spec_says_404(
    emulator: EmulatorHandle, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    # The spec documents 404 extensions.not_found, but the reference records that Elastic Cloud
    # "is seen to answer 403 for an unknown or deleted id"; the ESS emulator does the same, with
    # the spec's code for an extension that "does not belong to you".
    with ElasticApi(emulator.url, api_key=emulator.elastic_api_key) as api:
        response = api.call(method, path, expect=403, **kwargs)

    assert error_codes(response) == ["extensions.unauthorised"]


def test_ess_answers_403_for_a_deleted_id(emulator: EmulatorHandle) -> None:
    with ElasticApi(emulator.url, api_key=emulator.elastic_api_key) as api:
        extension_id = api.create()["id"]
        api.call("DELETE", f"/{extension_id}", expect=200, definition="EmptyResponse")

        response = api.call("GET", f"/{extension_id}", expect=403)

    assert error_codes(response) == ["extensions.unauthorised"]


def test_ece_accepts_basic_auth(ece: ElasticApi) -> None:
    created = ece.create()

    listed = ece.call("GET", expect=200, definition="Extensions").json()

    assert [item["id"] for item in listed["extensions"]] == [created["id"]]


def test_ece_accepts_the_api_key_too(ece_emulator: EmulatorHandle, ece: ElasticApi) -> None:
    with ElasticApi(ece_emulator.url, api_key=ece_emulator.elastic_api_key) as keyed:
        keyed.call("GET", expect=200, definition="Extensions")


@pytest.mark.parametrize(
    "credentials",
    [("admin", "wrong-password"), ("someone", "emulator-password"), ("", "")],
    ids=["wrong-password", "wrong-user", "empty"],
)
def test_ece_refuses_wrong_basic_credentials(
    ece_emulator: EmulatorHandle, ece: ElasticApi, credentials: tuple[str, str]
) -> None:
    assert ece_emulator.elastic_password == "emulator-password"  # the parametrized values assume the defaults
    with ElasticApi(ece_emulator.url, basic=credentials) as wrong:
        _unauthorized(wrong, "GET", "", {})


def test_ece_refuses_malformed_basic_credentials(ece_emulator: EmulatorHandle, ece: ElasticApi) -> None:
    response = requests.get(
        f"{ece_emulator.url}/api/v1/deployments/extensions",
        headers={"Authorization": "Basic not*base64"},
        timeout=30,
    )
    assert response.status_code == 401
    check_elastic_response(response, None)


@pytest.mark.parametrize(("method", "path", "kwargs"), ID_ROUTES)
def test_ece_answers_404_not_found_for_an_unknown_id_as_the_spec_says(
    ece: ElasticApi, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    response = ece.call(method, path, expect=404, **kwargs)

    assert error_codes(response) == ["extensions.not_found"]
    assert response.headers["x-cloud-error-codes"] == "extensions.not_found"
