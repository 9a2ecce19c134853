"""ElasticExtensionProvider.delete: gone counts as deleted; an extension in use gets an explanation."""

from __future__ import annotations

import pytest

from pulumi_search_extensions.elastic.client import ElasticClient
from pulumi_search_extensions.elastic.extension_provider.errors import ElasticExtensionError
from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider
from pulumi_search_extensions.emulator import EmulatorHandle
from support.providers import configured_provider
from support.remote import elastic_extensions

from ..helpers import checked


def test_delete_removes_the_extension_and_a_second_delete_counts_as_done(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    created = provider.create(checked(provider))
    outs = dict(created.outs or {})

    provider.delete(created.id, outs)
    provider.delete(created.id, outs)

    assert elastic_extensions(clean_emulator) == []


def test_an_extension_in_use_is_not_deleted_and_the_error_names_the_deployments_and_the_way_out(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle
) -> None:
    created = provider.create(checked(provider))
    deployment = clean_emulator.admin.create_deployment("search-prod", [created.id])

    with pytest.raises(ElasticExtensionError) as raised:
        provider.delete(created.id, dict(created.outs or {}))

    message = str(raised.value)
    assert "search-prod" in message and deployment["id"] in message
    assert "remove it from those deployments' plans" in message and "pulumi state delete" in message
    assert len(elastic_extensions(clean_emulator)) == 1


def test_delete_uses_the_stored_endpoint_and_credential_argument(
    provider: ElasticExtensionProvider, clean_emulator: EmulatorHandle, client: ElasticClient
) -> None:
    created = provider.create(checked(provider, api_key=clean_emulator.elastic_api_key))
    # The stack config now has no key and another endpoint: the stored outputs must be enough.
    reconfigured = configured_provider(ElasticExtensionProvider, {"ec:endpoint": "https://api.elastic-cloud.com"})

    reconfigured.delete(created.id, dict(created.outs or {}))

    assert client.list_extensions() == []
