"""CoveoExtensionProvider.delete against the emulator: gone counts as deleted; used by sources is refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pulumi_search_extensions.coveo.client import CoveoClient
from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider
from pulumi_search_extensions.coveo.extension_provider.errors import CoveoExtensionError
from support.calls import fault_rule
from support.remote import coveo_extensions

from ..helpers import checked

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

EXTENSION = "/rest/organizations/{organizationId}/extensions/{extensionId}"


def test_delete_removes_the_extension(provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle) -> None:
    created = provider.create(checked(provider))
    provider.delete(created.id, created.outs)
    assert coveo_extensions(clean_emulator) == []


def test_an_extension_already_gone_counts_as_deleted(provider: CoveoExtensionProvider, client: CoveoClient) -> None:
    created = provider.create(checked(provider))
    client.delete_extension(created.id)
    provider.delete(created.id, created.outs)


def test_a_delete_applied_but_unanswered_is_retried_and_finds_it_gone(
    provider: CoveoExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    created = provider.create(checked(provider))
    clean_emulator.admin.set_faults(fault_rule("DELETE", EXTENSION, faults={"fail_after_commit": 1.0}, max_faults=1))
    provider.delete(created.id, created.outs)
    assert coveo_extensions(clean_emulator) == []


def test_an_extension_used_by_sources_is_refused_naming_them(
    provider: CoveoExtensionProvider, client: CoveoClient, clean_emulator: EmulatorHandle
) -> None:
    created = provider.create(checked(provider))
    organization = clean_emulator.coveo_organization_id
    sources = [clean_emulator.admin.create_source(organization, name) for name in ("Docs", "Forum")]
    for source in sources:
        client.put_source_extensions(
            source["id"], {"common": {"preConversionExtensions": [{"extensionId": created.id}]}}
        )
    with pytest.raises(CoveoExtensionError) as caught:
        provider.delete(created.id, created.outs)
    message = str(caught.value)
    assert "Detach it" in message and "Docs" in message and "Forum" in message
    assert all(source["id"] in message for source in sources)
    assert len(coveo_extensions(clean_emulator)) == 1
