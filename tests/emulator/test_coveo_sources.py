"""The Source API's extension map, `usedBy`, delete-in-use, and the Coveo admin routes."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from pulumi_search_extensions.emulator import EmulatorHandle

from .coveo_api import CoveoApi


@pytest.fixture
def source(emulator: EmulatorHandle) -> dict[str, Any]:
    """A source of the main organization, created through the admin API."""
    return emulator.admin.create_source(emulator.coveo_organization_id, "Web pages")


def _get_map(coveo: CoveoApi, source_id: str) -> dict[str, Any]:
    extension_map: dict[str, Any] = coveo.call(
        "GET", f"/sources/{source_id}/extensions", expect=200, schema="SourceExtensionsMap"
    ).json()
    return extension_map


def test_admin_creates_a_source_with_a_coveo_shaped_id(source: dict[str, Any], emulator: EmulatorHandle) -> None:
    assert source["name"] == "Web pages"
    assert source["id"].startswith(f"{emulator.coveo_organization_id}-")
    assert len(source["id"].rsplit("-", 1)[1]) == 26


def test_a_source_without_extensions_has_an_empty_map(coveo: CoveoApi, source: dict[str, Any]) -> None:
    assert _get_map(coveo, source["id"]) == {
        "common": {"preConversionExtensions": [], "postConversionExtensions": []},
        "items": {},
    }


def test_put_answers_204_and_get_returns_the_map_with_defaults_filled(coveo: CoveoApi, source: dict[str, Any]) -> None:
    first, second = coveo.create()["id"], coveo.create()["id"]
    coveo.apply(
        source["id"],
        {
            "common": {
                "preConversionExtensions": [{"extensionId": first}],
                "postConversionExtensions": [
                    {
                        "extensionId": second,
                        "condition": "%[title]",
                        "parameters": {"lang": "en"},
                        "actionOnError": "REJECT_DOCUMENT",
                    }
                ],
            },
            "items": {"Video": {"postConversionExtensions": [{"extensionId": first, "itemType": "Video"}]}},
        },
    )
    assert _get_map(coveo, source["id"]) == {
        "common": {
            "preConversionExtensions": [
                {"extensionId": first, "condition": "", "parameters": {}, "actionOnError": "SKIP_EXTENSION"}
            ],
            "postConversionExtensions": [
                {
                    "extensionId": second,
                    "condition": "%[title]",
                    "parameters": {"lang": "en"},
                    "actionOnError": "REJECT_DOCUMENT",
                }
            ],
        },
        "items": {
            "Video": {
                "preConversionExtensions": [],
                "postConversionExtensions": [
                    {
                        "extensionId": first,
                        "condition": "",
                        "parameters": {},
                        "actionOnError": "SKIP_EXTENSION",
                        "itemType": "Video",
                    }
                ],
            }
        },
    }


def test_put_replaces_the_whole_map(coveo: CoveoApi, source: dict[str, Any]) -> None:
    extension_id = coveo.create()["id"]
    coveo.apply(source["id"], {"common": {"preConversionExtensions": [{"extensionId": extension_id}]}})
    coveo.apply(source["id"], {})
    assert _get_map(coveo, source["id"])["common"]["preConversionExtensions"] == []


def test_rebuild_query_is_accepted(coveo: CoveoApi, source: dict[str, Any]) -> None:
    coveo.call("PUT", f"/sources/{source['id']}/extensions", params={"rebuild": "true"}, json={}, expect=204)
    coveo.call("PUT", f"/sources/{source['id']}/extensions", params={"rebuild": "maybe"}, json={}, expect=400)


def test_a_version_pin_is_kept(coveo: CoveoApi, source: dict[str, Any]) -> None:
    created = coveo.create()
    pinned = {"extensionId": created["id"], "versionId": created["versionId"]}
    coveo.apply(source["id"], {"common": {"postConversionExtensions": [pinned]}})
    entry = _get_map(coveo, source["id"])["common"]["postConversionExtensions"][0]
    assert entry["versionId"] == created["versionId"]


@pytest.mark.parametrize(
    ("entry", "error_code"),
    [
        pytest.param(
            {"extensionId": "searchdemoorg-aaaaaaaaaaaaaaaaaaaaaaaaaa"}, "INVALID_EXTENSION_ID", id="unknown-extension"
        ),
        pytest.param({}, "INVALID_EXTENSION_ID", id="missing-extension-id"),
        pytest.param({"actionOnError": "IGNORE"}, "INVALID_PARAMETER", id="bad-action-on-error"),
        pytest.param({"parameters": {"n": 38}}, "INVALID_PARAMETER", id="non-string-parameter"),
        pytest.param({"condition": 1}, "INVALID_PARAMETER", id="condition-not-a-string"),
        pytest.param({"versionId": "nope"}, "INVALID_PARAMETER", id="unknown-version"),
    ],
)
def test_put_rejects_an_invalid_entry_with_400_and_keeps_the_old_map(
    coveo: CoveoApi, source: dict[str, Any], entry: dict[str, Any], error_code: str
) -> None:
    extension_id = coveo.create()["id"]
    coveo.apply(source["id"], {"common": {"preConversionExtensions": [{"extensionId": extension_id}]}})
    bad_entry = {"extensionId": extension_id, **entry} if entry and "extensionId" not in entry else entry
    error = coveo.call(
        "PUT",
        f"/sources/{source['id']}/extensions",
        json={"common": {"postConversionExtensions": [bad_entry]}},
        expect=400,
    ).json()
    assert error["errorCode"] == error_code
    assert _get_map(coveo, source["id"])["common"]["preConversionExtensions"][0]["extensionId"] == extension_id


@pytest.mark.parametrize(
    "body", [[], {"common": []}, {"items": []}, {"common": {"preConversionExtensions": {}}}, {"items": {"Video": 1}}]
)
def test_put_rejects_a_malformed_map_with_400(coveo: CoveoApi, source: dict[str, Any], body: object) -> None:
    coveo.call("PUT", f"/sources/{source['id']}/extensions", json=body, expect=400)


def test_an_extension_of_another_organization_cannot_be_applied(
    coveo: CoveoApi, other_coveo: CoveoApi, source: dict[str, Any]
) -> None:
    theirs = other_coveo.create()["id"]
    coveo.call(
        "PUT",
        f"/sources/{source['id']}/extensions",
        json={"common": {"preConversionExtensions": [{"extensionId": theirs}]}},
        expect=400,
    )


def test_an_unknown_source_is_404(coveo: CoveoApi) -> None:
    unknown = "/sources/searchdemoorg-aaaaaaaaaaaaaaaaaaaaaaaaaa/extensions"
    assert coveo.call("GET", unknown, expect=404).json()["errorCode"] == "SOURCE_NOT_FOUND"
    assert coveo.call("PUT", unknown, json={}, expect=404).json()["errorCode"] == "SOURCE_NOT_FOUND"


def test_used_by_lists_the_sources_that_apply_the_extension(
    coveo: CoveoApi, emulator: EmulatorHandle, source: dict[str, Any]
) -> None:
    other_source = emulator.admin.create_source(emulator.coveo_organization_id, "Videos")
    extension = coveo.create()
    coveo.apply(source["id"], {"common": {"preConversionExtensions": [{"extensionId": extension["id"]}]}})
    coveo.apply(
        other_source["id"],
        {"items": {"Video": {"postConversionExtensions": [{"extensionId": extension["id"]}]}}},
    )
    fetched = coveo.call("GET", f"/{extension['id']}", expect=200, schema="ExtensionModel").json()
    assert fetched["usedBy"] == [
        {"sourceId": source["id"], "sourceName": "Web pages"},
        {"sourceId": other_source["id"], "sourceName": "Videos"},
    ]
    replaced = coveo.call(
        "PUT", f"/{extension['id']}", json={"name": "n", "content": "pass"}, expect=200, schema="ExtensionModel"
    ).json()
    assert len(replaced["usedBy"]) == 2


def test_an_extension_in_use_cannot_be_deleted_409_naming_the_sources(coveo: CoveoApi, source: dict[str, Any]) -> None:
    extension = coveo.create()
    coveo.apply(source["id"], {"common": {"postConversionExtensions": [{"extensionId": extension["id"]}]}})
    error = coveo.call("DELETE", f"/{extension['id']}", expect=409).json()
    assert error["errorCode"] == "EXTENSION_IN_USE"
    assert f"Web pages ({source['id']})" in error["message"]
    coveo.call("GET", f"/{extension['id']}", expect=200, schema="ExtensionModel")


def test_once_unapplied_the_extension_can_be_deleted(coveo: CoveoApi, source: dict[str, Any]) -> None:
    extension = coveo.create()
    coveo.apply(source["id"], {"common": {"postConversionExtensions": [{"extensionId": extension["id"]}]}})
    coveo.apply(source["id"], {"common": {"postConversionExtensions": []}})
    coveo.call("DELETE", f"/{extension['id']}", expect=204)


def test_deleting_a_source_releases_its_extensions(
    coveo: CoveoApi, emulator: EmulatorHandle, source: dict[str, Any]
) -> None:
    extension = coveo.create()
    coveo.apply(source["id"], {"common": {"postConversionExtensions": [{"extensionId": extension["id"]}]}})
    emulator.admin.delete_source(emulator.coveo_organization_id, source["id"])
    assert coveo.call("GET", f"/{extension['id']}", expect=200, schema="ExtensionModel").json()["usedBy"] == []
    coveo.call("GET", f"/sources/{source['id']}/extensions", expect=404)


def test_auto_disable_disables_with_a_reason_and_dates_it(coveo: CoveoApi, emulator: EmulatorHandle) -> None:
    extension = coveo.create()
    model = emulator.admin.auto_disable(emulator.coveo_organization_id, extension["id"])
    fetched = coveo.call("GET", f"/{extension['id']}", expect=200, schema="ExtensionModel").json()
    assert fetched == model
    assert fetched["enabled"] is False
    status = fetched["status"]
    assert status["disabledStatus"]["reason"]
    assert status["lastAutoDisablingDate"] == status["disabledStatus"]["disabledDate"]
    assert status["timeoutHealth"]["healthIndicator"] == "PROBLEMATIC"
    assert fetched["versionId"] == extension["versionId"]


def test_auto_disable_takes_a_custom_reason(coveo: CoveoApi, emulator: EmulatorHandle) -> None:
    extension = coveo.create()
    model = emulator.admin.auto_disable(emulator.coveo_organization_id, extension["id"], reason="timeouts")
    assert model["status"]["disabledStatus"]["reason"] == "timeouts"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/coveo/organizations/nosuchorg/sources", {"name": "x"}),
        ("POST", "/coveo/organizations/searchdemoorg/sources", {}),
        ("DELETE", "/coveo/organizations/searchdemoorg/sources/searchdemoorg-unknown", None),
        ("POST", "/coveo/organizations/searchdemoorg/extensions/searchdemoorg-unknown/auto-disable", {}),
    ],
)
def test_admin_coveo_errors_are_json(emulator: EmulatorHandle, method: str, path: str, body: object) -> None:
    response = requests.request(method, f"{emulator.url}/_emulator{path}", json=body, timeout=10)
    assert response.status_code in (400, 404)
    assert response.json()["error"]
