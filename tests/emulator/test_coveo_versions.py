"""Version history: each new script is a version; old versions stay readable."""

from __future__ import annotations

from typing import Any

from .coveo_api import CoveoApi


def _replace_script(coveo: CoveoApi, extension_id: str, content: str) -> dict[str, Any]:
    return coveo.replace(extension_id, {"name": "versioned", "content": content})


def _versions(coveo: CoveoApi, extension_id: str) -> list[dict[str, Any]]:
    path = f"/{extension_id}/versions"
    versions: list[dict[str, Any]] = coveo.call("GET", path, expect=200, schema="ExtensionContentVersionModel[]").json()
    return versions


def test_a_new_extension_has_one_version(coveo: CoveoApi) -> None:
    created = coveo.create()
    assert _versions(coveo, created["id"]) == [{"id": created["versionId"], "lastModified": created["lastModified"]}]


def test_versions_are_listed_newest_first(coveo: CoveoApi) -> None:
    created = coveo.create(content="v1")
    second = _replace_script(coveo, created["id"], "v2")
    third = _replace_script(coveo, created["id"], "v3")
    versions = _versions(coveo, created["id"])
    assert [version["id"] for version in versions] == [third["versionId"], second["versionId"], created["versionId"]]
    dates = [version["lastModified"] for version in versions]
    assert dates == sorted(dates, reverse=True)


def test_a_change_that_keeps_the_script_adds_no_version(coveo: CoveoApi) -> None:
    created = coveo.create(content="same")
    _replace_script(coveo, created["id"], "same")
    versions = _versions(coveo, created["id"])
    assert len(versions) == 1


def test_an_old_version_shows_the_model_as_of_that_version(coveo: CoveoApi) -> None:
    created = coveo.create(content="first script")
    _replace_script(coveo, created["id"], "second script")
    old = coveo.call(
        "GET", f"/{created['id']}/versions/{created['versionId']}", expect=200, schema="ExtensionModel"
    ).json()
    assert old["content"] == "first script"
    assert old["versionId"] == created["versionId"]
    assert old["lastModified"] == created["lastModified"]
    assert old["id"] == created["id"]


def test_a_rollback_is_a_put_of_old_content_and_makes_a_new_version(coveo: CoveoApi) -> None:
    created = coveo.create(content="first script")
    _replace_script(coveo, created["id"], "second script")
    rolled_back = _replace_script(coveo, created["id"], "first script")
    assert rolled_back["versionId"] != created["versionId"]
    assert rolled_back["content"] == "first script"


def test_an_unknown_version_is_404(coveo: CoveoApi) -> None:
    created = coveo.create()
    error = coveo.call("GET", f"/{created['id']}/versions/hdJSDb4hTkdnsCynNtF.d657FgLSDydcj", expect=404).json()
    assert error["errorCode"] == "EXTENSION_VERSION_NOT_FOUND"


def test_versions_of_an_unknown_extension_are_404(coveo: CoveoApi) -> None:
    coveo.call("GET", "/searchdemoorg-aaaaaaaaaaaaaaaaaaaaaaaaaa/versions", expect=404)
    coveo.call("GET", "/searchdemoorg-aaaaaaaaaaaaaaaaaaaaaaaaaa/versions/x", expect=404)
