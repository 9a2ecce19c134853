"""ElasticExtensionProvider.create: with download_url or file_path, exactly one extension, nothing left behind."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pulumi_search_extensions._create import AmbiguousCreateError
from pulumi_search_extensions.elastic.client import ElasticClient, ExtensionRequest
from pulumi_search_extensions.elastic.extension_provider.errors import ElasticExtensionError
from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider
from pulumi_search_extensions.emulator import EmulatorHandle
from support.calls import fault_rule, vendor_calls
from support.files import make_zip
from support.providers import configured_provider, elastic_stack_config
from support.remote import elastic_extensions
from support.servers import serve_directory

from ..helpers import EXTENSION_ROUTE, EXTENSIONS_ROUTE, checked


def test_create_with_file_path_posts_then_uploads_and_records_the_file(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, zip_file: Path
) -> None:
    props = checked(provider, file_path=str(zip_file), description="Synonyms")

    result = provider.create(props)

    [stored] = elastic_extensions(clean_emulator)
    assert result.id == stored["id"]
    assert stored["file_sha256"] == hashlib.sha256(zip_file.read_bytes()).hexdigest()
    outs = result.outs or {}
    assert outs["extension_id"] == stored["id"] and outs["url"] == f"repo://{stored['id']}"
    assert outs["file_sha256"] == stored["file_sha256"]
    assert outs["file_size"] == zip_file.stat().st_size
    assert outs["file_last_modified"] == stored["file_metadata"]["last_modified_date"]
    assert outs["deployments"] == []
    assert (outs["name"], outs["description"], outs["endpoint"]) == ("synonyms", "Synonyms", clean_emulator.url)
    assert outs["api_key"] is None  # it came from stack config: never stored
    assert vendor_calls(clean_emulator, "/api/v1/")[f"POST {EXTENSIONS_ROUTE}"] == 1


def test_create_with_download_url_lets_the_service_fetch_the_file(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, zip_file: Path
) -> None:
    with serve_directory(zip_file.parent) as base_url:
        props = checked(provider, download_url=f"{base_url}/{zip_file.name}")
        result = provider.create(props)

    [stored] = elastic_extensions(clean_emulator)
    assert stored["download_url"] == f"{base_url}/{zip_file.name}"
    assert stored["file_sha256"] == hashlib.sha256(zip_file.read_bytes()).hexdigest()
    outs = result.outs or {}
    assert outs["file_size"] == zip_file.stat().st_size and outs["file_sha256"] is None
    assert f"PUT {EXTENSION_ROUTE}" not in vendor_calls(clean_emulator, "/api/v1/")


def test_an_unreachable_download_url_fails_with_the_service_error_and_creates_nothing(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    with serve_directory(tmp_path) as base_url:
        props = checked(provider, download_url=f"{base_url}/missing.zip")
        with pytest.raises(ElasticExtensionError) as raised:
            provider.create(props)

    assert raised.value.status == 400 and raised.value.code == "extensions.request_execution_failed"
    headline, fix = str(raised.value).split("\n")
    assert headline.startswith("Creating the Elastic extension failed: Elastic API error 400") and "404" in headline
    assert fix.startswith("download_url: Elastic could not fetch") and "file_path instead" in fix
    assert elastic_extensions(clean_emulator) == []


def test_a_failed_upload_deletes_the_extension_just_created(clean_emulator: EmulatorHandle, tmp_path: Path) -> None:
    # The emulator accepts 20 MB; the provider's limit is raised so the service refuses the file.
    big = make_zip(tmp_path / "big.zip", stored_bytes=21 * 1024 * 1024)
    provider = configured_provider(
        ElasticExtensionProvider, elastic_stack_config(clean_emulator, **{"ec:uploadLimitMb": "100"})
    )
    props = checked(provider, file_path=str(big))

    with pytest.raises(ElasticExtensionError) as raised:
        provider.create(props)

    assert raised.value.code == "extensions.request_execution_failed" and "upload limit" in str(raised.value)
    headline, fix = str(raised.value).split("\n")
    assert headline.startswith("Uploading the Elastic extension's file failed: Elastic API error 400")
    assert fix.startswith("file_path: the file is over this subscription's upload limit")
    assert "set download_url" in fix and "`ec:uploadLimitMb` (now 100 MB)" in fix
    assert elastic_extensions(clean_emulator) == []
    assert vendor_calls(clean_emulator, "/api/v1/")[f"DELETE {EXTENSION_ROUTE}"] == 1


def test_when_cleaning_up_fails_too_the_error_names_the_extension_left_behind(
    clean_emulator: EmulatorHandle, zip_file: Path
) -> None:
    provider = configured_provider(
        ElasticExtensionProvider, elastic_stack_config(clean_emulator, **{"ec:maxRetries": "0"})
    )
    props = checked(provider, file_path=str(zip_file))
    clean_emulator.admin.set_faults(
        {
            "rules": [
                {"method": "PUT", "route": EXTENSION_ROUTE, "faults": {"500": 1}},
                {"method": "DELETE", "route": EXTENSION_ROUTE, "faults": {"503": 1}},
            ]
        }
    )

    with pytest.raises(RuntimeError) as raised:
        provider.create(props)

    [left] = elastic_extensions(clean_emulator)
    message = str(raised.value)
    assert "500" in message and "Cleaning up also failed" in message
    assert f"{left['id']} was left behind" in message and f"adopt_id={left['id']!r}" in message


def test_a_create_applied_but_unanswered_is_adopted_not_repeated(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, zip_file: Path
) -> None:
    props = checked(provider, file_path=str(zip_file))
    clean_emulator.admin.set_faults(fault_rule("POST", EXTENSIONS_ROUTE, faults={"fail_after_commit": 1}, max_faults=1))

    result = provider.create(props)

    [stored] = elastic_extensions(clean_emulator)
    assert result.id == stored["id"] and stored["file_sha256"] is not None
    assert vendor_calls(clean_emulator, "/api/v1/")[f"POST {EXTENSIONS_ROUTE}"] == 1


def test_a_throttled_create_is_sent_again_after_the_wait(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    props = checked(provider)
    clean_emulator.admin.set_faults(
        fault_rule("POST", EXTENSIONS_ROUTE, faults={"429": 1}, max_faults=1, retry_after_s=0)
    )

    result = provider.create(props)

    assert [e["id"] for e in elastic_extensions(clean_emulator)] == [result.id]
    assert vendor_calls(clean_emulator, "/api/v1/")[f"POST {EXTENSIONS_ROUTE}"] == 2


def test_an_ambiguous_create_lists_the_candidates_and_how_to_adopt_one(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, client: ElasticClient
) -> None:
    props = checked(provider)
    twin = client.post_extension(ExtensionRequest("synonyms", "bundle", "8.*", ""))
    clean_emulator.admin.set_faults(fault_rule("POST", EXTENSIONS_ROUTE, faults={"fail_after_commit": 1}, max_faults=1))

    with pytest.raises(AmbiguousCreateError) as raised:
        provider.create(props)

    ids = [e["id"] for e in elastic_extensions(clean_emulator)]
    assert len(ids) == 2 and twin.id in ids
    assert all(extension_id in str(raised.value) for extension_id in ids)
    assert "adopt_id=<id>" in str(raised.value)


def test_wrong_credentials_give_one_clear_error_without_the_key(clean_emulator: EmulatorHandle) -> None:
    provider = configured_provider(
        ElasticExtensionProvider, {"ec:endpoint": clean_emulator.url, "ec:apikey": "wrong-key-123"}
    )
    props = checked(provider)

    with pytest.raises(ElasticExtensionError) as raised:
        provider.create(props)

    message = str(raised.value)
    assert "401" in message and "root.unauthorized" in message and "rejected the credentials" in message
    assert "ec:apikey" in message and "wrong-key-123" not in message
    assert vendor_calls(clean_emulator, "/api/v1/") == {f"POST {EXTENSIONS_ROUTE}": 1}


def test_adopt_takes_over_an_existing_extension_and_brings_it_to_the_declared_state(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, client: ElasticClient, zip_file: Path
) -> None:
    existing = client.post_extension(ExtensionRequest("old-name", "bundle", "7.*", "hand made"))
    props = checked(provider, adopt_id=existing.id, file_path=str(zip_file), description="managed")
    clean_emulator.admin.clear_requests()

    result = provider.create(props)

    assert result.id == existing.id
    [stored] = elastic_extensions(clean_emulator)
    assert (stored["name"], stored["version"], stored["description"]) == ("synonyms", "8.*", "managed")
    assert stored["file_sha256"] == hashlib.sha256(zip_file.read_bytes()).hexdigest()
    assert f"POST {EXTENSIONS_ROUTE}" not in vendor_calls(clean_emulator, "/api/v1/")


def test_adopt_refuses_a_missing_id_or_another_type(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, client: ElasticClient
) -> None:
    plugin = client.post_extension(ExtensionRequest("analyzer", "plugin", "8.11.3", ""))

    with pytest.raises(ElasticExtensionError, match="is a plugin, but extension_type is 'bundle'"):
        provider.create(checked(provider, adopt_id=plugin.id))
    with pytest.raises(ElasticExtensionError, match="1234567890 does not exist"):
        provider.create(checked(provider, adopt_id="1234567890"))
    assert [e["id"] for e in elastic_extensions(clean_emulator)] == [plugin.id]


def test_the_replacement_of_an_adopted_extension_is_a_new_extension_not_the_adopted_one_again(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, client: ElasticClient, tmp_path: Path
) -> None:
    existing = client.post_extension(ExtensionRequest("synonyms", "bundle", "8.*", ""))
    first = make_zip(tmp_path / "v1.zip", {"dictionaries/synonyms.txt": "laptop, notebook\n"})
    adopted = provider.create(checked(provider, adopt_id=existing.id, file_path=str(first), on_file_change="replace"))
    second = make_zip(tmp_path / "v2.zip", {"dictionaries/synonyms.txt": "laptop, notebook, portable\n"})
    news = checked(provider, adopt_id=existing.id, file_path=str(second), on_file_change="replace")

    # As the engine runs a replacement: diff, create the new one, delete the old one.
    assert provider.diff(existing.id, adopted.outs, news).replaces == ["file_sha256"]
    replacement = provider.create(news)
    provider.delete(existing.id, adopted.outs)

    assert replacement.id != existing.id
    [stored] = elastic_extensions(clean_emulator)
    assert (stored["id"], stored["file_sha256"]) == (replacement.id, hashlib.sha256(second.read_bytes()).hexdigest())
