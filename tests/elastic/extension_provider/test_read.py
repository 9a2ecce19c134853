"""ElasticExtensionProvider.read: refresh sees drift in metadata and file, and knows when it is gone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pulumi_search_extensions.elastic.client import ElasticClient, ExtensionRequest
from pulumi_search_extensions.elastic.extension_provider.errors import ElasticExtensionError
from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider
from pulumi_search_extensions.emulator import EmulatorHandle, run_emulator
from support.files import make_zip
from support.providers import configured_provider
from support.servers import serve_directory

from ..helpers import checked


def _created(provider: ElasticExtensionProvider, **inputs: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    props = checked(provider, **inputs)
    result = provider.create(props)
    return result.id, props, dict(result.outs or {})


def test_read_of_an_unchanged_extension_reports_what_was_stored(
    provider: ElasticExtensionProvider, zip_file: Path
) -> None:
    extension_id, props, outs = _created(provider, file_path=str(zip_file))

    result = provider.read(extension_id, outs)

    assert result.id == extension_id
    assert result.outs == outs
    assert provider.diff(extension_id, result.outs or {}, props).changes is False


def test_metadata_changed_behind_pulumis_back_shows_as_a_planned_update(
    provider: ElasticExtensionProvider, client: ElasticClient, zip_file: Path
) -> None:
    extension_id, props, outs = _created(provider, file_path=str(zip_file))
    client.post_extension_metadata(extension_id, ExtensionRequest("renamed", "bundle", "7.*", "edited", None))

    result = provider.read(extension_id, outs)

    refreshed = result.outs or {}
    assert (refreshed["name"], refreshed["version"], refreshed["description"]) == ("renamed", "7.*", "edited")
    assert (result.inputs or {})["name"] == "renamed"
    assert provider.diff(extension_id, refreshed, props).changes is True


def test_a_file_replaced_behind_pulumis_back_is_marked_so_the_next_preview_reuploads(
    provider: ElasticExtensionProvider, client: ElasticClient, zip_file: Path, tmp_path: Path
) -> None:
    extension_id, props, outs = _created(provider, file_path=str(zip_file))
    client.put_extension_file(extension_id, make_zip(tmp_path / "other.zip", {"other.txt": "x" * 500}))

    first = provider.read(extension_id, outs).outs or {}
    second = provider.read(extension_id, first).outs or {}

    assert str(first["file_sha256"]).startswith("drifted:")
    assert second["file_sha256"] == first["file_sha256"]  # stays marked until the next up
    assert first["file_size"] != outs["file_size"]
    diff = provider.diff(extension_id, second, props)
    assert diff.changes is True and not diff.replaces


def test_a_file_changed_behind_pulumis_back_is_detected_with_download_url_too(
    provider: ElasticExtensionProvider, client: ElasticClient, zip_file: Path, tmp_path: Path
) -> None:
    with serve_directory(zip_file.parent) as base_url:
        extension_id, props, outs = _created(provider, download_url=f"{base_url}/{zip_file.name}")
    client.put_extension_file(extension_id, make_zip(tmp_path / "other.zip", {"other.txt": "y" * 900}))

    refreshed = provider.read(extension_id, outs).outs or {}

    assert str(refreshed["file_sha256"]).startswith("drifted:")
    assert provider.diff(extension_id, refreshed, props).changes is True


def test_an_extension_deleted_behind_pulumis_back_is_gone_on_elastic_cloud_403(
    provider: ElasticExtensionProvider, client: ElasticClient
) -> None:
    extension_id, _, outs = _created(provider)
    client.delete_extension(extension_id)

    result = provider.read(extension_id, outs)

    assert result.id == ""


def test_on_ece_a_404_means_gone_and_basic_auth_works(zip_file: Path) -> None:
    with run_emulator(elastic_mode="ece") as ece:
        provider = configured_provider(
            ElasticExtensionProvider,
            {"ec:endpoint": ece.url, "ec:username": ece.elastic_username, "ec:password": ece.elastic_password},
        )
        extension_id, _, outs = _created(provider, file_path=str(zip_file))
        assert provider.read(extension_id, outs).id == extension_id
        provider.delete(extension_id, outs)

        assert provider.read(extension_id, outs).id == ""


def test_read_with_rejected_credentials_fails_instead_of_forgetting_the_extension(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    extension_id, _, outs = _created(provider)

    with pytest.raises(ElasticExtensionError, match="rejected the credentials"):
        provider.read(extension_id, {**outs, "api_key": "revoked-key"})
