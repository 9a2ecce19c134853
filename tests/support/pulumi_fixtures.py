"""Fixtures that drive the real Pulumi CLI and engine through the Automation API (inline programs).

Registered by the conftest of each folder whose tests need the CLI (tests/e2e, tests/soak). A test that needs
the CLI fails, loudly, when it is missing: it never skips. The stacks come from `support.stacks`, the factory
the benchmarks and the demo use too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto

from support.toolchain import PulumiCliMissing, provider_env

from .stacks import TOOLS_BIN, StackFactory, throwaway_backend_env
from .stacks import pulumi_command as find_pulumi_command


@pytest.fixture(scope="session")
def pulumi_command() -> auto.PulumiCommand:
    """The project's Pulumi CLI (built by scripts/install-pulumi.sh)."""
    try:
        return find_pulumi_command()
    except PulumiCliMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def pulumi_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment of every CLI run: a throw-away file backend, its passphrase, the provider launcher."""
    try:
        env = provider_env(TOOLS_BIN)
    except PulumiCliMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    return {**env, **throwaway_backend_env(tmp_path_factory.mktemp("pulumi-state"), "e2e-test-passphrase")}


@pytest.fixture
def new_stack(pulumi_command: auto.PulumiCommand, pulumi_env: dict[str, str], tmp_path: Path) -> Iterator[StackFactory]:
    """Makes inline-program stacks: `new_stack(program, config={...}, env={...}, secrets={...})` (`StackFactory`).

    Stacks still holding resources at the end of the test are destroyed, then removed.
    """
    stacks = StackFactory(pulumi_env, tmp_path, pulumi_command)
    yield stacks
    stacks.remove_all()
