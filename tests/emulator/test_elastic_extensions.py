"""The emulated Elastic extensions API: list, create, get, update and delete, with the service's rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema.exceptions import ValidationError

from pulumi_search_extensions.emulator import EmulatorHandle

from .elastic_api import ElasticApi, error_codes, validate_extension_body
from .spec_validation import validate_elastic


@pytest.fixture
def elastic(emulator: EmulatorHandle) -> Iterator[ElasticApi]:
    """The extensions API with the emulator's API key."""
    with ElasticApi(emulator.url, api_key=emulator.elastic_api_key) as api:
        yield api


def test_list_is_empty_on_a_fresh_emulator(elastic: ElasticApi) -> None:
    response = elastic.call("GET", expect=200, definition="Extensions")
    assert response.json() == {"extensions": []}


def test_create_answers_201_with_a_ten_digit_id_and_a_repo_url(elastic: ElasticApi) -> None:
    created = elastic.create(name="icu_synonyms-1.0", description="Synonyms", version="8.*")

    assert len(created["id"]) == 10 and created["id"].isdigit()
    assert created["url"] == f"repo://{created['id']}"
    assert created["name"] == "icu_synonyms-1.0"
    assert created["description"] == "Synonyms"
    assert created["extension_type"] == "bundle"
    assert created["version"] == "8.*"
    assert "file_metadata" not in created  # no file until one is uploaded


def test_created_extensions_are_listed_in_creation_order_with_distinct_ids(elastic: ElasticApi) -> None:
    ids = [elastic.create(name=f"bundle-{n}")["id"] for n in range(5)]

    listed = elastic.call("GET", expect=200, definition="Extensions").json()["extensions"]

    assert [item["id"] for item in listed] == ids
    assert len(set(ids)) == 5


def test_get_returns_the_created_extension(elastic: ElasticApi) -> None:
    created = elastic.create(extension_type="plugin", version="8.11.3", name="my-plugin")

    fetched = elastic.call("GET", f"/{created['id']}", expect=200, definition="Extension").json()

    assert fetched == created


def test_description_is_absent_when_never_given(elastic: ElasticApi) -> None:
    assert "description" not in elastic.create()


def test_unset_download_url_and_unrequested_deployments_are_json_null_although_the_spec_types_them(
    elastic: ElasticApi,
) -> None:
    # The reference: "Real responses can carry JSON null for download_url, url and deployments".
    # The spec types download_url as a string and deployments as an array, so a client must accept
    # both; the emulator sends the nulls so that clients meet them offline.
    created = elastic.create()

    assert created["download_url"] is None
    assert created["deployments"] is None
    with pytest.raises(ValidationError):
        validate_elastic("Extension", created)
    validate_extension_body("Extension", created)  # everything else follows the spec


def test_every_success_carries_the_resource_headers(elastic: ElasticApi) -> None:
    # ElasticApi.call checks the three x-cloud-resource-* headers on every 2xx; here their meaning.
    created = elastic.call(
        "POST", json={"name": "a", "extension_type": "bundle", "version": "*"}, expect=201, definition="Extension"
    )
    extension_id = created.json()["id"]
    assert created.headers["x-cloud-resource-version"] == "1"
    assert created.headers["x-cloud-resource-created"] == created.headers["x-cloud-resource-last-modified"]

    updated = elastic.call(
        "POST",
        f"/{extension_id}",
        json={"name": "b", "extension_type": "bundle", "version": "*"},
        expect=200,
        definition="Extension",
    )
    assert updated.headers["x-cloud-resource-version"] == "2"
    assert updated.headers["x-cloud-resource-created"] == created.headers["x-cloud-resource-created"]
    assert updated.headers["x-cloud-resource-last-modified"] >= created.headers["x-cloud-resource-last-modified"]

    fetched = elastic.call("GET", f"/{extension_id}", expect=200, definition="Extension")
    assert fetched.headers["x-cloud-resource-version"] == "2"


def test_update_is_a_full_replace_that_keeps_the_id(elastic: ElasticApi) -> None:
    created = elastic.create(name="first", description="to be dropped", version="8.*")

    body = {"name": "second", "extension_type": "bundle", "version": "8.11.*"}
    updated = elastic.call("POST", f"/{created['id']}", json=body, expect=200, definition="Extension").json()

    assert updated["id"] == created["id"]
    assert updated["url"] == created["url"]
    assert (updated["name"], updated["version"]) == ("second", "8.11.*")
    assert "description" not in updated  # omitted from the replacement, so gone
    fetched = elastic.call("GET", f"/{created['id']}", expect=200, definition="Extension").json()
    assert fetched == updated


def test_update_silently_ignores_a_change_of_extension_type(elastic: ElasticApi) -> None:
    # The reference: "changing it in an update has no effect"; no error either.  The version is
    # checked against the stored type, so a bundle keeps accepting wildcards.
    created = elastic.create(extension_type="bundle", version="8.*")

    body = {"name": "still-a-bundle", "extension_type": "plugin", "version": "7.*"}
    updated = elastic.call("POST", f"/{created['id']}", json=body, expect=200, definition="Extension").json()

    assert updated["extension_type"] == "bundle"
    assert updated["version"] == "7.*"


def test_update_of_a_plugin_still_needs_an_exact_version(elastic: ElasticApi) -> None:
    created = elastic.create(extension_type="plugin", version="8.11.3")

    body = {"name": "p", "extension_type": "plugin", "version": "8.*"}
    response = elastic.call("POST", f"/{created['id']}", json=body, expect=400)

    assert error_codes(response) == ["extensions.invalid_version"]


def test_update_validates_its_body_like_create(elastic: ElasticApi) -> None:
    created = elastic.create()

    response = elastic.call("POST", f"/{created['id']}", json={"name": "bad name"}, expect=400)

    assert error_codes(response) == [
        "root.invalid_json_request",
        "root.invalid_json_request",
        "extensions.invalid_name",
    ]
    assert elastic.call("GET", f"/{created['id']}", expect=200, definition="Extension").json() == created


def test_delete_answers_200_with_an_empty_object_and_the_extension_is_gone(elastic: ElasticApi) -> None:
    created = elastic.create()

    deleted = elastic.call("DELETE", f"/{created['id']}", expect=200, definition="EmptyResponse")

    assert deleted.json() == {}
    assert elastic.call("GET", expect=200, definition="Extensions").json() == {"extensions": []}


def _fields_of(response_body: dict[str, Any]) -> list[list[str]]:
    return [error.get("fields", []) for error in response_body["errors"]]


def test_create_reports_every_missing_required_field_at_once(elastic: ElasticApi) -> None:
    response = elastic.call("POST", json={"description": "nothing else"}, expect=400)

    assert error_codes(response) == ["root.invalid_json_request"] * 3
    assert _fields_of(response.json()) == [["name"], ["extension_type"], ["version"]]
    assert response.headers["x-cloud-error-codes"] == "root.invalid_json_request"


@pytest.mark.parametrize("name", ["my extension", "synonyms/v2", "größe", "", "semi;colon"])
def test_create_refuses_a_name_outside_ascii_letters_digits_and_underscore_dot_dash(
    elastic: ElasticApi, name: str
) -> None:
    response = elastic.call("POST", json={"name": name, "extension_type": "bundle", "version": "*"}, expect=400)

    assert error_codes(response) == ["extensions.invalid_name"]
    assert _fields_of(response.json()) == [["name"]]


def test_create_accepts_every_allowed_name_character(elastic: ElasticApi) -> None:
    assert elastic.create(name="Az09_.-")["name"] == "Az09_.-"


def test_create_refuses_an_unknown_extension_type(elastic: ElasticApi) -> None:
    response = elastic.call("POST", json={"name": "a", "extension_type": "script", "version": "*"}, expect=400)

    assert error_codes(response) == ["root.invalid_json_request"]
    assert _fields_of(response.json()) == [["extension_type"]]


@pytest.mark.parametrize("version", ["8.*", "*", "8", "8.11", "v8.11.3", "8.11.3-SNAPSHOT"])
def test_a_plugin_needs_an_exact_elasticsearch_version(elastic: ElasticApi, version: str) -> None:
    body = {"name": "p", "extension_type": "plugin", "version": version}
    response = elastic.call("POST", json=body, expect=400)

    assert error_codes(response) == ["extensions.invalid_version"]
    assert _fields_of(response.json()) == [["version"]]


@pytest.mark.parametrize("version", ["*", "8.*", "8.11.*", "8.11.3"])
def test_a_bundle_accepts_wildcard_and_exact_versions(elastic: ElasticApi, version: str) -> None:
    assert elastic.create(extension_type="bundle", version=version)["version"] == version


@pytest.mark.parametrize("version", ["latest", "8.x", "8.*.*", "*.11", ""])
def test_a_bundle_refuses_versions_that_are_not_elasticsearch_versions(elastic: ElasticApi, version: str) -> None:
    response = elastic.call("POST", json={"name": "b", "extension_type": "bundle", "version": version}, expect=400)

    assert error_codes(response) == ["extensions.invalid_version"]


@pytest.mark.parametrize(
    "download_url", ["ftp://example.org/x.zip", "file:///tmp/x.zip", "example.org/x.zip", "http://"]
)
def test_create_refuses_a_download_url_that_is_not_http_or_https(elastic: ElasticApi, download_url: str) -> None:
    body = {"name": "b", "extension_type": "bundle", "version": "*", "download_url": download_url}
    response = elastic.call("POST", json=body, expect=400)

    assert error_codes(response) == ["extensions.invalid_download_url"]
    assert _fields_of(response.json()) == [["download_url"]]


def test_create_reports_all_value_problems_together(elastic: ElasticApi) -> None:
    body = {"name": "bad name", "extension_type": "plugin", "version": "8.*", "download_url": "ftp://x/y"}
    response = elastic.call("POST", json=body, expect=400)

    assert error_codes(response) == [
        "extensions.invalid_name",
        "extensions.invalid_version",
        "extensions.invalid_download_url",
    ]
    assert response.headers["x-cloud-error-codes"] == (
        "extensions.invalid_name,extensions.invalid_version,extensions.invalid_download_url"
    )


def test_create_refuses_fields_of_the_wrong_json_type(elastic: ElasticApi) -> None:
    body = {"name": 7, "extension_type": "bundle", "version": "*", "description": ["no"]}
    response = elastic.call("POST", json=body, expect=400)

    assert error_codes(response) == ["root.invalid_json_request", "root.invalid_json_request"]
    assert _fields_of(response.json()) == [["name"], ["description"]]


@pytest.mark.parametrize("raw_body", [b"{not json", b"", b'["name"]', b"\xff\xfe"])
def test_create_refuses_a_body_that_is_not_a_json_object(elastic: ElasticApi, raw_body: bytes) -> None:
    response = elastic.call("POST", data=raw_body, headers={"Content-Type": "application/json"}, expect=400)

    assert error_codes(response) == ["root.invalid_json_request"]


def test_nothing_is_created_by_a_refused_request(elastic: ElasticApi) -> None:
    elastic.call("POST", json={"name": "bad name", "extension_type": "bundle", "version": "*"}, expect=400)

    assert elastic.call("GET", expect=200, definition="Extensions").json() == {"extensions": []}


def test_include_deployments_must_be_a_boolean(elastic: ElasticApi) -> None:
    created = elastic.create()

    response = elastic.call("GET", f"/{created['id']}", params={"include_deployments": "yes"}, expect=400)

    assert error_codes(response) == ["root.invalid_data"]


def test_dump_shows_each_extension_with_its_file_hash(elastic: ElasticApi, emulator: EmulatorHandle) -> None:
    created = elastic.create(description="d")

    dumped = emulator.admin.dump()["elastic"]

    # The dump always lists deployments, and adds the file's hash (None: no file yet).
    assert dumped == {"extensions": [{**created, "deployments": [], "file_sha256": None}], "deployments": []}
    validate_extension_body("Extension", dumped["extensions"][0])
