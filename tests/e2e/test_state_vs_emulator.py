"""The state-versus-emulator comparison the end-to-end tests rely on finds every kind of disagreement.

Pure data (no CLI, no emulator): the comparison must not be a check that cannot fail.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from support.state import (
    COVEO_EXTENSION,
    COVEO_SOURCE_EXTENSIONS,
    ELASTIC_EXTENSION,
    SECRET_SIG_KEY,
    SECRET_SIG_VALUE,
    managed_resources,
)
from support.state_vs_emulator import state_differences

URL = "http://127.0.0.1:1234"
SHA = "a" * 64


def coveo_state(extension_id: str = "org-1", description: str = "d") -> dict[str, Any]:
    return {
        "kind": COVEO_EXTENSION,
        "name": f"c-{extension_id}",
        "id": extension_id,
        "outputs": {
            "organization_id": "org",
            "extension_id": extension_id,
            "host": URL,
            "name": "n",
            "description": description,
            "content_sha256": hashlib.sha256(b"pass\n").hexdigest(),
            "enabled": True,
            "api_version": "v1",
            "required_data_streams": ["BODY_TEXT"],
            "version_id": "v",
            "execution_timeout": 5,
        },
    }


def coveo_remote(extension_id: str = "org-1", description: str = "d") -> dict[str, Any]:
    return {
        "id": extension_id,
        "name": "n",
        "description": description,
        "content": "pass\n",
        "enabled": True,
        "apiVersion": "v1",
        "requiredDataStreams": ["BODY_TEXT"],
        "versionId": "v",
        "timeout": 5,
    }


def elastic_state(extension_id: str = "42") -> dict[str, Any]:
    return {
        "kind": ELASTIC_EXTENSION,
        "name": f"e-{extension_id}",
        "id": extension_id,
        "outputs": {
            "extension_id": extension_id,
            "endpoint": URL,
            "name": "b",
            "extension_type": "bundle",
            "version": "8.*",
            "description": "",
            "download_url": None,
            "url": f"repo://{extension_id}",
            "file_path": "/x.zip",
            "file_sha256": SHA,
            "file_size": 10,
            "file_last_modified": "2025-01-01T00:00:00.000Z",
        },
    }


def elastic_remote(extension_id: str = "42") -> dict[str, Any]:
    return {
        "id": extension_id,
        "name": "b",
        "extension_type": "bundle",
        "version": "8.*",
        "url": f"repo://{extension_id}",
        "download_url": None,
        "file_metadata": {"size": 10, "last_modified_date": "2025-01-01T00:00:00.000Z", "url": "/f"},
        "file_sha256": SHA,
    }


def binding_state(extension_id: str = "org-1") -> dict[str, Any]:
    entry = {"extension_id": extension_id, "condition": "", "parameters": {}, "action_on_error": "SKIP_EXTENSION"}
    return {
        "kind": COVEO_SOURCE_EXTENSIONS,
        "name": "binding",
        "id": "src",
        "outputs": {"organization_id": "org", "source_id": "src", "pre_conversion": [entry], "post_conversion": []},
    }


def source_remote(extension_ids: list[str]) -> dict[str, Any]:
    entries = [
        {"extensionId": i, "condition": "", "parameters": {}, "actionOnError": "SKIP_EXTENSION"} for i in extension_ids
    ]
    return {
        "id": "src",
        "name": "web",
        "extensions": {"common": {"preConversionExtensions": entries, "postConversionExtensions": []}, "items": {}},
    }


def dump(
    coveo: list[dict[str, Any]], elastic: list[dict[str, Any]], sources: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "coveo": {"org": {"extensions": coveo, "sources": sources or []}, "other": {"extensions": [], "sources": []}},
        "elastic": {"extensions": elastic, "deployments": []},
    }


def differences(resources: list[dict[str, Any]], remote: dict[str, Any], **kwargs: Any) -> list[str]:
    return state_differences(resources, remote, base_url=URL, **kwargs)


def test_matching_state_and_emulator_have_no_difference() -> None:
    resources = [coveo_state(), elastic_state(), binding_state()]
    assert differences(resources, dump([coveo_remote()], [elastic_remote()], [source_remote(["org-1"])])) == []


def test_a_remote_extension_missing_from_the_state_is_an_orphan_unless_named_unmanaged() -> None:
    remote = dump([coveo_remote(), coveo_remote("org-2")], [elastic_remote(), elastic_remote("43")])
    problems = differences([coveo_state(), elastic_state()], remote)
    assert len(problems) == 2 and all(p.startswith("orphan:") for p in problems), problems
    assert differences([coveo_state(), elastic_state()], remote, unmanaged=["org-2", "43"]) == []


def test_an_extension_in_the_state_but_not_remotely_is_reported() -> None:
    problems = differences([coveo_state(), elastic_state()], dump([], []))
    assert len(problems) == 2 and all("not remotely" in p for p in problems), problems


def test_two_resources_managing_one_extension_are_a_duplicate() -> None:
    second = coveo_state()
    second["name"] = "another"
    problems = differences([coveo_state(), second], dump([coveo_remote()], []))
    assert any("duplicate" in p for p in problems), problems


def test_each_field_that_differs_is_reported() -> None:
    remote_elastic = elastic_remote()
    remote_elastic["file_sha256"] = "b" * 64
    remote_elastic["version"] = "8.15.*"
    problems = differences(
        [coveo_state(description="mine")], dump([coveo_remote(description="theirs")], [remote_elastic])
    ) + differences([elastic_state()], dump([], [remote_elastic]))
    assert any("description" in p for p in problems)
    assert any("file_sha256" in p for p in problems)
    assert any("version is '8.*'" in p for p in problems)


def test_a_resource_pointing_elsewhere_than_the_emulator_is_reported() -> None:
    elsewhere = coveo_state()
    elsewhere["outputs"]["host"] = "https://platform.cloud.coveo.com"
    assert any("host" in p for p in differences([elsewhere], dump([coveo_remote()], [])))


def test_a_source_map_that_differs_or_is_not_in_the_state_is_reported() -> None:
    remote = dump([coveo_remote(), coveo_remote("org-2")], [], [source_remote(["org-2", "org-1"])])
    resources = [coveo_state(), coveo_state("org-2")]
    assert any("pre_conversion" in p for p in differences([*resources, binding_state()], remote))
    assert any("orphan: the extension map" in p for p in differences(resources, remote))


def test_managed_resources_unwraps_decrypted_secrets_and_skips_other_resources() -> None:
    secret = {SECRET_SIG_KEY: SECRET_SIG_VALUE, "plaintext": '"key"'}
    extension = copy.deepcopy(coveo_state())
    deployment = {
        "resources": [
            {"urn": "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", "type": "pulumi:pulumi:Stack"},
            {
                "urn": "urn:pulumi:s::p::pulumi-python:dynamic/coveo:Extension::c",
                "type": "pulumi-python:dynamic/coveo:Extension",
                "id": "org-1",
                "outputs": {**extension["outputs"], "api_key": secret},
            },
        ]
    }
    (found,) = managed_resources(deployment)
    assert (found["kind"], found["name"], found["outputs"]["api_key"]) == (COVEO_EXTENSION, "c", "key")
