"""Fixtures of the emulator tests: the session emulator (tests/conftest.py), reset before every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_search_extensions.emulator import EmulatorHandle

from .coveo_api import CoveoApi


@pytest.fixture(autouse=True)
def _fresh_emulator_state(emulator: EmulatorHandle) -> None:
    """Every test starts from an empty emulator: no data, no faults, no logged requests."""
    emulator.admin.reset()


@pytest.fixture
def coveo(emulator: EmulatorHandle) -> Iterator[CoveoApi]:
    """The Coveo API of the main organization, with its key."""
    api = CoveoApi(emulator.url, emulator.coveo_organization_id, emulator.coveo_api_key)
    yield api
    api.session.close()


@pytest.fixture
def other_coveo(emulator: EmulatorHandle) -> Iterator[CoveoApi]:
    """The Coveo API of the second organization, with its own key."""
    assert emulator.coveo_other_organization_id is not None and emulator.coveo_other_api_key is not None
    api = CoveoApi(emulator.url, emulator.coveo_other_organization_id, emulator.coveo_other_api_key)
    yield api
    api.session.close()
