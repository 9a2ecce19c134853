"""Fixtures of the Elastic tests: a provider configured for the emulator, a zip file, an API client."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_search_extensions.elastic.client import ElasticClient
from pulumi_search_extensions.elastic.extension_provider.provider import ElasticExtensionProvider
from pulumi_search_extensions.emulator import EmulatorHandle
from support.files import make_zip
from support.providers import configured_provider, elastic_stack_config

from .helpers import emulator_client


@pytest.fixture
def provider(clean_emulator: EmulatorHandle) -> ElasticExtensionProvider:
    """A provider whose stack config points at a clean emulator (fast retries)."""
    return configured_provider(ElasticExtensionProvider, elastic_stack_config(clean_emulator))


@pytest.fixture
def client(clean_emulator: EmulatorHandle) -> ElasticClient:
    """A client of the emulator, to arrange or inspect what the provider should see."""
    return emulator_client(clean_emulator)


@pytest.fixture
def zip_file(tmp_path: Path) -> Path:
    """A small valid extension archive."""
    return make_zip(tmp_path / "synonyms.zip")
