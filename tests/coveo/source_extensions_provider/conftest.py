"""Fixtures of the CoveoSourceExtensions tests: a configured provider, a fresh source, extensions to apply."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from pulumi_search_extensions.coveo.client import CoveoClient
from pulumi_search_extensions.coveo.source_extensions_provider import CoveoSourceExtensionsProvider

from ..helpers import SCRIPT
from .helpers import configured

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


@pytest.fixture
def provider(clean_emulator: EmulatorHandle) -> CoveoSourceExtensionsProvider:
    """A provider configured (stack config) for the emulator, which starts empty."""
    return configured(clean_emulator)


@pytest.fixture
def source_id(clean_emulator: EmulatorHandle) -> str:
    """A fresh source of the emulator's main organization, running no extension."""
    return str(clean_emulator.admin.create_source(clean_emulator.coveo_organization_id, "Web pages")["id"])


@pytest.fixture
def new_extension(client: CoveoClient) -> Callable[[str], str]:
    """Creates an extension in the emulator and returns its id."""
    return lambda name: client.post_extension({"name": name, "content": SCRIPT}).id
