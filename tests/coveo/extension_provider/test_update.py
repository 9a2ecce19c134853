"""CoveoExtensionProvider.update against the emulator: PUT the full model, then enable/disable and timeout."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pulumi_search_extensions.coveo.client import CoveoClient
from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider
from pulumi_search_extensions.coveo.extension_provider.errors import CoveoExtensionError
from support.calls import vendor_calls
from support.remote import coveo_extensions

from ..helpers import SCRIPT, checked

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

EXTENSION = "/rest/organizations/{organizationId}/extensions/{extensionId}"


def test_a_new_script_is_put_and_the_outputs_are_refreshed(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    created = provider.create(checked(provider))
    news = checked(provider, content="log('v2')\n", description="second", required_data_streams=["BODY_HTML"])
    updated = provider.update(created.id, created.outs, news)
    [stored] = coveo_extensions(clean_emulator)
    assert stored["content"] == "log('v2')\n"
    assert updated.outs["content_sha256"] == hashlib.sha256(b"log('v2')\n").hexdigest()
    assert stored["requiredDataStreams"] == ["BODY_HTML"] and updated.outs["description"] == "second"
    assert updated.outs["version_id"] != created.outs["version_id"] and updated.outs["extension_id"] == created.id
    assert vendor_calls(clean_emulator)[f"PUT {EXTENSION}"] == 1


def test_disabling_and_enabling_again(provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle) -> None:
    created = provider.create(checked(provider))
    disabled = provider.update(created.id, created.outs, checked(provider, enabled=False))
    assert disabled.outs["enabled"] is False and coveo_extensions(clean_emulator)[0]["enabled"] is False
    enabled = provider.update(created.id, disabled.outs, checked(provider))
    assert enabled.outs["enabled"] is True and coveo_extensions(clean_emulator)[0]["enabled"] is True


def test_a_new_timeout_alone_is_set_without_a_put(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    created = provider.create(checked(provider))
    clean_emulator.admin.clear_requests()
    updated = provider.update(created.id, created.outs, checked(provider, execution_timeout=20))
    assert updated.outs["execution_timeout"] == 20 and coveo_extensions(clean_emulator)[0]["timeout"] == 20
    assert f"PUT {EXTENSION}" not in vendor_calls(clean_emulator)


def test_an_extension_auto_disabled_is_enabled_again_by_the_next_update(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    inputs = checked(provider)
    created = provider.create(inputs)
    clean_emulator.admin.auto_disable(clean_emulator.coveo_organization_id, created.id)
    refreshed = provider.read(created.id, created.outs)
    updated = provider.update(created.id, refreshed.outs, inputs)
    assert updated.outs["enabled"] is True and coveo_extensions(clean_emulator)[0]["enabled"] is True


def test_updating_an_extension_deleted_behind_pulumi_says_to_refresh(
    provider: CoveoExtensionProvider, client: CoveoClient
) -> None:
    created = provider.create(checked(provider))
    client.delete_extension(created.id)
    with pytest.raises(CoveoExtensionError, match="pulumi refresh"):
        provider.update(created.id, created.outs, checked(provider, content="log('v2')\n"))


def test_an_edited_script_file_is_read_again_and_put(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    script = tmp_path / "cleaner.py"
    script.write_text(SCRIPT, encoding="utf-8")
    created = provider.create(provider.check({}, {"name": "cleaner", "script_path": str(script)}).inputs)
    script.write_text("log('v2')\n", encoding="utf-8")
    news = provider.check({}, {"name": "cleaner", "script_path": str(script)}).inputs
    assert provider.diff(created.id, created.outs, news).changes is True
    updated = provider.update(created.id, created.outs, news)
    assert coveo_extensions(clean_emulator)[0]["content"] == "log('v2')\n"
    assert updated.outs["content_sha256"] == news["content_sha256"] and "content" not in updated.outs
