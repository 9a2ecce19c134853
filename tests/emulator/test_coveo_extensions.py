"""The Coveo Extension API's CRUD: list, create, get, full replace and delete."""

from __future__ import annotations

import re
import time

import pytest

from .coveo_api import CoveoApi

EXTENSION_ID = re.compile(r"^searchdemoorg-[a-z2-7]{26}$")
VERSION_ID = re.compile(r"^[A-Za-z0-9.]{33}$")


def test_list_is_a_plain_array_empty_at_first(coveo: CoveoApi) -> None:
    assert coveo.call("GET", expect=200, schema="ExtensionModel[]").json() == []


def test_create_answers_201_with_the_full_model(coveo: CoveoApi) -> None:
    created = coveo.create(
        name="Clean titles",
        description="Strips suffixes",
        requiredDataStreams=["BODY_TEXT", "DOCUMENT_DATA"],
        apiVersion="v2",
        useVault=True,
    )
    assert EXTENSION_ID.match(created["id"])
    assert VERSION_ID.match(created["versionId"])
    assert created["name"] == "Clean titles"
    assert created["description"] == "Strips suffixes"
    assert created["requiredDataStreams"] == ["BODY_TEXT", "DOCUMENT_DATA"]
    assert created["apiVersion"] == "v2"
    assert created["useVault"] is True
    assert created["language"] == "PYTHON3"
    assert created["enabled"] is True
    assert created["timeout"] == 5
    assert "usedBy" not in created


def test_dates_are_epoch_milliseconds_as_numbers_not_the_specs_date_time_strings(coveo: CoveoApi) -> None:
    before_ms = int(time.time() * 1000)
    created = coveo.create()
    after_ms = int(time.time() * 1000)
    assert isinstance(created["createdDate"], int)
    assert before_ms <= created["createdDate"] <= after_ms
    assert created["lastModified"] == created["createdDate"]


def test_a_fresh_extension_has_unknown_health_and_zero_statistics(coveo: CoveoApi) -> None:
    status = coveo.create()["status"]
    assert status["durationHealth"]["healthIndicator"] == "UNKNOWN"
    assert status["timeoutHealth"]["healthIndicator"] == "UNKNOWN"
    assert status["timeoutLikeliness"] == "NONE"
    assert status["disabledStatus"] == {}
    assert set(status["dailyStatistics"].values()) == {0}


def test_defaults_fill_optional_fields(coveo: CoveoApi) -> None:
    created = coveo.call("POST", json={"name": "n", "content": ""}, expect=201, schema="ExtensionModel").json()
    assert created["description"] == ""
    assert created["requiredDataStreams"] == []
    assert created["apiVersion"] == "v1"
    assert created["useVault"] is False


def test_created_disabled_has_a_disabled_status(coveo: CoveoApi) -> None:
    created = coveo.create(enabled=False)
    assert created["enabled"] is False
    assert created["status"]["disabledStatus"]["disabledDate"] == created["createdDate"]


def test_two_extensions_may_share_a_name(coveo: CoveoApi) -> None:
    first = coveo.create(name="same")
    second = coveo.create(name="same")
    assert first["id"] != second["id"]
    listed = coveo.call("GET", expect=200, schema="ExtensionModel[]").json()
    assert [extension["id"] for extension in listed] == [first["id"], second["id"]]


def test_get_includes_used_by(coveo: CoveoApi) -> None:
    created = coveo.create()
    fetched = coveo.call("GET", f"/{created['id']}", expect=200, schema="ExtensionModel").json()
    assert fetched["usedBy"] == []
    assert {key: value for key, value in fetched.items() if key != "usedBy"} == created


def test_get_of_an_unknown_extension_is_404(coveo: CoveoApi) -> None:
    body = coveo.call("GET", "/searchdemoorg-aaaaaaaaaaaaaaaaaaaaaaaaaa", expect=404).json()
    assert body["errorCode"] == "EXTENSION_NOT_FOUND"


def test_an_extension_of_another_organization_is_not_visible(coveo: CoveoApi, other_coveo: CoveoApi) -> None:
    theirs = other_coveo.create()
    coveo.call("GET", f"/{theirs['id']}", expect=404)
    assert coveo.call("GET", expect=200, schema="ExtensionModel[]").json() == []


def test_put_is_a_full_replace(coveo: CoveoApi) -> None:
    created = coveo.create(description="old", requiredDataStreams=["BODY_TEXT"], useVault=True)
    replaced = coveo.replace(created["id"], {"name": "renamed", "content": created["content"]})
    assert replaced["name"] == "renamed"
    assert replaced["description"] == ""
    assert replaced["requiredDataStreams"] == []
    assert replaced["useVault"] is False
    assert replaced["usedBy"] == []
    assert replaced["id"] == created["id"]
    assert replaced["createdDate"] == created["createdDate"]


def test_put_keeps_the_version_when_the_script_is_unchanged(coveo: CoveoApi) -> None:
    created = coveo.create()
    replaced = coveo.replace(created["id"], {"name": "other name", "content": created["content"]})
    assert replaced["versionId"] == created["versionId"]
    assert replaced["lastModified"] >= created["lastModified"]


def test_put_with_a_new_script_makes_a_new_version(coveo: CoveoApi) -> None:
    created = coveo.create()
    replaced = coveo.replace(created["id"], {"name": created["name"], "content": "pass\n"})
    assert replaced["versionId"] != created["versionId"]
    assert VERSION_ID.match(replaced["versionId"])
    assert replaced["content"] == "pass\n"


def test_an_identical_put_changes_nothing(coveo: CoveoApi) -> None:
    created = coveo.create()
    body = {key: created[key] for key in ("name", "content", "description", "requiredDataStreams", "apiVersion")}
    replaced = coveo.replace(created["id"], body)
    assert replaced["lastModified"] == created["lastModified"]
    assert replaced["versionId"] == created["versionId"]


def test_put_without_enabled_keeps_the_current_state(coveo: CoveoApi) -> None:
    created = coveo.create(enabled=False)
    replaced = coveo.replace(created["id"], {"name": "n", "content": "pass"})
    assert replaced["enabled"] is False


def test_put_with_enabled_sets_it(coveo: CoveoApi) -> None:
    created = coveo.create(enabled=False)
    replaced = coveo.replace(created["id"], {"name": "n", "content": "pass", "enabled": True})
    assert replaced["enabled"] is True
    assert replaced["status"]["disabledStatus"] == {}


def test_put_of_an_unknown_extension_is_404(coveo: CoveoApi) -> None:
    coveo.call("PUT", "/searchdemoorg-aaaaaaaaaaaaaaaaaaaaaaaaaa", json={"name": "n", "content": ""}, expect=404)


def test_delete_answers_204_and_forgets_the_extension(coveo: CoveoApi) -> None:
    created = coveo.create()
    response = coveo.call("DELETE", f"/{created['id']}", expect=204)
    assert response.content == b""
    coveo.call("GET", f"/{created['id']}", expect=404)
    coveo.call("DELETE", f"/{created['id']}", expect=404)


INVALID_BODIES = [
    pytest.param({"content": "pass"}, "name", id="missing-name"),
    pytest.param({"name": "   ", "content": "pass"}, "name", id="blank-name"),
    pytest.param({"name": 3, "content": "pass"}, "name", id="name-not-a-string"),
    pytest.param({"name": "n"}, "content", id="missing-content"),
    pytest.param({"name": "n", "content": ["pass"]}, "content", id="content-not-a-string"),
    pytest.param({"name": "n", "content": "", "language": "PYTHON2"}, "language", id="language-not-python3"),
    pytest.param({"name": "n", "content": "", "apiVersion": "v3"}, "apiVersion", id="unknown-api-version"),
    pytest.param(
        {"name": "n", "content": "", "requiredDataStreams": ["FILE_BINARY_STREAM"]},
        "requiredDataStreams",
        id="unknown-data-stream",
    ),
    pytest.param(
        {"name": "n", "content": "", "requiredDataStreams": "BODY_TEXT"},
        "requiredDataStreams",
        id="streams-not-an-array",
    ),
    pytest.param({"name": "n", "content": "", "enabled": "yes"}, "enabled", id="enabled-not-a-boolean"),
    pytest.param({"name": "n", "content": "", "useVault": 1}, "useVault", id="use-vault-not-a-boolean"),
    pytest.param({"name": "n", "content": "", "description": 5}, "description", id="description-not-a-string"),
]


@pytest.mark.parametrize(("body", "field"), INVALID_BODIES)
def test_create_rejects_an_invalid_body_with_400_naming_the_field(coveo: CoveoApi, body: object, field: str) -> None:
    error = coveo.call("POST", json=body, expect=400).json()
    assert error["errorCode"] == "INVALID_PARAMETER"
    assert field in error["message"]
    assert coveo.call("GET", expect=200, schema="ExtensionModel[]").json() == []


@pytest.mark.parametrize(("body", "field"), INVALID_BODIES)
def test_put_rejects_an_invalid_body_with_400_and_keeps_the_extension(
    coveo: CoveoApi, body: object, field: str
) -> None:
    created = coveo.create()
    error = coveo.call("PUT", f"/{created['id']}", json=body, expect=400).json()
    assert field in error["message"]
    fetched = coveo.call("GET", f"/{created['id']}", expect=200, schema="ExtensionModel").json()
    assert fetched["name"] == created["name"]


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"'])
def test_a_body_that_is_not_a_json_object_is_400_invalid_json(coveo: CoveoApi, raw: bytes) -> None:
    error = coveo.call("POST", data=raw, headers={"Content-Type": "application/json"}, expect=400).json()
    assert error["errorCode"] == "INVALID_JSON"


def test_a_path_under_rest_that_does_not_exist_answers_in_coveos_error_shape(coveo: CoveoApi) -> None:
    error = coveo.call("GET", "/searchdemoorg-x/nothing-here", expect=404).json()
    assert error["errorCode"] == "NOT_FOUND"


def test_a_method_the_route_does_not_have_is_405_in_coveos_error_shape(coveo: CoveoApi) -> None:
    error = coveo.call("PATCH", expect=405).json()
    assert error["errorCode"] == "METHOD_NOT_ALLOWED"
