"""Fixtures shared by every test: the emulator as a real server process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pulumi_search_extensions.emulator import EmulatorHandle


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorHandle]:
    """One emulator process for the whole session, on a free loopback port."""
    from pulumi_search_extensions.emulator import run_emulator

    with run_emulator() as handle:
        yield handle


@pytest.fixture
def clean_emulator(emulator: EmulatorHandle) -> EmulatorHandle:
    """The session emulator with no extension, source, deployment, fault rule or logged request."""
    emulator.admin.reset()
    return emulator
