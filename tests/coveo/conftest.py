"""Fixtures of the Coveo tests: a CoveoExtension provider configured for the emulator, and a client of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pulumi_search_extensions.coveo.client import CoveoClient
from pulumi_search_extensions.coveo.connection import CoveoConnection
from pulumi_search_extensions.coveo.extension_provider import CoveoExtensionProvider
from support.providers import configured_provider, coveo_stack_config

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


@pytest.fixture
def provider(clean_emulator: EmulatorHandle) -> CoveoExtensionProvider:
    """A provider configured (stack config) for the emulator, which starts empty."""
    return configured_provider(CoveoExtensionProvider, coveo_stack_config(clean_emulator))


@pytest.fixture
def client(clean_emulator: EmulatorHandle) -> CoveoClient:
    """A client of the emulator's main organization (to prepare or inspect state behind the provider's back)."""
    return CoveoClient(
        CoveoConnection(clean_emulator.coveo_organization_id, clean_emulator.url, clean_emulator.coveo_api_key)
    )
