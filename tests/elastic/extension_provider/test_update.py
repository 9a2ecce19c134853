"""ElasticExtensionProvider.update: full metadata POST, re-upload only when the file changed."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from pulumi_search_extensions.elastic.client import ElasticClient
from pulumi_search_extensions.elastic.extension_provider.errors import ElasticExtensionError
from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider
from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import vendor_calls
from support.files import make_zip
from support.remote import elastic_extensions
from support.servers import serve_directory

from ..helpers import EXTENSION_ROUTE, checked


def _created(provider: ElasticExtensionProvider, **inputs: Any) -> tuple[str, dict[str, Any]]:
    result = provider.create(checked(provider, **inputs))
    return result.id, dict(result.outs or {})


def test_changed_metadata_is_posted_without_uploading_the_unchanged_file(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, zip_file: Path
) -> None:
    extension_id, outs = _created(provider, file_path=str(zip_file))
    clean_emulator.admin.clear_requests()
    news = checked(provider, file_path=str(zip_file), name="synonyms-v2", version="8.11.*", description="new")

    result = provider.update(extension_id, outs, news)

    [stored] = elastic_extensions(clean_emulator)
    assert (stored["name"], stored["version"], stored["description"]) == ("synonyms-v2", "8.11.*", "new")
    counts = vendor_calls(clean_emulator, "/api/v1/")
    assert counts[f"POST {EXTENSION_ROUTE}"] == 1 and f"PUT {EXTENSION_ROUTE}" not in counts
    assert (result.outs or {})["name"] == "synonyms-v2"
    assert provider.diff(extension_id, result.outs or {}, news).changes is False


def test_a_changed_file_is_uploaded_again_without_posting_unchanged_metadata(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, zip_file: Path
) -> None:
    extension_id, outs = _created(provider, file_path=str(zip_file))
    make_zip(zip_file, {"dictionaries/synonyms.txt": "laptop, notebook, portable\n"})
    news = checked(provider, file_path=str(zip_file))
    assert provider.diff(extension_id, outs, news).changes is True
    clean_emulator.admin.clear_requests()

    result = provider.update(extension_id, outs, news)

    [stored] = elastic_extensions(clean_emulator)
    assert stored["file_sha256"] == hashlib.sha256(zip_file.read_bytes()).hexdigest()
    counts = vendor_calls(clean_emulator, "/api/v1/")
    assert counts[f"PUT {EXTENSION_ROUTE}"] == 1 and f"POST {EXTENSION_ROUTE}" not in counts
    assert (result.outs or {})["file_size"] == zip_file.stat().st_size


def test_a_drifted_file_is_repaired_by_the_next_update(
    provider: ElasticExtensionProvider,
    clean_emulator: EmulatorHandle,
    client: ElasticClient,
    zip_file: Path,
    tmp_path: Path,
) -> None:
    extension_id, outs = _created(provider, file_path=str(zip_file))
    client.put_extension_file(extension_id, make_zip(tmp_path / "other.zip", {"other.txt": "z" * 700}))
    refreshed = provider.read(extension_id, outs).outs or {}
    news = checked(provider, file_path=str(zip_file))

    result = provider.update(extension_id, refreshed, news)

    [stored] = elastic_extensions(clean_emulator)
    assert stored["file_sha256"] == hashlib.sha256(zip_file.read_bytes()).hexdigest()
    assert provider.read(extension_id, result.outs or {}).outs == result.outs


def test_a_drifted_download_is_repaired_by_fetching_it_again(
    provider: ElasticExtensionProvider,
    clean_emulator: EmulatorHandle,
    client: ElasticClient,
    zip_file: Path,
    tmp_path: Path,
) -> None:
    with serve_directory(zip_file.parent) as base_url:
        url = f"{base_url}/{zip_file.name}"
        extension_id, outs = _created(provider, download_url=url)
        client.put_extension_file(extension_id, make_zip(tmp_path / "other.zip", {"other.txt": "w" * 800}))
        refreshed = provider.read(extension_id, outs).outs or {}

        provider.update(extension_id, refreshed, checked(provider, download_url=url))

    [stored] = elastic_extensions(clean_emulator)
    assert stored["file_sha256"] == hashlib.sha256(zip_file.read_bytes()).hexdigest()


def test_a_credentials_only_change_is_recorded_without_writing(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    extension_id, outs = _created(provider)
    clean_emulator.admin.clear_requests()
    news = checked(provider, api_key=clean_emulator.elastic_api_key)

    result = provider.update(extension_id, outs, news)

    assert (result.outs or {})["api_key"] == clean_emulator.elastic_api_key  # a (secret) input, so kept
    assert set(vendor_calls(clean_emulator, "/api/v1/")) == {f"GET {EXTENSION_ROUTE}"}


def test_update_of_an_extension_deleted_meanwhile_says_to_refresh(
    provider: ElasticExtensionProvider, client: ElasticClient
) -> None:
    extension_id, outs = _created(provider)
    client.delete_extension(extension_id)

    with pytest.raises(ElasticExtensionError, match=f"{extension_id} no longer exists: run `pulumi refresh`"):
        provider.update(extension_id, outs, checked(provider, description="changed"))
