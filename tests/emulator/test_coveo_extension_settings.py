"""Enable / disable, the script alone (`/code`) and the execution timeout."""

from __future__ import annotations

from typing import Any

import pytest

from .coveo_api import CoveoApi

UNKNOWN = "/searchdemoorg-aaaaaaaaaaaaaaaaaaaaaaaaaa"


def _get(coveo: CoveoApi, extension_id: str) -> dict[str, Any]:
    fetched: dict[str, Any] = coveo.call("GET", f"/{extension_id}", expect=200, schema="ExtensionModel").json()
    return fetched


def test_disable_answers_204_and_records_date_and_reason(coveo: CoveoApi) -> None:
    created = coveo.create()
    response = coveo.call("POST", f"/{created['id']}/disable", json={"reason": "too slow"}, expect=204)
    assert response.content == b""
    fetched = _get(coveo, created["id"])
    assert fetched["enabled"] is False
    disabled = fetched["status"]["disabledStatus"]
    assert disabled["reason"] == "too slow"
    assert disabled["disabledDate"] >= created["createdDate"]


def test_disable_without_a_body_or_reason_is_accepted(coveo: CoveoApi) -> None:
    created = coveo.create()
    coveo.call("POST", f"/{created['id']}/disable", expect=204)
    assert _get(coveo, created["id"])["status"]["disabledStatus"]["reason"] == ""


def test_enable_answers_204_and_empties_the_disabled_status(coveo: CoveoApi) -> None:
    created = coveo.create(enabled=False)
    coveo.call("POST", f"/{created['id']}/enable", expect=204)
    fetched = _get(coveo, created["id"])
    assert fetched["enabled"] is True
    assert fetched["status"]["disabledStatus"] == {}


def test_enable_and_disable_keep_the_version(coveo: CoveoApi) -> None:
    created = coveo.create()
    coveo.call("POST", f"/{created['id']}/disable", json={}, expect=204)
    coveo.call("POST", f"/{created['id']}/enable", expect=204)
    assert _get(coveo, created["id"])["versionId"] == created["versionId"]


def test_a_reason_that_is_not_a_string_is_400(coveo: CoveoApi) -> None:
    created = coveo.create()
    coveo.call("POST", f"/{created['id']}/disable", json={"reason": 42}, expect=400)
    assert _get(coveo, created["id"])["enabled"] is True


def test_get_code_answers_the_script_as_plain_text(coveo: CoveoApi) -> None:
    created = coveo.create(content="log('hello')\n")
    response = coveo.call("GET", f"/{created['id']}/code", expect=200)
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "log('hello')\n"


def test_put_code_replaces_only_the_script_and_makes_a_version(coveo: CoveoApi) -> None:
    created = coveo.create(description="kept")
    updated = coveo.put_code(created["id"], "log('bye')\n")
    assert updated["content"] == "log('bye')\n"
    assert updated["description"] == "kept"
    assert updated["versionId"] != created["versionId"]
    assert coveo.call("GET", f"/{created['id']}/code", expect=200).text == "log('bye')\n"


def test_put_of_the_same_code_keeps_the_version(coveo: CoveoApi) -> None:
    created = coveo.create(content="same")
    updated = coveo.put_code(created["id"], "same")
    assert updated["versionId"] == created["versionId"]


def test_code_that_is_not_utf8_is_400(coveo: CoveoApi) -> None:
    created = coveo.create()
    coveo.call("PUT", f"/{created['id']}/code", data=b"\xff\xfe", headers={"Content-Type": "text/plain"}, expect=400)


def test_put_timeouts_answers_204_and_stores_the_timeout(coveo: CoveoApi) -> None:
    created = coveo.create()
    coveo.call("PUT", f"/{created['id']}/timeouts", json={"executionTimeout": 12}, expect=204)
    assert _get(coveo, created["id"])["timeout"] == 12


def test_put_timeouts_without_a_value_restores_the_default(coveo: CoveoApi) -> None:
    created = coveo.create()
    coveo.call("PUT", f"/{created['id']}/timeouts", json={"executionTimeout": 12}, expect=204)
    coveo.call("PUT", f"/{created['id']}/timeouts", json={}, expect=204)
    assert _get(coveo, created["id"])["timeout"] == 5


@pytest.mark.parametrize("value", [0, -3, "10", 2.5, True])
def test_a_timeout_that_is_not_a_positive_integer_is_400(coveo: CoveoApi, value: object) -> None:
    created = coveo.create()
    error = coveo.call("PUT", f"/{created['id']}/timeouts", json={"executionTimeout": value}, expect=400).json()
    assert "executionTimeout" in error["message"]


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/enable", {}),
        ("POST", "/disable", {"json": {}}),
        ("GET", "/code", {}),
        ("PUT", "/code", {"data": b"pass"}),
        ("PUT", "/timeouts", {"json": {"executionTimeout": 3}}),
    ],
)
def test_operations_on_an_unknown_extension_are_404(
    coveo: CoveoApi, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    error = coveo.call(method, UNKNOWN + path, expect=404, **kwargs).json()
    assert error["errorCode"] == "EXTENSION_NOT_FOUND"
