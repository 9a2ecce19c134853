"""What only the Elastic tests need: a client of the emulator, valid inputs.

The shared scaffolding (configured providers, stack config, call counts, fault rules, a file server) is in
`tests/support`.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import ResourceProvider

from pulumi_search_extensions._http import HttpSettings
from pulumi_search_extensions.elastic.client import ElasticClient
from pulumi_search_extensions.emulator import EmulatorHandle
from support import providers

EXTENSIONS_ROUTE = "/api/v1/deployments/extensions"
EXTENSION_ROUTE = "/api/v1/deployments/extensions/{extension_id}"


def emulator_client(emulator: EmulatorHandle, **settings: Any) -> ElasticClient:
    """A client of the emulator's Elastic API, for arranging and inspecting state behind the provider."""
    return ElasticClient(emulator.url, f"ApiKey {emulator.elastic_api_key}", HttpSettings(**settings))


def checked(provider: ResourceProvider, **inputs: Any) -> dict[str, Any]:
    """The checked inputs of a bundle `synonyms` (overridden by `inputs`), asserting check passes."""
    news: dict[str, Any] = {"name": "synonyms", "extension_type": "bundle", "version": "8.*", "description": ""}
    return providers.checked(provider, {**news, **inputs})
