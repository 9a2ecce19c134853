"""CoveoExtensionProvider.read against the emulator: drift shows in the inputs, 404 means gone."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from pulumi_search_extensions.coveo.client import CoveoClient
from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider
from support.providers import configured_provider, coveo_stack_config

from ..helpers import SCRIPT, checked

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


def test_a_refresh_of_an_unchanged_extension_then_a_diff_shows_no_change(provider: CoveoExtensionProvider) -> None:
    inputs = checked(provider, required_data_streams=["THUMBNAIL", "BODY_HTML"], execution_timeout=8.0)
    created = provider.create(inputs)
    refreshed = provider.read(created.id, created.outs)
    assert refreshed.id == created.id and refreshed.outs == created.outs
    assert refreshed.inputs is not None
    assert refreshed.inputs == inputs
    assert provider.diff(created.id, refreshed.outs, inputs).changes is False


def test_a_script_edited_in_the_console_shows_as_drift(provider: CoveoExtensionProvider, client: CoveoClient) -> None:
    inputs = checked(provider)
    created = provider.create(inputs)
    client.put_extension(created.id, {"name": "cleaner", "content": "log('edited in the console')\n"})
    refreshed = provider.read(created.id, created.outs)
    assert refreshed.inputs is not None and refreshed.inputs["content"] == "log('edited in the console')\n"
    assert refreshed.outs["version_id"] != created.outs["version_id"]
    assert refreshed.outs["content_sha256"] == hashlib.sha256(b"log('edited in the console')\n").hexdigest()
    diff = provider.diff(created.id, refreshed.outs, inputs)
    assert diff.changes is True and not diff.replaces


def test_an_extension_the_service_disabled_shows_as_drift(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    inputs = checked(provider)
    created = provider.create(inputs)
    clean_emulator.admin.auto_disable(clean_emulator.coveo_organization_id, created.id)
    refreshed = provider.read(created.id, created.outs)
    assert refreshed.inputs is not None and refreshed.inputs["enabled"] is False
    assert refreshed.outs["status"]["timeout_health"]["health_indicator"] == "PROBLEMATIC"
    assert provider.diff(created.id, refreshed.outs, inputs).changes is True


def test_read_keeps_the_connection_inputs_as_they_were(clean_emulator: EmulatorHandle) -> None:
    config = coveo_stack_config(clean_emulator)
    del config["coveo:apiKey"]
    provider = configured_provider(CoveoExtensionProvider, config)
    inputs = checked(provider, api_key=clean_emulator.coveo_api_key)
    created = provider.create(inputs)
    refreshed = provider.read(created.id, created.outs)
    assert refreshed.inputs is not None
    for key in ("organization_id", "host", "api_key"):
        assert refreshed.inputs[key] == inputs[key] == refreshed.outs[key]


def test_an_extension_deleted_behind_pulumi_reads_as_gone(
    provider: CoveoExtensionProvider, client: CoveoClient
) -> None:
    created = provider.create(checked(provider))
    client.delete_extension(created.id)
    gone = provider.read(created.id, created.outs)
    assert gone.id == "" and gone.outs == {}


def test_used_by_lists_the_sources_applying_the_extension(
    provider: CoveoExtensionProvider, client: CoveoClient, clean_emulator: EmulatorHandle
) -> None:
    created = provider.create(checked(provider))
    source = clean_emulator.admin.create_source(clean_emulator.coveo_organization_id, "Docs")
    client.put_source_extensions(source["id"], {"common": {"postConversionExtensions": [{"extensionId": created.id}]}})
    refreshed = provider.read(created.id, created.outs)
    assert refreshed.outs["used_by"] == [{"source_id": source["id"], "source_name": "Docs"}]
    assert refreshed.outs["content_sha256"] == hashlib.sha256(SCRIPT.encode()).hexdigest()
    assert provider.diff(created.id, refreshed.outs, checked(provider)).changes is False


def test_a_script_file_edited_in_the_console_shows_as_drift_without_its_text_in_the_state(
    provider: CoveoExtensionProvider, client: CoveoClient, tmp_path: Path
) -> None:
    script = tmp_path / "cleaner.py"
    script.write_text(SCRIPT, encoding="utf-8")
    inputs = provider.check({}, {"name": "cleaner", "script_path": str(script)}).inputs
    created = provider.create(inputs)
    assert provider.read(created.id, created.outs).inputs == inputs  # unchanged: no drift
    client.put_extension(created.id, {"name": "cleaner", "content": "log('edited in the console')\n"})
    refreshed = provider.read(created.id, created.outs)
    assert refreshed.inputs is not None and "content" not in refreshed.inputs and "content" not in refreshed.outs
    assert refreshed.inputs["script_path"] == str(script)
    assert refreshed.inputs["content_sha256"] == hashlib.sha256(b"log('edited in the console')\n").hexdigest()
    diff = provider.diff(created.id, refreshed.outs, inputs)
    assert diff.changes is True and not diff.replaces
