"""ElasticExtensionProvider.diff: replacements, in-place updates, and no perpetual diffs."""

from __future__ import annotations

from typing import Any

from pulumi.output import Unknown

from pulumi_search_extensions._inputs import UNKNOWN
from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider

STORED: dict[str, Any] = {
    # Outputs as create stores them.
    "name": "synonyms",
    "extension_type": "bundle",
    "version": "8.*",
    "description": "",
    "download_url": None,
    "file_path": "/data/synonyms.zip",
    "file_sha256": "aa" * 32,
    "adopt_id": None,
    "endpoint": "https://api.elastic-cloud.com",
    "api_key": None,
    "username": None,
    "password": None,
    "insecure": None,
    "extension_id": "4226448541",
    "url": "repo://4226448541",
    "file_size": 1234,
    "file_last_modified": "2026-01-01T00:00:00.000Z",
    "deployments": [],
    "__provider": "serialized",
}


def _diff(**changes: Any) -> tuple[bool | None, list[str]]:
    news = {key: value for key, value in STORED.items() if key not in ("extension_id", "url", "deployments")}
    news.update(changes)
    result = ElasticExtensionProvider().diff("4226448541", STORED, news)
    return result.changes, list(result.replaces or [])


def test_same_inputs_show_no_change_whatever_the_outputs_only_fields_hold() -> None:
    assert _diff() == (False, [])
    assert _diff(__provider="serialized-differently") == (False, [])


def test_equivalent_empty_values_are_not_changes() -> None:
    assert _diff(description=None) == (False, [])
    assert _diff(download_url="") == (False, [])
    assert _diff(insecure=False) == (False, [])


def test_a_changed_type_or_endpoint_replaces() -> None:
    assert _diff(extension_type="plugin", version="8.11.3") == (True, ["extension_type"])
    assert _diff(endpoint="https://ece.example.com:12443") == (True, ["endpoint"])


def test_metadata_file_and_credential_changes_update_in_place() -> None:
    for change in (
        {"name": "synonyms-v2"},
        {"version": "8.11.*"},
        {"description": "new"},
        {"file_sha256": "bb" * 32},
        {"download_url": "https://files.example.com/b.zip", "file_path": None, "file_sha256": None},
        {"api_key": "rotated"},
        {"insecure": True},
    ):
        assert _diff(**change) == (True, []), change


def test_adopt_id_only_matters_at_creation() -> None:
    assert _diff(adopt_id="4226448541") == (False, [])


def test_unknown_values_at_preview_show_as_changes() -> None:
    for unknown in (Unknown(), UNKNOWN):
        assert _diff(file_sha256=unknown) == (True, [])
        assert _diff(insecure=unknown) == (True, [])
        assert _diff(endpoint=unknown) == (True, ["endpoint"])
        insecure_before = {**STORED, "insecure": True}
        assert ElasticExtensionProvider().diff("4226448541", insecure_before, {**STORED, "insecure": unknown}).changes


def test_the_path_is_never_compared_only_the_files_bytes() -> None:
    # Another clone, a moved file, a state written by an earlier version (absolute path): same bytes, no change.
    assert _diff(file_path="assets/synonyms.zip") == (False, [])
    assert _diff(file_path="/builds/infra/assets/synonyms.zip") == (False, [])
    assert _diff(file_path="elsewhere/renamed.zip", file_sha256="bb" * 32) == (True, [])


def test_with_on_file_change_replace_a_changed_file_is_a_new_extension_created_before_the_old_is_deleted() -> None:
    stored = {**STORED, "on_file_change": "replace"}
    news = {key: value for key, value in stored.items() if key not in ("extension_id", "url", "deployments")}

    def diff(**changes: Any) -> Any:
        return ElasticExtensionProvider().diff("4226448541", stored, {**news, **changes})

    new_file = diff(file_sha256="bb" * 32)
    assert (new_file.changes, new_file.replaces, new_file.delete_before_replace) == (True, ["file_sha256"], False)
    new_url = diff(file_path=None, file_sha256=None, download_url="https://files.example.com/v2.zip")
    assert "download_url" in (new_url.replaces or [])
    # Only the file: new metadata is still updated in place, and the same bytes at another path (another
    # clone, a moved file) are no change at all: what is compared is the file's hash, never its path.
    assert diff(description="new").replaces == []
    moved = diff(file_path="/elsewhere/synonyms.zip")
    assert (moved.changes, moved.replaces) == (False, [])
    assert (diff().changes, diff().replaces) == (False, [])


def test_by_default_and_with_update_a_changed_file_is_uploaded_in_place() -> None:
    assert _diff(file_sha256="bb" * 32) == (True, [])
    assert _diff(file_sha256="bb" * 32, on_file_change="update") == (True, [])
    assert _diff(on_file_change="replace") == (False, [])  # choosing the way changes nothing by itself
