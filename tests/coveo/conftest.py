"""Fixtures of the Coveo tests: a clean connection environment and a provider configured for the emulator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_search_extensions.coveo.client import CoveoClient
from pulumi_search_extensions.coveo.connection import CoveoConnection
from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle

SCRIPT = "document.add_meta_data({'cleaned': True})\n"


def configured_provider(config: Mapping[str, Any]) -> CoveoExtensionProvider:
    """A provider whose `configure()` received this stack config, the way the engine calls it."""
    provider = CoveoExtensionProvider()
    provider.configure(ConfigureRequest(Config(dict(config), "proj")))
    return provider


def emulator_config(emulator: EmulatorHandle, **extra: Any) -> dict[str, Any]:
    """Stack config pointing at the emulator's main organization."""
    return {
        "coveo:host": emulator.url,
        "coveo:organizationId": emulator.coveo_organization_id,
        "coveo:apiKey": emulator.coveo_api_key,
        "coveo:retryBudget": "20",
        **extra,
    }


@pytest.fixture
def provider(clean_emulator: EmulatorHandle) -> CoveoExtensionProvider:
    """A provider configured (stack config) for the emulator, which starts empty."""
    return configured_provider(emulator_config(clean_emulator))


@pytest.fixture
def client(clean_emulator: EmulatorHandle) -> CoveoClient:
    """A client of the emulator's main organization (to prepare or inspect state behind the provider's back)."""
    return CoveoClient(
        CoveoConnection(clean_emulator.coveo_organization_id, clean_emulator.url, clean_emulator.coveo_api_key)
    )


def checked(provider: CoveoExtensionProvider, **inputs: Any) -> dict[str, Any]:
    """The checked inputs of a valid program (fails the test on any check failure)."""
    result = provider.check({}, {"name": "cleaner", "content": SCRIPT, **inputs})
    assert result.failures == [], [f.reason for f in result.failures]
    return result.inputs


def vendor_calls(emulator: EmulatorHandle) -> dict[str, int]:
    """Counts of the vendor API calls the emulator received, by `METHOD route template`."""
    counts: dict[str, int] = emulator.admin.requests()["counts"]
    return counts


def stored_extensions(emulator: EmulatorHandle, organization_id: str | None = None) -> list[dict[str, Any]]:
    """The extensions the emulator holds for an organization (main one by default)."""
    organization = organization_id or emulator.coveo_organization_id
    state = emulator.admin.dump()["coveo"].get(organization, {})
    extensions: list[dict[str, Any]] = state.get("extensions", [])
    return extensions


def fault(method: str, route: str, kind: str, probability: float = 1.0, **rule: Any) -> dict[str, Any]:
    """A fault configuration with one rule."""
    return {"rules": [{"method": method, "route": route, "faults": {kind: probability}, **rule}]}
