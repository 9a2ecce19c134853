"""Bearer auth on every Coveo route: 401 bad or missing key, 403 another org's key, 404 unknown org."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from pulumi_search_extensions.emulator import EmulatorHandle

from .coveo_api import check_coveo_response

EXT = "searchdemoorg-aaaaaaaaaaaaaaaaaaaaaaaaaa"
SOURCE = "searchdemoorg-bbbbbbbbbbbbbbbbbbbbbbbbbb"

# Every route of the emulated Coveo APIs, with a body that would otherwise be acceptable.
ROUTES: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/extensions", {}),
    ("POST", "/extensions", {"json": {"name": "n", "content": "pass"}}),
    ("GET", "/extensions/page", {}),
    ("POST", "/extensions/ids", {"json": []}),
    ("GET", "/extensions/project", {}),
    ("POST", "/extensions/test/compile", {"json": {"code": "pass"}}),
    ("GET", f"/extensions/{EXT}", {}),
    ("PUT", f"/extensions/{EXT}", {"json": {"name": "n", "content": "pass"}}),
    ("DELETE", f"/extensions/{EXT}", {}),
    ("POST", f"/extensions/{EXT}/enable", {}),
    ("POST", f"/extensions/{EXT}/disable", {"json": {}}),
    ("GET", f"/extensions/{EXT}/code", {}),
    ("PUT", f"/extensions/{EXT}/code", {"data": b"pass"}),
    ("PUT", f"/extensions/{EXT}/timeouts", {"json": {"executionTimeout": 5}}),
    ("GET", f"/extensions/{EXT}/versions", {}),
    ("GET", f"/extensions/{EXT}/versions/v", {}),
    ("GET", f"/sources/{SOURCE}/extensions", {}),
    ("PUT", f"/sources/{SOURCE}/extensions", {"json": {}}),
]
ROUTE_IDS = [f"{method} {path.replace(EXT, '{id}').replace(SOURCE, '{source}')}" for method, path, _ in ROUTES]


def _call(
    emulator: EmulatorHandle, organization: str, method: str, path: str, headers: dict[str, str], kwargs: dict[str, Any]
) -> requests.Response:
    url = f"{emulator.url}/rest/organizations/{organization}{path}"
    response = requests.request(method, url, headers=headers, timeout=10, **kwargs)
    check_coveo_response(response, None)
    return response


@pytest.mark.parametrize(("method", "path", "kwargs"), ROUTES, ids=ROUTE_IDS)
def test_no_authorization_header_is_401(
    emulator: EmulatorHandle, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    response = _call(emulator, emulator.coveo_organization_id, method, path, {}, kwargs)
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "path", "kwargs"), ROUTES, ids=ROUTE_IDS)
def test_an_unknown_key_is_401(emulator: EmulatorHandle, method: str, path: str, kwargs: dict[str, Any]) -> None:
    headers = {"Authorization": "Bearer xx-not-a-key"}
    response = _call(emulator, emulator.coveo_organization_id, method, path, headers, kwargs)
    assert response.status_code == 401
    assert response.json()["errorCode"] == "INVALID_TOKEN"


@pytest.mark.parametrize(("method", "path", "kwargs"), ROUTES, ids=ROUTE_IDS)
def test_the_key_of_another_organization_is_403(
    emulator: EmulatorHandle, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    headers = {"Authorization": f"Bearer {emulator.coveo_other_api_key}"}
    response = _call(emulator, emulator.coveo_organization_id, method, path, headers, kwargs)
    assert response.status_code == 403
    assert response.json()["errorCode"] == "ACCESS_DENIED"


@pytest.mark.parametrize(("method", "path", "kwargs"), ROUTES, ids=ROUTE_IDS)
def test_an_unknown_organization_is_404(
    emulator: EmulatorHandle, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    headers = {"Authorization": f"Bearer {emulator.coveo_api_key}"}
    response = _call(emulator, "nosuchorganization", method, path, headers, kwargs)
    assert response.status_code == 404
    assert response.json()["errorCode"] == "ORGANIZATION_NOT_FOUND"


@pytest.mark.parametrize("header", ["xx-emulator-demo-coveo-key", "Basic xx-emulator-demo-coveo-key", "Bearer "])
def test_anything_but_a_bearer_key_is_401(emulator: EmulatorHandle, header: str) -> None:
    response = _call(emulator, emulator.coveo_organization_id, "GET", "/extensions", {"Authorization": header}, {})
    assert response.status_code == 401


def test_the_bearer_scheme_is_case_insensitive(emulator: EmulatorHandle) -> None:
    headers = {"Authorization": f"bearer {emulator.coveo_api_key}"}
    url = f"{emulator.url}/rest/organizations/{emulator.coveo_organization_id}/extensions"
    assert requests.get(url, headers=headers, timeout=10).status_code == 200


def test_an_auth_failure_changes_nothing(emulator: EmulatorHandle) -> None:
    headers = {"Authorization": f"Bearer {emulator.coveo_other_api_key}"}
    url = f"{emulator.url}/rest/organizations/{emulator.coveo_organization_id}/extensions"
    requests.post(url, json={"name": "n", "content": "pass"}, headers=headers, timeout=10)
    assert emulator.admin.dump()["coveo"][emulator.coveo_organization_id]["extensions"] == []
